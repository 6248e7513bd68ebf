//! Executables and Java archives are inventoried while their layer streams by and their
//! bytes dropped; what a later layer deleted or replaced must not be reported.

use palisade_engine::Scan;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../palisade-inventory/fixtures/lang");
    std::fs::read(root.join(rel)).unwrap()
}

enum Entry<'a> {
    File(&'a str, &'a [u8]),
    Whiteout(&'a str),
}

fn layer(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    for e in entries {
        let (path, data): (String, &[u8]) = match e {
            Entry::File(p, d) => (p.to_string(), d),
            Entry::Whiteout(p) => {
                let (dir, name) = p.rsplit_once('/').unwrap();
                (format!("{dir}/.wh.{name}"), b"")
            }
        };
        let mut h = tar::Header::new_ustar();
        h.set_path(&path).unwrap();
        h.set_size(data.len() as u64);
        h.set_mode(0o755);
        h.set_cksum();
        tar.append(&h, data).unwrap();
    }
    tar.into_inner().unwrap()
}

/// An OCI layout of uncompressed layers.
fn layout(root: &Path, layers: &[Vec<u8>]) -> PathBuf {
    let dir = root.join("layout");
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    let blob = |data: &[u8]| -> String {
        let d = format!("sha256:{}", hex::encode(Sha256::digest(data)));
        std::fs::write(dir.join("blobs/sha256").join(&d[7..]), data).unwrap();
        d
    };
    let digests: Vec<String> = layers.iter().map(|l| blob(l)).collect();
    let config = serde_json::json!({"architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": digests}})
    .to_string();
    let cd = blob(config.as_bytes());
    let layer_descs: Vec<_> = layers
        .iter()
        .zip(&digests)
        .map(|(l, d)| serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": d, "size": l.len()}))
        .collect();
    let manifest = serde_json::json!({"schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": config.len()},
        "layers": layer_descs})
    .to_string();
    let md = blob(manifest.as_bytes());
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": manifest.len()}]});
    std::fs::write(dir.join("index.json"), index.to_string()).unwrap();
    dir
}

fn package_files(dir: &Path) -> Vec<String> {
    let r = Scan::image(dir.display().to_string())
        .packages(true)
        .run()
        .unwrap();
    // One package lists every file it was found in.
    let mut files: Vec<String> = r.results[0]
        .packages
        .iter()
        .flat_map(|p| p.locations())
        .filter_map(|l| l.path)
        .map(|p| p.split('!').next().unwrap_or_default().to_string())
        .collect();
    files.sort();
    files.dedup();
    files
}

#[test]
fn deleted_and_replaced_executables_and_archives_are_not_reported() {
    let go = fixture("go/bin/usr/local/bin/hello");
    let rust = fixture("rust/auditable/usr/local/bin/fixture-app");
    let jar = fixture("java/archives/greet-1.0.0-all.jar");
    let tmp = tempfile::tempdir().unwrap();
    let first = layer(&[
        Entry::File("usr/local/bin/hello", &go),
        Entry::File("usr/local/bin/fixture-app", &rust),
        Entry::File("opt/app/greet.jar", &jar),
        Entry::File("opt/old/greet.jar", &jar),
    ]);
    let dir = layout(tmp.path(), std::slice::from_ref(&first));
    assert_eq!(
        package_files(&dir),
        [
            "opt/app/greet.jar",
            "opt/old/greet.jar",
            "usr/local/bin/fixture-app",
            "usr/local/bin/hello"
        ]
    );

    // Later layers delete one binary and one archive, and replace the other binary with a
    // shell script of the same name.
    let tmp = tempfile::tempdir().unwrap();
    let second = layer(&[
        Entry::Whiteout("usr/local/bin/hello"),
        Entry::Whiteout("opt/old/greet.jar"),
        Entry::File("usr/local/bin/fixture-app", b"#!/bin/sh\nexec true\n"),
    ]);
    let dir = layout(tmp.path(), &[first, second]);
    assert_eq!(package_files(&dir), ["opt/app/greet.jar"]);
}
