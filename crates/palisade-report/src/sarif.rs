use crate::RuleLookup;
use palisade_core::{Finding, Report, Severity};
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Unknown => "note",
    }
}

/// GitHub code scanning ranks by this numeric string.
fn security_severity(s: Severity, f: Option<&Finding>) -> String {
    if let Some(score) = f
        .and_then(|f| f.vulnerability.as_ref())
        .and_then(|v| v.cvss_score)
    {
        return format!("{score:.1}");
    }
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "2.0",
        Severity::Unknown => "0.0",
    }
    .to_string()
}

/// Percent-encodes what may not appear in a URI reference, keeping `/`.
fn uri(path: &str) -> String {
    palisade_core::percent_encode(path.trim_start_matches('/'), b"/@+:")
}

/// SARIF 2.1.0 log, one run for all targets.
pub fn sarif_report(report: &Report, rules: RuleLookup<'_>) -> String {
    let mut descriptors: BTreeMap<String, (usize, Value)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut results = Vec::new();
    for tr in &report.results {
        for f in &tr.findings {
            if !descriptors.contains_key(&f.rule_id) {
                descriptors.insert(f.rule_id.clone(), (order.len(), descriptor(f, rules)));
                order.push(f.rule_id.clone());
            }
            let index = descriptors.get(&f.rule_id).map(|(i, _)| *i).unwrap_or(0);
            results.push(result(f, index, &tr.target.name));
        }
    }
    let rules_json: Vec<Value> = order
        .iter()
        .filter_map(|id| descriptors.remove(id).map(|(_, v)| v))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "palisade",
                "version": report.tool_version,
                "informationUri": "https://github.com/palisade-sec/palisade",
                "rules": rules_json,
            }},
            "results": results,
            "invocations": [invocation(report)],
            "columnKind": "utf16CodeUnits",
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// The scan's warnings (unreadable files, parts skipped, unmatched packages) as tool
/// execution notifications, so a consumer of the SARIF file sees the blind spots too.
fn invocation(report: &Report) -> Value {
    let notifications: Vec<Value> = report
        .results
        .iter()
        .flat_map(|tr| &tr.errors)
        .map(|e| {
            json!({
                "level": "warning",
                "message": {"text": e.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&e.source)}}}],
            })
        })
        .collect();
    json!({"executionSuccessful": true, "toolExecutionNotifications": notifications})
}

fn descriptor(f: &Finding, rules: RuleLookup<'_>) -> Value {
    let meta = rules(&f.rule_id);
    let title = meta.map(|m| m.title).unwrap_or(&f.title);
    let severity = meta.map(|m| m.severity).unwrap_or(f.severity);
    let mut d = json!({
        "id": f.rule_id,
        "name": f.rule_id.replace(|c: char| !c.is_ascii_alphanumeric(), ""),
        "shortDescription": {"text": title},
        "fullDescription": {"text": meta.map(|m| m.docs.why.trim()).unwrap_or(&f.title)},
        "defaultConfiguration": {"level": level(severity)},
        "properties": {
            "security-severity": security_severity(severity, meta.is_none().then_some(f)),
            "tags": ["security", format!("{:?}", f.kind).to_lowercase()],
            "precision": "very-high",
        },
    });
    if let Some(m) = meta {
        d["help"] = json!({"text": m.docs.fix.trim(), "markdown": m.to_markdown()});
        if !m.related.is_empty() {
            d["properties"]["related"] = json!(m.related);
        }
        if !m.partial.is_empty() {
            d["properties"]["partial"] = json!(m.partial);
        }
    } else if !f.related.is_empty() {
        d["properties"]["related"] = json!(f.related);
    }
    if let Some(r) = f.references.first().filter(|r| r.starts_with("http")) {
        d["helpUri"] = json!(r);
    }
    d
}

fn result(f: &Finding, index: usize, target: &str) -> Value {
    let path = f
        .location
        .path
        .clone()
        .or_else(|| f.location.purl.clone())
        .unwrap_or_else(|| target.to_string());
    let mut physical = json!({"artifactLocation": {"uri": uri(&path)}});
    if let Some(s) = f.location.span {
        if s.start_line > 0 {
            let mut region = json!({"startLine": s.start_line});
            if s.start_column > 0 {
                region["startColumn"] = json!(s.start_column);
            }
            if s.end_line >= s.start_line {
                region["endLine"] = json!(s.end_line);
            }
            physical["region"] = region;
        }
    }
    let mut loc = json!({"physicalLocation": physical});
    let mut logical = Vec::new();
    if let Some(o) = &f.location.object {
        let name = match &o.namespace {
            Some(ns) => format!("{}/{ns}/{}", o.kind, o.name),
            None => format!("{}/{}", o.kind, o.name),
        };
        logical.push(json!({"fullyQualifiedName": name, "kind": "object"}));
    }
    if !logical.is_empty() {
        loc["logicalLocations"] = Value::Array(logical);
    }
    let mut locations = vec![loc];
    // A package found in several files is one result: SARIF's `locations` lists each file.
    for other in &f.other_locations {
        if let Some(p) = &other.path {
            locations.push(json!({"physicalLocation": {"artifactLocation": {"uri": uri(p)}}}));
        }
    }
    let mut message = f.message.clone();
    if let Some(l) = &f.location.layer {
        message.push_str(&format!(" (layer {} {})", l.index, l.digest));
    }
    let mut props = json!({"target": target, "severity": f.severity.as_str()});
    if let Some(e) = &f.evidence {
        props["evidence"] = json!(e);
    }
    let fingerprint = format!(
        "{}:{}:{}",
        f.rule_id,
        path,
        f.location.span.map(|s| s.start_line).unwrap_or(0)
    );
    json!({
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": {"text": message},
        "locations": locations,
        "partialFingerprints": {"palisade/v1": fingerprint},
        "properties": props,
    })
}
