//! A job's activity: every change recorded on site, as HQ last sent it (from any device)
//! together with this device's ops HQ has not sent back yet — the rebased view of the facts.

use super::outbox::OpState;
use super::settings::{Setting, get_in};
use crate::error::{CoreError, Result};
use chrono::{DateTime, Utc};
use onsite_protocol::push::{RecordedOp, Settlement};
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
    /// When it was recorded, by the recording device's clock.
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
                at: wall(recorded.op.hlc),
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
            "SELECT body, state, reason, message FROM ops WHERE job_id = ?1 ORDER BY seq",
        )?
        .query_map([job.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                parsed::<OpState>(r, 1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (body, state, reason, message) in local {
        let op: Op = serde_json::from_str(&body).map_err(bad)?;
        // Once HQ sent an op back with the job, its record is the word on it.
        if index.contains_key(&op.op_id) {
            continue;
        }
        entries.push((
            op.hlc,
            Activity {
                op_id: op.op_id,
                at: wall(op.hlc),
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

fn wall(hlc: onsite_protocol::Hlc) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(hlc.wall).unwrap_or_default()
}
