//! A realistic project tree (templates under `tests/fixtures/project`, filled at run time with
//! fake credentials in each provider's documented format, so no token-shaped literal is
//! committed) scanned as `palisade fs` would: rule, place and masked evidence per finding.

use palisade_secrets::{Scanner, SecretConfig};
use std::path::Path;

/// Deterministic pseudo-random characters (xorshift): high-entropy like real tokens, the same
/// on every run so the snapshot is stable.
struct Chars(u64);

impl Chars {
    fn take(&mut self, n: usize, alphabet: &str) -> String {
        let a = alphabet.as_bytes();
        (0..n)
            .map(|_| {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                a[(self.0 % a.len() as u64) as usize] as char
            })
            .collect()
    }
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const B32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX: &str = "0123456789abcdef";

fn values() -> Vec<(&'static str, String)> {
    let mut r = Chars(0x9e37_79b9_7f4a_7c15);
    let key_body: Vec<String> = (0..6).map(|_| r.take(70, B64)).collect();
    vec![
        ("PG_PASSWORD", r.take(20, ALNUM)),
        ("STRIPE", format!("sk_{}_{}", "live", r.take(24, ALNUM))),
        (
            "SLACK_WEBHOOK",
            format!(
                "T{}/B{}/{}",
                r.take(8, UPPER),
                r.take(8, UPPER),
                r.take(24, ALNUM)
            ),
        ),
        ("AWS_KEY_ID", format!("AK{}{}", "IA", r.take(16, B32))),
        ("AWS_SECRET", r.take(40, B64)),
        ("NPM", format!("npm_{}", r.take(36, ALNUM))),
        ("GITHUB_PAT_2", format!("gh{}_{}", "p", r.take(36, ALNUM))),
        ("GITHUB_PAT", format!("gh{}_{}", "p", r.take(36, ALNUM))),
        ("GITLAB_PAT", format!("gl{}-{}", "pat", r.take(20, ALNUM))),
        ("GENERIC", r.take(32, HEX)),
        (
            "OPENAI",
            format!(
                "sk-{}T3Blbk{}{}",
                r.take(20, ALNUM),
                "FJ",
                r.take(20, ALNUM)
            ),
        ),
        ("DOCKER_AUTH", {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .encode(format!("deploy:{}", r.take(24, ALNUM)))
        }),
        (
            "PRIVATE_KEY",
            format!(
                "-----BEGIN OPENSSH {}-----\n{}\n-----END OPENSSH {}-----",
                "PRIVATE KEY",
                key_body.join("\n"),
                "PRIVATE KEY"
            ),
        ),
    ]
}

/// Template files and the names they are scanned under.
fn project() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project");
    let vals = values();
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap().to_string_lossy();
        let rel = rel.strip_suffix(".tmpl").unwrap();
        let name = match rel {
            "env" => ".env".to_string(),
            "npmrc" => ".npmrc".to_string(),
            "id_ed25519" => ".ssh/id_ed25519".to_string(),
            other => other.to_string(),
        };
        let mut text = std::fs::read_to_string(entry.path()).unwrap();
        for (k, v) in &vals {
            text = text.replace(&format!("{{{{{k}}}}}"), v);
        }
        assert!(!text.contains("{{"), "{name}: unfilled placeholder");
        out.push((name, text));
    }
    out
}

#[test]
fn realistic_project_findings() {
    let scanner = Scanner::new(SecretConfig::default()).unwrap();
    let mut rows = Vec::new();
    let mut json = String::new();
    for (path, text) in project() {
        for f in scanner.scan(&path, text.as_bytes()) {
            let s = f.location.span.unwrap_or_default();
            rows.push(format!(
                "{:<22} {}:{}:{} {}",
                f.rule_id,
                path,
                s.start_line,
                s.start_column,
                f.evidence.as_deref().unwrap_or("")
            ));
            json.push_str(&serde_json::to_string(&f).unwrap());
        }
    }
    // Masking: no generated credential (or its base64 body) reaches a finding.
    for (name, v) in values() {
        let probe = if name == "PRIVATE_KEY" {
            v.lines().nth(1).unwrap().to_string()
        } else {
            v
        };
        assert!(!json.contains(&probe[4..]), "{name} leaked into a finding");
    }
    insta::assert_snapshot!(rows.join("\n"));
}
