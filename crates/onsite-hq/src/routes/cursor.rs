//! The opaque pull cursor: which database issued it and how far the device has read.

use crate::storage::FeedPosition;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Longest cursor read; anything longer is not one HQ issued.
const MAX_CURSOR: usize = 256;

/// Encodes a feed position for the client: `v2:<instance>:<seq>:<mark>`, or `v1` without a
/// mark.
pub fn encode(pos: &FeedPosition) -> String {
    let text = match pos.mark {
        Some(mark) => format!("v2:{}:{}:{mark}", pos.instance, pos.seq),
        None => format!("v1:{}:{}", pos.instance, pos.seq),
    };
    URL_SAFE_NO_PAD.encode(text)
}

/// Decodes a cursor (`v1` from older HQs, or `v2`); `None` when it is not one HQ could have
/// issued.
pub fn decode(cursor: &str) -> Option<FeedPosition> {
    let cursor = cursor.trim();
    if cursor.len() > MAX_CURSOR {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let parts: Vec<&str> = text.split(':').collect();
    let number = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<i64>().ok())
            .flatten()
    };
    let (instance, seq, mark) = match parts.as_slice() {
        ["v1", instance, seq] => (instance, number(seq)?, None),
        ["v2", instance, seq, mark] => (instance, number(seq)?, Some(number(mark)?)),
        _ => return None,
    };
    if instance.is_empty() || !instance.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(FeedPosition {
        instance: (*instance).to_string(),
        seq,
        mark,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        for mark in [None, Some(50)] {
            let pos = FeedPosition {
                instance: "ab12".into(),
                seq: 42,
                mark,
            };
            assert_eq!(decode(&encode(&pos)), Some(pos));
        }
        let old = URL_SAFE_NO_PAD.encode("v1:ab12:7");
        assert_eq!(
            decode(&old).map(|p| (p.seq, p.mark)),
            Some((7, None)),
            "an older HQ's"
        );
        for bad in [
            "",
            "nonsense!",
            &URL_SAFE_NO_PAD.encode("v2:ab:1"),
            &URL_SAFE_NO_PAD.encode("v3:ab:1:2"),
            &URL_SAFE_NO_PAD.encode("v1:ab:-1"),
            &URL_SAFE_NO_PAD.encode("v1:ab:+1"),
            &URL_SAFE_NO_PAD.encode("v2:ab:1:-2"),
            &URL_SAFE_NO_PAD.encode("v1:ab"),
            &URL_SAFE_NO_PAD.encode("v1::1"),
            &URL_SAFE_NO_PAD.encode("v1:not hex:1"),
            &URL_SAFE_NO_PAD.encode("v1:ab:99999999999999999999"),
            &"a".repeat(MAX_CURSOR + 1),
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
