//! Scratch files next to the database (the copy being written, downloads). An import or
//! update killed midway leaves its scratch file behind, and each is as large as the
//! database; every new writer removes the ones nobody is using any more. "Nobody" is
//! decided by a lock each live scratch file holds for as long as it exists, so a
//! concurrent import in the same directory keeps its file.

use std::fs::File;
use std::path::Path;
use tempfile::NamedTempFile;

/// Scratch file name prefixes; every scratch file of this crate starts with one of them.
pub(crate) const DB_PREFIX: &str = ".palisade-db-";
pub(crate) const DOWNLOAD_PREFIX: &str = ".palisade-download-";

/// Creates a scratch file in `dir` and takes its lock, which lives as long as the file.
pub(crate) fn create(dir: &Path, prefix: &str, suffix: &str) -> std::io::Result<NamedTempFile> {
    let file = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(suffix)
        .tempfile_in(dir)?;
    // A file system without locks still works; its leftovers are just never cleaned.
    let _ = try_lock(file.as_file());
    Ok(file)
}

/// Removes scratch files in `dir` that no live process holds. Returns how many.
pub(crate) fn remove_stale(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(DB_PREFIX) || name.starts_with(DOWNLOAD_PREFIX)) {
            continue;
        }
        // Only regular files that this process can open and lock: a symlink planted under
        // that name is never followed, and a file in use keeps its lock.
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::open(&path) else {
            continue;
        };
        if try_lock(&file).unwrap_or(false) && std::fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Takes an exclusive advisory lock without waiting; false when another holder has it.
#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor we own; it only changes lock state.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    if e.kind() == std::io::ErrorKind::WouldBlock {
        Ok(false)
    } else {
        Err(e)
    }
}

/// Without advisory locks a scratch file cannot be told apart from a live one: keep it.
#[cfg(not(unix))]
fn try_lock(_: &File) -> std::io::Result<bool> {
    Ok(false)
}
