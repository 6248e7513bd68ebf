//! The table format: what a person reads in a terminal. Each target, then its findings
//! grouped by kind and by file (as Trivy prints them), laid out to the terminal width, then
//! a closing summary. Every text from the input is escaped before it is printed.

mod compliance;
mod grid;
mod summary;

use grid::{bold, cell, chars, clip_words, keep_whole, row, severity_cell, shorten_middle};
use palisade_core::{Finding, FindingKind, Location, Package, Report, Severity, TargetReport};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Width used when the caller knows no terminal width.
pub const DEFAULT_WIDTH: usize = 80;

/// Longest message or title shown in a cell; the JSON report has the whole text.
const MAX_TEXT: usize = 200;

/// Advisory titles are often the first sentences of a description: a few lines at most.
const MAX_TITLE: usize = 100;

/// From this width on, the vulnerability table has Trivy's seven columns.
const WIDE: usize = 120;

#[derive(Debug, Clone, Copy)]
pub struct TableOptions {
    /// ANSI colours (off under `NO_COLOR` or when stdout is not a terminal).
    pub color: bool,
    /// Also list every package (the inventory), not only the summary line.
    pub list_packages: bool,
    /// Terminal columns the tables must fit in.
    pub width: usize,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            color: false,
            list_packages: false,
            width: DEFAULT_WIDTH,
        }
    }
}

pub fn table_report(report: &Report, opts: TableOptions) -> String {
    let mut out = String::new();
    for t in &report.results {
        target_section(&mut out, t, opts);
    }
    summary::closing(&mut out, report, opts);
    out
}

/// `sha256:d74fae782eb7`: enough of a digest to recognise it, short enough for 80 columns.
fn short_digest(d: &str) -> String {
    match d.split_once(':') {
        Some((alg, hex)) => format!("{alg}:{}", hex.chars().take(12).collect::<String>()),
        None => d.chars().take(19).collect(),
    }
}

fn heading(out: &mut String, text: &str, underline: char, opts: TableOptions) {
    let text = shorten_middle(&esc(text), opts.width);
    let _ = writeln!(
        out,
        "\n{}\n{}",
        bold(&text, opts.color),
        underline.to_string().repeat(chars(&text).min(opts.width))
    );
}

fn esc(s: &str) -> String {
    crate::text::escape_controls(s).into_owned()
}

fn target_section(out: &mut String, t: &TargetReport, opts: TableOptions) {
    let kind = format!("{:?}", t.target.kind).to_lowercase();
    let mut title = format!("{} ({kind})", t.target.name);
    if let Some(os) = &t.os {
        title.push_str(&format!(" — {}", os.describe()));
    }
    heading(out, &title, '═', opts);
    if let Some(img) = &t.image {
        let _ = writeln!(
            out,
            "Image: {} · {}/{} · {} layers · config {}",
            img.manifest_digest
                .as_deref()
                .map(short_digest)
                .unwrap_or_else(|| "-".into()),
            esc(&img.os),
            esc(&img.architecture),
            img.layers.len(),
            short_digest(&img.config_digest)
        );
    }
    if !t.packages.is_empty() {
        let mut eco: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &t.packages {
            *eco.entry(p.ecosystem.as_str()).or_default() += 1;
        }
        let eco_s: Vec<String> = eco.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let _ = writeln!(out, "Packages: {} ({})", t.packages.len(), eco_s.join(", "));
    }
    if opts.list_packages && !t.packages.is_empty() {
        packages_table(out, &t.packages, opts);
    }
    for kind in [
        FindingKind::Vulnerability,
        FindingKind::Secret,
        FindingKind::Misconfiguration,
        FindingKind::Detection,
        FindingKind::License,
    ] {
        let fs: Vec<&Finding> = t.findings.iter().filter(|f| f.kind == kind).collect();
        if fs.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{} — {}",
            bold(summary::kind_title(kind), opts.color),
            summary::counts_line(&fs)
        );
        for (group, mut rows) in by_file(&fs) {
            rows.sort_by(|a, b| {
                b.severity
                    .cmp(&a.severity)
                    .then(a.rule_id.cmp(&b.rule_id))
                    .then(line_of(a).cmp(&line_of(b)))
            });
            let count = format!(" ({})", plural(rows.len(), "finding"));
            let room = opts.width.saturating_sub(chars(&count)).max(20);
            let _ = writeln!(out, "\n{}{count}", shorten_middle(&esc(&group), room));
            if kind == FindingKind::Vulnerability {
                vulnerability_table(out, &rows, opts);
            } else {
                finding_table(out, &rows, opts);
            }
        }
    }
    if let Some(c) = &t.compliance {
        compliance::section(out, c, opts);
    }
    if !t.errors.is_empty() {
        let _ = writeln!(
            out,
            "\n{} ({})",
            bold("Warnings", opts.color),
            t.errors.len()
        );
        let mut table = grid::table(&["Source", "Problem"], opts.width, opts.color);
        for e in t.errors.iter().take(50) {
            let source = shorten_middle(&e.source, opts.width / 3);
            table.add_row(row(vec![
                cell(&source),
                cell(&clip_words(&e.message, MAX_TEXT)),
            ]));
        }
        let _ = writeln!(out, "{table}");
        if t.errors.len() > 50 {
            let _ = writeln!(out, "… {} more (see --format json)", t.errors.len() - 50);
        }
    }
}

pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn line_of(f: &Finding) -> u32 {
    f.location.span.map(|s| s.start_line).unwrap_or(0)
}

/// The file (and image layer) a finding is in: the group it is listed under. Runtime
/// detections are in no file: they are grouped by their event source.
fn group_name(f: &Finding) -> String {
    let l = &f.location;
    let mut g = l.path.clone().unwrap_or_else(|| match (&l.purl, f.kind) {
        (Some(_), _) => "packages".into(),
        (None, FindingKind::Detection) => match f.extra.get("source").and_then(|s| s.as_str()) {
            Some(source) => format!("{source} events"),
            None => "events".into(),
        },
        (None, _) => "image configuration".into(),
    });
    if let Some(layer) = &l.layer {
        g.push_str(&format!(" [layer {}]", layer.index));
    }
    g
}

fn by_file<'a>(fs: &[&'a Finding]) -> BTreeMap<String, Vec<&'a Finding>> {
    let mut groups: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in fs {
        groups.entry(group_name(f)).or_default().push(f);
    }
    groups
}

/// `path:line`, the file name always kept: the middle of the path gives way first. A
/// finding in no file (the image configuration) is located by its object.
fn location_cell(l: &Location, room: usize) -> String {
    let Some(mut s) = l.path.clone() else {
        return match &l.object {
            Some(o) => esc(&format!("{}/{}", o.kind, o.name)),
            None => String::new(),
        };
    };
    if let Some(span) = l.span.filter(|s| s.start_line > 0) {
        s.push_str(&format!(":{}", span.start_line));
    }
    shorten_middle(&esc(&s), room)
}

/// The Kubernetes object a finding is about, before its message.
fn message_cell(f: &Finding) -> String {
    let text = clip_words(&f.message, MAX_TEXT);
    match &f.location.object {
        Some(o) if f.location.path.is_some() => {
            let name = match &o.namespace {
                Some(ns) => format!("{ns}/{}", o.name),
                None => o.name.clone(),
            };
            format!("{} {name}: {text}", o.kind)
        }
        _ => text,
    }
}

/// The commit that added a secret to the history: short ID, day, author.
fn commit_cell(f: &Finding) -> Vec<String> {
    let Some(c) = f.location.commit.as_ref() else {
        return Vec::new();
    };
    let mut lines = vec![c.id.chars().take(10).collect::<String>()];
    if let Some(d) = &c.date {
        lines.push(d.chars().take(10).collect());
    }
    if let Some(a) = &c.author {
        lines.push(a.clone());
    }
    lines
}

/// Rules, secrets, licences: one row per finding, with where exactly it is.
fn finding_table(out: &mut String, fs: &[&Finding], opts: TableOptions) {
    let commits = fs.iter().any(|f| f.location.commit.is_some());
    let rule_w = fs
        .iter()
        .map(|f| chars(&f.rule_id))
        .max()
        .unwrap_or(4)
        .min(24);
    // Borders and padding take three columns per cell and one more.
    let cols = if commits { 5 } else { 4 };
    let fixed = 3 * cols + 1 + rule_w + 8 + if commits { 10 } else { 0 };
    // Over half the free room, or more when a file name needs it: the message wraps instead,
    // keeping 12 columns.
    let free = opts.width.saturating_sub(fixed);
    let cap = free.saturating_sub(12).max(16);
    let widest = fs
        .iter()
        .map(|f| chars(&location_cell(&f.location, usize::MAX)))
        .max()
        .unwrap_or(0);
    let name_need = fs
        .iter()
        .filter_map(|f| f.location.path.as_deref())
        .map(|p| chars(p.rsplit('/').next().unwrap_or(p)) + 8)
        .max()
        .unwrap_or(0);
    let room = (free * 11 / 20).max(name_need).min(widest).min(cap).max(16);
    let locations: Vec<String> = fs
        .iter()
        .map(|f| location_cell(&f.location, room))
        .collect();
    let mut header = vec!["Rule", "Severity", "Location", "Message"];
    if commits {
        header.push("Commit");
    }
    let mut table = grid::table(&header, opts.width, opts.color);
    for (f, loc) in fs.iter().zip(&locations) {
        let mut cells = vec![
            cell(&f.rule_id),
            severity_cell(f.severity, opts.color),
            cell(loc),
            cell(&message_cell(f)),
        ];
        if commits {
            cells.push(grid::lines_cell(&commit_cell(f)));
        }
        table.add_row(row(cells));
    }
    let widest = locations.iter().map(|l| chars(l)).max().unwrap_or(0);
    keep_whole(&mut table, 0, rule_w);
    keep_whole(&mut table, 1, chars("CRITICAL"));
    keep_whole(&mut table, 2, widest.min(room));
    let _ = writeln!(out, "{table}");
}

/// Vulnerabilities: the file is the group, so a row is the package and the advisory.
/// Below [`WIDE`] columns the installed version goes under the package name and the status
/// into the Fixed column, as seven columns would leave no room for the title.
fn vulnerability_table(out: &mut String, fs: &[&Finding], opts: TableOptions) {
    let wide = opts.width >= WIDE;
    let header: &[&str] = if wide {
        &[
            "Package",
            "Vulnerability",
            "Severity",
            "Status",
            "Installed",
            "Fixed",
            "Title",
        ]
    } else {
        &["Package", "Vulnerability", "Severity", "Fixed", "Title"]
    };
    let mut table = grid::table(header, opts.width, opts.color);
    let title_room = MAX_TITLE.min(opts.width * 3 / 4);
    for f in fs {
        let v = f.vulnerability.clone().unwrap_or_default();
        let mut package = vec![v.package_name.clone()];
        if !wide {
            package.push(v.installed_version.clone());
        }
        if !f.other_locations.is_empty() {
            let n = f.other_locations.len();
            package.push(format!(
                "(+{n} more {})",
                if n == 1 { "file" } else { "files" }
            ));
        }
        for chain in &v.dependency_paths {
            match chain.split_last() {
                Some((_, [])) => package.push("(direct dependency)".into()),
                Some((_, above)) => package.push(format!("via {}", chain_text(above))),
                None => {}
            }
        }
        let fixed = if v.fixed_versions.is_empty() && !wide {
            format!("({})", v.status)
        } else {
            v.fixed_versions.join(", ")
        };
        let mut cells = vec![
            grid::lines_cell(&package),
            cell(&f.rule_id),
            severity_cell(f.severity, opts.color),
        ];
        if wide {
            cells.push(cell(&v.status));
            cells.push(cell(&v.installed_version));
        }
        cells.push(cell(&fixed));
        cells.push(cell(&clip_words(&f.title, title_room)));
        table.add_row(row(cells));
    }
    let widest_id = fs.iter().map(|f| chars(&f.rule_id)).max().unwrap_or(0);
    keep_whole(&mut table, 1, widest_id.min(opts.width / 4));
    keep_whole(&mut table, 2, chars("CRITICAL"));
    let _ = writeln!(out, "{table}");
}

/// `express › body-parser`: the packages above a vulnerable one, by name (the purls, with
/// versions, are in the JSON).
fn chain_text(chain: &[String]) -> String {
    chain
        .iter()
        .map(|purl| purl_name(purl))
        .collect::<Vec<_>>()
        .join(" › ")
}

/// `pkg:npm/%40scope/name@1.0?x=y` → `%40scope/name`'s last segment, `name`.
fn purl_name(purl: &str) -> &str {
    let no_q = purl.split(['?', '#']).next().unwrap_or(purl);
    let no_version = no_q.rsplit_once('@').map(|(n, _)| n).unwrap_or(no_q);
    no_version.rsplit('/').next().unwrap_or(no_version)
}

fn packages_table(out: &mut String, packages: &[Package], opts: TableOptions) {
    let mut table = grid::table(
        &["Type", "Package", "Version", "Layer", "Found in"],
        opts.width,
        opts.color,
    );
    let room = opts.width / 3;
    for p in packages {
        let layer = p
            .layer
            .as_ref()
            .map(|l| l.index.to_string())
            .unwrap_or_default();
        let mut found = shorten_middle(&p.found_in, room);
        if !p.other_locations.is_empty() {
            found.push_str(&format!(" (+{} more)", p.other_locations.len()));
        }
        table.add_row(row(vec![
            cell(p.ecosystem.as_str()),
            cell(&p.name),
            cell(&p.version),
            cell(&layer),
            cell(&found),
        ]));
    }
    let _ = writeln!(out, "\n{table}");
}

/// Severities as counted in headings and the summary, highest first.
pub(crate) fn by_severity(fs: &[&Finding]) -> BTreeMap<Severity, usize> {
    let mut by: BTreeMap<Severity, usize> = BTreeMap::new();
    for f in fs {
        *by.entry(f.severity).or_default() += 1;
    }
    by
}
