//! Misconfiguration checks over configuration files gathered from any target, and over a
//! built image's config.

use crate::classify::{self, ConfigKind};
use crate::EngineError;
use palisade_core::{ScanError, TargetReport};
use std::path::Path;

/// Configuration files of one target, read and classified.
#[derive(Debug, Default)]
pub(crate) struct ConfigFiles {
    pub dockerfiles: Vec<(String, String)>,
    pub manifests: Vec<(String, String)>,
}

impl ConfigFiles {
    /// Adds a file found while walking a tree or image: kept only when its name says
    /// Dockerfile, or its content mentions `apiVersion` and `kind`.
    pub fn push_found(&mut self, path: &str, content: &[u8]) {
        let Some(kind) = classify::config_kind(path) else {
            return;
        };
        let text = String::from_utf8_lossy(content).into_owned();
        match kind {
            ConfigKind::Dockerfile => self.dockerfiles.push((path.to_string(), text)),
            ConfigKind::ManifestCandidate => {
                if palisade_kube::looks_like_manifest(Path::new(path), &text) {
                    self.manifests.push((path.to_string(), text));
                }
            }
        }
    }

    /// Adds a file the caller named: checked whatever its name, as a Dockerfile when its name
    /// or first instruction says so, else as manifests.
    pub fn push_named(&mut self, name: &str, text: String) {
        let named_dockerfile = palisade_dockerfile::is_dockerfile(Path::new(name));
        if named_dockerfile || classify::looks_like_dockerfile(&text) {
            self.dockerfiles.push((name.to_string(), text));
        } else {
            self.manifests.push((name.to_string(), text));
        }
    }
}

/// Runs the Dockerfile and Kubernetes rules, and the compliance summary when asked for.
pub(crate) fn scan(
    files: &ConfigFiles,
    req: &crate::ScanRequest,
    tr: &mut TargetReport,
) -> Result<(), EngineError> {
    let (kube, compliance) = (&req.kube, req.compliance.as_deref());
    for (path, text) in &files.dockerfiles {
        let scan = palisade_dockerfile::scan_dockerfile(path, text);
        tr.findings.extend(scan.findings);
        tr.errors.extend(scan.errors);
        // Named after the scanner, like the Kubernetes notice: the file was read whole, so
        // this is a warning even when the file was named on the command line.
        if scan.dropped > 0 {
            tr.errors.push(ScanError::limit_exceeded(
                "dockerfile",
                format!(
                    "{path}: {} more findings not reported: the limit is {} per Dockerfile, the most severe are kept",
                    scan.dropped,
                    palisade_dockerfile::MAX_FINDINGS_PER_FILE
                ),
            ));
        }
    }
    let mut objects = Vec::new();
    if !files.manifests.is_empty() {
        let kube = palisade_kube::KubeOptions {
            keep_objects: req.policy.is_some(),
            ..kube.clone()
        };
        let mut scan = palisade_kube::scan_manifests(&files.manifests, &kube);
        objects = std::mem::take(&mut scan.loaded);
        tr.findings.extend(scan.findings);
        tr.errors.extend(scan.errors);
        if scan.dropped > 0 {
            tr.errors.push(ScanError::limit_exceeded(
                "kubernetes",
                format!(
                    "{} more findings not reported: the limit is {} per scan",
                    scan.dropped,
                    tr.findings.len()
                ),
            ));
        }
    }
    if let Some(run) = &req.policy {
        crate::policies::check_config(run, &objects, &files.dockerfiles, tr);
    }
    if let Some(fw) = compliance {
        let summary = palisade_kube::compliance_summary(fw, &tr.findings)
            .map_err(|e| EngineError::config("--compliance", e))?;
        tr.compliance = Some(serde_json::to_value(&summary).map_err(|e| {
            EngineError::config("--compliance", format!("summary not serialisable: {e}"))
        })?);
    }
    Ok(())
}

/// Problems with a file the caller named are the scan's failure, not a warning: the user
/// asked about that file and would otherwise get a clean report of nothing.
pub(crate) fn named_file_problem(tr: &TargetReport, name: &str) -> Option<EngineError> {
    let first: &ScanError = tr.errors.iter().find(|e| e.source == name)?;
    Some(EngineError::Corrupt {
        path: name.to_string(),
        message: first.message.clone(),
    })
}
