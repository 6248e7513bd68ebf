//! Where blobs live: a directory (OCI layout) or ranges of a tar archive read in place.

use crate::error::{ImageError, Result};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

pub trait BlobStore: Send + Sync {
    /// Opens the blob at a path relative to the store root (`blobs/sha256/<hex>`,
    /// `<id>/layer.tar`). Callers validate the path; stores still refuse to leave their root.
    fn open(&self, rel: &str) -> Result<Box<dyn Read + Send + '_>>;
    /// Human-readable name of a blob for error messages.
    fn describe(&self, rel: &str) -> String;
    fn read_small(&self, rel: &str, max: u64) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        let mut r = self.open(rel)?.take(max + 1);
        r.read_to_end(&mut buf)
            .map_err(|e| ImageError::io(self.describe(rel), e))?;
        if buf.len() as u64 > max {
            return Err(ImageError::LimitExceeded {
                what: self.describe(rel),
                message: format!("larger than {max} bytes"),
            });
        }
        Ok(buf)
    }
}

pub struct DirStore {
    pub root: PathBuf,
}

impl BlobStore for DirStore {
    fn open(&self, rel: &str) -> Result<Box<dyn Read + Send + '_>> {
        let file = self.open_file(rel)?;
        Ok(Box::new(BufReader::with_capacity(256 << 10, file)))
    }

    fn describe(&self, rel: &str) -> String {
        self.root.join(rel).display().to_string()
    }
}

impl DirStore {
    /// The one place that opens a file of a layout directory. Layouts come from untrusted
    /// sources: a FIFO would block `open` forever, a device would stream without end, and a
    /// symlink would read a host file (possibly a FIFO itself) before any digest is checked.
    /// So every component under the root is checked with `lstat` before the file is opened,
    /// and the open itself refuses symlinks and does not block, closing the race between
    /// the check and the open.
    fn open_file(&self, rel: &str) -> Result<File> {
        let what = self.describe(rel);
        if rel
            .split('/')
            .any(|c| c == ".." || c == "." || c.is_empty())
        {
            return Err(ImageError::malformed(what, "blob path escapes the layout"));
        }
        let mut path = self.root.clone();
        let components: Vec<&str> = rel.split('/').collect();
        for (i, c) in components.iter().enumerate() {
            path.push(c);
            let meta = std::fs::symlink_metadata(&path)
                .map_err(|e| ImageError::io(path.display().to_string(), e))?;
            let last = i + 1 == components.len();
            let ft = meta.file_type();
            if ft.is_symlink() {
                return Err(ImageError::malformed(
                    path.display().to_string(),
                    "is a symbolic link; files of an OCI layout must be stored in it, links are not followed",
                ));
            }
            if !last && !ft.is_dir() {
                return Err(ImageError::malformed(
                    path.display().to_string(),
                    "is not a directory",
                ));
            }
            if last && !ft.is_file() {
                return Err(ImageError::malformed(
                    path.display().to_string(),
                    format!(
                        "is not a regular file ({}); refusing to read it",
                        kind_name(&ft)
                    ),
                ));
            }
        }
        let file = open_no_follow(&path).map_err(|e| ImageError::io(&what, e))?;
        // The file may have been swapped between the check and the open.
        let meta = file.metadata().map_err(|e| ImageError::io(&what, e))?;
        if !meta.is_file() {
            return Err(ImageError::malformed(
                what,
                "is not a regular file; refusing to read it",
            ));
        }
        Ok(file)
    }
}

fn kind_name(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK keeps a FIFO swapped in after the check from blocking the open; reads of a
    // regular file ignore it.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// A tar archive (docker-archive or oci-archive) indexed once; members are read by seeking,
/// so nothing is extracted to disk.
pub struct TarStore {
    path: PathBuf,
    members: HashMap<String, Member>,
}

#[derive(Debug, Clone)]
enum Member {
    File { offset: u64, size: u64 },
    Link(String),
}

/// Upper bound on members of an image archive (layers, configs, manifests): real archives
/// hold tens, a hostile one could claim millions of empty entries.
const MAX_ARCHIVE_MEMBERS: usize = 100_000;

impl TarStore {
    pub fn index(path: &Path) -> Result<TarStore> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| ImageError::io(&name, e))?;
        let mut archive = tar::Archive::new(BufReader::new(file));
        let mut members = HashMap::new();
        let entries = archive
            .entries_with_seek()
            .map_err(|e| ImageError::malformed(&name, format!("not a tar archive: {e}")))?;
        for entry in entries {
            let entry = entry
                .map_err(|e| ImageError::malformed(&name, format!("corrupt tar archive: {e}")))?;
            if members.len() >= MAX_ARCHIVE_MEMBERS {
                return Err(ImageError::LimitExceeded {
                    what: name,
                    message: format!("more than {MAX_ARCHIVE_MEMBERS} members"),
                });
            }
            let Some(key) = crate::path::normalize(&entry.path_bytes()) else {
                continue;
            };
            let kind = entry.header().entry_type();
            let member = if kind.is_symlink() || kind.is_hard_link() {
                let target = entry
                    .link_name_bytes()
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
                match target {
                    Some(t) if kind.is_symlink() => {
                        Member::Link(crate::path::join_relative(&key, &t))
                    }
                    Some(t) => {
                        Member::Link(crate::path::normalize(t.as_bytes()).unwrap_or_default())
                    }
                    None => continue,
                }
            } else if kind.is_file() || kind == tar::EntryType::Continuous {
                Member::File {
                    offset: entry.raw_file_position(),
                    size: entry.size(),
                }
            } else {
                continue;
            };
            members.insert(key, member);
        }
        Ok(TarStore {
            path: path.to_path_buf(),
            members,
        })
    }

    pub fn contains(&self, rel: &str) -> bool {
        self.resolve(rel).is_some()
    }

    fn resolve(&self, rel: &str) -> Option<(u64, u64)> {
        let mut key = crate::path::normalize(rel.as_bytes())?;
        // Links inside image archives are one hop in practice; a few allow chains, loops end.
        for _ in 0..8 {
            match self.members.get(&key)? {
                Member::File { offset, size } => return Some((*offset, *size)),
                Member::Link(target) => key = target.clone(),
            }
        }
        None
    }
}

impl BlobStore for TarStore {
    fn open(&self, rel: &str) -> Result<Box<dyn Read + Send + '_>> {
        let (offset, size) = self.resolve(rel).ok_or_else(|| {
            ImageError::NotFound(format!("{}: no member {rel:?}", self.path.display()))
        })?;
        let mut file = File::open(&self.path).map_err(|e| ImageError::io(self.describe(rel), e))?;
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| ImageError::io(self.describe(rel), e))?;
        Ok(Box::new(BufReader::with_capacity(
            256 << 10,
            file.take(size),
        )))
    }

    fn describe(&self, rel: &str) -> String {
        format!("{}!{rel}", self.path.display())
    }
}
