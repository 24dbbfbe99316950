//! `GET /events`: a server-sent event stream that tells an open console something it shows has
//! changed — a laptop's push, a dispatcher's edit — so it fetches again without a reload.
//!
//! Each process looks at storage's change mark a few times a second rather than being told by
//! the code that writes: every process of an HQ sharing one database sees every write, and no
//! write path can forget to announce itself. One watcher per process looks for all its open
//! streams ([`MarkWatch`]), so what live consoles cost the database does not grow with how
//! many are open. Streams are bounded in number and in life; the browser's `EventSource`
//! reconnects by itself (and so is checked again) when one ends.

use super::AppState;
use crate::auth::Dispatcher;
use crate::error::AppError;
use crate::storage::{ChangeMark, Storage, StorageError};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// How often a stream looks for changes: the most a change waits before the board hears of it.
pub const POLL: Duration = Duration::from_millis(250);
/// How long one stream lives before the browser must reconnect (and show its session again).
pub const MAX_LIFE: Duration = Duration::from_secs(300);
/// How many streams HQ serves at once; more are answered `503 busy`.
pub const MAX_STREAMS: usize = 200;

fn event(name: &'static str, mark: &ChangeMark) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event(name)
        .retry(Duration::from_secs(2))
        .data(format!("{{\"jobs\":{},\"ops\":{}}}", mark.jobs, mark.ops)))
}

/// The latest change mark, read once every [`POLL`] by one task while any stream listens,
/// and the task gone when none does.
#[derive(Default)]
pub struct MarkWatch {
    sender: Mutex<Option<Arc<watch::Sender<ChangeMark>>>>,
}

impl MarkWatch {
    /// A receiver of the latest mark; starts the watcher when none runs.
    ///
    /// # Errors
    /// When the first mark cannot be read.
    pub async fn subscribe(
        self: &Arc<Self>,
        storage: &Arc<dyn Storage>,
    ) -> Result<watch::Receiver<ChangeMark>, StorageError> {
        if let Some(sender) = self.lock().as_ref() {
            // Under the lock, so the watcher cannot decide it has no listeners meanwhile.
            return Ok(sender.subscribe());
        }
        let first = storage.change_mark().await?;
        let mut held = self.lock();
        if let Some(sender) = held.as_ref() {
            return Ok(sender.subscribe());
        }
        let (sender, receiver) = watch::channel(first);
        let sender = Arc::new(sender);
        *held = Some(sender.clone());
        drop(held);
        tokio::spawn(self.clone().watch(storage.clone(), sender));
        Ok(receiver)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<watch::Sender<ChangeMark>>>> {
        self.sender.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn watch(
        self: Arc<Self>,
        storage: Arc<dyn Storage>,
        sender: Arc<watch::Sender<ChangeMark>>,
    ) {
        loop {
            tokio::time::sleep(POLL).await;
            {
                let mut held = self.lock();
                if sender.receiver_count() == 0 {
                    *held = None;
                    return;
                }
            }
            match storage.change_mark().await {
                Ok(mark) => {
                    sender.send_if_modified(|seen| {
                        let changed = *seen != mark;
                        *seen = mark;
                        changed
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "live updates: reading the change mark failed")
                }
            }
        }
    }
}

pub async fn events(
    State(state): State<AppState>,
    _: Dispatcher,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let permit = state
        .event_streams
        .clone()
        .try_acquire_owned()
        .map_err(|_| AppError::busy("too many live boards are open; try again shortly", 5))?;
    let mut marks = state.marks.subscribe(&state.storage).await?;
    let first = *marks.borrow_and_update();
    let ends = tokio::time::Instant::now() + MAX_LIFE;
    // `ready` first, so the page knows it is live; then one `change` per change seen.
    let stream = futures_util::stream::unfold(
        (marks, first, true, permit),
        move |(mut marks, last, ready, permit)| async move {
            if ready {
                return Some((event("ready", &last), (marks, last, false, permit)));
            }
            match tokio::time::timeout_at(ends, marks.changed()).await {
                Ok(Ok(())) => {
                    let mark = *marks.borrow_and_update();
                    Some((event("change", &mark), (marks, mark, false, permit)))
                }
                // The stream's life is over, or the watcher stopped: the browser reconnects.
                _ => None,
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sqlite::SqliteStorage;

    async fn storage() -> (Arc<dyn Storage>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let storage = SqliteStorage::open(&dir.path().join("hq.db")).unwrap();
        (Arc::new(storage), dir)
    }

    async fn a_change(storage: &Arc<dyn Storage>, number: &str) {
        let input = serde_json::from_value(serde_json::json!({
            "number": number, "kind": "repair", "summary": "Leak",
            "customer": {"name": "Ada"}, "site": {"address": "1 Row"}}))
        .unwrap();
        storage
            .create_job(&input, chrono::Utc::now())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn every_stream_hears_a_change_from_one_watcher_which_stops_when_none_listens() {
        let (storage, _dir) = storage().await;
        let marks = Arc::new(MarkWatch::default());
        let mut first = marks.subscribe(&storage).await.unwrap();
        let mut second = marks.subscribe(&storage).await.unwrap();
        let running = marks.lock().clone().expect("a watcher runs");
        assert_eq!(running.receiver_count(), 2, "both streams on one watcher");

        a_change(&storage, "J-1").await;
        for receiver in [&mut first, &mut second] {
            tokio::time::timeout(POLL * 8, receiver.changed())
                .await
                .expect("the change is heard within a few looks")
                .unwrap();
            assert!(receiver.borrow_and_update().jobs > 0);
        }
        drop((first, second));
        tokio::time::sleep(POLL * 3).await;
        assert!(marks.lock().is_none(), "no listener, no watcher");

        // The next stream starts a new one, from the mark as it is now.
        let third = marks.subscribe(&storage).await.unwrap();
        assert_eq!(*third.borrow(), storage.change_mark().await.unwrap());
    }
}
