//! Scanner behaviour: masking, spans, suppression, allowlists, baseline, limits, image config.

use palisade_core::FindingKind;
use palisade_secrets::{AllowlistConfig, ReferencedTexts, Scanner, SecretConfig, SecretsSection};

// Fake tokens assembled at run time so no token-shaped literal sits in the source.
fn gh_token() -> String {
    format!("{}{}", "gh", "p_EXAMPLEq8Zr3LmP0xVt7KwNa1b2c3d4e5f6g")
}
fn aws_key() -> String {
    format!("{}{}", "AK", "IAQYLPMN5HHHFPZAM2")
}

/// A palisade.yaml text that names no other file, resolved.
fn from_yaml(text: &str) -> SecretConfig {
    SecretsSection::from_palisade_yaml(text)
        .and_then(|s| s.resolve(ReferencedTexts::default()))
        .expect("valid secrets section")
}

/// Compiling every rule takes a moment in debug builds: share one scanner.
fn scanner() -> &'static Scanner {
    static SCANNER: once_cell::sync::Lazy<Scanner> = once_cell::sync::Lazy::new(|| {
        Scanner::new(SecretConfig::default()).expect("default config builds")
    });
    &SCANNER
}

#[test]
fn finds_and_locates_and_masks() {
    let tok = gh_token();
    let text = format!("first line\n  token: {tok}\n");
    let found = scanner().scan("app/config.yaml", text.as_bytes());
    let f = found
        .iter()
        .find(|f| f.rule_id == "github-pat")
        .expect("github-pat found");
    assert_eq!(f.kind, FindingKind::Secret);
    assert_eq!(f.location.path.as_deref(), Some("app/config.yaml"));
    let span = f.location.span.expect("span");
    assert_eq!((span.start_line, span.start_column), (2, 10));
    assert_eq!(span.end_column, 10 + tok.len() as u32 - 1);
    let ev = f.evidence.as_deref().expect("evidence");
    assert!(ev.starts_with("token: ghp_"), "{ev}");
    assert!(!ev.contains(&tok));
    assert!(f.extra.get("fingerprint").is_some());
}

#[test]
fn raw_secrets_never_reach_json() {
    let secrets = [
        gh_token(),
        aws_key(),
        format!("{}{}", "xoxb-123456789012-", "EXAMPLEq8Zr3LmP0xVt7KwNab"),
    ];
    let text = format!(
        "A={}\naws_access_key_id = {}\nslack: {}\n{}\n",
        secrets[0], secrets[1], secrets[2], "password = \"Zq8r3LmP0xVt7Kw\""
    );
    let found = scanner().scan("env", text.as_bytes());
    assert!(found.len() >= 4, "{found:#?}");
    let json = serde_json::to_string(&found).expect("serializes");
    for s in secrets
        .iter()
        .map(String::as_str)
        .chain(["Zq8r3LmP0xVt7Kw"])
    {
        assert!(!json.contains(s), "raw secret {} leaked", &s[..4]);
        assert!(!json.contains(&s[4..]), "secret tail leaked");
    }
    for f in &found {
        let msg = format!("{} {} {:?}", f.title, f.message, f.evidence);
        assert!(!msg.contains(&secrets[0]));
    }
}

#[test]
fn inline_suppression_and_placeholders() {
    let tok = gh_token();
    let text = format!(
        "a = {tok} # palisade:ignore\nb = {tok}\nc = ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
    );
    let found = scanner().scan("x", text.as_bytes());
    let lines: Vec<u32> = found
        .iter()
        .filter_map(|f| f.location.span.map(|s| s.start_line))
        .collect();
    assert_eq!(lines, vec![2]);
}

#[test]
fn allowlists_from_config() {
    let tok = gh_token();
    let cfg = SecretConfig {
        allowlists: vec![
            AllowlistConfig {
                paths: vec!["^vendor/".into()],
                ..Default::default()
            },
            AllowlistConfig {
                stopwords: vec!["q8zr3".into()],
                target_rules: vec!["github-pat".into()],
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let s = Scanner::new(cfg).unwrap();
    assert!(!s.wants("vendor/lib.js", 10));
    assert!(s.scan("vendor/lib.js", tok.as_bytes()).is_empty());
    assert!(
        s.scan("src/a", tok.as_bytes()).is_empty(),
        "stopword allowlist"
    );
    assert!(
        !s.scan("src/a", aws_key().as_bytes()).is_empty(),
        "other rules unaffected"
    );
}

#[test]
fn custom_rules_from_yaml_and_gitleaks_toml() {
    let mut cfg = from_yaml(
        "secrets:\n  rules:\n    - id: acme-token\n      title: Acme token\n      regex: 'acme_([a-z0-9]{20})'\n      keywords: [acme_]\n      entropy: 3\n",
    );
    cfg.merge_gitleaks_toml(
        "[[rules]]\nid = \"corp-key\"\nregex = '''corp-[0-9a-f]{16}'''\nkeywords = [\"corp-\"]\n",
    )
    .unwrap();
    let s = Scanner::new(cfg).unwrap();
    let found = s.scan("x", b"t = acme_k3j4h5g6f7d8s9a0p1o2\nu = corp-0123abcd4567ef89\nv = acme_aaaaaaaaaaaaaaaaaaaa\n");
    let ids: Vec<&str> = found.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["acme-token", "corp-key"],
        "low-entropy acme value filtered"
    );
    let bad = from_yaml("secrets:\n  rules:\n    - id: x\n      regex: '('\n");
    let err = Scanner::new(bad).err().expect("bad regex is an error");
    assert!(err.to_string().contains("\"x\""), "{err}");
}

#[test]
fn gitleaks_rule_replaces_builtin_with_same_id() {
    let mut cfg = SecretConfig::default();
    cfg.merge_gitleaks_toml("[[rules]]\nid = \"github-pat\"\nregex = '''never-matches-xyz'''\n")
        .unwrap();
    let s = Scanner::new(cfg).unwrap();
    assert!(s
        .scan("x", gh_token().as_bytes())
        .iter()
        .all(|f| f.rule_id != "github-pat"));
}

#[test]
fn baseline_accepts_known_findings() {
    let text = format!("t = {}\n", gh_token());
    let first = scanner().scan("a.txt", text.as_bytes());
    assert_eq!(first.len(), 1);
    let baseline = serde_json::to_string(&first).unwrap();
    let mut cfg = SecretConfig::default();
    cfg.load_baseline(&baseline).unwrap();
    let s = Scanner::new(cfg).unwrap();
    assert!(s.scan("a.txt", text.as_bytes()).is_empty());
    assert_eq!(
        s.scan("b.txt", text.as_bytes()).len(),
        1,
        "other paths still reported"
    );
}

#[test]
fn binaries_and_large_files_are_skipped() {
    let s = scanner();
    assert!(!s.wants("img/logo.PNG", 10));
    assert!(!s.wants("big.txt", 11 * 1024 * 1024));
    assert!(s.wants("src/main.rs", 100));
    assert!(!s.wants("go.sum", 100));
    let mut bin = gh_token().into_bytes();
    bin.push(0);
    assert!(s.scan("blob", &bin).is_empty());
    let s2 = Scanner::new(SecretConfig {
        scan_binary: true,
        max_file_size: Some(0),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(s2.scan("blob", &bin).len(), 1);
    assert!(s2.wants("big.txt", u64::MAX));
}

#[test]
fn hostile_input_does_not_panic() {
    let s = scanner();
    let mut junk: Vec<u8> = (0..=255u8)
        .cycle()
        .take(100_000)
        .filter(|&b| b != 0)
        .collect();
    junk.extend_from_slice("password = \u{1F600}\u{1F600}\u{1F600}\u{1F600}\u{1F600}\n".as_bytes());
    junk.extend_from_slice(b"-----BEGIN RSA PRIVATE KEY-----\n");
    let _ = s.scan("junk", &junk);
    let _ = s.scan("", b"");
}

#[test]
fn image_config_env_labels_history() {
    let tok = gh_token();
    let cfg = serde_json::json!({
        "config": {
            "Env": ["PATH=/usr/bin", format!("GITHUB_TOKEN={tok}")],
            "Labels": {"deploy.key": aws_key()}
        },
        "history": [
            {"created_by": format!("/bin/sh -c #(nop) ENV GITHUB_TOKEN={tok}")},
            {"created_by": "RUN curl -u deploy:S3cretPassw0rd42 https://example.com/x"}
        ]
    });
    let found = scanner().scan_image_config(&cfg);
    let paths: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.rule_id.as_str(), f.location.path.as_deref().unwrap_or("")))
        .collect();
    assert!(
        paths.contains(&("github-pat", "config.Env[1]")),
        "{paths:?}"
    );
    assert!(
        paths.contains(&("aws-access-key-id", "config.Labels[\"deploy.key\"]")),
        "{paths:?}"
    );
    assert!(
        paths.contains(&("curl-auth-user", "history[1].created_by")),
        "{paths:?}"
    );
    assert_eq!(
        found.iter().filter(|f| f.rule_id == "github-pat").count(),
        1,
        "history repeat deduped"
    );
    let json = serde_json::to_string(&found).unwrap();
    assert!(!json.contains(&tok) && !json.contains("S3cretPassw0rd42"));
}

#[test]
fn scanner_is_send_and_sync() {
    fn assert_sync<T: Send + Sync>() {}
    assert_sync::<Scanner>();
}

#[test]
fn published_example_keys_are_skipped_unless_asked_for() {
    let list = include_str!("../data/published-example-keys.tsv");
    let (key, source) = list
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .find(|(k, _)| k.starts_with("AIzaSyA"))
        .expect("a published Firebase key");
    assert!(source.starts_with("firebase/"), "{source}");
    let text = format!("firebase:\n  apiKey: \"{key}\"\n");
    let gcp = |s: &Scanner| {
        s.scan("app/google-services.yaml", text.as_bytes())
            .iter()
            .filter(|f| f.rule_id == "gcp-api-key")
            .count()
    };
    assert_eq!(gcp(scanner()), 0);
    let strict = Scanner::new(SecretConfig {
        report_published_examples: true,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(gcp(&strict), 1);
    // One character off is somebody's real key.
    let mut other = key.to_string();
    other.replace_range(10..11, if &key[10..11] == "x" { "y" } else { "x" });
    let text = format!("apiKey: \"{other}\"\n");
    assert_eq!(
        scanner()
            .scan("app/config.yaml", text.as_bytes())
            .iter()
            .filter(|f| f.rule_id == "gcp-api-key")
            .count(),
        1
    );
}

#[test]
fn user_rules_may_name_a_validator() {
    let cfg = from_yaml(
        "secrets:\n  only_rules: [acme-token]\n  rules:\n    - id: acme-token\n      regex: 'acme_([a-z0-9]{12})'\n      keywords: [acme_]\n      validate: not_all_letters_or_digits\n",
    );
    let s = Scanner::new(cfg).unwrap();
    assert_eq!(s.scan("x", b"t = acme_k3j4h5g6f7d8\n").len(), 1);
    assert!(s.scan("x", b"t = acme_abcdefghijkl\n").is_empty());
}
