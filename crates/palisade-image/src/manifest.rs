//! The subset of the OCI image index / manifest / config and Docker schema2 formats that a
//! scanner needs. Own structs instead of `oci-spec` because we accept both OCI and Docker
//! media types and tolerate missing optional fields that `oci-spec`'s builders require.

use crate::error::{ImageError, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

#[cfg_attr(not(feature = "registry"), allow(dead_code))] // media types a registry pull asks for
pub const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
#[cfg_attr(not(feature = "registry"), allow(dead_code))] // media types a registry pull asks for
pub const MT_OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
#[cfg_attr(not(feature = "registry"), allow(dead_code))] // media types a registry pull asks for
pub const MT_DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
#[cfg_attr(not(feature = "registry"), allow(dead_code))] // media types a registry pull asks for
pub const MT_DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const ANNOTATION_REF_NAME: &str = "org.opencontainers.image.ref.name";

/// Largest manifest, index or config we parse; real ones are a few KiB.
pub const MAX_JSON_BLOB: u64 = 16 << 20;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    #[serde(default)]
    pub media_type: String,
    pub digest: String,
    #[serde(default)]
    pub size: i64,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Platform {
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub variant: Option<String>,
}

impl Platform {
    /// `linux/amd64`, `linux/arm64/v8`.
    pub fn parse(s: &str) -> Result<Platform> {
        let mut parts = s.split('/');
        let os = parts.next().unwrap_or_default().to_string();
        let architecture = parts.next().unwrap_or_default().to_string();
        let variant = parts.next().map(str::to_string);
        if os.is_empty() || architecture.is_empty() || parts.next().is_some() {
            return Err(ImageError::malformed(
                format!("--platform {s:?}"),
                "expected OS/ARCH[/VARIANT], e.g. linux/amd64",
            ));
        }
        Ok(Platform {
            architecture,
            os,
            variant,
        })
    }

    pub fn matches(&self, wanted: &Platform) -> bool {
        self.os == wanted.os
            && self.architecture == wanted.architecture
            && (wanted.variant.is_none() || self.variant == wanted.variant)
    }
}

/// An index or a manifest: both have a `mediaType`; indexes have `manifests`, manifests `layers`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexOrManifest {
    #[serde(default)]
    #[cfg_attr(not(feature = "registry"), allow(dead_code))]
    pub media_type: Option<String>,
    #[serde(default)]
    pub manifests: Option<Vec<Descriptor>>,
    #[serde(default)]
    pub config: Option<Descriptor>,
    #[serde(default)]
    pub layers: Option<Vec<Descriptor>>,
}

impl IndexOrManifest {
    pub fn parse(what: &str, bytes: &[u8]) -> Result<Self> {
        serde_json::from_slice(bytes)
            .map_err(|e| ImageError::malformed(what, format!("invalid JSON: {e}")))
    }

    pub fn is_index(&self) -> bool {
        self.manifests.is_some() && self.layers.is_none()
    }
}

/// The image configuration blob, reduced to what the reader uses. The whole JSON is kept
/// alongside for misconfiguration and secret checks.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImageConfig {
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub rootfs: Option<RootFs>,
    #[serde(default)]
    pub history: Vec<History>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RootFs {
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct History {
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub empty_layer: bool,
}

impl ImageConfig {
    pub fn parse(what: &str, bytes: &[u8]) -> Result<Self> {
        serde_json::from_slice(bytes)
            .map_err(|e| ImageError::malformed(what, format!("invalid image config: {e}")))
    }

    /// `created_by` of the history entry for each non-empty layer, in layer order.
    pub fn layer_history(&self) -> Vec<Option<String>> {
        self.history
            .iter()
            .filter(|h| !h.empty_layer)
            .map(|h| h.created_by.clone())
            .collect()
    }
}

/// One entry of a docker-archive `manifest.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DockerArchiveEntry {
    pub config: String,
    #[serde(default)]
    pub repo_tags: Option<Vec<String>>,
    pub layers: Vec<String>,
}
