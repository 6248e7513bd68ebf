//! `palisade verify-bundle` through the binary: the Sigstore conformance cases of the
//! shared corpus (`/work/shared/corpus/cosign/sigstore__sigstore-conformance/assets/
//! bundle-verify`, each run with the artifact's path and with its digest, as the
//! conformance suite does), the sigstore-rs and cosign bundles with their known signers,
//! and exit codes that need no corpus. Corpus parts print SKIPPED when it is absent.

mod common;

use common::*;
use std::path::{Path, PathBuf};

const CORPUS: &str = "/work/shared/corpus/cosign";
const IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

fn corpus(rel: &str) -> Option<PathBuf> {
    let p = Path::new(CORPUS).join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} is absent", p.display());
        None
    }
}

fn sha256_arg(path: &Path) -> String {
    use sha2::Digest;
    let bytes = std::fs::read(path).expect("artifact");
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

/// Arguments for one case directory, in the conformance protocol's order.
fn case_args(dir: &Path, digest: bool) -> Vec<String> {
    let text = |name: &str, default: &str| {
        std::fs::read_to_string(dir.join(name))
            .map_or(default.to_string(), |s| s.trim().to_string())
    };
    let mut args = vec!["verify-bundle".to_string(), "--bundle".into()];
    args.push(dir.join("bundle.sigstore.json").display().to_string());
    if dir.join("key.pub").exists() {
        args.push("--key".into());
        args.push(dir.join("key.pub").display().to_string());
    } else {
        args.push("--certificate-identity".into());
        args.push(text("identity", IDENTITY));
        args.push("--certificate-oidc-issuer".into());
        args.push(text("issuer", ISSUER));
    }
    if dir.join("trusted_root.json").exists() {
        args.push("--trusted-root".into());
        args.push(dir.join("trusted_root.json").display().to_string());
    }
    let artifact = if dir.join("artifact").exists() {
        dir.join("artifact")
    } else {
        dir.parent().expect("parent").join("a.txt")
    };
    args.push(if digest {
        sha256_arg(&artifact)
    } else {
        artifact.display().to_string()
    });
    args
}

fn run(args: &[String]) -> (i32, String) {
    let out = palisade().args(args).output().expect("run palisade");
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
    (out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn conformance_cases_give_the_expected_verdict() {
    let Some(root) = corpus("sigstore__sigstore-conformance/assets/bundle-verify") else {
        return;
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("cases")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 24, "the corpus has 24 case directories");
    let mut misses = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let want = if name.ends_with("_fail") { 1 } else { 0 };
        for digest in [false, true] {
            let (code, stderr) = run(&case_args(dir, digest));
            let one_line = stderr.lines().count() <= 1;
            if code != want || (want == 1 && !(one_line && stderr.contains("verification failed")))
            {
                misses.push(format!("{name} digest={digest}: exit {code}: {stderr}"));
            }
        }
    }
    assert!(misses.is_empty(), "misses:\n{}", misses.join("\n"));
}

/// The conformance case ships a root in the bundle's chain but also fails for other
/// reasons (another identity); with those removed the root alone must still be refused.
#[test]
fn a_bundle_shipping_its_root_certificate_is_refused() {
    let Some(dir) =
        corpus("sigstore__sigstore-conformance/assets/bundle-verify/bundle-with-root-cert_fail")
    else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("bundle.sigstore.json")).expect("bundle");
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    if let Some(e) = doc
        .pointer_mut("/verificationMaterial/tlogEntries/0")
        .and_then(serde_json::Value::as_object_mut)
    {
        e.remove("inclusionProof");
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let bundle = tmp.path().join("b.json");
    std::fs::write(&bundle, doc.to_string()).expect("write");
    let out = palisade()
        .args(["verify-bundle", "--bundle"])
        .arg(&bundle)
        .args(["--certificate-identity", "a@tny.town"])
        .args([
            "--certificate-oidc-issuer",
            "https://github.com/login/oauth",
        ])
        .arg(dir.join("artifact"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("self-issued root certificate"), "{stderr}");
}

#[test]
fn sigstore_rs_and_cosign_bundles_give_the_expected_verdict() {
    let (Some(rs), Some(cos)) = (
        corpus("sigstore__sigstore-rs/tests/data/bundle_v03.json"),
        corpus("sigstore__cosign/pkg/cosign/testdata/oci-attestation.sigstore.json"),
    ) else {
        return;
    };
    let cos_root =
        Path::new(CORPUS).join("sigstore__cosign/pkg/cosign/testdata/trusted_root_pgi.json");
    let rs_root = Path::new(CORPUS).join("sigstore__sigstore-rs/trust_root/prod/trusted_root.json");
    let rs_id = "https://github.com/kubewarden/kubewarden-controller/.github/workflows/release.yml@refs/tags/v1.34.0";
    let rs_digest = "sha256:c811d58de79c92f03214e63aa339484e488d694ae8a6283b5f3f17a9faf50172";
    let cos_digest = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
    let other = format!("sha256:{}", "0".repeat(64));
    let args = |bundle: &Path, id: &str, iss: &str, root: Option<&Path>, art: &str| {
        let mut a = vec![
            "verify-bundle".to_string(),
            "--bundle".into(),
            bundle.display().to_string(),
            "--certificate-identity".into(),
            id.into(),
            "--certificate-oidc-issuer".into(),
            iss.into(),
        ];
        if let Some(r) = root {
            a.push("--trusted-root".into());
            a.push(r.display().to_string());
        }
        a.push(art.into());
        a
    };
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (args(&rs, rs_id, ISSUER, None, rs_digest), 0, ""),
        // sigstore-rs's older root has no timestamp authority for the bundle's RFC 3161
        // timestamp; sigstore-python refuses it the same way.
        (
            args(&rs, rs_id, ISSUER, Some(&rs_root), rs_digest),
            1,
            "bad RFC 3161 timestamp",
        ),
        (
            args(&rs, rs_id, ISSUER, None, &other),
            1,
            "artifact mismatch",
        ),
        (
            args(&rs, "https://evil.example/x", ISSUER, None, rs_digest),
            1,
            "identity mismatch",
        ),
        (
            args(&rs, rs_id, "https://accounts.google.com", None, rs_digest),
            1,
            "issuer mismatch",
        ),
        (
            args(
                &cos,
                "cody@soyland.com",
                "https://github.com/login/oauth",
                Some(&cos_root),
                cos_digest,
            ),
            0,
            "",
        ),
        (
            args(
                &cos,
                "cody@soyland.com",
                "https://github.com/login/oauth",
                None,
                cos_digest,
            ),
            0,
            "",
        ),
        (
            args(
                &cos,
                "cody@soyland.com",
                "https://github.com/login/oauth",
                Some(&cos_root),
                &other,
            ),
            1,
            "artifact mismatch",
        ),
        (
            args(
                &cos,
                "eve@example.com",
                "https://github.com/login/oauth",
                Some(&cos_root),
                cos_digest,
            ),
            1,
            "identity mismatch",
        ),
    ];
    for (a, want, reason) in cases {
        let (code, stderr) = run(&a);
        assert_eq!(code, want, "{a:?}: {stderr}");
        assert!(stderr.contains(reason), "{a:?}: {stderr}");
    }
}

#[test]
fn json_output_names_what_was_verified() {
    let Some(rs) = corpus("sigstore__sigstore-rs/tests/data/bundle_v03.json") else {
        return;
    };
    let out = palisade()
        .args(["verify-bundle", "--json", "--bundle"])
        .arg(&rs)
        .args([
            "--certificate-identity",
            "https://github.com/kubewarden/kubewarden-controller/.github/workflows/release.yml@refs/tags/v1.34.0",
            "--certificate-oidc-issuer",
            ISSUER,
            "sha256:c811d58de79c92f03214e63aa339484e488d694ae8a6283b5f3f17a9faf50172",
        ])
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(v["verified"], true);
    assert_eq!(v["content"], "dsse");
    assert_eq!(v["signer"]["kind"], "certificate");
    assert_eq!(v["signer"]["issuer"], ISSUER);
    assert_eq!(v["certificate_chain_verified"], true);
    assert_eq!(v["sct_verified"], true);
    assert_eq!(v["tlog_verified"], true);
}

#[test]
fn malformed_bundle_is_a_verification_failure_and_bad_inputs_a_tool_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("b.sigstore.json");
    let artifact = dir.path().join("a.txt");
    std::fs::write(&artifact, "hello\n").expect("write");
    for text in ["{", "{}", "not json", "\u{0}\u{1}"] {
        std::fs::write(&bundle, text).expect("write");
        let out = palisade()
            .args(["verify-bundle", "--bundle"])
            .arg(&bundle)
            .args([
                "--certificate-identity",
                "a",
                "--certificate-oidc-issuer",
                "b",
            ])
            .arg(&artifact)
            .assert()
            .code(1);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(stderr.contains("malformed bundle"), "{text:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    }
    std::fs::write(&bundle, [0xff, 0xfe, 0x00]).expect("write");
    palisade()
        .args(["verify-bundle", "--bundle"])
        .arg(&bundle)
        .args([
            "--certificate-identity",
            "a",
            "--certificate-oidc-issuer",
            "b",
        ])
        .arg(&artifact)
        .assert()
        .code(1);
    // Missing bundle file, missing artifact, and no identity/key at all: tool errors.
    palisade()
        .args(["verify-bundle", "--bundle", "/nonexistent/b.json"])
        .args([
            "--certificate-identity",
            "a",
            "--certificate-oidc-issuer",
            "b",
        ])
        .arg(&artifact)
        .assert()
        .code(2);
    std::fs::write(&bundle, "{}").expect("write");
    palisade()
        .args(["verify-bundle", "--bundle"])
        .arg(&bundle)
        .args([
            "--certificate-identity",
            "a",
            "--certificate-oidc-issuer",
            "b",
        ])
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(2);
    palisade()
        .args(["verify-bundle", "--bundle"])
        .arg(&bundle)
        .arg(&artifact)
        .assert()
        .code(2);
    palisade()
        .args(["verify-bundle", "--bundle"])
        .arg(&bundle)
        .args(["--certificate-identity", "a"])
        .arg(&artifact)
        .assert()
        .code(2);
}
