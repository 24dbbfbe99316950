//! Recording pushed ops: each is read, ordered and judged by HQ's rules (`crate::rules`), its
//! effect carried out, and the op stored with its outcome — all of a push in one transaction,
//! so HQ answers only once the whole batch is durable, and a replay finds every op already
//! there.

use super::corrections::{self, Loser, Target};
use super::feed::{bump, held};
use super::recorded::{RECORDED_COLUMNS, name_people, recorded};
use super::rows::{self, parsed};
use super::users;
use crate::rules::batch::{self, FirstSeen, Replay};
use crate::rules::clock::{self as clock_rule, Stamping};
use crate::rules::feed;
use crate::rules::merge::{self, Effect, Facts, JobFacts};
use crate::storage::{BlobSizes, Pusher, Result, StorageError, page_is_full};
use chrono::{DateTime, Utc};
use onsite_protocol::conflict::ConflictView;
use onsite_protocol::push::{JobOps, OpResult, PushResponse};
use onsite_protocol::received::{ReceivedOp, ReceivedOps};
use onsite_protocol::{
    Change, DeviceId, Hlc, HlcClock, Job, JobId, Op, OpId, OpRejection, Outcome, Reason, Resolution,
};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;

pub fn push(
    tx: &Transaction<'_>,
    pusher: &Pusher,
    raw: &[Value],
    blobs: &BlobSizes,
    now: DateTime<Utc>,
) -> Result<PushResponse> {
    let mut clock = super::clock::load(tx)?;
    let before: i64 = tx
        .prepare_cached("SELECT coalesce(max(seq), 0) FROM ops")?
        .query_row([], rows::one)?;
    let parsed: Vec<std::result::Result<Op, OpRejection>> = raw.iter().map(batch::parse).collect();
    let mut results: Vec<Option<OpResult>> = vec![None; raw.len()];
    for i in batch::order(&parsed) {
        results[i] = Some(judge_one(
            tx, &mut clock, pusher, &raw[i], &parsed[i], blobs, now,
        )?);
    }
    super::clock::save(tx, &clock)?;
    super::feed::mark_ops_changed(tx, super::feed::OpsChanged::RecordedAfter(before))?;
    Ok(PushResponse {
        results: results
            .into_iter()
            .map(|r| r.expect("every op was judged"))
            .collect(),
        hlc: clock.last(),
    })
}

struct Recorded {
    outcome: Outcome,
    reason: Option<Reason>,
    message: Option<String>,
}

impl Recorded {
    fn result(self, op_id: Option<OpId>) -> OpResult {
        OpResult {
            op_id,
            outcome: self.outcome,
            first: None,
            reason: self.reason,
            message: self.message,
        }
    }
}

fn judge_one(
    tx: &Transaction<'_>,
    clock: &mut HlcClock,
    pusher: &Pusher,
    raw: &Value,
    reading: &std::result::Result<Op, OpRejection>,
    blobs: &BlobSizes,
    now: DateTime<Utc>,
) -> Result<OpResult> {
    let mut op_id = reading
        .as_ref()
        .ok()
        .map(|o| o.op_id)
        .or_else(|| batch::raw_field(raw, "op_id"));
    if let Some(id) = op_id {
        let first = tx
            .prepare_cached("SELECT device_id, outcome, reason, message FROM ops WHERE op_id = ?1")?
            .query_row([id.0], |r| {
                Ok(FirstSeen {
                    device: DeviceId(r.get(0)?),
                    outcome: parsed(r, 1)?,
                    reason: r.get::<_, Option<String>>(2)?.and_then(|x| x.parse().ok()),
                    message: r.get(3)?,
                })
            })
            .optional()?;
        match batch::replay(id, first, pusher.device_id) {
            Replay::New => {}
            Replay::Duplicate(answer) => return Ok(answer),
            Replay::Reused(rejection) => {
                // Recorded without the id, which stays the first op's.
                let stamp = clock.tick(now.timestamp_millis());
                let recorded = record_rejection(tx, pusher, None, raw, stamp, &rejection, now)?;
                return Ok(recorded.result(Some(id)));
            }
        }
    }
    let op = match reading {
        Ok(op) => op,
        Err(rejection) => {
            let stamp = clock.tick(now.timestamp_millis());
            let recorded = record_rejection(tx, pusher, op_id.take(), raw, stamp, rejection, now)?;
            return Ok(recorded.result(op_id.or_else(|| batch::raw_field(raw, "op_id"))));
        }
    };
    let (op, stamp, clamped) = match clock_rule::stamping(op.hlc, now) {
        Stamping::AsSent => (
            op.clone(),
            clock.observe(op.hlc, now.timestamp_millis()),
            None,
        ),
        Stamping::Clamped { ahead } => {
            // Observing the device's stamp would drag HQ's clock, and every device that
            // pulls from it, to the device's wrong time: HQ stamps the op itself instead.
            let stamp = clock.tick(now.timestamp_millis());
            let hlc = Hlc {
                node: op.hlc.node,
                ..stamp
            };
            flag_clock(tx, pusher, op.hlc, ahead, now)?;
            (Op { hlc, ..op.clone() }, stamp, Some(ahead))
        }
    };
    let op = &Op {
        recorded_at: op.recorded_at.filter(|at| clock_rule::believable(*at, now)),
        ..op
    };
    let job = rows::job_by_id(tx, op.job_id)?;
    let created_at: Option<DateTime<Utc>> = tx
        .prepare_cached("SELECT created_at FROM jobs WHERE id = ?1")?
        .query_row([op.job_id.0], |r| r.get(0))
        .optional()?;
    let held_by_caller = held(tx, &pusher.username, op.job_id)?;
    let register = match job.as_ref().and_then(|j| Target::of(j, &op.change)) {
        Some((target, _)) => corrections::register(tx, target)?,
        None => None,
    };
    let content = op
        .change
        .content()
        .into_iter()
        .filter_map(|named| Some((named.sha256.clone(), *blobs.get(&named.sha256)?)))
        .collect();
    let visit = match &job {
        Some(j) => super::visit::facts(tx, j, &op.change)?,
        None => merge::VisitFacts::None,
    };
    let judgement = merge::judge(
        op,
        &Facts {
            caller: &pusher.username,
            device: pusher.device_id,
            job: job.as_ref().map(|j| JobFacts {
                status: j.status,
                technician: j.technician.clone(),
                has_asset: j.asset_id.is_some(),
                created_at: created_at.unwrap_or(j.updated_at),
            }),
            held_by_caller,
            register,
            content,
            now,
            visit,
        },
    );
    if let Some(job) = &job {
        carry_out(tx, job, op, &judgement.effect, &pusher.username, now)?;
        if judgement.outcome == Outcome::Applied {
            super::feedback::on_applied(tx, job, op, &pusher.username, now)?;
        }
    }
    let message = match clamped {
        Some(ahead) => Some(
            [
                Some(format!(
                    "This laptop's clock is {} ahead of HQ's, so HQ stamped this change with \
                     its own time; set the laptop's date and time right.",
                    clock_rule::describe(ahead)
                )),
                judgement.message,
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
        ),
        None => judgement.message,
    };
    let recorded = Recorded {
        outcome: judgement.outcome,
        reason: judgement.reason,
        message,
    };
    // The op as HQ read it, not as sent: fields HQ does not know are not kept, and a clamped
    // stamp is the one every device receives.
    let body = serde_json::to_value(op).map_err(|e| StorageError::Backend(e.to_string()))?;
    insert(
        tx,
        pusher,
        &Entry {
            op_id: Some(op.op_id),
            job_id: Some(op.job_id),
            hlc: Some(op.hlc),
            body: &body,
            hq_hlc: stamp,
            recorded: &recorded,
        },
        now,
    )?;
    // An op never changes who holds the job, so `job` still says who that is.
    if let Some(job) = job {
        let holder = job.technician.as_deref();
        for technician in
            feed::on_recorded_op(recorded.outcome, holder, &pusher.username, held_by_caller)
        {
            bump(tx, technician, job.id)?;
        }
    }
    Ok(recorded.result(Some(op.op_id)))
}

fn record_rejection(
    tx: &Transaction<'_>,
    pusher: &Pusher,
    op_id: Option<OpId>,
    raw: &Value,
    stamp: Hlc,
    rejection: &OpRejection,
    now: DateTime<Utc>,
) -> Result<Recorded> {
    let recorded = Recorded {
        outcome: Outcome::Rejected,
        reason: Some(rejection.reason),
        message: Some(rejection.message.clone()),
    };
    insert(
        tx,
        pusher,
        &Entry {
            op_id,
            job_id: batch::raw_field(raw, "job_id").map(JobId),
            hlc: batch::raw_field(raw, "hlc"),
            body: &kept(raw),
            hq_hlc: stamp,
            recorded: &recorded,
        },
        now,
    )?;
    Ok(recorded)
}

/// One received op as it is stored: what could be read of it, and what became of it.
struct Entry<'a> {
    op_id: Option<OpId>,
    job_id: Option<JobId>,
    hlc: Option<Hlc>,
    body: &'a Value,
    hq_hlc: Hlc,
    recorded: &'a Recorded,
}

fn insert(
    tx: &Transaction<'_>,
    pusher: &Pusher,
    entry: &Entry<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO ops (op_id, device_id, username, job_id, hlc, body, received_at, hq_hlc, \
         outcome, reason, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        entry.op_id.map(|o| o.0),
        pusher.device_id.0,
        pusher.username,
        entry.job_id.map(|j| j.0),
        entry.hlc.map(|h| h.to_string()),
        entry.body.to_string(),
        now,
        entry.hq_hlc.to_string(),
        entry.recorded.outcome.as_str(),
        entry.recorded.reason.map(Reason::as_str),
        entry.recorded.message,
    ])?;
    Ok(())
}

/// Most of a rejected op's text HQ keeps. A rejected op is kept for the record (what a device
/// sent, and why it was refused); a megabyte of junk is kept as its start and its size.
pub const MAX_KEPT_REJECTED: usize = 4096;

/// What HQ stores of a rejected op: the op as sent when it is small, else its start and size.
fn kept(raw: &Value) -> Value {
    let text = raw.to_string();
    if text.len() <= MAX_KEPT_REJECTED {
        return raw.clone();
    }
    let mut end = MAX_KEPT_REJECTED;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    serde_json::json!({"truncated": true, "bytes": text.len(), "start": &text[..end]})
}

/// Remembers that `pusher`'s device sent a stamp far ahead of HQ's time, for the people who
/// look after the fleet (`onsite-hq session list`).
fn flag_clock(
    tx: &Transaction<'_>,
    pusher: &Pusher,
    stamp: Hlc,
    ahead: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<()> {
    tracing::warn!(
        device = %pusher.device_id,
        user = %pusher.username,
        ahead_hours = ahead.num_hours(),
        "a device's clock is far ahead of HQ's; its stamps are replaced by HQ's"
    );
    tx.prepare_cached(
        "INSERT INTO device_clocks (device_id, username, stamp, ahead_ms, seen_at, count) \
         VALUES (?1, ?2, ?3, ?4, ?5, 1) ON CONFLICT (device_id) DO UPDATE SET \
         username = excluded.username, stamp = excluded.stamp, ahead_ms = excluded.ahead_ms, \
         seen_at = excluded.seen_at, count = count + 1",
    )?
    .execute(params![
        pusher.device_id.0,
        pusher.username,
        stamp.to_string(),
        ahead.num_milliseconds(),
        now
    ])?;
    Ok(())
}

/// Changes HQ's state as the judgement says.
fn carry_out(
    tx: &Transaction<'_>,
    job: &Job,
    op: &Op,
    effect: &Effect,
    by: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    match effect {
        Effect::Record => {}
        Effect::SetStatus(to) => {
            let mut moved = job.clone();
            moved.status = *to;
            super::jobs::save(tx, job.clone(), moved, "status", Some(by.to_string()), now)?;
        }
        Effect::Correct(value) => {
            if let Some((target, _)) = Target::of(job, &op.change) {
                corrections::set(tx, target, value, op.hlc, now)?;
            }
        }
        Effect::Stock { sku, qty, serial } => {
            super::visit::stock(tx, by, job.id, (sku, *qty, serial.as_deref()), now)?;
        }
        Effect::KeepAsLoser => {
            if let Some((target, value)) = Target::of(job, &op.change) {
                let loser = Loser {
                    value: Some(value.trim()),
                    hlc: Some(op.hlc),
                    by: Some(by),
                    op_id: Some(op.op_id),
                };
                corrections::keep_loser(tx, target, &loser, now)?;
            }
        }
    }
    Ok(())
}

pub fn job_ops(tx: &Transaction<'_>, id: JobId, after: Option<i64>, limit: u32) -> Result<JobOps> {
    let job = rows::job_by_id(tx, id)?.ok_or(StorageError::NotFound("job"))?;
    let (ops, next) = super::recorded::page_of_job(tx, id, after, limit)?;
    Ok(JobOps {
        ops,
        replaced: match after {
            None => corrections::history(tx, &job)?,
            Some(_) => Vec::new(),
        },
        next,
    })
}

pub fn conflicts(tx: &Transaction<'_>, all: bool) -> Result<Vec<ConflictView>> {
    conflict_views(tx, all, None)
}

/// Conflicts, oldest first: open ones or `all`, and only `only` when given.
fn conflict_views(
    tx: &Transaction<'_>,
    all: bool,
    only: Option<OpId>,
) -> Result<Vec<ConflictView>> {
    let sql = format!(
        "SELECT j.number, j.status, j.technician, {} FROM ops o JOIN jobs j ON j.id = o.job_id \
         WHERE o.outcome = 'conflict' AND (?1 OR o.resolution IS NULL) \
         AND (?2 IS NULL OR o.op_id = ?2) ORDER BY o.seq",
        RECORDED_COLUMNS
            .split(", ")
            .map(|c| format!("o.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![all, only.map(|o| o.0)], |r| {
        Ok(recorded(r, 3)?.map(|op| (r.get(0), parsed(r, 1), r.get(2), op)))
    })?;
    let mut out = Vec::new();
    for row in rows {
        if let Some((number, status, technician, mut op)) = row? {
            name_people(tx, &mut op)?;
            out.push(ConflictView {
                op,
                job_number: number?,
                job_status: status?,
                technician: technician?,
            });
        }
    }
    Ok(out)
}

pub fn resolve(
    tx: &Transaction<'_>,
    op_id: OpId,
    resolution: Resolution,
    note: Option<&str>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<ConflictView> {
    crate::job_input::validate_settlement_note(note).map_err(StorageError::Invalid)?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let sql = format!("SELECT {RECORDED_COLUMNS} FROM ops WHERE op_id = ?1");
    let op = tx
        .prepare_cached(&sql)?
        .query_row([op_id.0], |r| recorded(r, 0))
        .optional()?
        .flatten()
        .filter(|o| o.outcome == Outcome::Conflict)
        .ok_or(StorageError::NotFound("conflict"))?;
    if let Some(s) = &op.settled {
        return Err(StorageError::Conflict(format!(
            "this conflict was already settled by {} ({})",
            s.by, s.resolution
        )));
    }
    let job = rows::job_by_id(tx, op.op.job_id)?.ok_or(StorageError::NotFound("job"))?;
    if resolution == Resolution::AcceptDevice
        && let Change::Status { to } = op.op.change
    {
        // The dispatcher overrides the state machine: that is what settling the conflict means.
        let mut moved = job.clone();
        moved.status = to;
        let name = |u: &str| -> Result<String> {
            Ok(users::display_name(tx, u)?.unwrap_or_else(|| u.to_string()))
        };
        let detail = format!("{} accepted {}'s change", name(by)?, name(&op.by)?);
        super::jobs::save(tx, job.clone(), moved, "settled", Some(detail), now)?;
    }
    if resolution == Resolution::AcceptDevice
        && let Some((target, value)) = Target::of(&job, &op.op.change)
    {
        // The dispatcher's decision is the latest word on the value: HQ's clock stamps it.
        let stamp = super::clock::tick(tx, now)?;
        corrections::set(tx, target, value.trim(), stamp, now)?;
    }
    tx.prepare_cached(
        "UPDATE ops SET resolution = ?2, resolved_by = ?3, resolved_at = ?4, resolution_note = ?5 \
         WHERE op_id = ?1",
    )?
    .execute(params![op_id.0, resolution.as_str(), by, now, note])?;
    let current = rows::job_by_id(tx, job.id)?.unwrap_or(job);
    for technician in feed::on_settlement(current.technician.as_deref(), &op.by) {
        if held(tx, technician, current.id)? {
            bump(tx, technician, current.id)?;
        }
    }
    super::feed::mark_ops_changed(tx, super::feed::OpsChanged::Settled(op_id))?;
    conflict_views(tx, true, Some(op_id))?
        .pop()
        .ok_or(StorageError::NotFound("conflict"))
}

pub fn received(tx: &Transaction<'_>, after: Option<i64>, limit: u32) -> Result<ReceivedOps> {
    let mut stmt = tx.prepare_cached(
        "SELECT seq, op_id, device_id, username, job_id, hlc, hq_hlc, received_at, outcome, \
         reason, body FROM ops WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after.unwrap_or(0), i64::from(limit) + 1], |r| {
        let body: String = r.get(10)?;
        Ok((
            body.len(),
            ReceivedOp {
                seq: r.get(0)?,
                op_id: r.get::<_, Option<uuid::Uuid>>(1)?.map(OpId),
                device_id: DeviceId(r.get(2)?),
                username: r.get(3)?,
                job_id: r.get::<_, Option<uuid::Uuid>>(4)?.map(JobId),
                hlc: r.get::<_, Option<String>>(5)?.and_then(|h| h.parse().ok()),
                hq_hlc: r.get::<_, String>(6)?.parse().ok(),
                received_at: r.get(7)?,
                outcome: parsed(r, 8)?,
                reason: r.get::<_, Option<String>>(9)?.and_then(|x| x.parse().ok()),
                body: serde_json::from_str(&body).unwrap_or(Value::Null),
            },
        ))
    })?;
    let mut ops = Vec::new();
    let mut bytes = 0;
    let mut more = false;
    for row in rows {
        let (size, op) = row?;
        if page_is_full(ops.len(), bytes, size, limit) {
            more = true;
            break;
        }
        bytes += size;
        ops.push(op);
    }
    let next = more
        .then(|| ops.last().map(|o: &ReceivedOp| o.seq))
        .flatten();
    Ok(ReceivedOps { ops, next })
}
