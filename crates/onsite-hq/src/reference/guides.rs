//! Technical guides as Markdown files with a small front matter (`onsite-hq guides import`):
//!
//! ```text
//! ---
//! title: Fault codes on AirSource heat pumps
//! models: AirSource 8 kW heat pump; AirSource 12 kW heat pump
//! ---
//! # Fault codes
//! …
//! ```
//!
//! The file's name without `.md` is the guide's id. `models` is `;`-separated; left out or
//! empty, the guide is about every model.

use super::{MAX_ENTRIES, ReferenceError};
use onsite_protocol::guide::{MAX_BODY_BYTES, validate_id};
use onsite_protocol::text::line;
use std::path::{Path, PathBuf};

/// A guide as read from its file, before HQ gives it a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuideFile {
    /// From the file name.
    pub id: String,
    /// From the front matter.
    pub title: String,
    /// From the front matter.
    pub models: Vec<String>,
    /// Everything after the front matter.
    pub body: String,
}

/// Reads one guide's text; `name` is its file name, for the id and for errors.
///
/// # Errors
/// What is wrong, naming the file.
pub fn parse(name: &str, text: &str) -> Result<GuideFile, ReferenceError> {
    let fail = |reason: String| ReferenceError::at(name, reason);
    let id = name.strip_suffix(".md").unwrap_or(name);
    validate_id(id).map_err(fail)?;
    if text.len() > MAX_BODY_BYTES {
        return Err(fail(format!("over {} KiB", MAX_BODY_BYTES / 1024)));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return Err(fail(
            "the first line must be --- to open the front matter".into(),
        ));
    }
    let (mut title, mut models) = (None, Vec::new());
    let mut closed = false;
    let mut consumed = 0;
    for (i, line) in lines.by_ref().enumerate() {
        consumed += line.len();
        let line = line.trim_end();
        if line == "---" {
            closed = true;
            break;
        }
        let at = |reason: String| fail(format!("line {}: {reason}", i + 2));
        if line.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(at(format!(
                "{line:?} is not `key: value` (the front matter ends with a line of ---)"
            )));
        };
        let value = value.trim();
        match key.trim() {
            "title" => title = Some(value.to_string()),
            "models" => {
                models = value
                    .split(';')
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(str::to_string)
                    .collect();
            }
            other => return Err(at(format!("unknown key {other:?}; use title and models"))),
        }
    }
    if !closed {
        return Err(fail("the front matter is not closed with ---".into()));
    }
    let first = text.find('\n').map_or(text.len(), |i| i + 1);
    let body = text[first + consumed..].trim().to_string();
    let title = title.ok_or_else(|| fail("the front matter has no title".into()))?;
    for (field, value) in
        std::iter::once(("title", &title)).chain(models.iter().map(|m| ("models", m)))
    {
        line(field, value).map_err(fail)?;
    }
    if body.is_empty() {
        return Err(fail("the guide has no text after its front matter".into()));
    }
    if body
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Err(fail("the text contains control characters".into()));
    }
    Ok(GuideFile {
        id: id.to_string(),
        title,
        models,
        body,
    })
}

/// Reads a guide file, or every `.md` file in a folder (sorted by name, not descending into
/// sub-folders).
///
/// # Errors
/// The first file that cannot be read or is wrong.
pub fn read(path: &Path) -> Result<Vec<GuideFile>, ReferenceError> {
    let io = |p: &Path| {
        let p = p.display().to_string();
        move |source| ReferenceError::Io { path: p, source }
    };
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io(path))? {
            let file = entry.map_err(io(path))?.path();
            if file.is_file() && file.extension().is_some_and(|e| e == "md") {
                files.push(file);
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(ReferenceError::File(format!(
                "{} holds no .md files",
                path.display()
            )));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    if files.len() > MAX_ENTRIES {
        return Err(ReferenceError::File(format!(
            "more than {MAX_ENTRIES} guides"
        )));
    }
    let mut guides = Vec::with_capacity(files.len());
    for file in &files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(file).map_err(io(file))?;
        let text =
            String::from_utf8(bytes).map_err(|_| ReferenceError::at(&name, "not UTF-8 text"))?;
        guides.push(parse(&name, &text)?);
    }
    Ok(guides)
}

/// One guide file as the API receives it.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Sent {
    file: String,
    text: String,
}

/// Reads guides sent as a JSON array of `{"file": "NAME.md", "text": "..."}`, the files of a
/// folder in one body.
///
/// # Errors
/// Not such an array, a name given twice, or the first wrong guide.
pub fn from_json(text: &str) -> Result<Vec<GuideFile>, ReferenceError> {
    let entries = super::json_array(text, "guide files")?;
    let mut seen = std::collections::HashSet::new();
    let mut guides = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let sent: Sent = serde_json::from_value(entry)
            .map_err(|e| ReferenceError::at(format!("entry {}", i + 1), super::serde_reason(&e)))?;
        if !seen.insert(sent.file.clone()) {
            return Err(ReferenceError::at(
                format!("entry {}", i + 1),
                format!("{:?} is sent twice", sent.file),
            ));
        }
        guides.push(parse(&sent.file, &sent.text)?);
    }
    Ok(guides)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = "---\ntitle: Fault codes on AirSource heat pumps\nmodels: AirSource 8 kW heat pump; AirSource 12 kW heat pump\n---\n# Fault codes\n\nE5: low water pressure.\n";

    #[test]
    fn reads_front_matter_and_text() {
        let guide = parse("airsource-codes.md", GUIDE).unwrap();
        assert_eq!(guide.id, "airsource-codes");
        assert_eq!(guide.title, "Fault codes on AirSource heat pumps");
        assert_eq!(guide.models.len(), 2);
        assert_eq!(guide.body, "# Fault codes\n\nE5: low water pressure.");
        let any = parse(
            "brief.md",
            "---\ntitle: Briefing the customer\n---\nShow them the thermostat.",
        )
        .unwrap();
        assert!(any.models.is_empty());
        let crlf = parse("w.md", &GUIDE.replace('\n', "\r\n")).unwrap();
        assert_eq!(crlf.title, guide.title);
        assert!(crlf.body.starts_with("# Fault codes"));
    }

    #[test]
    fn a_wrong_file_is_named() {
        let cases = [
            (
                "Codes.md",
                GUIDE.to_string(),
                "Codes.md: the guide id \"Codes\"",
            ),
            (
                "a.md",
                GUIDE.replacen("---\n", "", 1),
                "a.md: the first line must be ---",
            ),
            ("a.md", "---\ntitle: T\n".to_string(), "not closed with ---"),
            (
                "a.md",
                "---\ntitle: T\n# body".to_string(),
                "ends with a line of ---",
            ),
            (
                "a.md",
                "---\nmodels: M\n---\ntext".to_string(),
                "has no title",
            ),
            (
                "a.md",
                "---\ntitle: T\nauthor: me\n---\ntext".to_string(),
                "a.md: line 3: unknown key \"author\"",
            ),
            (
                "a.md",
                "---\ntitle: T\njust words\n---\ntext".to_string(),
                "line 3: \"just words\" is not `key: value`",
            ),
            ("a.md", "---\ntitle: T\n---\n \n".to_string(), "has no text"),
            (
                "a.md",
                "---\ntitle: \n---\ntext".to_string(),
                "title is empty",
            ),
            (
                "a.md",
                "---\ntitle: T\n---\nbad \u{1b}[31m".to_string(),
                "control characters",
            ),
        ];
        for (name, text, expected) in cases {
            let err = parse(name, &text).unwrap_err().to_string();
            assert!(err.contains(expected), "{name} {text:?}: {err}");
        }
    }

    #[test]
    fn a_folder_is_read_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b-second.md"), GUIDE).unwrap();
        std::fs::write(dir.path().join("a-first.md"), GUIDE).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a guide").unwrap();
        let ids: Vec<String> = read(dir.path())
            .unwrap()
            .into_iter()
            .map(|g| g.id)
            .collect();
        assert_eq!(ids, ["a-first", "b-second"]);
        std::fs::write(dir.path().join("c.md"), "no front matter").unwrap();
        let err = read(dir.path()).unwrap_err().to_string();
        assert!(err.starts_with("c.md:"), "{err}");
    }
}
