//! `palisade config`: Dockerfiles and Kubernetes manifests in a file, a directory or stdin.

use crate::cli::ConfigArgs;
use crate::output;
use anyhow::{Context, Result};
use palisade_core::{Report, ScanError, Target, TargetKind, TargetReport};
use std::io::Read;
use std::path::Path;

/// Manifests and Dockerfiles are small; anything bigger is not configuration.
const MAX_CONFIG_FILE: u64 = 16 << 20;

pub fn run(args: &ConfigArgs) -> Result<i32> {
    let mut dockerfiles: Vec<(String, String)> = Vec::new();
    let mut manifests: Vec<(String, String)> = Vec::new();
    let mut errors: Vec<ScanError> = Vec::new();
    let name = args.path.display().to_string();
    if name == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading stdin")?;
        if looks_like_dockerfile_text(&text) {
            dockerfiles.push(("<stdin>".into(), text));
        } else {
            manifests.push(("<stdin>".into(), text));
        }
    } else if args.path.is_file() {
        let text = read_text(&args.path)?;
        classify(
            &args.path,
            &name,
            text,
            &mut dockerfiles,
            &mut manifests,
            true,
        );
    } else if args.path.is_dir() {
        let walker = walkdir::WalkDir::new(&args.path)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                !(e.file_type().is_dir()
                    && is_skipped_dir(e.file_name().to_string_lossy().as_ref()))
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(ScanError::new(name.clone(), e.to_string()));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let p = entry.path();
            let wanted = palisade_dockerfile::is_dockerfile(p)
                || matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                );
            if !wanted || entry.metadata().map(|m| m.len()).unwrap_or(0) > MAX_CONFIG_FILE {
                continue;
            }
            let rel = p
                .strip_prefix(&args.path)
                .unwrap_or(p)
                .display()
                .to_string();
            match read_text(p) {
                Ok(text) => classify(p, &rel, text, &mut dockerfiles, &mut manifests, false),
                Err(e) => errors.push(ScanError::new(rel, format!("{e:#}"))),
            }
        }
    } else {
        anyhow::bail!("{name}: no such file or directory");
    }

    let mut tr = TargetReport::new(Target {
        kind: TargetKind::Config,
        name,
    });
    tr.errors = errors;
    for (path, text) in &dockerfiles {
        let scan = palisade_dockerfile::scan_dockerfile(path, text);
        tr.findings.extend(scan.findings);
        tr.errors.extend(scan.errors);
    }
    if !manifests.is_empty() {
        let opts = palisade_kube::KubeOptions {
            pss_version: args.pss_version.clone(),
            allowed_registries: args.allowed_registries.clone(),
        };
        let scan = palisade_kube::scan_manifests(&manifests, &opts);
        tr.findings.extend(scan.findings);
        tr.errors.extend(scan.errors);
    }
    if let Some(fw) = &args.compliance {
        let summary = palisade_kube::compliance_summary(fw, &tr.findings)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        tr.compliance = Some(serde_json::to_value(&summary)?);
    }
    let mut report = Report::new(env!("CARGO_PKG_VERSION"), output::now_rfc3339());
    report.results.push(tr);
    crate::suppress::apply_all(&mut report, &args.common, &[])?;
    output::emit(report, &args.common)
}

fn is_skipped_dir(name: &str) -> bool {
    matches!(
        name,
        ".git" | "node_modules" | ".terraform" | "vendor" | "target"
    )
}

fn read_text(p: &Path) -> Result<String> {
    let mut buf = Vec::new();
    std::fs::File::open(p)
        .with_context(|| format!("{}: cannot open", p.display()))?
        .take(MAX_CONFIG_FILE)
        .read_to_end(&mut buf)
        .with_context(|| format!("{}: cannot read", p.display()))?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

fn classify(
    p: &Path,
    rel: &str,
    text: String,
    dockerfiles: &mut Vec<(String, String)>,
    manifests: &mut Vec<(String, String)>,
    explicit: bool,
) {
    if palisade_dockerfile::is_dockerfile(p) || (explicit && looks_like_dockerfile_text(&text)) {
        dockerfiles.push((rel.to_string(), text));
    } else if palisade_kube::looks_like_manifest(p, &text) || explicit {
        manifests.push((rel.to_string(), text));
    }
}

fn looks_like_dockerfile_text(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            l.to_ascii_uppercase().starts_with("FROM ")
                || l.to_ascii_uppercase().starts_with("ARG ")
        })
}
