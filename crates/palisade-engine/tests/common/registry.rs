//! A real OCI registry (Debian's `docker-registry`, the CNCF distribution server) on
//! 127.0.0.1 for the tests that sign and verify, with the demo image pushed by palisade-image's
//! client.

use palisade_engine::signing::RegistryAuthOptions;
use palisade_image::RegistryClient;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Registry {
    child: Child,
    pub port: u16,
    /// The registry's configuration and storage (`data/`).
    pub dir: tempfile::TempDir,
}

impl Registry {
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `None` (with a loud SKIPPED) when `docker-registry` is not installed; CI installs it.
pub fn start() -> Option<Registry> {
    let present = Command::new("sh")
        .args(["-c", "command -v docker-registry"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "docker-registry is required in CI"
        );
        eprintln!("SKIPPED: install docker-registry (apt-get) to run the registry tests");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = dir.path().join("config.yml");
    std::fs::write(
        &cfg,
        format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let child = Command::new("docker-registry")
        .args(["serve", cfg.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "registry did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Registry { child, port, dir })
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
