//! Thank-you letters: after a signed visit HQ sends the customer one e-mail, a short letter
//! with the signed report attached, through its mail outbox. A letter is never sent twice:
//! one that HQ was sending when it stopped is not sent again on its own (it may have reached
//! the customer), but waits for a person to check and resend it.

use crate::ids::{JobId, LetterId};
use crate::model::string_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

string_enum!(
    /// Where a letter stands in the outbox.
    LetterState {
        /// Waiting to be sent: no mail server is configured, or the next try is due later.
        Waiting => "waiting",
        /// Being handed to the mail server now.
        Sending => "sending",
        /// The mail server accepted it.
        Sent => "sent",
        /// HQ stopped while handing it over: it may have been delivered. Check with the
        /// customer and resend it by hand if it was not.
        Unconfirmed => "unconfirmed",
        /// The mail server kept refusing it; resend it by hand.
        Failed => "failed",
        /// HQ knows no usable e-mail address for the customer: print it and post it.
        NoAddress => "no_address",
    }
);

/// A letter in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Letter {
    /// Its id.
    pub id: LetterId,
    /// The job it thanks the customer for.
    pub job_id: JobId,
    /// Its number.
    pub job_number: String,
    /// The customer.
    pub customer_name: String,
    /// Where it goes.
    pub to: Option<String>,
    /// Its subject.
    pub subject: String,
    /// Its text.
    pub body: String,
    /// Where it stands.
    pub state: LetterState,
    /// Tries made to hand it over.
    pub tries: u32,
    /// When the next try is due, while waiting after a failed one.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last try failed.
    pub last_error: Option<String>,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When the mail server accepted it.
    pub sent_at: Option<DateTime<Utc>>,
}

/// Query of `GET /mail`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct LetterQuery {
    /// Only letters in this state.
    pub state: Option<LetterState>,
    /// Continue after this position (the previous page's `next`).
    pub after: Option<i64>,
    /// Page size; HQ caps it.
    pub limit: Option<u32>,
}

/// `GET /mail`: the outbox, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterList {
    /// The letters.
    pub letters: Vec<Letter>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<i64>,
}

/// What the technician's laptop learns of a job's letter with the pull.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterNotice {
    /// The job.
    pub job_id: JobId,
    /// Where the letter stands.
    pub state: LetterState,
    /// When it was sent, once it was.
    pub sent_at: Option<DateTime<Utc>>,
}

/// The letter template: an HQ setting. `{customer}`, `{job}`, `{technician}`, `{date}`,
/// `{product}` and `{company}` are filled in; `{{` and `}}` are braces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LetterTemplate {
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
}

/// The names a template may use.
pub const PLACEHOLDERS: &[&str] = &[
    "customer",
    "job",
    "technician",
    "date",
    "product",
    "company",
];
/// Longest template body, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 8_000;

/// What a template's placeholders stand for in one letter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LetterFields {
    /// The customer's name.
    pub customer: String,
    /// The job's number.
    pub job: String,
    /// The technician's name.
    pub technician: String,
    /// The day of the visit, in words.
    pub date: String,
    /// The product ("your product" without one).
    pub product: String,
    /// The organisation's name.
    pub company: String,
}

impl LetterFields {
    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "customer" => &self.customer,
            "job" => &self.job,
            "technician" => &self.technician,
            "date" => &self.date,
            "product" => &self.product,
            "company" => &self.company,
            _ => return None,
        })
    }
}

/// `text` with each placeholder filled from `fields`.
///
/// # Errors
/// A placeholder that is not one of [`PLACEHOLDERS`], or a brace left open or unmatched.
pub fn fill(text: &str, fields: &LetterFields) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    name.push(c);
                }
                if !closed {
                    return Err(format!("{{{name} is not closed with a }}"));
                }
                let value = fields.get(name.trim()).ok_or_else(|| {
                    format!(
                        "{{{name}}} is not something a letter can fill in; use one of {}",
                        PLACEHOLDERS
                            .iter()
                            .map(|p| format!("{{{p}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
                out.push_str(value);
            }
            '}' => return Err("a } without its {; write }} for a brace".into()),
            c => out.push(c),
        }
    }
    Ok(out)
}

impl LetterTemplate {
    /// The template HQ uses until an admin sets one.
    #[must_use]
    pub fn standard() -> Self {
        Self {
            subject: "Thank you from {company}: your service report for job {job}".into(),
            body: "Dear {customer},\n\n\
                   Thank you for having us. {technician} visited you on {date} for job {job}. \
                   Your signed service report is attached; please keep it with the papers of \
                   your {product}.\n\n\
                   If anything about the visit or the {product} is not as it should be, reply \
                   to this e-mail or call us and give the job number {job}.\n\n\
                   Kind regards,\n{company}"
                .into(),
        }
    }

    /// Checks the template: a one-line subject, a body of at most [`MAX_TEMPLATE_CHARS`],
    /// and only known placeholders in both.
    ///
    /// # Errors
    /// What is wrong, for people.
    pub fn validate(&self) -> Result<(), String> {
        crate::text::line("the subject", &self.subject)?;
        if self.body.trim().is_empty() || self.body.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(format!(
                "the letter must be 1 to {MAX_TEMPLATE_CHARS} characters"
            ));
        }
        let sample = LetterFields::default();
        fill(&self.subject, &sample).map_err(|e| format!("the subject: {e}"))?;
        fill(&self.body, &sample).map_err(|e| format!("the letter: {e}"))?;
        Ok(())
    }

    /// The subject and body filled from `fields`.
    ///
    /// # Errors
    /// As [`fill`]; a template that passed [`LetterTemplate::validate`] never fails.
    pub fn render(&self, fields: &LetterFields) -> Result<(String, String), String> {
        Ok((fill(&self.subject, fields)?, fill(&self.body, fields)?))
    }
}

/// Seconds before try number `tries + 1` after `tries` failed ones: `base` seconds, four
/// times longer after each failure, at most six hours.
#[must_use]
pub fn retry_after(tries: u32, base: u64) -> u64 {
    let factor = 4u64.saturating_pow(tries.saturating_sub(1));
    base.saturating_mul(factor).min(6 * 3600)
}

/// Tries after which a letter is given up as failed.
pub const MAX_SEND_TRIES: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> LetterFields {
        LetterFields {
            customer: "Grace Hopper".into(),
            job: "J-300".into(),
            technician: "Tina Fischer".into(),
            date: "2 December 2026".into(),
            product: "HeatMax 300 combi boiler".into(),
            company: "Northwind".into(),
        }
    }

    #[test]
    fn a_template_is_filled_by_name() {
        let cases = [
            ("Dear {customer},", Ok("Dear Grace Hopper,")),
            (
                "{job} by {technician} on {date}",
                Ok("J-300 by Tina Fischer on 2 December 2026"),
            ),
            ("{ company }", Ok("Northwind")),
            ("{{job}} is {job}", Ok("{job} is J-300")),
            ("no placeholders", Ok("no placeholders")),
            ("{price}", Err("{price} is not something")),
            ("a } alone", Err("a } without its {")),
            ("{job", Err("{job is not closed")),
        ];
        for (text, expected) in cases {
            match (fill(text, &fields()), expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
                (Err(got), Err(want)) => assert!(got.contains(want), "{text}: {got}"),
                (got, want) => panic!("{text}: {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    fn the_standard_template_is_valid_and_names_everything() {
        let t = LetterTemplate::standard();
        assert_eq!(t.validate(), Ok(()));
        let (subject, body) = t.render(&fields()).unwrap();
        assert_eq!(
            subject,
            "Thank you from Northwind: your service report for job J-300"
        );
        for words in [
            "Dear Grace Hopper,",
            "Tina Fischer visited you on 2 December 2026",
            "HeatMax 300",
        ] {
            assert!(body.contains(words), "{words}: {body}");
        }
        let bad = LetterTemplate {
            subject: "Hi".into(),
            body: "Dear {name}".into(),
        };
        assert!(bad.validate().unwrap_err().contains("the letter: {name}"));
        let two_lines = LetterTemplate {
            subject: "Hi\nthere".into(),
            body: "x".into(),
        };
        assert!(two_lines.validate().is_err());
    }

    #[test]
    fn retries_back_off_four_times_longer_up_to_six_hours() {
        let cases = [
            (1, 60),
            (2, 240),
            (3, 960),
            (4, 3840),
            (5, 15_360),
            (6, 6 * 3600),
            (40, 6 * 3600),
        ];
        for (tries, seconds) in cases {
            assert_eq!(retry_after(tries, 60), seconds, "{tries}");
        }
        assert_eq!(retry_after(2, 1), 4);
    }
}
