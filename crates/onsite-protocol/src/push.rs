//! Pushing ops to HQ and what HQ answers: per-op outcomes with reason codes, and the ops HQ
//! recorded for a job. Conflicts (`conflict`), HQ's log of received ops (`received`) and the
//! attachment upload (`blob`) have their own modules.

use crate::conflict::Settlement;
use crate::hlc::Hlc;
use crate::ids::OpId;
use crate::model::string_enum;
use crate::op::Op;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Most ops HQ takes in one push.
pub const MAX_PUSH_OPS: usize = 1000;

string_enum!(
    /// What HQ did with one pushed op.
    Outcome {
        /// Merged into HQ's state (for a correctable value, possibly superseded by a later one:
        /// see the reason).
        Applied => "applied",
        /// HQ already had this op id; `first` says what happened to it then.
        Duplicate => "duplicate",
        /// Recorded, but it clashes with HQ's state; kept for a dispatcher to resolve.
        Conflict => "conflict",
        /// Recorded, and refused: not allowed or not valid (see the reason).
        Rejected => "rejected",
    }
);

string_enum!(
    /// Why an op was rejected or conflicted, or how it was applied. Stable, like error codes.
    Reason {
        /// Not an op: a field is missing or has the wrong type.
        MalformedOp => "malformed_op",
        /// An op kind this HQ does not accept.
        UnknownKind => "unknown_kind",
        /// The op says it comes from another device than the session's.
        WrongDevice => "wrong_device",
        /// An op id already used by another device's op.
        OpIdReused => "op_id_reused",
        /// No such job at HQ.
        UnknownJob => "unknown_job",
        /// The job is not, and never was, the caller's.
        NotYourJob => "not_your_job",
        /// A value breaks a rule (the message names it), or the change is not one a
        /// technician may make.
        InvalidValue => "invalid_value",
        /// A serial correction on a job without an asset.
        NoAsset => "no_asset",
        /// An attachment whose content HQ has not received in full.
        AttachmentMissing => "attachment_missing",
        /// An attachment over the size limit.
        AttachmentTooLarge => "attachment_too_large",
        /// A status change HQ's current status does not allow (e.g. completed on site, cancelled
        /// at HQ).
        StatusConflict => "status_conflict",
        /// A status change on a job that was given to another technician meanwhile.
        JobReassigned => "job_reassigned",
        /// Work time started on a job that is completed or cancelled: a closed job takes no
        /// more time on site. Facts such as notes and photos are still accepted on it.
        JobClosed => "job_closed",
        /// A correction that lost to a later one (by HLC); it is kept in the history.
        Superseded => "superseded",
        /// A work time that cannot be true: more than a day after HQ's time, or before the
        /// job was created. The laptop's clock is wrong; the message says which way.
        ImplausibleTime => "implausible_time",
        /// A part use or request naming a SKU HQ's catalog does not have.
        UnknownPart => "unknown_part",
        /// An answer to a checklist version HQ does not have.
        UnknownChecklist => "unknown_checklist",
        /// A completion while required checklist items are unanswered at HQ: kept for a
        /// dispatcher.
        ChecklistIncomplete => "checklist_incomplete",
        /// A warranty decision HQ's own facts do not support (e.g. HQ corrected the purchase
        /// date meanwhile): kept for a dispatcher.
        WarrantyMismatch => "warranty_mismatch",
        /// A warranty decision made without a start date: applied, for a dispatcher to review.
        NeedsReview => "needs_review",
    }
);

/// `POST /sync/push`: ops in the order the device recorded them. Each op is judged on its own,
/// so one malformed op never costs the others; that is why they travel as raw JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    /// The ops; at most [`MAX_PUSH_OPS`].
    pub ops: Vec<serde_json::Value>,
}

/// HQ's answer about one op.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpResult {
    /// The op's id, when it had a readable one.
    pub op_id: Option<OpId>,
    /// What HQ did.
    pub outcome: Outcome,
    /// For a duplicate: the outcome the op received when HQ first recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<Outcome>,
    /// Why (for rejected and conflict; `superseded` for an applied correction that lost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// Words for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl OpResult {
    /// The outcome that counts: for a duplicate, the first one.
    pub fn settled(&self) -> Outcome {
        match (self.outcome, self.first) {
            (Outcome::Duplicate, Some(first)) => first,
            (outcome, _) => outcome,
        }
    }
}

/// Answer of `POST /sync/push`: one result per op, in the request's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// One per pushed op, same order.
    pub results: Vec<OpResult>,
    /// HQ's clock after the push; the device observes it so its next stamps follow HQ's.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub hlc: Hlc,
}

/// An op as HQ recorded it against a job: sent to devices with the job, shown to dispatchers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordedOp {
    /// The op as the device sent it.
    #[serde(flatten)]
    pub op: Op,
    /// Username of the technician who sent it.
    pub by: String,
    /// Their display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_name: Option<String>,
    /// When HQ received it.
    pub received_at: DateTime<Utc>,
    /// `applied`, `conflict` or `rejected`.
    pub outcome: Outcome,
    /// Why, when there is a reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// Words for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For a conflict: how a dispatcher settled it, once they have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<Settlement>,
}

/// A value that lost a last-writer-wins merge (or was overwritten), kept for the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplacedValue {
    /// `contact_phone` or `asset_serial`.
    pub field: String,
    /// The value that lost.
    pub value: Option<String>,
    /// Its clock stamp, when it had one.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub hlc: Option<Hlc>,
    /// Who had set it, when known.
    pub by: Option<String>,
    /// When it was replaced or lost.
    pub replaced_at: DateTime<Utc>,
}

/// `GET /jobs/{id}/ops`: everything devices sent about a job, and the corrected values that
/// lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobOps {
    /// A page of the ops HQ could read that name the job, in receive order, whatever their
    /// outcome.
    pub ops: Vec<RecordedOp>,
    /// Values of the job's customer phone and asset serial that lost, oldest first (on the
    /// first page only).
    pub replaced: Vec<ReplacedValue>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(default)]
    pub next: Option<i64>,
}

/// Query of `GET /jobs/{id}/ops`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct JobOpsQuery {
    /// Continue after this position (a page's `next`).
    pub after: Option<i64>,
    /// Page size; HQ caps it.
    pub limit: Option<u32>,
}
