//! A job's activity: every change recorded on site, as HQ last sent it (from any device)
//! together with this device's ops HQ has not sent back yet — the rebased view of the facts.

use super::op_state::OpState;
use super::settings::{Setting, get_in};
use crate::error::{CoreError, Result};
use chrono::{DateTime, Utc};
use onsite_protocol::conflict::Settlement;
use onsite_protocol::push::RecordedOp;
use onsite_protocol::{Change, DeviceId, JobId, Op, OpId, Reason};
use onsite_sqlite::parsed;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One change recorded on a job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Activity {
    /// The op's id.
    pub op_id: OpId,
    /// When it was recorded, by the recording device's own wall clock (or, for an op whose
    /// time HQ could not trust, when HQ received it). Never the clock stamp's wall time: a
    /// stamp follows the fastest clock it has seen.
    pub at: DateTime<Utc>,
    /// Who recorded it (their display name), when HQ has said; absent for this device's
    /// unsent ops.
    pub by: Option<String>,
    /// Recorded on this device.
    pub mine: bool,
    /// What it changed.
    pub change: Change,
    /// Where it stands.
    pub state: OpState,
    /// HQ's reason, for conflicts, rejections and superseded corrections.
    pub reason: Option<Reason>,
    /// HQ's words.
    pub message: Option<String>,
    /// For a conflict: how a dispatcher settled it.
    pub settled: Option<Settlement>,
}

fn bad(e: serde_json::Error) -> CoreError {
    CoreError::Store(format!("stored op: {e}"))
}

/// The job's activity in clock order, oldest first.
pub(super) fn of_job(conn: &rusqlite::Connection, job: JobId) -> Result<Vec<Activity>> {
    let me: Option<DeviceId> = get_in(conn, Setting::DeviceId)?.and_then(|d| d.parse().ok());
    let mut entries: Vec<(onsite_protocol::Hlc, Activity)> = Vec::new();
    let mut index: HashMap<OpId, usize> = HashMap::new();
    let server = conn
        .prepare_cached("SELECT body FROM job_ops WHERE job_id = ?1 ORDER BY seq")?
        .query_map([job.0], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for body in server {
        let recorded: RecordedOp = serde_json::from_str(&body).map_err(bad)?;
        let state = OpState::from(recorded.outcome);
        index.insert(recorded.op.op_id, entries.len());
        entries.push((
            recorded.op.hlc,
            Activity {
                op_id: recorded.op.op_id,
                at: recorded.op.recorded_at.unwrap_or(recorded.received_at),
                by: Some(recorded.by_name.unwrap_or(recorded.by)),
                mine: Some(recorded.op.device_id) == me,
                change: recorded.op.change,
                state,
                reason: recorded.reason,
                message: recorded.message,
                settled: recorded.settled,
            },
        ));
    }
    let local = conn
        .prepare_cached(
            "SELECT body, state, reason, message, created_at FROM ops WHERE job_id = ?1 \
             ORDER BY seq",
        )?
        .query_map([job.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                parsed::<OpState>(r, 1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, DateTime<Utc>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (body, state, reason, message, created_at) in local {
        let op: Op = serde_json::from_str(&body).map_err(bad)?;
        // Once HQ sent an op back with the job, its record is the word on it.
        if index.contains_key(&op.op_id) {
            continue;
        }
        entries.push((
            op.hlc,
            Activity {
                op_id: op.op_id,
                at: op.recorded_at.unwrap_or(created_at),
                by: None,
                mine: true,
                change: op.change,
                state,
                reason: reason.and_then(|r| r.parse().ok()),
                message,
                settled: None,
            },
        ));
    }
    entries.sort_by_key(|(hlc, _)| *hlc);
    Ok(entries.into_iter().map(|(_, a)| a).collect())
}

/// Whether work is running: the last time entry (by clock) is a start.
pub(super) fn working(activity: &[Activity]) -> bool {
    activity
        .iter()
        .rev()
        .find_map(|a| match a.change {
            Change::WorkStarted { .. } => Some(true),
            Change::WorkStopped { .. } => Some(false),
            _ => None,
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use crate::store::testing::*;

    #[test]
    fn facts_from_hq_and_local_ops_merge_without_doubles() {
        let f = fixture();
        let mine = f
            .record(Change::Note {
                text: "mine".into(),
            })
            .unwrap();
        let stored = f.store.outgoing(10, 1 << 20).unwrap();
        let op: Op = serde_json::from_value(stored[0].body.clone()).unwrap();
        let other = Op {
            op_id: OpId::new(),
            device_id: DeviceId(uuid::Uuid::from_u128(0xd2)),
            job_id: f.job.id,
            hlc: Hlc {
                wall: 1,
                counter: 0,
                node: DeviceId(uuid::Uuid::from_u128(0xd2)),
            },
            recorded_at: None,
            change: Change::Note {
                text: "from the other laptop".into(),
            },
        };
        let recorded = |op: Op| RecordedOp {
            op,
            by: "tina".into(),
            by_name: Some("Tina Fischer".into()),
            received_at: now(),
            outcome: Outcome::Applied,
            reason: None,
            message: None,
            settled: None,
        };
        f.store
            .apply_pull(&f.page(f.job.clone(), vec![recorded(other), recorded(op)]))
            .unwrap();
        let d = f.detail();
        assert_eq!(d.activity.len(), 2);
        assert!(!d.activity[0].mine, "the other laptop's note is older");
        assert_eq!(
            d.activity[0].by.as_deref(),
            Some("Tina Fischer"),
            "people by their display names"
        );
        assert_eq!(d.activity[1].op_id, mine.op_id);
        assert_eq!(d.activity[1].state, OpState::Applied, "HQ's record wins");
    }

    /// A page that holds only what changed since the cursor merges by op id: what the device
    /// held stays, a settled op is replaced where it was, a new one comes after the rest.
    #[test]
    fn a_page_of_changes_merges_into_what_the_device_held() {
        let f = fixture();
        let device = DeviceId(uuid::Uuid::from_u128(0xd2));
        let note = |n: i64| Op {
            op_id: OpId::new(),
            device_id: device,
            job_id: f.job.id,
            hlc: Hlc {
                wall: n,
                counter: 0,
                node: device,
            },
            recorded_at: None,
            change: Change::Note {
                text: format!("note {n}"),
            },
        };
        let recorded = |op: Op| RecordedOp {
            op,
            by: "tina".into(),
            by_name: None,
            received_at: now(),
            outcome: Outcome::Applied,
            reason: None,
            message: None,
            settled: None,
        };
        let (one, two) = (recorded(note(1)), recorded(note(2)));
        f.store
            .apply_pull(&f.page(f.job.clone(), vec![one.clone(), two.clone()]))
            .unwrap();
        let mut changed = one.clone();
        changed.by_name = Some("Tina Fischer".into());
        let three = recorded(note(3));
        let mut delta = f.page(f.job.clone(), vec![changed, three.clone()]);
        delta.ops_since = vec![f.job.id];
        f.store.apply_pull(&delta).unwrap();
        let d = f.detail();
        let ids: Vec<_> = d.activity.iter().map(|a| a.op_id).collect();
        assert_eq!(
            ids,
            [one.op.op_id, two.op.op_id, three.op.op_id],
            "in order, none lost"
        );
        assert_eq!(
            d.activity[0].by.as_deref(),
            Some("Tina Fischer"),
            "replaced in place"
        );
        // A whole list (no `ops_since`) still replaces what was held.
        f.store
            .apply_pull(&f.page(f.job.clone(), vec![two.clone()]))
            .unwrap();
        assert_eq!(f.detail().activity.len(), 1);
    }
}
