//! Conflicts: ops HQ kept for a dispatcher to decide, and how one is settled.

use crate::model::string_enum;
use crate::push::RecordedOp;
use crate::status::JobStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

string_enum!(
    /// How a dispatcher settles a conflict.
    Resolution {
        /// The technician's change is applied.
        AcceptDevice => "accept_device",
        /// HQ's state stays; the technician's change is kept on record only.
        KeepHq => "keep_hq",
    }
);

/// A conflict's state: open, or settled by a dispatcher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settlement {
    /// What was decided.
    pub resolution: Resolution,
    /// The dispatcher who decided (username).
    pub by: String,
    /// Their display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_name: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// What the dispatcher said about it, for the technician.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `GET /conflicts`: one conflict with what a dispatcher needs to decide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictView {
    /// The conflicting op.
    pub op: RecordedOp,
    /// The job's number.
    pub job_number: String,
    /// The job's status at HQ now.
    pub job_status: JobStatus,
    /// Who holds the job now.
    pub technician: Option<String>,
}

/// Query of `GET /conflicts`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ConflictQuery {
    /// Include settled conflicts too (default: open ones only).
    #[serde(default)]
    pub all: bool,
}

/// `POST /conflicts/{op_id}/resolve`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolveRequest {
    /// The decision.
    pub resolution: Resolution,
    /// Words for the technician (why), shown on their conflict card; at most
    /// [`MAX_SETTLEMENT_NOTE_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Longest note a dispatcher may give with a settlement, in characters.
pub const MAX_SETTLEMENT_NOTE_CHARS: usize = 500;
