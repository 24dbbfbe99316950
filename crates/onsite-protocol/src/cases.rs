//! Complaints and inquiries: what a customer raises with the organisation, handled at HQ.
//! A complaint opens from a rating (1-2, or words of complaint), from a follow-up call that
//! found the customer not satisfied, or by a dispatcher; an inquiry (how to use the product,
//! what the warranty covers) is logged by a dispatcher. Both move `open → in_progress →
//! resolved` with notes saying who did what, and may lead to a return visit.

use crate::ids::{CaseId, CustomerId, JobId};
use crate::model::string_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

string_enum!(
    /// A complaint or an inquiry.
    CaseKind {
        /// The customer is not satisfied.
        Complaint => "complaint",
        /// The customer asks something.
        Inquiry => "inquiry",
    }
);

string_enum!(
    /// Where a case stands.
    CaseStatus {
        /// Nobody has taken it up yet.
        Open => "open",
        /// Someone is on it.
        InProgress => "in_progress",
        /// Done: answered, put right, or closed with a reason.
        Resolved => "resolved",
    }
);

string_enum!(
    /// How a case came in.
    CaseSource {
        /// The customer's rating on the laptop.
        Rating => "rating",
        /// A follow-up call found the customer not satisfied.
        FollowUp => "follow_up",
        /// A dispatcher logged it (a phone call, an e-mail).
        Dispatcher => "dispatcher",
    }
);

impl CaseStatus {
    /// Whether a case may move from `self` to `to`: forward, or a resolved case reopened
    /// (back in progress) when the customer comes back. Staying put is no move.
    #[must_use]
    pub fn can_move_to(self, to: CaseStatus) -> bool {
        use CaseStatus::{InProgress, Open, Resolved};
        matches!(
            (self, to),
            (Open, InProgress) | (Open, Resolved) | (InProgress, Resolved) | (Resolved, InProgress)
        )
    }
}

/// Longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = crate::text::MAX_LINE_CHARS;
/// Longest details, answer or note, in characters.
pub const MAX_CASE_TEXT_CHARS: usize = 4_000;

/// One step in a case's life: a note, a change of status, or both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseNote {
    /// When.
    pub at: DateTime<Utc>,
    /// Who: a dispatcher's name, or what opened it ("the customer's rating").
    pub by: String,
    /// What they wrote.
    pub text: Option<String>,
    /// The status it moved to, when it moved.
    pub status: Option<CaseStatus>,
}

/// The job a case led to: a return visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseJob {
    /// The job.
    pub job_id: JobId,
    /// Its number.
    pub number: String,
}

/// A complaint or inquiry as HQ holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    /// Its id.
    pub id: CaseId,
    /// Complaint or inquiry.
    pub kind: CaseKind,
    /// Where it stands.
    pub status: CaseStatus,
    /// How it came in.
    pub source: CaseSource,
    /// One line.
    pub subject: String,
    /// The customer's words.
    pub details: Option<String>,
    /// The answer given (an inquiry's), or how it was put right.
    pub answer: Option<String>,
    /// The customer.
    pub customer_id: Option<CustomerId>,
    /// Their name.
    pub customer_name: Option<String>,
    /// The job it is about.
    pub job_id: Option<JobId>,
    /// Its number.
    pub job_number: Option<String>,
    /// The product model it is about.
    pub model: Option<String>,
    /// When it came in.
    pub opened_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The return visit it led to.
    pub return_visit: Option<CaseJob>,
    /// Its history, oldest first.
    pub notes: Vec<CaseNote>,
}

/// `POST /complaints` and `POST /inquiries`: a case a dispatcher logs, about a job (and so its
/// customer and product) or a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseInput {
    /// One line.
    pub subject: String,
    /// The customer's words.
    #[serde(default)]
    pub details: Option<String>,
    /// The job it is about.
    #[serde(default)]
    pub job_id: Option<JobId>,
    /// The customer, when no job is named.
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
}

/// `PATCH /complaints/{id}` and `PATCH /inquiries/{id}`: what a dispatcher changes. A note is
/// kept with who wrote it; absent fields are left alone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CasePatch {
    /// The new status.
    #[serde(default)]
    pub status: Option<CaseStatus>,
    /// A note for the history.
    #[serde(default)]
    pub note: Option<String>,
    /// The answer given, or how it was put right.
    #[serde(default)]
    pub answer: Option<String>,
}

/// `POST /complaints/{id}/return-visit` (and for inquiries): a new job at the case's
/// customer, site and product, linked to the case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnVisitInput {
    /// One line for lists; "Return visit: " and the case's subject when absent.
    #[serde(default)]
    pub summary: Option<String>,
    /// The technician to send.
    #[serde(default)]
    pub technician: Option<String>,
    /// Start of the visit window.
    #[serde(default)]
    pub scheduled_start: Option<DateTime<Utc>>,
    /// End of the visit window.
    #[serde(default)]
    pub scheduled_end: Option<DateTime<Utc>>,
}

/// A return visit made for a case: the case as it now stands, and the new job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReturnVisit {
    /// The case, now linked to the job.
    pub case: Case,
    /// The new job.
    pub job: crate::api::JobView,
}

/// Query of `GET /complaints` and `GET /inquiries`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CaseQuery {
    /// Only cases in this status.
    pub status: Option<CaseStatus>,
    /// Only cases about this job.
    pub job_id: Option<JobId>,
    /// Only cases of this customer.
    pub customer_id: Option<CustomerId>,
    /// Only cases about this product model.
    pub model: Option<String>,
    /// Continue after this position (the previous page's `next`).
    pub after: Option<i64>,
    /// Page size; HQ caps it.
    pub limit: Option<u32>,
}

/// `GET /complaints`, `GET /inquiries`: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseList {
    /// The cases.
    pub cases: Vec<Case>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<i64>,
}

/// Checks a case's text: `subject` a line, the rest text of at most [`MAX_CASE_TEXT_CHARS`].
///
/// # Errors
/// What is wrong, naming the field.
pub fn validate_text(field: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("{field} is empty"));
    }
    if value.chars().count() > MAX_CASE_TEXT_CHARS {
        return Err(format!(
            "{field} is longer than {MAX_CASE_TEXT_CHARS} characters"
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(format!("{field} contains control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_moves_forward_or_is_reopened() {
        use CaseStatus::{InProgress, Open, Resolved};
        let table = [
            (Open, InProgress, true),
            (Open, Resolved, true),
            (InProgress, Resolved, true),
            (Resolved, InProgress, true),
            (InProgress, Open, false),
            (Resolved, Open, false),
            (Open, Open, false),
            (Resolved, Resolved, false),
        ];
        for (from, to, allowed) in table {
            assert_eq!(from.can_move_to(to), allowed, "{from} → {to}");
        }
    }

    #[test]
    fn case_text_is_checked() {
        assert!(validate_text("note", "Called back, sent a new seal.\nAll fine.").is_ok());
        assert!(validate_text("note", " ").is_err());
        assert!(validate_text("note", "a\u{7}").is_err());
        assert!(validate_text("note", &"x".repeat(MAX_CASE_TEXT_CHARS + 1)).is_err());
    }
}
