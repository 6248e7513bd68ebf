//! Report selection, filtering, writing and the exit code DESIGN.md defines.

use crate::cli::{CommonArgs, Format};
use anyhow::{Context, Result};
use palisade_core::{Report, Severity};
use palisade_report::TableOptions;
use std::io::{IsTerminal, Write};

pub fn parse_severities(list: &[String]) -> Result<Vec<Severity>> {
    list.iter()
        .map(|s| s.parse::<Severity>().map_err(anyhow::Error::from))
        .collect()
}

pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Keeps only findings of the requested severities.
pub fn filter(report: &mut Report, severities: &[Severity]) {
    for r in &mut report.results {
        r.findings.retain(|f| severities.contains(&f.severity));
    }
}

fn color_enabled(to_file: bool) -> bool {
    !to_file
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
}

pub fn render(report: &Report, args: &CommonArgs) -> Result<String> {
    let lookup = |id: &str| crate::rules::lookup(id);
    Ok(match args.format {
        Format::Table => palisade_report::table_report(
            report,
            TableOptions {
                color: color_enabled(args.output.is_some()),
                list_packages: args.list_all_pkgs,
            },
        ),
        Format::Json => palisade_report::json_report(report),
        Format::Sarif => palisade_report::sarif_report(report, &lookup),
        Format::Cyclonedx | Format::SpdxJson => {
            let target = report
                .results
                .first()
                .context("nothing was scanned, so there is no SBOM to write")?;
            let input = palisade_sbom::SbomInput {
                tool_version: &report.tool_version,
                created_at: &report.created_at,
                target,
            };
            let v = if args.format == Format::Cyclonedx {
                palisade_sbom::cyclonedx_json(&input)
            } else {
                palisade_sbom::spdx_json(&input)
            };
            let mut s = serde_json::to_string_pretty(&v)?;
            s.push('\n');
            s
        }
    })
}

/// Writes the report and returns the process exit code.
pub fn emit(mut report: Report, args: &CommonArgs) -> Result<i32> {
    let severities = parse_severities(&args.severity)?;
    filter(&mut report, &severities);
    let text = render(&report, args)?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    let any = report.findings().next().is_some();
    Ok(if any { args.exit_code } else { 0 })
}

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}
