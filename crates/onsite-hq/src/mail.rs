//! Sending the outbox's letters through an SMTP relay (`onsite-hq serve --smtp URL`): one task
//! claims the letter due soonest, hands it to the relay with the signed report attached, and
//! records the answer. A refused or unreachable relay is tried again later, four times longer
//! after each failure; a letter claimed when HQ stopped is never sent again on its own
//! (storage marks it `unconfirmed` at start).

use crate::blobs::BlobStore;
use crate::storage::{Outgoing, Storage};
use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use onsite_protocol::mail;
use std::sync::Arc;
use std::time::Duration;

/// How HQ sends mail.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// The relay: `smtp://host:port` (plain, for a relay on this machine or network),
    /// `smtp://host:port?tls=required` (STARTTLS) or `smtps://host:port`, with
    /// `user:password@` when it asks for a login.
    pub smtp: String,
    /// Who letters come from.
    pub from: Mailbox,
    /// Seconds before the first retry; each later one waits four times longer.
    pub retry_base: u64,
}

/// Why mail cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The relay's URL is not one HQ can use.
    #[error("--smtp {url:?}: {reason}")]
    Url {
        /// What was given (without a password).
        url: String,
        /// Why.
        reason: String,
    },
}

/// How long one hand-over may take before it counts as failed.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// Longer than any hand-over to the relay can take (its timeout, with room to spare): a
/// letter claimed longer ago than this and still being sent was left by a stopped HQ.
pub const HAND_OVER_LIMIT: chrono::Duration = chrono::Duration::minutes(10);
/// How often the outbox is looked at when it has nothing due.
const IDLE: Duration = Duration::from_secs(1);

/// Whether, and when, a letter whose try number `tries` failed is tried again.
#[must_use]
pub fn retry_at(tries: u32, base_seconds: u64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (tries < mail::MAX_SEND_TRIES).then(|| {
        now + chrono::Duration::seconds(
            i64::try_from(mail::retry_after(tries, base_seconds)).unwrap_or(i64::MAX / 2),
        )
    })
}

/// The outbox's sender.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    config: MailConfig,
}

/// `url` with any password hidden, for messages.
fn shown(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

impl Mailer {
    /// A sender for `config`; nothing is connected until a letter is due.
    ///
    /// # Errors
    /// [`MailError::Url`] for a URL that is not an SMTP relay's.
    pub fn new(config: MailConfig) -> Result<Self, MailError> {
        let url = config.smtp.trim();
        if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
            return Err(MailError::Url {
                url: shown(url),
                reason: "expected smtp://HOST:PORT or smtps://HOST:PORT".into(),
            });
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Url {
                url: shown(url),
                reason: e.to_string(),
            })?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        Ok(Self { transport, config })
    }

    /// Sends letters as they fall due, for as long as HQ runs.
    pub async fn run(self, storage: Arc<dyn Storage>, blobs: Arc<BlobStore>) {
        loop {
            match storage.claim_letter(Utc::now()).await {
                Ok(Some(outgoing)) => self.hand_over(&*storage, &blobs, outgoing).await,
                Ok(None) => tokio::time::sleep(IDLE).await,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the mail outbox");
                    tokio::time::sleep(IDLE * 10).await;
                }
            }
        }
    }

    async fn hand_over(&self, storage: &dyn Storage, blobs: &Arc<BlobStore>, out: Outgoing) {
        let id = out.letter.id;
        let result = match self.message(blobs, &out).await {
            Ok(message) => self
                .transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| format!("the mail server: {e}")),
            Err(e) => Err(e),
        };
        let now = Utc::now();
        let recorded = match result {
            Ok(()) => {
                tracing::info!(letter = %id, job = %out.letter.job_number, "letter sent");
                storage.letter_sent(id, now).await
            }
            Err(error) => {
                let again = retry_at(out.letter.tries, self.config.retry_base, now);
                tracing::warn!(letter = %id, %error, retry_at = ?again, "letter not sent");
                storage.letter_failed(id, &error, again, now).await
            }
        };
        if let Err(e) = recorded {
            // Left `sending`: at the next start it is unconfirmed, never sent twice.
            tracing::error!(letter = %id, error = %e, "cannot record what became of a letter");
        }
    }

    async fn message(&self, blobs: &Arc<BlobStore>, out: &Outgoing) -> Result<Message, String> {
        let to: Mailbox = out
            .letter
            .to
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map(|address| Mailbox::new(Some(out.letter.customer_name.clone()), address))
            .map_err(|e| format!("the customer's address: {e}"))?;
        let blobs = blobs.clone();
        let sha = out.report_sha256.clone();
        let pdf = tokio::task::spawn_blocking(move || {
            blobs
                .path(&sha)
                .map_err(|e| e.to_string())
                .and_then(|p| std::fs::read(p).map_err(|e| e.to_string()))
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("the signed report: {e}"))?;
        Message::builder()
            .from(self.config.from.clone())
            .to(to)
            .subject(out.letter.subject.clone())
            // The same id on every try, so a relay or mailbox that sees it twice can tell.
            .message_id(Some(format!("<letter-{}@onsite>", out.letter.id)))
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(out.letter.body.clone()))
                    .singlepart(Attachment::new(out.report_name.clone()).body(
                        pdf,
                        ContentType::parse("application/pdf").map_err(|e| e.to_string())?,
                    )),
            )
            .map_err(|e| format!("the letter: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            shown("smtps://ann:secret@mail.example.org:465"),
            "smtps://***@mail.example.org:465"
        );
        assert_eq!(shown("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }

    #[test]
    fn only_smtp_relays_are_accepted() {
        let config = |smtp: &str| MailConfig {
            smtp: smtp.into(),
            from: "Service <service@example.org>".parse().unwrap(),
            retry_base: 60,
        };
        assert!(Mailer::new(config("smtp://127.0.0.1:2525")).is_ok());
        assert!(Mailer::new(config("smtps://mail.example.org")).is_ok());
        for bad in ["http://mail.example.org", "mail.example.org:25", ""] {
            assert!(Mailer::new(config(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_letter_is_retried_until_its_last_try() {
        let now: DateTime<Utc> = "2026-12-02T10:00:00Z".parse().unwrap();
        assert_eq!(
            retry_at(1, 60, now),
            Some("2026-12-02T10:01:00Z".parse().unwrap())
        );
        assert_eq!(
            retry_at(2, 60, now),
            Some("2026-12-02T10:04:00Z".parse().unwrap())
        );
        assert_eq!(retry_at(mail::MAX_SEND_TRIES, 60, now), None);
    }
}
