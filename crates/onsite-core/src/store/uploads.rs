//! Which captured attachments HQ does not hold yet, in capture order, for the sync's upload.

use super::Store;
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::params;

impl Store {
    /// Attachments whose content HQ does not hold yet, in the order they were captured.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn uploads(&self) -> Result<Vec<(String, u64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT sha256, bytes FROM attachments WHERE uploaded_at IS NULL ORDER BY rowid",
        )?;
        Ok(stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Notes that HQ holds the whole content of `sha256`.
    ///
    /// # Errors
    /// [`CoreError::Store`].
    pub fn mark_uploaded(&self, sha256: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE attachments SET uploaded_at = ?2 WHERE sha256 = ?1")?
            .execute(params![sha256, now])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testing::*;

    #[test]
    fn an_attachment_waits_for_upload_until_hq_holds_it() {
        let f = fixture();
        f.record(Change::Attachment {
            sha256: "ab".repeat(32),
            file_name: "a.jpg".into(),
            media_type: "image/jpeg".into(),
            bytes: 10,
            caption: None,
        })
        .unwrap();
        assert_eq!(f.store.uploads().unwrap(), [("ab".repeat(32), 10)]);
        f.store.mark_uploaded(&"ab".repeat(32), now()).unwrap();
        assert!(f.store.uploads().unwrap().is_empty());
    }
}
