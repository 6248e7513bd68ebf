//! JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, Jenkins `junit`),
//! valid against Jenkins' junit-10.xsd: one test suite per target, one test case per rule
//! that fired on it, one `<failure>` per finding. A target without findings is one passing
//! test case, so a clean scan shows up as a passed test rather than an empty report.
//!
//! Jenkins and GitLab display the first `<failure>` of a test case in full; the test
//! case's `<system-out>` therefore lists every finding of the rule, one per line.

use crate::place::{detail, location_text};
use palisade_core::{Finding, Report, TargetReport};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::BTreeMap;
use std::io::Cursor;

/// XML 1.0 forbids most control characters even as references; a hostile file name keeps
/// its information as a visible `\u{1b}` escape instead.
fn xml_text(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r') || c == '\u{fffe}';
    if !s.chars().any(bad) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if bad(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

type W = Writer<Cursor<Vec<u8>>>;

/// Parsers turn a line break inside an attribute into a space anyway; doing it here keeps
/// test names and messages on one line whatever reads them.
fn attribute(v: &str) -> String {
    xml_text(v).replace(['\r', '\n', '\t'], " ")
}

fn element<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, attribute(v).as_str()));
    }
    e
}

fn start(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
    w.write_event(Event::Start(element(name, attrs)))
}

fn empty(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
    w.write_event(Event::Empty(element(name, attrs)))
}

fn end(w: &mut W, name: &str) -> std::io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn text_element(w: &mut W, name: &str, attrs: &[(&str, &str)], text: &str) -> std::io::Result<()> {
    start(w, name, attrs)?;
    w.write_event(Event::Text(BytesText::new(&xml_text(text))))?;
    end(w, name)
}

/// Findings of one target grouped by rule, in order of first appearance.
fn by_rule(t: &TargetReport) -> Groups<'_> {
    let mut order: Vec<&str> = Vec::new();
    let mut groups: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &t.findings {
        groups
            .entry(&f.rule_id)
            .or_insert_with(|| {
                order.push(&f.rule_id);
                Vec::new()
            })
            .push(f);
    }
    order
        .into_iter()
        .map(|id| (id, groups.remove(id).unwrap_or_default()))
        .collect()
}

fn finding_line(f: &Finding) -> String {
    let loc = location_text(&f.location);
    let mut s = format!("[{}] {}", f.severity, detail(f));
    if !loc.is_empty() {
        s = format!("{loc}: {s}");
    }
    if let Some(e) = &f.evidence {
        s.push_str(&format!(" (match: {e})"));
    }
    s
}

type Groups<'a> = Vec<(&'a str, Vec<&'a Finding>)>;

fn suite(
    w: &mut W,
    t: &TargetReport,
    groups: &Groups<'_>,
    created_at: &str,
    version: &str,
) -> std::io::Result<()> {
    let tests = groups.len().max(1).to_string();
    let failures = groups.len().to_string();
    let kind = serde_json::to_value(t.target.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    start(
        w,
        "testsuite",
        &[
            ("name", &t.target.name),
            ("tests", &tests),
            ("failures", &failures),
            ("errors", "0"),
            ("skipped", "0"),
            ("time", "0"),
            ("timestamp", created_at),
            ("package", &format!("palisade.{kind}")),
        ],
    )?;
    start(w, "properties", &[])?;
    empty(
        w,
        "property",
        &[("name", "palisade.version"), ("value", version)],
    )?;
    empty(w, "property", &[("name", "target.kind"), ("value", &kind)])?;
    if let Some(os) = &t.os {
        empty(w, "property", &[("name", "os"), ("value", &os.describe())])?;
    }
    end(w, "properties")?;
    let classname = format!("{kind}:{}", t.target.name);
    if groups.is_empty() {
        empty(
            w,
            "testcase",
            &[
                ("classname", &classname),
                ("name", "no findings"),
                ("time", "0"),
            ],
        )?;
    }
    for (rule, fs) in groups {
        let title = fs.first().map(|f| f.title.as_str()).unwrap_or_default();
        start(
            w,
            "testcase",
            &[
                ("classname", &classname),
                ("name", &format!("{rule}: {title}")),
                ("time", "0"),
            ],
        )?;
        let mut all = String::new();
        for f in fs {
            let line = finding_line(f);
            let mut body = line.clone();
            for other in &f.other_locations {
                body.push_str(&format!("\nalso in {}", location_text(other)));
            }
            if let Some(r) = &f.remediation {
                body.push_str(&format!("\nfix: {r}"));
            }
            for r in &f.references {
                body.push_str(&format!("\n{r}"));
            }
            text_element(
                w,
                "failure",
                &[("type", f.severity.as_str()), ("message", &line)],
                &body,
            )?;
            all.push_str(&line);
            all.push('\n');
        }
        text_element(w, "system-out", &[], &all)?;
        end(w, "testcase")?;
    }
    if !t.errors.is_empty() {
        let lines: Vec<String> = t
            .errors
            .iter()
            .map(|e| format!("warning ({}): {e}", e.kind))
            .collect();
        text_element(w, "system-err", &[], &(lines.join("\n") + "\n"))?;
    }
    end(w, "testsuite")
}

fn write(report: &Report) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let groups: Vec<Groups<'_>> = report.results.iter().map(by_rule).collect();
    let tests: usize = groups.iter().map(|g| g.len().max(1)).sum();
    let failures: usize = groups.iter().map(Vec::len).sum();
    start(
        &mut w,
        "testsuites",
        &[
            ("name", "palisade"),
            ("tests", &tests.to_string()),
            ("failures", &failures.to_string()),
            ("errors", "0"),
            ("time", "0"),
        ],
    )?;
    for (t, g) in report.results.iter().zip(&groups) {
        suite(&mut w, t, g, &report.created_at, &report.tool_version)?;
    }
    end(&mut w, "testsuites")?;
    let mut out = w.into_inner().into_inner();
    out.push(b'\n');
    Ok(out)
}

/// The report as a JUnit XML document.
pub fn junit_report(report: &Report) -> String {
    // Writing into memory cannot fail, and every piece written is a `&str`.
    write(report)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}
