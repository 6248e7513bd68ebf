use std::io;

/// Everything that stops an image from being read. Each variant names the file, blob or
/// reference at fault so the user knows where to look.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{what}: {message}")]
    Malformed { what: String, message: String },
    #[error("{what}: digest mismatch: expected {expected}, got {actual}")]
    DigestMismatch {
        what: String,
        expected: String,
        actual: String,
    },
    #[error("{what}: {message}")]
    LimitExceeded { what: String, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("registry {reference}: {message}")]
    Registry { reference: String, message: String },
}

impl ImageError {
    pub(crate) fn io(path: impl Into<String>, source: io::Error) -> Self {
        ImageError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn malformed(what: impl Into<String>, message: impl Into<String>) -> Self {
        ImageError::Malformed {
            what: what.into(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = ImageError> = std::result::Result<T, E>;
