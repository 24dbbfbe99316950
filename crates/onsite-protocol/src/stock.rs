//! Van stock: the parts in each technician's van, as a ledger HQ keeps. Parts go in when HQ
//! issues them and out when a visit's use of them reaches HQ. A balance may go below zero (a
//! part from another van, a miscount): that is recorded and flagged, never refused, because
//! refusing would lose what was really done.

use crate::ids::JobId;
use crate::model::string_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Most units one issue puts into a van.
pub const MAX_ISSUE_QTY: i64 = 10_000;
/// Most serials one issue names.
pub const MAX_ISSUE_SERIALS: usize = 500;
/// Longest serial, in characters.
pub const MAX_SERIAL_CHARS: usize = 64;

string_enum!(
    /// Why parts moved.
    StockMoveKind {
        /// HQ put them into the van.
        Issued => "issued",
        /// A visit used them.
        Used => "used",
        /// They went back from the van to HQ.
        Returned => "returned",
        /// A use recorded by mistake was voided: the parts are back in the van.
        Voided => "voided",
    }
);

/// One line of a van's ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockMove {
    /// Its place in the ledger, increasing.
    pub id: i64,
    /// The part.
    pub sku: String,
    /// Units into the van (positive) or out of it (negative).
    pub qty: i64,
    /// The unit's serial, for a serialized part (one unit a line).
    pub serial: Option<String>,
    /// Why.
    pub kind: StockMoveKind,
    /// The job a use was recorded on.
    pub job_id: Option<JobId>,
    /// Who recorded it (the admin issuing, the technician using).
    pub by: String,
    /// When HQ recorded it.
    pub at: DateTime<Utc>,
}

/// What a van holds of one part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockBalance {
    /// The part.
    pub sku: String,
    /// Its name in the catalog.
    pub name: String,
    /// Units in the van; below zero when more were used than issued.
    pub qty: i64,
    /// For a serialized part, the serials issued to the van and not used yet.
    pub serials: Vec<String>,
}

impl StockBalance {
    /// More were used than were issued: a part from elsewhere, or a miscount to look into.
    #[must_use]
    pub fn negative(&self) -> bool {
        self.qty < 0
    }
}

/// `GET /stock?technician=NAME`: a van's balances and a page of its ledger, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VanStock {
    /// Whose van.
    pub technician: String,
    /// Every part the van holds or owes, by SKU.
    pub balances: Vec<StockBalance>,
    /// Ledger lines, newest first.
    pub moves: Vec<StockMove>,
    /// Pass as `before` for older lines; absent when these are the oldest.
    pub next: Option<i64>,
}

/// Query of `GET /stock`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct StockQuery {
    /// The technician's username.
    pub technician: String,
    /// Ledger lines before this id (the previous page's `next`).
    pub before: Option<i64>,
    /// Ledger lines a page; HQ caps it.
    pub limit: Option<u32>,
}

/// Body of `POST /stock/issue` (parts put into a technician's van) and of `POST /stock/return`
/// (parts taken back out of it): a count of an unserialized part or the serials of a
/// serialized one (exactly one of `qty` and `serials`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StockIssueInput {
    /// The technician's username.
    pub technician: String,
    /// The part.
    pub sku: String,
    /// How many, 1 to [`MAX_ISSUE_QTY`], for a part without serials.
    #[serde(default)]
    pub qty: Option<i64>,
    /// Each unit's serial, 1 to [`MAX_ISSUE_SERIALS`], for a serialized part.
    #[serde(default)]
    pub serials: Option<Vec<String>>,
}

/// What issuing parts to a van did: its ledger lines, and the technician's open parts
/// requests for that part it filled (oldest first, each while the parts issued cover it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockIssued {
    /// The lines added to the van's ledger.
    pub moves: Vec<StockMove>,
    /// The requests filled by them.
    pub fills: Vec<crate::visit::PartsFill>,
    /// What the van holds of the part now.
    pub balance: i64,
}

/// What taking parts back from a van did: its ledger lines (negative quantities) and what the
/// van holds of the part afterwards. The laptop's van stock follows with its next sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockReturned {
    /// The lines added to the van's ledger.
    pub moves: Vec<StockMove>,
    /// What the van holds of the part now.
    pub balance: i64,
}

/// Checks a serial as typed or scanned.
///
/// # Errors
/// What a serial may hold.
pub fn validate_serial(serial: &str) -> Result<(), String> {
    if serial.trim().is_empty()
        || serial.trim() != serial
        || serial.chars().count() > MAX_SERIAL_CHARS
        || serial.chars().any(char::is_control)
    {
        Err(format!(
            "serial {serial:?} must be 1 to {MAX_SERIAL_CHARS} printable characters, without blanks around it"
        ))
    } else {
        Ok(())
    }
}
