//! Hostile inputs for the secret scanner (issue 13): files with a hundred thousand hits
//! (quadratic dedup and evidence before), and a history whose parent trees are unreadable.

use palisade_secrets::{scan_repo, Scanner, SecretConfig};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Fails the test if `f` takes more than two (generous) minutes; it took far longer when
/// the per-file work was quadratic.
fn within_two_minutes<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("took over two minutes: per-hit work is not near-linear")
}

/// Distinct, random-looking GitHub tokens (a fixed LCG, so runs are reproducible).
fn tokens(n: usize) -> Vec<String> {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            let body: String = (0..36)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    ALPHA[(state >> 33) as usize % ALPHA.len()] as char
                })
                .collect();
            format!("ghp_{body}")
        })
        .collect()
}

#[test]
fn a_file_with_150k_secrets_on_separate_lines() {
    let toks = tokens(150_000);
    let content: String = toks.iter().map(|t| format!("token = {t}\n")).collect();
    let n = toks.len();
    let findings = within_two_minutes(move || {
        let s = Scanner::new(SecretConfig::default()).unwrap();
        s.scan("many.env", content.as_bytes())
    });
    let gh = findings
        .iter()
        .filter(|f| f.rule_id == "github-pat")
        .count();
    assert_eq!(gh, n, "one finding per token");
    // A provider token is not reported again by a generic rule.
    assert_eq!(findings.len(), n);
    let last = findings
        .iter()
        .max_by_key(|f| f.location.span.map(|s| s.start_line))
        .unwrap();
    assert_eq!(last.location.span.map(|s| s.start_line), Some(n as u32));
    assert_eq!(last.location.span.map(|s| s.start_column), Some(9));
}

#[test]
fn a_single_line_with_120k_secrets() {
    let toks = tokens(120_000);
    // Two spaces apart: a rule's trailing delimiter takes one, as gitleaks' patterns do.
    let content = toks.join("  ");
    let n = toks.len();
    let first = toks[0].clone();
    let second = toks[1].clone();
    let findings = within_two_minutes(move || {
        let s = Scanner::new(SecretConfig::default()).unwrap();
        s.scan("minified.js", content.as_bytes())
    });
    assert_eq!(findings.len(), n);
    let mut cols: Vec<u32> = findings
        .iter()
        .filter_map(|f| f.location.span.map(|s| s.start_column))
        .collect();
    cols.sort_unstable();
    // Tokens are 40 characters and two spaces apart.
    assert_eq!(cols[0], 1);
    assert_eq!(cols[1], 43);
    assert_eq!(cols[n - 1], 1 + 42 * (n as u32 - 1));
    for f in &findings {
        assert_eq!(f.location.span.map(|s| s.start_line), Some(1));
        let ev = f.evidence.as_deref().unwrap_or_default();
        assert!(!ev.contains(&first) && !ev.contains(&second), "{ev}");
    }
}

#[test]
fn evidence_masks_neighbours_and_keeps_columns() {
    let toks = tokens(3);
    let content = format!("a={} b={}\nc={}\n", toks[0], toks[1], toks[2]);
    let s = Scanner::new(SecretConfig::default()).unwrap();
    let mut f = s.scan("x.env", content.as_bytes());
    f.sort_by_key(|f| f.location.span.map(|s| (s.start_line, s.start_column)));
    let spans: Vec<_> = f
        .iter()
        .map(|f| {
            let s = f.location.span.unwrap();
            (s.start_line, s.start_column, s.end_line, s.end_column)
        })
        .collect();
    assert_eq!(spans, vec![(1, 3, 1, 42), (1, 46, 1, 85), (2, 3, 2, 42)]);
    for f in &f {
        let ev = f.evidence.as_deref().unwrap();
        for t in &toks {
            assert!(!ev.contains(t.as_str()), "{ev}");
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dev One")
        .env("GIT_AUTHOR_EMAIL", "dev@example.com")
        .env("GIT_COMMITTER_NAME", "Dev One")
        .env("GIT_COMMITTER_EMAIL", "dev@example.com")
        .env("GIT_AUTHOR_DATE", "2024-01-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-01-01T10:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_commit_whose_parent_tree_is_unreadable_is_scanned_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("README.md"), "hello\n").unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "root"]);
    let parent_tree = git(dir, &["rev-parse", "HEAD^{tree}"]);
    let tok = tokens(1).remove(0);
    std::fs::write(dir.join("deploy.env"), format!("TOKEN={tok}\n")).unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "add token"]);
    let child = git(dir, &["rev-parse", "HEAD"]);
    // Damage the clone: the parent's tree object is gone.
    let obj = dir
        .join(".git/objects")
        .join(&parent_tree[..2])
        .join(&parent_tree[2..]);
    std::fs::remove_file(obj).unwrap();

    let scanner = Scanner::new(SecretConfig::default()).unwrap();
    let scan = scan_repo(&scanner, dir).unwrap();
    let f = scan
        .findings
        .iter()
        .find(|f| f.rule_id == "github-pat")
        .expect("the child commit is scanned despite its unreadable parent");
    assert_eq!(
        f.location.commit.as_ref().map(|c| c.id.as_str()),
        Some(child.as_str())
    );
    let warned = scan
        .errors
        .iter()
        .any(|e| e.source.contains(&child) && e.message.contains("whole tree"));
    assert!(warned, "{:?}", scan.errors);
}
