//! The parts catalog as CSV: `sku,name,unit_price,serialized,models`, one part a line after
//! the header; `models` is a `;`-separated list of the product models the part fits (empty:
//! any). A re-import updates parts by SKU.

use super::{MAX_ENTRIES, ReferenceError};
use onsite_protocol::part::{Part, parse_price};
use std::collections::HashMap;

/// The columns, in any order.
pub const COLUMNS: [&str; 5] = ["sku", "name", "unit_price", "serialized", "models"];

/// Reads and checks a whole catalog file; each part comes with its line number.
///
/// # Errors
/// The first wrong line (a duplicated SKU names both lines), or a header that lacks or adds
/// a column.
pub fn parse(text: &str) -> Result<Vec<(usize, Part)>, ReferenceError> {
    // Line numbers are counted here: the reader's own do not count the blank lines it skips,
    // and a record's position is where the blank lines before it start.
    let bytes = text.as_bytes();
    let line_at = |byte: u64| {
        let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        1 + bytes[..end].iter().filter(|b| **b == b'\n').count()
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = csv
        .headers()
        .map_err(|e| ReferenceError::File(format!("cannot read the header: {e}")))?
        .clone();
    let mut at = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if !COLUMNS.contains(&name) {
            return Err(ReferenceError::File(format!(
                "unknown column {name:?}; the columns are {}",
                COLUMNS.join(",")
            )));
        }
        if at.insert(name, i).is_some() {
            return Err(ReferenceError::File(format!(
                "column {name:?} is given twice"
            )));
        }
    }
    if let Some(missing) = COLUMNS.iter().find(|c| !at.contains_key(*c)) {
        return Err(ReferenceError::File(format!(
            "the header lacks {missing:?}; the columns are {}",
            COLUMNS.join(",")
        )));
    }
    let mut parts = Vec::new();
    let mut lines_of: HashMap<String, usize> = HashMap::new();
    for record in csv.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(p.byte()));
            ReferenceError::at(format!("line {line}"), e.to_string())
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        let place = || format!("line {line}");
        if record.iter().all(str::is_empty) {
            continue;
        }
        if parts.len() == MAX_ENTRIES {
            return Err(ReferenceError::File(format!(
                "more than {MAX_ENTRIES} parts in one file"
            )));
        }
        let field = |name: &str| record.get(at[name]).unwrap_or_default();
        let serialized = match field("serialized").to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            other => {
                return Err(ReferenceError::at(
                    place(),
                    format!("serialized is {other:?}; write true or false"),
                ));
            }
        };
        let part = Part {
            sku: field("sku").to_string(),
            name: field("name").to_string(),
            unit_price_cents: parse_price(field("unit_price"))
                .map_err(|e| ReferenceError::at(place(), e))?,
            serialized,
            models: field("models")
                .split(';')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_string)
                .collect(),
        };
        part.validate()
            .map_err(|e| ReferenceError::at(place(), e))?;
        if let Some(first) = lines_of.insert(part.sku.clone(), line) {
            return Err(ReferenceError::at(
                place(),
                format!("sku {:?} is also on line {first}", part.sku),
            ));
        }
        parts.push((line, part));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_catalog() {
        let file = "sku,name,unit_price,serialized,models\n\
                    HX-100,Heat exchanger,120.00,true,AirSource 8 kW heat pump; AirSource 12 kW heat pump\n\
                    \n\
                    \"FLT-2\",\"Filter, fine\",4.5,FALSE,\n";
        let parts = parse(file).unwrap();
        assert_eq!(parts.len(), 2);
        let (line, hx) = &parts[0];
        assert_eq!(*line, 2);
        assert_eq!(hx.unit_price_cents, 12_000);
        assert!(hx.serialized);
        assert_eq!(
            hx.models,
            ["AirSource 8 kW heat pump", "AirSource 12 kW heat pump"]
        );
        let (line, filter) = &parts[1];
        assert_eq!(*line, 4);
        assert_eq!(filter.name, "Filter, fine");
        assert_eq!(filter.unit_price_cents, 450);
        assert!(!filter.serialized && filter.models.is_empty());
        // Columns in another order are read by name.
        let reordered = "models,sku,serialized,name,unit_price\n,V-1,false,Valve,9\n";
        assert_eq!(parse(reordered).unwrap()[0].1.sku, "V-1");
    }

    #[test]
    fn a_wrong_line_or_header_is_named() {
        let header = "sku,name,unit_price,serialized,models\n";
        let cases = [
            (
                format!("{header}A,a,1,true,\nB,b,x,true,\n"),
                "line 3: unit_price \"x\"",
            ),
            (
                format!("{header}A,a,1,yes,\n"),
                "line 2: serialized is \"yes\"",
            ),
            (format!("{header}A B,a,1,true,\n"), "line 2: sku \"A B\""),
            (format!("{header}A,,1,true,\n"), "line 2: name is empty"),
            (
                format!("{header}A,a,1,true,\nA,b,2,true,\n"),
                "line 3: sku \"A\" is also on line 2",
            ),
            (format!("{header}A,a,1,true\n"), "line 2"),
            (
                "sku,name,price,serialized,models\n".to_string(),
                "unknown column \"price\"",
            ),
            (
                "sku,name,unit_price,serialized\n".to_string(),
                "lacks \"models\"",
            ),
            (
                "sku,sku,name,unit_price,serialized,models\n".to_string(),
                "\"sku\" is given twice",
            ),
        ];
        for (file, expected) in cases {
            let err = parse(&file).unwrap_err().to_string();
            assert!(err.contains(expected), "{file:?}: {err}");
        }
    }
}
