//! What a user of the command line expects beyond the reports: quiet closed pipes, one-line
//! errors that never quote the input, warnings on stderr, and one pipeline behind `fs` and
//! `config`.

mod common;

use common::*;
use std::io::Read;
use std::process::Stdio;

#[test]
fn a_closed_stdout_ends_quietly() {
    let bin = assert_cmd::cargo::cargo_bin("palisade");
    for args in [&["rules"][..], &["config", "-", "-f", "json"][..]] {
        let mut child = std::process::Command::new(&bin)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            let _ = stdin.write_all("FROM debian:latest\n".repeat(20_000).as_bytes());
        }
        // Read a little, then hang up, as `| head -1` does.
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn malformed_input_named_on_the_command_line_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("broken.yaml");
    std::fs::write(
        &yaml,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: [\ntoken: s3cr3t-value-do-not-echo\n",
    )
    .unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "s3cr3t-value-do-not-echo\n").unwrap();
    for args in [
        vec!["config", yaml.to_str().unwrap()],
        vec!["image", "--input", text.to_str().unwrap()],
    ] {
        let out = palisade().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("palisade: error: "), "{err}");
        assert!(!err.contains("s3cr3t"), "{args:?} echoes the input: {err}");
        assert_no_repeated_cause(&err);
    }
}

#[test]
fn a_directory_without_supported_files_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# nothing to check\n").unwrap();
    let out = palisade()
        .args(["config", dir.path().to_str().unwrap(), "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no supported file found"), "{err}");
}

#[test]
fn fs_misconfig_and_config_report_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("k8s")).unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM python:3.12\nRUN pip install flask\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("k8s/deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: web\n        image: web:latest\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let ids = |r: &serde_json::Value| -> Vec<String> {
        let mut v: Vec<String> = r["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {}", f["rule_id"], f["location"]))
            .collect();
        v.sort();
        v
    };
    let fs = json_of(&["fs", d, "--scanners", "misconfig", "-f", "json", "-q"]);
    let config = json_of(&["config", d, "-f", "json", "-q"]);
    assert!(ids(&fs).len() > 4, "{:?}", ids(&fs));
    assert_eq!(ids(&fs), ids(&config));
}

#[test]
fn db_import_of_a_missing_input_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let out = palisade()
        .args([
            "db",
            "import",
            "/nonexistent/osv",
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/osv"));
    assert!(!db.exists(), "no database is created from nothing");
}

/// A lockfile that does not parse is a blind spot: every format says so, and still validates.
#[test]
fn warnings_reach_every_format() {
    use palisade_testkit::{assert_valid, Schema};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("package-lock.json"),
        "{\"lockfileVersion\": 3, \"packages\": {",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let sarif = json_of(&["fs", d, "-f", "sarif", "-q"]);
    assert_valid(Schema::Sarif210, &sarif);
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(notes.to_string().contains("package-lock.json"), "{notes}");
    let cdx = json_of(&["fs", d, "-f", "cyclonedx", "-q"]);
    assert_valid(Schema::CycloneDx16, &cdx);
    assert!(cdx["annotations"].to_string().contains("package-lock.json"));
    let spdx = json_of(&["fs", d, "-f", "spdx-json", "-q"]);
    assert_valid(Schema::Spdx23, &spdx);
    assert!(spdx["annotations"]
        .to_string()
        .contains("package-lock.json"));
    let out = palisade().args(["fs", d, "-f", "json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("package-lock.json"));
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// No OS silently goes unmatched: an rpm distribution OSV has no advisories for (or whose
/// advisories need facts an rpmdb does not hold) says how many packages went unchecked, and why,
/// in the report and on stderr.
#[test]
fn rpm_distributions_without_osv_data_say_so() {
    let fixtures = repo_root().join("crates/palisade-inventory/fixtures/os");
    for (db, os_release, name) in [
        ("rpm-bdb", "ID=\"centos\"\nVERSION_ID=\"7\"\n", "CentOS"),
        ("rpm", "ID=\"amzn\"\nVERSION_ID=\"2\"\n", "Amazon"),
        ("rpm", "ID=\"rhel\"\nVERSION_ID=\"9.2\"\n", "Red Hat"),
    ] {
        let root = tempfile::tempdir().unwrap();
        copy_tree(&fixtures.join(db), root.path());
        std::fs::create_dir_all(root.path().join("etc")).unwrap();
        std::fs::write(root.path().join("etc/os-release"), os_release).unwrap();
        let r = root.path().to_str().unwrap();
        let out = palisade()
            .args(["rootfs", r, "--scanners", "vuln", "-f", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let packages = packages(&report, "rpm").len();
        assert!(packages >= 2, "{db}: {packages} rpm packages");
        let errors = report["results"][0]["errors"].to_string();
        let expected = format!("{packages} rpm packages not matched");
        assert!(errors.contains(&expected), "{name}: {errors}");
        assert!(
            errors.contains(name),
            "{name}: the reason names the OS: {errors}"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&expected), "{name}: {stderr}");
    }
}

/// Palisade's Kubernetes IDs have their own namespace; a Trivy ID in any spelling names the
/// equivalent Palisade rule (Trivy's KSV017 is "privileged", Palisade's K8S017 is not).
#[test]
fn trivy_ids_name_the_equivalent_rule_not_a_namesake() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    securityContext: {privileged: true}\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let ids = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["config", d, "-f", "json", "-q"];
        args.extend_from_slice(extra);
        json_of(&args)["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = ids(&[]);
    assert!(all.iter().any(|i| i == "K8S005") && all.iter().any(|i| i == "K8S017"));
    assert!(all.iter().all(|i| !i.starts_with("KSV")), "{all:?}");
    for spelling in ["KSV017", "KSV-0017", "AVD-KSV-0017"] {
        let left = ids(&["--ignore", spelling]);
        assert!(!left.iter().any(|i| i == "K8S005"), "{spelling}: {left:?}");
        assert!(left.iter().any(|i| i == "K8S017"), "{spelling}: {left:?}");
    }
}
