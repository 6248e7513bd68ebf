//! Interoperability with cosign's formats on the shared corpus (`shared/corpus/cosign`):
//! the generated signature vectors verify and rebuild byte for byte, the tampered payload
//! fails, and the keys of cosign's and sigstore-rs's test data load (or are refused as the
//! key types they are). Skipped, loudly, when the corpus is absent.

use palisade_sign::cosign::{self, Descriptor};
use palisade_sign::simple::{self, Payload};
use palisade_sign::{KeyFile, PublicKey, SignError};
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/cosign");
    for root in [beside, PathBuf::from("/work/shared/corpus/cosign")] {
        if root.join("generated/vector.json").is_file() {
            return Some(root);
        }
    }
    eprintln!("SKIPPED: shared/corpus/cosign is absent");
    None
}

fn read(p: PathBuf) -> Vec<u8> {
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn generated_vector_verifies_and_tampered_payload_fails() {
    let Some(root) = corpus() else { return };
    let g = root.join("generated");
    let vector: serde_json::Value = serde_json::from_slice(&read(g.join("vector.json"))).unwrap();
    let digest = vector["image_manifest_digest"].as_str().unwrap();
    let key = PublicKey::parse("cosign.pub", &read(g.join("cosign.pub"))).unwrap();
    let payload = read(g.join("payload.json"));
    let sig = String::from_utf8(read(g.join("payload.sig"))).unwrap();
    let p = simple::verify(&key, &payload, &sig, digest).unwrap();
    assert_eq!(p.critical.identity.docker_reference, vector["image_ref"]);
    // The payload is exactly what Palisade would write for that image.
    assert_eq!(
        Payload::new(
            vector["image_ref"].as_str().unwrap(),
            digest,
            Default::default()
        )
        .to_bytes(),
        payload
    );
    let tampered = read(g.join("payload-tampered.json"));
    assert!(matches!(
        simple::verify(&key, &tampered, &sig, digest),
        Err(SignError::BadSignature { .. })
    ));
    let other = digest.replace("ad37", "ad38");
    assert!(matches!(
        simple::verify(&key, &payload, &sig, &other),
        Err(SignError::DigestMismatch { .. })
    ));
    assert_eq!(
        cosign::tag_for(digest, cosign::Kind::Signature),
        vector["signature_tag"].as_str().unwrap()
    );
}

#[test]
fn signature_manifest_and_config_rebuild_byte_for_byte() {
    let Some(root) = corpus() else { return };
    let g = root.join("generated");
    let payload = read(g.join("payload.json"));
    let sig = String::from_utf8(read(g.join("payload.sig"))).unwrap();
    let (config, manifest) =
        cosign::tag_image(vec![Descriptor::signature_layer(&payload, sig.trim())]);
    assert_eq!(
        String::from_utf8(config).unwrap(),
        String::from_utf8(read(g.join("signature-config.json"))).unwrap()
    );
    assert_eq!(
        String::from_utf8(manifest).unwrap(),
        String::from_utf8(read(g.join("signature-manifest.json"))).unwrap()
    );
}

#[test]
fn generated_private_key_matches_its_public_key() {
    let Some(root) = corpus() else { return };
    let g = root.join("generated");
    // make-cosign-vector.sh makes a plain SEC1 key with openssl (no password).
    let key = KeyFile::parse("cosign.key", &read(g.join("cosign.key")))
        .unwrap()
        .open(None)
        .unwrap();
    let public = PublicKey::parse("cosign.pub", &read(g.join("cosign.pub"))).unwrap();
    assert_eq!(key.public_key(), public);
    let sig = palisade_sign::sign_blob(&key, b"blob").unwrap();
    palisade_sign::verify_blob(&public, b"blob", &sig).unwrap();
}

#[test]
fn sigstore_rs_keys_load_with_their_passwords() {
    let Some(root) = corpus() else { return };
    let keys = root.join("sigstore__sigstore-rs/tests/data/keys");
    let example = root.join("sigstore__sigstore-rs/examples/key_interface/key_pair_import");
    let open = |p: PathBuf, pw: &[u8]| {
        KeyFile::parse(&p.display().to_string(), &read(p.clone())).and_then(|k| k.open(Some(pw)))
    };
    // sigstore-rs's key tests use "123", its key_pair_import example "password";
    // cosign_generated_* has an empty one.
    let ecdsa = open(keys.join("ecdsa_encrypted_private.key"), b"123").unwrap();
    let plain = open(keys.join("ecdsa_private.key"), b"").unwrap();
    // Two different keys, each usable.
    for k in [&ecdsa, &plain] {
        let sig = palisade_sign::sign_blob(k, b"m").unwrap();
        palisade_sign::verify_blob(&k.public_key(), b"m", &sig).unwrap();
    }
    open(
        keys.join("cosign_generated_encrypted_empty_private.key"),
        b"",
    )
    .unwrap();
    assert!(matches!(
        open(keys.join("ecdsa_encrypted_private.key"), b"wrong"),
        Err(SignError::WrongPassword { .. })
    ));
    assert!(matches!(
        KeyFile::parse("k", &read(keys.join("ecdsa_encrypted_private.key")))
            .and_then(|k| k.open(None)),
        Err(SignError::PasswordRequired { .. })
    ));
    // Other algorithms decrypt, then are named for what they are.
    for (file, kind) in [
        ("rsa_encrypted_private.key", "RSA"),
        ("ed25519_encrypted_private.key", "Ed25519"),
        ("rsa_private.key", "RSA"),
        ("ed25519_private.key", "Ed25519"),
    ] {
        match open(keys.join(file), b"123") {
            Err(SignError::UnsupportedKey { kind: k, .. }) => assert_eq!(k, kind, "{file}"),
            other => panic!("{file}: {other:?}"),
        }
    }
    let imported = open(
        example.join("ECDSA_P256_ASN1_ENCRYPTED_PRIVATE_PEM.key"),
        b"password",
    )
    .unwrap();
    let pem_pub =
        PublicKey::parse("pub", &read(example.join("ECDSA_P256_ASN1_PUBLIC_PEM.pub"))).unwrap();
    let der_pub =
        PublicKey::parse("pub", &read(example.join("ECDSA_P256_ASN1_PUBLIC_DER.pub"))).unwrap();
    let der_key = open(example.join("ECDSA_P256_ASN1_PRIVATE_DER.key"), b"").unwrap();
    let pem_key = open(example.join("ECDSA_P256_ASN1_PRIVATE_PEM.key"), b"").unwrap();
    // The example's files are independent keys: each loads and signs what it verifies.
    for k in [&imported, &der_key, &pem_key] {
        let sig = palisade_sign::sign_blob(k, b"m").unwrap();
        palisade_sign::verify_blob(&k.public_key(), b"m", &sig).unwrap();
    }
    for p in [&pem_pub, &der_pub] {
        assert_eq!(p.spki_der().len(), 91);
    }
}

#[test]
fn conformance_managed_keys_parse_or_are_refused() {
    let Some(root) = corpus() else { return };
    let dir = root.join("sigstore__sigstore-conformance/assets/bundle-verify");
    PublicKey::parse(
        "ok",
        &read(dir.join("managed-key-and-trusted-root/key.pub")),
    )
    .unwrap();
    // Its base64 is broken on purpose ("…wrongkey==").
    assert!(matches!(
        PublicKey::parse("bad", &read(dir.join("managed-key-wrong-key_fail/key.pub"))),
        Err(SignError::MalformedKey { .. })
    ));
}
