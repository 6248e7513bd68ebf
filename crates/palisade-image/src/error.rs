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
    #[error("registry {reference}: {source}")]
    Registry {
        reference: String,
        #[source]
        source: RegistryError,
    },
}

/// Why a registry pull failed, by what the caller can do about it: fix the reference, give
/// credentials, fix the docker config or helper, or retry.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("invalid reference: {0}")]
    InvalidReference(#[from] palisade_core::ImageRefError),
    /// The registry refused the credentials (or wanted some).
    #[error("{what}: authentication failed: {message}")]
    Unauthorized { what: String, message: String },
    /// The repository, tag or digest does not exist there.
    #[error("{what}: not found: {message}")]
    NotFound { what: String, message: String },
    /// Any other failure talking to the registry (network, server error, protocol).
    #[error("{what}: {message}")]
    Transport { what: String, message: String },
    #[error("manifest larger than {limit} bytes; refused while reading it")]
    ManifestTooLarge { limit: u64 },
    /// A blob whose size does not match its descriptor (checked while it streams).
    #[error("{what}: {message}")]
    BlobSize { what: String, message: String },
    /// An HTTPS registry named a plain-HTTP token service: credentials would travel in
    /// cleartext.
    #[error("the registry's token service {realm} is plain HTTP; refusing to send credentials there (use --insecure to allow)")]
    InsecureRealm { realm: String },
    /// What the registry sent is not a valid image (digest mismatch, bad manifest).
    #[error(transparent)]
    Invalid(Box<ImageError>),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    /// The docker config file is unreadable or not what Docker writes.
    #[error("{path}: {message}")]
    DockerConfig { path: String, message: String },
    /// A credential helper could not be run or answered nonsense.
    #[error("{program}: {message}")]
    CredentialHelper { program: String, message: String },
    #[error("{program} did not answer within {seconds} s")]
    CredentialHelperTimeout { program: String, seconds: u64 },
}

impl From<ImageError> for RegistryError {
    fn from(e: ImageError) -> Self {
        RegistryError::Invalid(Box::new(e))
    }
}

impl RegistryError {
    #[cfg(feature = "registry")]
    pub(crate) fn io(what: impl Into<String>, source: io::Error) -> Self {
        RegistryError::Io {
            what: what.into(),
            source,
        }
    }
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
