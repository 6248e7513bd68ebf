//! Why a bundle did not verify, one reason per variant.
//!
//! The verifier crate's errors are grouped coarsely (a certificate problem, a log
//! problem, ...) and carry free-form detail. Palisade's callers (the CLI, a future
//! admission gate) need a stable name for what failed, so each crate error maps to
//! exactly one variant here; the detail string stays for humans.

use sigstore_verify::{
    CertificateError, Error as CrateError, TimestampError, TransparencyLogError,
};
use thiserror::Error;

/// Why a Sigstore bundle was rejected. `Display` is one line that starts with the
/// failed check.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BundleError {
    /// The bundle is not JSON, or not a Sigstore bundle of a known version.
    #[error("malformed bundle: {0}")]
    MalformedBundle(String),
    /// A well-formed bundle using content or key types that cannot be verified.
    #[error("unsupported bundle: {0}")]
    UnsupportedBundle(String),
    /// The trusted root is unreadable or unusable.
    #[error("invalid trusted root: {0}")]
    TrustedRoot(String),
    /// The public key given for a managed-key bundle is unusable.
    #[error("invalid public key: {0}")]
    PublicKey(String),
    /// The artifact was given in a form that cannot be checked against this bundle.
    #[error("unusable artifact input: {0}")]
    ArtifactInput(String),
    /// The signing certificate or its chain does not parse.
    #[error("malformed certificate: {0}")]
    MalformedCertificate(String),
    /// The certificate does not chain to a Fulcio authority of the trusted root.
    #[error("untrusted certificate chain: {0}")]
    UntrustedChain(String),
    /// No certificate authority of the trusted root was valid when the bundle was signed.
    #[error("no trusted certificate authority valid at {0}")]
    NoValidAuthority(String),
    /// The signing time falls after the certificate's notAfter.
    #[error("certificate expired: {0}")]
    CertificateExpired(String),
    /// The signing time falls before the certificate's notBefore.
    #[error("certificate not yet valid: {0}")]
    CertificateNotYetValid(String),
    /// The certificate's signed certificate timestamp is missing or does not verify.
    #[error("bad SCT: {0}")]
    Sct(String),
    /// The log entry names a transparency log the trusted root does not know.
    #[error("unknown transparency log: {0}")]
    UnknownLog(String),
    /// The Merkle inclusion proof does not lead to the checkpoint's root hash.
    #[error("bad inclusion proof: {0}")]
    InclusionProof(String),
    /// The checkpoint (signed tree head) is missing, malformed or wrongly signed.
    #[error("bad checkpoint: {0}")]
    Checkpoint(String),
    /// The signed entry timestamp (SET) is missing or does not verify.
    #[error("bad signed entry timestamp: {0}")]
    InclusionPromise(String),
    /// The log entry describes another signature, key or artifact.
    #[error("log entry mismatch: {0}")]
    LogEntryMismatch(String),
    /// The log's integrated time is in the future or outside the certificate validity.
    #[error("integrated time outside certificate validity: {0}")]
    IntegratedTime(String),
    /// The log entry body does not parse or has an unsupported kind.
    #[error("malformed log entry: {0}")]
    MalformedLogEntry(String),
    /// An RFC 3161 timestamp does not verify against a trusted timestamp authority.
    #[error("bad RFC 3161 timestamp: {0}")]
    Timestamp(String),
    /// An RFC 3161 timestamp lies outside its authority's validity period.
    #[error("timestamp outside authority validity: {0}")]
    TimestampOutsideAuthority(String),
    /// Neither a log entry nor a timestamp gives a trusted signing time.
    #[error("no verified timestamp: {0}")]
    NoVerifiedTimestamp(String),
    /// The certificate's SAN is not the identity asked for.
    #[error("identity mismatch: expected {expected}, got {actual}")]
    IdentityMismatch {
        /// The identity the caller required.
        expected: String,
        /// The certificate's identity, or `none`.
        actual: String,
    },
    /// The certificate's OIDC issuer is not the one asked for.
    #[error("issuer mismatch: expected {expected}, got {actual}")]
    IssuerMismatch {
        /// The issuer the caller required.
        expected: String,
        /// The certificate's issuer, or `none`.
        actual: String,
    },
    /// The signature does not verify over the artifact or DSSE payload.
    #[error("signature mismatch: {0}")]
    SignatureMismatch(String),
    /// The bundle signs something else: another digest, or a statement whose
    /// subjects do not include the artifact.
    #[error("artifact mismatch: {0}")]
    ArtifactMismatch(String),
    /// Low-level cryptographic failure the crate did not classify.
    #[error("cryptographic failure: {0}")]
    Crypto(String),
}

impl From<CrateError> for BundleError {
    fn from(e: CrateError) -> Self {
        match e {
            CrateError::IdentityMismatch { expected, actual } => Self::IdentityMismatch {
                expected: expected.to_string(),
                actual: actual.map_or_else(|| "none".into(), |a| a.as_str().to_string()),
            },
            CrateError::IssuerMismatch { expected, actual } => Self::IssuerMismatch {
                expected,
                actual: actual.unwrap_or_else(|| "none".into()),
            },
            CrateError::SignatureInvalid(d) => Self::SignatureMismatch(d),
            CrateError::ArtifactMismatch(d) => Self::ArtifactMismatch(d),
            CrateError::UnsupportedArtifact(d) => Self::ArtifactInput(d),
            CrateError::Certificate(c) => c.into(),
            CrateError::TransparencyLog(t) => t.into(),
            CrateError::Timestamp(t) => t.into(),
            CrateError::InvalidBundle(d) => malformed(d),
            CrateError::Bundle(d) => malformed(d.to_string()),
            CrateError::Types(d) => malformed(d.to_string()),
            CrateError::UnsupportedBundle(d) => Self::UnsupportedBundle(d),
            CrateError::InvalidTrustRoot(d) => Self::TrustedRoot(d),
            CrateError::TrustRoot(d) => Self::TrustedRoot(d.to_string()),
            CrateError::TrustedCertificate(d) => Self::TrustedRoot(d.to_string()),
            CrateError::Crypto(d) => Self::Crypto(d.to_string()),
            CrateError::ArtifactRead(d) => Self::ArtifactInput(d.to_string()),
            // The crate's enum is non-exhaustive; an unknown failure still fails closed.
            other => Self::Crypto(other.to_string()),
        }
    }
}

/// The crate reports structural defects of the log evidence (a proof without a
/// checkpoint, a checkpoint note that does not parse, a v0.2+ bundle without a proof)
/// as bundle parse/shape errors. Those are what "missing or inconsistent inclusion
/// proof" means to a user, so they get the log-evidence reasons; anything else stays
/// a malformed bundle.
pub(super) fn malformed(detail: String) -> BundleError {
    let lower = detail.to_ascii_lowercase();
    if lower.contains("checkpoint") {
        BundleError::Checkpoint(detail)
    } else if lower.contains("inclusion proof") {
        BundleError::InclusionProof(detail)
    } else {
        BundleError::MalformedBundle(detail)
    }
}

impl From<CertificateError> for BundleError {
    fn from(e: CertificateError) -> Self {
        match e {
            CertificateError::Malformed(d) => Self::MalformedCertificate(d),
            // webpki reports the validity window through the chain error; name it, since
            // "signed outside the certificate's lifetime" is a different fix from
            // "signed by an unknown CA".
            CertificateError::ChainInvalid(d) if d.contains("CertExpired") => {
                Self::CertificateExpired(d)
            }
            CertificateError::ChainInvalid(d) if d.contains("CertNotValidYet") => {
                Self::CertificateNotYetValid(d)
            }
            CertificateError::ChainInvalid(d) => Self::UntrustedChain(d),
            CertificateError::NoValidAuthority { time } => Self::NoValidAuthority(time.to_string()),
            CertificateError::NotYetValid { time, not_before } => {
                Self::CertificateNotYetValid(format!("signed at {time}, not before {not_before}"))
            }
            CertificateError::Expired { time, not_after } => {
                Self::CertificateExpired(format!("signed at {time}, not after {not_after}"))
            }
            CertificateError::Sct(d) => Self::Sct(d),
            other => Self::UntrustedChain(other.to_string()),
        }
    }
}

impl From<TransparencyLogError> for BundleError {
    fn from(e: TransparencyLogError) -> Self {
        match e {
            TransparencyLogError::UnknownLog { log_id } => Self::UnknownLog(log_id),
            TransparencyLogError::InclusionProof(d) => Self::InclusionProof(d),
            TransparencyLogError::Checkpoint(d) => Self::Checkpoint(d),
            TransparencyLogError::InclusionPromise(d) => Self::InclusionPromise(d),
            TransparencyLogError::EntryMismatch(d) => Self::LogEntryMismatch(d),
            TransparencyLogError::IntegratedTime(d) => Self::IntegratedTime(d),
            TransparencyLogError::MalformedEntry(d) => Self::MalformedLogEntry(d),
            other => Self::MalformedLogEntry(other.to_string()),
        }
    }
}

impl From<TimestampError> for BundleError {
    fn from(e: TimestampError) -> Self {
        match e {
            TimestampError::Invalid(d) => Self::Timestamp(d),
            TimestampError::OutsideAuthorityValidity { time } => {
                Self::TimestampOutsideAuthority(time.to_string())
            }
            TimestampError::NoVerifiedTimestamp(d) => Self::NoVerifiedTimestamp(d),
            other => Self::Timestamp(other.to_string()),
        }
    }
}

impl BundleError {
    /// A short stable name for the failed check (`untrusted-chain`, `sct`, ...), for
    /// JSON output and tests that must not depend on the crate's wording.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::MalformedBundle(_) => "malformed-bundle",
            Self::UnsupportedBundle(_) => "unsupported-bundle",
            Self::TrustedRoot(_) => "trusted-root",
            Self::PublicKey(_) => "public-key",
            Self::ArtifactInput(_) => "artifact-input",
            Self::MalformedCertificate(_) => "malformed-certificate",
            Self::UntrustedChain(_) => "untrusted-chain",
            Self::NoValidAuthority(_) => "no-valid-authority",
            Self::CertificateExpired(_) => "certificate-expired",
            Self::CertificateNotYetValid(_) => "certificate-not-yet-valid",
            Self::Sct(_) => "sct",
            Self::UnknownLog(_) => "unknown-log",
            Self::InclusionProof(_) => "inclusion-proof",
            Self::Checkpoint(_) => "checkpoint",
            Self::InclusionPromise(_) => "signed-entry-timestamp",
            Self::LogEntryMismatch(_) => "log-entry-mismatch",
            Self::IntegratedTime(_) => "integrated-time",
            Self::MalformedLogEntry(_) => "malformed-log-entry",
            Self::Timestamp(_) => "timestamp",
            Self::TimestampOutsideAuthority(_) => "timestamp-outside-authority",
            Self::NoVerifiedTimestamp(_) => "no-verified-timestamp",
            Self::IdentityMismatch { .. } => "identity-mismatch",
            Self::IssuerMismatch { .. } => "issuer-mismatch",
            Self::SignatureMismatch(_) => "signature-mismatch",
            Self::ArtifactMismatch(_) => "artifact-mismatch",
            Self::Crypto(_) => "crypto",
        }
    }
}
