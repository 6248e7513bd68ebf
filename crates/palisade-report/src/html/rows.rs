//! Table rows, written straight into a string: 10,000 rows through template macros cost
//! more than the whole budget of a report. Every value still goes through minijinja's
//! HTML escaper (after control characters are made visible), exactly as in the template.

use crate::place::{location_without_layer, rank};
use crate::text::escape_controls;
use minijinja::HtmlEscape;
use palisade_core::{Finding, Package, ScanError, Severity};
use serde::Serialize;
use std::fmt::Write;

/// A table's body and how many rows it has.
#[derive(Serialize, Default)]
pub(super) struct Table {
    pub count: usize,
    pub rows: String,
}

fn esc(out: &mut String, s: &str) {
    let _ = write!(out, "{}", HtmlEscape(&escape_controls(s)));
}

fn td(out: &mut String, class: &str, s: &str) {
    if class.is_empty() {
        out.push_str("<td>");
    } else {
        let _ = write!(out, "<td class=\"{class}\">");
    }
    esc(out, s);
    out.push_str("</td>");
}

pub(super) fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Unknown => "unknown",
    }
}

impl Table {
    fn open(&mut self, sev: Option<Severity>, target: Option<&str>) {
        self.count += 1;
        match sev {
            Some(s) => {
                let _ = write!(self.rows, "<tr data-sev=\"{}\">", s.as_str());
            }
            None => self.rows.push_str("<tr>"),
        }
        if let Some(t) = target {
            td(&mut self.rows, "", t);
        }
    }

    fn close(&mut self) {
        self.rows.push_str("</tr>\n");
    }

    /// Severity badge, then the rule ID (a link when the first reference is http(s)).
    fn severity_and_id(&mut self, f: &Finding) {
        let o = &mut self.rows;
        let _ = write!(
            o,
            "<td data-sort=\"{}\"><span class=\"sev {}\">{}</span></td><td class=\"id\">",
            rank(f.severity),
            sev_class(f.severity),
            f.severity.as_str()
        );
        let url = f
            .references
            .iter()
            .find(|r| r.starts_with("https://") || r.starts_with("http://"));
        match url {
            Some(u) => {
                o.push_str("<a href=\"");
                esc(o, u);
                o.push_str("\" rel=\"noopener noreferrer\" target=\"_blank\">");
                esc(o, &f.rule_id);
                o.push_str("</a>");
            }
            None => esc(o, &f.rule_id),
        }
        o.push_str("</td>");
    }

    fn layer(&mut self, f: &Finding) {
        let o = &mut self.rows;
        match &f.location.layer {
            Some(l) => {
                let _ = write!(o, "<td data-sort=\"{}\"", l.index);
                if let Some(c) = &l.created_by {
                    o.push_str(" title=\"");
                    esc(o, c);
                    o.push('"');
                }
                let _ = write!(o, ">{}</td>", l.index);
            }
            None => o.push_str("<td data-sort=\"-1\"></td>"),
        }
    }

    fn location(&mut self, f: &Finding) {
        let mut loc = location_without_layer(&f.location);
        if !f.other_locations.is_empty() {
            let _ = write!(loc, " (+{} more)", f.other_locations.len());
        }
        td(&mut self.rows, "path", &loc);
    }

    pub fn vulnerability(&mut self, target: Option<&str>, f: &Finding) {
        let v = f.vulnerability.clone().unwrap_or_default();
        self.open(Some(f.severity), target);
        self.severity_and_id(f);
        td(&mut self.rows, "", &v.package_name);
        td(&mut self.rows, "mono", &v.installed_version);
        td(&mut self.rows, "mono", &v.fixed_versions.join(", "));
        td(&mut self.rows, "", &v.status);
        match v.cvss_score {
            Some(s) => {
                let _ = write!(self.rows, "<td data-sort=\"{s:.1}\">{s:.1}</td>");
            }
            None => self.rows.push_str("<td data-sort=\"-1\"></td>"),
        }
        self.layer(f);
        self.location(f);
        td(&mut self.rows, "", &f.title);
        self.close();
    }

    pub fn secret(&mut self, target: Option<&str>, f: &Finding) {
        self.open(Some(f.severity), target);
        self.severity_and_id(f);
        self.location(f);
        self.layer(f);
        // Masked before it reached the report; shown as it is.
        td(&mut self.rows, "mono", f.evidence.as_deref().unwrap_or(""));
        td(&mut self.rows, "", &f.message);
        self.close();
    }

    pub fn misconfiguration(&mut self, target: Option<&str>, f: &Finding) {
        self.open(Some(f.severity), target);
        self.severity_and_id(f);
        td(&mut self.rows, "", &f.title);
        self.location(f);
        td(&mut self.rows, "", &f.message);
        self.close();
    }

    pub fn license(&mut self, target: Option<&str>, f: &Finding) {
        self.open(Some(f.severity), target);
        self.severity_and_id(f);
        self.location(f);
        td(&mut self.rows, "", &f.message);
        self.close();
    }

    pub fn package(&mut self, target: Option<&str>, p: &Package) {
        self.open(None, target);
        td(&mut self.rows, "", p.ecosystem.as_str());
        td(&mut self.rows, "", &p.name);
        td(&mut self.rows, "mono", &p.version);
        td(&mut self.rows, "", &p.licenses.join(", "));
        match &p.layer {
            Some(l) => {
                let _ = write!(self.rows, "<td data-sort=\"{0}\">{0}</td>", l.index);
            }
            None => self.rows.push_str("<td data-sort=\"-1\"></td>"),
        }
        let mut found = p.found_in.clone();
        if !p.other_locations.is_empty() {
            let _ = write!(found, " (+{} more)", p.other_locations.len());
        }
        td(&mut self.rows, "path", &found);
        self.close();
    }

    pub fn warning(&mut self, target: Option<&str>, e: &ScanError) {
        self.open(None, target);
        td(&mut self.rows, "", e.kind.as_str());
        td(&mut self.rows, "path", &e.source);
        td(&mut self.rows, "", &e.message);
        self.close();
    }
}
