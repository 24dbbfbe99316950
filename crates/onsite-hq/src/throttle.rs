//! Slowing down password guessing without handing anyone a way to lock a real user out.
//!
//! Failed logins are counted in three windows of [`WINDOW`]: per address, per (username,
//! address), and per username across all addresses. An attempt is counted *before* its
//! password is checked, so guesses sent at once cannot slip past the limit while the first are
//! still being checked; a success takes its count back. A username whose fleet-wide limit is
//! reached still admits devices that have logged in as that user before: an attacker who
//! floods the dispatcher's name from elsewhere does not lock the dispatcher out.
//!
//! One HQ process on its own counts in memory ([`LoginThrottle`]): a restart forgets, which is
//! acceptable for a throttle. Several processes on one database count in it
//! ([`Throttle::Shared`]), so a guesser cannot multiply the limits by the number of processes
//! behind the address devices use.

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// How long failures are remembered.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failed logins for one username from one address within the window.
pub const PER_USER_AND_ADDRESS: u32 = 5;
/// Failed logins from one address within the window, whatever the usernames (an office
/// behind one address has several people who mistype).
pub const PER_ADDRESS: u32 = 30;
/// Failed logins for one username from all addresses within the window, except from devices
/// that have logged in as that user before.
pub const PER_USER: u32 = 50;
/// Most entries each window map holds: bounded even when every guess names a new username
/// from a new address. The oldest go first.
pub const MAX_ENTRIES: usize = 100_000;

/// Which limit refused an attempt, and until when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    /// When the window that refused it ends.
    pub until: DateTime<Utc>,
    /// Which limit.
    pub limit: Limit,
}

/// The three limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Too many failures from this address.
    Address,
    /// Too many failures for this username from this address.
    UserAndAddress,
    /// Too many failures for this username from everywhere.
    User,
}

impl Refused {
    /// Whole seconds until the window ends (at least one): the `Retry-After` value.
    pub fn retry_after(&self, now: DateTime<Utc>) -> u64 {
        u64::try_from((self.until - now).num_seconds())
            .unwrap_or(0)
            .max(1)
    }
}

/// A reserved attempt: counted as a failure until [`LoginThrottle::succeeded`] takes it back.
#[derive(Debug)]
#[must_use = "an attempt stays counted as a failure unless it succeeded"]
pub struct Attempt {
    username: String,
    address: Option<IpAddr>,
    counted_for_user: bool,
}

#[derive(Clone, Copy, Debug)]
struct Window {
    started: DateTime<Utc>,
    count: u32,
}

#[derive(Default)]
struct Windows<K> {
    map: HashMap<K, Window>,
}

impl<K: std::hash::Hash + Eq + Clone> Windows<K> {
    fn count(&self, key: &K, now: DateTime<Utc>) -> (u32, DateTime<Utc>) {
        match self.map.get(key) {
            Some(w) if now < w.started + WINDOW => (w.count, w.started + WINDOW),
            _ => (0, now + WINDOW),
        }
    }

    fn add(&mut self, key: &K, now: DateTime<Utc>) {
        if self.map.len() >= MAX_ENTRIES && !self.map.contains_key(key) {
            self.map.retain(|_, w| now < w.started + WINDOW);
            if self.map.len() >= MAX_ENTRIES
                && let Some(oldest) = self
                    .map
                    .iter()
                    .min_by_key(|(_, w)| w.started)
                    .map(|(k, _)| k.clone())
            {
                self.map.remove(&oldest);
            }
        }
        let w = self.map.entry(key.clone()).or_insert(Window {
            started: now,
            count: 0,
        });
        if now >= w.started + WINDOW {
            *w = Window {
                started: now,
                count: 0,
            };
        }
        w.count += 1;
    }

    fn take_back(&mut self, key: &K) {
        if let Some(w) = self.map.get_mut(key) {
            w.count = w.count.saturating_sub(1);
        }
    }
}

/// Counts of failed logins.
#[derive(Default)]
pub struct LoginThrottle {
    windows: Mutex<State>,
}

#[derive(Default)]
struct State {
    address: Windows<Option<IpAddr>>,
    pair: Windows<(String, Option<IpAddr>)>,
    user: Windows<String>,
}

impl LoginThrottle {
    /// Reserves an attempt to log in as `username` from `address` at `now`, counting it as a
    /// failure until it succeeds. `known_device` says the device has logged in as this user
    /// before: the username's fleet-wide limit does not apply to it. `address` is `None` when
    /// unknown (requests built in-process); those share one count.
    ///
    /// # Errors
    /// [`Refused`] naming the limit reached and when its window ends.
    pub fn reserve(
        &self,
        username: &str,
        address: Option<IpAddr>,
        known_device: bool,
        now: DateTime<Utc>,
    ) -> Result<Attempt, Refused> {
        let mut s = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let pair = (username.to_string(), address);
        let user = username.to_string();
        let checks = [
            (s.address.count(&address, now), PER_ADDRESS, Limit::Address),
            (
                s.pair.count(&pair, now),
                PER_USER_AND_ADDRESS,
                Limit::UserAndAddress,
            ),
        ];
        for ((count, until), max, limit) in checks {
            if count >= max {
                return Err(Refused { until, limit });
            }
        }
        let (count, until) = s.user.count(&user, now);
        if count >= PER_USER && !known_device {
            return Err(Refused {
                until,
                limit: Limit::User,
            });
        }
        s.address.add(&address, now);
        s.pair.add(&pair, now);
        // A known device's attempts do not count against the username fleet-wide: the real
        // user mistyping must not help an attacker lock the name.
        let counted_for_user = !known_device;
        if counted_for_user {
            s.user.add(&user, now);
        }
        Ok(Attempt {
            username: user,
            address,
            counted_for_user,
        })
    }

    /// The attempt's password was right: its count is taken back, and the username's
    /// failures from that address are forgotten.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut s = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        s.address.take_back(&attempt.address);
        s.pair
            .map
            .remove(&(attempt.username.clone(), attempt.address));
        if attempt.counted_for_user {
            s.user.take_back(&attempt.username);
        }
    }

    /// The attempt never reached a password check (HQ was busy): it does not count.
    pub fn withdrawn(&self, attempt: Attempt) {
        let mut s = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        s.address.take_back(&attempt.address);
        s.pair
            .take_back(&(attempt.username.clone(), attempt.address));
        if attempt.counted_for_user {
            s.user.take_back(&attempt.username);
        }
    }
}

/// The login throttle of an HQ: in this process's memory, or in the storage every process
/// of the HQ shares.
pub enum Throttle {
    /// One process.
    Local(LoginThrottle),
    /// Several processes on one database.
    Shared(std::sync::Arc<dyn crate::storage::Storage>),
}

impl Default for Throttle {
    fn default() -> Self {
        Self::Local(LoginThrottle::default())
    }
}

/// The storage keys of an attempt's three counts: the address, the username at the address,
/// the username. JSON, so no username can make one key look like another.
fn keys(username: &str, address: Option<IpAddr>) -> [String; 3] {
    let json = |v: serde_json::Value| v.to_string();
    [
        json(serde_json::json!(["address", address])),
        json(serde_json::json!(["pair", username, address])),
        json(serde_json::json!(["user", username])),
    ]
}

impl Throttle {
    /// As [`LoginThrottle::reserve`], counted where this HQ counts.
    ///
    /// # Errors
    /// The outer error when shared storage fails; the inner one as for
    /// [`LoginThrottle::reserve`].
    pub async fn reserve(
        &self,
        username: &str,
        address: Option<IpAddr>,
        known_device: bool,
        now: DateTime<Utc>,
    ) -> Result<Result<Attempt, Refused>, crate::storage::StorageError> {
        let storage = match self {
            Self::Local(t) => return Ok(t.reserve(username, address, known_device, now)),
            Self::Shared(storage) => storage,
        };
        let [address_key, pair_key, user_key] = keys(username, address);
        let mut check = vec![
            (address_key.clone(), PER_ADDRESS),
            (pair_key.clone(), PER_USER_AND_ADDRESS),
        ];
        let mut count = vec![address_key, pair_key];
        // A known device neither meets the username's fleet-wide limit nor adds to it.
        let counted_for_user = !known_device;
        if counted_for_user {
            check.push((user_key.clone(), PER_USER));
            count.push(user_key);
        }
        let limits = [Limit::Address, Limit::UserAndAddress, Limit::User];
        Ok(
            match storage.reserve_login(&check, &count, WINDOW, now).await? {
                Some((i, until)) => Err(Refused {
                    until,
                    limit: limits[i],
                }),
                None => Ok(Attempt {
                    username: username.to_string(),
                    address,
                    counted_for_user,
                }),
            },
        )
    }

    /// As [`LoginThrottle::succeeded`].
    pub async fn succeeded(&self, attempt: Attempt) {
        match self {
            Self::Local(t) => t.succeeded(attempt),
            Self::Shared(storage) => {
                let [address_key, pair_key, user_key] = keys(&attempt.username, attempt.address);
                let mut back = vec![address_key];
                if attempt.counted_for_user {
                    back.push(user_key);
                }
                if let Err(e) = storage.release_login(&back, &[pair_key]).await {
                    tracing::warn!(error = %e, "login throttle: taking back a success failed");
                }
            }
        }
    }

    /// As [`LoginThrottle::withdrawn`].
    pub async fn withdrawn(&self, attempt: Attempt) {
        match self {
            Self::Local(t) => t.withdrawn(attempt),
            Self::Shared(storage) => {
                let [address_key, pair_key, user_key] = keys(&attempt.username, attempt.address);
                let mut back = vec![address_key, pair_key];
                if attempt.counted_for_user {
                    back.push(user_key);
                }
                if let Err(e) = storage.release_login(&back, &[]).await {
                    tracing::warn!(error = %e, "login throttle: withdrawing an attempt failed");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-01T10:00:00Z".parse().unwrap()
    }

    fn ip(n: u8) -> Option<IpAddr> {
        Some(IpAddr::from([10, 0, 0, n]))
    }

    #[test]
    fn five_failures_from_one_address_stop_that_address_for_that_user() {
        let t = LoginThrottle::default();
        for _ in 0..PER_USER_AND_ADDRESS {
            let _failed = t.reserve("dana", ip(1), false, now()).unwrap();
        }
        let refused = t.reserve("dana", ip(1), false, now()).unwrap_err();
        assert_eq!(refused.limit, Limit::UserAndAddress);
        assert_eq!(refused.until, now() + WINDOW);
        assert_eq!(refused.retry_after(now()), 900);
        // The same user from elsewhere, and another user from there, are not stopped.
        assert!(t.reserve("dana", ip(2), false, now()).is_ok());
        assert!(t.reserve("tina", ip(1), false, now()).is_ok());
        // The window passes.
        assert!(t.reserve("dana", ip(1), false, now() + WINDOW).is_ok());
    }

    /// Attempts are counted when reserved: guesses sent at once, still being checked, count.
    #[test]
    fn attempts_in_flight_count_before_their_check() {
        let t = LoginThrottle::default();
        let in_flight: Vec<_> = (0..PER_USER_AND_ADDRESS)
            .map(|_| t.reserve("dana", ip(1), false, now()).unwrap())
            .collect();
        assert!(t.reserve("dana", ip(1), false, now()).is_err());
        let mut in_flight = in_flight.into_iter();
        t.succeeded(in_flight.next().unwrap());
        assert!(
            t.reserve("dana", ip(1), false, now()).is_ok(),
            "a success forgets that address's failures for the user"
        );
    }

    #[test]
    fn one_address_trying_many_usernames_is_stopped() {
        let t = LoginThrottle::default();
        for n in 0..PER_ADDRESS {
            let _failed = t.reserve(&format!("user{n}"), ip(7), false, now()).unwrap();
        }
        let refused = t.reserve("dana", ip(7), false, now()).unwrap_err();
        assert_eq!(refused.limit, Limit::Address);
        assert!(t.reserve("dana", ip(8), false, now()).is_ok());
    }

    /// Guesses at the dispatcher's name from many addresses stop unknown devices, but the
    /// dispatcher's own laptop still gets in.
    #[test]
    fn a_flood_of_guesses_does_not_lock_the_real_user_out() {
        let t = LoginThrottle::default();
        for n in 0..PER_USER {
            let address = Some(IpAddr::from([192, 168, (n / 4) as u8, n as u8]));
            let _failed = t.reserve("dana", address, false, now()).unwrap();
        }
        let refused = t.reserve("dana", ip(99), false, now()).unwrap_err();
        assert_eq!(refused.limit, Limit::User);
        let attempt = t.reserve("dana", ip(99), true, now()).unwrap();
        t.succeeded(attempt);
        assert!(t.reserve("tina", ip(99), false, now()).is_ok());
    }

    #[test]
    fn a_withdrawn_attempt_does_not_count() {
        let t = LoginThrottle::default();
        for _ in 0..PER_USER_AND_ADDRESS * 2 {
            let a = t.reserve("dana", ip(1), false, now()).unwrap();
            t.withdrawn(a);
        }
        assert!(t.reserve("dana", ip(1), false, now()).is_ok());
    }

    #[test]
    fn the_counts_stay_bounded_whatever_the_usernames() {
        let t = LoginThrottle::default();
        let later = now() + WINDOW;
        for n in 0..MAX_ENTRIES + 10 {
            let at = if n < MAX_ENTRIES { now() } else { later };
            let address = Some(IpAddr::from((n as u128).to_be_bytes()));
            let _ = t.reserve(&format!("u{n}"), address, false, at);
        }
        let s = t.windows.lock().unwrap();
        assert!(s.pair.map.len() <= MAX_ENTRIES);
        assert!(s.user.map.len() <= MAX_ENTRIES);
        assert!(s.address.map.len() <= MAX_ENTRIES);
    }
}
