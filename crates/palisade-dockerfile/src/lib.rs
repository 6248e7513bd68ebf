//! Palisade's Dockerfile linter: a BuildKit-compatible parser with spans, shell awareness
//! for `RUN`, rules of family `dockerfile` (DF…) and checks of built image configs
//! (family `image-config`, IC…).

pub mod image;
pub mod parser;
pub mod rules;
pub mod shell;
mod windows;

use palisade_core::{Finding, FindingKind, Location, RuleMeta, ScanError};
use std::path::Path;

/// Findings and non-fatal problems of one Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct DockerfileScan {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
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
    let mut findings = Vec::new();
    for rule in rules::all() {
        for hit in (rule.check)(&ctx) {
            findings.push(finding(
                &rule.meta,
                Location::file(path).with_span(hit.span),
                hit.message,
                hit.evidence,
            ));
        }
    }
    findings.sort_by(|a, b| {
        let la = a
            .location
            .span
            .map(|s| (s.start_line, s.start_column))
            .unwrap_or_default();
        let lb = b
            .location
            .span
            .map(|s| (s.start_line, s.start_column))
            .unwrap_or_default();
        la.cmp(&lb).then_with(|| a.rule_id.cmp(&b.rule_id))
    });
    DockerfileScan { findings, errors }
}

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
