//! When the next sync should happen: periodically, a few seconds after a local change, and —
//! while HQ is unreachable — on a capped exponential backoff with jitter, so a hundred laptops
//! coming back into coverage do not knock on HQ in step. Pure arithmetic; the runner supplies
//! the times and the randomness.

use std::time::Duration;

/// The sync timetable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Sync this often while all is well.
    pub every: Duration,
    /// Sync this long after a local change (changes in between push it no further).
    pub soon: Duration,
    /// First wait after HQ could not be reached; doubles on each further failure.
    pub first_retry: Duration,
    /// The longest wait between attempts while HQ is unreachable.
    pub max_retry: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(60),
            soon: Duration::from_secs(3),
            first_retry: Duration::from_secs(2),
            max_retry: Duration::from_secs(60),
        }
    }
}

/// What the runner knows when it plans its next wake-up.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timing {
    /// Time since the last attempt, if there was one.
    pub since_attempt: Option<Duration>,
    /// Attempts in a row that could not reach HQ.
    pub failures: u32,
    /// Time since the first local change not yet synced, if any.
    pub since_change: Option<Duration>,
    /// A random number in `[0, 1)` for the jitter.
    pub jitter: f64,
}

impl Schedule {
    /// The wait after `failures` failed attempts in a row (at least 1): exponential, capped,
    /// with "equal jitter" — between half and all of the nominal wait.
    pub fn retry_delay(&self, failures: u32, jitter: f64) -> Duration {
        let doublings = failures.saturating_sub(1).min(20);
        let nominal = self
            .first_retry
            .saturating_mul(1 << doublings)
            .min(self.max_retry);
        nominal.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }

    /// How long to wait before the next attempt (zero: now).
    pub fn next(&self, t: &Timing) -> Duration {
        let Some(since) = t.since_attempt else {
            return Duration::ZERO;
        };
        if t.failures > 0 {
            // Offline: only the backoff decides; a local change says nothing about coverage.
            return self.retry_delay(t.failures, t.jitter).saturating_sub(since);
        }
        let periodic = self.every.saturating_sub(since);
        match t.since_change {
            Some(change) => periodic.min(self.soon.saturating_sub(change)),
            None => periodic,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_between_half_and_all() {
        let s = Schedule::default();
        let full: Vec<_> = (1..=7).map(|n| s.retry_delay(n, 1.0).as_secs()).collect();
        assert_eq!(full, vec![2, 4, 8, 16, 32, 60, 60]);
        let least: Vec<_> = (1..=7).map(|n| s.retry_delay(n, 0.0).as_secs()).collect();
        assert_eq!(least, vec![1, 2, 4, 8, 16, 30, 30]);
        assert_eq!(s.retry_delay(1_000, 1.0), s.max_retry, "no overflow");
    }

    #[test]
    fn the_next_attempt_follows_the_table() {
        let s = Schedule::default();
        let t = |since: u64, failures: u32, change: Option<u64>| Timing {
            since_attempt: Some(Duration::from_secs(since)),
            failures,
            since_change: change.map(Duration::from_secs),
            jitter: 1.0,
        };
        let cases = [
            // (timing, wait in seconds)
            (Timing::default(), 0), // at start: at once
            (t(10, 0, None), 50),   // periodic
            (t(70, 0, None), 0),    // overdue
            (t(10, 0, Some(1)), 2), // a change: soon
            (t(10, 0, Some(5)), 0), // a change a while ago: now
            (t(59, 0, Some(0)), 1), // the period comes first
            (t(1, 1, None), 1),     // offline: first retry after 2 s
            (t(1, 3, Some(0)), 7),  // offline: backoff ignores changes
            (t(100, 9, None), 0),   // offline long enough: probe now
        ];
        for (timing, wait) in cases {
            assert_eq!(s.next(&timing), Duration::from_secs(wait), "{timing:?}");
        }
    }
}
