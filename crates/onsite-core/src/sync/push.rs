//! Pushing the outbox: batches in recording order; HQ's answers are stored with the batch's ops
//! in one transaction, and only then do the ops leave the outbox. A lost answer means the same
//! batch is sent again, and HQ answers `duplicate` with each op's first outcome.

use super::{Channel, SyncPhase, SyncProgress, SyncReport};
use crate::error::Result;
use onsite_protocol::push::MAX_PUSH_OPS;

/// Most JSON in one push, leaving room under HQ's 1 MiB body limit.
pub const MAX_PUSH_BYTES: usize = 768 * 1024;

#[tracing::instrument(name = "push", skip_all)]
pub(super) async fn run(
    channel: &mut Channel<'_>,
    report: &mut SyncReport,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<()> {
    let store = channel.engine.store.clone();
    let total = store.waiting()?;
    let mut done = 0;
    loop {
        let batch = store.outgoing(MAX_PUSH_OPS, MAX_PUSH_BYTES)?;
        if batch.is_empty() {
            tracing::info!(
                batches = report.batches,
                applied = report.applied,
                conflicts = report.conflicts,
                rejected = report.rejected,
                "pushed"
            );
            return Ok(());
        }
        progress(SyncProgress {
            phase: SyncPhase::Pushing,
            done,
            total: Some(total.max(done + batch.len() as u64)),
        });
        let batch = store.mark_sent(batch)?;
        if batch.is_empty() {
            continue;
        }
        let bodies: Vec<_> = batch.iter().map(|op| op.body.clone()).collect();
        let answer = loop {
            match channel.client.push(&channel.token, bodies.clone()).await {
                Ok(answer) => break answer,
                Err(e) => channel.recover(e).await?,
            }
        };
        report.batches += 1;
        let (s, now) = (store.clone(), channel.now);
        let acked =
            tokio::task::spawn_blocking(move || s.ack(&batch, &answer.results, answer.hlc, now))
                .await
                .map_err(|e| crate::CoreError::Store(e.to_string()))??;
        report.applied += acked.applied;
        report.conflicts += acked.conflicts;
        report.rejected += acked.rejected;
        done += acked.applied + acked.conflicts + acked.rejected;
    }
}
