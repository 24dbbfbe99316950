//! Photos and documents captured on site. At capture the content is copied into the data
//! folder under its SHA-256 (`attachments/<sha256>`), so the original may be deleted or moved
//! and an upload can resume after a restart; the op then names the content by its hash.

use crate::error::{CoreError, Result};
use onsite_protocol::op::{MAX_ATTACHMENT_BYTES, media_type_for};
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The folder of captured content inside the data folder.
pub const ATTACHMENTS_DIR: &str = "attachments";

/// Content copied into the data folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captured {
    /// Lower-case hex SHA-256.
    pub sha256: String,
    /// Size.
    pub bytes: u64,
    /// The file's name, for people.
    pub file_name: String,
    /// Media type from the name's extension.
    pub media_type: &'static str,
}

/// Where the content of `sha256` is kept.
pub fn content_path(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir.join(ATTACHMENTS_DIR).join(sha256)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> CoreError + '_ {
    move |source| CoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn check(file_name: &str, bytes: u64) -> Result<&'static str> {
    if bytes > MAX_ATTACHMENT_BYTES {
        return Err(CoreError::AttachmentTooLarge {
            file: file_name.to_string(),
            bytes,
            max: MAX_ATTACHMENT_BYTES,
        });
    }
    if bytes == 0 {
        return Err(CoreError::InvalidInput(format!("{file_name} is empty")));
    }
    media_type_for(file_name).ok_or_else(|| {
        CoreError::UnsupportedFile(format!(
            "{file_name}: only photos (JPEG, PNG, HEIC, WebP) and PDF documents can be attached"
        ))
    })
}

/// Copies `reader` (of `bytes` bytes, named `file_name`) into the data folder, hashing it on
/// the way. Written to a temporary file, synced, then renamed: the content under a hash is
/// always whole.
fn store(data_dir: &Path, file_name: &str, mut reader: impl Read) -> Result<(String, u64)> {
    let dir = data_dir.join(ATTACHMENTS_DIR);
    onsite_sqlite::private::dir(&dir).map_err(io(&dir))?;
    let tmp = dir.join(format!(".capture-{}", uuid::Uuid::now_v7()));
    let result = (|| {
        let mut out = onsite_sqlite::private::file_options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io(&tmp))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut total = 0u64;
        loop {
            let n = reader.read(&mut buf).map_err(io(Path::new(file_name)))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > MAX_ATTACHMENT_BYTES {
                return Err(CoreError::AttachmentTooLarge {
                    file: file_name.to_string(),
                    bytes: total,
                    max: MAX_ATTACHMENT_BYTES,
                });
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(io(&tmp))?;
        }
        out.sync_all().map_err(io(&tmp))?;
        let sha256 = hex::encode(hasher.finalize());
        let path = dir.join(&sha256);
        fs::rename(&tmp, &path).map_err(io(&path))?;
        File::open(&dir)
            .and_then(|d| d.sync_all())
            .map_err(io(&dir))?;
        Ok((sha256, total))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Deletes the content of `sha256` (taken back before it was sent); already gone is fine.
///
/// # Errors
/// [`CoreError::Io`] when the file exists but cannot be removed.
pub fn remove(data_dir: &Path, sha256: &str) -> Result<()> {
    let path = content_path(data_dir, sha256);
    match fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(CoreError::Io { path, source: e })
        }
        _ => Ok(()),
    }
}

/// Deletes every captured photo and document (logging out: pictures of customers' homes must
/// not stay on the laptop).
///
/// # Errors
/// [`CoreError::Io`] when the folder exists but cannot be removed.
pub fn remove_all(data_dir: &Path) -> Result<()> {
    let dir = data_dir.join(ATTACHMENTS_DIR);
    match fs::remove_dir_all(&dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(CoreError::Io {
            path: dir,
            source: e,
        }),
        _ => Ok(()),
    }
}

/// The content of attachment `sha256` captured on this device.
///
/// # Errors
/// [`CoreError::InvalidInput`] for a name that is not a SHA-256 (so no other file can be
/// read), [`CoreError::UnknownAttachment`] when this device does not hold it,
/// [`CoreError::Io`] when it cannot be read.
pub fn content(data_dir: &Path, sha256: &str) -> Result<Vec<u8>> {
    if !onsite_protocol::op::is_sha256(sha256) {
        return Err(CoreError::InvalidInput(format!(
            "{sha256:?} is not an attachment's SHA-256"
        )));
    }
    let path = content_path(data_dir, sha256);
    match fs::read(&path) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(CoreError::UnknownAttachment(sha256.to_string()))
        }
        Err(source) => Err(CoreError::Io { path, source }),
    }
}

/// Captures the file at `path`.
///
/// # Errors
/// [`CoreError::Io`] when it cannot be read, [`CoreError::AttachmentTooLarge`],
/// [`CoreError::UnsupportedFile`], [`CoreError::InvalidInput`] for an empty file.
pub fn capture_file(data_dir: &Path, path: &Path) -> Result<Captured> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| CoreError::InvalidInput(format!("{} is not a file", path.display())))?;
    let meta = fs::metadata(path).map_err(io(path))?;
    if !meta.is_file() {
        return Err(CoreError::InvalidInput(format!(
            "{} is not a file",
            path.display()
        )));
    }
    let media_type = check(&file_name, meta.len())?;
    let file = File::open(path).map_err(io(path))?;
    let (sha256, bytes) = store(data_dir, &file_name, file)?;
    Ok(Captured {
        sha256,
        bytes,
        file_name,
        media_type,
    })
}

/// Captures content handed over in memory (a photo picked in the app).
///
/// # Errors
/// As [`capture_file`].
pub fn capture_bytes(data_dir: &Path, file_name: &str, content: &[u8]) -> Result<Captured> {
    let file_name = Path::new(file_name.trim())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| CoreError::InvalidInput("the file has no name".into()))?;
    let media_type = check(&file_name, content.len() as u64)?;
    let (sha256, bytes) = store(data_dir, &file_name, content)?;
    Ok(Captured {
        sha256,
        bytes,
        file_name,
        media_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_copied_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let original = dir.path().join("boiler.JPG");
        fs::write(&original, b"jpeg bytes").unwrap();
        let captured = capture_file(&dir.path().join("data"), &original).unwrap();
        assert_eq!(captured.media_type, "image/jpeg");
        assert_eq!(captured.bytes, 10);
        assert_eq!(captured.sha256, hex::encode(Sha256::digest(b"jpeg bytes")));
        fs::remove_file(&original).unwrap();
        let kept = content_path(&dir.path().join("data"), &captured.sha256);
        assert_eq!(fs::read(kept).unwrap(), b"jpeg bytes");
        let again = capture_bytes(&dir.path().join("data"), "x/boiler.png", b"jpeg bytes").unwrap();
        assert_eq!(
            (again.sha256, again.file_name.as_str()),
            (captured.sha256, "boiler.png")
        );
    }

    #[test]
    fn content_is_read_back_by_hash_only() {
        let dir = tempfile::tempdir().unwrap();
        let captured = capture_bytes(dir.path(), "a.png", b"png bytes").unwrap();
        assert_eq!(content(dir.path(), &captured.sha256).unwrap(), b"png bytes");
        assert_eq!(
            content(dir.path(), &"0".repeat(64)).unwrap_err().code(),
            "unknown_attachment"
        );
        assert_eq!(
            content(dir.path(), "../onsite.db").unwrap_err().code(),
            "invalid_input"
        );
    }

    #[test]
    fn oversize_unsupported_and_empty_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.jpg");
        File::create(&big)
            .unwrap()
            .set_len(MAX_ATTACHMENT_BYTES + 1)
            .unwrap();
        let err = capture_file(dir.path(), &big).unwrap_err();
        assert_eq!(err.code(), "attachment_too_large");
        let err = capture_bytes(dir.path(), "notes.txt", b"x").unwrap_err();
        assert_eq!(err.code(), "unsupported_file");
        let err = capture_bytes(dir.path(), "a.jpg", b"").unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        let err = capture_file(dir.path(), &dir.path().join("missing.jpg")).unwrap_err();
        assert_eq!(err.code(), "io");
        // Nothing half-written is left behind.
        let left: Vec<_> = fs::read_dir(dir.path().join(ATTACHMENTS_DIR))
            .map(|d| d.count())
            .into_iter()
            .collect();
        assert!(left.iter().all(|n| *n == 0), "{left:?}");
    }
}
