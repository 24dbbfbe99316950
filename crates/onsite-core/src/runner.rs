//! Syncs for an interactive front end: one at a time, with a state the UI can always show
//! (online or offline, running, progress, changes waiting, last success, last error), started
//! on the [`Schedule`]: at start, a few seconds after a local change, periodically, and on a
//! backoff while HQ is unreachable — with a cheap health probe before each retry.

use crate::device::Device;
use crate::error::{CoreError, ErrorReport};
use crate::schedule::{Schedule, Timing};
use crate::sync::SyncProgress;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Whether HQ answered the last time the device tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Reachability {
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
    pub connection: Reachability,
    /// Progress of the running sync.
    pub progress: Option<SyncProgress>,
    /// Why the last attempt failed; cleared by a success.
    pub last_error: Option<ErrorReport>,
    /// Start of the last successful sync (kept across restarts).
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Start of the last attempt since the app started.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Changes recorded on this device that have not reached HQ yet.
    pub waiting: u64,
    /// This device's changes HQ kept as conflicts that no dispatcher has settled yet.
    pub conflicts: u64,
}

/// What the scheduler remembers between attempts.
#[derive(Debug, Default)]
struct Attempts {
    last: Option<Instant>,
    failures: u32,
    first_change: Option<Instant>,
    seed: u64,
}

impl Attempts {
    /// xorshift64: jitter needs spread, not quality.
    fn jitter(&mut self) -> f64 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        (self.seed >> 11) as f64 / (1u64 << 53) as f64
    }
}

type Listener = Box<dyn Fn(&SyncState) + Send + Sync>;

/// Runs syncs of one [`Device`] one at a time and keeps their [`SyncState`]; every change of
/// state is passed to the listener (the desktop shell forwards it to the UI).
pub struct SyncRunner {
    device: Arc<Device>,
    state: Mutex<SyncState>,
    gate: tokio::sync::Mutex<()>,
    listener: Listener,
    attempts: Mutex<Attempts>,
    wake: tokio::sync::Notify,
}

impl SyncRunner {
    /// A runner for `device`; `listener` hears every state change. The runner hears every
    /// change recorded on the device itself, whichever front end recorded it.
    pub fn new(
        device: Arc<Device>,
        listener: impl Fn(&SyncState) + Send + Sync + 'static,
    ) -> Arc<Self> {
        let last_sync_at = device.last_sync_at().ok().flatten();
        let waiting = device.store().waiting().unwrap_or(0);
        let conflicts = device.store().open_conflicts().unwrap_or(0);
        // Different laptops must not draw the same jitter.
        let seed = device.device_id().0.as_u64_pair().0 | 1;
        Arc::new_cyclic(|me: &std::sync::Weak<Self>| {
            let me = me.clone();
            // A weak handle: the device outlives no runner because of this.
            device.on_change(move || {
                if let Some(runner) = me.upgrade() {
                    runner.changed();
                }
            });
            Self {
                device,
                state: Mutex::new(SyncState {
                    running: false,
                    connection: Reachability::Unknown,
                    progress: None,
                    last_error: None,
                    last_sync_at,
                    last_attempt_at: None,
                    waiting,
                    conflicts,
                }),
                gate: tokio::sync::Mutex::new(()),
                listener: Box::new(listener),
                attempts: Mutex::new(Attempts {
                    seed,
                    ..Attempts::default()
                }),
                wake: tokio::sync::Notify::new(),
            }
        })
    }

    fn attempts(&self) -> std::sync::MutexGuard<'_, Attempts> {
        self.attempts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The technician recorded a change (or took one back): the waiting count is refreshed
    /// and a sync follows a few seconds later.
    fn changed(&self) {
        {
            let mut a = self.attempts();
            a.first_change.get_or_insert_with(Instant::now);
        }
        let waiting = self.device.store().waiting().unwrap_or(0);
        self.update(|s| s.waiting = waiting);
        self.wake.notify_one();
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
        // This sync sends every change made so far; later ones schedule their own.
        self.attempts().first_change = None;
        let result = self
            .device
            .sync(now, &|p| self.update(|s| s.progress = Some(p)))
            .await;
        {
            let mut a = self.attempts();
            a.last = Some(Instant::now());
            match &result {
                Err(e) if e.is_offline() => a.failures += 1,
                _ => a.failures = 0,
            }
        }
        let waiting = self.device.store().waiting().unwrap_or(0);
        let conflicts = self.device.store().open_conflicts().unwrap_or(0);
        self.update(|s| {
            s.running = false;
            s.waiting = waiting;
            s.conflicts = conflicts;
            match result {
                Ok(_) => {
                    s.connection = Reachability::Online;
                    s.last_error = None;
                    s.last_sync_at = Some(now);
                }
                Err(e) => {
                    s.connection = match e {
                        CoreError::NotLoggedIn => Reachability::Unknown,
                        ref e if e.is_offline() => Reachability::Offline,
                        // HQ answered, it just refused or failed: reachable all the same.
                        _ => Reachability::Online,
                    };
                    s.last_error = Some(ErrorReport::from(e));
                }
            }
        });
        self.state()
    }

    /// Syncs on `schedule` for as long as the task lives, skipping turns while nobody is
    /// logged in. While HQ is unreachable each retry first probes `/health`, and a sync follows
    /// as soon as HQ answers. `clock` gives the current time.
    pub async fn run(self: Arc<Self>, schedule: Schedule, clock: impl Fn() -> DateTime<Utc>) {
        loop {
            let wait = {
                let mut a = self.attempts();
                let timing = Timing {
                    since_attempt: a.last.map(|l| l.elapsed()),
                    failures: a.failures,
                    since_change: a.first_change.map(|c| c.elapsed()),
                    jitter: a.jitter(),
                };
                schedule.next(&timing)
            };
            if !wait.is_zero() {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    // A local change: plan again.
                    _ = self.wake.notified() => continue,
                }
            }
            if !self.device.logged_in().unwrap_or(false) {
                self.attempts().last = Some(Instant::now());
                continue;
            }
            if self.attempts().failures > 0 && !self.probe().await {
                let now = clock();
                self.update(|s| s.last_attempt_at = Some(now));
                continue;
            }
            self.sync(clock()).await;
        }
    }

    /// Asks HQ's health endpoint whether it answers; a failure counts as a failed attempt.
    async fn probe(&self) -> bool {
        let answered = match self.device.client() {
            Ok(client) => !matches!(client.health().await, Err(e) if e.is_offline()),
            Err(_) => true,
        };
        let mut a = self.attempts();
        a.last = Some(Instant::now());
        if !answered {
            a.failures += 1;
        }
        answered
    }

    /// Forgets everything about earlier syncs, e.g. after logging out.
    pub fn reset(&self) {
        self.update(|s| {
            *s = SyncState {
                running: s.running,
                connection: Reachability::Unknown,
                progress: None,
                last_error: None,
                last_sync_at: None,
                last_attempt_at: None,
                waiting: 0,
                conflicts: 0,
            }
        });
        let mut attempts = self.attempts();
        *attempts = Attempts {
            seed: attempts.seed,
            ..Attempts::default()
        };
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
        let runner = SyncRunner::new(device.clone(), move |s| log.lock().unwrap().push(s.running));
        let now = "2026-11-23T12:00:00Z".parse().unwrap();
        let state = runner.sync(now).await;
        assert!(!state.running);
        assert_eq!(state.connection, Reachability::Unknown);
        assert_eq!(
            state.last_error.map(|e| e.code),
            Some(crate::DeviceErrorCode::NotLoggedIn)
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

    /// A change recorded through the device, by any front end, reaches the runner: no caller
    /// has to remember to tell it.
    #[test]
    fn a_change_recorded_on_the_device_is_heard_without_being_told() {
        use onsite_protocol::{Change, Customer, CustomerId, Job, JobId, Site, SiteId};
        let dir = tempfile::tempdir().unwrap();
        let device = Arc::new(Device::open(dir.path()).unwrap());
        let customer = Customer {
            id: CustomerId::new(),
            name: "Ada".into(),
            phone: None,
            email: None,
        };
        let site = Site {
            id: SiteId::new(),
            customer_id: customer.id,
            address: "1 Row".into(),
            town: None,
            access_notes: None,
        };
        let job: Job = serde_json::from_value(serde_json::json!({
            "id": JobId::new(), "number": "J-1", "kind": "repair", "priority": "normal",
            "summary": "Leak", "description": null, "customer_id": customer.id,
            "site_id": site.id, "asset_id": null, "technician": "tina", "scheduled_start": null,
            "scheduled_end": null, "sla_due": null, "status": "assigned", "version": 1,
            "updated_at": "2026-11-23T08:00:00Z"}))
        .unwrap();
        device
            .store()
            .apply_pull(&onsite_protocol::api::PullPage {
                jobs: vec![job],
                customers: vec![customer],
                sites: vec![site],
                cursor: "c".into(),
                ..Default::default()
            })
            .unwrap();
        let runner = SyncRunner::new(device.clone(), |_| {});
        assert_eq!(runner.state().waiting, 0);
        device
            .record("J-1", Change::Note { text: "x".into() }, Utc::now())
            .unwrap();
        assert_eq!(runner.state().waiting, 1);
        assert!(
            runner.attempts().first_change.is_some(),
            "a sync is due soon"
        );
    }
}
