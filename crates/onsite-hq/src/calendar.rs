//! A technician's visits as an iCalendar feed (RFC 5545) a calendar app subscribes to, and the
//! secret in its address. The app cannot log in, so the address carries a token: an HMAC of
//! the username and a generation number under HQ's token key. Nothing secret is stored, and
//! renewing the generation makes every earlier address stop working.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use onsite_protocol::JobStatus;
use onsite_protocol::api::JobView;
use std::fmt::Write;

/// How far back and ahead the feed reaches: recent history and the weeks ahead.
pub const PAST: Duration = Duration::days(30);
/// How far ahead.
pub const AHEAD: Duration = Duration::days(180);
/// Most visits one feed lists (soonest first from the start of its reach).
pub const MAX_EVENTS: usize = 1000;

/// The token in the feed's address of `username` at `generation`.
pub fn token(key: &[u8; 32], username: &str, generation: u32) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let mut ctx = ring::hmac::Context::with_key(&key);
    ctx.update(b"onsite calendar\0");
    ctx.update(username.as_bytes());
    ctx.update(b"\0");
    ctx.update(&generation.to_be_bytes());
    URL_SAFE_NO_PAD.encode(ctx.sign().as_ref())
}

/// Whether `given` is the token of `username` at `generation`, compared in constant time.
pub fn token_matches(key: &[u8; 32], username: &str, generation: u32, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    let want = token(key, username, generation);
    want.len() == given.len() && bool::from(want.as_bytes().ct_eq(given.as_bytes()))
}

/// TEXT as RFC 5545 §3.3.11 writes it: backslash, semicolon and comma escaped, line breaks as
/// `\n`, other control characters dropped.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded (§3.1): no line longer than 75 octets, never splitting a
/// character, each continuation starting with a space; ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// A UTC time as iCalendar writes it: `20261201T090000Z`.
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The feed of `name`'s visits `jobs` (those with a start), stamped `now`.
pub fn feed(name: &str, jobs: &[JobView], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |l: String| out.push_str(&fold(&l));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Onsite//HQ//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", text(&format!("Onsite: {name}"))));
    for v in jobs {
        let Some(start) = v.job.scheduled_start else {
            continue;
        };
        let end = v
            .job
            .scheduled_end
            .filter(|e| *e > start)
            .unwrap_or(start + Duration::hours(1));
        let place = [Some(v.site.address.as_str()), v.site.town.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let mut about = format!(
            "{} ({}), {}.\nCustomer: {}",
            v.job.summary,
            v.job.kind.as_str(),
            v.job.status.as_str(),
            v.customer.name
        );
        if let Some(phone) = &v.customer.phone {
            let _ = write!(about, ", {phone}");
        }
        if let Some(asset) = &v.asset {
            let _ = write!(about, "\nProduct: {}", asset.model);
            if let Some(serial) = &asset.serial {
                let _ = write!(about, " (serial {serial})");
            }
        }
        if let Some(notes) = &v.site.access_notes {
            let _ = write!(about, "\nAccess: {notes}");
        }
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}@onsite", v.job.id.0));
        line(format!("DTSTAMP:{}", stamp(now)));
        line(format!("LAST-MODIFIED:{}", stamp(v.job.updated_at)));
        line(format!("SEQUENCE:{}", v.job.version));
        line(format!("DTSTART:{}", stamp(start)));
        line(format!("DTEND:{}", stamp(end)));
        line(format!(
            "SUMMARY:{}",
            text(&format!(
                "{} {}: {}",
                v.job.number, v.job.summary, v.customer.name
            ))
        ));
        line(format!("LOCATION:{}", text(&place)));
        line(format!("DESCRIPTION:{}", text(&about)));
        line(format!(
            "STATUS:{}",
            if v.job.status == JobStatus::Cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks the grammar RFC 5545 asks of a feed, as far as a subscriber relies on it: CRLF
    /// lines of at most 75 octets, folded lines starting with a space, `NAME:value` content
    /// lines, balanced `BEGIN`/`END`, `VERSION` and `PRODID` once in the calendar, and each
    /// event with one `UID`, `DTSTAMP` and `DTSTART` and a `DTEND` after it. The error says
    /// which line is wrong.
    pub(crate) fn validate(feed: &str) -> Result<usize, String> {
        if !feed.ends_with("\r\n") {
            return Err("the feed does not end with CRLF".into());
        }
        let raw: Vec<&str> = feed[..feed.len() - 2].split("\r\n").collect();
        let mut lines: Vec<String> = Vec::new();
        for (n, l) in raw.iter().enumerate() {
            if l.contains('\n') || l.contains('\r') {
                return Err(format!("line {}: a bare CR or LF", n + 1));
            }
            if l.len() > 75 {
                return Err(format!("line {}: {} octets, more than 75", n + 1, l.len()));
            }
            match l.strip_prefix(' ') {
                Some(rest) => match lines.last_mut() {
                    Some(last) => last.push_str(rest),
                    None => return Err("the feed starts with a continuation".into()),
                },
                None => lines.push((*l).to_string()),
            }
        }
        let mut stack: Vec<String> = Vec::new();
        let mut events = 0;
        let mut props: Vec<(String, String)> = Vec::new();
        let (mut version, mut prodid) = (0, 0);
        for l in &lines {
            let (name, value) = l
                .split_once(':')
                .ok_or_else(|| format!("{l:?} is not NAME:value"))?;
            let name = name.split(';').next().unwrap_or_default();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(format!("{name:?} is not a property name"));
            }
            if value.chars().any(|c| c.is_control() && c != '\t') {
                return Err(format!("{name}: a control character in the value"));
            }
            match name {
                "BEGIN" => {
                    stack.push(value.to_string());
                    props.clear();
                }
                "END" => {
                    if stack.pop().as_deref() != Some(value) {
                        return Err(format!("END:{value} closes nothing"));
                    }
                    if value == "VEVENT" {
                        let count = |p: &str| props.iter().filter(|(n, _)| n == p).count();
                        for p in ["UID", "DTSTAMP", "DTSTART", "DTEND"] {
                            if count(p) != 1 {
                                return Err(format!("an event has {} {p}", count(p)));
                            }
                        }
                        let get = |p: &str| props.iter().find(|(n, _)| n == p).unwrap().1.clone();
                        if get("DTEND") <= get("DTSTART") {
                            return Err("an event ends before it starts".into());
                        }
                        events += 1;
                    }
                }
                "VERSION" if stack.len() == 1 => version += 1,
                "PRODID" if stack.len() == 1 => prodid += 1,
                _ => props.push((name.to_string(), value.to_string())),
            }
        }
        if !stack.is_empty() {
            return Err(format!("{stack:?} never ends"));
        }
        if lines.first().map(String::as_str) != Some("BEGIN:VCALENDAR") {
            return Err("the feed is not a VCALENDAR".into());
        }
        if (version, prodid) != (1, 1) {
            return Err("a calendar has one VERSION and one PRODID".into());
        }
        Ok(events)
    }

    #[test]
    fn text_is_escaped() {
        let cases = [
            ("plain", "plain"),
            ("a,b;c\\d", "a\\,b\\;c\\\\d"),
            ("two\nlines", "two\\nlines"),
            ("crlf\r\nend", "crlf\\nend"),
            ("cr\rend", "cr\\nend"),
            ("bell\u{7}", "bell"),
            ("zoë", "zoë"),
        ];
        for (raw, want) in cases {
            assert_eq!(text(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let cases = [
            "SUMMARY:short".to_string(),
            format!("SUMMARY:{}", "x".repeat(200)),
            format!("DESCRIPTION:{}", "é".repeat(100)),
            format!("DESCRIPTION:{}", "🔧".repeat(40)),
        ];
        for line in cases {
            let folded = fold(&line);
            assert!(folded.ends_with("\r\n"));
            let parts: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
            assert!(parts.iter().all(|p| p.len() <= 75), "{parts:?}");
            assert!(parts[1..].iter().all(|p| p.starts_with(' ')));
            let unfolded: String = parts
                .iter()
                .enumerate()
                .map(|(i, p)| if i == 0 { *p } else { &p[1..] })
                .collect();
            assert_eq!(unfolded, line);
        }
    }

    #[test]
    fn tokens_differ_by_user_and_generation_and_match_only_themselves() {
        let key = [7u8; 32];
        let t = token(&key, "tina", 0);
        assert_eq!(t.len(), 43);
        assert!(token_matches(&key, "tina", 0, &t));
        assert!(!token_matches(&key, "tina", 1, &t), "renewed");
        assert!(!token_matches(&key, "tom", 0, &t));
        assert!(!token_matches(&[8u8; 32], "tina", 0, &t), "another HQ");
        assert!(!token_matches(&key, "tina", 0, &t[..42]));
        assert!(!token_matches(&key, "tina", 0, ""));
    }

    #[test]
    fn the_validator_refuses_what_subscribers_would() {
        let good = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n";
        assert_eq!(validate(good), Ok(0));
        for bad in [
            "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n",
            "BEGIN:VCALENDAR\r\nPRODID:x\r\nEND:VCALENDAR\r\n",
            &format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{}\r\nEND:VCALENDAR\r\n",
                "x".repeat(80)
            ),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ] {
            assert!(validate(bad).is_err(), "{bad:?}");
        }
    }
}
