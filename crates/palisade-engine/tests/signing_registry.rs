//! The engine's signing path against a real registry (Debian's `docker-registry` on
//! 127.0.0.1): the demo image pushed with palisade-image's own client, the shared corpus's
//! cosign-format signature image (made with openssl, see its make-cosign-vector.sh) read
//! through the registry path, and a registry serving a tampered payload. Skipped, loudly,
//! without docker-registry (outside CI) or without the corpus.

use palisade_engine::sign::{SignError, SigningKey};
use palisade_engine::signing::{self, RegistryAuthOptions, SignOptions, SigningError};
use palisade_image::RegistryClient;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Registry {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Option<Registry> {
    let present = Command::new("sh")
        .args(["-c", "command -v docker-registry"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "docker-registry is required in CI"
        );
        eprintln!("SKIPPED: install docker-registry (apt-get) to run the signing registry tests");
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

fn auth() -> RegistryAuthOptions {
    RegistryAuthOptions {
        insecure: true,
        ..Default::default()
    }
}

fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-image-oci")
}

fn blob(layout: &Path, digest: &str) -> Vec<u8> {
    std::fs::read(layout.join("blobs/sha256").join(&digest[7..])).unwrap()
}

/// Pushes the demo OCI layout with palisade-image's client; returns its digest.
fn push_demo(reference: &str) -> String {
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
    assert_eq!(client.resolve().unwrap().0, digest);
    digest
}

fn corpus() -> Option<PathBuf> {
    let beside =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/cosign/generated");
    for p in [
        beside,
        PathBuf::from("/work/shared/corpus/cosign/generated"),
    ] {
        if p.join("signature-manifest.json").is_file() {
            return Some(p);
        }
    }
    eprintln!("SKIPPED: shared/corpus/cosign is absent");
    None
}

#[test]
fn corpus_signature_image_is_read_through_the_registry() {
    let Some(reg) = start() else { return };
    let Some(g) = corpus() else { return };
    let reference = format!("127.0.0.1:{}/corpus/demo:1", reg.port);
    let digest = push_demo(&reference);
    // The corpus signature image, pushed under this image's cosign tag as cosign would.
    let mut client = RegistryClient::connect(&reference, &auth(), true).unwrap();
    for f in ["payload.json", "signature-config.json"] {
        client
            .push_blob(&std::fs::read(g.join(f)).unwrap())
            .unwrap();
    }
    let tag = format!("{}.sig", digest.replacen(':', "-", 1));
    client
        .push_manifest(
            &tag,
            "application/vnd.oci.image.manifest.v1+json",
            &std::fs::read(g.join("signature-manifest.json")).unwrap(),
        )
        .unwrap();
    assert!(client.tags().unwrap().contains(&tag));
    let key = palisade_engine::sign::PublicKey::parse(
        "cosign.pub",
        &std::fs::read(g.join("cosign.pub")).unwrap(),
    )
    .unwrap();
    // Its signature verifies with the corpus key, and names the corpus image, not this one.
    match signing::verify_image(&reference, std::slice::from_ref(&key), &auth()).map_err(
        |e| match e {
            SigningError::NoneVerified { reason, .. } => *reason,
            other => panic!("{other:?}"),
        },
    ) {
        Err(SignError::DigestMismatch { signed, expected }) => {
            assert_eq!(
                signed,
                "sha256:ad379304e5895fb9d1175a5dea828d898f8e9d1ff171d839b4877b8b03f89231"
            );
            assert_eq!(expected, digest);
        }
        other => panic!("{other:?}"),
    }

    // A registry that serves the payload altered is caught by the payload's digest.
    let payload = std::fs::read(g.join("payload.json")).unwrap();
    let payload_digest = palisade_engine::sign::cosign::sha256_digest(&payload);
    let stored = reg
        .dir
        .path()
        .join("data/docker/registry/v2/blobs/sha256")
        .join(&payload_digest[7..9])
        .join(&payload_digest[7..])
        .join("data");
    std::fs::write(
        &stored,
        std::fs::read(g.join("payload-tampered.json")).unwrap(),
    )
    .unwrap();
    match signing::verify_image(&reference, &[key], &auth()) {
        Err(e @ SigningError::Layer { .. }) => {
            assert!(e.is_verification_failure());
            assert!(e.to_string().contains("tampered payload"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn engine_sign_verify_and_gate() {
    let Some(reg) = start() else { return };
    let reference = format!("127.0.0.1:{}/team/app:1", reg.port);
    let digest = push_demo(&reference);
    let key = SigningKey::generate().unwrap();
    let other = SigningKey::generate().unwrap();
    let keys = [other.public_key(), key.public_key()];
    assert!(matches!(
        signing::signature_gate(&reference, &keys, &auth()),
        Err(SigningError::NoSignatures { .. })
    ));
    let signed = signing::sign_image(&reference, &key, &SignOptions::default(), &auth()).unwrap();
    assert_eq!(signed.digest, digest);
    // Signing twice with the same key keeps both (the signatures differ).
    signing::sign_image(&reference, &key, &SignOptions::default(), &auth()).unwrap();
    let v = signing::verify_image(&reference, &keys, &auth()).unwrap();
    assert_eq!(v.payloads.len(), 2);
    assert_eq!(
        signing::signature_gate(&reference, &keys, &auth()).unwrap(),
        format!("127.0.0.1:{}/team/app@{digest}", reg.port)
    );
    // By digest too.
    signing::verify_image(&v.pinned, &keys, &auth()).unwrap();
    match signing::verify_image(&reference, &[other.public_key()], &auth()) {
        Err(SigningError::NoneVerified { reason, count, .. }) => {
            assert_eq!(count, 2);
            assert!(
                matches!(*reason, SignError::BadSignature { .. }),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
}
