//! Palisade's secret scanner.
//!
//! Rules are data: built-in ones in `data/rules.yaml`, user ones in palisade.yaml's
//! `secrets.rules`, both [`RuleSpec`]s read by one loader: keywords for an Aho-Corasick
//! prefilter, a regex, an entropy floor, allowlists and an optional named validator.
//! [`Scanner`] compiles them once with a resolved [`SecretConfig`] (see [`SecretsSection`]
//! for palisade.yaml) and is shared across threads. Every output masks the secret with
//! [`palisade_core::mask_secret`]; the raw value never leaves the scanner (fingerprints
//! hash it).

mod allowlist;
mod builtin;
mod config;
mod entropy;
mod error;
mod git;
mod gitleaks;
mod image_config;
mod positions;
mod published;
mod re2;
mod redact;
mod rule;
mod scanner;
mod section;
mod spec;
mod validate;

pub use builtin::rules;
pub use config::{AllowlistConfig, RegexTarget, SecretConfig, DEFAULT_MAX_FILE_SIZE};
pub use entropy::shannon;
pub use error::{ConfigError, ConfigInput, RepoError};
pub use git::{scan_repo, RepoScan};
pub use rule::SecretRule;
pub use scanner::Scanner;
pub use section::{ReferencedFiles, ReferencedTexts, SecretsSection};
pub use spec::{RuleSpec, RuleTests};

/// Built-in rules with their data entries and test cases (for tests and tooling).
pub fn builtin_rules() -> &'static [SecretRule] {
    builtin::builtin()
}
