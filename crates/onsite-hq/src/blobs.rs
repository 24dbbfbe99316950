//! Attachment content, stored once per SHA-256 in HQ's data folder.
//!
//! An upload appends chunks to `partial/<sha256>`; the file's length is how much HQ holds, so a
//! cut connection or a killed HQ resumes from what reached the disk, and `HEAD` can answer
//! without a database. When the last byte arrives the whole file is hashed; only content that
//! matches its name is moved to `<sha256>`, so a complete blob is always the right bytes.

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

    fn partial(&self, sha256: &str) -> PathBuf {
        self.dir.join("partial").join(sha256)
    }

    /// Size of the complete content, if HQ holds it.
    pub fn size(&self, sha256: &str) -> Option<u64> {
        let path = self.path(sha256).ok()?;
        fs::metadata(path).ok().map(|m| m.len())
    }

    /// What HQ holds of `sha256`.
    ///
    /// # Errors
    /// [`BlobError::BadHash`] or [`BlobError::Io`].
    pub fn state(&self, sha256: &str) -> Result<BlobState, BlobError> {
        if let Some(bytes) = self.size(sha256) {
            return Ok(BlobState {
                received: bytes,
                complete: true,
            });
        }
        Self::check(sha256)?;
        let received = match fs::metadata(self.partial(sha256)) {
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
        let state = self.state(sha256)?;
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
        let partial = self.partial(sha256);
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
        fs::rename(&partial, self.dir.join(sha256))?;
        File::open(&self.dir)?.sync_all()?;
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
        assert_eq!(store.state(&name).unwrap().received, 0);
        store.write(&name, 0, total, &content[..4000]).unwrap();
        // A gap is refused and says where to resume.
        let gap = store.write(&name, 5000, total, &content[5000..6000]);
        assert!(matches!(gap, Err(BlobError::Gap { received: 4000, .. })));
        // A chunk resent from an earlier offset overwrites the same bytes.
        store
            .write(&name, 2000, total, &content[2000..7000])
            .unwrap();
        assert_eq!(
            store.state(&name).unwrap(),
            BlobState {
                received: 7000,
                complete: false
            }
        );
        let done = store.write(&name, 7000, total, &content[7000..]).unwrap();
        assert!(done.complete);
        assert_eq!(store.size(&name), Some(total));
        assert_eq!(fs::read(store.path(&name).unwrap()).unwrap(), content);
        // Stored once: writing again changes nothing.
        assert!(
            store
                .write(&name, 0, total, &content[..10])
                .unwrap()
                .complete
        );
    }

    #[test]
    fn abandoned_uploads_are_swept_and_recent_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let (old, new) = (sha(b"old upload"), sha(b"new upload"));
        store.write(&old, 0, 10, b"old ").unwrap();
        store.write(&new, 0, 10, b"new ").unwrap();
        let week_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(8 * 86_400);
        File::options()
            .write(true)
            .open(store.partial(&old))
            .unwrap()
            .set_modified(week_ago)
            .unwrap();
        let cutoff = std::time::SystemTime::now() - std::time::Duration::from_secs(7 * 86_400);
        assert_eq!(store.sweep(cutoff).unwrap(), 1);
        assert_eq!(store.state(&old).unwrap().received, 0);
        assert_eq!(store.state(&new).unwrap().received, 4);
    }

    #[test]
    fn wrong_content_oversize_and_bad_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let name = sha(b"the real content");
        let wrong = store.write(&name, 0, 5, b"other");
        assert!(matches!(wrong, Err(BlobError::HashMismatch)));
        assert_eq!(store.state(&name).unwrap().received, 0, "bad bytes dropped");
        assert!(matches!(
            store.write(&name, 0, MAX_ATTACHMENT_BYTES + 1, b"x"),
            Err(BlobError::TooLarge(_))
        ));
        assert!(matches!(
            store.write("../etc/passwd", 0, 1, b"x"),
            Err(BlobError::BadHash(_))
        ));
        assert!(matches!(
            store.write(&name, 0, 2, b"abc"),
            Err(BlobError::PastEnd { .. })
        ));
    }
}
