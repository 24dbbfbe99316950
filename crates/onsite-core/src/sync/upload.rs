//! Uploading attachment content before the ops that name it. For each attachment HQ lacks,
//! ask HQ how much it holds (`HEAD`), then send the rest in chunks; a cut connection, a killed
//! app or a restarted HQ costs at most the chunk that was in flight.

use super::{Channel, SyncPhase, SyncProgress, SyncReport};
use crate::attachments::content_path;
use crate::error::{CoreError, Result};
use onsite_protocol::blob::MAX_CHUNK;
use std::io::SeekFrom;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

#[tracing::instrument(name = "upload", skip_all)]
pub(super) async fn run(
    channel: &mut Channel<'_>,
    report: &mut SyncReport,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<()> {
    let store = channel.engine.store.clone();
    let pending = store.uploads()?;
    let total: u64 = pending.iter().map(|(_, bytes)| bytes).sum();
    let mut done = 0;
    for (sha256, bytes) in pending {
        progress(SyncProgress {
            phase: SyncPhase::Uploading,
            done,
            total: Some(total),
        });
        let path = content_path(&channel.engine.data_dir, &sha256);
        if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
            // The content is gone from this device; HQ will refuse the op, and the technician
            // sees that instead of a sync stuck on it forever.
            tracing::warn!(%sha256, "attachment content missing from the data folder");
            continue;
        }
        send(channel, report, &sha256, bytes, &path, &mut |sent| {
            progress(SyncProgress {
                phase: SyncPhase::Uploading,
                done: done + sent,
                total: Some(total),
            })
        })
        .await?;
        done += bytes;
        store.mark_uploaded(&sha256, channel.now)?;
        report.uploaded += 1;
    }
    tracing::info!(
        attachments = report.uploaded,
        bytes = report.uploaded_bytes,
        "uploaded"
    );
    Ok(())
}

/// Sends what HQ lacks of one attachment until HQ holds it in full.
async fn send(
    channel: &mut Channel<'_>,
    report: &mut SyncReport,
    sha256: &str,
    total: u64,
    path: &std::path::Path,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<()> {
    let io = |source| CoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = tokio::fs::File::open(path).await.map_err(io)?;
    // A gap answer (HQ lost bytes, say it was restored) sends us back to asking; bounded so a
    // confused HQ cannot keep the sync here.
    for _ in 0..3 {
        let held = loop {
            match channel.client.blob_state(&channel.token, sha256).await {
                Ok(held) => break held,
                Err(e) => channel.recover(e).await?,
            }
        };
        let mut offset = held.received;
        if held.complete {
            return Ok(());
        }
        file.seek(SeekFrom::Start(offset)).await.map_err(io)?;
        loop {
            let len = (total - offset).min(MAX_CHUNK as u64) as usize;
            let mut chunk = vec![0u8; len];
            file.read_exact(&mut chunk).await.map_err(io)?;
            let answer = channel
                .client
                .blob_put(&channel.token, sha256, offset, total, chunk)
                .await;
            report.uploaded_bytes += len as u64;
            match answer {
                Ok(status) if status.complete => return Ok(()),
                Ok(status) => {
                    offset = status.received;
                    progress(offset);
                    file.seek(SeekFrom::Start(offset)).await.map_err(io)?;
                }
                Err(CoreError::Hq { code, .. }) if code == "conflict" => break,
                Err(e) => {
                    channel.recover(e).await?;
                    break;
                }
            }
        }
    }
    Err(CoreError::Protocol(format!(
        "HQ kept refusing the content of attachment {sha256}"
    )))
}
