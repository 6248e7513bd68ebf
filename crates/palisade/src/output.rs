//! Rendering, writing, warnings on stderr and the exit code DESIGN.md defines.

use crate::cli::{CommonArgs, Format};
use anyhow::{Context, Result};
use palisade_core::{Report, Severity};
use palisade_report::TableOptions;
use std::io::{IsTerminal, Write};

impl Format {
    pub fn is_sbom(self) -> bool {
        matches!(self, Format::Cyclonedx | Format::SpdxJson)
    }
}

pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn color_enabled(to_file: bool) -> bool {
    !to_file
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
}

/// Columns the table must fit: `COLUMNS` when set, else the terminal's width, else
/// 120 (a file or a pipe has no width; 120 keeps rows readable in a CI log).
fn table_width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    from_env
        .or_else(|| {
            terminal_size::terminal_size_of(std::io::stdout())
                .map(|(terminal_size::Width(w), _)| usize::from(w))
        })
        .unwrap_or(120)
}

/// Flag combinations that cannot give what was asked, refused before any scanning.
pub fn check_args(args: &CommonArgs) -> Result<()> {
    // Trivy ignores a template given with another format; a user who asked for one and got
    // a table instead would not know why.
    if args.template.is_some() && args.format != Format::Template {
        anyhow::bail!("--template is used only with --format template");
    }
    Ok(())
}

pub fn render(report: &Report, args: &CommonArgs) -> Result<String> {
    let lookup = |id: &str| palisade_engine::registry::lookup(id);
    Ok(match args.format {
        Format::Table => palisade_report::table_report(
            report,
            TableOptions {
                color: color_enabled(args.output.is_some()),
                list_packages: args.list_all_pkgs,
                width: table_width(),
            },
        ),
        Format::Json => palisade_report::json_report(report),
        Format::Sarif => palisade_report::sarif_report(report, &lookup),
        Format::Cyclonedx | Format::SpdxJson => {
            let f = if args.format == Format::Cyclonedx {
                palisade_sbom::SbomFormat::CycloneDx
            } else {
                palisade_sbom::SbomFormat::SpdxJson
            };
            palisade_sbom::render_report(report, f)
                .context("nothing was scanned, so there is no SBOM to write")?
        }
        Format::Html => palisade_report::html_report(report),
        Format::Junit => palisade_report::junit_report(report),
        Format::Github => palisade_report::github_report(report),
        Format::Template => {
            let (name, source) = template_source(args.template.as_deref())?;
            palisade_report::template_report(report, &name, &source)?
        }
    })
}

/// `--template @path` reads the file (its name decides HTML escaping); other text is the
/// template itself.
fn template_source(arg: Option<&str>) -> Result<(String, String)> {
    let arg = arg.context("--format template needs --template @FILE or a template text")?;
    match arg.strip_prefix('@') {
        Some(path) => {
            let source = std::fs::read_to_string(path)
                .with_context(|| format!("reading template {path}"))?;
            let name = std::path::Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.to_string());
            Ok((name, source))
        }
        None => Ok(("inline".to_string(), arg.to_string())),
    }
}

/// Warnings go to stderr unless a table on stdout already lists them.
fn warn(report: &Report, args: &CommonArgs) {
    let in_table = args.format == Format::Table && args.output.is_none();
    if args.quiet || in_table {
        return;
    }
    let errors: Vec<_> = report.results.iter().flat_map(|r| &r.errors).collect();
    let mut err = std::io::stderr().lock();
    for e in errors.iter().take(20) {
        let _ = writeln!(err, "warning: {e}");
    }
    if errors.len() > 20 {
        let _ = writeln!(err, "warning: … {} more in the report", errors.len() - 20);
    }
}

/// Writes the report and returns the process exit code.
pub fn emit(
    mut report: Report,
    args: &CommonArgs,
    severities: Option<Vec<Severity>>,
) -> Result<i32> {
    if let Some(keep) = severities {
        for r in &mut report.results {
            r.findings.retain(|f| keep.contains(&f.severity));
        }
    }
    warn(&report, args);
    // Rendered before the output file is created: a template error leaves no empty file.
    let rendered = match args.format {
        Format::Json => None,
        _ => Some(render(&report, args)?),
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match rendered {
        Some(text) => out.write_all(text.as_bytes())?,
        None => palisade_report::write_json(&report, &mut out)?,
    }
    out.flush()?;
    let any = report.findings().next().is_some();
    Ok(if any { args.exit_code } else { 0 })
}
