//! Resource bounds measured on the real binary: a layer of a million tiny entries must give
//! a correct result with peak RSS under 512 MiB, and nothing may be written outside a temp dir.

mod common;

use common::*;
use sha2::{Digest, Sha256};
use std::io::Write;

fn sha(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

fn blob(dir: &std::path::Path, data: &[u8]) -> String {
    let d = sha(data);
    std::fs::write(dir.join("blobs/sha256").join(&d[7..]), data).unwrap();
    d
}

/// An OCI layout whose only layer holds `n` empty files (plus a dpkg status naming one package).
fn million_entry_layout(root: &std::path::Path, n: usize) -> std::path::PathBuf {
    let dir = root.join("layout");
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    let mut diff = Sha256::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut put = |bytes: &[u8]| {
        diff.update(bytes);
        gz.write_all(bytes).unwrap();
    };
    let status =
        b"Package: tiny\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n";
    let mut h = tar::Header::new_ustar();
    h.set_path("var/lib/dpkg/status").unwrap();
    h.set_size(status.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    put(h.as_bytes());
    let mut padded = status.to_vec();
    padded.resize(512, 0);
    put(&padded);
    for i in 0..n {
        let mut h = tar::Header::new_ustar();
        h.set_path(format!("d{}/f{i}", i % 1000)).unwrap();
        h.set_size(0);
        h.set_mode(0o644);
        h.set_cksum();
        put(h.as_bytes());
    }
    put(&[0u8; 1024]);
    let layer = gz.finish().unwrap();
    let diff_id = format!("sha256:{}", hex::encode(diff.finalize()));
    let ld = blob(&dir, &layer);
    let config = serde_json::json!({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[diff_id]}}).to_string();
    let cd = blob(&dir, config.as_bytes());
    let manifest = serde_json::json!({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":cd,"size":config.len()},
        "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":ld,"size":layer.len()}]})
    .to_string();
    let md = blob(&dir, manifest.as_bytes());
    let index = serde_json::json!({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":md,"size":manifest.len()}]});
    std::fs::write(dir.join("index.json"), index.to_string()).unwrap();
    dir
}

/// Largest peak RSS (KiB) of any child this test process has waited for. Other tests'
/// children count too, which only makes the bound stricter.
fn children_max_rss_kib() -> i64 {
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    assert_eq!(rc, 0);
    ru.ru_maxrss
}

#[test]
fn a_million_tiny_entries_stay_under_512_mib() {
    let tmp = tempfile::tempdir().unwrap();
    let layout = million_entry_layout(tmp.path(), 1_000_000);
    let before: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    let out = palisade()
        .args([
            "image",
            "--input",
            layout.to_str().unwrap(),
            "-f",
            "json",
            "-q",
            "--scanners",
            "vuln",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak_mib = children_max_rss_kib() / 1024;
    assert!(peak_mib < 512, "peak RSS {peak_mib} MiB");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(packages(&r, "deb"), vec!["tiny@1.0-1".to_string()]);
    let after: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(
        before.len(),
        after.len(),
        "the scan wrote next to the target"
    );
}
