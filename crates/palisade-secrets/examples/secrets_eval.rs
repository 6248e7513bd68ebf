//! Evaluation and benchmark driver for the secret scanner (used by `bench/secrets/`).
//!
//! ```text
//! secrets_eval labeled FILE.jsonl [--gitleaks-allowlists|--gitleaks-config gitleaks.toml]
//!                                      # precision/recall on labelled samples (markdown)
//! secrets_eval scan DIR [--json]       # scan a tree in parallel, print findings and timing
//! secrets_eval repo DIR                # scan a git history, print findings and timing
//! ```

use palisade_secrets::{rules, scan_repo, Scanner, SecretConfig};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("labeled") if args.len() >= 2 => {
            let opt = |name: &str| {
                args.iter()
                    .position(|a| a == name)
                    .and_then(|i| args.get(i + 1))
                    .map(String::as_str)
            };
            match (opt("--gitleaks-allowlists"), opt("--gitleaks-config")) {
                (Some(t), _) => labeled(&args[1], Some((t, false))),
                (None, Some(t)) => labeled(&args[1], Some((t, true))),
                (None, None) => labeled(&args[1], None),
            }
        }
        Some("scan") if args.len() >= 2 => scan(&args[1], args.iter().any(|a| a == "--json")),
        Some("repo") if args.len() >= 2 => repo(&args[1]),
        _ => {
            eprintln!("usage: secrets_eval labeled FILE [--gitleaks-allowlists TOML] | scan DIR [--json] | repo DIR");
            2
        }
    };
    std::process::exit(code);
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
    tn: u32,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.tn += o.tn;
    }
    fn pct(n: u32, d: u32) -> String {
        if d == 0 {
            "n/a".into()
        } else {
            format!("{:.1}%", 100.0 * n as f64 / d as f64)
        }
    }
    fn precision(&self) -> String {
        Self::pct(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> String {
        Self::pct(self.tp, self.tp + self.fn_)
    }
}

/// `gitleaks`: a gitleaks TOML and whether its rules replace the built-in ones (`true`) or
/// only its allowlists apply to them (`false`).
fn labeled(path: &str, gitleaks: Option<(&str, bool)>) -> i32 {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return 2;
        }
    };
    let mut base = SecretConfig::default();
    let whole_config = matches!(gitleaks, Some((_, true)));
    if let Some((toml_path, whole)) = gitleaks {
        let merged = std::fs::read_to_string(toml_path)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                if whole {
                    base.merge_gitleaks_toml(&t)
                } else {
                    base.merge_gitleaks_allowlists(&t)
                }
                .map_err(|e| e.to_string())
            });
        if let Err(e) = merged {
            eprintln!("{toml_path}: {e}");
            return 2;
        }
    }
    let metas = rules();
    let mut per_rule: BTreeMap<String, (Option<&'static str>, Counts)> = BTreeMap::new();
    let mut scanners: BTreeMap<String, Scanner> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{path}:{}: {e}", n + 1);
                continue;
            }
        };
        let (Some(rule), Some(expect), Some(sample)) = (
            v["rule_id"].as_str(),
            v["expect"].as_str(),
            v["sample"].as_str(),
        ) else {
            continue;
        };
        let ours = metas.iter().find(|m| m.answers_to(rule)).map(|m| m.id);
        let entry = per_rule
            .entry(rule.to_string())
            .or_insert((ours, Counts::default()));
        let Some(_) = ours else { continue };
        let scanner = scanners.entry(rule.to_string()).or_insert_with(|| {
            Scanner::new(SecretConfig {
                only_rules: vec![rule.to_string()],
                ..base.clone()
            })
            .expect("built-in rules compile")
        });
        let hit = scanner
            .scan("sample.txt", sample.as_bytes())
            .iter()
            .any(|f| {
                (whole_config && f.rule_id == rule)
                    || metas
                        .iter()
                        .any(|m| m.id == f.rule_id && m.answers_to(rule))
            });
        let want = expect == "match";
        if want != hit && std::env::var_os("VERBOSE").is_some() {
            let short: String = sample.chars().take(160).collect();
            eprintln!("{} {rule}: {short:?}", if want { "FN" } else { "FP" });
        }
        let c = &mut entry.1;
        match (want, hit) {
            (true, true) => c.tp += 1,
            (true, false) => c.fn_ += 1,
            (false, true) => c.fp += 1,
            (false, false) => c.tn += 1,
        }
    }
    let mut total = Counts::default();
    let mut uncovered = Vec::new();
    println!("| gitleaks rule | Palisade rule | TP | FP | FN | TN | precision | recall |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for (rule, (ours, c)) in &per_rule {
        match ours {
            Some(id) => {
                total.add(*c);
                println!(
                    "| {rule} | {id} | {} | {} | {} | {} | {} | {} |",
                    c.tp,
                    c.fp,
                    c.fn_,
                    c.tn,
                    c.precision(),
                    c.recall()
                );
            }
            None => uncovered.push(rule.as_str()),
        }
    }
    println!(
        "| **all covered** | | **{}** | **{}** | **{}** | **{}** | **{}** | **{}** |",
        total.tp,
        total.fp,
        total.fn_,
        total.tn,
        total.precision(),
        total.recall()
    );
    if !uncovered.is_empty() {
        println!("\nNot covered: {}", uncovered.join(", "));
    }
    0
}

fn scan(dir: &str, json: bool) -> i32 {
    let scanner = match Scanner::new(SecretConfig::default()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let start = Instant::now();
    let root = std::path::Path::new(dir);
    let files: Vec<(String, std::path::PathBuf, u64)> = walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let size = e.metadata().ok()?.len();
            let rel = e
                .path()
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .into_owned();
            Some((rel, e.path().to_path_buf(), size))
        })
        .collect();
    let total_files = files.len();
    let results: Vec<(u64, Vec<palisade_core::Finding>)> = files
        .par_iter()
        .filter(|(rel, _, size)| scanner.wants(rel, *size))
        .map(|(rel, path, _)| match std::fs::read(path) {
            Ok(bytes) => (bytes.len() as u64, scanner.scan(rel, &bytes)),
            Err(e) => {
                eprintln!("{rel}: {e}");
                (0, Vec::new())
            }
        })
        .collect();
    let elapsed = start.elapsed();
    let bytes: u64 = results.iter().map(|r| r.0).sum();
    let scanned = results.len();
    let mut findings: Vec<_> = results.into_iter().flat_map(|r| r.1).collect();
    findings.sort_by(|a, b| a.location.path.cmp(&b.location.path));
    for f in &findings {
        if json {
            println!("{}", serde_json::to_string(f).unwrap_or_default());
        } else {
            let line = f.location.span.map(|s| s.start_line).unwrap_or(0);
            println!(
                "{}\t{}:{}\t{}",
                f.rule_id,
                f.location.path.as_deref().unwrap_or(""),
                line,
                f.evidence.as_deref().unwrap_or("")
            );
        }
    }
    eprintln!(
        "files: {total_files} walked, {scanned} scanned, {:.1} MiB; findings: {}; time: {:.3}s ({:.1} MiB/s)",
        bytes as f64 / 1048576.0,
        findings.len(),
        elapsed.as_secs_f64(),
        bytes as f64 / 1048576.0 / elapsed.as_secs_f64().max(1e-9)
    );
    0
}

fn repo(dir: &str) -> i32 {
    let scanner = match Scanner::new(SecretConfig::default()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let start = Instant::now();
    match scan_repo(&scanner, std::path::Path::new(dir)) {
        Ok(r) => {
            for f in &r.findings {
                let c = f
                    .location
                    .commit
                    .as_ref()
                    .map(|c| &c.id[..12])
                    .unwrap_or("");
                println!(
                    "{}\t{}:{}\t{c}\t{}",
                    f.rule_id,
                    f.location.path.as_deref().unwrap_or(""),
                    f.location.span.map(|s| s.start_line).unwrap_or(0),
                    f.evidence.as_deref().unwrap_or("")
                );
            }
            for e in &r.errors {
                eprintln!("error: {e}");
            }
            eprintln!(
                "commits: {}; findings: {}; errors: {}; time: {:.3}s",
                r.commits_scanned,
                r.findings.len(),
                r.errors.len(),
                start.elapsed().as_secs_f64()
            );
            0
        }
        Err(e) => {
            eprintln!("{e}");
            2
        }
    }
}
