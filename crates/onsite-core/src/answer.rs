//! A checklist answer as a technician types it (`yes`, `1,8`, an option, a file path), read
//! into the value the item takes. One reading for the CLI and the desktop app.

use onsite_protocol::checklist::{AnswerValue, ChecklistItem, ItemType};

/// What a typed answer is.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    /// A value to record as it stands.
    Value(AnswerValue),
    /// A photo item's answer: the file to attach first.
    Photo(std::path::PathBuf),
}

/// Reads `typed` as an answer to `item`: yes/no takes `yes`/`no` (or `y`, `n`, `true`,
/// `false`), a number a decimal with `.` or `,`, a choice one of its options (any case), a
/// photo a file path, text anything not blank.
///
/// # Errors
/// What the item takes, in words.
pub fn read(item: &ChecklistItem, typed: &str) -> Result<Typed, String> {
    let t = typed.trim();
    let value = match item.kind {
        ItemType::YesNo => match t.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" => AnswerValue::Bool(true),
            "no" | "n" | "false" => AnswerValue::Bool(false),
            _ => return Err(format!("{:?} takes yes or no", item.label)),
        },
        ItemType::Number => match t.replace(',', ".").parse::<f64>() {
            Ok(n) if n.is_finite() => AnswerValue::Number(n),
            _ => {
                let unit = item
                    .unit
                    .as_deref()
                    .map(|u| format!(" (in {u})"))
                    .unwrap_or_default();
                return Err(format!(
                    "{:?} takes a number{unit}, such as 1.8",
                    item.label
                ));
            }
        },
        ItemType::Choice => match item.options.iter().find(|o| o.eq_ignore_ascii_case(t)) {
            Some(option) => AnswerValue::Text(option.clone()),
            None => {
                return Err(format!(
                    "{:?} takes one of: {}",
                    item.label,
                    item.options.join(", ")
                ));
            }
        },
        ItemType::Photo if t.is_empty() => {
            return Err(format!("{:?} takes a photo: give its file", item.label));
        }
        ItemType::Photo => return Ok(Typed::Photo(t.into())),
        ItemType::Text => AnswerValue::Text(t.to_string()),
    };
    Ok(Typed::Value(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: ItemType) -> ChecklistItem {
        ChecklistItem {
            key: "k".into(),
            label: "Label".into(),
            kind,
            required: true,
            unit: (kind == ItemType::Number).then(|| "bar".into()),
            min: None,
            max: None,
            options: if kind == ItemType::Choice {
                vec!["heating".into(), "hot water".into()]
            } else {
                vec![]
            },
        }
    }

    #[test]
    fn typed_answers_table() {
        use AnswerValue::*;
        let ok = [
            (ItemType::YesNo, "yes", Typed::Value(Bool(true))),
            (ItemType::YesNo, " N ", Typed::Value(Bool(false))),
            (ItemType::Number, "1,8", Typed::Value(Number(1.8))),
            (ItemType::Number, "-0.5", Typed::Value(Number(-0.5))),
            (
                ItemType::Choice,
                "Hot Water",
                Typed::Value(Text("hot water".into())),
            ),
            (
                ItemType::Text,
                " all fine ",
                Typed::Value(Text("all fine".into())),
            ),
            (
                ItemType::Photo,
                "/tmp/label.jpg",
                Typed::Photo("/tmp/label.jpg".into()),
            ),
        ];
        for (kind, typed, expected) in ok {
            assert_eq!(read(&item(kind), typed), Ok(expected), "{kind} {typed:?}");
        }
        let bad = [
            (ItemType::YesNo, "maybe", "yes or no"),
            (ItemType::Number, "high", "a number (in bar)"),
            (ItemType::Number, "inf", "a number"),
            (ItemType::Choice, "cooling", "heating, hot water"),
            (ItemType::Photo, " ", "a photo"),
        ];
        for (kind, typed, says) in bad {
            let err = read(&item(kind), typed).unwrap_err();
            assert!(err.contains(says), "{kind} {typed:?}: {err}");
        }
    }
}
