//! Palisade's Dockerfile linter: a BuildKit-compatible parser with spans, shell awareness
//! for `RUN`, rules of family `dockerfile` (DF…) and checks of built image configs
//! (family `image-config`, IC…).

pub mod facts;
pub mod image;
pub mod parser;
pub mod rules;
pub mod shell;
mod windows;

use palisade_core::{keep_most_severe, Finding, FindingKind, Location, RuleMeta, ScanError};
use std::path::Path;

/// Findings and non-fatal problems of one Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct DockerfileScan {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    /// Findings past [`MAX_FINDINGS_PER_FILE`] that were not reported (the most severe are
    /// kept); the caller says so in its warnings.
    pub dropped: usize,
}

/// Every rule of this crate: Dockerfile rules, then image-config rules.
pub fn rules() -> Vec<&'static RuleMeta> {
    rules::all()
        .iter()
        .map(|r| &r.meta)
        .chain(image::all().iter().map(|r| &r.meta))
        .collect()
}

/// The rules a (possibly foreign) ID names: `DF010`, `DL3008`, `DS-0002`, `CKV_DOCKER_3`.
/// Used to map `--ignore DL3008` onto Palisade rules.
pub fn rules_answering(id: &str) -> Vec<&'static RuleMeta> {
    rules().into_iter().filter(|r| r.answers_to(id)).collect()
}

/// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `Dockerfile.*` (not `Dockerfile.md`), any case.
pub fn is_dockerfile(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let l = name.to_ascii_lowercase();
    l == "dockerfile"
        || l == "containerfile"
        || l.ends_with(".dockerfile")
        || l.ends_with(".containerfile")
        || (l.starts_with("dockerfile.") && !l.ends_with(".md"))
        || l.starts_with("containerfile.")
}

/// Parses and lints one Dockerfile. Never panics; parse problems go to `errors` and the
/// remaining instructions are still checked. Findings name `path` in [`Location::path`] form.
pub fn scan_dockerfile(path: &str, content: &str) -> DockerfileScan {
    let df = parser::parse(content);
    let errors = df
        .errors
        .iter()
        .map(|e| ScanError::corrupt(path, e.to_string()))
        .collect();
    let ctx = rules::Ctx::new(&df);
    let mut hits: Vec<(&'static rules::Rule, rules::Hit)> = Vec::new();
    let mut dropped = 0;
    let severity = |(rule, _): &(&'static rules::Rule, rules::Hit)| rule.meta.severity;
    for rule in rules::all() {
        hits.extend((rule.check)(&ctx).into_iter().map(|h| (*rule, h)));
        // Findings carry docs and remediation: 100,000 `RUN` lines gave half a million of
        // them and 1.1 GB. Keeping the most severe as the rules go holds at most twice the cap.
        if hits.len() > 2 * MAX_FINDINGS_PER_FILE {
            dropped += keep_most_severe(&mut hits, MAX_FINDINGS_PER_FILE, severity);
        }
    }
    dropped += keep_most_severe(&mut hits, MAX_FINDINGS_PER_FILE, severity);
    hits.sort_by_key(|(r, h)| (h.span.start_line, h.span.start_column, r.meta.id));
    let findings = hits
        .into_iter()
        .map(|(rule, hit)| {
            finding(
                &rule.meta,
                Location::file(path).with_span(hit.span),
                hit.message,
                hit.evidence,
            )
        })
        .collect();
    DockerfileScan {
        findings,
        errors,
        dropped,
    }
}

/// The most findings one Dockerfile reports; the rest are counted in a warning.
pub const MAX_FINDINGS_PER_FILE: usize = 100_000;

/// Checks a built image's full OCI config blob (`config`, `history`, ...).
pub fn scan_image_config(config: &serde_json::Value) -> Vec<Finding> {
    image::scan(config)
}

pub(crate) fn finding(
    meta: &RuleMeta,
    location: Location,
    message: String,
    evidence: Option<String>,
) -> Finding {
    let mut f = Finding::new(
        meta.id,
        FindingKind::Misconfiguration,
        meta.severity,
        meta.title,
        message,
        location,
    );
    f.evidence = evidence;
    f.remediation = Some(meta.docs.fix.to_string());
    f.references = meta.references.iter().map(|s| s.to_string()).collect();
    f.related = meta.related.iter().map(|s| s.to_string()).collect();
    f
}
