//! HQ certificates the technician confirmed, by HQ address. Kept across logouts, so logging in
//! again (or after a wrong password) does not ask to confirm the same certificate twice, and a
//! certificate that changed is noticed.

use super::Store;
use crate::error::Result;
use crate::fingerprint::Fingerprint;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

impl Store {
    /// Remembers that the technician confirmed `fingerprint` for HQ at `url`.
    ///
    /// # Errors
    /// [`crate::CoreError::Store`].
    pub fn trust_hq(&self, url: &str, fingerprint: Fingerprint, now: DateTime<Utc>) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO trusted_hqs (url, fingerprint, confirmed_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (url) DO UPDATE SET fingerprint = excluded.fingerprint, \
                 confirmed_at = excluded.confirmed_at",
            )?
            .execute(params![url, fingerprint.to_string(), now])?;
        Ok(())
    }

    /// The fingerprint confirmed for HQ at `url`, if any.
    ///
    /// # Errors
    /// [`crate::CoreError::Store`].
    pub fn trusted_hq(&self, url: &str) -> Result<Option<Fingerprint>> {
        let stored: Option<String> = self
            .conn()
            .prepare_cached("SELECT fingerprint FROM trusted_hqs WHERE url = ?1")?
            .query_row([url], |r| r.get(0))
            .optional()?;
        // A value that no longer parses is as good as none: the technician confirms again.
        Ok(stored.and_then(|s| s.parse().ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmed_certificate_is_remembered_per_address() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("onsite.db")).unwrap();
        let a: Fingerprint = format!("sha256:{}", "ab".repeat(32)).parse().unwrap();
        let b: Fingerprint = format!("sha256:{}", "cd".repeat(32)).parse().unwrap();
        let now = Utc::now();
        assert_eq!(store.trusted_hq("https://hq:8443").unwrap(), None);
        store.trust_hq("https://hq:8443", a, now).unwrap();
        store.trust_hq("https://other:8443", b, now).unwrap();
        assert_eq!(store.trusted_hq("https://hq:8443").unwrap(), Some(a));
        store.trust_hq("https://hq:8443", b, now).unwrap();
        assert_eq!(store.trusted_hq("https://hq:8443").unwrap(), Some(b));
    }
}
