//! Drives the library for the benchmark scripts under `bench/dockerfile/`.
//!
//! `dfscan --jsonl`        reads `{"id", "content"}` lines on stdin, writes one line per input
//!                         with the rule IDs that fired, their related IDs and parse errors.
//! `dfscan --rules`        prints every rule's ID, family, title and related IDs as JSON.
//! `dfscan FILE...`        lints files (the speed benchmark) and prints a one-line summary.

use std::io::{BufRead, Write};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("--jsonl") => jsonl(),
        Some("--rules") => {
            let rules: Vec<_> = palisade_dockerfile::rules()
                .iter()
                .map(|r| serde_json::json!({"id": r.id, "family": r.family, "title": r.title, "related": r.related}))
                .collect();
            println!("{}", serde_json::Value::Array(rules));
            0
        }
        _ => files(&args),
    };
    std::process::exit(code);
}

fn jsonl() -> i32 {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for (n, line) in stdin.lock().lines().enumerate() {
        let Ok(line) = line else { return 2 };
        let v: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("dfscan: input line {}: {e}", n + 1);
                return 2;
            }
        };
        let content = v.get("content").and_then(|c| c.as_str()).unwrap_or("");
        let scan = palisade_dockerfile::scan_dockerfile("Dockerfile", content);
        let rules: Vec<&str> = scan.findings.iter().map(|f| f.rule_id.as_str()).collect();
        let related: Vec<&str> = scan
            .findings
            .iter()
            .flat_map(|f| f.related.iter().map(String::as_str))
            .collect();
        let errors: Vec<String> = scan.errors.iter().map(|e| e.message.clone()).collect();
        let rec = serde_json::json!({"id": v.get("id"), "rules": rules, "related": related, "errors": errors});
        if writeln!(out, "{rec}").is_err() {
            return 0;
        }
    }
    0
}

fn files(paths: &[String]) -> i32 {
    let (mut findings, mut errors, mut unreadable) = (0usize, 0usize, 0usize);
    for p in paths {
        match std::fs::read(p) {
            Ok(bytes) => {
                let scan =
                    palisade_dockerfile::scan_dockerfile(p, &String::from_utf8_lossy(&bytes));
                findings += scan.findings.len();
                errors += scan.errors.len();
            }
            Err(e) => {
                eprintln!("dfscan: {p}: {e}");
                unreadable += 1;
            }
        }
    }
    println!(
        "files={} findings={findings} parse_errors={errors} unreadable={unreadable}",
        paths.len()
    );
    0
}
