//! How far a device's clock may be from HQ's before HQ stops trusting it. A device stamp
//! far in the future would, once observed, drag every clock in the fleet with it (every later
//! change everywhere would sort after it, and a correction made later would lose to it); a work
//! time far from HQ's would put hours on the wrong day. HQ's own time is the yardstick: it is
//! the one clock an administrator keeps right.

use chrono::{DateTime, Duration, Utc};
use onsite_protocol::Hlc;

/// How far ahead of HQ's time a device stamp, or a time a device recorded, may be: the
/// protocol's [`onsite_protocol::hlc::TOLERANCE_MS`], a day.
pub const TOLERANCE: Duration = Duration::milliseconds(onsite_protocol::hlc::TOLERANCE_MS);

/// What HQ does with a device's clock stamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamping {
    /// The stamp is plausible: HQ merges by it.
    AsSent,
    /// The stamp is further ahead of HQ's time than [`TOLERANCE`]: HQ stamps the op with its
    /// own clock instead, says so, and flags the device. `ahead` is how far it was.
    Clamped {
        /// How far ahead of HQ's time the device's stamp was.
        ahead: Duration,
    },
}

/// Judges a device `stamp` against HQ's time `now`.
pub fn stamping(stamp: Hlc, now: DateTime<Utc>) -> Stamping {
    let ahead = stamp.wall.saturating_sub(now.timestamp_millis());
    if ahead > TOLERANCE.num_milliseconds() {
        Stamping::Clamped {
            ahead: Duration::milliseconds(ahead),
        }
    } else {
        Stamping::AsSent
    }
}

/// Whether a device's wall-clock time (when it says a change was recorded) is worth showing
/// people: not further ahead of HQ's time than [`TOLERANCE`].
pub fn believable(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    at <= now + TOLERANCE
}

/// Whether a time the device recorded (work started or stopped) can be true: not further
/// ahead of HQ's time than [`TOLERANCE`], and not before the job existed (less the same
/// tolerance, for a slow clock). `Err` says what is wrong, for people.
///
/// # Errors
/// Words naming the time and why it cannot be.
pub fn plausible_time(
    at: DateTime<Utc>,
    job_created: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let shown = at.format("%Y-%m-%d %H:%M UTC");
    if at > now + TOLERANCE {
        return Err(format!(
            "{shown} is more than a day after HQ's time ({}); check the laptop's date and \
             time, then record the time again",
            now.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    if at < job_created - TOLERANCE {
        return Err(format!(
            "{shown} is before the job was created ({}); check the laptop's date and time, \
             then record the time again",
            job_created.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    Ok(())
}

/// How far ahead a clock was, in the largest unit that says it: "3 days", "5 hours".
pub fn describe(ahead: Duration) -> String {
    let (n, unit) = if ahead.num_days() >= 730 {
        (ahead.num_days() / 365, "year")
    } else if ahead.num_days() >= 1 {
        (ahead.num_days(), "day")
    } else {
        (ahead.num_hours(), "hour")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use onsite_protocol::DeviceId;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn stamp(wall: i64) -> Hlc {
        Hlc {
            wall,
            counter: 0,
            node: DeviceId(uuid::Uuid::from_u128(1)),
        }
    }

    #[test]
    fn stamps_far_ahead_of_hq_are_clamped() {
        let now = at("2026-12-01T12:00:00Z");
        let ms = now.timestamp_millis();
        let hour = 3_600_000;
        let cases = [
            (ms, Stamping::AsSent),
            (0, Stamping::AsSent),
            (ms - 400 * 24 * hour, Stamping::AsSent),
            (ms + 24 * hour, Stamping::AsSent),
            (
                ms + 24 * hour + 1,
                Stamping::Clamped {
                    ahead: Duration::milliseconds(24 * hour + 1),
                },
            ),
            (
                Hlc::MAX_WALL,
                Stamping::Clamped {
                    ahead: Duration::milliseconds(Hlc::MAX_WALL - ms),
                },
            ),
        ];
        for (wall, expected) in cases {
            assert_eq!(stamping(stamp(wall), now), expected, "{wall}");
        }
    }

    #[test]
    fn recorded_times_must_fall_between_the_jobs_creation_and_hq_s_tomorrow() {
        let now = at("2026-12-01T12:00:00Z");
        let created = at("2026-11-20T08:00:00Z");
        let cases = [
            ("2026-12-01T11:00:00Z", true),
            ("2026-12-02T11:59:59Z", true),
            ("2026-12-02T12:00:01Z", false),
            ("9999-12-31T00:00:00Z", false),
            ("2026-11-20T07:00:00Z", true),
            ("2026-11-19T07:59:59Z", false),
            ("1970-01-01T00:00:00Z", false),
        ];
        for (time, ok) in cases {
            let verdict = plausible_time(at(time), created, now);
            assert_eq!(verdict.is_ok(), ok, "{time}: {verdict:?}");
        }
        assert!(believable(at("2026-12-02T11:00:00Z"), now));
        assert!(!believable(at("9999-12-31T00:00:00Z"), now));
        let words = plausible_time(at("1970-01-01T00:00:00Z"), created, now).unwrap_err();
        assert!(words.contains("before the job was created"), "{words}");
    }

    #[test]
    fn how_far_ahead_reads_in_one_unit() {
        let cases = [
            (Duration::hours(25), "1 day"),
            (Duration::hours(30), "1 day"),
            (Duration::days(3), "3 days"),
            (Duration::days(3000), "8 years"),
            (Duration::hours(5), "5 hours"),
        ];
        for (ahead, words) in cases {
            assert_eq!(describe(ahead), words);
        }
    }
}
