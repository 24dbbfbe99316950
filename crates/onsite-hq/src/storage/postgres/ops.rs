//! Recording pushed ops (the embedded engine's `ops.rs`, on PostgreSQL): each is read, ordered
//! and judged by HQ's rules (`crate::rules`), its effect carried out, and the op stored with its
//! outcome — all of a push in one transaction, so HQ answers only once the whole batch is
//! durable, and a replay finds every op already there. Writers run one at a time (see
//! `mod.rs`), so an op id is looked up and recorded with no other writer in between, whichever
//! HQ process the two pushes reached (and `ops.op_id` is unique besides).

use super::corrections::{self, Loser, Target};
use super::feed::{bump, held};
use super::job_rows;
use super::recorded::{RECORDED_COLUMNS, name_people, recorded};
use super::rows::{get, parsed};
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
use serde_json::Value;
use tokio_postgres::{Row, Transaction};

pub async fn push(
    tx: &Transaction<'_>,
    pusher: &Pusher,
    raw: &[Value],
    blobs: &BlobSizes,
    now: DateTime<Utc>,
) -> Result<PushResponse> {
    let mut clock = super::clock::load(tx).await?;
    // Every op this push records takes a position above this one: positions only grow.
    let before: i64 = get(
        &tx.query_one("SELECT coalesce(max(seq), 0)::bigint FROM ops", &[])
            .await?,
        0,
    )?;
    let parsed: Vec<std::result::Result<Op, OpRejection>> = raw.iter().map(batch::parse).collect();
    let mut results: Vec<Option<OpResult>> = vec![None; raw.len()];
    for i in batch::order(&parsed) {
        results[i] =
            Some(judge_one(tx, &mut clock, pusher, &raw[i], &parsed[i], blobs, now).await?);
    }
    super::clock::save(tx, &clock).await?;
    super::feed::mark_ops_changed(tx, super::feed::OpsChanged::RecordedAfter(before)).await?;
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

/// What HQ recorded first under `id`, if anything.
async fn first_seen(tx: &Transaction<'_>, id: OpId) -> Result<Option<FirstSeen>> {
    tx.query_opt(
        "SELECT device_id, outcome, reason, message FROM ops WHERE op_id = $1",
        &[&id.0],
    )
    .await?
    .map(|r| {
        Ok(FirstSeen {
            device: DeviceId(get(&r, 0)?),
            outcome: parsed(&r, 1)?,
            reason: get::<Option<String>>(&r, 2)?.and_then(|x| x.parse().ok()),
            message: get(&r, 3)?,
        })
    })
    .transpose()
}

async fn judge_one(
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
        let first = first_seen(tx, id).await?;
        match batch::replay(id, first, pusher.device_id) {
            Replay::New => {}
            Replay::Duplicate(answer) => return Ok(answer),
            Replay::Reused(rejection) => {
                // Recorded without the id, which stays the first op's.
                let stamp = clock.tick(now.timestamp_millis());
                let recorded =
                    record_rejection(tx, pusher, None, raw, stamp, &rejection, now).await?;
                return Ok(recorded.result(Some(id)));
            }
        }
    }
    let op = match reading {
        Ok(op) => op,
        Err(rejection) => {
            let stamp = clock.tick(now.timestamp_millis());
            let recorded =
                record_rejection(tx, pusher, op_id.take(), raw, stamp, rejection, now).await?;
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
            flag_clock(tx, pusher, op.hlc, ahead, now).await?;
            (Op { hlc, ..op.clone() }, stamp, Some(ahead))
        }
    };
    let op = &Op {
        recorded_at: op.recorded_at.filter(|at| clock_rule::believable(*at, now)),
        ..op
    };
    let job = job_rows::job_by_id(tx, op.job_id).await?;
    let created_at: Option<DateTime<Utc>> = tx
        .query_opt("SELECT created_at FROM jobs WHERE id = $1", &[&op.job_id.0])
        .await?
        .map(|r| get(&r, 0))
        .transpose()?;
    let held_by_caller = held(tx, &pusher.username, op.job_id).await?;
    let register = match job.as_ref().and_then(|j| Target::of(j, &op.change)) {
        Some((target, _)) => corrections::register(tx, target).await?,
        None => None,
    };
    let content = op
        .change
        .content()
        .into_iter()
        .filter_map(|named| Some((named.sha256.clone(), *blobs.get(&named.sha256)?)))
        .collect();
    let visit = match &job {
        Some(j) => super::visit::facts(tx, j, &op.change).await?,
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
        carry_out(tx, job, op, &judgement.effect, &pusher.username, now).await?;
        if judgement.outcome == Outcome::Applied {
            super::feedback::on_applied(tx, job, op, &pusher.username, now).await?;
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
    )
    .await?;
    // An op never changes who holds the job, so `job` still says who that is.
    if let Some(job) = job {
        let holder = job.technician.as_deref();
        for technician in
            feed::on_recorded_op(recorded.outcome, holder, &pusher.username, held_by_caller)
        {
            bump(tx, technician, job.id).await?;
        }
    }
    Ok(recorded.result(Some(op.op_id)))
}

async fn record_rejection(
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
    )
    .await?;
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

/// Stores `entry` at a fresh position: `ops.seq` is the receive order devices and the
/// console page by, so it comes from the one position counter, in commit order.
async fn insert(
    tx: &Transaction<'_>,
    pusher: &Pusher,
    entry: &Entry<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    let seq = super::feed::take_positions(tx, 1).await?;
    tx.execute(
        "INSERT INTO ops (seq, op_id, device_id, username, job_id, hlc, body, received_at, \
         hq_hlc, outcome, reason, message) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        &[
            &seq,
            &entry.op_id.map(|o| o.0),
            &pusher.device_id.0,
            &pusher.username,
            &entry.job_id.map(|j| j.0),
            &entry.hlc.map(|h| h.to_string()),
            &entry.body.to_string(),
            &now,
            &entry.hq_hlc.to_string(),
            &entry.recorded.outcome.as_str(),
            &entry.recorded.reason.map(Reason::as_str),
            &entry.recorded.message,
        ],
    )
    .await?;
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
async fn flag_clock(
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
    tx.execute(
        "INSERT INTO device_clocks (device_id, username, stamp, ahead_ms, seen_at, count) \
         VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (device_id) DO UPDATE SET \
         username = excluded.username, stamp = excluded.stamp, ahead_ms = excluded.ahead_ms, \
         seen_at = excluded.seen_at, count = device_clocks.count + 1",
        &[
            &pusher.device_id.0,
            &pusher.username,
            &stamp.to_string(),
            &ahead.num_milliseconds(),
            &now,
        ],
    )
    .await?;
    Ok(())
}

/// Changes HQ's state as the judgement says.
async fn carry_out(
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
            super::jobs::save(tx, job.clone(), moved, "status", Some(by.to_string()), now).await?;
        }
        Effect::Correct(value) => {
            if let Some((target, _)) = Target::of(job, &op.change) {
                corrections::set(tx, target, value, op.hlc, now).await?;
            }
        }
        Effect::Stock { sku, qty, serial } => {
            super::visit::stock(tx, by, job.id, (sku, *qty, serial.as_deref()), now).await?;
        }
        Effect::KeepAsLoser => {
            if let Some((target, value)) = Target::of(job, &op.change) {
                let loser = Loser {
                    value: Some(value.trim()),
                    hlc: Some(op.hlc),
                    by: Some(by),
                    op_id: Some(op.op_id),
                };
                corrections::keep_loser(tx, target, &loser, now).await?;
            }
        }
    }
    Ok(())
}

pub async fn job_ops(
    tx: &Transaction<'_>,
    id: JobId,
    after: Option<i64>,
    limit: u32,
) -> Result<JobOps> {
    let job = job_rows::job_by_id(tx, id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    let (ops, next) = super::recorded::page_of_job(tx, id, after, limit).await?;
    Ok(JobOps {
        ops,
        replaced: match after {
            None => corrections::history(tx, &job).await?,
            Some(_) => Vec::new(),
        },
        next,
    })
}

pub async fn conflicts(tx: &Transaction<'_>, all: bool) -> Result<Vec<ConflictView>> {
    conflict_views(tx, all, None).await
}

/// Conflicts, oldest first: open ones or `all`, and only `only` when given.
async fn conflict_views(
    tx: &Transaction<'_>,
    all: bool,
    only: Option<OpId>,
) -> Result<Vec<ConflictView>> {
    let sql = format!(
        "SELECT j.number, j.status, j.technician, {} FROM ops o JOIN jobs j ON j.id = o.job_id \
         WHERE o.outcome = 'conflict' AND ($1 OR o.resolution IS NULL) \
         AND ($2::uuid IS NULL OR o.op_id = $2) ORDER BY o.seq",
        RECORDED_COLUMNS
            .split(", ")
            .map(|c| format!("o.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let rows = tx.query(&sql, &[&all, &only.map(|o| o.0)]).await?;
    let mut out = Vec::new();
    for row in &rows {
        if let Some(mut op) = recorded(row, 3)? {
            name_people(tx, &mut op).await?;
            out.push(ConflictView {
                op,
                job_number: get(row, 0)?,
                job_status: parsed(row, 1)?,
                technician: get(row, 2)?,
            });
        }
    }
    Ok(out)
}

pub async fn resolve(
    tx: &Transaction<'_>,
    op_id: OpId,
    resolution: Resolution,
    note: Option<&str>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<ConflictView> {
    crate::job_input::validate_settlement_note(note).map_err(StorageError::Invalid)?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let sql = format!("SELECT {RECORDED_COLUMNS} FROM ops WHERE op_id = $1");
    let op = tx
        .query_opt(&sql, &[&op_id.0])
        .await?
        .map(|r| recorded(&r, 0))
        .transpose()?
        .flatten()
        .filter(|o| o.outcome == Outcome::Conflict)
        .ok_or(StorageError::NotFound("conflict"))?;
    if let Some(s) = &op.settled {
        return Err(StorageError::Conflict(format!(
            "this conflict was already settled by {} ({})",
            s.by, s.resolution
        )));
    }
    let job = job_rows::job_by_id(tx, op.op.job_id)
        .await?
        .ok_or(StorageError::NotFound("job"))?;
    if resolution == Resolution::AcceptDevice
        && let Change::Status { to } = op.op.change
    {
        // The dispatcher overrides the state machine: that is what settling the conflict means.
        let mut moved = job.clone();
        moved.status = to;
        let settler = users::display_name(tx, by)
            .await?
            .unwrap_or_else(|| by.to_string());
        let sender = users::display_name(tx, &op.by)
            .await?
            .unwrap_or_else(|| op.by.clone());
        let detail = format!("{settler} accepted {sender}'s change");
        super::jobs::save(tx, job.clone(), moved, "settled", Some(detail), now).await?;
    }
    if resolution == Resolution::AcceptDevice
        && let Some((target, value)) = Target::of(&job, &op.op.change)
    {
        // The dispatcher's decision is the latest word on the value: HQ's clock stamps it.
        let stamp = super::clock::tick(tx, now).await?;
        corrections::set(tx, target, value.trim(), stamp, now).await?;
    }
    tx.execute(
        "UPDATE ops SET resolution = $2, resolved_by = $3, resolved_at = $4, resolution_note = $5 \
         WHERE op_id = $1",
        &[&op_id.0, &resolution.as_str(), &by, &now, &note],
    )
    .await?;
    let current = job_rows::job_by_id(tx, job.id).await?.unwrap_or(job);
    for technician in feed::on_settlement(current.technician.as_deref(), &op.by) {
        if held(tx, technician, current.id).await? {
            bump(tx, technician, current.id).await?;
        }
    }
    super::feed::mark_ops_changed(tx, super::feed::OpsChanged::Settled(op_id)).await?;
    conflict_views(tx, true, Some(op_id))
        .await?
        .pop()
        .ok_or(StorageError::NotFound("conflict"))
}

/// One row of [`received`], and the size of its body.
fn received_op(r: &Row) -> Result<(usize, ReceivedOp)> {
    let body: &str = get(r, 10)?;
    Ok((
        body.len(),
        ReceivedOp {
            seq: get(r, 0)?,
            op_id: get::<Option<uuid::Uuid>>(r, 1)?.map(OpId),
            device_id: DeviceId(get(r, 2)?),
            username: get(r, 3)?,
            job_id: get::<Option<uuid::Uuid>>(r, 4)?.map(JobId),
            hlc: get::<Option<String>>(r, 5)?.and_then(|h| h.parse().ok()),
            hq_hlc: get::<&str>(r, 6)?.parse().ok(),
            received_at: get(r, 7)?,
            outcome: parsed(r, 8)?,
            reason: get::<Option<String>>(r, 9)?.and_then(|x| x.parse().ok()),
            body: serde_json::from_str(body).unwrap_or(Value::Null),
        },
    ))
}

pub async fn received(tx: &Transaction<'_>, after: Option<i64>, limit: u32) -> Result<ReceivedOps> {
    let rows = tx
        .query(
            "SELECT seq, op_id, device_id, username, job_id, hlc, hq_hlc, received_at, outcome, \
             reason, body FROM ops WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&after.unwrap_or(0), &(i64::from(limit) + 1)],
        )
        .await?;
    let mut ops = Vec::new();
    let mut bytes = 0;
    let mut more = false;
    for row in &rows {
        let (size, op) = received_op(row)?;
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
