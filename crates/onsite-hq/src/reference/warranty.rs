//! Warranty policies as a JSON array (`onsite-hq warranty import`), one per product model and
//! version.

use super::{ReferenceError, serde_reason};
use onsite_protocol::warranty::WarrantyPolicy;
use std::collections::HashMap;

/// Reads and checks a whole file of policies; each comes with its 1-based entry number.
///
/// # Errors
/// The first wrong entry (one given twice names both), or a file that is not a JSON array.
pub fn parse(text: &str) -> Result<Vec<(usize, WarrantyPolicy)>, ReferenceError> {
    let entries = super::json_array(text, "warranty policies")?;
    let mut policies = Vec::with_capacity(entries.len());
    let mut seen: HashMap<(String, u32), usize> = HashMap::new();
    for (i, entry) in entries.into_iter().enumerate() {
        let number = i + 1;
        let policy: WarrantyPolicy = serde_json::from_value(entry)
            .map_err(|e| ReferenceError::at(format!("entry {number}"), serde_reason(&e)))?;
        let place = format!(
            "entry {number} ({:?} version {})",
            policy.model, policy.version
        );
        validate(&policy).map_err(|e| ReferenceError::at(&place, e))?;
        if let Some(first) = seen.insert((policy.model.clone(), policy.version), number) {
            return Err(ReferenceError::at(
                place,
                format!("entry {first} is the same version"),
            ));
        }
        policies.push((number, policy));
    }
    Ok(policies)
}

/// The periods must nest: a return period longer than the replacement one, or either longer
/// than the repair period, would be a typo that changes what customers are owed.
fn validate(policy: &WarrantyPolicy) -> Result<(), String> {
    onsite_protocol::text::line("model", &policy.model)?;
    if !(1..=onsite_protocol::reference::MAX_VERSION).contains(&policy.version) {
        return Err(format!(
            "version must be 1 to {}",
            onsite_protocol::reference::MAX_VERSION
        ));
    }
    if policy.return_days > policy.replace_days {
        return Err(format!(
            "return_days {} is longer than replace_days {}",
            policy.return_days, policy.replace_days
        ));
    }
    if policy.repair_months > 240 {
        return Err("repair_months is over 240 (20 years)".into());
    }
    if i64::from(policy.replace_days) > i64::from(policy.repair_months) * 31 {
        return Err(format!(
            "replace_days {} is longer than the {}-month repair period",
            policy.replace_days, policy.repair_months
        ));
    }
    if policy.max_repairs > 100 {
        return Err("max_repairs is over 100".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"[{"model":"AirSource 8 kW heat pump","version":1,"from":"purchase","return_days":7,"replace_days":15,"repair_months":24,"max_repairs":2,"excluded_faults":["physical_damage","misuse","unauthorised_repair","wear"]}]"#;

    #[test]
    fn reads_policies() {
        let policies = parse(EXAMPLE).unwrap();
        assert_eq!(policies[0].1.excluded_faults.len(), 4);
    }

    #[test]
    fn a_wrong_entry_is_named() {
        let entry = &EXAMPLE[1..EXAMPLE.len() - 1];
        let cases = [
            (
                format!("[{entry},{entry}]"),
                "entry 2 (\"AirSource 8 kW heat pump\" version 1): entry 1 is the same version",
            ),
            (
                EXAMPLE.replace("\"return_days\":7", "\"return_days\":30"),
                "return_days 30 is longer than replace_days 15",
            ),
            (
                EXAMPLE.replace("\"repair_months\":24", "\"repair_months\":0"),
                "replace_days 15 is longer than the 0-month repair period",
            ),
            (
                EXAMPLE.replace("\"purchase\"", "\"delivery\""),
                "entry 1: unknown variant `delivery`",
            ),
            (
                EXAMPLE.replace("\"wear\"", "\"rust\""),
                "unknown variant `rust`",
            ),
            (
                EXAMPLE.replace("\"version\":1", "\"version\":0"),
                "version must be 1",
            ),
            (
                EXAMPLE.replace("AirSource 8 kW heat pump", " "),
                "model is empty",
            ),
        ];
        for (file, expected) in cases {
            let err = parse(&file).unwrap_err().to_string();
            assert!(err.contains(expected), "{file}: {err}");
        }
    }
}
