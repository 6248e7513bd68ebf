//! Finding an image's signature or attestation layers: cosign's tag, then OCI 1.1
//! referrers (the API, else the fallback index tag).

use super::{SigningError, MAX_EVIDENCE};
use palisade_image::RegistryClient;
use palisade_sign::cosign::{self, Descriptor, Index, Kind};
use palisade_sign::SignError;

/// One layer that may hold evidence, and the manifest it came from.
pub(super) struct Found {
    pub layer: Descriptor,
    #[allow(dead_code)]
    pub manifest: String,
}

pub(super) enum Evidence {
    Bytes(Vec<u8>),
    /// The layer cannot be read as evidence; judged with the other layers.
    Missing(SignError),
}

pub(super) fn find(
    client: &mut RegistryClient,
    digest: &str,
    kind: Kind,
) -> Result<Vec<Found>, SigningError> {
    let mut out: Vec<Found> = Vec::new();
    let tag = cosign::tag_for(digest, kind);
    if let Some((bytes, _)) = client.manifest(&tag)? {
        collect(&mut out, &bytes, &tag, kind);
    }
    for m in referrer_manifests(client, digest, kind)?
        .into_iter()
        .take(MAX_LAYERS)
    {
        if let Some((bytes, _)) = client.manifest(&m)? {
            collect(&mut out, &bytes, &m, kind);
        }
    }
    Ok(out)
}

/// Signatures read per image: each costs a blob fetch, and a hostile tag image could list
/// thousands; real images carry a handful.
const MAX_LAYERS: usize = 256;

fn collect(out: &mut Vec<Found>, bytes: &[u8], name: &str, kind: Kind) {
    let Some(m) = cosign::parse_manifest(bytes) else {
        return;
    };
    for layer in m.layers {
        if out.len() >= MAX_LAYERS {
            return;
        }
        let duplicate = out
            .iter()
            .any(|f| f.layer.digest == layer.digest && f.layer.annotations == layer.annotations);
        if layer.media_type == kind.layer_media_type() && !duplicate {
            out.push(Found {
                layer,
                manifest: name.to_string(),
            });
        }
    }
}

/// The referrer manifests of `digest` that hold `kind`, by the referrers API or, where the
/// registry lacks it, the fallback index under the `sha256-<hex>` tag.
pub(super) fn referrer_manifests(
    client: &mut RegistryClient,
    digest: &str,
    kind: Kind,
) -> Result<Vec<String>, SigningError> {
    let index = match client.referrers(digest)? {
        Some(bytes) => bytes,
        None => match client.manifest(&cosign::referrers_tag(digest))? {
            Some((bytes, _)) => bytes,
            None => return Ok(Vec::new()),
        },
    };
    let index: Index = serde_json::from_slice(&index).unwrap_or_default();
    Ok(index
        .manifests
        .into_iter()
        .filter(|d| d.artifact_type.as_deref() == Some(kind.artifact_type()))
        .map(|d| d.digest)
        .collect())
}

pub(super) fn evidence(
    client: &mut RegistryClient,
    reference: &str,
    layer: &Descriptor,
) -> Result<Evidence, SigningError> {
    if layer.size > MAX_EVIDENCE {
        return Ok(Evidence::Missing(SignError::MalformedPayload {
            message: format!(
                "layer {} declares {} bytes (at most {MAX_EVIDENCE})",
                layer.digest, layer.size
            ),
        }));
    }
    match client.blob(&layer.digest, MAX_EVIDENCE) {
        Ok(b) => Ok(Evidence::Bytes(b)),
        // A blob the registry serves altered fails its digest: the payload was tampered with.
        Err(palisade_image::ImageError::DigestMismatch { what, .. }) => Err(SigningError::Layer {
            reference: reference.to_string(),
            what,
            message:
                "the registry serves content that does not match its digest (tampered payload)"
                    .into(),
        }),
        Err(e) => Err(e.into()),
    }
}
