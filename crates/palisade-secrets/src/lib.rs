//! Palisade's secret scanner.
//!
//! Built-in rules (one file per provider under `rules/`) are data: keywords for an
//! Aho-Corasick prefilter, a regex, an entropy floor and allowlists. [`Scanner`] compiles
//! them once with the user's [`SecretConfig`] and is shared across threads. Every output
//! masks the secret with [`palisade_core::mask_secret`]; the raw value never leaves the
//! scanner (fingerprints hash it).

mod allowlist;
mod config;
mod entropy;
mod error;
mod git;
mod gitleaks;
mod image_config;
mod published;
mod re2;
mod rule;
pub mod rules;
mod scanner;
mod validate;

pub use config::{AllowlistConfig, CustomRule, RegexTarget, SecretConfig, DEFAULT_MAX_FILE_SIZE};
pub use entropy::shannon;
pub use error::{ConfigError, RepoError};
pub use git::{scan_repo, RepoScan};
pub use rule::SecretRule;
pub use rules::rules;
pub use scanner::Scanner;

/// Built-in rules with their patterns and fixtures (for tests and tooling).
pub fn builtin_rules() -> &'static [&'static SecretRule] {
    rules::builtin()
}
