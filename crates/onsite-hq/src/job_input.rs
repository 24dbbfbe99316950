//! Rules every job must satisfy, whether it arrives by import, the API or an edit, and the
//! words a dispatcher attaches to one (a cancel reason, a settlement note).

use onsite_protocol::Job;
use onsite_protocol::api::{JobInput, JobPatch};
use onsite_protocol::conflict::MAX_SETTLEMENT_NOTE_CHARS;

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
    position(&input.site)?;
    if let Some(a) = &input.asset {
        required("asset.model", &a.model, MAX_LINE)?;
        optional("asset.serial", a.serial.as_deref(), MAX_LINE)?;
    }
    window(input.scheduled_start, input.scheduled_end)
}

/// Checks a site's coordinates: both or neither, finite and in range.
fn position(site: &onsite_protocol::api::SiteInput) -> Result<(), String> {
    match (site.lat, site.lon) {
        (None, None) => Ok(()),
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat.0) {
                Err(format!("site.lat {} is not a latitude (-90 to 90)", lat.0))
            } else if !(-180.0..=180.0).contains(&lon.0) {
                Err(format!(
                    "site.lon {} is not a longitude (-180 to 180)",
                    lon.0
                ))
            } else {
                Ok(())
            }
        }
        _ => Err("site.lat and site.lon go together: give both or neither".into()),
    }
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

/// Checks a dispatcher's edit as given, before it is applied (a summary padded past
/// [`MAX_LINE`] with blanks is refused, as its description says, not trimmed into shape).
///
/// # Errors
/// A message naming the first offending field.
pub fn validate_patch(patch: &JobPatch) -> Result<(), String> {
    if let Some(summary) = &patch.summary {
        required("summary", summary, MAX_LINE)?;
    }
    if let Some(description) = &patch.description {
        optional("description", description.as_deref(), MAX_TEXT)?;
    }
    Ok(())
}

/// Checks the note a dispatcher gives with a conflict's settlement.
///
/// # Errors
/// A message saying what is wrong with it.
pub fn validate_settlement_note(note: Option<&str>) -> Result<(), String> {
    optional("note", note, MAX_SETTLEMENT_NOTE_CHARS)
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

/// The rules above as JSON Schema states them in HQ's OpenAPI description
/// (`routes::openapi`), so a tool that reads it generates what HQ accepts and expects HQ to
/// refuse the rest. The patterns use explicit character classes only (`\s` means different
/// things in different regex engines) and match in linear time. A test holds them to
/// [`validate`] and its siblings, string by string.
pub mod described {
    use super::{MAX_ADDRESS, MAX_LINE, MAX_NUMBER, MAX_REASON, MAX_TEXT};
    use onsite_protocol::conflict::MAX_SETTLEMENT_NOTE_CHARS;

    /// Any text without control characters other than tab and newline.
    pub const TEXT: &str = r"^[^\x00-\x08\x0B-\x1F\x7F-\x9F]*$";
    /// Text as [`TEXT`] with at least one character that is not blank (Unicode white space).
    pub const REQUIRED: &str = concat!(
        r"^[\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*",
        r"[^\x00-\x20\x7F-\x9F\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]",
        r"[^\x00-\x08\x0B-\x1F\x7F-\x9F]*$"
    );
    /// Blank, or text as [`TEXT`] holding an `@`.
    pub const EMAIL: &str = concat!(
        r"^([\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*|",
        r"[^\x00-\x08\x0B-\x1F\x7F-\x9F@]*@[^\x00-\x08\x0B-\x1F\x7F-\x9F]*)$"
    );
    /// A job number: letters A-Z, digits and `- _ . / #`, blanks around it ignored.
    pub const NUMBER: &str = concat!(
        r"^[\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*",
        r"[A-Za-z0-9._/#-]+",
        r"[\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    );

    /// One text property of a described schema: its pattern and its most characters.
    #[derive(Clone, Copy, Debug)]
    pub struct Field {
        /// The component schema (the protocol type's name).
        pub schema: &'static str,
        /// The property.
        pub property: &'static str,
        /// What its characters must match.
        pub pattern: &'static str,
        /// Its most characters (Unicode scalar values, as JSON Schema counts).
        pub max: usize,
    }

    const fn field(
        schema: &'static str,
        property: &'static str,
        pattern: &'static str,
        max: usize,
    ) -> Field {
        Field {
            schema,
            property,
            pattern,
            max,
        }
    }

    /// Every text property HQ checks beyond its type.
    pub const FIELDS: &[Field] = &[
        field("JobInput", "number", NUMBER, MAX_NUMBER),
        field("JobInput", "summary", REQUIRED, MAX_LINE),
        field("JobInput", "description", TEXT, MAX_TEXT),
        field("JobInput", "technician", TEXT, MAX_LINE),
        field("CustomerInput", "name", REQUIRED, MAX_LINE),
        field("CustomerInput", "phone", TEXT, MAX_LINE),
        field("CustomerInput", "email", EMAIL, MAX_LINE),
        field("SiteInput", "address", REQUIRED, MAX_ADDRESS),
        field("SiteInput", "town", TEXT, MAX_LINE),
        field("SiteInput", "access_notes", TEXT, MAX_TEXT),
        field("AssetInput", "model", REQUIRED, MAX_LINE),
        field("AssetInput", "serial", TEXT, MAX_LINE),
        field("JobPatch", "summary", REQUIRED, MAX_LINE),
        field("JobPatch", "description", TEXT, MAX_TEXT),
        field("CancelRequest", "reason", TEXT, MAX_REASON),
        field("ResolveRequest", "note", TEXT, MAX_SETTLEMENT_NOTE_CHARS),
    ];
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
    fn accepts_coordinates_at_their_limits() {
        for (lat, lon) in [(90.0, 180.0), (-90.0, -180.0), (51.5, -0.12), (0.0, 0.0)] {
            let job = input(json!({"site": {"address": "1 High St", "lat": lat, "lon": lon}}));
            assert_eq!(validate(&job), Ok(()), "{lat}, {lon}");
        }
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
            (
                json!({"site": {"address": "1 High St", "lat": 91.0, "lon": 0.0}}),
                "site.lat 91 is not a latitude",
            ),
            (
                json!({"site": {"address": "1 High St", "lat": 51.5, "lon": -180.5}}),
                "site.lon -180.5 is not a longitude",
            ),
            (
                json!({"site": {"address": "1 High St", "lat": 51.5}}),
                "give both or neither",
            ),
        ];
        for (patch, expected) in cases {
            let err = validate(&input(patch.clone())).unwrap_err();
            assert!(err.contains(expected), "{patch}: {err}");
        }
    }

    /// Sets `field` of a valid job (or its patch, reason or note) to `value` and says whether
    /// HQ's own check accepts it.
    fn hq_accepts(field: &described::Field, value: &str) -> bool {
        let text = json!(value);
        let patched = |patch: serde_json::Value| validate(&input(patch)).is_ok();
        match (field.schema, field.property) {
            ("JobInput", property) => patched(json!({ property: text })),
            ("CustomerInput", property) => {
                patched(json!({"customer": {"name": "Bob", property: text}}))
            }
            ("SiteInput", property) => {
                patched(json!({"site": {"address": "1 High St", property: text}}))
            }
            ("AssetInput", property) => patched(json!({"asset": {"model": "M", property: text}})),
            ("JobPatch", property) => {
                let patch: JobPatch = serde_json::from_value(json!({ property: text })).unwrap();
                validate_patch(&patch).is_ok()
            }
            ("CancelRequest", "reason") => validate_reason(Some(value)).is_ok(),
            ("ResolveRequest", "note") => validate_settlement_note(Some(value)).is_ok(),
            other => panic!("no check known for {other:?}"),
        }
    }

    /// What the description promises: the pattern matches and the length is within `max`.
    fn described_accepts(field: &described::Field, value: &str) -> bool {
        let pattern = regex::Regex::new(field.pattern).expect("a valid pattern");
        pattern.is_match(value) && value.chars().count() <= field.max
    }

    #[test]
    fn the_description_states_exactly_what_hq_accepts() {
        let mut samples: Vec<String> = [
            "",
            " ",
            "\t",
            "\n",
            "\r\n",
            "x\r\ny",
            "a",
            " a ",
            "a b",
            "x\ty",
            "x\ny",
            "a\u{7}b",
            "\u{0}",
            "\u{1b}[31m",
            "\u{7f}",
            "\u{85}",
            "\u{9f}",
            "\u{a0}",
            "\u{a0}x",
            "\u{3000}",
            "\u{2028}",
            "\u{200b}",
            "\u{feff}",
            "\u{202e}",
            "é",
            "日本",
            "🙂",
            "a@b",
            "@",
            " @ ",
            "bob@example.com",
            "bob example",
            "J-1",
            " J-1 ",
            "\tJ-1\n",
            "J 1",
            "J-1\u{200b}",
            "Ј-1",
            "J/2#3_4.5",
            "J-1\u{a0}",
            "\u{85}J-1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for field in described::FIELDS {
            for n in [field.max - 1, field.max, field.max + 1] {
                samples.push("x".repeat(n));
                samples.push(format!(" {} ", "é".repeat(n - 2)));
            }
        }
        for field in described::FIELDS {
            for value in &samples {
                assert_eq!(
                    described_accepts(field, value),
                    hq_accepts(field, value),
                    "{}.{} = {:?} ({} characters)",
                    field.schema,
                    field.property,
                    value.chars().take(40).collect::<String>(),
                    value.chars().count()
                );
            }
        }
    }
}
