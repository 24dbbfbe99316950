//! Operations: each change a technician records on the device, as it travels to HQ. An op
//! carries its own id (HQ's idempotency key), the device, the job, a hybrid logical clock stamp
//! and the change itself. [`MERGE_RULES`] says how HQ merges each kind with what it has.

use crate::hlc::Hlc;
use crate::ids::{DeviceId, JobId, OpId};
use crate::model::string_enum;
use crate::status::JobStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

string_enum!(
    /// The kinds of op a technician may send; anything else is refused.
    OpKind {
        /// The job moves along its life cycle.
        Status => "status",
        /// A free-text note.
        Note => "note",
        /// A photo or other file, by content hash.
        Attachment => "attachment",
        /// Work started on site.
        WorkStarted => "work_started",
        /// Work stopped on site.
        WorkStopped => "work_stopped",
        /// The customer's contact phone, corrected.
        ContactPhone => "contact_phone",
        /// The asset's serial number, corrected.
        AssetSerial => "asset_serial",
    }
);

/// What an op changes. On the wire the variant is the `kind` field beside its own fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The technician moves the job to `to`.
    Status {
        /// The status entered.
        to: JobStatus,
    },
    /// A note about the visit.
    Note {
        /// The note.
        text: String,
    },
    /// A file attached to the job; its bytes are uploaded separately, addressed by `sha256`.
    Attachment {
        /// Lower-case hex SHA-256 of the content.
        sha256: String,
        /// The file's name on the device, for people.
        file_name: String,
        /// Media type, e.g. `image/jpeg`.
        media_type: String,
        /// Size of the content.
        bytes: u64,
    },
    /// Work on site started at `at` (device time, as recorded).
    WorkStarted {
        /// When.
        at: DateTime<Utc>,
    },
    /// Work on site stopped at `at`.
    WorkStopped {
        /// When.
        at: DateTime<Utc>,
    },
    /// The customer's contact phone, as the technician corrected it.
    ContactPhone {
        /// The new number.
        phone: String,
    },
    /// The asset's serial number, as read on the product.
    AssetSerial {
        /// The new serial.
        serial: String,
    },
}

impl Change {
    /// The kind of this change.
    pub fn kind(&self) -> OpKind {
        match self {
            Change::Status { .. } => OpKind::Status,
            Change::Note { .. } => OpKind::Note,
            Change::Attachment { .. } => OpKind::Attachment,
            Change::WorkStarted { .. } => OpKind::WorkStarted,
            Change::WorkStopped { .. } => OpKind::WorkStopped,
            Change::ContactPhone { .. } => OpKind::ContactPhone,
            Change::AssetSerial { .. } => OpKind::AssetSerial,
        }
    }
}

/// One operation as the device sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    /// Minted on the device; the idempotency key.
    pub op_id: OpId,
    /// The device that recorded it.
    pub device_id: DeviceId,
    /// The job it concerns.
    pub job_id: JobId,
    /// When it was recorded, by the device's hybrid logical clock.
    pub hlc: Hlc,
    /// What it changes.
    #[serde(flatten)]
    pub change: Change,
}

/// How HQ merges an op of some kind with what it already holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// A fact that only adds (notes, photos, time entries): never conflicts.
    AppendOnly,
    /// Follows the job status state machine; a move HQ's state does not allow is a conflict
    /// kept for a dispatcher.
    StateMachine,
    /// A correctable value: the later HLC wins and the other value is kept in history.
    LastWriterWins,
}

/// The merge rule of every op kind: the one table device and HQ follow.
pub const MERGE_RULES: &[(OpKind, Merge)] = &[
    (OpKind::Status, Merge::StateMachine),
    (OpKind::Note, Merge::AppendOnly),
    (OpKind::Attachment, Merge::AppendOnly),
    (OpKind::WorkStarted, Merge::AppendOnly),
    (OpKind::WorkStopped, Merge::AppendOnly),
    (OpKind::ContactPhone, Merge::LastWriterWins),
    (OpKind::AssetSerial, Merge::LastWriterWins),
];

impl OpKind {
    /// This kind's merge rule from [`MERGE_RULES`].
    pub fn merge(self) -> Merge {
        MERGE_RULES
            .iter()
            .find(|(kind, _)| *kind == self)
            .map(|(_, merge)| *merge)
            .expect("MERGE_RULES covers every kind (tested)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_rule() {
        for kind in OpKind::ALL {
            let rules = MERGE_RULES.iter().filter(|(k, _)| k == kind).count();
            assert_eq!(rules, 1, "{kind}");
        }
        assert_eq!(MERGE_RULES.len(), OpKind::ALL.len());
        assert_eq!(OpKind::ContactPhone.merge(), Merge::LastWriterWins);
    }

    #[test]
    fn a_change_knows_its_kind_by_its_wire_name() {
        let changes = [
            Change::Status {
                to: JobStatus::OnSite,
            },
            Change::Note { text: "x".into() },
            Change::Attachment {
                sha256: "ab".into(),
                file_name: "a.jpg".into(),
                media_type: "image/jpeg".into(),
                bytes: 1,
            },
            Change::WorkStarted { at: Utc::now() },
            Change::WorkStopped { at: Utc::now() },
            Change::ContactPhone { phone: "1".into() },
            Change::AssetSerial { serial: "S".into() },
        ];
        for change in changes {
            let json = serde_json::to_value(&change).unwrap();
            assert_eq!(json["kind"], change.kind().as_str());
        }
    }
}
