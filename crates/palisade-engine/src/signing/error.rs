use palisade_sign::SignError;

/// Why signing or verifying an image failed. [`SigningError::is_verification_failure`]
/// tells a verdict (the image is not signed as required: exit 1) from a tool error
/// (the registry, a key, an option: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    /// The registry could not be read or written.
    #[error(transparent)]
    Registry(#[from] palisade_image::ImageError),
    /// A key, predicate or payload could not be used, or one piece of evidence failed.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// Neither the cosign tag nor an OCI 1.1 referrer holds a signature of the image.
    #[error("{reference}: no signature for {digest} (no {tag} tag and no signature referrer)")]
    NoSignatures {
        reference: String,
        digest: String,
        tag: String,
    },
    /// Signatures exist and none verifies; `reason` is the most telling one's.
    #[error("{reference}: {count} signature(s) on {digest}, none verifies: {reason}")]
    NoneVerified {
        reference: String,
        digest: String,
        count: usize,
        reason: Box<SignError>,
    },
    #[error("{reference}: no attestation for {digest} (no {tag} tag and no attestation referrer)")]
    NoAttestations {
        reference: String,
        digest: String,
        tag: String,
    },
    #[error("{reference}: {count} attestation(s) on {digest}, none verifies: {reason}")]
    NoAttestationVerified {
        reference: String,
        digest: String,
        count: usize,
        reason: Box<SignError>,
    },
    /// A signature or attestation layer whose blob the registry no longer has or serves
    /// altered.
    #[error("{reference}: {what}: {message}")]
    Layer {
        reference: String,
        what: String,
        message: String,
    },
}

impl SigningError {
    pub fn is_verification_failure(&self) -> bool {
        match self {
            SigningError::Sign(e) => e.is_verification_failure(),
            SigningError::Registry(_) => false,
            _ => true,
        }
    }
}

/// Of several failures, the one that tells the user most: a valid signature for another
/// image or type first, a bad signature next, malformed evidence last.
pub(crate) fn most_telling(errors: Vec<SignError>) -> Option<SignError> {
    fn rank(e: &SignError) -> u8 {
        match e {
            SignError::DigestMismatch { .. } | SignError::SubjectMismatch { .. } => 0,
            SignError::PredicateTypeMismatch { .. } => 1,
            SignError::BadSignature { .. } => 2,
            _ => 3,
        }
    }
    errors.into_iter().min_by_key(rank)
}
