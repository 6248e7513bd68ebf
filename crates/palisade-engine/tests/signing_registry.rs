//! The engine's signing path against a real registry (Debian's `docker-registry` on
//! 127.0.0.1): the demo image pushed with palisade-image's own client, the shared corpus's
//! cosign-format signature image (made with openssl, see its make-cosign-vector.sh) read
//! through the registry path, and a registry serving a tampered payload. Skipped, loudly,
//! without docker-registry (outside CI) or without the corpus.

mod common;

use common::registry::{auth, push_demo, start};
use palisade_engine::sign::{SignError, SigningKey};
use palisade_engine::signing::{self, SignOptions, SigningError};
use palisade_image::RegistryClient;
use std::path::PathBuf;

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
