/// Why signing or verification failed. Each variant is one reason a user can act on, so
/// front doors print it as one line; [`SignError::is_verification_failure`] separates "the
/// evidence does not hold" (exit 1) from "the tool could not do its job" (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// Not PEM, or PEM of a kind that holds no key Palisade reads.
    #[error("{what}: not a key: {message}")]
    MalformedKey { what: String, message: String },
    /// A key of another algorithm (RSA, Ed25519, another curve).
    #[error("{what}: unsupported key type {kind} (cosign keys are ECDSA P-256)")]
    UnsupportedKey { what: String, kind: String },
    /// An encrypted cosign key whose KDF or cipher is not cosign's.
    #[error("{what}: unsupported key encryption {scheme}")]
    UnsupportedEncryption { what: String, scheme: String },
    /// The password does not open the encrypted key (or the key file was altered).
    #[error("{what}: wrong password (or a corrupted key file)")]
    WrongPassword { what: String },
    /// An encrypted key and no password to open it.
    #[error("{what}: encrypted key and no password: set COSIGN_PASSWORD")]
    PasswordRequired { what: String },
    /// A signature that is not base64 or not an ASN.1 DER ECDSA signature.
    #[error("{what}: malformed signature: {message}")]
    MalformedSignature { what: String, message: String },
    /// The signature does not verify: it was made by another key, or the signed bytes
    /// changed since (the two cannot be told apart cryptographically).
    #[error("{what}: signature does not verify with the given key (another key signed it, or the signed content was altered)")]
    BadSignature { what: String },
    /// The simple-signing payload is not the JSON cosign writes.
    #[error("signature payload: {message}")]
    MalformedPayload { message: String },
    /// A valid signature over a payload that names another image digest.
    #[error("the signature is for {signed}, not for the image {expected}")]
    DigestMismatch { expected: String, signed: String },
    /// A verified signature whose payload lacks an annotation the verifier requires (`-a`).
    #[error("the signature's annotation {key:?} is {found}, not {expected:?}")]
    AnnotationMismatch {
        key: String,
        expected: String,
        found: String,
    },
    /// A DSSE envelope that is not JSON, or lacks its payload or signatures.
    #[error("attestation envelope: {message}")]
    MalformedEnvelope { message: String },
    /// A DSSE envelope whose payload is not an in-toto statement.
    #[error("attestation envelope carries {found:?}, not an in-toto statement")]
    WrongPayloadType { found: String },
    /// An in-toto statement that is not JSON or lacks `_type`, `subject` or `predicateType`.
    #[error("in-toto statement: {message}")]
    MalformedStatement { message: String },
    /// The statement's subjects do not include the image's digest.
    #[error("the attestation's subject is {subjects}, not the image {expected}")]
    SubjectMismatch { expected: String, subjects: String },
    /// The statement's predicate is of another type than asked for.
    #[error("the attestation's predicate type is {found}, not {expected}")]
    PredicateTypeMismatch { expected: String, found: String },
    /// `--type` named nothing cosign knows and is not a URI.
    #[error("unknown predicate type {0:?} (cyclonedx, spdx, spdxjson, slsaprovenance, slsaprovenance02, slsaprovenance1, link, vuln, openvex, custom, or a URI)")]
    UnknownPredicateType(String),
    /// A predicate file that is not JSON.
    #[error("predicate: {message}")]
    MalformedPredicate { message: String },
    /// Provenance whose builder is not the one the user trusts.
    #[error("provenance builder is {found:?}, expected {expected:?}")]
    BuilderMismatch { expected: String, found: String },
    /// Provenance built from another source repository or commit.
    #[error("provenance source is {found:?}, expected {expected:?}")]
    SourceMismatch { expected: String, found: String },
    /// Provenance that is not a SLSA v1 predicate.
    #[error("provenance: {message}")]
    MalformedProvenance { message: String },
    /// A failure inside the crypto library (key generation, randomness).
    #[error("{what}: cryptographic operation failed")]
    Crypto { what: String },
}

impl SignError {
    /// Whether the input was read and the evidence judged false (a verdict), rather than
    /// the tool failing to read keys or inputs.
    pub fn is_verification_failure(&self) -> bool {
        matches!(
            self,
            SignError::BadSignature { .. }
                | SignError::MalformedSignature { .. }
                | SignError::MalformedPayload { .. }
                | SignError::DigestMismatch { .. }
                | SignError::AnnotationMismatch { .. }
                | SignError::MalformedEnvelope { .. }
                | SignError::WrongPayloadType { .. }
                | SignError::MalformedStatement { .. }
                | SignError::SubjectMismatch { .. }
                | SignError::PredicateTypeMismatch { .. }
                | SignError::BuilderMismatch { .. }
                | SignError::SourceMismatch { .. }
                | SignError::MalformedProvenance { .. }
        )
    }
}

pub type Result<T, E = SignError> = std::result::Result<T, E>;
