//! HQ's log of every op it received, whatever became of it, in receive order.

use crate::hlc::Hlc;
use crate::ids::{DeviceId, JobId, OpId};
use crate::push::{Outcome, Reason};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry of HQ's log of received ops, whatever became of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceivedOp {
    /// Receive order at HQ; strictly increasing.
    pub seq: i64,
    /// The op id, if the op had a readable one.
    pub op_id: Option<OpId>,
    /// The session's device.
    pub device_id: DeviceId,
    /// The session's user.
    pub username: String,
    /// The job the op names, if readable.
    pub job_id: Option<JobId>,
    /// The device's clock stamp, if readable.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub hlc: Option<Hlc>,
    /// HQ's clock when it recorded the op; absent only if the stored stamp cannot be read
    /// (a database written by a version whose clock could overflow), so one bad row never
    /// costs the rest of the page.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub hq_hlc: Option<Hlc>,
    /// HQ's wall clock when it recorded the op.
    pub received_at: DateTime<Utc>,
    /// `applied`, `conflict` or `rejected`.
    pub outcome: Outcome,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The op exactly as received.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
    pub body: serde_json::Value,
}

/// Query of `GET /ops`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ReceivedOpsQuery {
    /// Continue after this `seq`.
    pub after: Option<i64>,
    /// Page size; HQ caps it.
    pub limit: Option<u32>,
}

/// Answer of `GET /ops`, in receive order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceivedOps {
    /// This page.
    pub ops: Vec<ReceivedOp>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<i64>,
}
