//! The test registry of palisade-testkit, with the demo image pushed by palisade-image's
//! client, for the tests that sign and verify.

use palisade_engine::signing::RegistryAuthOptions;
use palisade_image::RegistryClient;
use std::path::{Path, PathBuf};

pub use palisade_testkit::registry::Registry;

/// `None` (with a loud SKIPPED) when `docker-registry` is not installed; CI installs it.
pub fn start() -> Option<Registry> {
    palisade_testkit::registry::tools_present(&["docker-registry"])
        .then(|| palisade_testkit::registry::start(None))
}

pub fn auth() -> RegistryAuthOptions {
    RegistryAuthOptions {
        insecure: true,
        ..Default::default()
    }
}

pub fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-image-oci")
}

pub fn blob(layout: &Path, digest: &str) -> Vec<u8> {
    std::fs::read(layout.join("blobs/sha256").join(&digest[7..])).unwrap()
}

/// Pushes the demo OCI layout under `reference` (`host:port/repo:tag`); returns its digest.
pub fn push_demo(reference: &str) -> String {
    let layout = demo();
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).unwrap()).unwrap();
    let digest = index["manifests"][0]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let manifest = blob(&layout, &digest);
    let m: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    let mut client = RegistryClient::connect(reference, &auth(), true).unwrap();
    let mut descs: Vec<&serde_json::Value> = m["layers"].as_array().unwrap().iter().collect();
    descs.push(&m["config"]);
    for d in descs {
        let dg = d["digest"].as_str().unwrap();
        assert_eq!(client.push_blob(&blob(&layout, dg)).unwrap(), dg);
    }
    let tag = reference.rsplit_once(':').unwrap().1;
    let pushed = client
        .push_manifest(tag, "application/vnd.oci.image.manifest.v1+json", &manifest)
        .unwrap();
    assert_eq!(pushed.digest, digest);
    digest
}
