use std::path::PathBuf;

/// Why a policy set could not be loaded or a query could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A Rego module, data document, template or constraint that does not parse.
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    /// Modules that parse but do not fit together (conflicting rules, a missing import).
    #[error("policies do not compile: {message}")]
    Compile { message: String },
    /// Evaluation stopped with an error the policy caused (a builtin's error, conflicting
    /// outputs of a complete rule).
    #[error("{query}: {message}")]
    Eval { query: String, message: String },
    /// The evaluation ran past its time budget: the policy probably loops or explodes.
    #[error("{query}: evaluation stopped after {limit_ms} ms (the limit per query)")]
    Timeout { query: String, limit_ms: u64 },
    /// The process's heap passed its cap while the query ran: the policy (or the input it was
    /// given) builds something enormous.
    #[error("{query}: evaluation stopped: the process heap passed {limit_mib} MiB (the limit while policies run)")]
    MemoryLimit { query: String, limit_mib: u64 },
    /// A Gatekeeper constraint whose parameters the template's schema rejects, or that names
    /// a template that is not loaded.
    #[error("{path}: {message}")]
    InvalidConstraint { path: String, message: String },
    /// An AdmissionReview that cannot be reviewed (no request, nothing to review, an object
    /// without a kind), refused the way `gator` refuses it.
    #[error("invalid AdmissionReview: {message}")]
    InvalidReview { message: String },
    /// Something over a size limit (bundle entry, data document).
    #[error("{path}: {message}")]
    LimitExceeded { path: String, message: String },
}

impl PolicyError {
    pub(crate) fn parse(path: impl Into<String>, message: impl std::fmt::Display) -> Self {
        PolicyError::Parse {
            path: path.into(),
            message: message.to_string(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        PolicyError::Io {
            path: path.into(),
            source,
        }
    }
}
