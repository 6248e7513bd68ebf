//! Suppression, applied once to every finding kind after analysis: IDs (own, alias or
//! related foreign), ignore files, palisade.yaml's `ignore:` entries and VEX documents.
//! Entries that silence nothing, and expired ones, come back as warnings.

use crate::config::Config;
use crate::request::Suppressions;
use crate::EngineError;
use palisade_core::{ScanError, TargetReport};
use palisade_suppress::{IgnoreFile, VexDoc};

pub(crate) struct Loaded {
    ids: Vec<String>,
    ignore: IgnoreFile,
    vex: Vec<VexDoc>,
}

/// Reads every file up front so a mistake in one fails the scan before any work is done.
pub(crate) fn load(s: &Suppressions, config: &Config) -> Result<Loaded, EngineError> {
    let mut ignore = config.ignore.clone();
    for path in s.ignore_files.iter().chain(&config.ignore_files) {
        if !path.is_file() {
            return Err(EngineError::NotFound(format!(
                "{}: ignore file not found",
                path.display()
            )));
        }
        ignore.rules.extend(IgnoreFile::load(path)?.rules);
    }
    let vex = s
        .vex
        .iter()
        .chain(&config.vex)
        .map(|p| VexDoc::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Loaded {
        ids: s.ids.clone(),
        ignore,
        vex,
    })
}

pub(crate) fn apply(loaded: &Loaded, tr: &mut TargetReport) {
    if !loaded.ids.is_empty() {
        tr.findings.retain(|f| {
            !loaded
                .ids
                .iter()
                .any(|id| palisade_suppress::id_matches(f, id))
        });
    }
    let findings = std::mem::take(&mut tr.findings);
    let res = palisade_suppress::apply(findings, &loaded.ignore, &loaded.vex);
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
