//! `--format template`: user templates in minijinja (Jinja2 syntax), over the documented
//! JSON report. The context is described in `docs/templates.md`; `contrib/` ships
//! templates that use it.

use minijinja::Value;
use palisade_core::{Report, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
#[error("template {name}: {detail}")]
pub struct TemplateError {
    pub name: String,
    pub detail: String,
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    packages: usize,
    warnings: usize,
    by_severity: BTreeMap<&'static str, usize>,
    by_kind: BTreeMap<String, usize>,
    max_severity: Option<Severity>,
}

fn summary(report: &Report) -> Summary {
    let mut by_severity: BTreeMap<&'static str, usize> =
        Severity::ALL.iter().map(|s| (s.as_str(), 0)).collect();
    let mut by_kind = BTreeMap::new();
    for f in report.findings() {
        *by_severity.entry(f.severity.as_str()).or_default() += 1;
        let kind = serde_json::to_value(f.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        *by_kind.entry(kind).or_default() += 1;
    }
    Summary {
        findings: report.findings().count(),
        packages: report.results.iter().map(|t| t.packages.len()).sum(),
        warnings: report.results.iter().map(|t| t.errors.len()).sum(),
        by_severity,
        by_kind,
        max_severity: report.max_severity(),
    }
}

/// Auto-escaping by what the template produces: `report.html.tmpl` and `x.xml` escape for
/// HTML/XML; anything else (Markdown, JSON with `|tojson`, text) is written as is.
fn auto_escape(name: &str) -> minijinja::AutoEscape {
    let mut n = name.to_ascii_lowercase();
    for suffix in [".tmpl", ".tpl", ".j2", ".jinja2", ".jinja"] {
        if let Some(stem) = n.strip_suffix(suffix) {
            n = stem.to_string();
            break;
        }
    }
    if [".html", ".htm", ".xml", ".svg"]
        .iter()
        .any(|s| n.ends_with(s))
    {
        minijinja::AutoEscape::Html
    } else {
        minijinja::AutoEscape::None
    }
}

fn sha256(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Text safe inside a Markdown table cell: no line breaks, `|` escaped, and no raw HTML
/// (GitHub renders HTML in comments).
fn md_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push_str("\\`"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Every finding of every target with `target`, `target_kind` and `severity_rank` added,
/// most severe first, then by rule ID.
fn flat_findings(results: &Value) -> Value {
    let mut flat: Vec<(u8, String, Value)> = Vec::new();
    for r in results.try_iter().into_iter().flatten() {
        let target = r
            .get_attr("target")
            .and_then(|t| t.get_attr("name"))
            .unwrap_or_default();
        let kind = r
            .get_attr("target")
            .and_then(|t| t.get_attr("kind"))
            .unwrap_or_default();
        let findings = r.get_attr("findings").unwrap_or_default();
        for f in findings.try_iter().into_iter().flatten() {
            let severity = f.get_attr("severity").unwrap_or_default();
            let rank = severity
                .as_str()
                .and_then(|s| s.parse::<Severity>().ok())
                .map(|s| s as u8)
                .unwrap_or(0);
            let rule = f.get_attr("rule_id").unwrap_or_default().to_string();
            let mut entries: Vec<(Value, Value)> = f
                .try_iter()
                .into_iter()
                .flatten()
                .map(|k| {
                    let v = f.get_item(&k).unwrap_or_default();
                    (k, v)
                })
                .collect();
            entries.push(("target".into(), target.clone()));
            entries.push(("target_kind".into(), kind.clone()));
            entries.push(("severity_rank".into(), rank.into()));
            flat.push((rank, rule, Value::from_iter(entries)));
        }
    }
    flat.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    flat.into_iter().map(|(_, _, v)| v).collect()
}

/// Renders `source` (named `name`, a file name or `inline`) with the report as context.
pub fn template_report(report: &Report, name: &str, source: &str) -> Result<String, TemplateError> {
    let err = |e: minijinja::Error| TemplateError {
        name: name.to_string(),
        detail: e.to_string(),
    };
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(auto_escape);
    env.set_keep_trailing_newline(true);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    env.add_filter("sha256", sha256);
    env.add_filter("md_cell", md_cell);
    env.add_template(name, source).map_err(err)?;
    // The report becomes template values once; `results` and `findings` share its parts.
    let report_value = Value::from_serialize(report);
    let results = report_value.get_attr("results").unwrap_or_default();
    let ctx = minijinja::context! {
        findings => flat_findings(&results),
        report => report_value,
        results => results,
        summary => Value::from_serialize(summary(report)),
        severities => Severity::ALL.iter().rev().map(|s| s.as_str()).collect::<Vec<_>>(),
    };
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_output_type() {
        assert_eq!(auto_escape("r.html.tmpl"), minijinja::AutoEscape::Html);
        assert_eq!(auto_escape("junit.XML"), minijinja::AutoEscape::Html);
        assert_eq!(auto_escape("summary.md.tmpl"), minijinja::AutoEscape::None);
        assert_eq!(auto_escape("inline"), minijinja::AutoEscape::None);
    }

    #[test]
    fn a_broken_template_names_itself() {
        let r = Report::new("0.1.0", "now".into());
        let e = template_report(&r, "bad.tmpl", "{% for %}").unwrap_err();
        assert!(e.to_string().starts_with("template bad.tmpl:"), "{e}");
    }
}
