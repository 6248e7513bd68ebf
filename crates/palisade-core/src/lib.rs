//! The model every Palisade capability shares. No I/O lives here: readers produce
//! [`Package`]s and file facts, analyzers produce [`Finding`]s, reporters consume a [`Report`].

mod finding;
mod location;
mod mask;
mod package;
mod report;
mod rule;
mod severity;

pub use finding::{Finding, FindingKind, VulnInfo};
pub use location::{CommitRef, LayerRef, Location, ObjectRef, Span};
pub use mask::mask_secret;
pub use package::{Ecosystem, OsInfo, Package, Relationship};
pub use report::{ImageMeta, Report, ScanError, Target, TargetKind, TargetReport, REPORT_SCHEMA_VERSION};
pub use rule::{RuleDocs, RuleMeta};
pub use severity::{ParseSeverityError, Severity};
