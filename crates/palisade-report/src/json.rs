use palisade_core::Report;

/// The documented JSON report (`docs/json-report.md`, schema `schemas/palisade-report.schema.json`).
pub fn json_report(report: &Report) -> String {
    // Serialising plain data structures cannot fail; fall back to an empty object to be safe.
    let mut s = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
