//! What a job's change leaves in its status history, and the status a reassignment leaves.

use onsite_protocol::{Job, JobStatus};

/// The status a change enters in the job's history: its status, when the status or the
/// technician changed; nothing for any other edit.
pub fn entered(old: &Job, new: &Job) -> Option<JobStatus> {
    (new.status != old.status || new.technician != old.technician).then_some(new.status)
}

/// A closed job's technician cannot change: it must be reopened first, so the record of who
/// completed it is never rewritten by accident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the job is {0}; its technician cannot change")]
pub struct Closed(pub JobStatus);

/// The status a job in `from` takes when its technician changes to `to`: assigned to someone,
/// or back to new when unassigned.
///
/// # Errors
/// [`Closed`] for a completed or cancelled job.
pub fn reassigned(from: JobStatus, to: Option<&str>) -> Result<JobStatus, Closed> {
    if from.is_closed() {
        return Err(Closed(from));
    }
    Ok(if to.is_some() {
        JobStatus::Assigned
    } else {
        JobStatus::New
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use JobStatus::*;

    #[test]
    fn a_reassignment_leaves_assigned_or_new_and_never_touches_a_closed_job() {
        let cases = [
            (New, Some("tina"), Ok(Assigned)),
            (EnRoute, Some("tom"), Ok(Assigned)),
            (WaitingParts, None, Ok(New)),
            (OnSite, Some("tom"), Ok(Assigned)),
            (Completed, Some("tom"), Err(Closed(Completed))),
            (Cancelled, None, Err(Closed(Cancelled))),
        ];
        for (from, to, want) in cases {
            assert_eq!(reassigned(from, to), want, "{from} → {to:?}");
        }
    }

    #[test]
    fn only_status_and_holder_changes_enter_the_history() {
        let job: Job = serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::from_u128(1), "number": "J-1", "kind": "repair",
            "priority": "normal", "summary": "Leak", "description": null,
            "customer_id": uuid::Uuid::from_u128(2), "site_id": uuid::Uuid::from_u128(3),
            "asset_id": null, "technician": "tina", "scheduled_start": null,
            "scheduled_end": null, "sla_due": null, "status": "assigned", "version": 1,
            "updated_at": "2026-11-23T08:00:00Z"}))
        .unwrap();
        let with = |f: &dyn Fn(&mut Job)| {
            let mut j = job.clone();
            f(&mut j);
            j
        };
        let cases = [
            (with(&|j| j.summary = "Leak, again".into()), None),
            (with(&|j| j.status = OnSite), Some(OnSite)),
            (with(&|j| j.technician = Some("tom".into())), Some(Assigned)),
        ];
        for (new, want) in cases {
            assert_eq!(entered(&job, &new), want);
        }
    }
}
