//! Image signing and verification, cosign-compatible: the registry side (palisade-image's
//! client) around the evidence side (palisade-sign). Signatures and attestations are found
//! under cosign's `sha256-<hex>.sig`/`.att` tags and as OCI 1.1 referrers (the referrers
//! API, else its `sha256-<hex>` fallback tag), and written in either form.

mod discover;
mod error;
mod write;

pub use error::SigningError;
pub use palisade_image::RegistryAuthOptions;
pub use write::{attest_image, sign_image, Placement, SignOptions, Signed};

use discover::{Evidence, Found};
use palisade_core::ImageRef;
use palisade_image::RegistryClient;
use palisade_sign::cosign::{self, Kind};
use palisade_sign::intoto::Statement;
use palisade_sign::simple::Payload;
use palisade_sign::{PublicKey, SignError};

/// Largest signature payload or attestation envelope read (SBOMs in attestations run to a
/// few MiB).
const MAX_EVIDENCE: u64 = 64 << 20;

/// The signatures of one image that verified.
#[derive(Debug)]
pub struct VerifiedSignatures {
    pub digest: String,
    /// `repository@digest`: what to pull so that what is scanned is what was verified.
    pub pinned: String,
    pub payloads: Vec<Payload>,
}

/// The attestations of one image that verified.
#[derive(Debug)]
pub struct VerifiedAttestations {
    pub digest: String,
    pub pinned: String,
    pub statements: Vec<Statement>,
}

/// The repository as cosign names it in `critical.identity.docker-reference`.
pub(crate) fn cosign_name(r: &ImageRef) -> String {
    if r.is_docker_hub() {
        format!("index.docker.io/{}", r.repository())
    } else {
        r.name()
    }
}

/// `registry/path@digest` as the user wrote the registry and path.
fn pinned(r: &ImageRef, digest: &str) -> String {
    match r.explicit_registry() {
        Some(d) => format!("{d}/{}@{digest}", r.path()),
        None => format!("{}@{digest}", r.path()),
    }
}

/// The first key's success, trying `keys` in turn; else the last key's error (`None` for no
/// keys), the one reported when no evidence verifies.
fn with_any_key<T>(
    keys: &[PublicKey],
    verify: impl Fn(&PublicKey) -> Result<T, SignError>,
) -> Result<T, Option<SignError>> {
    let mut last = None;
    for key in keys {
        match verify(key) {
            Ok(v) => return Ok(v),
            Err(e) => last = Some(e),
        }
    }
    Err(last)
}

/// Verifies the image's cosign signatures with `keys` (any key may have signed): at least
/// one signature must verify and name the image's digest.
pub fn verify_image(
    reference: &str,
    keys: &[PublicKey],
    auth: &RegistryAuthOptions,
) -> Result<VerifiedSignatures, SigningError> {
    let mut client = RegistryClient::connect(reference, auth, false)?;
    let (digest, _, _) = client.resolve()?;
    let found = discover::find(&mut client, &digest, Kind::Signature)?;
    if found.is_empty() {
        return Err(SigningError::NoSignatures {
            reference: reference.to_string(),
            digest: digest.clone(),
            tag: cosign::tag_for(&digest, Kind::Signature),
        });
    }
    let count = found.len();
    let mut payloads = Vec::new();
    let mut failures = Vec::new();
    for Found { layer, .. } in found {
        let Some(sig) = layer.annotations.get(cosign::SIGNATURE_ANNOTATION) else {
            failures.push(SignError::MalformedSignature {
                what: format!("signature layer {}", layer.digest),
                message: "no dev.cosignproject.cosign/signature annotation".into(),
            });
            continue;
        };
        let payload = match discover::evidence(&mut client, reference, &layer)? {
            Evidence::Bytes(b) => b,
            Evidence::Missing(e) => {
                failures.push(e);
                continue;
            }
        };
        match with_any_key(keys, |key| {
            palisade_sign::simple::verify(key, &payload, sig, &digest)
        }) {
            Ok(p) => payloads.push(p),
            Err(e) => failures.extend(e),
        }
    }
    if payloads.is_empty() {
        return Err(SigningError::NoneVerified {
            reference: reference.to_string(),
            digest,
            count,
            reason: Box::new(
                error::most_telling(failures).unwrap_or(SignError::BadSignature {
                    what: "image signature".into(),
                }),
            ),
        });
    }
    Ok(VerifiedSignatures {
        pinned: pinned(client.reference(), &digest),
        digest,
        payloads,
    })
}

/// Verifies the image's attestations with `keys`: envelope signature, in-toto statement
/// whose subject is the image's digest, and (when given) the predicate type URI.
pub fn verify_attestations(
    reference: &str,
    keys: &[PublicKey],
    predicate_type: Option<&str>,
    auth: &RegistryAuthOptions,
) -> Result<VerifiedAttestations, SigningError> {
    let mut client = RegistryClient::connect(reference, auth, false)?;
    let (digest, _, _) = client.resolve()?;
    let found = discover::find(&mut client, &digest, Kind::Attestation)?;
    if found.is_empty() {
        return Err(SigningError::NoAttestations {
            reference: reference.to_string(),
            digest: digest.clone(),
            tag: cosign::tag_for(&digest, Kind::Attestation),
        });
    }
    let count = found.len();
    let mut statements = Vec::new();
    let mut failures = Vec::new();
    for Found { layer, .. } in found {
        let envelope = match discover::evidence(&mut client, reference, &layer)? {
            Evidence::Bytes(b) => b,
            Evidence::Missing(e) => {
                failures.push(e);
                continue;
            }
        };
        match with_any_key(keys, |key| {
            palisade_sign::intoto::verify_attestation(key, &envelope, &digest, predicate_type)
        }) {
            Ok(s) => statements.push(s),
            Err(e) => failures.extend(e),
        }
    }
    if statements.is_empty() {
        return Err(SigningError::NoAttestationVerified {
            reference: reference.to_string(),
            digest,
            count,
            reason: Box::new(
                error::most_telling(failures).unwrap_or(SignError::BadSignature {
                    what: "attestation".into(),
                }),
            ),
        });
    }
    Ok(VerifiedAttestations {
        pinned: pinned(client.reference(), &digest),
        digest,
        statements,
    })
}

/// The gate before a scan or an admission: the image must carry a signature that verifies
/// with one of `keys`. Returns the reference pinned to the verified digest, so that what
/// is pulled next is what was verified even if the tag moves meanwhile.
pub fn signature_gate(
    reference: &str,
    keys: &[PublicKey],
    auth: &RegistryAuthOptions,
) -> Result<String, SigningError> {
    verify_image(reference, keys, auth).map(|v| v.pinned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_cosign_writes_them() {
        let r = |s: &str| ImageRef::parse(s).unwrap();
        assert_eq!(cosign_name(&r("nginx:1")), "index.docker.io/library/nginx");
        assert_eq!(
            cosign_name(&r("127.0.0.1:5000/team/app:1")),
            "127.0.0.1:5000/team/app"
        );
        let d = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
        assert_eq!(
            pinned(&r("127.0.0.1:5000/team/app:1"), d),
            format!("127.0.0.1:5000/team/app@{d}")
        );
        assert_eq!(pinned(&r("nginx"), d), format!("nginx@{d}"));
    }

    #[test]
    fn the_most_telling_reason_wins() {
        let bad = || SignError::BadSignature { what: "x".into() };
        let other = SignError::DigestMismatch {
            expected: "a".into(),
            signed: "b".into(),
        };
        let picked = error::most_telling(vec![bad(), other, bad()]);
        assert!(matches!(picked, Some(SignError::DigestMismatch { .. })));
        assert!(error::most_telling(Vec::new()).is_none());
    }
}
