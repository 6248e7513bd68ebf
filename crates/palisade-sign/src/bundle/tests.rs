//! Self-contained checks: a managed-key bundle built here, logged in a one-entry
//! synthetic Rekor (SET + inclusion proof + signed checkpoint) under a synthetic
//! trusted root, then mutated. Needs no corpus, so a fresh clone can fail on it.

use super::*;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sigstore_verify::crypto::KeyPair;

const ARTIFACT: &[u8] = b"palisade bundle test artifact\n";
const ORIGIN: &str = "rekor.palisade.test - 1";

struct Fixture {
    signer_pem: String,
    root: String,
    bundle: Value,
}

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

fn key() -> KeyPair {
    KeyPair::generate_ecdsa_p256().expect("key generation")
}

fn pem(k: &KeyPair) -> String {
    k.public_key_der().expect("public key").to_pem()
}

/// A signed note in Rekor's checkpoint format, signed by `rekor`.
fn checkpoint(rekor: &KeyPair, size: u64, root: &[u8; 32]) -> String {
    let body = format!("{ORIGIN}\n{size}\n{}\n", B64.encode(root));
    let der = rekor.public_key_der().expect("rekor key");
    let hint = &sha256(der.as_bytes())[..4];
    let sig = rekor.sign(body.as_bytes()).expect("sign checkpoint");
    let mut blob = hint.to_vec();
    blob.extend_from_slice(sig.as_bytes());
    format!(
        "{body}\n\u{2014} {} {}\n",
        ORIGIN.split(' ').next().unwrap_or(ORIGIN),
        B64.encode(blob)
    )
}

fn fixture() -> Fixture {
    let signer = key();
    let rekor = key();
    let rekor_der = rekor.public_key_der().expect("rekor key");
    let log_id = sha256(rekor_der.as_bytes());

    let digest = sha256(ARTIFACT);
    let signature = signer.sign(ARTIFACT).expect("sign artifact");
    let signer_pem = pem(&signer);
    // Rekor's canonical JSON: keys sorted, no spaces.
    let body = json!({
        "apiVersion": "0.0.1",
        "kind": "hashedrekord",
        "spec": {
            "data": {"hash": {"algorithm": "sha256", "value": hex::encode(digest)}},
            "signature": {
                "content": B64.encode(signature.as_bytes()),
                "publicKey": {"content": B64.encode(signer_pem.as_bytes())}
            }
        }
    })
    .to_string();
    let integrated_time = 1_700_000_000i64;
    let set_payload = format!(
        r#"{{"body":"{}","integratedTime":{integrated_time},"logID":"{}","logIndex":0}}"#,
        B64.encode(&body),
        hex::encode(log_id)
    );
    let set = rekor.sign(set_payload.as_bytes()).expect("sign SET");
    // A one-leaf tree: the root is the leaf hash and the proof is empty.
    let mut leaf = vec![0u8];
    leaf.extend_from_slice(body.as_bytes());
    let root_hash = sha256(&leaf);

    let bundle = json!({
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {
            "publicKey": {"hint": "test"},
            "tlogEntries": [{
                "logIndex": "0",
                "logId": {"keyId": B64.encode(log_id)},
                "kindVersion": {"kind": "hashedrekord", "version": "0.0.1"},
                "integratedTime": integrated_time.to_string(),
                "inclusionPromise": {"signedEntryTimestamp": B64.encode(set.as_bytes())},
                "inclusionProof": {
                    "logIndex": "0",
                    "rootHash": B64.encode(root_hash),
                    "treeSize": "1",
                    "hashes": [],
                    "checkpoint": {"envelope": checkpoint(&rekor, 1, &root_hash)}
                },
                "canonicalizedBody": B64.encode(&body)
            }]
        },
        "messageSignature": {
            "messageDigest": {"algorithm": "SHA2_256", "digest": B64.encode(digest)},
            "signature": B64.encode(signature.as_bytes())
        }
    });
    let root = json!({
        "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
        "tlogs": [{
            "baseUrl": "https://rekor.palisade.test",
            "hashAlgorithm": "SHA2_256",
            "publicKey": {
                "rawBytes": B64.encode(rekor_der.as_bytes()),
                "keyDetails": "PKIX_ECDSA_P256_SHA_256",
                "validFor": {"start": "2020-01-01T00:00:00Z"}
            },
            "logId": {"keyId": B64.encode(log_id)}
        }],
        "certificateAuthorities": [],
        "ctlogs": [],
        "timestampAuthorities": []
    })
    .to_string();
    Fixture {
        signer_pem,
        root,
        bundle,
    }
}

fn check(f: &Fixture, bundle: &Value, artifact: Artifact<'_>) -> Result<Verified, BundleError> {
    let root = TrustedRoot::from_json(&f.root)?;
    let policy = Policy::PublicKey {
        pem: f.signer_pem.clone(),
    };
    verify_bundle(artifact, &bundle.to_string(), &policy, &root)
}

/// Flip one bit of a base64 field inside the bundle.
fn flip(bundle: &mut Value, pointer: &str) {
    let field = bundle.pointer_mut(pointer).expect("field exists");
    let mut bytes = B64.decode(field.as_str().expect("string")).expect("base64");
    let last = bytes.len() - 1;
    bytes[last / 2] ^= 0x01;
    *field = Value::String(B64.encode(bytes));
}

#[test]
fn public_good_root_parses() {
    let root = TrustedRoot::public_good();
    assert!(root.is_ok(), "{root:?}");
}

#[test]
fn managed_key_bundle_verifies_by_bytes_and_digest() {
    let f = fixture();
    let v = check(&f, &f.bundle, Artifact::Bytes(ARTIFACT)).expect("verifies");
    assert_eq!(v.signer, Signer::PublicKey);
    assert_eq!(v.content, "message-signature");
    assert!(v.tlog_verified);
    assert_eq!(v.integrated_time.as_deref(), Some("2023-11-14T22:13:20Z"));
    check(&f, &f.bundle, Artifact::Sha256(sha256(ARTIFACT))).expect("verifies by digest");
}

#[test]
fn other_artifact_fails() {
    let f = fixture();
    let e = check(&f, &f.bundle, Artifact::Bytes(b"something else")).unwrap_err();
    assert!(
        matches!(
            e,
            BundleError::ArtifactMismatch(_) | BundleError::SignatureMismatch(_)
        ),
        "{e}"
    );
    let e = check(&f, &f.bundle, Artifact::Sha256([7; 32])).unwrap_err();
    assert!(
        matches!(
            e,
            BundleError::ArtifactMismatch(_) | BundleError::SignatureMismatch(_)
        ),
        "{e}"
    );
}

#[test]
fn flipped_signature_byte_fails() {
    let f = fixture();
    let mut b = f.bundle.clone();
    flip(&mut b, "/messageSignature/signature");
    let e = check(&f, &b, Artifact::Bytes(ARTIFACT)).unwrap_err();
    // The log entry still carries the original signature, so either check may trip.
    assert!(
        matches!(
            e,
            BundleError::SignatureMismatch(_) | BundleError::LogEntryMismatch(_)
        ),
        "{e}"
    );
}

#[test]
fn wrong_key_fails() {
    let f = fixture();
    let root = TrustedRoot::from_json(&f.root).expect("root");
    let policy = Policy::PublicKey { pem: pem(&key()) };
    let e = verify_bundle(
        Artifact::Bytes(ARTIFACT),
        &f.bundle.to_string(),
        &policy,
        &root,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            BundleError::SignatureMismatch(_) | BundleError::LogEntryMismatch(_)
        ),
        "{e}"
    );
}

#[test]
fn tampered_log_evidence_fails_with_its_own_reason() {
    let f = fixture();
    let entry = "/verificationMaterial/tlogEntries/0";

    let mut b = f.bundle.clone();
    flip(
        &mut b,
        &format!("{entry}/inclusionPromise/signedEntryTimestamp"),
    );
    let e = check(&f, &b, Artifact::Bytes(ARTIFACT)).unwrap_err();
    assert_eq!(e.kind(), "signed-entry-timestamp", "{e}");

    let mut b = f.bundle.clone();
    flip(&mut b, &format!("{entry}/inclusionProof/rootHash"));
    let e = check(&f, &b, Artifact::Bytes(ARTIFACT)).unwrap_err();
    assert!(
        matches!(
            e,
            BundleError::InclusionProof(_) | BundleError::Checkpoint(_)
        ),
        "{e}"
    );

    let mut b = f.bundle.clone();
    let cp = format!("{entry}/inclusionProof/checkpoint/envelope");
    let text = b
        .pointer(&cp)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    // Another tree size under the same signature: the note no longer verifies.
    *b.pointer_mut(&cp).expect("checkpoint") = Value::String(text.replacen("\n1\n", "\n2\n", 1));
    let e = check(&f, &b, Artifact::Bytes(ARTIFACT)).unwrap_err();
    assert!(
        matches!(
            e,
            BundleError::Checkpoint(_) | BundleError::InclusionProof(_)
        ),
        "{e}"
    );

    let mut b = f.bundle.clone();
    if let Some(obj) = b.pointer_mut(entry).and_then(Value::as_object_mut) {
        obj.remove("inclusionProof");
    }
    assert!(
        check(&f, &b, Artifact::Bytes(ARTIFACT)).is_err(),
        "v0.3 needs a proof"
    );
}

#[test]
fn unknown_log_fails() {
    let f = fixture();
    let other = fixture();
    let root = TrustedRoot::from_json(&other.root).expect("root");
    let policy = Policy::PublicKey {
        pem: f.signer_pem.clone(),
    };
    let e = verify_bundle(
        Artifact::Bytes(ARTIFACT),
        &f.bundle.to_string(),
        &policy,
        &root,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            BundleError::UnknownLog(_)
                | BundleError::InclusionPromise(_)
                | BundleError::Checkpoint(_)
        ),
        "{e}"
    );
}

#[test]
fn malformed_inputs_fail_without_panicking() {
    let f = fixture();
    let root = TrustedRoot::from_json(&f.root).expect("root");
    let policy = Policy::PublicKey {
        pem: f.signer_pem.clone(),
    };
    let bad = [
        "",
        "{",
        "null",
        "[]",
        r#"{"mediaType":"application/vnd.dev.sigstore.bundle.v9+json"}"#,
        &"[".repeat(100_000),
    ];
    for text in bad {
        let e = verify_bundle(Artifact::Bytes(ARTIFACT), text, &policy, &root).unwrap_err();
        assert_eq!(e.kind(), "malformed-bundle", "{e}");
    }
    // Every field dropped in turn still fails closed.
    let paths = [
        "/verificationMaterial",
        "/messageSignature",
        "/verificationMaterial/tlogEntries/0/canonicalizedBody",
        "/verificationMaterial/tlogEntries/0/logId",
    ];
    for p in paths {
        let mut b = f.bundle.clone();
        let (parent, key) = p.rsplit_once('/').expect("pointer");
        if let Some(obj) = b.pointer_mut(parent).and_then(Value::as_object_mut) {
            obj.remove(key);
        }
        assert!(check(&f, &b, Artifact::Bytes(ARTIFACT)).is_err(), "{p}");
    }
    let e = verify_bundle(
        Artifact::Bytes(ARTIFACT),
        &f.bundle.to_string(),
        &Policy::PublicKey {
            pem: "not a key".into(),
        },
        &root,
    )
    .unwrap_err();
    assert_eq!(e.kind(), "public-key", "{e}");
    assert_eq!(
        TrustedRoot::from_json("{}").unwrap_err().kind(),
        "trusted-root"
    );
}

#[test]
fn keyless_policy_on_managed_key_bundle_fails() {
    let f = fixture();
    let root = TrustedRoot::from_json(&f.root).expect("root");
    let policy = Policy::Keyless {
        identity: "someone@example.com".into(),
        issuer: "https://accounts.example.com".into(),
    };
    assert!(verify_bundle(
        Artifact::Bytes(ARTIFACT),
        &f.bundle.to_string(),
        &policy,
        &root
    )
    .is_err());
}

#[test]
fn digest_argument_parsing() {
    let hex64 = "ab".repeat(32);
    assert_eq!(
        Artifact::parse_digest(&format!("sha256:{hex64}")),
        Some([0xab; 32])
    );
    assert_eq!(Artifact::parse_digest(&hex64), None);
    assert_eq!(Artifact::parse_digest("sha256:abc"), None);
    assert_eq!(
        Artifact::parse_digest(&format!("sha256:{}", "zz".repeat(32))),
        None
    );
    assert_eq!(Artifact::parse_digest(&format!("sha512:{hex64}")), None);
}

fn leaves(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| leaves(v, format!("{at}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| leaves(v, format!("{at}/{i}"), out)),
        _ => out.push(at),
    }
}

#[test]
fn every_field_mutated_fails_closed() {
    let f = fixture();
    let mut paths = Vec::new();
    leaves(&f.bundle, String::new(), &mut paths);
    // The key hint is advisory: the key itself comes from the policy.
    paths.retain(|p| p != "/verificationMaterial/publicKey/hint");
    assert!(paths.len() >= 15, "{paths:?}");
    let junk = [
        json!(""),
        json!("AAAA"),
        json!("-1"),
        json!("18446744073709551616"),
        json!(null),
        json!(7),
        json!({}),
    ];
    for p in &paths {
        for j in &junk {
            let mut b = f.bundle.clone();
            *b.pointer_mut(p).expect("leaf") = j.clone();
            let r = check(&f, &b, Artifact::Bytes(ARTIFACT));
            assert!(r.is_err(), "{p} = {j} verified");
        }
    }
}

#[test]
fn truncated_bundles_fail_closed() {
    let f = fixture();
    let text = f.bundle.to_string();
    let root = TrustedRoot::from_json(&f.root).expect("root");
    let policy = Policy::PublicKey {
        pem: f.signer_pem.clone(),
    };
    for end in (0..text.len()).step_by(7) {
        let Some(part) = text.get(..end) else {
            continue;
        };
        assert!(verify_bundle(Artifact::Bytes(ARTIFACT), part, &policy, &root).is_err());
    }
}

#[test]
fn v0_1_proof_without_checkpoint_is_ignored_and_the_set_decides() {
    let f = fixture();
    let mut b = f.bundle.clone();
    b["mediaType"] = json!("application/vnd.dev.sigstore.bundle+json;version=0.1");
    let proof = "/verificationMaterial/tlogEntries/0/inclusionProof";
    if let Some(p) = b.pointer_mut(proof).and_then(Value::as_object_mut) {
        p.remove("checkpoint");
    }
    check(&f, &b, Artifact::Bytes(ARTIFACT)).expect("v0.1 verifies on its SET");

    // Without the SET nothing binds the entry: refused.
    let mut no_set = b.clone();
    if let Some(e) = no_set
        .pointer_mut("/verificationMaterial/tlogEntries/0")
        .and_then(Value::as_object_mut)
    {
        e.remove("inclusionPromise");
    }
    assert!(check(&f, &no_set, Artifact::Bytes(ARTIFACT)).is_err());

    // From v0.2 on a proof must carry its checkpoint.
    b["mediaType"] = json!("application/vnd.dev.sigstore.bundle+json;version=0.2");
    let e = check(&f, &b, Artifact::Bytes(ARTIFACT)).unwrap_err();
    assert_eq!(e.kind(), "checkpoint", "{e}");
}

#[test]
fn reader_input_verifies_in_constant_memory_and_fails_on_other_bytes() {
    let f = fixture();
    let root = TrustedRoot::from_json(&f.root).expect("root");
    let policy = Policy::PublicKey {
        pem: f.signer_pem.clone(),
    };
    let bundle = f.bundle.to_string();
    verify_bundle_reader(ARTIFACT, &bundle, &policy, &root).expect("verifies from a reader");
    let e = verify_bundle_reader(&b"other bytes"[..], &bundle, &policy, &root).unwrap_err();
    assert!(
        matches!(
            e,
            BundleError::ArtifactMismatch(_) | BundleError::SignatureMismatch(_)
        ),
        "{e}"
    );
}

/// Real bundles of the conformance corpus, each mutated a few hundred times (bytes
/// flipped, dropped, duplicated): every outcome is a verdict, never a panic.
#[test]
fn corpus_bundles_mutated_never_panic() {
    let dir = std::path::Path::new(
        "/work/shared/corpus/cosign/sigstore__sigstore-conformance/assets/bundle-verify",
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("SKIPPED: {} is absent", dir.display());
        return;
    };
    let root = TrustedRoot::public_good().expect("root");
    let policy = Policy::Keyless {
        identity: "x".into(),
        issuer: "y".into(),
    };
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut runs = 0;
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read(entry.path().join("bundle.sigstore.json")) else {
            continue;
        };
        for _ in 0..200 {
            let mut bytes = text.clone();
            let at = (next() as usize) % bytes.len().max(1);
            match next() % 3 {
                0 => bytes[at] ^= 1 << (next() % 8),
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, bytes[at]),
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = verify_bundle(Artifact::Bytes(ARTIFACT), &text, &policy, &root);
            runs += 1;
        }
    }
    assert!(runs > 0);
}
