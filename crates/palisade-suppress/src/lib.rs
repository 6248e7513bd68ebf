//! Suppression, applied once after analysis: a `.palisadeignore` file (IDs, purls, paths,
//! expiry dates, reasons) and VEX documents (OpenVEX, CycloneDX VEX) whose `not_affected`
//! statements silence findings. Suppressions that silence nothing are reported back, so stale
//! entries get noticed; expired entries stop applying and are reported too.

mod ignore;
mod matching;
mod vex;

pub use ignore::{EntryError, IgnoreFile, IgnoreRule};
pub use matching::id_matches;
pub use vex::{VexDoc, VexError, VexStatement};

use palisade_core::Finding;
use serde::Serialize;

/// Why a suppression file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SuppressError {
    /// The file is not the YAML an ignore file may be.
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    /// One ignore entry is wrong; `at` is `line 3` or `ignore[2]`.
    #[error("{file}: {at}: {source}")]
    Entry {
        file: String,
        at: String,
        #[source]
        source: EntryError,
    },
    /// A VEX document is malformed or of an unknown format.
    #[error("{file}: {source}")]
    Vex {
        file: String,
        #[source]
        source: VexError,
    },
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Suppressed {
    pub finding: Finding,
    /// Which entry suppressed it: `.palisadeignore:12`, `app.vex.json#statements[0]`.
    pub by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SuppressResult {
    pub kept: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    /// Entries that matched no finding, each as `origin: description`.
    pub unmatched_rules: Vec<String>,
    /// Ignore entries past their expiry date; they no longer suppress anything.
    pub expired_rules: Vec<String>,
}

/// Apply the ignore file and VEX documents, using today's date (UTC) for expiry.
pub fn apply(findings: Vec<Finding>, ignore: &IgnoreFile, vex: &[VexDoc]) -> SuppressResult {
    apply_on(
        findings,
        ignore,
        vex,
        time::OffsetDateTime::now_utc().date(),
    )
}

pub fn apply_on(
    findings: Vec<Finding>,
    ignore: &IgnoreFile,
    vex: &[VexDoc],
    today: time::Date,
) -> SuppressResult {
    let mut result = SuppressResult::default();
    let active: Vec<&IgnoreRule> = ignore
        .rules
        .iter()
        .filter(|r| {
            let expired = r.expires.is_some_and(|d| d < today);
            if expired {
                result
                    .expired_rules
                    .push(format!("{}: {}", r.origin, r.describe()));
            }
            !expired
        })
        .collect();
    let statements: Vec<&VexStatement> = vex
        .iter()
        .flat_map(|d| d.statements.iter())
        .filter(|s| s.suppresses())
        .collect();
    let mut rule_used = vec![false; active.len()];
    let mut stmt_used = vec![false; statements.len()];
    for f in findings {
        if let Some(i) = active.iter().position(|r| r.matches(&f)) {
            rule_used[i] = true;
            result.suppressed.push(Suppressed {
                by: active[i].origin.clone(),
                reason: active[i].reason.clone(),
                finding: f,
            });
        } else if let Some(i) = statements.iter().position(|s| s.matches(&f)) {
            stmt_used[i] = true;
            result.suppressed.push(Suppressed {
                by: statements[i].origin.clone(),
                reason: statements[i].reason(),
                finding: f,
            });
        } else {
            result.kept.push(f);
        }
    }
    for (r, used) in active.iter().zip(rule_used) {
        if !used {
            result
                .unmatched_rules
                .push(format!("{}: {}", r.origin, r.describe()));
        }
    }
    for (s, used) in statements.iter().zip(stmt_used) {
        if !used {
            result
                .unmatched_rules
                .push(format!("{}: {} {}", s.origin, s.vulnerability, s.status));
        }
    }
    result
}

#[cfg(test)]
mod tests;
