//! Text from HQ (notes, names, messages) printed to a terminal cannot take the terminal over:
//! control characters (which start escape sequences that recolour, retitle, hide or rewrite
//! lines, or make links) and characters that reverse the reading direction are shown as
//! `\uXXXX` instead of being sent. The same spelling is a valid JSON escape, so `--json`
//! output stays valid JSON.

use std::borrow::Cow;

/// Whether `c` could act on a terminal or mislead a reader rather than be read.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}')
}

/// `text` with every unsafe character spelled `\uXXXX`.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_could_act_on_a_terminal_is_spelled_out() {
        let cases = [
            ("Replaced the pump seal", "Replaced the pump seal"),
            ("two\nlines\tand a tab", "two\nlines\tand a tab"),
            (
                "\u{1b}[2K\rJ-1 cancelled by HQ",
                "\\u001b[2K\\u000dJ-1 cancelled by HQ",
            ),
            (
                "\u{1b}]8;;https://x\u{7}link",
                "\\u001b]8;;https://x\\u0007link",
            ),
            ("\u{9b}31m", "\\u009b31m"),
            ("abc\u{202e}fed", "abc\\u202efed"),
            ("Zoë, Łódź, 東京", "Zoë, Łódź, 東京"),
        ];
        for (text, shown) in cases {
            assert_eq!(terminal(text), shown, "{text:?}");
        }
    }

    #[test]
    fn json_stays_json() {
        let json =
            serde_json::to_string(&serde_json::json!({"text": "a\u{9b}b\u{202e}c"})).unwrap();
        let shown = terminal(&json);
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back["text"], "a\u{9b}b\u{202e}c");
    }
}
