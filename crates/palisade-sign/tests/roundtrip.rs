//! Keys made here, written as cosign writes them, read back, and used end to end.

use palisade_sign::intoto::{self, Statement};
use palisade_sign::{provenance, KeyFile, PublicKey, SignError, SigningKey};

#[test]
fn generated_key_pair_round_trips_through_cosign_pem() {
    let key = SigningKey::generate().unwrap();
    let pem = key.to_encrypted_pem(b"s3cret").unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"));
    assert!(pem.lines().all(|l| l.len() <= 64));
    let public_pem = key.public_key().to_pem();
    assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    let back = KeyFile::parse("cosign.key", pem.as_bytes())
        .unwrap()
        .open(Some(b"s3cret"))
        .unwrap();
    let public = PublicKey::parse("cosign.pub", public_pem.as_bytes()).unwrap();
    assert_eq!(back.public_key(), public);
    let sig = palisade_sign::sign_blob(&back, b"artifact").unwrap();
    palisade_sign::verify_blob(&public, b"artifact", &sig).unwrap();
    assert!(matches!(
        palisade_sign::verify_blob(&public, b"artifacT", &sig),
        Err(SignError::BadSignature { .. })
    ));
    // An empty password is cosign's "no password" and still encrypts.
    let empty = key.to_encrypted_pem(b"").unwrap();
    KeyFile::parse("k", empty.as_bytes())
        .unwrap()
        .open(Some(b""))
        .unwrap();
}

#[test]
fn malformed_inputs_have_their_own_reasons() {
    assert!(matches!(
        PublicKey::parse(
            "k",
            b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
        ),
        Err(SignError::MalformedKey { .. })
    ));
    let key = SigningKey::generate().unwrap();
    let private_pem = key.to_encrypted_pem(b"").unwrap();
    match PublicKey::parse("k", private_pem.as_bytes()) {
        Err(SignError::MalformedKey { message, .. }) => assert!(message.contains("private key")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        KeyFile::parse("k", b"garbage"),
        Err(SignError::MalformedKey { .. })
    ));
    let public = key.public_key();
    for (sig, want) in [
        ("", "malformed"),
        ("!!!", "malformed"),
        ("AAAA", "malformed"),
    ] {
        let e = palisade_sign::verify_blob(&public, b"x", sig).unwrap_err();
        assert!(
            matches!(e, SignError::MalformedSignature { .. }),
            "{sig}: {e} ({want})"
        );
    }
}

#[test]
fn provenance_attestation_end_to_end() {
    let key = SigningKey::generate().unwrap();
    let digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    let build = provenance::Build {
        builder_id: Some("https://ci.example/builder".into()),
        source_repo: Some("https://git.example/acme/app".into()),
        source_commit: Some("abc123".into()),
        materials: vec![provenance::Material::parse(
            "docker.io/library/debian@sha256:3333333333333333333333333333333333333333333333333333333333333333",
        )],
        ..Default::default()
    };
    let st = Statement::for_image(
        "r.example/app",
        digest,
        &intoto::predicate_type("slsaprovenance1").unwrap(),
        build.predicate().unwrap(),
    )
    .unwrap();
    let env = st.sign(&key).unwrap().to_bytes();
    let got = intoto::verify_attestation(
        &key.public_key(),
        &env,
        digest,
        Some(provenance::PREDICATE_TYPE),
    )
    .unwrap();
    provenance::check(
        &got.predicate,
        &provenance::Expectations {
            builder_id: Some("https://ci.example/builder".into()),
            source_repo: Some("git+https://git.example/acme/app.git".into()),
            source_commit: Some("abc123".into()),
        },
    )
    .unwrap();
}
