//! The technician's changes as ops. Recording one is a single transaction that checks it
//! against the local view, stamps it with the device's clock, appends it to `ops` and updates
//! the local view, so the job shows the change at once and a crash keeps both or neither.
//!
//! The outbox is the ops HQ has not acknowledged (`pending`, or `sent` without an answer yet).
//! An op leaves it only when HQ's answer is stored; acknowledged ops keep their outcome so the
//! technician can see what became of each change.

use super::Store;
use super::settings::{Setting, get_in, set_in};
use crate::error::{CoreError, Result};
use chrono::{DateTime, Utc};
use onsite_protocol::push::OpResult;
use onsite_protocol::{
    Actor, Change, DeviceId, Hlc, HlcClock, JobId, JobStatus, Op, OpId, OpKind, Outcome, Reason,
};
use onsite_sqlite::parsed;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

/// Where one of the technician's ops stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum OpState {
    /// Recorded here, not sent yet.
    Pending,
    /// Sent; HQ's answer has not arrived.
    Sent,
    /// HQ merged it.
    Applied,
    /// HQ kept it as a conflict for a dispatcher.
    Conflict,
    /// HQ refused it (see the reason).
    Rejected,
}

impl OpState {
    fn as_str(self) -> &'static str {
        match self {
            OpState::Pending => "pending",
            OpState::Sent => "sent",
            OpState::Applied => "applied",
            OpState::Conflict => "conflict",
            OpState::Rejected => "rejected",
        }
    }

    /// Whether the op is still in the outbox.
    pub fn waiting(self) -> bool {
        matches!(self, OpState::Pending | OpState::Sent)
    }
}

impl std::str::FromStr for OpState {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "pending" => OpState::Pending,
            "sent" => OpState::Sent,
            "applied" => OpState::Applied,
            "conflict" => OpState::Conflict,
            "rejected" => OpState::Rejected,
            other => return Err(CoreError::Store(format!("unknown op state {other:?}"))),
        })
    }
}

impl std::fmt::Display for OpState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One of the technician's ops, as the outbox list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutboxEntry {
    /// The op's id.
    pub op_id: OpId,
    /// The job it concerns.
    pub job_number: String,
    /// What it changes.
    pub change: Change,
    /// Where it stands.
    pub state: OpState,
    /// HQ's reason, for conflicts, rejections and superseded corrections.
    pub reason: Option<Reason>,
    /// HQ's words.
    pub message: Option<String>,
    /// When it was recorded (this device's clock).
    pub created_at: DateTime<Utc>,
    /// When HQ's answer was stored.
    pub acked_at: Option<DateTime<Utc>>,
}

/// The outbox and the recent outcomes, for the sync panel and `onsite outbox`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Outbox {
    /// Ops waiting to reach HQ.
    pub waiting: u64,
    /// Ops HQ kept as conflicts that no dispatcher has settled yet.
    pub conflicts: u64,
    /// Ops HQ refused.
    pub rejected: u64,
    /// Every waiting op, oldest first, then the most recently answered ones, newest first.
    pub ops: Vec<OutboxEntry>,
}

/// An op ready to push.
#[derive(Clone, Debug)]
pub struct OutgoingOp {
    /// Local order.
    pub seq: i64,
    /// The op id.
    pub op_id: OpId,
    /// The op as JSON, exactly as recorded.
    pub body: serde_json::Value,
    /// For an attachment, the content it needs at HQ first.
    pub sha256: Option<String>,
}

/// What storing HQ's answers did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Acked {
    /// Ops HQ merged.
    pub applied: u64,
    /// Ops kept as conflicts.
    pub conflicts: u64,
    /// Ops refused.
    pub rejected: u64,
    /// Read-only jobs dropped because nothing of theirs is waiting any more.
    pub released: u64,
}

/// Where an op stands once HQ has answered it (a duplicate is whatever it was first).
impl From<Outcome> for OpState {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Applied | Outcome::Duplicate => OpState::Applied,
            Outcome::Conflict => OpState::Conflict,
            Outcome::Rejected => OpState::Rejected,
        }
    }
}

/// The device's clock, continuing from the last stamp issued or seen.
pub(super) fn clock(tx: &rusqlite::Connection) -> Result<HlcClock> {
    let node: DeviceId = get_in(tx, Setting::DeviceId)?
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| CoreError::Store("the device has no id".into()))?;
    let last = get_in(tx, Setting::Hlc)?.and_then(|h| h.parse().ok());
    Ok(HlcClock::new(node, last))
}

/// Takes in a stamp from HQ, so the device's next stamps sort after it.
pub(super) fn observe(tx: &rusqlite::Connection, remote: Hlc) -> Result<()> {
    if get_in(tx, Setting::DeviceId)?.is_none() {
        // A store not opened through a device issues no stamps; nothing to keep in step.
        return Ok(());
    }
    let mut clock = clock(tx)?;
    // Observing needs no physical time: the clock only moves up to the remote stamp.
    clock.observe(remote, 0);
    set_in(tx, Setting::Hlc, Some(&clock.last().to_string()))?;
    Ok(())
}

struct LocalJob {
    id: JobId,
    status: JobStatus,
    released: bool,
    asset_id: Option<uuid::Uuid>,
}

fn local_job(tx: &Transaction<'_>, number: &str) -> Result<LocalJob> {
    tx.prepare_cached("SELECT id, status, released, asset_id FROM jobs WHERE number = ?1")?
        .query_row([number], |r| {
            Ok(LocalJob {
                id: JobId(r.get(0)?),
                status: parsed(r, 1)?,
                released: r.get(2)?,
                asset_id: r.get(3)?,
            })
        })
        .optional()?
        .ok_or_else(|| CoreError::UnknownJob(number.to_string()))
}

/// Writes a status or correction onto the local view of `job_id` (the effect of one op).
pub(super) fn project(tx: &rusqlite::Connection, job_id: JobId, change: &Change) -> Result<()> {
    match change {
        Change::Status { to } => {
            tx.prepare_cached("UPDATE jobs SET status = ?2 WHERE id = ?1")?
                .execute(params![job_id.0, to.as_str()])?;
        }
        Change::ContactPhone { phone } => {
            tx.prepare_cached(
                "UPDATE customers SET phone = ?2 WHERE id = (SELECT customer_id FROM jobs WHERE id = ?1)",
            )?
            .execute(params![job_id.0, phone.trim()])?;
        }
        Change::AssetSerial { serial } => {
            tx.prepare_cached(
                "UPDATE assets SET serial = ?2 WHERE id = (SELECT asset_id FROM jobs WHERE id = ?1)",
            )?
            .execute(params![job_id.0, serial.trim()])?;
        }
        Change::Note { .. }
        | Change::Attachment { .. }
        | Change::WorkStarted { .. }
        | Change::WorkStopped { .. } => {}
    }
    Ok(())
}

/// Re-applies every waiting op, in order, on top of what HQ sent: the local view is HQ's state
/// plus the changes HQ has not acknowledged. Ops only set values, so replaying ops already
/// in the view changes nothing.
pub(super) fn replay_waiting(tx: &rusqlite::Connection) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT job_id, body FROM ops WHERE state IN ('pending', 'sent') \
         AND kind IN ('status', 'contact_phone', 'asset_serial') ORDER BY seq",
    )?;
    let waiting = stmt
        .query_map([], |r| Ok((JobId(r.get(0)?), r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (job_id, body) in waiting {
        let op: Op =
            serde_json::from_str(&body).map_err(|e| CoreError::Store(format!("stored op: {e}")))?;
        project(tx, job_id, &op.change)?;
    }
    Ok(())
}

/// Whether work on the job is running.
fn working(tx: &Transaction<'_>, job: JobId) -> Result<bool> {
    Ok(super::activity::working(&super::activity::of_job(tx, job)?))
}

/// Checks a change against the local view of the job, as HQ would.
fn check(tx: &Transaction<'_>, number: &str, job: &LocalJob, change: &Change) -> Result<()> {
    if job.released {
        return Err(CoreError::JobReadOnly(number.to_string()));
    }
    change
        .validate()
        .map_err(|e| CoreError::InvalidInput(e.message))?;
    match change {
        Change::Status { to } => job
            .status
            .transition(*to, Actor::Technician)
            .map_err(|e| CoreError::InvalidTransition(format!("job {number}: {e}"))),
        Change::AssetSerial { .. } if job.asset_id.is_none() => Err(CoreError::InvalidInput(
            format!("job {number} has no product whose serial could be corrected"),
        )),
        Change::WorkStarted { .. } if job.status.is_closed() => Err(CoreError::JobClosed {
            number: number.to_string(),
            status: job.status,
        }),
        Change::WorkStarted { .. } if working(tx, job.id)? => Err(CoreError::InvalidInput(
            format!("work on job {number} is already started"),
        )),
        Change::WorkStopped { .. } if !working(tx, job.id)? => Err(CoreError::InvalidInput(
            format!("work on job {number} is not started"),
        )),
        _ => Ok(()),
    }
}

/// Conflicts of this device's ops that no dispatcher has settled (a settlement arrives with
/// the job's ops from HQ).
fn open_conflicts(conn: &rusqlite::Connection) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM ops o WHERE o.state = 'conflict' AND NOT EXISTS \
         (SELECT 1 FROM job_ops j WHERE j.op_id = o.op_id \
          AND json_extract(j.body, '$.settled') IS NOT NULL)",
        [],
        |r| r.get(0),
    )?)
}

/// Stamps `change` with the device's clock, appends it to the outbox and writes its effect on
/// the local view, inside `tx`.
fn append(
    tx: &Transaction<'_>,
    job: &LocalJob,
    number: &str,
    change: Change,
    device: DeviceId,
    now: DateTime<Utc>,
) -> Result<Op> {
    let mut clock = clock(tx)?;
    let hlc = clock.tick(now.timestamp_millis());
    set_in(tx, Setting::Hlc, Some(&hlc.to_string()))?;
    let op = Op {
        op_id: OpId::new(),
        device_id: device,
        job_id: job.id,
        hlc,
        change,
    };
    let body = serde_json::to_string(&op).map_err(|e| CoreError::Store(e.to_string()))?;
    tx.prepare_cached(
        "INSERT INTO ops (op_id, job_id, job_number, kind, hlc, body, created_at, state) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending')",
    )?
    .execute(params![
        op.op_id.0,
        job.id.0,
        number,
        op.change.kind().as_str(),
        hlc.to_string(),
        body,
        now
    ])?;
    if let Change::Attachment {
        sha256,
        media_type,
        bytes,
        ..
    } = &op.change
    {
        tx.prepare_cached(
            "INSERT INTO attachments (sha256, bytes, media_type) VALUES (?1, ?2, ?3) \
             ON CONFLICT (sha256) DO NOTHING",
        )?
        .execute(params![sha256, bytes, media_type])?;
    }
    project(tx, job.id, &op.change)?;
    Ok(op)
}

impl Store {
    /// Records `change` to job `number` as a new op from `device` at `now`: checked against
    /// the local view (the same rules HQ applies), stamped, appended to the outbox and shown in
    /// the local view, in one transaction. An attachment's content must already be in the data
    /// folder under its hash. Completing a job while work time runs records the stop first.
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`], [`CoreError::JobReadOnly`], [`CoreError::InvalidInput`],
    /// [`CoreError::InvalidTransition`], [`CoreError::JobClosed`] (work started on a closed
    /// job), [`CoreError::Store`].
    pub fn record(
        &self,
        number: &str,
        change: Change,
        device: DeviceId,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        let number = number.trim();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let job = local_job(&tx, number)?;
        check(&tx, number, &job, &change)?;
        // A completed job takes no more time on site: a running timer stops as it completes,
        // recorded as a stop of its own so the time worked is exact.
        if matches!(change, Change::Status { to } if to.is_closed()) && working(&tx, job.id)? {
            append(
                &tx,
                &job,
                number,
                Change::WorkStopped { at: now },
                device,
                now,
            )?;
        }
        let op = append(&tx, &job, number, change, device, now)?;
        tx.commit()?;
        Ok(OutboxEntry {
            op_id: op.op_id,
            job_number: number.to_string(),
            change: op.change,
            state: OpState::Pending,
            reason: None,
            message: None,
            created_at: now,
            acked_at: None,
        })
    }

    /// Takes back a photo or document that has not left the device yet: its op leaves the
    /// outbox as if it had never been recorded. Returns the hash of content nothing else on
    /// the device refers to any more, for the caller to delete.
    ///
    /// # Errors
    /// [`CoreError::AlreadySent`] once the op is on its way to HQ (or answered), or
    /// [`CoreError::InvalidInput`] when no such attachment was recorded here.
    pub fn withdraw(&self, op_id: OpId) -> Result<Option<String>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let found: Option<(String, String, String)> = tx
            .prepare_cached("SELECT kind, state, body FROM ops WHERE op_id = ?1")?
            .query_row([op_id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((kind, state, body)) = found else {
            return Err(CoreError::InvalidInput(
                "no such change recorded on this laptop".into(),
            ));
        };
        if kind != OpKind::Attachment.as_str() {
            return Err(CoreError::InvalidInput(
                "only photos and documents can be taken back".into(),
            ));
        }
        if state != OpState::Pending.as_str() {
            return Err(CoreError::AlreadySent);
        }
        let op: Op =
            serde_json::from_str(&body).map_err(|e| CoreError::Store(format!("stored op: {e}")))?;
        let Change::Attachment { sha256, .. } = op.change else {
            return Err(CoreError::Store("attachment op without content".into()));
        };
        tx.prepare_cached("DELETE FROM ops WHERE op_id = ?1")?
            .execute([op_id.0])?;
        // The same picture may be attached twice, or already be at HQ on another job.
        let referenced: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM ops WHERE kind = 'attachment' \
                   AND json_extract(body, '$.sha256') = ?1) \
                 OR EXISTS (SELECT 1 FROM job_ops WHERE json_extract(body, '$.sha256') = ?1)",
            )?
            .query_row([&sha256], |r| r.get(0))?;
        let unused = if referenced {
            None
        } else {
            tx.prepare_cached("DELETE FROM attachments WHERE sha256 = ?1")?
                .execute([&sha256])?;
            Some(sha256)
        };
        tx.commit()?;
        Ok(unused)
    }

    /// How many of this device's changes HQ kept as conflicts that no dispatcher has settled.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn open_conflicts(&self) -> Result<u64> {
        open_conflicts(&self.conn())
    }

    /// How many ops wait to reach HQ.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn waiting(&self) -> Result<u64> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM ops WHERE state IN ('pending', 'sent')",
            [],
            |r| r.get(0),
        )?)
    }

    /// The outbox and up to `recent` answered ops.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn outbox(&self, recent: u32) -> Result<Outbox> {
        let conn = self.conn();
        let (waiting, rejected) = conn.query_row(
            "SELECT count(*) FILTER (WHERE state IN ('pending', 'sent')), \
             count(*) FILTER (WHERE state = 'rejected') FROM ops",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let conflicts = open_conflicts(&conn)?;
        const COLUMNS: &str =
            "op_id, job_number, body, state, reason, message, created_at, acked_at";
        let entry = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(OutboxEntry, String)> {
            Ok((
                OutboxEntry {
                    op_id: OpId(r.get(0)?),
                    job_number: r.get(1)?,
                    change: Change::Note {
                        text: String::new(),
                    },
                    state: parsed(r, 3)?,
                    reason: r.get::<_, Option<String>>(4)?.and_then(|x| x.parse().ok()),
                    message: r.get(5)?,
                    created_at: r.get(6)?,
                    acked_at: r.get(7)?,
                },
                r.get(2)?,
            ))
        };
        let mut rows = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM ops WHERE state IN ('pending', 'sent') ORDER BY seq"
            ))?
            .query_map([], entry)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.extend(
            conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM ops WHERE state NOT IN ('pending', 'sent') \
                 ORDER BY seq DESC LIMIT ?1"
            ))?
            .query_map([recent], entry)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        );
        let ops = rows
            .into_iter()
            .map(|(mut e, body)| {
                let op: Op = serde_json::from_str(&body)
                    .map_err(|err| CoreError::Store(format!("stored op: {err}")))?;
                e.change = op.change;
                Ok(e)
            })
            .collect::<Result<_>>()?;
        Ok(Outbox {
            waiting,
            conflicts,
            rejected,
            ops,
        })
    }

    /// The next ops to push, in order: at most `max_ops`, and no more than `max_bytes` of JSON
    /// (at least one op, whatever its size).
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn outgoing(&self, max_ops: usize, max_bytes: usize) -> Result<Vec<OutgoingOp>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, op_id, body FROM ops WHERE state IN ('pending', 'sent') ORDER BY seq LIMIT ?1",
        )?;
        let rows = stmt.query_map([max_ops as i64], |r| {
            Ok((r.get::<_, i64>(0)?, OpId(r.get(1)?), r.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        let mut bytes = 0;
        for row in rows {
            let (seq, op_id, body) = row?;
            bytes += body.len();
            if bytes > max_bytes && !out.is_empty() {
                break;
            }
            let value: serde_json::Value = serde_json::from_str(&body)
                .map_err(|e| CoreError::Store(format!("stored op: {e}")))?;
            let sha256 = (value.get("kind").and_then(|k| k.as_str()) == Some("attachment"))
                .then(|| {
                    value
                        .get("sha256")
                        .and_then(|s| s.as_str())
                        .map(str::to_string)
                })
                .flatten();
            out.push(OutgoingOp {
                seq,
                op_id,
                body: value,
                sha256,
            });
        }
        Ok(out)
    }

    /// Marks ops as sent (their push is on its way) and returns those still in the outbox, in
    /// order: an attachment the technician took back since `ops` was read is not sent.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn mark_sent(&self, ops: Vec<OutgoingOp>) -> Result<Vec<OutgoingOp>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut kept = Vec::with_capacity(ops.len());
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE ops SET state = 'sent' WHERE seq = ?1 AND state IN ('pending', 'sent') \
                 RETURNING seq",
            )?;
            for op in ops {
                if stmt.exists([op.seq])? {
                    kept.push(op);
                }
            }
        }
        tx.commit()?;
        Ok(kept)
    }

    /// Stores HQ's answers to a push of `ops` (same order), takes in HQ's clock, and drops
    /// read-only jobs that no longer wait on anything. One transaction: after a crash either
    /// every answer is stored or none, and a resend gets `duplicate` answers.
    ///
    /// # Errors
    /// [`CoreError::Protocol`] when the answers do not match the ops (nothing is stored), or
    /// [`CoreError::Store`].
    pub fn ack(
        &self,
        ops: &[OutgoingOp],
        results: &[OpResult],
        hq_clock: Hlc,
        now: DateTime<Utc>,
    ) -> Result<Acked> {
        if ops.len() != results.len()
            || ops
                .iter()
                .zip(results)
                .any(|(o, r)| r.op_id != Some(o.op_id))
        {
            return Err(CoreError::Protocol(
                "HQ's answers do not match the ops sent".into(),
            ));
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut acked = Acked::default();
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE ops SET state = ?2, reason = ?3, message = ?4, acked_at = ?5 WHERE seq = ?1",
            )?;
            for (op, result) in ops.iter().zip(results) {
                let state = OpState::from(result.settled());
                match state {
                    OpState::Conflict => acked.conflicts += 1,
                    OpState::Rejected => acked.rejected += 1,
                    _ => acked.applied += 1,
                }
                stmt.execute(params![
                    op.seq,
                    state.as_str(),
                    result.reason.map(Reason::as_str),
                    result.message,
                    now
                ])?;
            }
        }
        acked.released = tx.execute(
            "DELETE FROM jobs WHERE released = 1 AND NOT EXISTS \
             (SELECT 1 FROM ops WHERE ops.job_id = jobs.id AND state IN ('pending', 'sent'))",
            [],
        )? as u64;
        observe(&tx, hq_clock)?;
        tx.commit()?;
        Ok(acked)
    }

    /// Attachments whose content HQ does not hold yet, in the order they were captured.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn uploads(&self) -> Result<Vec<(String, u64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT sha256, bytes FROM attachments WHERE uploaded_at IS NULL ORDER BY rowid",
        )?;
        Ok(stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Notes that HQ holds the whole content of `sha256`.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn mark_uploaded(&self, sha256: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE attachments SET uploaded_at = ?2 WHERE sha256 = ?1")?
            .execute(params![sha256, now])?;
        Ok(())
    }

    /// Forgets ops HQ answered before `before`; waiting ops are never touched. HQ keeps every
    /// op, and sends a held job's ops with the job, so the job's activity stays complete.
    /// Returns how many were forgotten.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn forget_answered(&self, before: DateTime<Utc>) -> Result<u64> {
        Ok(self
            .conn()
            .prepare_cached(
                "DELETE FROM ops WHERE state NOT IN ('pending', 'sent') AND acked_at < ?1",
            )?
            .execute([before])? as u64)
    }

    /// Forgets every op and attachment record (after the technician chose to discard them).
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn discard_ops(&self) -> Result<()> {
        self.conn()
            .execute_batch("DELETE FROM ops; DELETE FROM attachments;")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
