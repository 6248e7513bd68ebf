use crate::text::escape_controls;
use palisade_core::{Finding, FindingKind, Report, Severity, TargetReport};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// ANSI colours (off under `NO_COLOR` or when stdout is not a terminal).
    pub color: bool,
    /// Also list every package (the inventory), not only the summary line.
    pub list_packages: bool,
}

fn paint(s: &str, sev: Severity, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    let code = match sev {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
        Severity::Unknown => "37",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

fn bold(s: &str, color: bool) -> String {
    if color {
        format!("\x1b[1m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn truncate(s: &str, max: usize) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The end of a path, which names the file, within `max` characters.
fn truncate_start(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let tail: String = s.chars().skip(n - max.saturating_sub(1)).collect();
    format!("…{tail}")
}

/// Where a finding or package was found: the first place, and how many more there are
/// (all of them are in the JSON, SARIF and SBOM formats).
fn where_found(first: Option<&str>, more: usize) -> String {
    let first = truncate_start(first.unwrap_or_default(), 45);
    match more {
        0 => first,
        n => format!("{first} (+{n} more)"),
    }
}

/// Renders rows with aligned columns; the last column is not padded. The severity column
/// (if any) is coloured after padding so escape codes do not skew widths.
fn render(
    out: &mut String,
    header: &[&str],
    rows: &[(Severity, Vec<String>)],
    sev_col: Option<usize>,
    color: bool,
) {
    let rows: Vec<(Severity, Vec<String>)> = rows
        .iter()
        .map(|(s, r)| {
            (
                *s,
                r.iter().map(|c| escape_controls(c).into_owned()).collect(),
            )
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (_, r) in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>, sev: Option<Severity>| -> String {
        let mut l = String::new();
        let n = cells.len();
        for (i, c) in cells.into_iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            let cell = match (sev, sev_col) {
                (Some(s), Some(col)) if col == i => paint(&c, s, color),
                _ => c,
            };
            l.push_str(&cell);
            if i + 1 < n {
                l.push_str(&" ".repeat(pad + 2));
            }
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(
        out,
        "{}",
        bold(
            &line(header.iter().map(|s| s.to_string()).collect(), None),
            color
        )
    );
    let _ = writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
    );
    for (sev, r) in rows {
        let _ = writeln!(out, "{}", line(r, Some(sev)));
    }
}

fn counts(findings: &[&Finding]) -> String {
    let mut by: BTreeMap<Severity, usize> = BTreeMap::new();
    for f in findings {
        *by.entry(f.severity).or_default() += 1;
    }
    let parts: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|s| format!("{}: {}", s, by.get(s).copied().unwrap_or(0)))
        .collect();
    format!("Total: {} ({})", findings.len(), parts.join(", "))
}

pub fn table_report(report: &Report, opts: TableOptions) -> String {
    let mut out = String::new();
    for t in &report.results {
        target_section(&mut out, t, opts);
    }
    out
}

fn target_section(out: &mut String, t: &TargetReport, opts: TableOptions) {
    let c = opts.color;
    let mut title = format!("{} ({:?})", t.target.name, t.target.kind).to_string();
    if let Some(os) = &t.os {
        title.push_str(&format!(" — {}", os.describe()));
    }
    let title = escape_controls(&title).into_owned();
    let _ = writeln!(
        out,
        "\n{}\n{}",
        bold(&title, c),
        "═".repeat(title.chars().count())
    );
    if let Some(img) = &t.image {
        let _ = writeln!(
            out,
            "Image: {} {}/{} · {} layers · config {}",
            img.manifest_digest.as_deref().unwrap_or("-"),
            img.os,
            img.architecture,
            img.layers.len(),
            img.config_digest
        );
    }
    let mut eco: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &t.packages {
        *eco.entry(p.ecosystem.as_str()).or_default() += 1;
    }
    let eco_s: Vec<String> = eco.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let _ = writeln!(
        out,
        "Packages: {}{}",
        t.packages.len(),
        if eco_s.is_empty() {
            String::new()
        } else {
            format!(" ({})", eco_s.join(", "))
        }
    );
    if opts.list_packages && !t.packages.is_empty() {
        let _ = writeln!(out);
        let rows: Vec<(Severity, Vec<String>)> = t
            .packages
            .iter()
            .map(|p| {
                let layer = p
                    .layer
                    .as_ref()
                    .map(|l| l.index.to_string())
                    .unwrap_or_default();
                (
                    Severity::Unknown,
                    vec![
                        p.ecosystem.to_string(),
                        p.name.clone(),
                        p.version.clone(),
                        layer,
                        where_found(Some(&p.found_in), p.other_locations.len()),
                    ],
                )
            })
            .collect();
        render(
            out,
            &["Type", "Package", "Version", "Layer", "Found in"],
            &rows,
            None,
            c,
        );
    }
    for kind in [
        FindingKind::Vulnerability,
        FindingKind::Secret,
        FindingKind::Misconfiguration,
        FindingKind::License,
    ] {
        let mut fs: Vec<&Finding> = t.findings.iter().filter(|f| f.kind == kind).collect();
        if fs.is_empty() {
            continue;
        }
        fs.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule_id.cmp(&b.rule_id)));
        let _ = writeln!(out, "\n{} — {}", bold(&format!("{kind:?}"), c), counts(&fs));
        let _ = writeln!(out);
        match kind {
            FindingKind::Vulnerability => {
                let rows = fs
                    .iter()
                    .map(|f| {
                        let v = f.vulnerability.clone().unwrap_or_default();
                        (
                            f.severity,
                            vec![
                                v.package_name,
                                f.rule_id.clone(),
                                f.severity.to_string(),
                                v.status,
                                v.installed_version,
                                truncate(&v.fixed_versions.join(", "), 30),
                                where_found(f.location.path.as_deref(), f.other_locations.len()),
                                truncate(&f.title, 60),
                            ],
                        )
                    })
                    .collect::<Vec<_>>();
                render(
                    out,
                    &[
                        "Package",
                        "Vulnerability",
                        "Severity",
                        "Status",
                        "Installed",
                        "Fixed",
                        "Found in",
                        "Title",
                    ],
                    &rows,
                    Some(2),
                    c,
                );
            }
            _ => {
                let rows = fs
                    .iter()
                    .map(|f| {
                        let mut loc = f.location.path.clone().unwrap_or_default();
                        if let Some(s) = f.location.span {
                            loc.push_str(&format!(":{}", s.start_line));
                        }
                        if let Some(o) = &f.location.object {
                            loc = format!("{loc} {}/{}", o.kind, o.name);
                        }
                        if let Some(l) = &f.location.layer {
                            loc.push_str(&format!(" [layer {}]", l.index));
                        }
                        (
                            f.severity,
                            vec![
                                f.rule_id.clone(),
                                f.severity.to_string(),
                                truncate(loc.trim(), 60),
                                truncate(&f.message, 90),
                            ],
                        )
                    })
                    .collect::<Vec<_>>();
                render(
                    out,
                    &["Rule", "Severity", "Location", "Message"],
                    &rows,
                    Some(1),
                    c,
                );
            }
        }
    }
    if !t.errors.is_empty() {
        let _ = writeln!(out, "\n{} ({})", bold("Warnings", c), t.errors.len());
        for e in t.errors.iter().take(50) {
            let _ = writeln!(out, "  - {}", escape_controls(&e.to_string()));
        }
        if t.errors.len() > 50 {
            let _ = writeln!(out, "  … {} more (see --format json)", t.errors.len() - 50);
        }
    }
}
