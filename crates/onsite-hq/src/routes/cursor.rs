//! The opaque pull cursor: which database issued it and how far the device has read.

use crate::storage::FeedPosition;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const VERSION: &str = "v1";

/// Encodes a feed position for the client.
pub fn encode(pos: &FeedPosition) -> String {
    URL_SAFE_NO_PAD.encode(format!("{VERSION}:{}:{}", pos.instance, pos.seq))
}

/// Decodes a cursor; `None` when it is not one HQ could have issued.
pub fn decode(cursor: &str) -> Option<FeedPosition> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.splitn(3, ':');
    if parts.next()? != VERSION {
        return None;
    }
    let instance = parts.next()?.to_string();
    let seq = parts.next()?.parse().ok().filter(|s: &i64| *s >= 0)?;
    Some(FeedPosition { instance, seq })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let pos = FeedPosition {
            instance: "ab12".into(),
            seq: 42,
        };
        assert_eq!(decode(&encode(&pos)), Some(pos));
        for bad in [
            "",
            "nonsense!",
            &URL_SAFE_NO_PAD.encode("v2:ab:1"),
            &URL_SAFE_NO_PAD.encode("v1:ab:-1"),
            &URL_SAFE_NO_PAD.encode("v1:ab"),
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
