//! Wire types shared by Onsite devices and the HQ server.
//!
//! Everything here crosses the network as JSON: ids, the domain records HQ owns (customers,
//! sites, assets, jobs, users), request and response bodies of `/api/v1`, and the error body.
//! The job status state machine lives here too because both sides enforce it. This crate has
//! no I/O; changing the JSON shape of any type is a protocol change (see the golden tests).

pub mod admin;
pub mod api;
pub mod blob;
pub mod board;
pub mod cases;
pub mod checklist;
pub mod conflict;
pub mod error;
pub mod feedback;
pub mod guide;
pub mod hlc;
pub mod ids;
pub mod labour;
pub mod letterhead;
pub mod mail;
pub mod model;
pub mod op;
pub mod part;
pub mod push;
pub mod received;
pub mod reference;
pub mod settings;
pub mod signoff;
pub mod status;
pub mod stock;
pub mod text;
pub mod visit;
pub mod warranty;

pub use conflict::Resolution;
pub use error::{ApiError, ErrorCode};
pub use hlc::{Hlc, HlcClock};
pub use ids::{
    AssetId, CaseId, CustomerId, DeviceId, FollowUpId, JobId, LetterId, OpId, SiteId, UserId,
};
pub use model::{
    Asset, Customer, HistoryEvent, Job, JobKind, Priority, Role, Site, StatusChange, User,
};
pub use op::{Change, MERGE_RULES, Merge, Op, OpKind, OpRejection};
pub use push::{Outcome, Reason};
pub use status::{Actor, JobStatus, Step, TransitionError};

/// The API version segment every HQ route lives under.
pub const API_PREFIX: &str = "/api/v1";

#[cfg(test)]
mod golden;
#[cfg(all(test, feature = "ts"))]
mod hq_bindings;
#[cfg(feature = "ts")]
pub mod typescript;
