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
    /// `templates/` directories of Helm charts: Go templates, not YAML, reported once each.
    pub helm_templates: std::collections::BTreeSet<String>,
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
                if let Some(dir) = helm_template_dir(path, &text) {
                    self.helm_templates.insert(dir.to_string());
                } else if palisade_kube::looks_like_manifest(Path::new(path), &text) {
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

/// The chart's `templates` directory when `path` is a Helm template: below a `templates/`
/// directory and using Go template actions (`{{ .Values…`, `{{- include …`). Kyverno
/// variables (`{{ request.object… }}`) are not template actions, so Kyverno policies kept in
/// a `templates/` directory are still read.
fn helm_template_dir<'a>(path: &'a str, text: &str) -> Option<&'a str> {
    let at = path
        .match_indices("templates/")
        .map(|(i, _)| i)
        .find(|&i| i == 0 || path[..i].ends_with('/'))?;
    const ACTIONS: [&str; 11] = [
        ".", "include", "if", "else", "end", "range", "with", "define", "template", "toYaml", "$",
    ];
    let uses_actions = text.match_indices("{{").any(|(i, _)| {
        let rest = text[i + 2..].trim_start_matches('-').trim_start();
        ACTIONS.iter().any(|a| {
            rest.strip_prefix(a).is_some_and(|r| {
                *a == "." || *a == "$" || r.starts_with(|c: char| !c.is_alphanumeric())
            })
        })
    });
    uses_actions.then(|| &path[..at + "templates".len()])
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
    for dir in &files.helm_templates {
        tr.errors.push(ScanError::unsupported(
            "kubernetes",
            format!(
                "{dir}: Helm chart templates are not rendered; scan the rendered chart (helm template CHART | palisade config -)"
            ),
        ));
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

#[cfg(test)]
mod tests {
    use super::helm_template_dir;

    #[test]
    fn helm_templates_are_told_from_manifests() {
        let helm =
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include \"x.fullname\" . }}\n";
        assert_eq!(
            helm_template_dir("deploy/helm/x/templates/service.yaml", helm),
            Some("deploy/helm/x/templates")
        );
        assert_eq!(
            helm_template_dir(
                "templates/a.yaml",
                "{{- if .Values.on }}\nkind: Pod\n{{- end }}\n"
            ),
            Some("templates")
        );
        // Kyverno variables are not template actions; plain manifests have none.
        let kyverno = "kind: ClusterPolicy\nspec:\n  rules:\n  - validate:\n      message: \"{{ request.object.metadata.name }}\"\n";
        assert_eq!(
            helm_template_dir("policies/templates/p.yaml", kyverno),
            None
        );
        assert_eq!(
            helm_template_dir("deploy/x/templates/pod.yaml", "kind: Pod\n"),
            None
        );
        // Only a directory named templates, not one ending in it.
        assert_eq!(helm_template_dir("mytemplates/a.yaml", helm), None);
    }
}
