//! Onsite's data is private to the account running it — customers' names, addresses and
//! phones, photos of their homes, tokens: folders are 0700 and files 0600 on both the device
//! and HQ, whatever the umask, and files left more open by an older build are closed up when
//! they are next opened. (On systems without Unix permissions these are no-ops.)

use std::fs::OpenOptions;
use std::io;
use std::path::Path;

/// Creates `path` (and its parents) if needed and makes it, and every parent it created,
/// readable by its owner only.
///
/// # Errors
/// When the folder cannot be created or its permissions set.
pub fn dir(path: &Path) -> io::Result<()> {
    // A relative path's last ancestor is the empty path, which never "exists" and is the
    // current folder, not one this call creates.
    let created: Vec<&Path> = path
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
        .collect();
    std::fs::create_dir_all(path)?;
    for folder in created {
        restrict(folder, 0o700)?;
    }
    restrict(path, 0o700)
}

/// Options that create a file readable and writable by its owner only (the mode is given at
/// creation, so the file is never more open, not even for a moment).
pub fn file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Makes the existing file `path` readable and writable by its owner only; a missing file is
/// fine.
///
/// # Errors
/// When the file exists and its permissions cannot be set.
pub fn file(path: &Path) -> io::Result<()> {
    match restrict(path, 0o600) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(path: &Path, _mode: u32) -> io::Result<()> {
    std::fs::metadata(path).map(|_| ())
}

/// Creates the database file at `path` private if it does not exist, and closes up the
/// database and its companion files (`-wal`, `-shm`) if they do. SQLite gives the companions
/// the database file's own mode when it creates them.
pub(crate) fn database(path: &Path) -> io::Result<()> {
    file_options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        file(Path::new(&name))?;
    }
    Ok(())
}
