//! The outbox: the ops HQ has not answered (`pending`, or `sent` without an answer yet), as
//! the technician sees them and as the push takes them. An op leaves it only when HQ's answer
//! is stored; answered ops keep their outcome so the technician can see what became of each.

use super::Store;
use super::op_state::{OpState, in_outbox};
use crate::error::{CoreError, Result};
use chrono::{DateTime, Utc};
use onsite_protocol::push::OpResult;
use onsite_protocol::{Change, Hlc, Op, OpId, Reason};
use onsite_sqlite::parsed;
use rusqlite::params;
use serde::{Deserialize, Serialize};

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

impl Store {
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
            concat!("SELECT count(*) FROM ops WHERE ", in_outbox!()),
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
            concat!(
                "SELECT count(*) FILTER (WHERE ",
                in_outbox!(),
                "), count(*) FILTER (WHERE state = 'rejected') FROM ops"
            ),
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
                "SELECT {COLUMNS} FROM ops WHERE {} ORDER BY seq",
                in_outbox!()
            ))?
            .query_map([], entry)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.extend(
            conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM ops WHERE NOT {} ORDER BY seq DESC LIMIT ?1",
                in_outbox!()
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
        let mut stmt = conn.prepare_cached(concat!(
            "SELECT seq, op_id, body FROM ops WHERE ",
            in_outbox!(),
            " ORDER BY seq LIMIT ?1"
        ))?;
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
        let tx = Store::write_tx(&mut conn)?;
        let mut kept = Vec::with_capacity(ops.len());
        {
            let mut stmt = tx.prepare_cached(concat!(
                "UPDATE ops SET state = 'sent' WHERE seq = ?1 AND ",
                in_outbox!(),
                " RETURNING seq"
            ))?;
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
        let tx = Store::write_tx(&mut conn)?;
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
            concat!(
                "DELETE FROM jobs WHERE released = 1 AND NOT EXISTS \
                 (SELECT 1 FROM ops WHERE ops.job_id = jobs.id AND ",
                in_outbox!(),
                ")"
            ),
            [],
        )? as u64;
        super::clock::observe(&tx, hq_clock)?;
        tx.commit()?;
        Ok(acked)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::*;

    #[test]
    fn answers_that_do_not_match_the_batch_change_nothing() {
        let f = fixture();
        f.record(Change::Note { text: "a".into() }).unwrap();
        let (batch, mut results) = f.answer(Outcome::Applied, None);
        results[0].op_id = Some(OpId::new());
        let err = f
            .store
            .ack(&batch, &results, hq_clock(), now())
            .unwrap_err();
        assert_eq!(err.code(), "protocol");
        assert_eq!(f.store.waiting().unwrap(), 1);
        let err = f.store.ack(&batch, &[], hq_clock(), now()).unwrap_err();
        assert_eq!(err.code(), "protocol");
    }

    #[test]
    fn a_photo_taken_back_while_a_push_is_prepared_is_not_sent() {
        let f = fixture();
        let entry = f
            .record(Change::Attachment {
                sha256: "ab".repeat(32),
                file_name: "a.jpg".into(),
                media_type: "image/jpeg".into(),
                bytes: 10,
                caption: Some("Boiler label".into()),
            })
            .unwrap();
        f.record(Change::Note { text: "x".into() }).unwrap();
        let batch = f.store.outgoing(100, 1 << 20).unwrap();
        assert_eq!(batch.len(), 2);
        f.store.withdraw(entry.op_id).unwrap();
        let sent = f.store.mark_sent(batch).unwrap();
        let ids: Vec<_> = sent.iter().map(|o| o.op_id).collect();
        assert_eq!(ids.len(), 1);
        assert_ne!(ids[0], entry.op_id);
    }

    #[test]
    fn open_conflicts_count_until_a_dispatcher_settles_them() {
        let f = fixture();
        f.record(Change::Status {
            to: JobStatus::OnSite,
        })
        .unwrap();
        let (batch, results) = f.answer(Outcome::Conflict, Some(Reason::StatusConflict));
        // The job's checklist versions are pinned first; the status is the conflict.
        let (batch, mut results) = (batch, results);
        results[0].outcome = Outcome::Applied;
        results[0].reason = None;
        f.store.ack(&batch, &results, hq_clock(), now()).unwrap();
        assert_eq!(f.store.open_conflicts().unwrap(), 1);
        let op: Op = serde_json::from_value(batch[1].body.clone()).unwrap();
        let settled = RecordedOp {
            op,
            by: "tina".into(),
            by_name: None,
            received_at: now(),
            outcome: Outcome::Conflict,
            reason: Some(Reason::StatusConflict),
            message: None,
            settled: Some(onsite_protocol::conflict::Settlement {
                resolution: onsite_protocol::Resolution::KeepHq,
                by: "dora".into(),
                by_name: Some("Dora Dispatch".into()),
                at: now(),
                note: Some("Customer cancelled".into()),
            }),
        };
        f.store
            .apply_pull(&f.page(f.job.clone(), vec![settled]))
            .unwrap();
        assert_eq!(f.store.open_conflicts().unwrap(), 0);
    }
}
