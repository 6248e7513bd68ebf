use std::fmt;
use thiserror::Error;

/// Which input a configuration problem was found in, so a caller can point at the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigInput {
    /// The `secrets:` section of palisade.yaml.
    Section,
    /// The file `secrets.baseline` names.
    Baseline,
    /// The file `secrets.gitleaks_config` names.
    GitleaksConfig,
    /// The file `secrets.gitleaks_allowlists` names.
    GitleaksAllowlists,
    /// Palisade's own `data/rules.yaml`.
    BuiltinRules,
}

impl fmt::Display for ConfigInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigInput::Section => "palisade.yaml `secrets` section",
            ConfigInput::Baseline => "baseline file",
            ConfigInput::GitleaksConfig => "gitleaks config file",
            ConfigInput::GitleaksAllowlists => "gitleaks allowlists file",
            ConfigInput::BuiltinRules => "built-in rule data",
        })
    }
}

/// A problem with secret-scanner configuration; names the input, rule or file kind at fault.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The input is not valid YAML/TOML/JSON, or not the shape expected.
    #[error("invalid {input}: {message}")]
    Parse { input: ConfigInput, message: String },
    /// The section names a file whose text the caller did not supply to `resolve`.
    #[error("the `secrets` section names a {input} ({name:?}) but its text was not supplied")]
    MissingText { input: ConfigInput, name: String },
    /// `index` counts from 1 in the input's rule list.
    #[error("{input}: rule #{index} has no id")]
    MissingRuleId { input: ConfigInput, index: usize },
    #[error("rule {rule:?}: invalid regex {what}: {message}")]
    Regex {
        rule: String,
        what: String,
        message: String,
    },
    #[error(
        "rule {rule:?}: unknown validator {name:?} (known: {})",
        crate::validate::names()
    )]
    UnknownValidator { rule: String, name: String },
    #[error("rule {rule:?}: {problem}")]
    Rule { rule: String, problem: String },
    #[error("keyword prefilter could not be built: {0}")]
    Prefilter(String),
}

/// A repository that could not be walked at all (single bad objects become `ScanError`s).
#[derive(Debug, Error)]
pub enum RepoError {
    #[error("{path}: not a readable git repository: {message}")]
    Open { path: String, message: String },
    #[error("{path}: cannot walk history: {message}")]
    Walk { path: String, message: String },
}
