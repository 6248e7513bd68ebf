//! The model every Palisade capability shares. No I/O lives here: readers produce
//! [`Package`]s and file facts, analyzers produce [`Finding`]s, reporters consume a [`Report`].

mod deptree;
mod finding;
mod image_ref;
mod location;
mod mask;
mod os;
mod osv;
mod package;
mod report;
mod rule;
mod scanner;
mod severity;
mod text;

pub use deptree::{attach_dependency_paths, DependencyGraph, MAX_CHAINS};
pub use finding::{Finding, FindingKind, VulnInfo};
pub use image_ref::{ImageRef, ImageRefError, DOCKER_HUB};
pub use location::{target_path, CommitRef, LayerRef, Location, ObjectRef, Span};
pub use mask::mask_secret;
pub use os::{OsFamily, OsInfo};
pub use osv::{
    language_ecosystem, native_ecosystem, os_ecosystem, osv_ecosystem, OsvEcosystem, Unmatchable,
    VersionScheme,
};
pub use package::{identity_name, Ecosystem, Package, Relationship};
pub use report::{
    ImageMeta, ProblemKind, Report, ScanError, Target, TargetKind, TargetReport,
    REPORT_SCHEMA_VERSION,
};
pub use rule::{canonical_rule_id, Partial, RuleDocs, RuleFamily, RuleMeta};
pub use scanner::{ParseScannerError, Scanner};
pub use severity::{keep_most_severe, ParseSeverityError, Severity};
pub use text::{pep503_normalize, percent_encode};

/// JSON Schema (draft-07) of the JSON report, generated from the types themselves so the
/// published schema cannot drift from what `--format json` writes.
pub fn report_json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default()
}
