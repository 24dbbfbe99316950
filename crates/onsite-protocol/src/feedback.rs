//! What a customer's opinion sets going at HQ, as pure rules both sides apply alike: which
//! ratings open a complaint, which visits get a follow-up call and when, and what a call's
//! outcome leads to.

use crate::model::{JobKind, string_enum};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Lowest satisfaction (1 to 5) that does not open a complaint on its own.
pub const CONTENT_FROM: u8 = 3;
/// Days after the visit a follow-up call is due, unless HQ's setting says otherwise.
pub const DEFAULT_FOLLOW_UP_DAYS: u32 = 3;
/// Most calls made for one follow-up before it is given up as unanswered.
pub const MAX_CALL_TRIES: u32 = 3;
/// Days until the next try after a call nobody answered.
pub const RETRY_AFTER_DAYS: u32 = 1;

/// Whether a rating opens a complaint: a satisfaction of 1 or 2, or words of complaint.
#[must_use]
pub fn opens_complaint(satisfaction: u8, complaint: Option<&str>) -> bool {
    satisfaction < CONTENT_FROM || complaint.is_some_and(|c| !c.trim().is_empty())
}

/// When a follow-up call is due after a visit on `visited`, if one is: after every completed
/// installation and every complaint, `delay_days` later.
#[must_use]
pub fn follow_up_due(
    kind: JobKind,
    complaint: bool,
    visited: NaiveDate,
    delay_days: u32,
) -> Option<NaiveDate> {
    (kind == JobKind::Installation || complaint)
        .then(|| visited.checked_add_days(Days::new(u64::from(delay_days))))
        .flatten()
}

string_enum!(
    /// What a follow-up call found.
    CallOutcome {
        /// The customer is satisfied.
        Satisfied => "satisfied",
        /// The customer is not satisfied: a complaint is opened.
        NotSatisfied => "not_satisfied",
        /// Nobody answered: called again, up to [`MAX_CALL_TRIES`] calls.
        NoAnswer => "no_answer",
        /// The number is wrong: the call is closed, and the customer's number needs checking.
        WrongNumber => "wrong_number",
    }
);

/// What follows a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "next", rename_all = "snake_case")]
pub enum AfterCall {
    /// The follow-up is done.
    Closed,
    /// Call again on this day.
    CallAgain {
        /// When.
        on: NaiveDate,
    },
    /// The follow-up is done and a complaint is opened.
    Complaint,
    /// Given up: nobody answered any of the calls.
    Unanswered,
}

/// What follows call number `tries` (1 for the first) made on `called`, which found `outcome`.
#[must_use]
pub fn after_call(outcome: CallOutcome, tries: u32, called: NaiveDate) -> AfterCall {
    match outcome {
        CallOutcome::Satisfied | CallOutcome::WrongNumber => AfterCall::Closed,
        CallOutcome::NotSatisfied => AfterCall::Complaint,
        CallOutcome::NoAnswer if tries >= MAX_CALL_TRIES => AfterCall::Unanswered,
        CallOutcome::NoAnswer => called
            .checked_add_days(Days::new(u64::from(RETRY_AFTER_DAYS)))
            .map_or(AfterCall::Unanswered, |on| AfterCall::CallAgain { on }),
    }
}

string_enum!(
    /// Why HQ calls a customer back.
    FollowUpReason {
        /// A completed installation: is the product working, do they know how to use it?
        Installation => "installation",
        /// A complaint: is the customer satisfied with how it was handled?
        Complaint => "complaint",
    }
);

string_enum!(
    /// Where a follow-up call stands.
    FollowUpState {
        /// To be called on its due day.
        Due => "due",
        /// Called: satisfied, not satisfied (a complaint opened) or a wrong number.
        Done => "done",
        /// Nobody answered any of the calls.
        Unanswered => "unanswered",
    }
);

/// One call made for a follow-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Call {
    /// When it was made.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who called.
    pub by: String,
    /// What it found.
    pub outcome: CallOutcome,
    /// Their words.
    pub note: Option<String>,
}

/// A follow-up call HQ owes a customer, with what a dispatcher needs to make it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUp {
    /// Its id.
    pub id: crate::ids::FollowUpId,
    /// Why.
    pub reason: FollowUpReason,
    /// Where it stands.
    pub state: FollowUpState,
    /// The day it is due.
    pub due_on: NaiveDate,
    /// When the customer would rather be called.
    pub call_time: Option<crate::signoff::CallTime>,
    /// The job it follows.
    pub job_id: crate::ids::JobId,
    /// Its number.
    pub job_number: String,
    /// The customer.
    pub customer_name: String,
    /// The number to call.
    pub phone: Option<String>,
    /// The complaint it follows, or the one it opened.
    pub case_id: Option<crate::ids::CaseId>,
    /// The calls made, oldest first.
    pub calls: Vec<Call>,
}

/// Query of `GET /follow-ups`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct FollowUpQuery {
    /// Calls due on or before this day (HQ's today when absent), still to be made.
    pub due: Option<NaiveDate>,
    /// Continue after this position (the previous page's `next`).
    pub after: Option<i64>,
    /// Page size; HQ caps it.
    pub limit: Option<u32>,
}

/// `GET /follow-ups`: calls due, the earliest due first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpList {
    /// The calls.
    pub follow_ups: Vec<FollowUp>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<i64>,
}

/// `POST /follow-ups/{id}/outcome`: what a call found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeInput {
    /// What the call found.
    pub outcome: CallOutcome,
    /// The caller's words (for a complaint it opens, its details).
    #[serde(default)]
    pub note: Option<String>,
}

/// Most months one summary covers.
pub const MAX_SUMMARY_MONTHS: u32 = 36;

/// Query of `GET /feedback/summary`: months from `from` to `to` (as `YYYY-MM`), a model.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct FeedbackQuery {
    /// First month, `YYYY-MM`; twelve months before `to` when absent (or empty).
    #[cfg_attr(feature = "openapi", param(pattern = r"^([0-9]{4}-(0[1-9]|1[0-2]))?$"))]
    pub from: Option<String>,
    /// Last month, `YYYY-MM`; HQ's current month when absent (or empty).
    #[cfg_attr(feature = "openapi", param(pattern = r"^([0-9]{4}-(0[1-9]|1[0-2]))?$"))]
    pub to: Option<String>,
    /// Only this product model.
    pub model: Option<String>,
}

/// What customers said of one product model in one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackRow {
    /// The product model ("no product" for jobs without one).
    pub model: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Ratings given (the latest per job).
    pub ratings: u32,
    /// Their mean satisfaction, 1 to 5.
    pub mean_satisfaction: Option<f64>,
    /// Answers to "would you recommend us?".
    pub recommend_answers: u32,
    /// Net promoter score, -100 to 100: promoters (9-10) less detractors (0-6), in percent.
    pub nps: Option<i32>,
    /// Complaints opened.
    pub complaints: u32,
    /// Warranty decisions by fault category found.
    pub faults: Vec<FaultCount>,
}

/// How often a fault was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FaultCount {
    /// The fault.
    pub fault: crate::warranty::FaultCategory,
    /// Decisions that found it.
    pub count: u32,
}

/// `GET /feedback/summary`: one row per model and month with any feedback, by model then month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackSummary {
    /// First month covered.
    pub from: String,
    /// Last month covered.
    pub to: String,
    /// The rows.
    pub rows: Vec<FeedbackRow>,
    /// The same per technician (who sent the rating; the job's holder for a complaint), by
    /// technician then month; a model filter applies to them too.
    #[serde(default)]
    pub technicians: Vec<TechnicianRow>,
}

/// What customers said of one technician's visits in one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechnicianRow {
    /// The technician's username.
    pub technician: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Ratings given (the latest per job).
    pub ratings: u32,
    /// Their mean satisfaction, 1 to 5.
    pub mean_satisfaction: Option<f64>,
    /// Answers to "would you recommend us?".
    pub recommend_answers: u32,
    /// Net promoter score, -100 to 100.
    pub nps: Option<i32>,
    /// Complaints opened about jobs they held.
    pub complaints: u32,
}

/// The net promoter score of "would you recommend us?" answers (0 to 10): the percentage of
/// promoters (9-10) less that of detractors (0-6), rounded; none without answers.
#[must_use]
pub fn net_promoter_score(answers: &[u8]) -> Option<i32> {
    if answers.is_empty() {
        return None;
    }
    let promoters = answers.iter().filter(|a| **a >= 9).count() as f64;
    let detractors = answers.iter().filter(|a| **a <= 6).count() as f64;
    Some(((promoters - detractors) * 100.0 / answers.len() as f64).round() as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn low_ratings_and_words_of_complaint_open_a_complaint() {
        let cases = [
            (1, None, true),
            (2, None, true),
            (3, None, false),
            (5, None, false),
            (5, Some("The technician left a mess"), true),
            (4, Some("   "), false),
            (4, Some(""), false),
        ];
        for (satisfaction, complaint, opens) in cases {
            assert_eq!(
                opens_complaint(satisfaction, complaint),
                opens,
                "{satisfaction} {complaint:?}"
            );
        }
    }

    #[test]
    fn installations_and_complaints_get_a_follow_up_call() {
        let visited = day("2026-12-30");
        let cases = [
            (JobKind::Installation, false, 3, Some("2027-01-02")),
            (JobKind::Repair, true, 3, Some("2027-01-02")),
            (JobKind::Maintenance, true, 0, Some("2026-12-30")),
            (JobKind::Repair, false, 3, None),
            (JobKind::Debugging, false, 3, None),
        ];
        for (kind, complaint, delay, due) in cases {
            assert_eq!(
                follow_up_due(kind, complaint, visited, delay),
                due.map(day),
                "{kind} {complaint} {delay}"
            );
        }
    }

    #[test]
    fn an_unanswered_call_is_tried_again_up_to_three_times() {
        let called = day("2026-12-31");
        let cases = [
            (CallOutcome::Satisfied, 1, AfterCall::Closed),
            (CallOutcome::WrongNumber, 2, AfterCall::Closed),
            (CallOutcome::NotSatisfied, 1, AfterCall::Complaint),
            (
                CallOutcome::NoAnswer,
                1,
                AfterCall::CallAgain {
                    on: day("2027-01-01"),
                },
            ),
            (
                CallOutcome::NoAnswer,
                2,
                AfterCall::CallAgain {
                    on: day("2027-01-01"),
                },
            ),
            (CallOutcome::NoAnswer, 3, AfterCall::Unanswered),
            (CallOutcome::NoAnswer, 7, AfterCall::Unanswered),
        ];
        for (outcome, tries, next) in cases {
            assert_eq!(
                after_call(outcome, tries, called),
                next,
                "{outcome} {tries}"
            );
        }
    }

    #[test]
    fn the_net_promoter_score_counts_promoters_less_detractors() {
        let cases: [(&[u8], Option<i32>); 5] = [
            (&[], None),
            (&[10, 9, 10], Some(100)),
            (&[0, 6, 3], Some(-100)),
            (&[7, 8], Some(0)),
            (&[10, 9, 8, 2], Some(25)),
        ];
        for (answers, nps) in cases {
            assert_eq!(net_promoter_score(answers), nps, "{answers:?}");
        }
    }
}
