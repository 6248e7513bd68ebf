//! Software bills of materials from a scanned target: CycloneDX 1.6 JSON and SPDX 2.3 JSON.
//! Both are built as `serde_json::Value`s: the documents are shallow and the official JSON
//! schemas (validated in the tests) are the contract, not a Rust type hierarchy.

mod cyclonedx;
mod cyclonedx_vulns;
mod spdx_json;

pub use cyclonedx::cyclonedx_json;
pub use spdx_json::spdx_json;

use palisade_core::{ImageRef, Package, TargetReport};

/// Facts shared by both formats.
pub struct SbomInput<'a> {
    pub tool_version: &'a str,
    /// RFC 3339 UTC timestamp.
    pub created_at: &'a str,
    pub target: &'a TargetReport,
}

/// Whether a licence string is a valid SPDX expression (otherwise formats carry it as a name).
pub(crate) fn spdx_expression(license: &str) -> Option<String> {
    let l = license.trim();
    if l.is_empty() {
        return None;
    }
    spdx::Expression::parse(l).ok().map(|_| l.to_string())
}

/// Name and version for the root component. An image is named by its reference without
/// tag or digest (`ghcr.io/org/app`), as the user wrote it, and versioned by its manifest
/// digest, else by the tag; other targets by their name alone.
pub(crate) fn subject(t: &TargetReport) -> (String, Option<String>) {
    let Some(img) = &t.image else {
        return (t.target.name.clone(), None);
    };
    let reference = img.references.first().and_then(|r| ImageRef::parse(r).ok());
    let name = match &reference {
        Some(r) => match r.explicit_registry() {
            Some(registry) => format!("{registry}/{}", r.path()),
            None => r.path().to_string(),
        },
        None => img
            .references
            .first()
            .cloned()
            .unwrap_or_else(|| t.target.name.clone()),
    };
    let version = img
        .manifest_digest
        .clone()
        .or_else(|| reference.and_then(|r| r.tag().map(str::to_string)));
    (name, version)
}

pub(crate) fn layer_props(p: &Package) -> Vec<(String, String)> {
    let mut v = vec![("palisade:package:found_in".to_string(), p.found_in.clone())];
    // One package found in several files (installed and declared, or in two applications):
    // every further file, so that no location is lost in the SBOM.
    for l in &p.other_locations {
        if let Some(path) = &l.path {
            v.push(("palisade:package:also_found_in".into(), path.clone()));
        }
    }
    if let Some(l) = &p.layer {
        if !l.digest.is_empty() {
            v.push(("palisade:layer:digest".into(), l.digest.clone()));
        }
        if let Some(d) = &l.diff_id {
            v.push(("palisade:layer:diff_id".into(), d.clone()));
        }
        v.push(("palisade:layer:index".into(), l.index.to_string()));
        if let Some(c) = &l.created_by {
            v.push(("palisade:layer:created_by".into(), c.clone()));
        }
    }
    if let Some(s) = &p.source_name {
        if s != &p.name {
            v.push(("palisade:package:source_name".into(), s.clone()));
        }
    }
    if let Some(s) = &p.source_version {
        if s != &p.version {
            v.push(("palisade:package:source_version".into(), s.clone()));
        }
    }
    v
}

/// purls of the packages reachable through `depends_on` from an application
/// ([`Relationship::Root`](palisade_core::Relationship::Root)), the roots excluded: these
/// hang from their application in the dependency graph instead of from the scanned subject.
pub(crate) fn reached_from_roots(pkgs: &[Package]) -> std::collections::HashSet<&str> {
    use std::collections::{HashMap, HashSet};
    let by_purl: HashMap<&str, &Package> = pkgs.iter().map(|p| (p.purl.as_str(), p)).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut todo: Vec<&str> = pkgs
        .iter()
        .filter(|p| p.relationship == palisade_core::Relationship::Root)
        .flat_map(|p| p.depends_on.iter().map(String::as_str))
        .collect();
    while let Some(purl) = todo.pop() {
        if !seen.insert(purl) {
            continue;
        }
        if let Some(p) = by_purl.get(purl) {
            todo.extend(p.depends_on.iter().map(String::as_str));
        }
    }
    for p in pkgs
        .iter()
        .filter(|p| p.relationship == palisade_core::Relationship::Root)
    {
        seen.remove(p.purl.as_str());
    }
    seen
}

/// The SBOM of a report's first target as pretty JSON text; `None` when nothing was scanned.
pub fn render_report(report: &palisade_core::Report, format: SbomFormat) -> Option<String> {
    let target = report.results.first()?;
    let input = SbomInput {
        tool_version: &report.tool_version,
        created_at: &report.created_at,
        target,
    };
    let doc = match format {
        SbomFormat::CycloneDx => cyclonedx_json(&input),
        SbomFormat::SpdxJson => spdx_json(&input),
    };
    let mut text = serde_json::to_string_pretty(&doc).ok()?;
    text.push('\n');
    Some(text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SbomFormat {
    CycloneDx,
    SpdxJson,
}
