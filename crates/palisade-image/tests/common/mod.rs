//! Builds OCI image layouts in a temp dir from hand-made layer tars, so hostile inputs can
//! be crafted byte by byte (the `tar` crate's safe builders refuse most of them).
#![allow(dead_code)]

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn sha(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

#[derive(Clone, Copy)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// A tar stream written entry by entry with raw header fields.
pub struct TarBuilder {
    out: Vec<u8>,
}

impl TarBuilder {
    pub fn new() -> Self {
        TarBuilder { out: Vec::new() }
    }

    fn header(path: &[u8], kind: tar::EntryType, size: u64, link: &[u8]) -> tar::Header {
        let mut h = tar::Header::new_ustar();
        {
            let raw = h.as_ustar_mut().expect("ustar header");
            raw.name[..path.len()].copy_from_slice(path);
            raw.linkname[..link.len()].copy_from_slice(link);
        }
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(if kind == tar::EntryType::Directory {
            0o755
        } else {
            0o644
        });
        h.set_mtime(1_700_000_000);
        h.set_cksum();
        h
    }

    pub fn file(mut self, path: &str, data: &[u8]) -> Self {
        let h = Self::header(
            path.as_bytes(),
            tar::EntryType::Regular,
            data.len() as u64,
            b"",
        );
        self.out.extend_from_slice(h.as_bytes());
        self.out.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        self.out.extend(std::iter::repeat_n(0u8, pad));
        self
    }

    pub fn dir(mut self, path: &str) -> Self {
        let h = Self::header(path.as_bytes(), tar::EntryType::Directory, 0, b"");
        self.out.extend_from_slice(h.as_bytes());
        self
    }

    pub fn symlink(mut self, path: &str, target: &str) -> Self {
        let h = Self::header(
            path.as_bytes(),
            tar::EntryType::Symlink,
            0,
            target.as_bytes(),
        );
        self.out.extend_from_slice(h.as_bytes());
        self
    }

    pub fn hardlink(mut self, path: &str, target: &str) -> Self {
        let h = Self::header(path.as_bytes(), tar::EntryType::Link, 0, target.as_bytes());
        self.out.extend_from_slice(h.as_bytes());
        self
    }

    pub fn char_device(mut self, path: &str) -> Self {
        let mut h = Self::header(path.as_bytes(), tar::EntryType::Char, 0, b"");
        h.set_device_major(1).ok();
        h.set_device_minor(3).ok();
        h.set_cksum();
        self.out.extend_from_slice(h.as_bytes());
        self
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.out.extend(std::iter::repeat_n(0u8, 1024));
        self.out
    }
}

pub fn compress(data: &[u8], c: Compression) -> Vec<u8> {
    match c {
        Compression::None => data.to_vec(),
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).expect("gzip");
            e.finish().expect("gzip")
        }
        Compression::Zstd => zstd::encode_all(data, 3).expect("zstd"),
    }
}

pub fn media_type(c: Compression) -> &'static str {
    match c {
        Compression::None => "application/vnd.oci.image.layer.v1.tar",
        Compression::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
        Compression::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
    }
}

pub fn write_blob(dir: &Path, data: &[u8]) -> String {
    let d = sha(data);
    let p = dir
        .join("blobs/sha256")
        .join(d.trim_start_matches("sha256:"));
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, data).expect("write blob");
    d
}

pub struct Layer {
    pub tar: Vec<u8>,
    pub compression: Compression,
    /// Pre-compressed blob bytes (for bombs built by streaming); `tar` is then unused and
    /// `diff_id` must be given.
    pub blob: Option<(Vec<u8>, String)>,
}

impl Layer {
    pub fn new(tar: Vec<u8>, compression: Compression) -> Self {
        Layer {
            tar,
            compression,
            blob: None,
        }
    }
}

/// Writes an OCI layout (tag `test`) and returns its directory plus the layer blob digests.
pub fn layout(root: &Path, layers: &[Layer]) -> (PathBuf, Vec<String>) {
    let dir = root.join("layout");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#)
        .expect("oci-layout");
    let mut descs = Vec::new();
    let mut diff_ids = Vec::new();
    let mut digests = Vec::new();
    for l in layers {
        let (blob, diff_id) = match &l.blob {
            Some((b, d)) => (b.clone(), d.clone()),
            None => (compress(&l.tar, l.compression), sha(&l.tar)),
        };
        let d = write_blob(&dir, &blob);
        descs.push(serde_json::json!({"mediaType": media_type(l.compression), "digest": d, "size": blob.len()}));
        diff_ids.push(diff_id);
        digests.push(d);
    }
    let history: Vec<_> = (0..layers.len())
        .map(|i| serde_json::json!({"created_by": format!("layer {i}")}))
        .collect();
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    })
    .to_string();
    let cd = write_blob(&dir, config.as_bytes());
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": config.len()},
        "layers": descs,
    })
    .to_string();
    let md = write_blob(&dir, manifest.as_bytes());
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": md, "size": manifest.len(),
            "annotations": {"org.opencontainers.image.ref.name": "test"}
        }]
    });
    std::fs::write(dir.join("index.json"), index.to_string()).expect("index");
    (dir, digests)
}

pub fn blob_path(dir: &Path, digest: &str) -> PathBuf {
    dir.join("blobs/sha256")
        .join(digest.trim_start_matches("sha256:"))
}
