//! Rules every job must satisfy, whether it arrives by import, the API or an edit.

use onsite_protocol::Job;
use onsite_protocol::api::JobInput;

/// Longest job number accepted.
pub const MAX_NUMBER: usize = 32;
/// Longest one-line field (summary, names, model, serial, phone, email, town).
pub const MAX_LINE: usize = 200;
/// Longest address.
pub const MAX_ADDRESS: usize = 500;
/// Longest free text (description, access notes).
pub const MAX_TEXT: usize = 10_000;

fn required(field: &str, value: &str, max: usize) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("{field} is required"));
    }
    optional(field, Some(value), max)
}

fn optional(field: &str, value: Option<&str>, max: usize) -> Result<(), String> {
    match value {
        Some(v) if v.chars().count() > max => {
            Err(format!("{field} is longer than {max} characters"))
        }
        Some(v) if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') => {
            Err(format!("{field} contains control characters"))
        }
        _ => Ok(()),
    }
}

fn window<T: PartialOrd>(start: Option<T>, end: Option<T>) -> Result<(), String> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err("scheduled_end is before scheduled_start".into()),
        _ => Ok(()),
    }
}

/// Checks a job as given to import or `POST /jobs`.
///
/// # Errors
/// A message naming the first offending field.
pub fn validate(input: &JobInput) -> Result<(), String> {
    if let Some(n) = &input.number {
        required("number", n, MAX_NUMBER)?;
        if n.trim().chars().any(char::is_whitespace) {
            return Err("number must not contain spaces".into());
        }
        // People read numbers out and type them: no look-alike, invisible or direction-changing
        // characters that would make two numbers look the same.
        if let Some(c) = n.trim().chars().find(|c| !number_char(*c)) {
            return Err(format!(
                "number may hold only letters A-Z, digits and - _ . / # (found {:?})",
                c
            ));
        }
    }
    required("summary", &input.summary, MAX_LINE)?;
    optional("description", input.description.as_deref(), MAX_TEXT)?;
    optional("technician", input.technician.as_deref(), MAX_LINE)?;
    required("customer.name", &input.customer.name, MAX_LINE)?;
    optional("customer.phone", input.customer.phone.as_deref(), MAX_LINE)?;
    optional("customer.email", input.customer.email.as_deref(), MAX_LINE)?;
    if let Some(email) = input.customer.email.as_deref().map(str::trim)
        && !email.is_empty()
        && !email.contains('@')
    {
        return Err(format!("customer.email {email:?} is not an email address"));
    }
    required("site.address", &input.site.address, MAX_ADDRESS)?;
    optional("site.town", input.site.town.as_deref(), MAX_LINE)?;
    optional(
        "site.access_notes",
        input.site.access_notes.as_deref(),
        MAX_TEXT,
    )?;
    if let Some(a) = &input.asset {
        required("asset.model", &a.model, MAX_LINE)?;
        optional("asset.serial", a.serial.as_deref(), MAX_LINE)?;
    }
    window(input.scheduled_start, input.scheduled_end)
}

/// Characters a job number may hold.
fn number_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '#')
}

/// Longest cancellation reason.
pub const MAX_REASON: usize = 1_000;

/// Checks the reason given when cancelling a job.
///
/// # Errors
/// A message saying what is wrong with it.
pub fn validate_reason(reason: Option<&str>) -> Result<(), String> {
    optional("reason", reason, MAX_REASON)
}

/// Checks a job after an edit.
///
/// # Errors
/// A message naming the first offending field.
pub fn validate_job(job: &Job) -> Result<(), String> {
    required("summary", &job.summary, MAX_LINE)?;
    optional("description", job.description.as_deref(), MAX_TEXT)?;
    window(job.scheduled_start, job.scheduled_end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(patch: serde_json::Value) -> JobInput {
        let mut base = json!({"number": "J-1", "kind": "repair", "summary": "Leak",
            "customer": {"name": "Bob"}, "site": {"address": "1 High St"}});
        for (k, v) in patch.as_object().unwrap() {
            base[k] = v.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn accepts_a_minimal_job() {
        assert_eq!(validate(&input(json!({}))), Ok(()));
    }

    #[test]
    fn names_the_offending_field() {
        let cases = [
            (json!({"summary": "  "}), "summary is required"),
            (
                json!({"customer": {"name": ""}}),
                "customer.name is required",
            ),
            (
                json!({"site": {"address": " "}}),
                "site.address is required",
            ),
            (json!({"number": "J 1"}), "number must not contain spaces"),
            (json!({"number": "J-1\u{200b}"}), "number may hold only"),
            (json!({"number": "J-\u{202e}1"}), "number may hold only"),
            (json!({"number": "Ј-1"}), "number may hold only"),
            (
                json!({"customer": {"name": "B", "email": "nope"}}),
                "customer.email",
            ),
            (json!({"asset": {"model": ""}}), "asset.model is required"),
            (
                json!({"summary": "x".repeat(201)}),
                "summary is longer than 200",
            ),
            (json!({"summary": "a\u{0007}b"}), "summary contains control"),
            (
                json!({"scheduled_start": "2026-11-24T10:00:00Z", "scheduled_end": "2026-11-24T08:00:00Z"}),
                "scheduled_end is before scheduled_start",
            ),
        ];
        for (patch, expected) in cases {
            let err = validate(&input(patch.clone())).unwrap_err();
            assert!(err.contains(expected), "{patch}: {err}");
        }
    }
}
