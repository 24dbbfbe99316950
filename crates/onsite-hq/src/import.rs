//! Reading a JSON Lines import file (`docs/IMPORT.md`): one job per line, blank lines skipped.

use onsite_protocol::api::JobInput;
use std::io::BufRead;

/// Why an import file was refused. Nothing is imported when any line is bad.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A line is not a valid job.
    #[error("line {line}: {reason}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The file could not be read.
    #[error("cannot read the import file: {0}")]
    Io(#[from] std::io::Error),
}

/// Parses every line, keeping line numbers for later error messages.
///
/// # Errors
/// The first unparseable line, or a read failure.
pub fn parse(reader: impl BufRead) -> Result<Vec<(usize, JobInput)>, ImportError> {
    let mut jobs = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line_no = i + 1;
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let job = serde_json::from_str::<JobInput>(&line).map_err(|e| ImportError::Line {
            line: line_no,
            reason: describe(&e),
        })?;
        jobs.push((line_no, job));
    }
    Ok(jobs)
}

/// serde's message without its own "at line 1 column N" (always line 1 here).
fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &text[..i], e.column()),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_skips_blanks() {
        let file = "\n{\"number\":\"J-1\",\"kind\":\"repair\",\"summary\":\"s\",\"customer\":{\"name\":\"A\"},\"site\":{\"address\":\"x\"}}\n\n";
        let jobs = parse(file.as_bytes()).unwrap();
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].0, 2);
    }

    #[test]
    fn reports_the_line_and_the_reason() {
        let file = "{\"number\":\"J-1\",\"kind\":\"repair\",\"summary\":\"s\",\"customer\":{\"name\":\"A\"},\"site\":{\"address\":\"x\"}}\n{\"number\":\"J-2\",\"kind\":\"fixing\"}\n";
        match parse(file.as_bytes()) {
            Err(ImportError::Line { line: 2, reason }) => {
                assert!(reason.contains("fixing"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        match parse("{\"number\":".as_bytes()) {
            Err(ImportError::Line { line: 1, reason }) => {
                assert!(reason.contains("EOF"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }
}
