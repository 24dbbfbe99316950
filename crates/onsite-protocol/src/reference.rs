//! Dispatcher API bodies for reading HQ's reference data (`GET /parts`, `/checklists`,
//! `/warranty-policies`, `/guides`): pages in a stable order, continued with `next`.

use crate::checklist::ChecklistTemplate;
use crate::guide::Guide;
use crate::part::Part;
use crate::warranty::WarrantyPolicy;
use serde::{Deserialize, Serialize};

/// Query of every reference list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ReferenceQuery {
    /// Continue after this entry (the previous page's `next`).
    pub after: Option<String>,
    /// Page size; HQ caps it.
    pub limit: Option<u32>,
}

/// What an import through the API did (`POST /parts/import` and the like): the file is
/// stored whole or, refused, not at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    /// Entries in the file (parts, template or policy versions, guides).
    pub entries: u32,
    /// Records that did not exist before.
    pub created: u32,
    /// Records whose content was replaced (a part by SKU, a guide by id: a new version).
    pub updated: u32,
    /// Records already identical.
    pub unchanged: u32,
}

/// `GET /parts`: the catalog by SKU.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartList {
    /// This page.
    pub parts: Vec<Part>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// `GET /checklists`: every template version, by key then version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistList {
    /// This page.
    pub templates: Vec<ChecklistTemplate>,
    /// Pass as `after` for the next page (`key@version`); absent on the last.
    pub next: Option<String>,
}

/// `GET /warranty-policies`: every policy version, by model then version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarrantyPolicyList {
    /// This page.
    pub policies: Vec<WarrantyPolicy>,
    /// Pass as `after` for the next page (`model@version`); absent on the last.
    pub next: Option<String>,
}

/// `GET /guides`: every guide, by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuideList {
    /// This page.
    pub guides: Vec<Guide>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// Highest version of a template or policy: nine digits, as a list's cursor reads them.
pub const MAX_VERSION: u32 = 999_999_999;

/// A versioned entry's place in its list: `name@version`. The name may hold `@` itself (a
/// model name), so the version is what follows the last one.
#[must_use]
pub fn versioned_cursor(name: &str, version: u32) -> String {
    format!("{name}@{version}")
}

/// Reads [`versioned_cursor`] back: the version is 1 to 9 digits. `None` when it is not one.
#[must_use]
pub fn parse_versioned_cursor(cursor: &str) -> Option<(&str, u32)> {
    let (name, version) = cursor.rsplit_once('@')?;
    let digits = (1..=9).contains(&version.len()) && version.bytes().all(|b| b.is_ascii_digit());
    Some((name, version.parse().ok().filter(|_| digits)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioned_cursors_round_trip_names_with_at_signs() {
        for (name, version) in [("heatpump-install", 2), ("Boiler @home 24 kW", 11), ("", 1)] {
            let cursor = versioned_cursor(name, version);
            assert_eq!(parse_versioned_cursor(&cursor), Some((name, version)));
        }
        for bad in [
            "no-version",
            "key@x",
            "key@",
            "key@+1",
            "key@1234567890",
            "key@-1",
        ] {
            assert_eq!(parse_versioned_cursor(bad), None, "{bad}");
        }
    }
}

/// The reference data a device needs, in the last page of a pull: the parts catalog, and of
/// the checklist templates, warranty policies and guides those that apply to the jobs it
/// holds (by kind of job and product model), and its technician's van.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferenceUpdate {
    /// Everything that applies, not a change: drop the reference data held and keep only this
    /// (a first sync, or the jobs held now concern other kinds or models).
    pub full: bool,
    /// Parts new or changed (or, when `full`, the whole catalog).
    pub parts: Vec<Part>,
    /// Template versions new to the device (every version that applies, when `full`).
    pub checklists: Vec<ChecklistTemplate>,
    /// Policy versions new to the device (every version that applies, when `full`).
    pub policies: Vec<WarrantyPolicy>,
    /// Guides new or changed (every one that applies, when `full`).
    pub guides: Vec<Guide>,
    /// The van's balances as HQ has them, when they changed (always when `full`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<Vec<crate::stock::StockBalance>>,
    /// The organisation's letterhead, when it changed (always when `full` and HQ has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letterhead: Option<crate::letterhead::Letterhead>,
    /// The labour price list, when it changed (always when `full` and HQ has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labour: Option<crate::labour::LabourPrices>,
}

impl ReferenceUpdate {
    /// Nothing changed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        !self.full
            && self.parts.is_empty()
            && self.checklists.is_empty()
            && self.policies.is_empty()
            && self.guides.is_empty()
            && self.stock.is_none()
            && self.letterhead.is_none()
            && self.labour.is_none()
    }
}
