//! What `onsite-hq session list` prints: one line per session, with where it stands and its
//! device's clock when HQ found it far ahead.

use crate::rules::clock::describe;
use crate::storage::{SessionRecord, SessionState};
use chrono::{DateTime, TimeZone, Utc};
use std::fmt::Write;

/// The sessions as a table, times in `tz`, states as at `now`.
pub fn table<Tz: TimeZone>(records: &[SessionRecord], now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let at = |t: DateTime<Utc>| t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string();
    let mut out = format!(
        "{:>6}  {:<12} {:<36}  {:<16}  {:<16}  {}\n",
        "ID", "USER", "DEVICE", "LOGGED IN", "REFRESHED", "STATE"
    );
    for r in records {
        let state = match r.state(now) {
            SessionState::Active => {
                format!(
                    "active until {}",
                    at(r.refresh_expires_at.min(r.lifetime_end()))
                )
            }
            SessionState::Expired => "expired".to_string(),
            SessionState::Ended(why) => match r.ended {
                Some((when, _)) => format!("ended ({}) {}", why.as_str(), at(when)),
                None => format!("ended ({})", why.as_str()),
            },
        };
        let _ = write!(
            out,
            "{:>6}  {:<12} {:<36}  {:<16}  {:<16}  {state}",
            r.id,
            r.username,
            r.device_id.to_string(),
            at(r.created_at),
            r.rotated_at.map_or_else(|| "-".to_string(), at),
        );
        if let Some(clock) = &r.clock {
            let _ = write!(
                out,
                "; clock {} ahead, {} op(s) restamped, last {}",
                describe(chrono::Duration::milliseconds(clock.ahead_ms)),
                clock.count,
                at(clock.seen_at)
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{ClockFlag, Ending};
    use chrono::Duration;
    use onsite_protocol::DeviceId;

    fn record(created: DateTime<Utc>) -> SessionRecord {
        SessionRecord {
            id: 7,
            username: "tina".into(),
            device_id: DeviceId::new(),
            created_at: created,
            rotated_at: None,
            refresh_expires_at: created + Duration::days(30),
            ended: None,
            clock: None,
        }
    }

    #[test]
    fn each_state_reads_as_words() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
        let active = record(now - Duration::days(1));
        let expired = record(now - Duration::days(31));
        let mut ended = record(now - Duration::days(2));
        ended.ended = Some((now - Duration::hours(1), Ending::Logout));
        let mut ahead = record(now);
        ahead.rotated_at = Some(now);
        ahead.clock = Some(ClockFlag {
            stamp: "x".into(),
            ahead_ms: Duration::days(3).num_milliseconds(),
            seen_at: now,
            count: 4,
        });
        let cases = [
            (&active, "active until 2026-12-31 09:00"),
            (&expired, "expired"),
            (&ended, "ended (logout) 2026-12-02 08:00"),
            (
                &ahead,
                "clock 3 days ahead, 4 op(s) restamped, last 2026-12-02 09:00",
            ),
        ];
        for (r, expected) in cases {
            let text = table(std::slice::from_ref(r), now, &Utc);
            let line = text.lines().nth(1).unwrap();
            assert!(line.contains(expected), "{line:?} lacks {expected:?}");
            assert!(line.contains(&r.device_id.to_string()));
        }
        let text = table(&[active, expired], now, &Utc);
        assert_eq!(text.lines().count(), 3, "a header and a line each");
    }
}
