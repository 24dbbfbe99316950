//! The end of a visit with the customer: their signature on the service report, and their
//! opinion. Both are recorded on the laptop as ops; the signed report and the drawn signature
//! travel as content named by hash, uploaded before the op like a photo, so HQ holds exactly
//! the bytes the customer signed.

use crate::model::string_enum;
use serde::{Deserialize, Serialize};

/// Content an op carries by reference: uploaded first, named by its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlobRef {
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    /// Its size.
    pub bytes: u64,
}

/// Longest signer's name, in characters.
pub const MAX_SIGNER_CHARS: usize = 100;
/// Largest drawn signature, in bytes: a pad's PNG is a few kilobytes.
pub const MAX_SIGNATURE_BYTES: u64 = 512 * 1024;
/// Longest comment or complaint, in characters.
pub const MAX_OPINION_CHARS: usize = 2_000;
/// Satisfaction runs from 1 (very dissatisfied) to this.
pub const MAX_SATISFACTION: u8 = 5;
/// "Would you recommend us?" runs from 0 to this.
pub const MAX_RECOMMEND: u8 = 10;

string_enum!(
    /// When the customer would rather be called back.
    CallTime {
        /// 9:00 to 12:00.
        Morning => "morning",
        /// 12:00 to 17:00.
        Afternoon => "afternoon",
        /// 17:00 to 20:00.
        Evening => "evening",
    }
);

/// A satisfaction score in the words the customer picks it by.
pub fn satisfaction_words(score: u8) -> &'static str {
    match score {
        1 => "Very dissatisfied",
        2 => "Dissatisfied",
        3 => "Neither satisfied nor dissatisfied",
        4 => "Satisfied",
        5 => "Very satisfied",
        _ => "Not rated",
    }
}

/// Checks a signer's printed name: one line of 1 to [`MAX_SIGNER_CHARS`] characters.
///
/// # Errors
/// What is wrong, for people.
pub fn validate_signer(signer: &str) -> Result<(), String> {
    let signer = signer.trim();
    if signer.is_empty()
        || signer.chars().count() > MAX_SIGNER_CHARS
        || signer.chars().any(char::is_control)
    {
        return Err(format!(
            "the signer's name must be 1 to {MAX_SIGNER_CHARS} characters on one line"
        ));
    }
    Ok(())
}

/// Checks words the customer typed (a comment, a complaint): text of 1 to
/// [`MAX_OPINION_CHARS`] characters.
///
/// # Errors
/// What is wrong, naming `what`.
pub fn validate_opinion(what: &str, text: Option<&str>) -> Result<(), String> {
    let Some(text) = text else { return Ok(()) };
    if text.trim().is_empty()
        || text.chars().count() > MAX_OPINION_CHARS
        || text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(format!(
            "{what} must be 1 to {MAX_OPINION_CHARS} characters of text"
        ));
    }
    Ok(())
}

/// A signed report as the visit record holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignOff {
    /// The sign-off op.
    pub op_id: crate::ids::OpId,
    /// The exact PDF signed.
    pub report: BlobRef,
    /// Who signed, as printed.
    pub signer: String,
    /// The drawn signature; none when signed by typing the name and ticking.
    pub signature: Option<BlobRef>,
    /// When, by the laptop's clock.
    pub signed_at: chrono::DateTime<chrono::Utc>,
    /// The job changed after this signature in a way the report shows: the signed report no
    /// longer says what the job now records, and a new signature is needed.
    pub changed_since: bool,
}

/// The customer's opinion as the visit record holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    /// The rating op.
    pub op_id: crate::ids::OpId,
    /// 1 to 5.
    pub satisfaction: u8,
    /// 0 to 10.
    pub recommend: Option<u8>,
    /// Their words.
    pub comment: Option<String>,
    /// What they complain of.
    pub complaint: Option<String>,
    /// They agree to a follow-up call.
    pub call_ok: bool,
    /// When they would rather be called.
    pub call_time: Option<CallTime>,
}

/// `GET /jobs/{id}/reports`: the reports a customer signed on a job, newest first; the first
/// is the one `GET /jobs/{id}/report` serves, and older ones download by hash from
/// `GET /blobs/{sha256}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedReports {
    /// The job.
    pub job_id: crate::ids::JobId,
    /// Each signed report.
    pub reports: Vec<SignOff>,
}
