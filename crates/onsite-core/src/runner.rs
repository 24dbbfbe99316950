//! Syncs for an interactive front end: one at a time, with a state the UI can always show
//! (online or offline, running, progress, last success, last error).

use crate::device::Device;
use crate::error::{CoreError, ErrorReport};
use crate::sync::SyncProgress;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// Whether HQ answered the last time the device tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// No sync attempted since the app started (or no one is logged in).
    Unknown,
    /// HQ answered the last attempt.
    Online,
    /// HQ could not be reached on the last attempt; the device works from its local store.
    Offline,
}

/// What the sync status display shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncState {
    /// A sync is in progress.
    pub running: bool,
    /// The result of the last attempt, as far as reaching HQ goes.
    pub connection: Connection,
    /// Progress of the running sync.
    pub progress: Option<SyncProgress>,
    /// Why the last attempt failed; cleared by a success.
    pub last_error: Option<ErrorReport>,
    /// Start of the last successful sync (kept across restarts).
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Start of the last attempt since the app started.
    pub last_attempt_at: Option<DateTime<Utc>>,
}

type Listener = Box<dyn Fn(&SyncState) + Send + Sync>;

/// Runs syncs of one [`Device`] one at a time and keeps their [`SyncState`]; every change of
/// state is passed to the listener (the desktop shell forwards it to the UI).
pub struct SyncRunner {
    device: Arc<Device>,
    state: Mutex<SyncState>,
    gate: tokio::sync::Mutex<()>,
    listener: Listener,
}

impl SyncRunner {
    /// A runner for `device`; `listener` hears every state change.
    pub fn new(device: Arc<Device>, listener: impl Fn(&SyncState) + Send + Sync + 'static) -> Self {
        let last_sync_at = device.last_sync_at().ok().flatten();
        Self {
            device,
            state: Mutex::new(SyncState {
                running: false,
                connection: Connection::Unknown,
                progress: None,
                last_error: None,
                last_sync_at,
                last_attempt_at: None,
            }),
            gate: tokio::sync::Mutex::new(()),
            listener: Box::new(listener),
        }
    }

    /// The device synced.
    pub fn device(&self) -> &Arc<Device> {
        &self.device
    }

    /// The current state.
    pub fn state(&self) -> SyncState {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SyncState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn update(&self, change: impl FnOnce(&mut SyncState)) {
        let snapshot = {
            let mut state = self.lock();
            change(&mut state);
            state.clone()
        };
        (self.listener)(&snapshot);
    }

    /// Syncs now (`now` is the current time) and returns the resulting state. A sync already
    /// running counts as this one: the caller waits for it instead of starting another.
    /// Failures are not errors here; they are in the returned state.
    pub async fn sync(&self, now: DateTime<Utc>) -> SyncState {
        let Ok(_gate) = self.gate.try_lock() else {
            drop(self.gate.lock().await);
            return self.state();
        };
        self.update(|s| {
            s.running = true;
            s.progress = None;
            s.last_attempt_at = Some(now);
        });
        let result = self
            .device
            .sync(now, &|p| self.update(|s| s.progress = Some(p)))
            .await;
        self.update(|s| {
            s.running = false;
            match result {
                Ok(_) => {
                    s.connection = Connection::Online;
                    s.last_error = None;
                    s.last_sync_at = Some(now);
                }
                Err(e) => {
                    s.connection = match e {
                        CoreError::NotLoggedIn => Connection::Unknown,
                        ref e if e.is_offline() => Connection::Offline,
                        // HQ answered, it just refused or failed: reachable all the same.
                        _ => Connection::Online,
                    };
                    s.last_error = Some(ErrorReport::from(e));
                }
            }
        });
        self.state()
    }

    /// Syncs every `every` for as long as the task lives, skipping turns while nobody is
    /// logged in. `clock` gives the current time.
    pub async fn run_periodically(
        self: Arc<Self>,
        every: std::time::Duration,
        clock: impl Fn() -> DateTime<Utc>,
    ) {
        loop {
            if self.device.logged_in().unwrap_or(false) {
                self.sync(clock()).await;
            }
            tokio::time::sleep(every).await;
        }
    }

    /// Forgets everything about earlier syncs, e.g. after logging out.
    pub fn reset(&self) {
        self.update(|s| {
            *s = SyncState {
                running: s.running,
                connection: Connection::Unknown,
                progress: None,
                last_error: None,
                last_sync_at: None,
                last_attempt_at: None,
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failed_sync_is_in_the_state_and_every_change_is_heard() {
        let dir = tempfile::tempdir().unwrap();
        let device = Arc::new(Device::open(dir.path()).unwrap());
        let heard = Arc::new(Mutex::new(Vec::new()));
        let log = heard.clone();
        let runner = SyncRunner::new(device, move |s| log.lock().unwrap().push(s.running));
        let now = "2026-11-23T12:00:00Z".parse().unwrap();
        let state = runner.sync(now).await;
        assert!(!state.running);
        assert_eq!(state.connection, Connection::Unknown);
        assert_eq!(
            state.last_error.map(|e| e.code),
            Some("not_logged_in".into())
        );
        assert_eq!(state.last_attempt_at, Some(now));
        assert_eq!(
            *heard.lock().unwrap(),
            [true, false],
            "start and end announced"
        );
        runner.reset();
        assert_eq!(runner.state().last_attempt_at, None);
    }
}
