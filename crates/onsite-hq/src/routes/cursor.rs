//! The opaque pull cursor: which database issued it, how far the device has read its job
//! feed, and how far it has the reference data.

use crate::storage::{FeedPosition, ReferencePosition};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Longest cursor read; anything longer is not one HQ issued.
const MAX_CURSOR: usize = 256;

/// A device's place in its pull.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// In the job feed.
    pub feed: FeedPosition,
    /// In the reference data; absent until the device first received it (and in cursors of
    /// older HQs).
    pub reference: Option<ReferencePosition>,
}

/// Encodes a cursor for the client: `v3:<instance>:<seq>:<mark>:<ref seq>:<scope>:<stock>`
/// with a reference position, else `v2:<instance>:<seq>:<mark>` (`v1` without a mark).
pub fn encode(cursor: &Cursor) -> String {
    let pos = &cursor.feed;
    let text = match (pos.mark, &cursor.reference) {
        (Some(mark), Some(r)) => format!(
            "v3:{}:{}:{mark}:{}:{}:{}",
            pos.instance, pos.seq, r.seq, r.scope, r.stock
        ),
        (Some(mark), None) => format!("v2:{}:{}:{mark}", pos.instance, pos.seq),
        (None, _) => format!("v1:{}:{}", pos.instance, pos.seq),
    };
    URL_SAFE_NO_PAD.encode(text)
}

/// Decodes a cursor (`v1` and `v2` from older HQs, or `v3`); `None` when it is not one HQ
/// could have issued.
pub fn decode(cursor: &str) -> Option<Cursor> {
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
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    let (instance, seq, mark, reference) = match parts.as_slice() {
        ["v1", instance, seq] => (instance, number(seq)?, None, None),
        ["v2", instance, seq, mark] => (instance, number(seq)?, Some(number(mark)?), None),
        ["v3", instance, seq, mark, ref_seq, scope, stock] if hex(scope) => (
            instance,
            number(seq)?,
            Some(number(mark)?),
            Some(ReferencePosition {
                seq: number(ref_seq)?,
                scope: (*scope).to_string(),
                stock: number(stock)?,
            }),
        ),
        _ => return None,
    };
    if !hex(instance) {
        return None;
    }
    Some(Cursor {
        feed: FeedPosition {
            instance: (*instance).to_string(),
            seq,
            mark,
        },
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let reference = ReferencePosition {
            seq: 9,
            scope: "0a1b2c3d4e5f6071".into(),
            stock: 3,
        };
        for (mark, reference) in [(None, None), (Some(50), None), (Some(50), Some(reference))] {
            let cursor = Cursor {
                feed: FeedPosition {
                    instance: "ab12".into(),
                    seq: 42,
                    mark,
                },
                reference,
            };
            assert_eq!(decode(&encode(&cursor)), Some(cursor));
        }
        let old = URL_SAFE_NO_PAD.encode("v1:ab12:7");
        assert_eq!(
            decode(&old).map(|c| (c.feed.seq, c.feed.mark, c.reference)),
            Some((7, None, None)),
            "an older HQ's"
        );
        for bad in [
            "",
            "nonsense!",
            &URL_SAFE_NO_PAD.encode("v2:ab:1"),
            &URL_SAFE_NO_PAD.encode("v4:ab:1:2"),
            &URL_SAFE_NO_PAD.encode("v1:ab:-1"),
            &URL_SAFE_NO_PAD.encode("v1:ab:+1"),
            &URL_SAFE_NO_PAD.encode("v2:ab:1:-2"),
            &URL_SAFE_NO_PAD.encode("v1:ab"),
            &URL_SAFE_NO_PAD.encode("v1::1"),
            &URL_SAFE_NO_PAD.encode("v1:not hex:1"),
            &URL_SAFE_NO_PAD.encode("v1:ab:99999999999999999999"),
            &URL_SAFE_NO_PAD.encode("v3:ab:1:2:3:not hex:4"),
            &URL_SAFE_NO_PAD.encode("v3:ab:1:2:3::4"),
            &URL_SAFE_NO_PAD.encode("v3:ab:1:2:-3:ff:4"),
            &"a".repeat(MAX_CURSOR + 1),
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
