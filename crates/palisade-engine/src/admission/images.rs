//! Image rules: where images may come from, whether they must be pinned by digest, a
//! vulnerability gate answered from stored Palisade reports, and (the one rule that asks a
//! registry, for signatures only) the signature gate. No image is ever pulled here.

use super::config::{Action, ImagesConfig, OnError, RequireSignature};
use super::signatures::SignatureStage;
use super::verdict::{Reason, Verdict};
use palisade_core::{ImageRef, Severity};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

/// IDs named in a vulnerability refusal; the count says how many more there are.
const MAX_IDS: usize = 5;
/// Reports larger than this are skipped at load (a report is a few MiB at most).
const MAX_REPORT: u64 = 256 << 20;

/// What the stored report of one image digest found at or above the gate's severity.
#[derive(Debug, Default)]
struct Gated {
    count: usize,
    ids: Vec<String>,
}

#[derive(Debug)]
struct VulnIndex {
    by_digest: HashMap<String, Gated>,
    severity: Severity,
    action: Action,
    require_report: bool,
}

/// The image rules, compiled.
#[derive(Debug, Default)]
pub(crate) struct ImageStage {
    allowed: Vec<String>,
    require_digest: bool,
    vulns: Option<VulnIndex>,
    signatures: Option<SignatureStage>,
}

impl ImageStage {
    pub fn new(cfg: &ImagesConfig) -> Result<ImageStage, super::AdmissionError> {
        use super::AdmissionError;
        let signatures = match &cfg.require_signature {
            RequireSignature::Switch(false) => None,
            RequireSignature::Switch(true) => {
                return Err(AdmissionError::Signatures(
                    "give the keys to verify with (requireSignature: {keys: [cosign.pub]})".into(),
                ))
            }
            RequireSignature::Gate(g) => Some(SignatureStage::new(g)?),
        };
        let vulns = match &cfg.vulnerabilities {
            None => None,
            Some(g) => {
                let severity = Severity::from_str(&g.severity).map_err(|e| {
                    AdmissionError::Invalid(format!("images.vulnerabilities.severity: {e}"))
                })?;
                Some(VulnIndex {
                    by_digest: index_reports(&g.reports, severity)?,
                    severity,
                    action: g.action,
                    require_report: g.require_report,
                })
            }
        };
        Ok(ImageStage {
            allowed: cfg.allowed_registries.clone(),
            require_digest: cfg.require_digest,
            vulns,
            signatures,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.allowed.is_empty()
            && !self.require_digest
            && self.vulns.is_none()
            && self.signatures.is_none()
    }

    /// Checks every image of the object's pod spec.
    pub fn check(&self, object: &Value, on_error: OnError, out: &mut Verdict) {
        if self.is_empty() {
            return;
        }
        let Some(spec) = super::pod_spec(object) else {
            return;
        };
        for key in ["initContainers", "containers", "ephemeralContainers"] {
            let Some(list) = spec.get(key).and_then(Value::as_array) else {
                continue;
            };
            for c in list {
                let name = c.get("name").and_then(Value::as_str).unwrap_or("");
                if let Some(image) = c.get("image").and_then(Value::as_str) {
                    self.check_image(name, image, on_error, out);
                }
            }
        }
    }

    /// The verified digest of a tag-only image the signature gate covers; `None` otherwise.
    pub fn pinned(&self, image: &str) -> Option<String> {
        let s = self.signatures.as_ref()?;
        let r = ImageRef::parse(image).ok()?;
        if r.digest().is_some() || !s.applies_to(&r.name()) {
            return None;
        }
        let digest = s.verified_digest(image, &r.name())?;
        Some(format!("{image}@{digest}"))
    }

    fn check_image(&self, container: &str, image: &str, on_error: OnError, out: &mut Verdict) {
        let r = match ImageRef::parse(image) {
            Ok(r) => r,
            Err(e) => {
                if !self.allowed.is_empty() || self.require_digest || self.signatures.is_some() {
                    out.deny(Reason::Image, format!("container {container:?}: {e}"));
                }
                return;
            }
        };
        if !self.allowed.is_empty() {
            let name = r.name();
            if !self.allowed.iter().any(|p| registry_matches(p, &name)) {
                out.deny(
                    Reason::Image,
                    format!(
                        "container {container:?}: image {image:?} is not from an allowed registry ({})",
                        self.allowed.join(", ")
                    ),
                );
            }
        }
        if let Some(s) = self.signatures.as_ref().filter(|s| s.applies_to(&r.name())) {
            s.check(container, image, &r.name(), on_error, out);
        }
        if self.require_digest && r.digest().is_none() {
            out.deny(
                Reason::Image,
                format!(
                    "container {container:?}: image {image:?} must be pinned by digest (@sha256:…)"
                ),
            );
        }
        let (Some(gate), Some(digest)) = (&self.vulns, r.digest()) else {
            return;
        };
        match gate.by_digest.get(digest) {
            Some(g) if g.count > 0 => {
                let more = g.count.saturating_sub(g.ids.len());
                let tail = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                out.act(
                    gate.action,
                    Reason::Vulnerability,
                    format!(
                        "container {container:?}: image {image:?} has {} finding(s) at or above {}: {}{tail}",
                        g.count,
                        gate.severity,
                        g.ids.join(", ")
                    ),
                );
            }
            Some(_) => {}
            None if gate.require_report => out.act(
                gate.action,
                Reason::Vulnerability,
                format!("container {container:?}: no scan report for image {image:?}"),
            ),
            None => {}
        }
    }
}

/// `ghcr.io/acme` admits `ghcr.io/acme/app` (a prefix ending at a path boundary);
/// `*.example.com/*` is a wildcard over the whole name (`*` spans any characters).
pub(super) fn registry_matches(pattern: &str, name: &str) -> bool {
    let pattern = pattern.trim_end_matches('/');
    if pattern.contains('*') {
        return wildcard(pattern.as_bytes(), name.as_bytes());
    }
    name == pattern
        || name
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Iterative `*` matching (no backtracking blow-up).
fn wildcard(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si, mut star, mut mark) = (0, 0, None, 0);
    while si < s.len() {
        if pi < p.len() && p[pi] != b'*' && p[pi] == s[si] {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Reads every `*.json` report under `dir` and indexes its images' digests (manifest,
/// config, and digests of the references it was read under) to the findings at or above
/// `severity`, vulnerabilities and secrets alike.
fn index_reports(
    dir: &Path,
    severity: Severity,
) -> Result<HashMap<String, Gated>, super::AdmissionError> {
    let read_err = |e: std::io::Error| super::AdmissionError::Read {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    let mut index: HashMap<String, Gated> = HashMap::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let too_big = std::fs::metadata(&path).map_or(true, |m| m.len() > MAX_REPORT);
        if too_big {
            continue;
        }
        let doc: Value = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| super::AdmissionError::Read {
                path: path.display().to_string(),
                message: "not a readable Palisade JSON report".into(),
            })?;
        let results = doc.get("results").and_then(Value::as_array);
        for result in results.map_or(&[][..], Vec::as_slice) {
            let gated = gate_findings(result, severity);
            for digest in digests(result) {
                let entry = index.entry(digest).or_default();
                entry.count = entry.count.max(gated.count);
                if entry.ids.len() < gated.ids.len() {
                    entry.ids = gated.ids.clone();
                }
            }
        }
    }
    Ok(index)
}

fn gate_findings(result: &Value, severity: Severity) -> Gated {
    let mut g = Gated::default();
    let findings = result.get("findings").and_then(Value::as_array);
    for f in findings.map_or(&[][..], Vec::as_slice) {
        let sev = f
            .get("severity")
            .and_then(Value::as_str)
            .and_then(|s| Severity::from_str(s).ok())
            .unwrap_or_default();
        if sev >= severity {
            g.count += 1;
            if g.ids.len() < MAX_IDS {
                if let Some(id) = f.get("rule_id").and_then(Value::as_str) {
                    g.ids.push(id.to_string());
                }
            }
        }
    }
    g
}

fn digests(result: &Value) -> Vec<String> {
    let Some(image) = result.get("image") else {
        return Vec::new();
    };
    let mut out: Vec<String> = ["manifest_digest", "config_digest"]
        .iter()
        .filter_map(|k| image.get(*k).and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let refs = image.get("references").and_then(Value::as_array);
    for r in refs
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(Value::as_str)
    {
        if let Some((_, d)) = r.split_once('@') {
            out.push(d.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{registry_matches, wildcard};

    #[test]
    fn registry_patterns() {
        assert!(registry_matches("ghcr.io/acme", "ghcr.io/acme/app"));
        assert!(!registry_matches("ghcr.io/acme", "ghcr.io/acme-evil/app"));
        assert!(registry_matches(
            "*.example.com/*",
            "eu.example.com/team/app"
        ));
        assert!(!registry_matches("*.example.com/*", "example.org/app"));
        assert!(registry_matches("docker.io", "docker.io/library/nginx"));
        assert!(wildcard(b"a*b*c", b"aXXbYYc"));
        assert!(!wildcard(b"a*b", b"aXXc"));
    }
}
