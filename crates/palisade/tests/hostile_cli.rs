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

/// A gzip layer written as it is built, so that tests of big layers hold only the
/// compressed bytes; `finish` wraps it in an OCI layout.
struct GzLayer {
    diff: Sha256,
    gz: flate2::write::GzEncoder<Vec<u8>>,
}

impl GzLayer {
    fn new() -> Self {
        GzLayer {
            diff: Sha256::new(),
            gz: flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast()),
        }
    }

    fn put(&mut self, bytes: &[u8]) {
        self.diff.update(bytes);
        self.gz.write_all(bytes).unwrap();
    }

    fn header(&mut self, path: &str, size: u64) {
        let mut h = tar::Header::new_ustar();
        h.set_path(path).unwrap();
        h.set_size(size);
        h.set_mode(0o755);
        h.set_cksum();
        self.put(h.as_bytes());
    }

    fn file(&mut self, path: &str, data: &[u8]) {
        self.header(path, data.len() as u64);
        self.put(data);
        self.pad(data.len() as u64);
    }

    /// A file of `size` bytes: `head`, then `fill` repeated.
    fn big_file(&mut self, path: &str, head: &[u8], fill: &[u8], size: u64) {
        self.header(path, size);
        self.put(head);
        let mut left = size - head.len() as u64;
        let chunk: Vec<u8> = fill.iter().copied().cycle().take(1 << 20).collect();
        while left > 0 {
            let n = left.min(chunk.len() as u64);
            self.put(&chunk[..n as usize]);
            left -= n;
        }
        self.pad(size);
    }

    fn pad(&mut self, size: u64) {
        let rem = (size % 512) as usize;
        if rem != 0 {
            self.put(&vec![0u8; 512 - rem]);
        }
    }

    fn finish(mut self, root: &std::path::Path) -> std::path::PathBuf {
        self.put(&[0u8; 1024]);
        let layer = self.gz.finish().unwrap();
        let diff_id = format!("sha256:{}", hex::encode(self.diff.finalize()));
        let dir = root.join("layout");
        std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
        std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
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
}

const TINY_STATUS: &[u8] =
    b"Package: tiny\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n";

/// An OCI layout whose only layer holds `n` empty files (plus a dpkg status naming one package).
fn million_entry_layout(root: &std::path::Path, n: usize) -> std::path::PathBuf {
    let mut layer = GzLayer::new();
    layer.file("var/lib/dpkg/status", TINY_STATUS);
    for i in 0..n {
        layer.header(&format!("d{}/f{i}", i % 1000), 0);
    }
    layer.finish(root)
}

/// `palisade image --input LAYOUT --scanners vuln -f json -q`: the report, stderr, and the
/// peak RSS so far in MiB.
fn scan_packages(layout: &std::path::Path) -> (serde_json::Value, String, i64) {
    let out = palisade()
        .args(["image", "--input", layout.to_str().unwrap()])
        .args(["-f", "json", "-q", "--scanners", "vuln"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let report = serde_json::from_slice(&out.stdout).unwrap();
    (report, stderr, children_max_rss_kib() / 1024)
}

/// Issue 13 #8: twelve 48 MiB files that only look like executables by their path.
#[test]
fn junk_under_bin_is_not_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let mut layer = GzLayer::new();
    layer.file("var/lib/dpkg/status", TINY_STATUS);
    for i in 0..12 {
        layer.big_file(&format!("usr/local/bin/tool{i}"), b"", b"\0", 48 << 20);
    }
    let layout = layer.finish(tmp.path());
    let (r, stderr, peak_mib) = scan_packages(&layout);
    assert!(peak_mib < 512, "peak RSS {peak_mib} MiB");
    assert_eq!(
        packages(&r, "deb"),
        vec!["tiny@1.0-1".to_string()],
        "{stderr}"
    );
}

/// Issue 13 #14: a package database over the default keep limit is still read, and one
/// over its own limit is a warning naming it rather than an empty inventory.
#[test]
fn big_package_databases_are_read_or_named() {
    let tmp = tempfile::tempdir().unwrap();
    let mut layer = GzLayer::new();
    let mut head = TINY_STATUS.to_vec();
    head.extend_from_slice(
        b"Package: padded\nStatus: install ok installed\nVersion: 2\nDescription: x\n",
    );
    layer.big_file("var/lib/dpkg/status", &head, b" padding line\n", 70 << 20);
    let layout = layer.finish(tmp.path());
    let (r, stderr, peak_mib) = scan_packages(&layout);
    assert!(peak_mib < 512, "peak RSS {peak_mib} MiB");
    let deb = packages(&r, "deb");
    assert!(deb.contains(&"tiny@1.0-1".to_string()), "{deb:?} {stderr}");

    let tmp = tempfile::tempdir().unwrap();
    let mut layer = GzLayer::new();
    layer.big_file("var/lib/dpkg/status", &head, b" padding line\n", 300 << 20);
    let layout = layer.finish(tmp.path());
    let (r, stderr, peak_mib) = scan_packages(&layout);
    assert!(peak_mib < 512, "peak RSS {peak_mib} MiB");
    let errors = report_errors(&r);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("var/lib/dpkg/status") && e.contains("over the 256 MiB limit")),
        "{errors:?} {stderr}"
    );
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

/// Issue 13 #4: a FIFO where a package database, a lockfile or a secret-bearing file is
/// expected is skipped, never opened: opening one blocks until a writer comes.
#[test]
fn fifos_in_a_root_filesystem_are_not_waited_on() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for dir in ["var/lib/dpkg", "app", "proc"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    for fifo in [
        "var/lib/dpkg/status",
        "app/.env",
        "app/package-lock.json",
        "app/Dockerfile",
        "proc/kmsg",
    ] {
        let path = std::ffi::CString::new(root.join(fifo).to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0, "{fifo}");
    }
    std::fs::write(root.join("app/README"), "nothing to see\n").unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("palisade"))
        .args([
            "rootfs",
            root.to_str().unwrap(),
            "--scanners",
            "vuln,secret,misconfig",
        ])
        .args(["-f", "json", "-q"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("rootfs scan blocked on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["results"][0]["findings"].as_array().map(Vec::len),
        Some(0)
    );
}

/// Issue 13 #26: names from the input (file names, tar member names in errors) reach the
/// terminal with their control characters escaped, and an error is one line that states its
/// cause once.
#[test]
fn control_characters_in_names_are_escaped_on_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    // A file whose name sets the terminal title, holding a credential the table reports.
    let tree = tmp.path().join("tree");
    std::fs::create_dir_all(&tree).unwrap();
    let key: String = ["AKIA", "Q3EGRWZ5NL7MTX2B"].concat();
    std::fs::write(tree.join("a\x1b]0;pwned\x07b.env"), format!("AWS={key}\n")).unwrap();
    let out = palisade()
        .env("NO_COLOR", "1")
        .args(["fs", tree.to_str().unwrap(), "--scanners", "secret"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("aws-access-key-id"), "{table}");
    assert!(table.contains(r"a\u{1b}]0;pwned\u{7}b.env"), "{table}");
    assert!(!table.contains(['\x1b', '\x07']), "{table:?}");

    // A docker-archive whose manifest names members with escape sequences.
    let archive = tmp.path().join("escape.tar");
    let mut tar = tar::Builder::new(std::fs::File::create(&archive).unwrap());
    let manifest = serde_json::json!([{
        "Config": "c\u{1b}[2J\u{7}fg.json", "RepoTags": [], "Layers": ["l\u{1b}]0;x\u{7}.tar"]
    }])
    .to_string();
    let mut header = tar::Header::new_gnu();
    header.set_size(manifest.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "manifest.json", manifest.as_bytes())
        .unwrap();
    tar.finish().unwrap();
    drop(tar);
    let out = palisade()
        .args(["image", "--input", archive.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains(['\x1b', '\x07']), "{err:?}");
    assert!(err.contains(r"c\u{1b}[2J\u{7}fg.json"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_no_repeated_cause(&err);
}

/// A scan leaves nothing behind in the temp directory: the rpm database is copied there for
/// SQLite, which opened in WAL mode used to create `-wal` and `-shm` files that outlived the
/// copy (two per scan, 300,000 after a fuzzing session).
#[test]
fn a_scan_leaves_the_temp_directory_as_it_found_it() {
    let tmp = tempfile::tempdir().unwrap();
    let scratch = tmp.path().join("tmp");
    std::fs::create_dir(&scratch).unwrap();
    let rootfs = repo_root().join("crates/palisade-inventory/fixtures/os/rpm");
    let out = palisade()
        .env("TMPDIR", &scratch)
        .args(["rootfs", rootfs.to_str().unwrap(), "-f", "cyclonedx", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sbom: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = sbom["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(
        names.contains(&"libgreet"),
        "the rpm database was not read: {names:?}"
    );
    let left: Vec<_> = std::fs::read_dir(&scratch)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A Dockerfile named on the command line whose findings pass the per-file cap is still a
/// report (exit 0) with a warning, not a failure to read it.
#[test]
fn a_dockerfile_past_the_findings_cap_is_a_report_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("Dockerfile");
    let mut text = String::from("FROM debian:12\n");
    for i in 0..60_000 {
        text.push_str(&format!(
            "RUN apt-get install -y pkg{i} && curl http://x/{i} | sh\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    let out = palisade()
        .args(["config", path.to_str().unwrap(), "-f", "json", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["results"][0]["findings"].as_array().unwrap().len();
    assert_eq!(findings, 100_000);
    assert!(
        report_errors(&report)
            .iter()
            .any(|e| e.contains("more findings not reported")),
        "{:?}",
        report_errors(&report)
    );
}
