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
