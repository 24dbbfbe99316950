//! What a customer's opinion sets going at HQ, as pure rules both sides apply alike: which
//! ratings open a complaint, which visits get a follow-up call and when, and what a call's
//! outcome leads to.

use crate::model::JobKind;
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

crate::model::string_enum!(
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
}
