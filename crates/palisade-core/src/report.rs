use crate::{Finding, LayerRef, OsInfo, Package, Severity};
use serde::{Deserialize, Serialize};

/// Version of the JSON report schema (`docs/json-report.md`). Bump on breaking changes.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub tool: String,
    pub tool_version: String,
    /// RFC 3339 time the scan finished.
    pub created_at: String,
    pub results: Vec<TargetReport>,
}

impl Report {
    pub fn new(tool_version: &str, created_at: String) -> Self {
        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            tool: "palisade".into(),
            tool_version: tool_version.into(),
            created_at,
            results: Vec::new(),
        }
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.results.iter().flat_map(|r| r.findings.iter())
    }

    /// Highest severity among all findings, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings().map(|f| f.severity).max()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Image,
    Rootfs,
    Filesystem,
    Repository,
    Config,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Target {
    pub kind: TargetKind,
    /// What the user named: `./app.tar`, `127.0.0.1:5000/team/app:1.2`, `.`.
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TargetReport {
    pub target: Target,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageMeta>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<OsInfo>,
    #[serde(default)]
    pub packages: Vec<Package>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Problems that did not stop the scan (unreadable file, malformed lockfile, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ScanError>,
    /// Pass/fail per control of a compliance framework (`--compliance`), as the framework's
    /// summary object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance: Option<serde_json::Value>,
}

impl TargetReport {
    pub fn new(target: Target) -> Self {
        TargetReport {
            target,
            image: None,
            os: None,
            packages: Vec::new(),
            findings: Vec::new(),
            errors: Vec::new(),
            compliance: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ImageMeta {
    /// Repository references (tags) the image was read under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_digest: Option<String>,
    pub config_digest: String,
    pub os: String,
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    pub layers: Vec<LayerRef>,
    /// The image config (`config` object of the OCI image configuration), as stored.
    #[serde(default)]
    pub config: serde_json::Value,
}

/// What sort of non-fatal problem a [`ScanError`] is, so a caller can tell "this format is
/// not supported" from "this file is damaged" without reading the message.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A format, feature or distribution Palisade does not handle (yet).
    Unsupported,
    /// Input that is malformed, truncated or inconsistent.
    Corrupt,
    /// Reading failed (permissions, I/O errors).
    Io,
    /// A size, count or depth limit stopped the reading.
    LimitExceeded,
    #[default]
    Other,
}

impl ProblemKind {
    /// The name the JSON report uses (`limit-exceeded`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Unsupported => "unsupported",
            ProblemKind::Corrupt => "corrupt",
            ProblemKind::Io => "io",
            ProblemKind::LimitExceeded => "limit-exceeded",
            ProblemKind::Other => "other",
        }
    }
}

impl std::fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A non-fatal problem: names the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScanError {
    /// File or object the problem is about.
    pub source: String,
    pub message: String,
    /// What sort of problem it is (older reports without it read as `other`).
    #[serde(default)]
    pub kind: ProblemKind,
}

impl ScanError {
    /// A problem of kind [`ProblemKind::Other`].
    pub fn new(source: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of_kind(ProblemKind::Other, source, message)
    }

    /// A problem of any kind; the named constructors below are shorthands.
    pub fn of_kind(
        kind: ProblemKind,
        source: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ScanError {
            source: source.into(),
            message: message.into(),
            kind,
        }
    }

    /// Something Palisade cannot handle (an NDB rpm database, an unmatched distribution).
    pub fn unsupported(source: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of_kind(ProblemKind::Unsupported, source, message)
    }

    /// Malformed or damaged input.
    pub fn corrupt(source: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of_kind(ProblemKind::Corrupt, source, message)
    }

    /// A read that failed.
    pub fn io(source: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of_kind(ProblemKind::Io, source, message)
    }

    /// A limit that stopped the reading.
    pub fn limit_exceeded(source: impl Into<String>, message: impl Into<String>) -> Self {
        Self::of_kind(ProblemKind::LimitExceeded, source, message)
    }
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}
