//! The two shapes of text reference records hold, checked one way wherever they appear: a
//! key (an id people type and file names use) and a line (a name, title or label people read).

/// Longest key, in characters.
pub const MAX_KEY_CHARS: usize = 64;
/// Longest line, in characters.
pub const MAX_LINE_CHARS: usize = 200;

/// Checks a key: 1 to [`MAX_KEY_CHARS`] of `a-z`, `0-9`, `-` and `_`.
///
/// # Errors
/// What a key may hold, naming `what` (`item "a"`, `the guide id "Codes"`…).
pub fn key(what: &str, value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.chars().count() <= MAX_KEY_CHARS
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} {value:?} must be 1 to {MAX_KEY_CHARS} of a-z, 0-9, - and _"
        ))
    }
}

/// Checks a line: not blank, at most [`MAX_LINE_CHARS`], no control characters.
///
/// # Errors
/// What is wrong, naming `field`.
pub fn line(field: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err(format!("{field} is empty"))
    } else if value.chars().count() > MAX_LINE_CHARS {
        Err(format!(
            "{field} is longer than {MAX_LINE_CHARS} characters"
        ))
    } else if value.chars().any(char::is_control) {
        Err(format!("{field} contains control characters"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_lines() {
        let keys = [
            ("heatpump-install", true),
            ("a_1", true),
            ("", false),
            ("Heat", false),
            ("a b", false),
            ("é", false),
        ];
        for (value, ok) in keys {
            assert_eq!(key("key", value).is_ok(), ok, "{value:?}");
        }
        assert!(key("key", &"k".repeat(MAX_KEY_CHARS)).is_ok());
        assert!(key("key", &"k".repeat(MAX_KEY_CHARS + 1)).is_err());
        let lines = [
            ("Heat exchanger", None),
            (" ", Some("name is empty")),
            ("a\u{7}", Some("name contains control")),
        ];
        for (value, err) in lines {
            match (line("name", value), err) {
                (Ok(()), None) => {}
                (Err(e), Some(words)) => assert!(e.contains(words), "{e}"),
                (got, _) => panic!("{value:?}: {got:?}"),
            }
        }
        assert!(line("name", &"x".repeat(MAX_LINE_CHARS + 1)).is_err());
    }
}
