//! Where a job stands against time at a given moment: its SLA deadline, and its visit window.

use chrono::{DateTime, Duration, Utc};
use onsite_protocol::JobStatus;
use serde::{Deserialize, Serialize};

/// A job is "due soon" when its SLA deadline is at most this far away.
pub const DUE_SOON: Duration = Duration::hours(4);

/// Where a job stands against its SLA deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Sla {
    /// No deadline, or the job is closed (completed or cancelled): nothing to watch.
    None,
    /// The deadline is more than [`DUE_SOON`] away.
    OnTrack,
    /// The deadline is within [`DUE_SOON`].
    DueSoon,
    /// The deadline has passed and the job is still open.
    Overdue,
}

/// The SLA state on `now` of a job in `status` whose deadline is `due`.
pub fn state(due: Option<DateTime<Utc>>, status: JobStatus, now: DateTime<Utc>) -> Sla {
    let closed = matches!(status, JobStatus::Completed | JobStatus::Cancelled);
    match due {
        None => Sla::None,
        Some(_) if closed => Sla::None,
        Some(due) if due < now => Sla::Overdue,
        Some(due) if due - now <= DUE_SOON => Sla::DueSoon,
        Some(_) => Sla::OnTrack,
    }
}

/// Whether the visit is late on `now`: its window (its end, or its start when it has no end)
/// has passed and the technician has not reached the site. A job on site, waiting for parts or
/// closed is not late: the visit happened or is happening.
pub fn late(
    status: JobStatus,
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    let not_there_yet = matches!(
        status,
        JobStatus::New | JobStatus::Assigned | JobStatus::EnRoute
    );
    not_there_yet && end.or(start).is_some_and(|passed| passed < now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_table() {
        let now: DateTime<Utc> = "2026-11-23T12:00:00Z".parse().unwrap();
        let h = |n: i64| Some(now + Duration::hours(n));
        use JobStatus::*;
        let cases = [
            // (status, start, end, late)
            (Assigned, h(-4), h(-2), true),
            (EnRoute, h(-4), h(-2), true),
            (Assigned, h(-1), h(1), false),
            (Assigned, h(-2), None, true),
            (Assigned, None, None, false),
            (OnSite, h(-4), h(-2), false),
            (WaitingParts, h(-30), h(-28), false),
            (Completed, h(-4), h(-2), false),
            (Cancelled, h(-4), h(-2), false),
            (Assigned, h(1), h(3), false),
        ];
        for (status, start, end, want) in cases {
            assert_eq!(
                late(status, start, end, now),
                want,
                "{status} {start:?}–{end:?}"
            );
        }
    }

    #[test]
    fn table() {
        let now: DateTime<Utc> = "2026-11-23T12:00:00Z".parse().unwrap();
        let h = |n: i64| Some(now + Duration::hours(n));
        let cases = [
            (None, JobStatus::Assigned, Sla::None),
            (h(24), JobStatus::Assigned, Sla::OnTrack),
            (h(4), JobStatus::OnSite, Sla::DueSoon),
            (Some(now), JobStatus::New, Sla::DueSoon),
            (h(-1), JobStatus::WaitingParts, Sla::Overdue),
            (h(-1), JobStatus::Completed, Sla::None),
            (h(1), JobStatus::Cancelled, Sla::None),
        ];
        for (due, status, want) in cases {
            assert_eq!(state(due, status, now), want, "{due:?} {status:?}");
        }
    }
}
