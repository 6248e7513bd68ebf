use palisade_core::Report;

/// The documented JSON report (`docs/json-report.md`, schema `schemas/palisade-report.schema.json`).
pub fn json_report(report: &Report) -> String {
    // Serialising plain data structures cannot fail; fall back to an empty object to be safe.
    let mut s = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// The same document written straight to `out`: a report with a hundred thousand findings
/// is not held twice in memory.
pub fn write_json(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // `From` keeps the kind of an I/O error (a closed pipe must stay a closed pipe).
    serde_json::to_writer_pretty(&mut *out, report).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}
