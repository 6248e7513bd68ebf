//! Package detectors. Each detector says which files it wants (by path and size, so image
//! readers keep only those contents) and turns one file into packages.
//!
//! Paths handed to detectors are relative to the scanned root, `/`-separated, without a
//! leading slash (`var/lib/dpkg/status`, `srv/app/package-lock.json`): the form of
//! [`palisade_core::Location::path`], which [`Package::found_in`] keeps.

pub mod lang;
mod link;
pub mod os;
pub mod purl;

pub use link::link_installed;
use palisade_core::{LayerRef, OsInfo, Package, ProblemKind, ScanError};

/// One file offered to a detector.
#[derive(Debug, Clone, Copy)]
pub struct FileRef<'a> {
    pub path: &'a str,
    pub content: &'a [u8],
    /// The image layer that added this version of the file (images only).
    pub layer: Option<&'a LayerRef>,
}

/// A detector failed on one file; the scan carries on and reports this.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DetectError {
    pub path: String,
    pub message: String,
    /// What sort of problem it is; [`DetectError::new`] means malformed input.
    pub kind: ProblemKind,
}

impl DetectError {
    /// The file is malformed ([`ProblemKind::Corrupt`]), the usual detector failure.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of_kind(ProblemKind::Corrupt, path, message)
    }

    /// A failure of the given kind (`Io` for a temp file, `LimitExceeded` for a zip bomb).
    pub fn of_kind(kind: ProblemKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        DetectError {
            path: path.into(),
            message: message.into(),
            kind,
        }
    }

    /// A format Palisade recognises but does not read (NDB rpm databases).
    pub fn unsupported(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of_kind(ProblemKind::Unsupported, path, message)
    }
}

/// The report's form of a detector failure: same file, message and kind.
impl From<DetectError> for ScanError {
    fn from(e: DetectError) -> Self {
        ScanError::of_kind(e.kind, e.path, e.message)
    }
}

pub trait Detector: Send + Sync {
    /// Short stable name (`dpkg`, `apk`, `python-dist-info`, `npm-lock`).
    fn name(&self) -> &'static str;
    /// Whether this detector needs the content of the file at `path` of `size` bytes.
    fn wants(&self, path: &str, size: u64) -> bool;
    /// Packages the file declares. `os` is the detected OS of the target, if any.
    fn detect(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Result<Vec<Package>, DetectError>;
}

/// Every detector: OS package databases first, then language ecosystems.
pub fn all_detectors() -> Vec<Box<dyn Detector>> {
    let mut v = os::detectors();
    v.extend(lang::detectors());
    v
}
