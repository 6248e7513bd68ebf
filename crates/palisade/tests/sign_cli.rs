//! Cosign-compatible signing through a real registry (Debian's `docker-registry` on
//! 127.0.0.1, the demo image pushed with skopeo): sign, verify, the negative cases with
//! their one-line reasons and exit 1, attestations of Palisade's own CycloneDX SBOM, the
//! OCI 1.1 referrer mode, and `image --require-signature`. Offline parts (keys, blobs,
//! provenance) run without the registry.

mod common;

use common::*;
use palisade_testkit::registry;
use std::path::Path;
use std::process::Command;

fn tools_present() -> bool {
    registry::tools_present(&["docker-registry", "skopeo"])
}

fn start() -> registry::Registry {
    registry::start(None)
}

fn skopeo(args: &[&str]) {
    let st = Command::new("skopeo").args(args).status().unwrap();
    assert!(st.success(), "skopeo {args:?} failed");
}

/// Pushes the demo image; `docker` pushes it as a Docker v2 manifest, another digest.
fn push(port: u16, repo: &str, docker: bool) {
    let src = format!("oci:{}:demo", demo_image());
    let dst = format!("docker://127.0.0.1:{port}/{repo}");
    let mut args = vec!["copy", "--quiet", "--dest-tls-verify=false"];
    if docker {
        args.extend(["--format", "v2s2"]);
    }
    args.extend([src.as_str(), dst.as_str()]);
    skopeo(&args);
}

fn keygen(dir: &Path, prefix: &str) {
    palisade()
        .current_dir(dir)
        .env("COSIGN_PASSWORD", "s3cret")
        .args(["generate-key-pair", "--output-key-prefix", prefix])
        .assert()
        .success();
}

/// Runs palisade in `dir` with the key password; (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = palisade()
        .current_dir(dir)
        .env("COSIGN_PASSWORD", "s3cret")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn failed_with(r: (i32, String, String), reason: &str) {
    assert_eq!(r.0, 1, "expected exit 1 ({reason}); stderr: {}", r.2);
    let lines: Vec<&str> = r.2.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {}", r.2);
    assert!(
        lines[0].starts_with("palisade: verification failed: ") && lines[0].contains(reason),
        "{reason:?} not in {:?}",
        lines[0]
    );
}

fn digest_of(port: u16, repo_tag: &str) -> String {
    let out = Command::new("skopeo")
        .args(["inspect", "--tls-verify=false", "--raw"])
        .arg(format!("docker://127.0.0.1:{port}/{repo_tag}"))
        .output()
        .unwrap();
    assert!(out.status.success());
    use sha2::Digest;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(&out.stdout)))
}

#[test]
fn sign_verify_attest_and_gate_through_a_registry() {
    if !tools_present() {
        return;
    }
    let reg = start();
    let port = reg.port;
    push(port, "team/demo:1", false);
    push(port, "team/demo:docker", true);
    let work = tempfile::tempdir().unwrap();
    let d = work.path();
    keygen(d, "cosign");
    keygen(d, "other");
    let signed = format!("127.0.0.1:{port}/team/demo:1");
    let unsigned = format!("127.0.0.1:{port}/team/demo:docker");
    let digest = digest_of(port, "team/demo:1");

    // Unsigned: refused, and the gate does not scan it.
    failed_with(
        run(d, &["verify", "--key", "cosign.pub", "--insecure", &signed]),
        "no signature for",
    );
    let (code, stdout, stderr) = run(
        d,
        &[
            "image",
            "--require-signature",
            "--key",
            "cosign.pub",
            "--insecure",
            "-q",
            &signed,
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "nothing scanned: {stdout}");
    assert!(stderr.contains("no signature for"), "{stderr}");

    let (code, _, stderr) = run(
        d,
        &[
            "sign",
            "--key",
            "cosign.key",
            "--insecure",
            "--tlog-upload=false",
            "-a",
            "team=core",
            "--output-signature",
            "sig.b64",
            "--output-payload",
            "payload.json",
            &signed,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let payload = std::fs::read_to_string(d.join("payload.json")).unwrap();
    assert_eq!(
        payload,
        format!(
            r#"{{"critical":{{"identity":{{"docker-reference":"127.0.0.1:{port}/team/demo"}},"image":{{"docker-manifest-digest":"{digest}"}},"type":"cosign container image signature"}},"optional":{{"team":"core"}}}}"#
        )
    );
    // The pushed signature is what the payload file and signature say, under cosign's tag.
    let (code, stdout, stderr) = run(d, &["verify", "--key", "cosign.pub", "--insecure", &signed]);
    assert_eq!(code, 0, "{stderr}");
    let verified: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        verified[0]["critical"]["image"]["docker-manifest-digest"],
        digest.as_str()
    );
    assert_eq!(verified[0]["optional"]["team"], "core");
    let (code, _, stderr) = run(
        d,
        &[
            "verify-blob",
            "--key",
            "cosign.pub",
            "--signature",
            "sig.b64",
            "payload.json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");

    // Annotations asked of the verified signature (`-a`), as cosign verify does.
    let ok = run(
        d,
        &[
            "verify",
            "--key",
            "cosign.pub",
            "-a",
            "team=core",
            "--insecure",
            &signed,
        ],
    );
    assert_eq!(ok.0, 0, "{}", ok.2);
    failed_with(
        run(
            d,
            &[
                "verify",
                "--key",
                "cosign.pub",
                "-a",
                "team=web",
                "--insecure",
                &signed,
            ],
        ),
        r#"annotation "team" is "core", not "web""#,
    );
    // Wrong key: a distinct reason.
    failed_with(
        run(d, &["verify", "--key", "other.pub", "--insecure", &signed]),
        "signature does not verify with the given key",
    );
    // Keys are tried in turn: one that fails before the one that signed still passes.
    let either = run(
        d,
        &[
            "verify",
            "--key",
            "other.pub",
            "--key",
            "cosign.pub",
            "--insecure",
            &signed,
        ],
    );
    assert_eq!(either.0, 0, "{}", either.2);
    // A second signature is appended, the first kept: either key verifies.
    assert_eq!(
        run(d, &["sign", "--key", "other.key", "--insecure", &signed]).0,
        0
    );
    assert_eq!(
        run(d, &["verify", "--key", "other.pub", "--insecure", &signed]).0,
        0
    );
    assert_eq!(
        run(d, &["verify", "--key", "cosign.pub", "--insecure", &signed]).0,
        0
    );

    // A signature moved onto another image's tag names the other digest.
    let sig_tag = format!("{}.sig", digest.replacen(':', "-", 1));
    let other_tag = format!(
        "{}.sig",
        digest_of(port, "team/demo:docker").replacen(':', "-", 1)
    );
    skopeo(&[
        "copy",
        "--quiet",
        "--src-tls-verify=false",
        "--dest-tls-verify=false",
        &format!("docker://127.0.0.1:{port}/team/demo:{sig_tag}"),
        &format!("docker://127.0.0.1:{port}/team/demo:{other_tag}"),
    ]);
    failed_with(
        run(
            d,
            &["verify", "--key", "cosign.pub", "--insecure", &unsigned],
        ),
        &format!("the signature is for {digest}"),
    );

    // The gate scans the signed image, by the digest that verified.
    let (code, stdout, stderr) = run(
        d,
        &[
            "image",
            "--require-signature",
            "--key",
            "cosign.pub",
            "--insecure",
            "-f",
            "json",
            &signed,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(&format!("@{digest}")), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(packages(&report, "deb").len(), 8);

    // Attest Palisade's own CycloneDX SBOM, then verify it by type.
    let (code, sbom, stderr) = run(
        d,
        &["image", "--insecure", "-q", "-f", "cyclonedx", &signed],
    );
    assert_eq!(code, 0, "{stderr}");
    std::fs::write(d.join("sbom.cdx.json"), &sbom).unwrap();
    let (code, _, stderr) = run(
        d,
        &[
            "attest",
            "--key",
            "cosign.key",
            "--type",
            "cyclonedx",
            "--predicate",
            "sbom.cdx.json",
            "--insecure",
            &signed,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(
        d,
        &[
            "verify-attestation",
            "--key",
            "cosign.pub",
            "--type",
            "cyclonedx",
            "--insecure",
            &signed,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let statement: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    assert_eq!(statement["predicateType"], "https://cyclonedx.org/bom");
    assert_eq!(statement["subject"][0]["digest"]["sha256"], &digest[7..]);
    let original: serde_json::Value = serde_json::from_str(&sbom).unwrap();
    assert_eq!(statement["predicate"], original);
    failed_with(
        run(
            d,
            &[
                "verify-attestation",
                "--key",
                "cosign.pub",
                "--type",
                "spdxjson",
                "--insecure",
                &signed,
            ],
        ),
        "predicate type is https://cyclonedx.org/bom, not https://spdx.dev/Document",
    );
    failed_with(
        run(
            d,
            &[
                "verify-attestation",
                "--key",
                "other.pub",
                "--insecure",
                &signed,
            ],
        ),
        "signature does not verify",
    );
    failed_with(
        run(
            d,
            &[
                "verify-attestation",
                "--key",
                "cosign.pub",
                "--insecure",
                &unsigned,
            ],
        ),
        "no attestation for",
    );

    // cosign's generic type wraps any text.
    std::fs::write(d.join("notes.txt"), "reviewed by alice\n").unwrap();
    let (code, _, stderr) = run(
        d,
        &[
            "attest",
            "--key",
            "cosign.key",
            "--predicate",
            "notes.txt",
            "--insecure",
            &signed,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(
        d,
        &[
            "verify-attestation",
            "--key",
            "cosign.pub",
            "--type",
            "custom",
            "--insecure",
            &signed,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let custom: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(
        custom["predicateType"],
        "https://cosign.sigstore.dev/attestation/v1"
    );
    assert_eq!(custom["predicate"]["Data"], "reviewed by alice\n");

    // SLSA provenance: attested, then checked against the builder and source expected.
    let (code, _, stderr) = run(
        d,
        &[
            "provenance",
            "--no-ci-env",
            "--builder-id",
            "https://ci.example/builder",
            "--source-repo",
            "https://git.example/acme/app",
            "--source-commit",
            "abc123",
            "--material",
            &format!("127.0.0.1:{port}/team/base@{digest}"),
            "-o",
            "prov.json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(
        d,
        &[
            "attest",
            "--key",
            "cosign.key",
            "--type",
            "slsaprovenance1",
            "--predicate",
            "prov.json",
            "--insecure",
            &signed,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(
        d,
        &[
            "verify-attestation",
            "--key",
            "cosign.pub",
            "--type",
            "slsaprovenance1",
            "--builder-id",
            "https://ci.example/builder",
            "--source-repo",
            "https://git.example/acme/app.git",
            "--source-commit",
            "abc123",
            "--insecure",
            &signed,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("https://slsa.dev/provenance/v1"));
    failed_with(
        run(
            d,
            &[
                "verify-attestation",
                "--key",
                "cosign.pub",
                "--type",
                "slsaprovenance1",
                "--builder-id",
                "https://evil.example",
                "--insecure",
                &signed,
            ],
        ),
        "provenance builder is",
    );
    failed_with(
        run(
            d,
            &[
                "verify-attestation",
                "--key",
                "cosign.pub",
                "--type",
                "slsaprovenance1",
                "--source-repo",
                "https://git.example/acme/other",
                "--insecure",
                &signed,
            ],
        ),
        "provenance source is",
    );

    // OCI 1.1 referrer mode: the registry lacks the API, so the fallback index is written.
    let (code, _, stderr) = run(
        d,
        &[
            "sign",
            "--key",
            "other.key",
            "--registry-referrers-mode",
            "oci-1-1",
            "--insecure",
            &unsigned,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(
        d,
        &["verify", "--key", "other.pub", "--insecure", &unsigned],
    );
    assert_eq!(code, 0, "{stderr}");

    // A tool error is exit 2, not a verdict.
    let (code, _, stderr) = run(
        d,
        &["verify", "--key", "missing.pub", "--insecure", &signed],
    );
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn blobs_keys_and_provenance_offline() {
    let work = tempfile::tempdir().unwrap();
    let d = work.path();
    keygen(d, "cosign");
    keygen(d, "other");
    std::fs::write(d.join("file.txt"), b"release artifact\n").unwrap();
    let (code, sig, stderr) = run(d, &["sign-blob", "--key", "cosign.key", "file.txt"]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::write(d.join("file.sig"), &sig).unwrap();
    let ok = run(
        d,
        &[
            "verify-blob",
            "--key",
            "cosign.pub",
            "--signature",
            "file.sig",
            "file.txt",
        ],
    );
    assert_eq!(ok.0, 0, "{}", ok.2);
    failed_with(
        run(
            d,
            &[
                "verify-blob",
                "--key",
                "other.pub",
                "--signature",
                "file.sig",
                "file.txt",
            ],
        ),
        "signature does not verify with the given key",
    );
    std::fs::write(d.join("file.txt"), b"release artifacT\n").unwrap();
    failed_with(
        run(
            d,
            &[
                "verify-blob",
                "--key",
                "cosign.pub",
                "--signature",
                "file.sig",
                "file.txt",
            ],
        ),
        "signature does not verify",
    );
    std::fs::write(d.join("bad.sig"), b"not base64!").unwrap();
    failed_with(
        run(
            d,
            &[
                "verify-blob",
                "--key",
                "cosign.pub",
                "--signature",
                "bad.sig",
                "file.txt",
            ],
        ),
        "malformed signature",
    );
    // The wrong password, a missing one, an existing key file: tool errors (2).
    let out = palisade()
        .current_dir(d)
        .env("COSIGN_PASSWORD", "nope")
        .args(["sign-blob", "--key", "cosign.key", "file.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong password"));
    let out = palisade()
        .current_dir(d)
        .env_remove("COSIGN_PASSWORD")
        .args(["sign-blob", "--key", "cosign.key", "file.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("COSIGN_PASSWORD"));
    assert_eq!(run(d, &["generate-key-pair"]).0, 2, "cosign.key exists");
    // The gate needs a registry reference and a key; a key alone asks for nothing.
    let demo = demo_image();
    let (code, _, stderr) = run(
        d,
        &[
            "image",
            "--input",
            &demo,
            "--require-signature",
            "--key",
            "cosign.pub",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        run(d, &["image", "--input", &demo, "--key", "cosign.pub"]).0,
        2
    );
    // A private key where the public key belongs is named as such.
    let (code, _, stderr) = run(
        d,
        &[
            "verify-blob",
            "--key",
            "cosign.key",
            "--signature",
            "file.sig",
            "file.txt",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("a private key where the public key"),
        "{stderr}"
    );

    // Provenance from GitHub Actions variables.
    let out = palisade()
        .current_dir(d)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_REPOSITORY", "acme/app")
        .env("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
        .env("GITHUB_REF", "refs/heads/main")
        .env("GITHUB_RUN_ID", "7")
        .env_remove("GITLAB_CI")
        .args(["provenance", "--material", "docker.io/library/debian@sha256:0000000000000000000000000000000000000000000000000000000000000000"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        p["runDetails"]["builder"]["id"],
        "https://github.com/actions/runner/github-hosted"
    );
    assert_eq!(
        p["buildDefinition"]["resolvedDependencies"][0]["digest"]["gitCommit"],
        "0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(
        p["buildDefinition"]["resolvedDependencies"][1]["uri"],
        "docker.io/library/debian"
    );
    let none = palisade()
        .current_dir(d)
        .args(["provenance", "--no-ci-env"])
        .output()
        .unwrap();
    assert_eq!(
        none.status.code(),
        Some(2),
        "no builder id is a usage error"
    );
}
