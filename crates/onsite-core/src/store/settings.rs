//! Small named values kept in the store: HQ address, pinned fingerprint, device id, who is
//! logged in, the pull cursor, when the last sync succeeded.

use super::Store;
use crate::error::Result;
use rusqlite::{OptionalExtension, params};

/// The settings the device keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// `https://host:port` of HQ.
    HqUrl,
    /// Pinned certificate fingerprint, if any.
    Fingerprint,
    /// This installation's id (minted once).
    DeviceId,
    /// Username logged in.
    Username,
    /// Their display name.
    DisplayName,
    /// Opaque pull cursor.
    Cursor,
    /// RFC 3339 time of the last successful sync.
    LastSyncAt,
    /// The newest hybrid logical clock stamp issued or seen.
    Hlc,
}

impl Setting {
    fn key(self) -> &'static str {
        match self {
            Setting::HqUrl => "hq_url",
            Setting::Fingerprint => "fingerprint",
            Setting::DeviceId => "device_id",
            Setting::Username => "username",
            Setting::DisplayName => "display_name",
            Setting::Cursor => "cursor",
            Setting::LastSyncAt => "last_sync_at",
            Setting::Hlc => "hlc",
        }
    }
}

pub(super) fn get_in(
    conn: &rusqlite::Connection,
    setting: Setting,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([setting.key()], |r| r.get(0))
        .optional()
}

pub(super) fn set_in(
    conn: &rusqlite::Connection,
    setting: Setting,
    value: Option<&str>,
) -> rusqlite::Result<()> {
    match value {
        Some(v) => conn
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![setting.key(), v])
            .map(drop),
        None => conn
            .prepare_cached("DELETE FROM settings WHERE key = ?1")?
            .execute([setting.key()])
            .map(drop),
    }
}

impl Store {
    /// Reads a setting.
    ///
    /// # Errors
    /// [`crate::CoreError::Store`].
    pub fn setting(&self, setting: Setting) -> Result<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([setting.key()], |r| r.get(0))
            .optional()?)
    }

    /// Writes (`Some`) or clears (`None`) a setting.
    ///
    /// # Errors
    /// [`crate::CoreError::Store`].
    pub fn set_setting(&self, setting: Setting, value: Option<&str>) -> Result<()> {
        Ok(set_in(&self.conn(), setting, value)?)
    }
}
