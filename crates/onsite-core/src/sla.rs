//! Service-level agreement state of a job at a given moment.

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

#[cfg(test)]
mod tests {
    use super::*;

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
