//! Stand-in for `palisade config` until the CLI wires this crate in: scans files and directories
//! (recursively) and prints findings as JSON lines, or a count summary with `--summary`.
//!
//! `cargo run --release -p palisade-kube --example kube_scan -- [--summary] [--pss-version v1.N]
//!  [--allow-registry R]... [--compliance FW] PATH...`

use palisade_kube::{compliance_summary, looks_like_manifest, scan_manifests, KubeOptions};
use std::path::{Path, PathBuf};

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let Ok(rd) = std::fs::read_dir(p) else {
            eprintln!("{}: cannot read directory", p.display());
            return;
        };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            walk(&e, out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let mut opts = KubeOptions::default();
    let mut summary = false;
    let mut compliance: Option<String> = None;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--summary" => summary = true,
            "--pss-version" => opts.pss_version = args.next(),
            "--allow-registry" => opts.allowed_registries.extend(args.next()),
            "--compliance" => compliance = args.next(),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    let mut files = Vec::new();
    for p in &paths {
        walk(p, &mut files);
    }
    let mut inputs = Vec::new();
    for f in files {
        match std::fs::read(&f) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                if looks_like_manifest(&f, &text) {
                    inputs.push((f.display().to_string(), text));
                }
            }
            Err(e) => eprintln!("{}: {e}", f.display()),
        }
    }
    let scan = scan_manifests(&inputs, &opts);
    for e in &scan.errors {
        eprintln!("error: {e}");
    }
    if let Some(fw) = compliance {
        match compliance_summary(&fw, &scan.findings) {
            Ok(s) => println!("{}", serde_json::to_string_pretty(&s).unwrap_or_default()),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
        return;
    }
    if summary {
        println!(
            "files={} objects={} findings={} errors={} workloads={}",
            inputs.len(),
            scan.objects,
            scan.findings.len(),
            scan.errors.len(),
            scan.workloads.len()
        );
        return;
    }
    for f in &scan.findings {
        println!("{}", serde_json::to_string(f).unwrap_or_default());
    }
}
