//! The closing summary: counts by scanner and severity, or a plain "no findings".

use super::{by_severity, grid, plural, TableOptions};
use palisade_core::{Finding, FindingKind, Report, Severity};
use std::fmt::Write;

pub fn kind_title(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Vulnerability => "Vulnerabilities",
        FindingKind::Secret => "Secrets",
        FindingKind::Misconfiguration => "Misconfigurations",
        FindingKind::License => "Licenses",
        FindingKind::Detection => "Runtime detections",
    }
}

/// `12 (HIGH: 3, MEDIUM: 9)`: the severities that occur, highest first.
pub fn counts_line(fs: &[&Finding]) -> String {
    let by = by_severity(fs);
    let parts: Vec<String> = by.iter().rev().map(|(s, n)| format!("{s}: {n}")).collect();
    format!("{} ({})", fs.len(), parts.join(", "))
}

pub fn closing(out: &mut String, report: &Report, opts: TableOptions) {
    let all: Vec<&Finding> = report.findings().collect();
    let targets = report.results.len();
    let packages: usize = report.results.iter().map(|r| r.packages.len()).sum();
    let warnings: usize = report.results.iter().map(|r| r.errors.len()).sum();
    let _ = writeln!(out, "\n{}", grid::bold("Summary", opts.color));
    let mut scanned = plural(targets, "target");
    if packages > 0 {
        scanned.push_str(&format!(", {}", plural(packages, "package")));
    }
    if all.is_empty() {
        let _ = writeln!(out, "No findings ({scanned}).");
    } else {
        let mut header = vec!["Scanner"];
        header.extend(Severity::ALL.iter().rev().map(|s| s.as_str()));
        header.push("Total");
        let mut table = grid::table(&header, opts.width, opts.color);
        for kind in [
            FindingKind::Vulnerability,
            FindingKind::Secret,
            FindingKind::Misconfiguration,
            FindingKind::Detection,
            FindingKind::License,
        ] {
            let fs: Vec<&Finding> = all.iter().copied().filter(|f| f.kind == kind).collect();
            if !fs.is_empty() {
                table.add_row(count_row(kind_title(kind), &fs));
            }
        }
        table.add_row(count_row("Total", &all));
        let _ = writeln!(out, "{table}");
        let _ = writeln!(out, "{} in {scanned}.", plural(all.len(), "finding"));
    }
    if warnings > 0 {
        let _ = writeln!(
            out,
            "{} above: parts of the input were not scanned.",
            plural(warnings, "warning")
        );
    }
}

fn count_row(name: &str, fs: &[&Finding]) -> Vec<String> {
    let by = by_severity(fs);
    let mut cells = vec![name.to_string()];
    cells.extend(
        Severity::ALL
            .iter()
            .rev()
            .map(|s| by.get(s).copied().unwrap_or(0).to_string()),
    );
    cells.push(fs.len().to_string());
    cells
}
