//! Reads container images — OCI image layouts, OCI and docker-archive tarballs, registries
//! and unpacked root filesystems — into a [`LayeredFs`] that remembers which layer made
//! each file. Nothing is ever extracted to the host: layers are streamed and only the files
//! that analyzers ask for are kept in memory.

mod digest;
mod error;
mod keep;
mod layer;
mod links;
mod manifest;
mod open;
pub mod path;
#[cfg(feature = "registry")]
mod registry;
mod rootfs;
mod select;
mod store;
mod vfs;

pub use digest::Digest;
pub use error::{ImageError, RegistryError, Result};
pub use keep::{KeepRules, KeptBudget};
pub use layer::NodeKind;
pub use manifest::Platform;
pub use open::{open_archive, open_layout, ResolvedImage};
#[cfg(feature = "registry")]
pub use registry::{pull, PushedManifest, RegistryAuthOptions, RegistryClient};
pub use rootfs::{read_dir_tree, walk_dir_tree, DirOptions, DirTree, Skipper};
pub use vfs::{LayeredFs, Node, Removal, RemovedFile};

use palisade_core::LayerRef;
use std::path::Path;

/// A regular file offered to a [`FileVisitor`] while its layer is read.
pub struct FileVisit<'a> {
    pub layer: &'a LayerRef,
    pub path: &'a str,
    pub mode: u32,
    pub content: &'a [u8],
}

/// How many leading bytes of a wanted file a [`FileVisitor`] sees in
/// [`FileVisitor::wants_content`] before the rest is read.
pub const HEAD_LEN: usize = 8192;

/// Sees every regular file of every layer (including files later layers delete), from
/// several threads at once.
pub trait FileVisitor: Sync {
    /// Whether to read the file at `path` of `size` bytes at all.
    fn wants(&self, path: &str, size: u64) -> bool;
    /// Called with the first [`HEAD_LEN`] bytes of a wanted file (all of it when shorter)
    /// before the rest is read: `false` drops the file without reading or visiting it, so a
    /// visitor that ignores binary files spares reading them whole. Readers skip this call
    /// when they need the whole content anyway (a file also kept for analyzers).
    fn wants_content(&self, _path: &str, _size: u64, _head: &[u8]) -> bool {
        true
    }
    fn visit(&self, file: &FileVisit<'_>);
}

/// Caps that keep hostile images from exhausting memory, disk or time.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Uncompressed bytes of one layer.
    pub max_layer_bytes: u64,
    /// Inflated/compressed ratio beyond which a layer is treated as a decompression bomb.
    pub max_ratio: u64,
    /// The ratio is checked once this many bytes were inflated.
    pub ratio_check_after: u64,
    /// Tar entries in one layer.
    pub max_entries: u64,
    /// Largest file whose content is kept for analyzers, unless [`KeepRules::max_size`]
    /// says otherwise for its path.
    pub max_kept_file: u64,
    /// Bytes of file content kept for analyzers across one image or tree: contents stay in
    /// memory until the analyzers ran, so this bounds the scan's memory whatever the image.
    pub max_kept_total: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_layer_bytes: 16 << 30,
            max_ratio: 1000,
            ratio_check_after: 64 << 20,
            max_entries: 5_000_000,
            max_kept_file: 64 << 20,
            max_kept_total: 512 << 20,
        }
    }
}

pub struct ReadOptions<'a> {
    /// Whether to keep the content of the file at `path` of `size` bytes.
    pub keep: &'a (dyn Fn(&str, u64) -> bool + Sync),
    pub visitor: Option<&'a dyn FileVisitor>,
    pub limits: Limits,
    /// Called with the number of (compressed) bytes consumed, for progress bars.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
    /// Size limits by path and a look at a file's first bytes before it is kept.
    pub keep_rules: Option<&'a dyn KeepRules>,
    /// The budget of [`Limits::max_kept_total`] when the caller shares one across several
    /// reads; image and tree readers otherwise start their own.
    pub kept_budget: Option<&'a KeptBudget>,
}

impl Default for ReadOptions<'_> {
    fn default() -> Self {
        ReadOptions {
            keep: &|_, _| false,
            visitor: None,
            limits: Limits::default(),
            progress: None,
            keep_rules: None,
            kept_budget: None,
        }
    }
}

/// What the user named on the command line, before it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageInput {
    /// OCI layout directory, optionally with a tag.
    Layout {
        dir: std::path::PathBuf,
        tag: Option<String>,
    },
    /// docker-archive or OCI archive tarball.
    Archive(std::path::PathBuf),
}

impl ImageInput {
    /// `--input` value: an existing directory or file, or `DIR:TAG` for a layout.
    pub fn parse(input: &str) -> Result<ImageInput> {
        let p = Path::new(input);
        if p.is_dir() {
            return Ok(ImageInput::Layout {
                dir: p.to_path_buf(),
                tag: None,
            });
        }
        if p.is_file() {
            return Ok(ImageInput::Archive(p.to_path_buf()));
        }
        if let Some((dir, tag)) = input.rsplit_once(':') {
            if !tag.contains('/') && Path::new(dir).is_dir() {
                return Ok(ImageInput::Layout {
                    dir: dir.into(),
                    tag: Some(tag.to_string()),
                });
            }
        }
        Err(ImageError::NotFound(format!(
            "{input}: no such file or directory (expected an OCI layout directory[:tag], or a docker-archive/OCI archive tar)"
        )))
    }

    pub fn open(&self, platform: Option<&Platform>) -> Result<ResolvedImage> {
        match self {
            ImageInput::Layout { dir, tag } => open_layout(dir, tag.as_deref(), platform),
            ImageInput::Archive(path) => open_archive(path, platform),
        }
    }
}
