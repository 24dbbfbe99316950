//! Hybrid logical clocks: the order of edits made on devices whose wall clocks may be hours or
//! days wrong. A timestamp is (wall milliseconds, counter, node); a clock never goes backwards,
//! and after seeing another clock's timestamp every later stamp sorts after it.

use crate::ids::DeviceId;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// One hybrid logical clock timestamp. Ordered by wall time, then counter, then node, so two
/// stamps from different devices are never equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (never negative): the largest physical time the
    /// clock has seen.
    pub wall: i64,
    /// Events within the same `wall` millisecond.
    pub counter: u32,
    /// The device (or HQ) that stamped it; breaks ties.
    pub node: DeviceId,
}

impl Hlc {
    /// The largest wall time the text form holds (15 digits, about the year 33658). A clock
    /// never goes past it, so it never issues a stamp that cannot be read back.
    pub const MAX_WALL: i64 = 999_999_999_999_999;

    /// The next stamp after `self` on `node` at physical time `now` (milliseconds).
    fn after(self, other_wall: i64, other_counter: Option<u32>, now: i64, node: DeviceId) -> Self {
        // A clock set before 1970 counts as 1970; the text form has no room for a sign.
        let wall = self
            .wall
            .max(other_wall)
            .max(now.max(0))
            .min(Self::MAX_WALL);
        let counter = match (
            wall == self.wall,
            other_counter.filter(|_| wall == other_wall),
        ) {
            (true, Some(c)) => self.counter.max(c).checked_add(1),
            (true, None) => self.counter.checked_add(1),
            (false, Some(c)) => c.checked_add(1),
            (false, None) => Some(0),
        };
        match counter {
            Some(counter) => Self {
                wall,
                counter,
                node,
            },
            // A full counter moves the clock a millisecond on: still strictly later.
            None if wall < Self::MAX_WALL => Self {
                wall: wall + 1,
                counter: 0,
                node,
            },
            // The last stamp the text form holds: the clock stays there rather than issue one
            // nobody can read. Reaching it takes 2^32 events in the last millisecond of the
            // year 33658; HQ refuses stamps far ahead of its own time long before.
            None => Self {
                wall,
                counter: u32::MAX,
                node,
            },
        }
    }
}

/// How far (milliseconds) a clock stamp may run ahead of whoever judges it: HQ stamps an op
/// itself when the device's stamp is further ahead of HQ's time, and a device whose clock is
/// further ahead of HQ's starts again from HQ's ([`HlcClock::settle`]). A day: laptops drift
/// by seconds and stamps are UTC, so only a wrong date goes further.
pub const TOLERANCE_MS: i64 = 24 * 60 * 60 * 1000;

/// A clock stamping one node's events.
#[derive(Clone, Debug)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    /// A clock for `node` that continues after `last` (the newest stamp it issued or saw, as
    /// persisted), or starts from nothing.
    pub fn new(node: DeviceId, last: Option<Hlc>) -> Self {
        let last = last.map_or(
            Hlc {
                wall: 0,
                counter: 0,
                node,
            },
            |l| Hlc { node, ..l },
        );
        Self { last }
    }

    /// The newest stamp issued or seen.
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// Takes in `reference`, the stamp of the clock that judges this one (HQ's, for a device),
    /// forgetting this clock's past first when it is more than [`TOLERANCE_MS`] ahead of it.
    /// A laptop whose date was wrong, and has been put right, would otherwise stamp far ahead
    /// for good, and HQ would have to replace every stamp it sends. A laptop whose clock is
    /// behind is never reset: it is the reference's stamps that keep it in order. Returns
    /// whether the past was forgotten.
    pub fn settle(&mut self, reference: Hlc) -> bool {
        let ahead = self.last.wall.saturating_sub(reference.wall) > TOLERANCE_MS;
        if ahead {
            self.last = Hlc {
                node: self.last.node,
                ..reference
            };
        }
        self.observe(reference, 0);
        ahead
    }

    /// Stamps a local event happening at physical time `now` (milliseconds since the epoch).
    /// Strictly later than every stamp before it, whatever `now` says.
    pub fn tick(&mut self, now: i64) -> Hlc {
        self.last = self.last.after(0, None, now, self.last.node);
        self.last
    }

    /// Takes in `remote` (a stamp from another node) at physical time `now`; the returned stamp,
    /// and every later one, sorts after `remote`.
    pub fn observe(&mut self, remote: Hlc, now: i64) -> Hlc {
        self.last = self
            .last
            .after(remote.wall, Some(remote.counter), now, self.last.node);
        self.last
    }
}

/// Fixed-width text, so that comparing two stamps as strings (in SQL, say) orders them as the
/// stamps themselves: `WWWWWWWWWWWWWWW-CCCCCCCCCC-<node uuid>`.
impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:015}-{:010}-{}", self.wall, self.counter, self.node)
    }
}

/// A string that is not an HLC stamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an HLC timestamp: {0:?} (expected WALL-COUNTER-NODE)")]
pub struct BadHlc(pub String);

impl FromStr for Hlc {
    type Err = BadHlc;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadHlc(s.to_string());
        let mut parts = s.splitn(3, '-');
        let (Some(wall), Some(counter), Some(node)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(wall, 15) || !digits(counter, 10) {
            return Err(bad());
        }
        Ok(Self {
            wall: wall.parse().map_err(|_| bad())?,
            counter: counter.parse().map_err(|_| bad())?,
            node: node.parse().map_err(|_| bad())?,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: i64 = 86_400_000;

    fn node(n: u8) -> DeviceId {
        DeviceId(uuid::Uuid::from_bytes([n; 16]))
    }

    #[test]
    fn a_clock_that_jumps_back_still_moves_forward() {
        let mut clock = HlcClock::new(node(1), None);
        let a = clock.tick(10 * DAY);
        let b = clock.tick(10 * DAY);
        let c = clock.tick(DAY); // the laptop's clock was set nine days back
        assert!(a < b && b < c, "{a} {b} {c}");
        assert_eq!((c.wall, c.counter), (10 * DAY, 2));
        let d = clock.tick(11 * DAY);
        assert_eq!((d.wall, d.counter), (11 * DAY, 0));
    }

    #[test]
    fn after_observing_a_remote_stamp_local_stamps_follow_it() {
        let mut behind = HlcClock::new(node(1), None);
        let ahead = Hlc {
            wall: 20 * DAY,
            counter: 7,
            node: node(2),
        };
        let seen = behind.observe(ahead, 3 * DAY);
        assert!(seen > ahead);
        assert_eq!((seen.wall, seen.counter), (20 * DAY, 8));
        assert!(behind.tick(3 * DAY) > ahead);
    }

    #[test]
    fn a_persisted_clock_continues_after_its_last_stamp() {
        let mut clock = HlcClock::new(node(1), None);
        let last = clock.tick(5 * DAY);
        let mut again = HlcClock::new(node(1), Some(last));
        assert!(again.tick(0) > last);
    }

    #[test]
    fn a_full_counter_moves_to_the_next_millisecond() {
        let full = Hlc {
            wall: DAY,
            counter: u32::MAX,
            node: node(1),
        };
        let mut clock = HlcClock::new(node(1), Some(full));
        let next = clock.tick(0);
        assert!(next > full);
        assert_eq!((next.wall, next.counter), (DAY + 1, 0));
    }

    #[test]
    fn the_last_readable_stamp_is_as_far_as_a_clock_goes() {
        let last = Hlc {
            wall: Hlc::MAX_WALL,
            counter: u32::MAX,
            node: node(2),
        };
        let mut clock = HlcClock::new(node(1), None);
        for stamp in [clock.observe(last, 0), clock.tick(i64::MAX), clock.tick(0)] {
            assert_eq!(stamp.to_string().parse::<Hlc>(), Ok(stamp), "{stamp}");
            assert_eq!(stamp.wall, Hlc::MAX_WALL);
        }
        let mut ahead = HlcClock::new(node(1), None);
        assert_eq!(ahead.tick(i64::MAX).wall, Hlc::MAX_WALL);
    }

    #[test]
    fn a_clock_far_ahead_of_its_reference_starts_again_from_it() {
        let hq = Hlc {
            wall: 20 * DAY,
            counter: 3,
            node: node(2),
        };
        let cases = [
            (20 * DAY, false),
            (2 * DAY, false),
            (20 * DAY + TOLERANCE_MS, false),
            (20 * DAY + TOLERANCE_MS + 1, true),
            (Hlc::MAX_WALL, true),
        ];
        for (wall, settles) in cases {
            let last = Hlc {
                wall,
                counter: 4,
                node: node(1),
            };
            let mut clock = HlcClock::new(node(1), Some(last));
            assert_eq!(clock.settle(hq), settles, "{wall}");
            let next = clock.tick(0);
            assert!(next > hq, "{wall}: every stamp still follows the reference");
            if settles {
                assert_eq!(next.wall, hq.wall, "{wall}");
            } else {
                assert!(
                    next > last,
                    "{wall}: a clock behind or close never goes back"
                );
            }
        }
    }

    #[test]
    fn text_form_round_trips_and_sorts_like_the_stamps() {
        let a = Hlc {
            wall: 1_763_900_000_000,
            counter: 3,
            node: node(1),
        };
        let b = Hlc { counter: 12, ..a };
        assert_eq!(a.to_string().parse::<Hlc>(), Ok(a));
        assert!(a.to_string() < b.to_string());
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Hlc>(&json).unwrap(), a);
        for bad in [
            "",
            "1-2",
            "000000000000001-x-00000000-0000-0000-0000-000000000000",
            "1000000000000000-0000000000-00000000-0000-0000-0000-000000000000",
            "+00000000000001-0000000000-00000000-0000-0000-0000-000000000000",
            "000000000000001-4294967296-00000000-0000-0000-0000-000000000000",
            "000000000000001-+000000001-00000000-0000-0000-0000-000000000000",
        ] {
            assert!(bad.parse::<Hlc>().is_err(), "{bad}");
        }
    }

    proptest! {
        /// Whatever the physical clocks say, and whatever arrives from other nodes, every stamp
        /// a clock issues is later than everything it issued or saw before.
        #[test]
        fn stamps_only_move_forward(
            events in prop::collection::vec(
                (any::<bool>(), -30 * DAY..30 * DAY, 0..30 * DAY, 0u32..5), 1..200)
        ) {
            let mut clock = HlcClock::new(node(1), None);
            let mut newest: Option<Hlc> = None;
            for (remote, now, remote_wall, remote_counter) in events {
                let stamp = if remote {
                    let r = Hlc { wall: remote_wall, counter: remote_counter, node: node(2) };
                    let s = clock.observe(r, now);
                    prop_assert!(s > r);
                    s
                } else {
                    clock.tick(now)
                };
                if let Some(n) = newest {
                    prop_assert!(stamp > n);
                }
                prop_assert_eq!(stamp.to_string().parse::<Hlc>(), Ok(stamp));
                newest = Some(stamp);
            }
        }
    }
}
