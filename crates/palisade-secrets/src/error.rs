use thiserror::Error;

/// A problem with secret-scanner configuration; names the part that is wrong.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("invalid YAML in palisade.yaml `secrets` section: {0}")]
    Yaml(String),
    #[error("invalid gitleaks TOML config: {0}")]
    Toml(String),
    #[error("rule {rule:?}: invalid regex {what}: {message}")]
    Regex {
        rule: String,
        what: String,
        message: String,
    },
    #[error("rule {0:?}: {1}")]
    Rule(String, String),
    #[error("invalid baseline file: {0}")]
    Baseline(String),
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
