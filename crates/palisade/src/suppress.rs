//! Suppression, applied once after analysis: `--ignore` IDs (own or foreign), the ignore
//! file and VEX documents. Entries that matched nothing are reported as warnings.

use crate::cli::CommonArgs;
use anyhow::Result;
use palisade_core::{Report, ScanError};
use palisade_suppress::{apply, IgnoreFile, VexDoc};
use std::path::PathBuf;

pub fn apply_all(report: &mut Report, common: &CommonArgs, vex_paths: &[PathBuf]) -> Result<()> {
    let ignore = if common.ignorefile.is_file() {
        IgnoreFile::load(&common.ignorefile)?
    } else {
        IgnoreFile::empty()
    };
    let vex: Vec<VexDoc> = vex_paths
        .iter()
        .map(|p| VexDoc::load(p))
        .collect::<Result<_, _>>()?;
    for tr in &mut report.results {
        if !common.ignore.is_empty() {
            tr.findings.retain(|f| {
                !common.ignore.iter().any(|id| {
                    f.rule_id.eq_ignore_ascii_case(id)
                        || f.related.iter().any(|r| r.eq_ignore_ascii_case(id))
                })
            });
        }
        let findings = std::mem::take(&mut tr.findings);
        let res = apply(findings, &ignore, &vex);
        tr.findings = res.kept;
        for u in res.unmatched_rules {
            tr.errors.push(ScanError::new(
                "suppressions",
                format!("matched nothing: {u}"),
            ));
        }
        for e in res.expired_rules {
            tr.errors
                .push(ScanError::new("suppressions", format!("expired: {e}")));
        }
    }
    Ok(())
}
