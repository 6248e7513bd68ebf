//! Palisade's scan engine: the one pipeline every front door (CLI, admission webhook, runtime
//! sensor, benchmarks, tests) calls.
//!
//! ```no_run
//! use palisade_engine::{Scan, Scanner::*};
//! let report = Scan::image("app.tar").scanners([Vuln, Secret]).run()?;
//! # Ok::<(), palisade_engine::EngineError>(())
//! ```
//!
//! A [`ScanRequest`] names a target, the scanners, the database, the resolved
//! [`Config`] (`palisade.yaml`), suppressions and limits; [`ScanRequest::run`] reads the
//! target once, runs the analyzers, matches vulnerabilities and applies suppression, and
//! returns a [`Report`]. Problems that cost part of the picture are in the report's
//! `errors`; [`EngineError`] means there is no report. Rendering is the caller's business.

#[cfg(feature = "registry")]
pub mod admission;
mod classify;
mod config;
#[cfg(feature = "packages")]
mod early;
mod error;
mod mask;
mod misconfig;
#[cfg(feature = "packages")]
mod packages;
mod pipeline;
mod policies;
mod progress;
pub mod registry;
mod request;
mod secrets;
#[cfg(feature = "registry")]
pub mod signing;
mod suppression;
mod targets;
mod visitors;
#[cfg(feature = "vuln")]
mod vulns;
mod walk;

pub use classify::{
    config_kind, is_config_path, wants_config, ConfigKind, MAX_CONFIG_FILE, THIRD_PARTY_DIRS,
};
pub use config::{Config, DEFAULT_FILE as CONFIG_FILE};
pub use error::EngineError;
pub use palisade_core::{ParseScannerError, Report, Scanner};
pub use palisade_kube::KubeOptions;
pub use pipeline::now_rfc3339;
pub use policies::PolicyRun;
pub use progress::Progress;
#[cfg(feature = "vuln")]
pub use request::DbSource;
pub use request::{ImageOptions, Scan, ScanRequest, Suppressions, Target, DEFAULT_MAX_FINDINGS};
pub use walk::SkipList;

/// Vulnerability database maintenance (`db update`, `db import`, `db status`) for front doors.
#[cfg(feature = "vuln")]
pub use palisade_vulndb as vulndb;

/// Policy as code (Rego, Gatekeeper, Conftest): loading policy sets for `--policy`, and
/// `policy test` / `policy eval`.
pub use palisade_policy as policy;

/// Keys, signatures, attestations and provenance (cosign-compatible), for front doors.
pub use palisade_sign as sign;

/// Registry credentials, for front doors that pull.
#[cfg(feature = "registry")]
pub use palisade_image::RegistryAuthOptions;

/// Limits on what an image or tree may make Palisade read or keep.
pub use palisade_image::Limits;

/// Compliance frameworks `--compliance` accepts.
pub use palisade_kube::FRAMEWORKS as COMPLIANCE_FRAMEWORKS;

/// The version reports carry.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
