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

/// Nesting kept when the raw config is read for checks. Real configs are about five levels
/// deep; serde_json gives up at 128 and would lose the whole document to one deep field.
pub const MAX_CONFIG_DEPTH: usize = 32;

/// What stands in for a subtree nested deeper than [`MAX_CONFIG_DEPTH`].
pub const TOO_DEEP: &str = "<nested too deeply; not read>";

/// The raw image config as a JSON value for misconfiguration and secret checks, with every
/// subtree deeper than [`MAX_CONFIG_DEPTH`] replaced by [`TOO_DEEP`] (skipped without
/// recursion), so a hostile field cannot turn the whole config into nothing. Returns the
/// value and how many subtrees were cut.
pub fn parse_config_value(what: &str, bytes: &[u8]) -> Result<(serde_json::Value, usize)> {
    use serde::de::DeserializeSeed;
    let cut = std::cell::Cell::new(0usize);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = DepthLimited {
        depth: 0,
        cut: &cut,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v))
    .map_err(|e| ImageError::malformed(what, format!("invalid image config: {e}")))?;
    Ok((value, cut.get()))
}

struct DepthLimited<'c> {
    depth: usize,
    cut: &'c std::cell::Cell<usize>,
}

impl<'de> serde::de::DeserializeSeed<'de> for DepthLimited<'_> {
    type Value = serde_json::Value;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<serde_json::Value, D::Error> {
        if self.depth > MAX_CONFIG_DEPTH {
            // serde_json skips ignored values with an explicit stack, not recursion.
            serde::de::IgnoredAny::deserialize(d)?;
            self.cut.set(self.cut.get() + 1);
            return Ok(serde_json::Value::String(TOO_DEEP.to_string()));
        }
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for DepthLimited<'_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<serde_json::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> std::result::Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<serde_json::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(DepthLimited {
            depth: self.depth + 1,
            cut: self.cut,
        })? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<serde_json::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(DepthLimited {
                depth: self.depth + 1,
                cut: self.cut,
            })?;
            out.insert(k, v);
        }
        Ok(serde_json::Value::Object(out))
    }
}
