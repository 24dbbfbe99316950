//! Checklist templates as a JSON array (`onsite-hq checklists import`).

use super::{ReferenceError, serde_reason};
use onsite_protocol::checklist::ChecklistTemplate;
use std::collections::HashMap;

/// Reads and checks a whole file of templates; each comes with its 1-based entry number.
///
/// # Errors
/// The first wrong entry (one given twice names both), or a file that is not a JSON array.
pub fn parse(text: &str) -> Result<Vec<(usize, ChecklistTemplate)>, ReferenceError> {
    let entries = super::json_array(text, "checklist templates")?;
    let mut templates = Vec::with_capacity(entries.len());
    let mut seen: HashMap<(String, u32), usize> = HashMap::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let number = i + 1;
        let template: ChecklistTemplate = serde_json::from_value(entry)
            .map_err(|e| ReferenceError::at(format!("entry {number}"), serde_reason(&e)))?;
        let place = format!(
            "entry {number} ({:?} version {})",
            template.key, template.version
        );
        template
            .validate()
            .map_err(|e| ReferenceError::at(&place, e))?;
        if let Some(first) = seen.insert((template.key.clone(), template.version), number) {
            return Err(ReferenceError::at(
                place,
                format!("entry {first} is the same version"),
            ));
        }
        templates.push((number, template));
    }
    Ok(templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"[{"key":"heatpump-install","version":1,"title":"Heat pump installation","kinds":["installation"],"models":["AirSource 8 kW heat pump"],"items":[{"key":"earth","label":"Earth continuity tested","type":"yes_no","required":true},{"key":"pressure","label":"System pressure","type":"number","unit":"bar","min":1.0,"max":2.5,"required":true}]}]"#;

    #[test]
    fn reads_templates() {
        let templates = parse(EXAMPLE).unwrap();
        assert_eq!(templates.len(), 1);
        assert_eq!(templates[0].1.items[1].unit.as_deref(), Some("bar"));
    }

    #[test]
    fn a_wrong_entry_is_named() {
        let two = format!(
            "[{},{}]",
            &EXAMPLE[1..EXAMPLE.len() - 1],
            &EXAMPLE[1..EXAMPLE.len() - 1]
        );
        let cases = [
            (
                two,
                "entry 2 (\"heatpump-install\" version 1): entry 1 is the same version",
            ),
            (
                EXAMPLE.replace("\"yes_no\"", "\"bool\""),
                "entry 1: unknown variant `bool`",
            ),
            (
                EXAMPLE.replace("\"min\":1.0", "\"min\":3.0"),
                "entry 1 (\"heatpump-install\" version 1): item \"pressure\": min 3 is above max 2.5",
            ),
            ("{}".to_string(), "a JSON array of checklist templates"),
            ("[".to_string(), "not JSON"),
            ("[]".to_string(), "no checklist templates"),
        ];
        for (file, expected) in cases {
            let err = parse(&file).unwrap_err().to_string();
            assert!(err.contains(expected), "{file}: {err}");
        }
    }
}
