//! Opening an image: resolve index → manifest → config and layers, over any blob store.

use crate::digest::Digest;
use crate::error::{ImageError, Result};
use crate::layer::{read_layer, LayerData, LayerSource};
use crate::manifest::{
    parse_config_value, DockerArchiveEntry, ImageConfig, IndexOrManifest, Platform,
    ANNOTATION_REF_NAME, MAX_CONFIG_DEPTH, MAX_JSON_BLOB,
};
use crate::select;
use crate::store::{BlobStore, DirStore, TarStore};
use crate::vfs::LayeredFs;
use crate::ReadOptions;
use palisade_core::{ImageMeta, LayerRef, ScanError};
use rayon::prelude::*;
use std::path::Path;

/// An image whose manifest and config have been read and verified; layers not yet read.
pub struct ResolvedImage {
    pub references: Vec<String>,
    pub manifest_digest: Option<String>,
    pub config_digest: String,
    /// The raw config blob (for misconfiguration and secret checks).
    pub config_json: serde_json::Value,
    pub config: ImageConfig,
    pub layers: Vec<LayerBlob>,
    /// What could not be read of the manifest or config without stopping the scan (a
    /// config field nested too deeply); the filesystem read carries them into the report.
    pub warnings: Vec<ScanError>,
    store: Box<dyn BlobStore>,
    /// Keeps a registry pull's temporary blob directory alive for as long as the image.
    _temp: Option<tempfile::TempDir>,
}

pub struct LayerBlob {
    /// Member path in the store (`blobs/sha256/<hex>`, `<id>/layer.tar`).
    pub location: String,
    pub media_type: String,
    pub expected_digest: Option<Digest>,
    pub diff_id: Option<Digest>,
    pub size: Option<u64>,
    pub created_by: Option<String>,
}

/// Layers one manifest may list. Docker's overlay storage stops at 127; a manifest listing
/// tens of thousands of (tiny) layers is an attack on time, not an image.
pub const MAX_LAYERS: usize = 1024;

/// Uncompressed bytes of all layers of one image together. Each layer also has its own cap
/// (`Limits::max_layer_bytes`); without this one, many layers each just under it (or one
/// layer listed many times) multiply the work and the memory kept.
pub const MAX_IMAGE_BYTES: u64 = 64 << 30;

impl ResolvedImage {
    /// Reads every layer (in parallel) and applies them in order. A blob listed more than
    /// once (same digest and diff_id) is read once and applied at each of its positions.
    pub fn read_filesystem(&self, opts: &ReadOptions<'_>) -> Result<LayeredFs> {
        self.read_filesystem_within(opts, MAX_IMAGE_BYTES)
    }

    /// [`Self::read_filesystem`] with the whole-image budget given (tests use small ones).
    pub fn read_filesystem_within(
        &self,
        opts: &ReadOptions<'_>,
        image_budget: u64,
    ) -> Result<LayeredFs> {
        use std::sync::atomic::{AtomicU64, Ordering};
        // Positions whose blob is the same as an earlier position's.
        let mut first_of: Vec<usize> = Vec::with_capacity(self.layers.len());
        let mut unique: Vec<usize> = Vec::new();
        for (i, blob) in self.layers.iter().enumerate() {
            let same = unique.iter().copied().find(|&u| {
                let b = &self.layers[u];
                b.location == blob.location
                    && b.expected_digest == blob.expected_digest
                    && b.diff_id == blob.diff_id
            });
            match same {
                Some(u) => first_of.push(u),
                None => {
                    unique.push(i);
                    first_of.push(i);
                }
            }
        }
        let used = AtomicU64::new(0);
        let datas: Vec<Result<(usize, LayerData, LayerRef)>> = unique
            .par_iter()
            .map(|&index| {
                let blob = &self.layers[index];
                let name = format!("layer {index} ({})", self.store.describe(&blob.location));
                let before = used.load(Ordering::Relaxed);
                let left = image_budget.saturating_sub(before);
                if left == 0 {
                    return Err(image_budget_hit(&name, image_budget));
                }
                // The layer may use what the image has left, never more than a layer may.
                let mut layer_opts = ReadOptions {
                    keep: opts.keep,
                    visitor: opts.visitor,
                    limits: opts.limits.clone(),
                    progress: opts.progress,
                };
                let by_image = left < layer_opts.limits.max_layer_bytes;
                if by_image {
                    layer_opts.limits.max_layer_bytes = left;
                }
                let reader = self.store.open(&blob.location)?;
                let layer_ref = LayerRef {
                    index,
                    digest: blob
                        .expected_digest
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    diff_id: blob.diff_id.as_ref().map(ToString::to_string),
                    created_by: blob.created_by.clone(),
                };
                let data = read_layer(
                    LayerSource {
                        reader,
                        name: name.clone(),
                        media_type: blob.media_type.clone(),
                        expected_digest: blob.expected_digest.clone(),
                        expected_diff_id: blob.diff_id.clone(),
                        layer_ref: layer_ref.clone(),
                    },
                    &layer_opts,
                )
                .map_err(|e| match e {
                    // The layer cap was the image's remainder: say which limit it was.
                    ImageError::LimitExceeded { .. } if by_image => {
                        image_budget_hit(&name, image_budget)
                    }
                    other => other,
                })?;
                let total = used.fetch_add(data.uncompressed_bytes, Ordering::Relaxed)
                    + data.uncompressed_bytes;
                if total > image_budget {
                    return Err(image_budget_hit(&name, image_budget));
                }
                let layer_ref = LayerRef {
                    digest: data.digest.clone(),
                    diff_id: Some(data.diff_id.clone()),
                    ..layer_ref
                };
                Ok((index, data, layer_ref))
            })
            .collect();
        let mut read: Vec<Option<(LayerData, LayerRef)>> =
            (0..self.layers.len()).map(|_| None).collect();
        for d in datas {
            let (index, data, r) = d?;
            read[index] = Some((data, r));
        }
        let mut layers = Vec::with_capacity(self.layers.len());
        for (i, &first) in first_of.iter().enumerate() {
            let Some((_, r)) = &read[first] else {
                return Err(ImageError::malformed(
                    self.store.describe(&self.layers[i].location),
                    "layer was not read",
                ));
            };
            layers.push(LayerRef {
                index: i,
                created_by: self.layers[i].created_by.clone(),
                ..r.clone()
            });
        }
        let mut fs = LayeredFs::new(layers);
        fs.warnings.extend(self.warnings.iter().cloned());
        for &u in &unique {
            if let Some((data, _)) = &read[u] {
                fs.warnings.extend(data.warnings.iter().cloned());
            }
        }
        for (i, &first) in first_of.iter().enumerate() {
            // The last position of a blob takes it; earlier ones get a copy, which shares
            // every kept file's content.
            let last_use = first_of[i + 1..].iter().all(|&f| f != first);
            let data = if last_use {
                match read[first].take() {
                    Some((data, _)) => data,
                    None => continue,
                }
            } else {
                match &read[first] {
                    Some((data, _)) => copy_layer(data),
                    None => continue,
                }
            };
            fs.apply(i, data);
        }
        Ok(fs)
    }

    /// Metadata for reports; `layers` comes from a filesystem read (with computed digests)
    /// when one is given.
    pub fn meta(&self, fs: Option<&LayeredFs>) -> ImageMeta {
        let layers = match fs {
            Some(fs) => fs.layers().to_vec(),
            None => self
                .layers
                .iter()
                .enumerate()
                .map(|(index, b)| LayerRef {
                    index,
                    digest: b
                        .expected_digest
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    diff_id: b.diff_id.as_ref().map(ToString::to_string),
                    created_by: b.created_by.clone(),
                })
                .collect(),
        };
        ImageMeta {
            references: self.references.clone(),
            manifest_digest: self.manifest_digest.clone(),
            config_digest: self.config_digest.clone(),
            os: self.config.os.clone(),
            architecture: self.config.architecture.clone(),
            variant: self.config.variant.clone(),
            layers,
            config: self.config_json.clone(),
        }
    }
}

pub fn open_layout(
    dir: &Path,
    tag: Option<&str>,
    platform: Option<&Platform>,
) -> Result<ResolvedImage> {
    let store = DirStore {
        root: dir.to_path_buf(),
    };
    let oci_layout = store.read_small("oci-layout", 1 << 16)?;
    check_oci_layout(&store.describe("oci-layout"), &oci_layout)?;
    resolve_oci(Box::new(store), tag, platform, None)
}

/// docker-archive (`manifest.json`) or OCI archive (`oci-layout` + `index.json`) tarball.
pub fn open_archive(path: &Path, platform: Option<&Platform>) -> Result<ResolvedImage> {
    let store = TarStore::index(path)?;
    if store.contains("manifest.json") {
        return resolve_docker_archive(store);
    }
    if store.contains("index.json") {
        return resolve_oci(Box::new(store), None, platform, None);
    }
    Err(ImageError::malformed(
        path.display().to_string(),
        "neither a docker-archive (no manifest.json) nor an OCI archive (no index.json)",
    ))
}

fn check_oci_layout(what: &str, bytes: &[u8]) -> Result<()> {
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ImageError::malformed(what, format!("invalid JSON: {e}")))?;
    match v.get("imageLayoutVersion").and_then(|v| v.as_str()) {
        Some(ver) if ver.starts_with("1.") => Ok(()),
        other => Err(ImageError::malformed(
            what,
            format!("unsupported imageLayoutVersion {other:?}"),
        )),
    }
}

const MAX_INDEX_DEPTH: usize = 4;

pub(crate) fn resolve_oci(
    store: Box<dyn BlobStore>,
    tag: Option<&str>,
    platform: Option<&Platform>,
    temp: Option<tempfile::TempDir>,
) -> Result<ResolvedImage> {
    let index_name = store.describe("index.json");
    let index =
        IndexOrManifest::parse(&index_name, &store.read_small("index.json", MAX_JSON_BLOB)?)?;
    let manifests = index
        .manifests
        .as_deref()
        .ok_or_else(|| ImageError::malformed(&index_name, "no \"manifests\" array"))?;
    let candidates = select::by_tag(&index_name, manifests, tag)?;
    let mut desc = select::by_platform(&index_name, &candidates, platform)?.clone();
    let references: Vec<String> = desc
        .annotations
        .get(ANNOTATION_REF_NAME)
        .cloned()
        .into_iter()
        .collect();
    for _ in 0..MAX_INDEX_DEPTH {
        let digest = Digest::parse(&desc.digest)?;
        let what = store.describe(&digest.blob_path());
        let bytes = store.read_small(&digest.blob_path(), MAX_JSON_BLOB)?;
        digest.verify(&what, &bytes)?;
        let doc = IndexOrManifest::parse(&what, &bytes)?;
        if doc.is_index() {
            let nested = doc.manifests.unwrap_or_default();
            let refs: Vec<&crate::manifest::Descriptor> = nested.iter().collect();
            desc = select::by_platform(&what, &refs, platform)?.clone();
            continue;
        }
        return from_manifest(
            store,
            doc,
            &what,
            Some(digest.to_string()),
            references,
            temp,
        );
    }
    Err(ImageError::malformed(
        index_name,
        "image indexes nested too deeply",
    ))
}

fn from_manifest(
    store: Box<dyn BlobStore>,
    manifest: IndexOrManifest,
    what: &str,
    manifest_digest: Option<String>,
    references: Vec<String>,
    temp: Option<tempfile::TempDir>,
) -> Result<ResolvedImage> {
    let config_desc = manifest
        .config
        .ok_or_else(|| ImageError::malformed(what, "manifest has no config"))?;
    let config_digest = Digest::parse(&config_desc.digest)?;
    let config_what = store.describe(&config_digest.blob_path());
    let config_bytes = store.read_small(&config_digest.blob_path(), MAX_JSON_BLOB)?;
    config_digest.verify(&config_what, &config_bytes)?;
    let config = ImageConfig::parse(&config_what, &config_bytes)?;
    let (config_json, warnings) = config_value(&config_what, &config_bytes)?;
    let descs = manifest.layers.unwrap_or_default();
    check_layer_count(what, descs.len())?;
    let diff_ids = diff_ids(&config, descs.len(), &config_what)?;
    let history = config.layer_history();
    let mut layers = Vec::with_capacity(descs.len());
    for (i, d) in descs.into_iter().enumerate() {
        let digest = Digest::parse(&d.digest)?;
        layers.push(LayerBlob {
            location: digest.blob_path(),
            media_type: d.media_type,
            expected_digest: Some(digest),
            diff_id: diff_ids.get(i).cloned(),
            size: u64::try_from(d.size).ok(),
            created_by: history.get(i).cloned().flatten(),
        });
    }
    Ok(ResolvedImage {
        references,
        manifest_digest,
        config_digest: config_digest.to_string(),
        config_json,
        config,
        layers,
        warnings,
        store,
        _temp: temp,
    })
}

fn image_budget_hit(name: &str, budget: u64) -> ImageError {
    ImageError::LimitExceeded {
        what: name.to_string(),
        message: format!(
            "the image's layers together inflate beyond {budget} bytes (limit for a whole image)"
        ),
    }
}

/// A second use of a layer read once: the entries are copied, their kept contents shared.
fn copy_layer(data: &LayerData) -> LayerData {
    LayerData {
        entries: data.entries.clone(),
        whiteouts: data.whiteouts.clone(),
        opaque_dirs: data.opaque_dirs.clone(),
        digest: data.digest.clone(),
        diff_id: data.diff_id.clone(),
        uncompressed_bytes: data.uncompressed_bytes,
        ..LayerData::default()
    }
}

/// The config as a JSON value for checks, and a warning when part of it had to be cut.
fn config_value(what: &str, bytes: &[u8]) -> Result<(serde_json::Value, Vec<ScanError>)> {
    let (value, cut) = parse_config_value(what, bytes)?;
    // Checks read fields of an object; anything else would leave them silently blind.
    if !value.is_object() {
        return Err(ImageError::malformed(
            what,
            "image config is not a JSON object",
        ));
    }
    let warnings = if cut > 0 {
        vec![ScanError::limit_exceeded(
            what,
            format!(
                "{cut} field(s) of the image config are nested deeper than {MAX_CONFIG_DEPTH} levels; they were not read and checks did not see them"
            ),
        )]
    } else {
        Vec::new()
    };
    Ok((value, warnings))
}

fn check_layer_count(what: &str, n: usize) -> Result<()> {
    if n > MAX_LAYERS {
        return Err(ImageError::LimitExceeded {
            what: what.to_string(),
            message: format!("lists {n} layers; at most {MAX_LAYERS} are read"),
        });
    }
    Ok(())
}

fn diff_ids(config: &ImageConfig, layers: usize, what: &str) -> Result<Vec<Digest>> {
    let ids = config
        .rootfs
        .as_ref()
        .map(|r| r.diff_ids.as_slice())
        .unwrap_or_default();
    if ids.len() != layers {
        return Err(ImageError::malformed(
            what,
            format!("config lists {} diff_ids for {layers} layers", ids.len()),
        ));
    }
    ids.iter().map(|s| Digest::parse(s)).collect()
}

fn resolve_docker_archive(store: TarStore) -> Result<ResolvedImage> {
    let what = store.describe("manifest.json");
    let entries: Vec<DockerArchiveEntry> = serde_json::from_slice(
        &store.read_small("manifest.json", MAX_JSON_BLOB)?,
    )
    .map_err(|e| ImageError::malformed(&what, format!("invalid docker-archive manifest: {e}")))?;
    let entry = match entries.as_slice() {
        [one] => one.clone(),
        [] => return Err(ImageError::malformed(&what, "lists no images")),
        many => {
            return Err(ImageError::malformed(
                &what,
                format!("lists {} images; save one image per archive", many.len()),
            ))
        }
    };
    let config_what = store.describe(&entry.config);
    let config_bytes = store.read_small(&entry.config, MAX_JSON_BLOB)?;
    // Config members are named after their digest (`<hex>.json` or `blobs/sha256/<hex>`).
    let config_digest = Digest::sha256_of(&config_bytes);
    let stem = entry
        .config
        .trim_end_matches(".json")
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if stem.len() == 64 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && stem != config_digest.hex
    {
        return Err(ImageError::DigestMismatch {
            what: config_what,
            expected: format!("sha256:{stem}"),
            actual: config_digest.to_string(),
        });
    }
    let config = ImageConfig::parse(&config_what, &config_bytes)?;
    let (config_json, warnings) = config_value(&config_what, &config_bytes)?;
    check_layer_count(&what, entry.layers.len())?;
    let diff_ids = diff_ids(&config, entry.layers.len(), &config_what)?;
    let history = config.layer_history();
    let layers = entry
        .layers
        .iter()
        .enumerate()
        .map(|(i, loc)| {
            // Newer `docker save` names layers `blobs/sha256/<hex>`: that is the blob digest.
            let expected_digest = loc
                .strip_prefix("blobs/sha256/")
                .and_then(|h| Digest::parse(&format!("sha256:{h}")).ok());
            LayerBlob {
                location: loc.clone(),
                media_type: String::new(),
                expected_digest,
                diff_id: diff_ids.get(i).cloned(),
                size: None,
                created_by: history.get(i).cloned().flatten(),
            }
        })
        .collect();
    Ok(ResolvedImage {
        references: entry.repo_tags.unwrap_or_default(),
        manifest_digest: None,
        config_digest: config_digest.to_string(),
        config_json,
        config,
        layers,
        warnings,
        store: Box::new(store),
        _temp: None,
    })
}
