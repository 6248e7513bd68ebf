//! The model every Palisade capability shares. No I/O lives here: readers produce
//! [`Package`]s and file facts, analyzers produce [`Finding`]s, reporters consume a [`Report`].

mod finding;
mod location;
mod mask;
mod package;
mod report;
mod rule;
mod scanner;
mod severity;

pub use finding::{Finding, FindingKind, VulnInfo};
pub use location::{CommitRef, LayerRef, Location, ObjectRef, Span};
pub use mask::mask_secret;
pub use package::{Ecosystem, OsInfo, Package, Relationship};
pub use report::{
    ImageMeta, Report, ScanError, Target, TargetKind, TargetReport, REPORT_SCHEMA_VERSION,
};
pub use rule::{RuleDocs, RuleFamily, RuleMeta};
pub use scanner::{ParseScannerError, Scanner};
pub use severity::{ParseSeverityError, Severity};

/// JSON Schema (draft-07) of the JSON report, generated from the types themselves so the
/// published schema cannot drift from what `--format json` writes.
pub fn report_json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default()
}
