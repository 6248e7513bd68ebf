//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
//! which the runner turns into annotations on the pull request's files.
//!
//! Escaping follows the runner (actions/toolkit `command.ts`): in the message `%`, CR and
//! LF become `%25`, `%0D`, `%0A`; in property values `:` and `,` also become `%3A`, `%2C`.
//! Since no CR or LF survives, text from a scanned file cannot start a workflow command
//! of its own (`::add-mask::`, `::stop-commands::`).

use crate::place::{detail, location_text};
use palisade_core::{target_path, Finding, Report, Severity, TargetKind, TargetReport};
use std::fmt::Write;

/// A message (the text after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Unknown => "notice",
    }
}

/// The finding's file as a path of the checked-out repository, when it is one: files of a
/// directory or config scan, relative to where the scan ran. Files inside an image or a
/// root filesystem are not in the repository; their path goes into the message.
fn repo_file(t: &TargetReport, f: &Finding) -> Option<String> {
    if !matches!(
        t.target.kind,
        TargetKind::Filesystem | TargetKind::Config | TargetKind::Repository
    ) {
        return None;
    }
    let path = f.location.path.as_deref().filter(|p| !p.is_empty())?;
    let root = target_path(&t.target.name);
    Some(if root.is_empty() || root == path || t.target.name == "-" {
        path.to_string()
    } else {
        format!("{root}/{path}")
    })
}

fn annotation(out: &mut String, t: &TargetReport, f: &Finding) {
    let mut props = Vec::new();
    let file = repo_file(t, f);
    if let Some(file) = &file {
        props.push(format!("file={}", escape_property(file)));
        if let Some(s) = f.location.span.filter(|s| s.start_line > 0) {
            props.push(format!("line={}", s.start_line));
            if s.end_line > s.start_line {
                props.push(format!("endLine={}", s.end_line));
            }
            if s.start_column > 0 && s.end_line <= s.start_line {
                props.push(format!("col={}", s.start_column));
            }
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} {}: {}", f.severity, f.rule_id, f.title))
    ));
    let mut message = detail(f);
    if file.is_none() {
        let loc = location_text(&f.location);
        if !loc.is_empty() {
            message = format!("{message}\n{}: {loc}", t.target.name);
        }
    }
    if let Some(e) = &f.evidence {
        message.push_str(&format!("\nmatch: {e}"));
    }
    if let Some(r) = f.references.first() {
        message.push_str(&format!("\n{r}"));
    }
    let _ = writeln!(
        out,
        "::{} {}::{}",
        command(f.severity),
        props.join(","),
        escape_data(&message)
    );
}

/// The report as GitHub Actions workflow commands, one line per finding and per warning.
pub fn github_report(report: &Report) -> String {
    let mut out = String::new();
    for t in &report.results {
        for f in &t.findings {
            annotation(&mut out, t, f);
        }
        for e in &t.errors {
            let _ = writeln!(
                out,
                "::warning title={}::{}",
                escape_property(&format!("palisade: {} ({})", e.kind, t.target.name)),
                escape_data(&e.to_string())
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_the_runner() {
        assert_eq!(escape_data("100%\r\nnext"), "100%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `%` first, or `%0A` written by the user would read as a newline.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
