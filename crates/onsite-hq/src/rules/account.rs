//! What an account may be called and protected by: one rule for `onsite-hq user add` and the
//! console's `POST /users`, so an account made either way is alike.

use onsite_protocol::admin::{
    MAX_DISPLAY_NAME_CHARS, MAX_PASSWORD_CHARS, MAX_SKILL_CHARS, MAX_SKILLS, MAX_USERNAME_CHARS,
    MIN_PASSWORD_CHARS,
};

/// Why an account's name, password or skills are refused; the message is for people.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccountRule {
    /// Empty, too long, or with spaces or control characters.
    #[error("username must be 1 to {MAX_USERNAME_CHARS} characters with no spaces")]
    Username,
    /// Too long, or with control characters (a line break, say).
    #[error(
        "display name must be at most {MAX_DISPLAY_NAME_CHARS} characters, with no control characters"
    )]
    DisplayName,
    /// Too short to resist guessing, or too long to hash cheaply.
    #[error("password must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters")]
    Password,
    /// Too many, or one too long or with control characters.
    #[error("at most {MAX_SKILLS} skills of at most {MAX_SKILL_CHARS} characters each")]
    Skills,
}

/// The username as stored: trimmed, 1 to [`MAX_USERNAME_CHARS`] characters, no whitespace or
/// control characters (it appears in URLs, logs and the CLI's columns).
pub fn username(raw: &str) -> Result<String, AccountRule> {
    let name = raw.trim();
    let bad = name.is_empty()
        || name.chars().count() > MAX_USERNAME_CHARS
        || name.chars().any(|c| c.is_whitespace() || c.is_control());
    if bad {
        Err(AccountRule::Username)
    } else {
        Ok(name.to_string())
    }
}

/// The display name as stored: trimmed, the username when absent or blank.
pub fn display_name(raw: Option<&str>, username: &str) -> Result<String, AccountRule> {
    let name = raw
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(username);
    if name.chars().count() > MAX_DISPLAY_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AccountRule::DisplayName);
    }
    Ok(name.to_string())
}

/// Checks a new password's length. It is not trimmed: spaces are characters like any other.
pub fn password(raw: &str) -> Result<(), AccountRule> {
    let n = raw.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        Ok(())
    } else {
        Err(AccountRule::Password)
    }
}

/// The skills as stored: trimmed, blanks dropped, duplicates once, in the order given.
pub fn skills(raw: &[String]) -> Result<Vec<String>, AccountRule> {
    let mut out: Vec<String> = Vec::new();
    for skill in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if skill.chars().count() > MAX_SKILL_CHARS || skill.chars().any(char::is_control) {
            return Err(AccountRule::Skills);
        }
        if !out.iter().any(|s| s == skill) {
            out.push(skill.to_string());
        }
    }
    if out.len() > MAX_SKILLS {
        return Err(AccountRule::Skills);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        let long = "a".repeat(MAX_USERNAME_CHARS + 1);
        let longest = "a".repeat(MAX_USERNAME_CHARS);
        let cases: &[(&str, Option<&str>)] = &[
            ("tina", Some("tina")),
            ("  tina ", Some("tina")),
            ("", None),
            ("   ", None),
            ("ti na", None),
            ("ti\tna", None),
            ("ti\u{7}na", None),
            (&long, None),
            (&longest, Some(&longest)),
            ("zoë", Some("zoë")),
        ];
        for (raw, want) in cases {
            assert_eq!(username(raw).ok().as_deref(), *want, "{raw:?}");
        }
    }

    #[test]
    fn display_names() {
        let long = "a".repeat(MAX_DISPLAY_NAME_CHARS + 1);
        let cases: &[(Option<&str>, Option<&str>)] = &[
            (None, Some("tina")),
            (Some(""), Some("tina")),
            (Some("  Tina Ward "), Some("Tina Ward")),
            (Some("Tina\nWard"), None),
            (Some(&long), None),
        ];
        for (raw, want) in cases {
            assert_eq!(display_name(*raw, "tina").ok().as_deref(), *want, "{raw:?}");
        }
    }

    #[test]
    fn passwords() {
        let cases: &[(usize, bool)] = &[
            (0, false),
            (MIN_PASSWORD_CHARS - 1, false),
            (MIN_PASSWORD_CHARS, true),
            (MAX_PASSWORD_CHARS, true),
            (MAX_PASSWORD_CHARS + 1, false),
        ];
        for (n, ok) in cases {
            assert_eq!(password(&"é".repeat(*n)).is_ok(), *ok, "{n} characters");
        }
        assert!(password("        ").is_ok(), "spaces count");
    }

    #[test]
    fn skill_lists() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let many: Vec<String> = (0..=MAX_SKILLS).map(|i| format!("s{i}")).collect();
        let cases: Vec<(Vec<String>, Option<Vec<String>>)> = vec![
            (s(&[]), Some(s(&[]))),
            (
                s(&[" boilers ", "", "boilers", "heat-pumps"]),
                Some(s(&["boilers", "heat-pumps"])),
            ),
            (s(&[&"x".repeat(MAX_SKILL_CHARS + 1)]), None),
            (s(&["a\u{0}b"]), None),
            (many.clone(), None),
            (
                many[..MAX_SKILLS].to_vec(),
                Some(many[..MAX_SKILLS].to_vec()),
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(skills(&raw).ok(), want, "{raw:?}");
        }
    }
}
