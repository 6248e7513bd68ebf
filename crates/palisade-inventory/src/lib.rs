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

/// What a detector read from one file: the packages of every record it could read, and a
/// problem for each part it could not (a damaged record, a limit that stopped the reading).
/// Both can be non-empty: one bad record must not hide the rest of a package database.
#[derive(Debug, Default)]
pub struct Detection {
    pub packages: Vec<Package>,
    pub problems: Vec<DetectError>,
}

impl Detection {
    /// The strict form: the packages when nothing went wrong, else the first problem (the
    /// packages that were read are dropped, as a whole-file error always did).
    pub fn into_strict(mut self) -> Result<Vec<Package>, DetectError> {
        if self.problems.is_empty() {
            Ok(self.packages)
        } else {
            Err(self.problems.swap_remove(0))
        }
    }
}

impl From<Result<Vec<Package>, DetectError>> for Detection {
    fn from(r: Result<Vec<Package>, DetectError>) -> Self {
        match r {
            Ok(packages) => Detection {
                packages,
                problems: Vec::new(),
            },
            Err(e) => Detection {
                packages: Vec::new(),
                problems: vec![e],
            },
        }
    }
}

pub trait Detector: Send + Sync {
    /// Short stable name (`dpkg`, `apk`, `python-dist-info`, `npm-lock`).
    fn name(&self) -> &'static str;
    /// Whether this detector needs the content of the file at `path` of `size` bytes.
    fn wants(&self, path: &str, size: u64) -> bool;
    /// Packages the file declares, or the first problem met. `os` is the detected OS of the
    /// target, if any. Detectors that read record by record drop the good records here when
    /// any record is bad; callers that report problems should use [`Detector::detect_all`].
    fn detect(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Result<Vec<Package>, DetectError>;
    /// Packages of every record that could be read, and a problem for each part that could
    /// not. The default is [`Detector::detect`]'s result; the package databases (dpkg, apk,
    /// rpm) and Java archives override it to keep the good records next to the warnings.
    fn detect_all(&self, file: &FileRef<'_>, os: Option<&OsInfo>) -> Detection {
        self.detect(file, os).into()
    }
}

/// Collects the problems of a file read record by record: the first few are reported one by
/// one (with the record's position), the rest as one count, so a file of a million junk
/// records gives a readable warning list rather than a million lines.
pub(crate) struct RecordProblems<'a> {
    path: &'a str,
    listed: Vec<DetectError>,
    more: usize,
}

impl<'a> RecordProblems<'a> {
    /// Problems listed one by one before the rest are only counted.
    pub(crate) const LISTED: usize = 10;

    pub(crate) fn new(path: &'a str) -> Self {
        RecordProblems {
            path,
            listed: Vec::new(),
            more: 0,
        }
    }

    /// A bad record (malformed input); `message` names its position, never its content.
    pub(crate) fn bad(&mut self, message: String) {
        self.push(DetectError::new(self.path, message));
    }

    pub(crate) fn push(&mut self, e: DetectError) {
        if self.listed.len() < Self::LISTED {
            self.listed.push(e);
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn finish(mut self) -> Vec<DetectError> {
        if self.more > 0 {
            self.listed.push(DetectError::new(
                self.path,
                format!("{} more unreadable records skipped", self.more),
            ));
        }
        self.listed
    }
}

/// Every detector: OS package databases first, then language ecosystems.
pub fn all_detectors() -> Vec<Box<dyn Detector>> {
    let mut v = os::detectors();
    v.extend(lang::detectors());
    v
}
