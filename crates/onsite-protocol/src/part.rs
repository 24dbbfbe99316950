//! Spare parts: the catalog HQ owns (`onsite-hq parts import`) and the rules a part's fields
//! follow, the same wherever a part is named.

use crate::text::line as text;
use serde::{Deserialize, Serialize};

/// Longest SKU, in characters.
pub const MAX_SKU_CHARS: usize = 64;
/// Highest unit price, in cents (ten million in the organisation's currency).
pub const MAX_PRICE_CENTS: i64 = 1_000_000_000;

/// A part in the catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Part {
    /// Stock-keeping unit: the part's stable name; a re-import updates by it.
    pub sku: String,
    /// What it is.
    pub name: String,
    /// Price of one, in cents of the organisation's currency.
    pub unit_price_cents: i64,
    /// Each unit has a serial number, recorded when it is issued and used.
    pub serialized: bool,
    /// The product models it fits; empty means any.
    pub models: Vec<String>,
}

impl Part {
    /// Whether the part fits a product of `model`.
    #[must_use]
    pub fn fits(&self, model: Option<&str>) -> bool {
        self.models.is_empty() || model.is_some_and(|m| self.models.iter().any(|x| x == m))
    }

    /// Checks every field.
    ///
    /// # Errors
    /// What is wrong, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        validate_sku(&self.sku)?;
        text("name", &self.name)?;
        if !(0..=MAX_PRICE_CENTS).contains(&self.unit_price_cents) {
            return Err(format!(
                "unit_price must be 0 to {}",
                format_price(MAX_PRICE_CENTS)
            ));
        }
        for model in &self.models {
            text("models", model)?;
        }
        Ok(())
    }
}

/// Checks a SKU: letters, digits and `- _ . /`, as printed on labels and typed on site.
///
/// # Errors
/// What a SKU may hold.
pub fn validate_sku(sku: &str) -> Result<(), String> {
    let ok = !sku.is_empty()
        && sku.chars().count() <= MAX_SKU_CHARS
        && sku
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "sku {sku:?} must be 1 to {MAX_SKU_CHARS} of A-Z, 0-9 and - _ . /"
        ))
    }
}

/// Reads a price as people write it (`12`, `12.5`, `12.50`) into cents; no sign, no
/// thousands separators, at most two decimals.
///
/// # Errors
/// What a price looks like.
pub fn parse_price(text: &str) -> Result<i64, String> {
    let bad = || format!("unit_price {text:?} is not a price like 12.50");
    let (whole, cents) = match text.split_once('.') {
        Some((w, c)) if !c.is_empty() && c.len() <= 2 => (w, c),
        Some(_) => return Err(bad()),
        None => (text, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(cents.is_empty() || digits(cents)) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().map_err(|_| bad())? * 10,
        _ => cents.parse().map_err(|_| bad())?,
    };
    let total = whole.checked_mul(100).and_then(|w| w.checked_add(cents));
    match total {
        Some(t) if t <= MAX_PRICE_CENTS => Ok(t),
        _ => Err(format!(
            "unit_price {text} is over {}",
            format_price(MAX_PRICE_CENTS)
        )),
    }
}

/// `1250` → `12.50`.
#[must_use]
pub fn format_price(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_as_people_write_them() {
        let cases: [(&str, Result<i64, &str>); 13] = [
            ("12.50", Ok(1250)),
            ("12.5", Ok(1250)),
            ("12", Ok(1200)),
            ("0", Ok(0)),
            ("0.05", Ok(5)),
            ("10000000", Ok(MAX_PRICE_CENTS)),
            ("10000000.01", Err("is over")),
            ("12.505", Err("not a price")),
            ("12.", Err("not a price")),
            (".5", Err("not a price")),
            ("-3", Err("not a price")),
            ("1,200.00", Err("not a price")),
            ("€12", Err("not a price")),
        ];
        for (text, expected) in cases {
            match (parse_price(text), expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
                (Err(e), Err(words)) => assert!(e.contains(words), "{text}: {e}"),
                (got, _) => panic!("{text}: {got:?}"),
            }
        }
        assert_eq!(format_price(1250), "12.50");
        assert_eq!(format_price(5), "0.05");
    }

    #[test]
    fn a_part_fits_its_models_or_any() {
        let part = |models: &[&str]| Part {
            sku: "HX-100".into(),
            name: "Heat exchanger".into(),
            unit_price_cents: 12_000,
            serialized: true,
            models: models.iter().map(|m| m.to_string()).collect(),
        };
        assert!(part(&[]).fits(None));
        assert!(part(&[]).fits(Some("Anything")));
        assert!(part(&["AirSource 8 kW"]).fits(Some("AirSource 8 kW")));
        assert!(!part(&["AirSource 8 kW"]).fits(Some("AquaPure")));
        assert!(!part(&["AirSource 8 kW"]).fits(None));
        assert_eq!(part(&["AirSource 8 kW"]).validate(), Ok(()));
        let cases = [
            (
                Part {
                    sku: "HX 100".into(),
                    ..part(&[])
                },
                "sku \"HX 100\"",
            ),
            (
                Part {
                    sku: String::new(),
                    ..part(&[])
                },
                "sku \"\"",
            ),
            (
                Part {
                    name: " ".into(),
                    ..part(&[])
                },
                "name is empty",
            ),
            (
                Part {
                    unit_price_cents: -1,
                    ..part(&[])
                },
                "unit_price must be",
            ),
            (part(&["a\u{7}"]), "models contains control"),
        ];
        for (p, expected) in cases {
            let err = p.validate().unwrap_err();
            assert!(err.contains(expected), "{p:?}: {err}");
        }
    }
}
