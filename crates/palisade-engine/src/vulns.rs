//! Vulnerability matching: the packages of a target against the OSV database.

use crate::request::DbSource;
use crate::EngineError;
use palisade_core::{ScanError, TargetReport};
use palisade_vulndb::VulnDb;
use std::time::Duration;

fn open(source: DbSource) -> Result<VulnDb, EngineError> {
    Ok(match source {
        DbSource::Open(db) => db,
        DbSource::Path(p) => VulnDb::open(&p).map_err(|e| EngineError::Database {
            message: format!("{}: {e}", p.display()),
        })?,
        DbSource::Default => VulnDb::open_default(None)?,
    })
}

/// Adds a finding per (advisory, package) and warnings about the database itself.
pub(crate) fn scan(
    source: DbSource,
    max_age: Duration,
    unfixed: bool,
    tr: &mut TargetReport,
) -> Result<(), EngineError> {
    let db = open(source)?;
    if let Some(age) = db.age().filter(|a| *a > max_age) {
        tr.errors.push(ScanError::new(
            db.path().display().to_string(),
            format!(
                "the vulnerability database is {} days old; run `palisade db update`",
                age.as_secs() / 86_400
            ),
        ));
    }
    let outcome = db.match_packages(tr.os.as_ref(), &tr.packages)?;
    let mut found = outcome.findings;
    if unfixed {
        found.retain(|f| {
            f.vulnerability
                .as_ref()
                .is_some_and(|v| !v.fixed_versions.is_empty())
        });
    }
    tr.findings.extend(found);
    // No OS silently goes unmatched: say how many packages could not be looked up, and why.
    tr.errors
        .extend(outcome.unmatched.iter().map(|g| g.to_scan_error()));
    Ok(())
}
