//! How cosign stores signatures and attestations in a registry: an OCI manifest under the
//! tag `sha256-<hex>.sig` (or `.att`) of the image's repository, one layer per signature
//! (the payload blob) with the signature in the layer's annotations; or, in OCI 1.1 mode,
//! an artifact manifest whose `subject` is the image. Built byte for byte as cosign's
//! go-containerregistry code writes them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";
pub const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
pub const DSSE_ENVELOPE: &str = "application/vnd.dsse.envelope.v1+json";
/// artifactType of cosign's OCI 1.1 signature and attestation referrers.
pub const SIG_ARTIFACT: &str = "application/vnd.dev.cosign.artifact.sig.v1+json";
pub const ATT_ARTIFACT: &str = "application/vnd.dev.cosign.artifact.att.v1+json";
pub const SIGNATURE_ANNOTATION: &str = "dev.cosignproject.cosign/signature";
pub const PREDICATE_TYPE_ANNOTATION: &str = "predicateType";

/// Which of cosign's tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Signature,
    Attestation,
}

impl Kind {
    pub fn suffix(self) -> &'static str {
        match self {
            Kind::Signature => "sig",
            Kind::Attestation => "att",
        }
    }
    pub fn layer_media_type(self) -> &'static str {
        match self {
            Kind::Signature => SIMPLE_SIGNING,
            Kind::Attestation => DSSE_ENVELOPE,
        }
    }
    pub fn artifact_type(self) -> &'static str {
        match self {
            Kind::Signature => SIG_ARTIFACT,
            Kind::Attestation => ATT_ARTIFACT,
        }
    }
}

/// `sha256:<hex>` → `sha256-<hex>.sig` (or `.att`).
pub fn tag_for(digest: &str, kind: Kind) -> String {
    format!("{}.{}", digest.replacen(':', "-", 1), kind.suffix())
}

/// The OCI 1.1 referrers fallback tag of `digest`: `sha256-<hex>`.
pub fn referrers_tag(digest: &str) -> String {
    digest.replacen(':', "-", 1)
}

pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Descriptor {
    #[serde(rename = "mediaType")]
    pub media_type: String,
    pub size: u64,
    pub digest: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(
        rename = "artifactType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub artifact_type: Option<String>,
}

impl Descriptor {
    pub fn of(media_type: &str, bytes: &[u8]) -> Descriptor {
        Descriptor {
            media_type: media_type.to_string(),
            size: bytes.len() as u64,
            digest: sha256_digest(bytes),
            annotations: BTreeMap::new(),
            artifact_type: None,
        }
    }

    /// The layer of one signature: the payload, with its base64 signature annotated.
    pub fn signature_layer(payload: &[u8], signature_b64: &str) -> Descriptor {
        let mut d = Descriptor::of(SIMPLE_SIGNING, payload);
        d.annotations
            .insert(SIGNATURE_ANNOTATION.into(), signature_b64.into());
        d
    }

    /// The layer of one attestation: the DSSE envelope, annotated with its predicate type
    /// (and an empty signature annotation, as cosign writes).
    pub fn attestation_layer(envelope: &[u8], predicate_type: &str) -> Descriptor {
        let mut d = Descriptor::of(DSSE_ENVELOPE, envelope);
        d.annotations
            .insert(SIGNATURE_ANNOTATION.into(), String::new());
        d.annotations
            .insert(PREDICATE_TYPE_ANNOTATION.into(), predicate_type.into());
        d
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(
        rename = "artifactType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub artifact_type: Option<String>,
    pub config: Descriptor,
    #[serde(default)]
    pub layers: Vec<Descriptor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Descriptor>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// go-containerregistry's `ConfigFile` as cosign's signature images carry it, fields in
/// its struct order.
#[derive(Serialize)]
struct Config<'a> {
    architecture: &'a str,
    created: &'a str,
    history: Vec<History<'a>>,
    os: &'a str,
    rootfs: RootFs,
    config: Empty,
}

#[derive(Serialize)]
struct History<'a> {
    created: &'a str,
}

#[derive(Serialize)]
struct RootFs {
    #[serde(rename = "type")]
    kind: &'static str,
    diff_ids: Vec<String>,
}

#[derive(Serialize)]
struct Empty {}

const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The config blob and manifest of a cosign signature/attestation image with `layers`.
/// Layers are uncompressed, so their diff IDs are their digests.
pub fn tag_image(layers: Vec<Descriptor>) -> (Vec<u8>, Vec<u8>) {
    let config = Config {
        architecture: "",
        created: ZERO_TIME,
        history: layers
            .iter()
            .map(|_| History { created: ZERO_TIME })
            .collect(),
        os: "",
        rootfs: RootFs {
            kind: "layers",
            diff_ids: layers.iter().map(|l| l.digest.clone()).collect(),
        },
        config: Empty {},
    };
    let config_bytes = crate::gojson::to_vec(&config).unwrap_or_default();
    let manifest = Manifest {
        schema_version: 2,
        media_type: Some(OCI_MANIFEST.into()),
        artifact_type: None,
        config: Descriptor::of(OCI_CONFIG, &config_bytes),
        layers,
        subject: None,
        annotations: BTreeMap::new(),
    };
    let manifest_bytes = crate::gojson::to_vec(&manifest).unwrap_or_default();
    (config_bytes, manifest_bytes)
}

/// The empty config blob (`{}`) of OCI 1.1 artifact manifests.
pub const EMPTY_CONFIG: &[u8] = b"{}";

/// An OCI 1.1 referrer holding one signature or attestation layer, whose `subject` is the
/// image: what `cosign … --registry-referrers-mode=oci-1-1` pushes.
pub fn referrer(kind: Kind, layer: Descriptor, subject: Descriptor) -> Vec<u8> {
    let manifest = Manifest {
        schema_version: 2,
        media_type: Some(OCI_MANIFEST.into()),
        artifact_type: Some(kind.artifact_type().into()),
        config: Descriptor::of(OCI_EMPTY, EMPTY_CONFIG),
        layers: vec![layer],
        subject: Some(subject),
        annotations: BTreeMap::new(),
    };
    crate::gojson::to_vec(&manifest).unwrap_or_default()
}

/// An image index listing referrers: the fallback tag's content, and what the referrers
/// API answers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Index {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType", default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
}

impl Index {
    pub fn new(manifests: Vec<Descriptor>) -> Index {
        Index {
            schema_version: 2,
            media_type: Some(OCI_INDEX.into()),
            manifests,
        }
    }
    pub fn to_bytes(&self) -> Vec<u8> {
        crate::gojson::to_vec(self).unwrap_or_default()
    }
}

/// Layers of a signature or attestation manifest (anything else is ignored by callers).
pub fn parse_manifest(bytes: &[u8]) -> Option<Manifest> {
    serde_json::from_slice(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        let d = "sha256:ad379304e5895fb9d1175a5dea828d898f8e9d1ff171d839b4877b8b03f89231";
        assert_eq!(
            tag_for(d, Kind::Signature),
            "sha256-ad379304e5895fb9d1175a5dea828d898f8e9d1ff171d839b4877b8b03f89231.sig"
        );
        assert!(tag_for(d, Kind::Attestation).ends_with(".att"));
        assert_eq!(referrers_tag(d), &tag_for(d, Kind::Signature)[..71]);
    }

    #[test]
    fn one_history_entry_and_diff_id_per_layer() {
        let a = Descriptor::signature_layer(b"a", "c2ln");
        let b = Descriptor::signature_layer(b"b", "c2ln");
        let (config, manifest) = tag_image(vec![a.clone(), b.clone()]);
        let c: serde_json::Value = serde_json::from_slice(&config).unwrap();
        assert_eq!(c["history"].as_array().unwrap().len(), 2);
        assert_eq!(c["rootfs"]["diff_ids"][1], b.digest.as_str());
        let m = parse_manifest(&manifest).unwrap();
        assert_eq!(m.layers, vec![a, b]);
        assert_eq!(m.config.digest, sha256_digest(&config));
    }
}
