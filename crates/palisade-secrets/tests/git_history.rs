//! History scans over a real repository built with the git CLI.

use palisade_secrets::{scan_repo, Scanner, SecretConfig};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dev One")
        .env("GIT_AUTHOR_EMAIL", "dev@example.com")
        .env("GIT_COMMITTER_NAME", "Dev One")
        .env("GIT_COMMITTER_EMAIL", "dev@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn commit(dir: &Path, msg: &str, date: &str) -> String {
    git(dir, &["add", "-A"]);
    let out = Command::new("git")
        .args(["commit", "-q", "-m", msg])
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dev One")
        .env("GIT_AUTHOR_EMAIL", "dev@example.com")
        .env("GIT_COMMITTER_NAME", "Dev One")
        .env("GIT_COMMITTER_EMAIL", "dev@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git commit");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    git(dir, &["rev-parse", "HEAD"])
}

#[test]
fn history_reports_introducing_commit_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    let tok = format!("{}{}", "gh", "p_EXAMPLEq8Zr3LmP0xVt7KwNa1b2c3d4e5f6g");
    let aws = format!("{}{}", "AK", "IAQYLPMN5HHHFPZAM2");
    std::fs::write(dir.join("README.md"), "hello\n").unwrap();
    let c1 = commit(dir, "root", "2024-01-01T10:00:00Z");
    std::fs::write(
        dir.join("README.md"),
        format!("hello\nworld\ntoken = {tok}\n"),
    )
    .unwrap();
    let c2 = commit(dir, "add token", "2024-01-02T10:00:00Z");
    std::fs::write(
        dir.join("README.md"),
        format!("hello\nworld\ntoken = {tok}\nmore\n"),
    )
    .unwrap();
    commit(dir, "unrelated edit", "2024-01-03T10:00:00Z");
    std::fs::write(dir.join("README.md"), "hello\n").unwrap();
    commit(dir, "remove token", "2024-01-04T10:00:00Z");
    std::fs::write(dir.join("README.md"), format!("again = {tok}\n")).unwrap();
    commit(dir, "re-add token", "2024-01-05T10:00:00Z");
    git(dir, &["checkout", "-q", "-b", "side", &c1]);
    std::fs::write(dir.join("side.env"), format!("AWS_ACCESS_KEY_ID={aws}\n")).unwrap();
    let c_side = commit(dir, "side branch", "2024-01-06T10:00:00Z");
    std::fs::write(dir.join("bin.dat"), [0u8, 1, 2]).unwrap();
    commit(dir, "binary", "2024-01-07T10:00:00Z");

    let scanner = Scanner::new(SecretConfig::default()).unwrap();
    let scan = scan_repo(&scanner, dir).unwrap();
    assert_eq!(scan.commits_scanned, 7);
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    let gh: Vec<_> = scan
        .findings
        .iter()
        .filter(|f| f.rule_id == "github-pat")
        .collect();
    assert_eq!(gh.len(), 1, "same secret at same path deduped: {gh:#?}");
    let f = gh[0];
    let c = f.location.commit.as_ref().expect("commit ref");
    assert_eq!(c.id, c2);
    assert_eq!(c.author.as_deref(), Some("Dev One"));
    assert_eq!(c.email.as_deref(), Some("dev@example.com"));
    assert!(
        c.date
            .as_deref()
            .is_some_and(|d| d.starts_with("2024-01-02T10:00:00")),
        "{:?}",
        c.date
    );
    assert_eq!(f.location.path.as_deref(), Some("README.md"));
    assert_eq!(
        f.location.span.map(|s| s.start_line),
        Some(3),
        "line in the new file"
    );
    let side = scan
        .findings
        .iter()
        .find(|f| f.rule_id == "aws-access-key-id")
        .expect("side branch scanned");
    assert_eq!(
        side.location.commit.as_ref().map(|c| c.id.as_str()),
        Some(c_side.as_str())
    );
    let json = serde_json::to_string(&scan.findings).unwrap();
    assert!(!json.contains(&tok) && !json.contains(&aws));
}

#[test]
fn commit_allowlist_and_bad_repo() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    let tok = format!("{}{}", "gh", "p_EXAMPLEq8Zr3LmP0xVt7KwNa1b2c3d4e5f6g");
    std::fs::write(dir.join("a.txt"), format!("{tok}\n")).unwrap();
    let c1 = commit(dir, "root", "2024-01-01T10:00:00Z");
    let mut cfg = SecretConfig::default();
    cfg.merge_gitleaks_toml(&format!("[allowlist]\ncommits = [\"{}\"]\n", &c1[..10]))
        .unwrap();
    let scan = scan_repo(&Scanner::new(cfg).unwrap(), dir).unwrap();
    assert!(scan.findings.is_empty());
    let not_repo = tempfile::tempdir().unwrap();
    let err = scan_repo(
        &Scanner::new(SecretConfig::default()).unwrap(),
        not_repo.path(),
    )
    .unwrap_err();
    assert!(err
        .to_string()
        .contains(&not_repo.path().display().to_string()));
}
