#![allow(dead_code)]
use assert_cmd::Command;
use std::path::PathBuf;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn demo_image() -> String {
    repo_root()
        .join("examples/demo-image-oci")
        .display()
        .to_string()
}

pub fn palisade() -> Command {
    let mut c = Command::cargo_bin("palisade").expect("palisade binary");
    // A private cache dir: the embedded database is materialised there on first use.
    c.env("NO_COLOR", "1")
        .env_remove("PALISADE_DB")
        .env("XDG_CACHE_HOME", repo_root().join("target/test-cache"));
    c
}

pub fn json_of(args: &[&str]) -> serde_json::Value {
    let out = palisade().args(args).output().expect("run palisade");
    assert!(
        out.status.success(),
        "palisade {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// `name@version` of every package of one ecosystem in a JSON report.
pub fn packages(report: &serde_json::Value, ecosystem: &str) -> Vec<String> {
    let mut v: Vec<String> = report["results"][0]["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["ecosystem"] == ecosystem)
        .map(|p| {
            format!(
                "{}@{}",
                p["name"].as_str().unwrap_or(""),
                p["version"].as_str().unwrap_or("")
            )
        })
        .collect();
    v.sort();
    v
}

/// An OCI layout with one uncompressed layer holding `files`, and `config` merged into the
/// image configuration (Env, Labels, history, …).
pub fn oci_layout(
    root: &std::path::Path,
    files: &[(&str, &[u8])],
    config: serde_json::Value,
) -> PathBuf {
    use sha2::{Digest, Sha256};
    let dir = root.join("layout");
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    let blob = |data: &[u8]| -> String {
        let d = format!("sha256:{}", hex::encode(Sha256::digest(data)));
        std::fs::write(dir.join("blobs/sha256").join(&d[7..]), data).unwrap();
        d
    };
    let mut tar = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut h = tar::Header::new_ustar();
        h.set_path(path).unwrap();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append(&h, *data).unwrap();
    }
    let layer = tar.into_inner().unwrap();
    let ld = blob(&layer);
    let mut cfg = serde_json::json!({"architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [ld]}});
    if let (Some(c), serde_json::Value::Object(extra)) = (cfg.as_object_mut(), config) {
        c.extend(extra);
    }
    let cfg = cfg.to_string();
    let cd = blob(cfg.as_bytes());
    let manifest = serde_json::json!({"schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cfg.len()},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": ld, "size": layer.len()}]})
    .to_string();
    let md = blob(manifest.as_bytes());
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": manifest.len()}]});
    std::fs::write(dir.join("index.json"), index.to_string()).unwrap();
    dir
}

/// Largest peak RSS (KiB) of any child this test process has waited for. Other tests'
/// children count too, which only makes the bound stricter.
pub fn children_max_rss_kib() -> i64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    assert_eq!(rc, 0);
    ru.ru_maxrss
}

/// Every target's `errors` of a JSON report, each as its JSON text.
pub fn report_errors(r: &serde_json::Value) -> Vec<String> {
    r["results"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["errors"].as_array().into_iter().flatten())
        .map(|e| e.to_string())
        .collect()
}

/// `a: b: b` — a cause printed by its wrapper and again as the source.
pub fn assert_no_repeated_cause(err: &str) {
    let parts: Vec<&str> = err.trim_end().split(": ").collect();
    for w in parts.windows(2) {
        assert!(
            !w[0].ends_with(w[1]) && w[0] != w[1],
            "cause repeated in {err:?}"
        );
    }
}

/// A path under `examples/`.
pub fn examples(p: &str) -> String {
    repo_root().join("examples").join(p).display().to_string()
}

/// (rule ID, severity, message) of every policy finding in a JSON report, sorted.
pub fn policy_findings(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["findings"].as_array().cloned().unwrap_or_default())
        .filter(|f| f["extra"]["policy"].is_object())
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}
