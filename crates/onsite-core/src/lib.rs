//! Onsite on the technician's device, without any UI: the local SQLite store, the HQ client,
//! the sync engine, and domain rules. The desktop shell, the `onsite` CLI and tests all drive
//! the same [`Device`].

pub mod answer;
pub mod attachments;
pub mod device;
pub mod error;
pub mod fingerprint;
pub mod hq_client;
pub mod ready;
pub mod report;
pub mod runner;
pub mod schedule;
pub mod session;
pub mod sla;
pub mod store;
pub mod sync;
pub mod warranty;
pub mod work_time;

pub use device::visit::{DecisionInput, PartInput};
pub use device::{APP_FOLDER, Device, DeviceStatus, default_data_dir};
pub use error::{CoreError, DeviceErrorCode, ErrorReport, Result};
pub use fingerprint::Fingerprint;
pub use hq_client::HqProbe;
pub use runner::{Reachability, SyncRunner, SyncState};
pub use schedule::Schedule;
pub use sla::Sla;
pub use store::{
    Activity, Checklist, ChecklistSection, ItemAnswer, JobDetail, JobQuery, JobRange, JobSummary,
    OfferedRemedy, OpState, Outbox, OutboxEntry, UsedPart, VanLine, Visit, WarrantyChoice,
};
pub use sync::{HqLogout, SyncPhase, SyncProgress, SyncReport};
pub use warranty::Warranty;
pub use work_time::WorkTime;

/// The job status state machine, shared with HQ (it lives in the protocol crate so both sides
/// enforce the same table).
pub use onsite_protocol::status;
