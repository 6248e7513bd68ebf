//! Git history: secrets in every commit, under the same skip list as directory scans.

use crate::pipeline::{stage, Analyzers};
use crate::request::ScanRequest;
use crate::EngineError;
use palisade_core::{Target, TargetKind, TargetReport};
use std::path::Path;

pub(crate) fn scan(req: ScanRequest, path: &Path) -> Result<TargetReport, EngineError> {
    let analyzers = Analyzers::new(&req, TargetKind::Repository)?;
    let Some(scanner) = &analyzers.secrets else {
        return Err(EngineError::config(
            "--scanners",
            "a repository scan looks for secrets",
        ));
    };
    let skipper = req.skip.skipper(TargetKind::Repository)?;
    stage(&req, "scanning git history");
    let scan = palisade_secrets::scan_repo(scanner, path).map_err(|e| match e {
        palisade_secrets::RepoError::Open { path, message } => EngineError::Unsupported {
            path,
            message: format!("not a readable git repository: {message}"),
        },
        palisade_secrets::RepoError::Walk { path, message } => EngineError::Corrupt {
            path,
            message: format!("cannot walk history: {message}"),
        },
    })?;
    let mut tr = TargetReport::new(Target {
        kind: TargetKind::Repository,
        name: req.target.name(),
    });
    tr.findings = scan
        .findings
        .into_iter()
        .filter(|f| {
            f.location
                .path
                .as_deref()
                .is_none_or(|p| !skipper.skips_path(p))
        })
        .collect();
    tr.errors = scan.errors;
    Ok(tr)
}
