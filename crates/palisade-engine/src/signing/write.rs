//! Pushing signatures and attestations: appended to cosign's tag image (existing
//! signatures kept), or as an OCI 1.1 referrer with the fallback index kept current.

use super::{cosign_name, pinned, RegistryAuthOptions, SigningError};
use palisade_image::RegistryClient;
use palisade_sign::cosign::{self, Descriptor, Index, Kind};
use palisade_sign::intoto::Statement;
use palisade_sign::simple::Payload;
use palisade_sign::SigningKey;
use std::collections::BTreeMap;

/// Where a signature goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Placement {
    /// cosign's default: a layer of the `sha256-<hex>.sig`/`.att` tag image.
    #[default]
    Tag,
    /// An OCI 1.1 referrer (`subject` = the image); cosign's
    /// `--registry-referrers-mode=oci-1-1`.
    Referrer,
}

#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// `-a key=value`: the payload's `optional` section.
    pub annotations: BTreeMap<String, String>,
    pub placement: Placement,
}

/// What was pushed.
#[derive(Debug, Clone)]
pub struct Signed {
    pub digest: String,
    pub pinned: String,
    /// The tag or referrer manifest digest that now holds the signature.
    pub location: String,
    /// The signed bytes: the simple-signing payload, or the DSSE envelope.
    pub payload: Vec<u8>,
    /// The base64 signature of a simple-signing payload (an envelope carries its own).
    pub signature: Option<String>,
}

/// Signs the image `reference` names (its digest, resolved now) with `key`.
pub fn sign_image(
    reference: &str,
    key: &SigningKey,
    opts: &SignOptions,
    auth: &RegistryAuthOptions,
) -> Result<Signed, SigningError> {
    let mut client = RegistryClient::connect(reference, auth, true)?;
    let (digest, media_type, size) = client.resolve()?;
    let payload = Payload::new(
        &cosign_name(client.reference()),
        &digest,
        opts.annotations.clone(),
    );
    let (bytes, sig) = payload.sign(key)?;
    client.push_blob(&bytes)?;
    let layer = Descriptor::signature_layer(&bytes, &sig);
    let subject = descriptor(&media_type, &digest, size);
    let location = place(&mut client, &digest, Kind::Signature, layer, subject, opts)?;
    Ok(Signed {
        pinned: pinned(client.reference(), &digest),
        digest,
        location,
        payload: bytes,
        signature: Some(sig),
    })
}

/// Attests `predicate` (of type `predicate_type`, a URI) about the image, as
/// `cosign attest` does: an in-toto statement in a DSSE envelope signed with `key`.
pub fn attest_image(
    reference: &str,
    key: &SigningKey,
    predicate_type: &str,
    predicate: serde_json::Value,
    opts: &SignOptions,
    auth: &RegistryAuthOptions,
) -> Result<Signed, SigningError> {
    let mut client = RegistryClient::connect(reference, auth, true)?;
    let (digest, media_type, size) = client.resolve()?;
    let statement = Statement::for_image(
        &cosign_name(client.reference()),
        &digest,
        predicate_type,
        predicate,
    )?;
    let envelope = statement.sign(key)?.to_bytes();
    client.push_blob(&envelope)?;
    let layer = Descriptor::attestation_layer(&envelope, predicate_type);
    let subject = descriptor(&media_type, &digest, size);
    let location = place(
        &mut client,
        &digest,
        Kind::Attestation,
        layer,
        subject,
        opts,
    )?;
    Ok(Signed {
        pinned: pinned(client.reference(), &digest),
        digest,
        location,
        payload: envelope,
        signature: None,
    })
}

fn descriptor(media_type: &str, digest: &str, size: u64) -> Descriptor {
    Descriptor {
        media_type: if media_type.is_empty() {
            cosign::OCI_MANIFEST.into()
        } else {
            media_type.to_string()
        },
        size,
        digest: digest.to_string(),
        annotations: BTreeMap::new(),
        artifact_type: None,
    }
}

fn place(
    client: &mut RegistryClient,
    digest: &str,
    kind: Kind,
    layer: Descriptor,
    subject: Descriptor,
    opts: &SignOptions,
) -> Result<String, SigningError> {
    match opts.placement {
        Placement::Tag => append_to_tag(client, digest, kind, layer),
        Placement::Referrer => push_referrer(client, digest, kind, layer, subject),
    }
}

/// Appends `layer` to the tag image, keeping the signatures already there (the same
/// signature twice is kept once).
fn append_to_tag(
    client: &mut RegistryClient,
    digest: &str,
    kind: Kind,
    layer: Descriptor,
) -> Result<String, SigningError> {
    let tag = cosign::tag_for(digest, kind);
    let mut layers: Vec<Descriptor> = match client.manifest(&tag)? {
        Some((bytes, _)) => cosign::parse_manifest(&bytes)
            .map(|m| m.layers)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    if !layers.contains(&layer) {
        layers.push(layer);
    }
    let (config, manifest) = cosign::tag_image(layers);
    client.push_blob(&config)?;
    client.push_manifest(&tag, cosign::OCI_MANIFEST, &manifest)?;
    Ok(tag)
}

/// Pushes a referrer manifest; where the registry does not index `subject` itself, adds
/// it to the fallback index under the `sha256-<hex>` tag, as OCI 1.1 clients must.
fn push_referrer(
    client: &mut RegistryClient,
    digest: &str,
    kind: Kind,
    layer: Descriptor,
    subject: Descriptor,
) -> Result<String, SigningError> {
    client.push_blob(cosign::EMPTY_CONFIG)?;
    let manifest = cosign::referrer(kind, layer, subject);
    let manifest_digest = cosign::sha256_digest(&manifest);
    let pushed = client.push_manifest(&manifest_digest, cosign::OCI_MANIFEST, &manifest)?;
    if !pushed.subject_accepted && client.referrers(digest)?.is_none() {
        let tag = cosign::referrers_tag(digest);
        let mut index: Index = match client.manifest(&tag)? {
            Some((bytes, _)) => serde_json::from_slice(&bytes).unwrap_or_default(),
            None => Index::default(),
        };
        let mut entry = Descriptor::of(cosign::OCI_MANIFEST, &manifest);
        entry.artifact_type = Some(kind.artifact_type().into());
        if !index.manifests.iter().any(|d| d.digest == entry.digest) {
            index.manifests.push(entry);
        }
        let index = Index::new(index.manifests);
        client.push_manifest(&tag, cosign::OCI_INDEX, &index.to_bytes())?;
    }
    Ok(manifest_digest)
}
