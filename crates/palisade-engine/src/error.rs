use thiserror::Error;

/// Why a scan could not produce a report. Problems that only cost part of the picture (one
/// unreadable lockfile, one manifest that does not parse inside a directory) are not errors:
/// they go into the report's `errors` and the scan carries on.
///
/// Messages name the file or reference at fault and never quote its contents.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The target, or a file the caller named, cannot be opened or read.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The target does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The target exists but is not something Palisade reads (a text file given as an image).
    #[error("{path}: {message}")]
    Unsupported { path: String, message: String },
    /// The target is of a kind Palisade reads but is damaged: a digest mismatch, a truncated
    /// archive, a manifest named on the command line that does not parse.
    #[error("{path}: {message}")]
    Corrupt { path: String, message: String },
    /// A resource limit (size, entries, nesting) stopped the scan.
    #[error("{path}: {message}")]
    LimitExceeded { path: String, message: String },
    /// The request itself is wrong: palisade.yaml, an ignore file, a VEX document, an option.
    #[error("{path}: {message}")]
    Config { path: String, message: String },
    /// A registry refused or failed the pull; `source` says whether to fix the reference,
    /// give credentials or retry.
    #[error("registry {reference}: {source}")]
    Registry {
        reference: String,
        #[source]
        source: palisade_image::RegistryError,
    },
    /// The vulnerability database cannot be opened or read.
    #[error("vulnerability database: {message}")]
    Database { message: String },
}

impl EngineError {
    pub(crate) fn config(path: impl Into<String>, message: impl ToString) -> Self {
        EngineError::Config {
            path: path.into(),
            message: message.to_string(),
        }
    }

    pub(crate) fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        EngineError::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<palisade_image::ImageError> for EngineError {
    fn from(e: palisade_image::ImageError) -> Self {
        use palisade_image::ImageError as I;
        match e {
            I::Io { path, source } => EngineError::Io { path, source },
            I::Malformed { what, message } => EngineError::Corrupt {
                path: what,
                message,
            },
            e @ I::DigestMismatch { .. } => {
                let message = e.to_string();
                let path = match e {
                    I::DigestMismatch { what, .. } => what,
                    _ => String::new(),
                };
                let message = message
                    .strip_prefix(&format!("{path}: "))
                    .unwrap_or(&message)
                    .to_string();
                EngineError::Corrupt { path, message }
            }
            I::LimitExceeded { what, message } => EngineError::LimitExceeded {
                path: what,
                message,
            },
            I::NotFound(message) => EngineError::NotFound(message),
            I::Registry { reference, source } => EngineError::Registry { reference, source },
        }
    }
}

impl From<palisade_suppress::SuppressError> for EngineError {
    fn from(e: palisade_suppress::SuppressError) -> Self {
        use palisade_suppress::SuppressError as S;
        match e {
            S::Parse { file, message } => EngineError::Config {
                path: file,
                message,
            },
            S::Io { file, source } => EngineError::Io { path: file, source },
            e @ (S::Entry { .. } | S::Vex { .. }) => {
                let message = e.to_string();
                let path = match &e {
                    S::Entry { file, .. } | S::Vex { file, .. } => file.clone(),
                    _ => String::new(),
                };
                let message = message
                    .strip_prefix(&format!("{path}: "))
                    .unwrap_or(&message)
                    .to_string();
                EngineError::Config { path, message }
            }
        }
    }
}

#[cfg(feature = "vuln")]
impl From<palisade_vulndb::DbError> for EngineError {
    fn from(e: palisade_vulndb::DbError) -> Self {
        EngineError::Database {
            message: e.to_string(),
        }
    }
}
