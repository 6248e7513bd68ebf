//! Every producer of paths keeps to the form `palisade_core::Location::path` documents —
//! relative to the target root, `/`-separated, no leading `/` or `./` — for an image and
//! for a directory target alike: the files the image reader yields, the inventory's
//! `found_in`, and the locations of Dockerfile and Kubernetes findings.

use palisade_core::{target_path, Finding, Package};
use palisade_image::{DirOptions, ImageInput, LayeredFs, ReadOptions};
use palisade_inventory::{all_detectors, os::detect_os, FileRef};
use sha2::{Digest, Sha256};
use std::path::Path;

/// (path as written into the target, content). Some paths are written un-normalised on
/// purpose: the readers must not pass that form on.
const FILES: &[(&str, &str)] = &[
    (
        "/etc/os-release",
        "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
    ),
    (
        "./var/lib/dpkg/status",
        "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n",
    ),
    (
        "usr/lib/python3/site-packages//requests-2.31.0.dist-info/METADATA",
        "Name: requests\nVersion: 2.31.0\n",
    ),
    ("srv/app/Dockerfile", "FROM debian:latest\nRUN apt-get install curl\n"),
    (
        "srv/app/deploy/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: nginx}\n",
    ),
];

fn assert_target_path(what: &str, path: &str) {
    assert!(!path.is_empty(), "{what}: empty path");
    assert_eq!(
        path,
        target_path(path),
        "{what}: {path:?} is not in target form"
    );
    assert!(
        !path.starts_with('/') && !path.starts_with("./"),
        "{what}: {path:?}"
    );
}

/// Runs what a scan of `fs` runs and checks every path that comes out of it.
fn check_tree(fs: &LayeredFs) {
    for (path, _) in fs.iter() {
        assert_target_path("image/dir reader", path);
    }
    let os = detect_os(&|p: &str| fs.read(p).map(<[u8]>::to_vec));
    assert!(os.is_some(), "os-release not found under its target path");
    let mut packages: Vec<Package> = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut manifests = Vec::new();
    for (path, node, content) in fs.files_with_content() {
        let file = FileRef {
            path,
            content,
            layer: fs.layer(node.layer),
        };
        for d in all_detectors().iter().filter(|d| d.wants(path, node.size)) {
            packages.extend(d.detect(&file, os.as_ref()).unwrap());
        }
        let text = String::from_utf8_lossy(content).into_owned();
        if palisade_dockerfile::is_dockerfile(Path::new(path)) {
            findings.extend(palisade_dockerfile::scan_dockerfile(path, &text).findings);
        }
        if path.ends_with(".yaml") {
            manifests.push((path.to_string(), text));
        }
    }
    let kube = palisade_kube::scan_manifests(&manifests, &Default::default());
    findings.extend(kube.findings);
    assert!(packages.len() >= 2, "{packages:#?}");
    for p in &packages {
        assert_target_path("inventory found_in", &p.found_in);
    }
    assert!(
        findings.iter().any(|f| f.rule_id == "DF001"),
        "{findings:#?}"
    );
    assert!(
        findings.iter().any(|f| f.rule_id.starts_with("K8S")),
        "{findings:#?}"
    );
    for f in &findings {
        assert_target_path(&f.rule_id, f.location.path.as_deref().unwrap_or(""));
    }
}

#[test]
fn image_paths_are_target_relative() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = write_layout(tmp.path(), &tar(FILES));
    let img = ImageInput::parse(&layout.display().to_string())
        .unwrap()
        .open(None)
        .unwrap();
    let keep = |_: &str, _: u64| true;
    let fs = img
        .read_filesystem(&ReadOptions {
            keep: &keep,
            ..ReadOptions::default()
        })
        .unwrap();
    check_tree(&fs);
}

#[test]
fn directory_paths_are_target_relative() {
    let tmp = tempfile::tempdir().unwrap();
    for (path, content) in FILES {
        let p = tmp.path().join(path.trim_start_matches('/'));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    let keep = |_: &str, _: u64| true;
    let fs = palisade_image::read_dir_tree(
        tmp.path(),
        &DirOptions::default(),
        &ReadOptions {
            keep: &keep,
            ..ReadOptions::default()
        },
    )
    .unwrap();
    check_tree(&fs);
}

fn sha(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// An uncompressed layer tar whose member names are written byte for byte.
fn tar(files: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (path, content) in files {
        let mut h = tar::Header::new_ustar();
        if let Some(raw) = h.as_ustar_mut() {
            raw.name[..path.len()].copy_from_slice(path.as_bytes());
        }
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(content.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(content.as_bytes());
        out.extend(std::iter::repeat_n(0u8, (512 - content.len() % 512) % 512));
    }
    out.extend(std::iter::repeat_n(0u8, 1024));
    out
}

fn write_blob(dir: &Path, data: &[u8]) -> String {
    let digest = sha(data);
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    std::fs::write(blobs.join(&digest["sha256:".len()..]), data).unwrap();
    digest
}

/// A one-layer OCI image layout.
fn write_layout(root: &Path, layer: &[u8]) -> std::path::PathBuf {
    let dir = root.join("layout");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    let layer_digest = write_blob(&dir, layer);
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux", "config": {},
        "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
    })
    .to_string();
    let config_digest = write_blob(&dir, config.as_bytes());
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": config.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": layer_digest, "size": layer.len()}],
    })
    .to_string();
    let manifest_digest = write_blob(&dir, manifest.as_bytes());
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "digest": manifest_digest, "size": manifest.len()}],
    });
    std::fs::write(dir.join("index.json"), index.to_string()).unwrap();
    dir
}
