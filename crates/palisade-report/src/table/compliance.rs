//! `--compliance`: one row per control, as `trivy k8s --compliance` and kube-bench print
//! them. The summary travels in the report as the framework's JSON object
//! (`TargetReport::compliance`); this reads the fields it shows and nothing else, so the
//! table's counts are the JSON's.

use super::{grid, TableOptions};
use palisade_core::Severity;
use serde::Deserialize;
use std::fmt::Write;

#[derive(Deserialize)]
struct Summary {
    #[serde(default)]
    title: String,
    #[serde(default)]
    passed: usize,
    #[serde(default)]
    failed: usize,
    #[serde(default)]
    controls: Vec<Control>,
}

#[derive(Deserialize)]
struct Control {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    findings: usize,
    #[serde(default)]
    failed_resources: Option<usize>,
}

pub fn section(out: &mut String, value: &serde_json::Value, opts: TableOptions) {
    let Ok(s) = Summary::deserialize(value) else {
        let _ = writeln!(
            out,
            "\nCompliance: summary in an unknown form (see --format json)"
        );
        return;
    };
    let _ = writeln!(
        out,
        "\n{} — {} passed, {} failed",
        grid::bold(
            &format!("Compliance: {}", crate::text::escape_controls(&s.title)),
            opts.color
        ),
        s.passed,
        s.failed
    );
    let mut table = grid::table(
        &["ID", "Control", "Severity", "Status", "Failed resources"],
        opts.width,
        opts.color,
    );
    for c in &s.controls {
        let status = match (c.status.as_str(), opts.color) {
            ("fail", true) => comfy_table::Cell::new("FAIL").fg(comfy_table::Color::Red),
            ("pass", true) => comfy_table::Cell::new("PASS").fg(comfy_table::Color::Green),
            (other, _) => grid::cell(&other.to_uppercase()),
        };
        let severity = match c.severity {
            Some(sev) => grid::severity_cell(sev, opts.color),
            None => grid::cell("-"),
        };
        table.add_row(grid::row(vec![
            grid::cell(&c.id),
            grid::cell(&c.title),
            severity,
            status,
            grid::cell(&c.failed_resources.unwrap_or(c.findings).to_string()),
        ]));
    }
    let _ = writeln!(out, "{table}");
}
