//! CycloneDX `vulnerabilities`: one entry per advisory, `affects` naming every component it
//! was found on, as Trivy writes them when a scan ran the vulnerability scanner.

use palisade_core::{Finding, FindingKind, Severity};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Vulnerability findings of the target, as CycloneDX 1.6 objects. `component_ref` maps a
/// package purl to its component's `bom-ref`.
pub(crate) fn vulnerabilities(
    findings: &[Finding],
    component_ref: &dyn Fn(&str) -> Option<String>,
) -> Vec<Value> {
    let mut by_id: BTreeMap<&str, (Value, Vec<Value>)> = BTreeMap::new();
    for f in findings
        .iter()
        .filter(|f| f.kind == FindingKind::Vulnerability)
    {
        let Some(v) = &f.vulnerability else { continue };
        let affect = v
            .purl
            .as_deref()
            .and_then(component_ref)
            .map(|r| json!({"ref": r, "versions": [{"version": v.installed_version, "status": "affected"}]}));
        let entry = by_id
            .entry(f.rule_id.as_str())
            .or_insert_with(|| (describe(f), Vec::new()));
        if let Some(a) = affect {
            if !entry.1.contains(&a) {
                entry.1.push(a);
            }
        }
    }
    by_id
        .into_values()
        .map(|(mut v, affects)| {
            v["affects"] = Value::Array(affects);
            v
        })
        .collect()
}

fn describe(f: &Finding) -> Value {
    let mut v = json!({
        "bom-ref": format!("palisade:vuln:{}", f.rule_id),
        "id": f.rule_id,
        "source": source(&f.rule_id),
        "ratings": [rating(f)],
        "description": f.title,
    });
    let Some(info) = &f.vulnerability else {
        return v;
    };
    if !info.aliases.is_empty() {
        v["references"] = Value::Array(
            info.aliases
                .iter()
                .map(|a| json!({"id": a, "source": source(a)}))
                .collect(),
        );
    }
    let urls: Vec<Value> = f
        .references
        .iter()
        .filter(|u| u.starts_with("http"))
        .map(|u| json!({"url": u}))
        .collect();
    if !urls.is_empty() {
        v["advisories"] = Value::Array(urls);
    }
    // A scanner's match is unreviewed: "in triage" until a person or a VEX document says more.
    v["analysis"] = if info.fixed_versions.is_empty() {
        json!({"state": "in_triage", "detail": "no fixed version published"})
    } else {
        v["recommendation"] = json!(format!("Upgrade to {}", info.fixed_versions.join(" or ")));
        json!({"state": "in_triage", "response": ["update"]})
    };
    v
}

fn rating(f: &Finding) -> Value {
    let severity = match f.severity {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Unknown => "unknown",
    };
    let mut r = json!({"severity": severity});
    if let Some(info) = &f.vulnerability {
        if let Some(s) = info.cvss_score {
            r["score"] = json!(s);
        }
        if let Some(vec) = &info.cvss_vector {
            r["vector"] = json!(vec);
            let method = if vec.starts_with("CVSS:4") {
                "CVSSv4"
            } else if vec.starts_with("CVSS:3.1") {
                "CVSSv31"
            } else if vec.starts_with("CVSS:3") {
                "CVSSv3"
            } else {
                "CVSSv2"
            };
            r["method"] = json!(method);
        }
    }
    r
}

/// The database an ID comes from, by its prefix.
fn source(id: &str) -> Value {
    let (name, url) = match id.split('-').next().unwrap_or("") {
        "CVE" => ("NVD", format!("https://nvd.nist.gov/vuln/detail/{id}")),
        "GHSA" => ("GitHub", format!("https://github.com/advisories/{id}")),
        _ => ("OSV", format!("https://osv.dev/vulnerability/{id}")),
    };
    json!({"name": name, "url": url})
}
