//! Attachment content, stored once per SHA-256 in HQ's data folder.
//!
//! An upload appends chunks to `partial/<uploader>-<sha256>`; the file's length is how much HQ
//! holds of that uploader's upload, so a cut connection or a killed HQ resumes from what
//! reached the disk, and `HEAD` can answer without a database. When the last byte arrives the
//! whole file is hashed; only content that matches its name is kept at `<sha256>`, so a
//! complete blob is always the right bytes, and `owners/<uploader>/<sha256>` records that the
//! uploader sent it. An uploader sees only their own uploads: someone who knows a hash can
//! neither cut another's upload short nor learn whether HQ holds that content (they upload it
//! in full, and it is still stored once). Content stored before uploads had owners is
//! everyone's (`owners/everyone/`).

use onsite_protocol::op::{MAX_ATTACHMENT_BYTES, is_sha256};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What HQ holds of one blob.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobState {
    /// Bytes held, contiguous from the start.
    pub received: u64,
    /// The whole content is held and matches its hash.
    pub complete: bool,
}

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    /// The name is not a lower-case hex SHA-256.
    #[error("not a SHA-256: {0:?}")]
    BadHash(String),
    /// The content is over the size limit.
    #[error("the file has {0} bytes; at most {MAX_ATTACHMENT_BYTES} are accepted")]
    TooLarge(u64),
    /// The chunk starts after what HQ holds: there would be a gap.
    #[error("HQ holds {received} bytes; a chunk at offset {offset} would leave a gap")]
    Gap {
        /// What HQ holds.
        received: u64,
        /// Where the chunk started.
        offset: u64,
    },
    /// The chunk runs past the declared total.
    #[error("the chunk ends at byte {end}, past the declared total of {total}")]
    PastEnd {
        /// Where the chunk ends.
        end: u64,
        /// Declared total.
        total: u64,
    },
    /// All bytes arrived but they do not hash to the name; HQ dropped them.
    #[error("the uploaded bytes do not match their SHA-256; upload the file again")]
    HashMismatch,
    /// The disk failed.
    #[error("blob storage: {0}")]
    Io(#[from] io::Error),
}

/// Who is uploading: an account's id, so a partial upload and an ownership mark are named by
/// something with no path characters in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uploader(pub uuid::Uuid);

/// The owners folder that stands for every uploader (content from before owners were kept).
const EVERYONE: &str = "everyone";

/// The blob folder.
pub struct BlobStore {
    dir: PathBuf,
    // One upload per hash at a time; different hashes proceed in parallel.
    locks: Mutex<HashMap<String, Arc<Mutex<()>>>>,
}

impl BlobStore {
    /// Opens (creating) the blob folder `dir`.
    ///
    /// # Errors
    /// The folder cannot be created.
    pub fn open(dir: &Path) -> io::Result<Self> {
        onsite_sqlite::private::dir(dir)?;
        onsite_sqlite::private::dir(&dir.join("partial"))?;
        let owners = dir.join("owners");
        if !owners.exists() {
            // The first start since uploads have owners: what is already stored stays usable
            // by everyone (uploads in progress then start again, and the old partial files
            // go with the sweep).
            let everyone = owners.join(EVERYONE);
            onsite_sqlite::private::dir(&everyone)?;
            for entry in fs::read_dir(dir)? {
                let name = entry?.file_name().to_string_lossy().into_owned();
                if is_sha256(&name) {
                    File::create(everyone.join(&name))?;
                }
            }
            File::open(&everyone)?.sync_all()?;
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            locks: Mutex::default(),
        })
    }

    /// Deletes uploads nobody finished that were last written before `before` (a device
    /// that comes back later starts that file again). Returns how many went.
    ///
    /// # Errors
    /// The folder cannot be read.
    pub fn sweep(&self, before: std::time::SystemTime) -> io::Result<usize> {
        let mut swept = 0;
        for entry in fs::read_dir(self.dir.join("partial"))? {
            let entry = entry?;
            let stale = entry.metadata()?.modified()? < before;
            let name = entry.file_name().to_string_lossy().into_owned();
            // Not while an upload of it is running.
            let lock = self.lock(&name);
            let _held = lock.lock().unwrap_or_else(|e| e.into_inner());
            if stale && fs::remove_file(entry.path()).is_ok() {
                swept += 1;
            }
        }
        Ok(swept)
    }

    fn lock(&self, sha256: &str) -> Arc<Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        // Forget locks nobody holds, so the map stays small.
        locks.retain(|_, l| Arc::strong_count(l) > 1);
        locks.entry(sha256.to_string()).or_default().clone()
    }

    fn check(sha256: &str) -> Result<(), BlobError> {
        if is_sha256(sha256) {
            Ok(())
        } else {
            Err(BlobError::BadHash(sha256.to_string()))
        }
    }

    /// Where the complete content of `sha256` lives (if it is complete).
    pub fn path(&self, sha256: &str) -> Result<PathBuf, BlobError> {
        Self::check(sha256)?;
        Ok(self.dir.join(sha256))
    }

    fn partial(&self, sha256: &str, by: Uploader) -> PathBuf {
        self.dir.join("partial").join(format!("{}-{sha256}", by.0))
    }

    fn owner_mark(&self, sha256: &str, by: Uploader) -> PathBuf {
        self.dir.join("owners").join(by.0.to_string()).join(sha256)
    }

    /// Whether `by` sent the content of `sha256` (or it is everyone's).
    fn owns(&self, sha256: &str, by: Uploader) -> bool {
        self.owner_mark(sha256, by).exists()
            || self.dir.join("owners").join(EVERYONE).join(sha256).exists()
    }

    /// Size of the complete content, if HQ holds it.
    pub fn size(&self, sha256: &str) -> Option<u64> {
        let path = self.path(sha256).ok()?;
        fs::metadata(path).ok().map(|m| m.len())
    }

    /// Size of the complete content, if HQ holds it and `by` uploaded it: what an op of
    /// theirs naming it may rely on.
    pub fn size_for(&self, sha256: &str, by: Uploader) -> Option<u64> {
        self.size(sha256).filter(|_| self.owns(sha256, by))
    }

    /// Whether HQ holds the whole content of `sha256`, from anyone (for dispatchers).
    ///
    /// # Errors
    /// [`BlobError::BadHash`].
    pub fn state(&self, sha256: &str) -> Result<BlobState, BlobError> {
        Self::check(sha256)?;
        Ok(match self.size(sha256) {
            Some(bytes) => BlobState {
                received: bytes,
                complete: true,
            },
            None => BlobState {
                received: 0,
                complete: false,
            },
        })
    }

    /// What HQ holds of `by`'s upload of `sha256`: complete once they sent it all, otherwise
    /// how much of their own upload arrived (whatever others sent).
    ///
    /// # Errors
    /// [`BlobError::BadHash`] or [`BlobError::Io`].
    pub fn state_for(&self, sha256: &str, by: Uploader) -> Result<BlobState, BlobError> {
        Self::check(sha256)?;
        if let Some(bytes) = self.size_for(sha256, by) {
            return Ok(BlobState {
                received: bytes,
                complete: true,
            });
        }
        let received = match fs::metadata(self.partial(sha256, by)) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
            Err(e) => return Err(e.into()),
        };
        Ok(BlobState {
            received,
            complete: false,
        })
    }

    /// Writes `bytes` at `offset` of the content of `sha256`, whose whole size is `total`.
    /// A chunk may start anywhere up to what HQ holds (a resent chunk overwrites the same
    /// bytes); when the content is whole it is verified and stored for good.
    ///
    /// # Errors
    /// [`BlobError`] for a bad name, oversize content, a gap, a chunk past the end, content that
    /// does not match its hash (dropped, to be sent again), or the disk.
    pub fn write(
        &self,
        sha256: &str,
        by: Uploader,
        offset: u64,
        total: u64,
        bytes: &[u8],
    ) -> Result<BlobState, BlobError> {
        Self::check(sha256)?;
        if total > MAX_ATTACHMENT_BYTES {
            return Err(BlobError::TooLarge(total));
        }
        let lock = self.lock(sha256);
        let _held = lock.lock().unwrap_or_else(|e| e.into_inner());
        let state = self.state_for(sha256, by)?;
        if state.complete {
            return Ok(state);
        }
        if offset > state.received {
            return Err(BlobError::Gap {
                received: state.received,
                offset,
            });
        }
        let end = offset + bytes.len() as u64;
        if end > total {
            return Err(BlobError::PastEnd { end, total });
        }
        let partial = self.partial(sha256, by);
        let mut file = onsite_sqlite::private::file_options()
            .create(true)
            .write(true)
            .truncate(false)
            .open(&partial)?;
        file.set_len(offset)?;
        file.seek(SeekFrom::Start(offset))?;
        file.write_all(bytes)?;
        file.sync_data()?;
        drop(file);
        if end < total {
            return Ok(BlobState {
                received: end,
                complete: false,
            });
        }
        if hash_file(&partial)? != sha256 {
            fs::remove_file(&partial)?;
            return Err(BlobError::HashMismatch);
        }
        let stored = self.dir.join(sha256);
        if stored.exists() {
            // Someone else sent the same content: it is kept once.
            fs::remove_file(&partial)?;
        } else {
            fs::rename(&partial, &stored)?;
            File::open(&self.dir)?.sync_all()?;
        }
        let mark = self.owner_mark(sha256, by);
        if let Some(folder) = mark.parent() {
            onsite_sqlite::private::dir(folder)?;
        }
        onsite_sqlite::private::file_options()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&mark)?
            .sync_all()?;
        Ok(BlobState {
            received: total,
            complete: true,
        })
    }
}

/// Lower-case hex SHA-256 of a file's content.
///
/// # Errors
/// The file cannot be read.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINA: Uploader = Uploader(uuid::Uuid::from_u128(1));
    const TOM: Uploader = Uploader(uuid::Uuid::from_u128(2));

    fn sha(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    #[test]
    fn chunks_resume_from_what_reached_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let content: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let name = sha(&content);
        let total = content.len() as u64;
        assert_eq!(store.state_for(&name, TINA).unwrap().received, 0);
        store
            .write(&name, TINA, 0, total, &content[..4000])
            .unwrap();
        // A gap is refused and says where to resume.
        let gap = store.write(&name, TINA, 5000, total, &content[5000..6000]);
        assert!(matches!(gap, Err(BlobError::Gap { received: 4000, .. })));
        // A chunk resent from an earlier offset overwrites the same bytes.
        store
            .write(&name, TINA, 2000, total, &content[2000..7000])
            .unwrap();
        assert_eq!(
            store.state_for(&name, TINA).unwrap(),
            BlobState {
                received: 7000,
                complete: false
            }
        );
        let done = store
            .write(&name, TINA, 7000, total, &content[7000..])
            .unwrap();
        assert!(done.complete);
        assert_eq!(store.size(&name), Some(total));
        assert_eq!(fs::read(store.path(&name).unwrap()).unwrap(), content);
        // Stored once: writing again changes nothing.
        assert!(
            store
                .write(&name, TINA, 0, total, &content[..10])
                .unwrap()
                .complete
        );
    }

    #[test]
    fn abandoned_uploads_are_swept_and_recent_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let (old, new) = (sha(b"old upload"), sha(b"new upload"));
        store.write(&old, TINA, 0, 10, b"old ").unwrap();
        store.write(&new, TINA, 0, 10, b"new ").unwrap();
        let week_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(8 * 86_400);
        File::options()
            .write(true)
            .open(store.partial(&old, TINA))
            .unwrap()
            .set_modified(week_ago)
            .unwrap();
        let cutoff = std::time::SystemTime::now() - std::time::Duration::from_secs(7 * 86_400);
        assert_eq!(store.sweep(cutoff).unwrap(), 1);
        assert_eq!(store.state_for(&old, TINA).unwrap().received, 0);
        assert_eq!(store.state_for(&new, TINA).unwrap().received, 4);
    }

    #[test]
    fn wrong_content_oversize_and_bad_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let name = sha(b"the real content");
        let wrong = store.write(&name, TINA, 0, 5, b"other");
        assert!(matches!(wrong, Err(BlobError::HashMismatch)));
        assert_eq!(
            store.state_for(&name, TINA).unwrap().received,
            0,
            "bad bytes dropped"
        );
        assert!(matches!(
            store.write(&name, TINA, 0, MAX_ATTACHMENT_BYTES + 1, b"x"),
            Err(BlobError::TooLarge(_))
        ));
        assert!(matches!(
            store.write("../etc/passwd", TINA, 0, 1, b"x"),
            Err(BlobError::BadHash(_))
        ));
        assert!(matches!(
            store.write(&name, TINA, 0, 2, b"abc"),
            Err(BlobError::PastEnd { .. })
        ));
    }

    /// Before, anyone who knew a hash could cut another's upload short (a chunk at offset 0
    /// truncated the shared partial file) and learn from `HEAD` whether HQ held that content.
    #[test]
    fn an_uploader_sees_and_changes_only_their_own_upload() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let content: Vec<u8> = (0..3000u32).map(|i| (i % 7) as u8).collect();
        let (name, total) = (sha(&content), content.len() as u64);
        store
            .write(&name, TINA, 0, total, &content[..2000])
            .unwrap();
        // Tom knows the hash: his chunk at 0 starts his own upload, not a cut of Tina's.
        store.write(&name, TOM, 0, total, b"x").unwrap();
        assert_eq!(store.state_for(&name, TINA).unwrap().received, 2000);
        assert_eq!(store.state_for(&name, TOM).unwrap().received, 1);
        assert!(
            store
                .write(&name, TINA, 2000, total, &content[2000..])
                .unwrap()
                .complete
        );
        // Tom cannot tell HQ holds it, and an op of his cannot rely on it...
        assert!(!store.state_for(&name, TOM).unwrap().complete);
        assert_eq!(store.size_for(&name, TOM), None);
        assert_eq!(store.size_for(&name, TINA), Some(total));
        // ...until he uploads it himself; it is still stored once.
        assert!(
            store
                .write(&name, TOM, 0, total, &content)
                .unwrap()
                .complete
        );
        assert_eq!(store.size_for(&name, TOM), Some(total));
        let stored: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .collect();
        assert_eq!(stored.len(), 1, "one copy");
        assert_eq!(fs::read_dir(dir.path().join("partial")).unwrap().count(), 0);
        // Dispatchers see whether HQ holds it at all.
        assert!(store.state(&name).unwrap().complete);
    }

    #[test]
    fn content_stored_before_owners_were_kept_is_everyones() {
        let dir = tempfile::tempdir().unwrap();
        let content = b"an old photo";
        let name = sha(content);
        fs::write(dir.path().join(&name), content).unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        assert_eq!(store.size_for(&name, TOM), Some(content.len() as u64));
        assert!(store.state_for(&name, TINA).unwrap().complete);
    }
}
