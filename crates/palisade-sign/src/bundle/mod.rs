//! Sigstore bundle verification, fully offline from a trusted root.
//!
//! Bundles v0.1–v0.3 (`*.sigstore.json`) with a message signature or a DSSE
//! envelope, signed with a Fulcio certificate (keyless) or a managed key. The
//! checks — certificate chain to the trusted root's Fulcio CAs, SCT, Rekor v1
//! inclusion proof + signed checkpoint + SET, Rekor v2 entries, RFC 3161
//! timestamps, signing time inside the certificate validity, SAN identity and
//! OIDC issuer, signature over the artifact, log entry consistency — are done by
//! sigstore-rust's `sigstore-verify` (pinned in Cargo.toml). This module is
//! Palisade's narrow face onto it: our own input, policy, result and error types,
//! so the crate can be swapped or upgraded without touching callers.

mod chain;
mod compat;
mod error;
mod trust;

#[cfg(test)]
mod tests;

pub use error::BundleError;
pub use trust::{TrustedRoot, PUBLIC_GOOD_TRUSTED_ROOT};

use serde::Serialize;
use sigstore_verify::types::{
    Artifact as CrateArtifact, Bundle, DerPublicKey, Sha256Hash, SignatureContent,
};
use sigstore_verify::{PublicKeyVerificationPolicy, VerificationPolicy, Verifier};
use std::io::Read;

/// What the bundle is checked against: the artifact itself, or its SHA-256 digest.
#[derive(Debug, Clone, Copy)]
pub enum Artifact<'a> {
    /// The artifact's bytes (for DSSE bundles: a subject of the in-toto statement).
    Bytes(&'a [u8]),
    /// The artifact's SHA-256 digest.
    Sha256([u8; 32]),
}

impl Artifact<'_> {
    /// `sha256:<64 hex digits>` as the conformance protocol spells a digest; `None`
    /// for anything else (which the protocol then reads as a file path).
    pub fn parse_digest(text: &str) -> Option<[u8; 32]> {
        let hex_part = text.strip_prefix("sha256:")?;
        if hex_part.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(hex_part, &mut out).ok()?;
        Some(out)
    }
}

/// Who must have signed.
#[derive(Debug, Clone)]
pub enum Policy {
    /// Keyless: a Fulcio certificate whose SAN equals `identity` and whose OIDC
    /// issuer extension equals `issuer`.
    Keyless {
        /// Expected certificate identity (SAN URI or email), matched exactly.
        identity: String,
        /// Expected OIDC issuer URL, matched exactly.
        issuer: String,
    },
    /// Managed key: the bundle must be signed by this PEM public key.
    PublicKey {
        /// `-----BEGIN PUBLIC KEY-----` PEM (SubjectPublicKeyInfo).
        pem: String,
    },
}

/// Who signed, as established by verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Signer {
    /// A Fulcio certificate chained to the trusted root.
    Certificate {
        /// The certificate's SAN identity.
        identity: String,
        /// The certificate's OIDC issuer.
        issuer: String,
    },
    /// The managed public key given in the policy.
    PublicKey,
}

/// What a successful verification established.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    /// The bundle's media type (its version).
    pub media_type: String,
    /// `message-signature` or `dsse`.
    pub content: &'static str,
    /// For DSSE: the envelope's payload type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload_type: Option<String>,
    /// For DSSE with an in-toto statement: its predicate type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicate_type: Option<String>,
    /// Who signed.
    pub signer: Signer,
    /// The certificate chain, validity and EKU were checked against the trusted root.
    pub certificate_chain_verified: bool,
    /// The certificate's SCT was checked against a CT log of the trusted root.
    pub sct_verified: bool,
    /// The transparency-log inclusion (proof + checkpoint, or SET) was checked.
    pub tlog_verified: bool,
    /// Rekor v1 integrated time (RFC 3339), when inclusion was verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrated_time: Option<String>,
    /// Every authenticated signing time used (RFC 3339).
    pub verified_times: Vec<String>,
}

/// Verify `bundle_json` over `artifact` under `policy`, offline, against `root`.
///
/// Never panics on a malformed bundle: every failure is a [`BundleError`].
pub fn verify_bundle(
    artifact: Artifact<'_>,
    bundle_json: &str,
    policy: &Policy,
    root: &TrustedRoot,
) -> Result<Verified, BundleError> {
    let input: CrateArtifact<'_> = match artifact {
        Artifact::Bytes(bytes) => CrateArtifact::from_blob(bytes),
        Artifact::Sha256(digest) => CrateArtifact::from_digest(Sha256Hash::new(digest)),
    };
    verify_input(Input::Artifact(input), bundle_json, policy, root)
}

/// [`verify_bundle`] over an artifact read to its end in constant memory, for artifacts too
/// large to hold. Signature schemes that need the whole message (Ed25519 message
/// signatures) fail with [`BundleError::ArtifactInput`] before anything is read; give
/// those the bytes.
pub fn verify_bundle_reader(
    artifact: impl Read,
    bundle_json: &str,
    policy: &Policy,
    root: &TrustedRoot,
) -> Result<Verified, BundleError> {
    verify_input(Input::Reader(Box::new(artifact)), bundle_json, policy, root)
}

enum Input<'a> {
    Artifact(CrateArtifact<'a>),
    Reader(Box<dyn Read + 'a>),
}

fn verify_input(
    input: Input<'_>,
    bundle_json: &str,
    policy: &Policy,
    root: &TrustedRoot,
) -> Result<Verified, BundleError> {
    let bundle = Bundle::from_json(&compat::normalize(bundle_json))
        .map_err(|e| error::malformed(e.to_string()))?;
    chain::check(&bundle)?;
    let verifier = Verifier::new(&root.inner).map_err(|e| match BundleError::from(e) {
        // A root that parses but cannot be prepared is still a trusted-root problem.
        BundleError::MalformedBundle(d)
        | BundleError::Checkpoint(d)
        | BundleError::InclusionProof(d)
        | BundleError::Crypto(d) => BundleError::TrustedRoot(d),
        other => other,
    })?;
    let run = |p: &dyn sigstore_verify::Policy| match input {
        Input::Artifact(a) => verifier.verify(a, &bundle, p),
        Input::Reader(r) => verifier.verify_reader(r, &bundle, p),
    };
    let result = match policy {
        Policy::Keyless { identity, issuer } => {
            run(&VerificationPolicy::new(identity.as_str(), issuer.as_str()))?
        }
        Policy::PublicKey { pem } => {
            let key =
                DerPublicKey::from_pem(pem).map_err(|e| BundleError::PublicKey(e.to_string()))?;
            run(&PublicKeyVerificationPolicy::new(key))?
        }
    };

    let signer = match (policy, result.identity(), result.issuer()) {
        (Policy::PublicKey { .. }, _, _) => Signer::PublicKey,
        (Policy::Keyless { .. }, Some(identity), Some(issuer)) => Signer::Certificate {
            identity: identity.as_str().to_string(),
            issuer: issuer.to_string(),
        },
        // The crate matched the policy, so both claims exist; refuse rather than guess.
        (Policy::Keyless { .. }, _, _) => {
            return Err(BundleError::MalformedCertificate(
                "verified certificate lacks an identity or issuer".into(),
            ))
        }
    };
    let (content, payload_type, predicate_type) = describe(&bundle.content);
    Ok(Verified {
        media_type: bundle.media_type().as_str().to_string(),
        content,
        payload_type,
        predicate_type,
        signer,
        certificate_chain_verified: result.certificate_verified(),
        sct_verified: result.sct_verified(),
        tlog_verified: result.tlog_verified(),
        integrated_time: result.integrated_time().map(|t| t.to_string()),
        verified_times: result
            .verified_timestamps()
            .iter()
            .map(ToString::to_string)
            .collect(),
    })
}

fn describe(content: &SignatureContent) -> (&'static str, Option<String>, Option<String>) {
    match content {
        SignatureContent::MessageSignature(_) => ("message-signature", None, None),
        SignatureContent::DsseEnvelope(env) => {
            let predicate = serde_json::from_slice::<serde_json::Value>(env.payload.as_bytes())
                .ok()
                .and_then(|v| v.get("predicateType")?.as_str().map(str::to_string));
            ("dsse", Some(env.payload_type.clone()), predicate)
        }
        _ => ("unknown", None, None),
    }
}
