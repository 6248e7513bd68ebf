//! Helpers shared by the fuzz targets: running the package detectors on one file, and
//! wrapping fuzz input into an image archive that Palisade opens the way it opens any.

use palisade_inventory::{all_detectors, Detector, FileRef};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

fn detectors() -> &'static [Box<dyn Detector>] {
    static D: OnceLock<Vec<Box<dyn Detector>>> = OnceLock::new();
    D.get_or_init(all_detectors)
}

/// Runs every detector that wants `path` on `content` (both the strict and the record-by-
/// record forms). Panics only on a broken invariant: every problem names the file.
pub fn detect(path: &str, content: &[u8]) {
    let file = FileRef {
        path,
        content,
        layer: None,
    };
    for d in detectors()
        .iter()
        .filter(|d| d.wants(path, content.len() as u64))
    {
        let all = d.detect_all(&file, None);
        for p in &all.problems {
            assert_eq!(p.path, path, "{}: a problem must name the file", d.name());
        }
        if let Err(e) = d.detect(&file, None) {
            assert_eq!(e.path, path);
        }
    }
    let mut pkgs = Vec::new();
    for d in detectors()
        .iter()
        .filter(|d| d.wants(path, content.len() as u64))
    {
        pkgs.extend(d.detect_all(&file, None).packages);
    }
    palisade_inventory::link_installed(&mut pkgs);
}

/// Picks one of `paths` with the first input byte; the rest is the file's content.
pub fn select<'a>(data: &'a [u8], paths: &[&'static str]) -> Option<(&'static str, &'a [u8])> {
    let (first, rest) = data.split_first()?;
    Some((paths[usize::from(*first) % paths.len()], rest))
}

fn sha256_hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn tar_add(t: &mut tar::Builder<Vec<u8>>, name: &str, body: &[u8]) {
    let mut h = tar::Header::new_gnu();
    h.set_size(body.len() as u64);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::Regular);
    h.set_cksum();
    t.append_data(&mut h, name, body).expect("in-memory tar");
}

/// The config a docker-archive needs for one layer, with the layer's real diff ID.
pub fn config_for(layer: &[u8]) -> Vec<u8> {
    format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{"Env":["PATH=/usr/bin"]}},"rootfs":{{"type":"layers","diff_ids":["sha256:{}"]}},"history":[{{"created_by":"ADD x /"}}]}}"#,
        sha256_hex(layer)
    )
    .into_bytes()
}

/// A docker-archive tarball: `manifest.json` (given, or the usual one), the config and one
/// layer.
pub fn docker_archive(manifest: Option<&[u8]>, config: &[u8], layer: &[u8]) -> Vec<u8> {
    let config_name = format!("{}.json", sha256_hex(config));
    let default_manifest = format!(
        r#"[{{"Config":"{config_name}","RepoTags":["fuzz:latest"],"Layers":["layer/layer.tar"]}}]"#
    );
    let mut t = tar::Builder::new(Vec::new());
    tar_add(
        &mut t,
        "manifest.json",
        manifest.unwrap_or(default_manifest.as_bytes()),
    );
    tar_add(&mut t, &config_name, config);
    tar_add(&mut t, "layer/layer.tar", layer);
    t.into_inner().expect("in-memory tar")
}

/// An OCI archive whose `index.json` is `index`, holding one image (manifest, config and
/// layer blobs) that a well-formed index would point at.
pub fn oci_archive(index: &[u8], layer: &[u8]) -> Vec<u8> {
    let config = config_for(layer);
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{}","size":{}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:{}","size":{}}}]}}"#,
        sha256_hex(&config),
        config.len(),
        sha256_hex(layer),
        layer.len()
    );
    let mut t = tar::Builder::new(Vec::new());
    tar_add(&mut t, "oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
    tar_add(&mut t, "index.json", index);
    for blob in [manifest.as_bytes(), &config, layer] {
        tar_add(&mut t, &format!("blobs/sha256/{}", sha256_hex(blob)), blob);
    }
    t.into_inner().expect("in-memory tar")
}

/// A small valid layer: a few files the package detectors read.
pub fn small_layer() -> Vec<u8> {
    let mut t = tar::Builder::new(Vec::new());
    tar_add(
        &mut t,
        "var/lib/dpkg/status",
        b"Package: bash\nStatus: install ok installed\nVersion: 5.2\n",
    );
    tar_add(&mut t, "etc/os-release", b"ID=debian\nVERSION_ID=12\n");
    t.into_inner().expect("in-memory tar")
}

/// Opens `archive` (written to a per-process file in memory-backed storage) as an image
/// and reads its filesystem, keeping every file. Errors are fine; panics are the finding.
pub fn open_image(archive: &[u8]) {
    let dir = if std::path::Path::new("/dev/shm").is_dir() {
        std::path::PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let path = dir.join(format!("palisade-fuzz-{}.tar", std::process::id()));
    if std::fs::write(&path, archive).is_err() {
        return;
    }
    if let Ok(img) = palisade_image::open_archive(&path, None) {
        let opts = palisade_image::ReadOptions {
            keep: &|_, _| true,
            ..Default::default()
        };
        if let Ok(fs) = img.read_filesystem(&opts) {
            let _ = img.meta(Some(&fs));
            for (path, _, content) in fs.files_with_content() {
                let _ = (path, content.len());
            }
        }
    }
    let _ = std::fs::remove_file(&path);
}
