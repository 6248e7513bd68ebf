//! A self-contained HTML report: one file, no network. Tables are rendered on the server
//! side so the report reads without JavaScript; a small inline script adds sorting and
//! filtering. Everything from the scan goes through minijinja's HTML auto-escaping, and a
//! Content-Security-Policy admits only the report's own script and style (by hash), so
//! even markup that slipped through could neither run nor load anything.

mod rows;

use crate::place::rank;
use base64::Engine as _;
use palisade_core::{Finding, FindingKind, Report, Severity, TargetKind};
use rows::{sev_class, Table};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const TEMPLATE: &str = include_str!("report.html");
const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

#[derive(Serialize)]
struct View<'a> {
    title: String,
    tool_version: &'a str,
    created_at: &'a str,
    csp: &'static str,
    style: &'static str,
    script: &'static str,
    targets: Vec<TargetView>,
    many_targets: bool,
    cards: Vec<Card>,
    severity_chart: Vec<Bar>,
    ecosystem_chart: Vec<Bar>,
    layer_chart: Vec<LayerBar>,
    vulns: Table,
    secrets: Table,
    misconfigs: Table,
    detections: Table,
    licenses: Table,
    packages: Table,
    warnings: Table,
}

#[derive(Serialize)]
struct TargetView {
    name: String,
    kind: &'static str,
    os: Option<String>,
    image: Option<String>,
}

#[derive(Serialize)]
struct Card {
    label: &'static str,
    value: usize,
    id: &'static str,
    class: &'static str,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    count: usize,
    width: f64,
    class: String,
}

#[derive(Serialize)]
struct Segment {
    x: f64,
    width: f64,
    class: &'static str,
    count: usize,
    label: &'static str,
}

#[derive(Serialize)]
struct LayerBar {
    label: String,
    created_by: String,
    caption: String,
    total: usize,
    segments: Vec<Segment>,
}

fn kind_name(k: TargetKind) -> &'static str {
    match k {
        TargetKind::Image => "image",
        TargetKind::Rootfs => "rootfs",
        TargetKind::Filesystem => "filesystem",
        TargetKind::Repository => "repository",
        TargetKind::Config => "config",
    }
}

/// `'sha256-…'` of an inline element's text, as CSP compares it.
fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn csp() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| {
        format!(
            "default-src 'none'; script-src {}; style-src {}; img-src data:; \
             base-uri 'none'; form-action 'none'",
            csp_hash(SCRIPT),
            csp_hash(STYLE)
        )
    })
}

fn env() -> &'static minijinja::Environment<'static> {
    static ENV: OnceLock<minijinja::Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = minijinja::Environment::new();
        // The name ends in `.html`: minijinja escapes every `{{ }}` for HTML. Control
        // characters (ESC from a tar header) are shown as `\u{1b}`, as in the table.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(s) if !value.is_safe() && s.chars().any(char::is_control) => {
                let shown = minijinja::Value::from(crate::escape_controls(s).into_owned());
                minijinja::escape_formatter(out, state, &shown)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        env.add_template("report.html", TEMPLATE)
            .expect("the built-in HTML template parses");
        env
    })
}

fn bars(counts: Vec<(String, usize, String)>) -> Vec<Bar> {
    let max = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1) as f64;
    counts
        .into_iter()
        .map(|(label, count, class)| Bar {
            label,
            count,
            width: (count as f64 / max * 100.0 * 10.0).round() / 10.0,
            class,
        })
        .collect()
}

/// A layer's `created_by` short enough for a chart label (the whole text is its tooltip).
fn caption(created_by: &str) -> String {
    let s = created_by
        .trim_start_matches("/bin/sh -c ")
        .trim_start_matches("#(nop) ")
        .trim();
    if s.chars().count() <= 64 {
        return s.to_string();
    }
    let mut t: String = s.chars().take(63).collect();
    t.push('…');
    t
}

/// Findings by image layer, stacked by severity: where in the build the risk came in.
fn layer_chart(report: &Report) -> Vec<LayerBar> {
    let mut by: BTreeMap<(usize, usize), (String, [usize; 5])> = BTreeMap::new();
    for (ti, t) in report.results.iter().enumerate() {
        if t.target.kind != TargetKind::Image {
            continue;
        }
        if let Some(img) = &t.image {
            for l in &img.layers {
                by.entry((ti, l.index))
                    .or_insert_with(|| (l.created_by.clone().unwrap_or_default(), [0; 5]));
            }
        }
        for f in &t.findings {
            if let Some(l) = &f.location.layer {
                let e = by
                    .entry((ti, l.index))
                    .or_insert_with(|| (l.created_by.clone().unwrap_or_default(), [0; 5]));
                e.1[rank(f.severity) as usize] += 1;
            }
        }
    }
    let max = by
        .values()
        .map(|(_, c)| c.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let many = report.results.len() > 1;
    by.into_iter()
        .map(|((ti, index), (created_by, counts))| {
            let mut x = 0.0;
            let mut segments = Vec::new();
            for s in Severity::ALL.iter().rev() {
                let n = counts[rank(*s) as usize];
                if n == 0 {
                    continue;
                }
                let width = (n as f64 / max * 100.0 * 10.0).round() / 10.0;
                segments.push(Segment {
                    x,
                    width,
                    class: sev_class(*s),
                    count: n,
                    label: s.as_str(),
                });
                x += width;
            }
            LayerBar {
                label: if many {
                    format!("{} #{index}", ti + 1)
                } else {
                    format!("#{index}")
                },
                caption: caption(&created_by),
                created_by,
                total: counts.iter().sum(),
                segments,
            }
        })
        .collect()
}

fn view(report: &Report) -> View<'_> {
    let mut vulns = Table::default();
    let mut secrets = Table::default();
    let mut misconfigs = Table::default();
    let mut detections = Table::default();
    let mut licenses = Table::default();
    let mut packages = Table::default();
    let mut warnings = Table::default();
    let mut by_sev = [0usize; 5];
    let mut by_eco: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut targets = Vec::new();
    let many_targets = report.results.len() > 1;
    for t in &report.results {
        let name = &t.target.name;
        let target = many_targets.then_some(name.as_str());
        targets.push(TargetView {
            name: name.clone(),
            kind: kind_name(t.target.kind),
            os: t.os.as_ref().map(|o| o.describe()),
            image: t.image.as_ref().map(|i| {
                format!(
                    "{}/{} · {} layers · {}",
                    i.os,
                    i.architecture,
                    i.layers.len(),
                    i.manifest_digest.as_deref().unwrap_or(&i.config_digest)
                )
            }),
        });
        let mut findings: Vec<&Finding> = t.findings.iter().collect();
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.rule_id.cmp(&b.rule_id))
        });
        for f in findings {
            by_sev[rank(f.severity) as usize] += 1;
            match f.kind {
                FindingKind::Vulnerability => vulns.vulnerability(target, f),
                FindingKind::Secret => secrets.secret(target, f),
                FindingKind::Misconfiguration => misconfigs.misconfiguration(target, f),
                FindingKind::License => licenses.license(target, f),
                FindingKind::Detection => detections.misconfiguration(target, f),
            }
        }
        for p in &t.packages {
            *by_eco.entry(p.ecosystem.as_str()).or_default() += 1;
            packages.package(target, p);
        }
        for e in &t.errors {
            warnings.warning(target, e);
        }
    }
    let cards = vec![
        Card {
            label: "Vulnerabilities",
            value: vulns.count,
            id: "vulns",
            class: "",
        },
        Card {
            label: "Secrets",
            value: secrets.count,
            id: "secrets",
            class: "",
        },
        Card {
            label: "Misconfigurations",
            value: misconfigs.count,
            id: "misconfigs",
            class: "",
        },
        Card {
            label: "Packages",
            value: packages.count,
            id: "packages",
            class: "",
        },
        Card {
            label: "Critical",
            value: by_sev[rank(Severity::Critical) as usize],
            id: "filters",
            class: "critical",
        },
        Card {
            label: "Warnings",
            value: warnings.count,
            id: "warnings",
            class: "",
        },
    ];
    let severity_chart = bars(
        Severity::ALL
            .iter()
            .rev()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    by_sev[rank(*s) as usize],
                    sev_class(*s).to_string(),
                )
            })
            .collect(),
    );
    let mut eco: Vec<(String, usize, String)> = by_eco
        .into_iter()
        .map(|(k, v)| (k.to_string(), v, "eco".to_string()))
        .collect();
    eco.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let title = match report.results.as_slice() {
        [one] => one.target.name.clone(),
        many => format!("{} targets", many.len()),
    };
    View {
        title,
        tool_version: &report.tool_version,
        created_at: &report.created_at,
        csp: csp(),
        style: STYLE,
        script: SCRIPT,
        many_targets,
        targets,
        cards,
        severity_chart,
        ecosystem_chart: bars(eco),
        layer_chart: layer_chart(report),
        vulns,
        secrets,
        misconfigs,
        detections,
        licenses,
        packages,
        warnings,
    }
}

/// The report as one HTML page.
pub fn html_report(report: &Report) -> String {
    let rendered = env()
        .get_template("report.html")
        .and_then(|t| t.render(view(report)));
    match rendered {
        Ok(s) => s,
        // The template is ours and fixed; a failure here is a bug, shown rather than hidden.
        Err(e) => format!(
            "<!doctype html><title>palisade</title><p>report rendering failed: {}</p>\n",
            minijinja::HtmlEscape(&e.to_string())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_admits_exactly_the_shipped_script_and_style() {
        let c = csp();
        assert!(c.contains(&csp_hash(SCRIPT)) && c.contains(&csp_hash(STYLE)));
        assert!(!c.contains("unsafe-inline"));
    }
}
