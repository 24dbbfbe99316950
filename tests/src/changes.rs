//! Shorthands the tests use to record changes, each one [`Device::record`] of a [`Change`] —
//! the one path every front end takes.

use chrono::{DateTime, Utc};
use onsite_core::{Device, OutboxEntry, Result};
use onsite_protocol::{Change, JobStatus};

/// Records the usual changes on a device by name.
pub trait Changes {
    /// Moves job `number` to `to`.
    fn set_status(&self, number: &str, to: JobStatus, now: DateTime<Utc>) -> Result<OutboxEntry>;
    /// Adds a note.
    fn add_note(&self, number: &str, text: &str, now: DateTime<Utc>) -> Result<OutboxEntry>;
    /// Starts (`true`) or stops work at `now`.
    fn work(&self, number: &str, start: bool, now: DateTime<Utc>) -> Result<OutboxEntry>;
    /// Corrects the contact phone.
    fn correct_phone(&self, number: &str, phone: &str, now: DateTime<Utc>) -> Result<OutboxEntry>;
    /// Corrects the asset's serial.
    fn correct_serial(&self, number: &str, serial: &str, now: DateTime<Utc>)
    -> Result<OutboxEntry>;
}

impl Changes for Device {
    fn set_status(&self, number: &str, to: JobStatus, now: DateTime<Utc>) -> Result<OutboxEntry> {
        self.record(number, Change::Status { to }, now)
    }

    fn add_note(&self, number: &str, text: &str, now: DateTime<Utc>) -> Result<OutboxEntry> {
        let text = text.to_string();
        self.record(number, Change::Note { text }, now)
    }

    fn work(&self, number: &str, start: bool, now: DateTime<Utc>) -> Result<OutboxEntry> {
        let change = if start {
            Change::WorkStarted { at: now }
        } else {
            Change::WorkStopped { at: now }
        };
        self.record(number, change, now)
    }

    fn correct_phone(&self, number: &str, phone: &str, now: DateTime<Utc>) -> Result<OutboxEntry> {
        let phone = phone.to_string();
        self.record(number, Change::ContactPhone { phone }, now)
    }

    fn correct_serial(
        &self,
        number: &str,
        serial: &str,
        now: DateTime<Utc>,
    ) -> Result<OutboxEntry> {
        let serial = serial.to_string();
        self.record(number, Change::AssetSerial { serial }, now)
    }
}
