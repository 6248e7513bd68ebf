//! One skip list for every tree Palisade reads (`fs`, `rootfs`, `config` directories, image
//! contents for configuration files, git history paths). The walk itself is
//! `palisade_image::read_dir_tree`: one walker, confined to its root, never following links.

use crate::classify;
use palisade_core::TargetKind;
use palisade_image::DirOptions;

/// Version-control metadata: never a project's own files, and `.git` objects are compressed.
const VCS_DIRS: [&str; 3] = [".git", ".hg", ".svn"];

/// Kernel pseudo-filesystems at the root of a live or mounted root filesystem: reading
/// `proc/kmsg` blocks and drains the kernel log, `sys` and `dev` hold no files of the image.
const ROOTFS_PSEUDO_DIRS: [&str; 3] = ["/proc", "/sys", "/dev"];

/// Directories and files not to read, as globs relative to the scanned root (`vendor`,
/// `**/testdata`, `/build` for the root's own `build` only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkipList {
    pub dirs: Vec<String>,
    pub files: Vec<String>,
}

impl SkipList {
    /// The user's globs plus the built-in ones for this kind of target. A scan that looks
    /// only for configuration files also leaves out third-party trees, where no Dockerfile
    /// or manifest is the project's own (see [`classify::THIRD_PARTY_DIRS`]).
    pub fn for_target(&self, kind: TargetKind, config_only: bool) -> DirOptions {
        let mut dirs: Vec<String> = VCS_DIRS.iter().map(|d| d.to_string()).collect();
        if kind == TargetKind::Rootfs {
            dirs.extend(ROOTFS_PSEUDO_DIRS.iter().map(|d| d.to_string()));
        }
        if config_only {
            dirs.extend(classify::THIRD_PARTY_DIRS.iter().map(|d| d.to_string()));
        }
        dirs.extend(self.dirs.iter().cloned());
        DirOptions {
            skip_dirs: dirs,
            skip_files: self.files.clone(),
        }
    }

    /// The compiled list for paths that are not walked on disk (git history).
    pub fn skipper(&self, kind: TargetKind) -> Result<palisade_image::Skipper, crate::EngineError> {
        Ok(palisade_image::Skipper::new(&self.for_target(kind, false))?)
    }
}
