//! Pass/fail per control of a compliance framework, from the findings of a scan.

use crate::pss::Level;
use crate::rules;
use palisade_core::{Finding, Severity};
use serde::Serialize;
use std::collections::BTreeSet;

pub const FRAMEWORKS: &[&str] = &["pss-restricted", "pss-baseline", "nsa", "cis"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown compliance framework {0:?} (expected one of: pss-restricted, pss-baseline, nsa, cis)"
)]
pub struct UnknownFramework(pub String);

#[derive(Debug, Clone, Serialize)]
pub struct ComplianceSummary {
    pub framework: String,
    pub title: String,
    pub passed: usize,
    pub failed: usize,
    pub controls: Vec<ControlResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlResult {
    pub id: String,
    pub title: String,
    /// `pass` or `fail`.
    pub status: &'static str,
    /// The highest severity among the rules that check the control.
    pub severity: Severity,
    /// Rules that check the control.
    pub rules: Vec<String>,
    /// Findings of those rules in this scan.
    pub findings: usize,
    /// Distinct resources (Kubernetes objects, or files where a finding names no object)
    /// with at least one such finding: what `trivy k8s --compliance` counts as failed.
    pub failed_resources: usize,
}

/// Section titles of the NSA/CISA Kubernetes Hardening Guide (v1.2) the rules map to.
const NSA: &[(&str, &str)] = &[
    (
        "NSA-POD-NONROOT",
        "Pod security: non-root containers and rootless container engines",
    ),
    (
        "NSA-POD-IMMUTABLE",
        "Pod security: immutable container file systems",
    ),
    (
        "NSA-IMAGE-SECURE",
        "Pod security: building secure container images",
    ),
    (
        "NSA-POD-PRIV",
        "Pod security: pod security enforcement (privileged access)",
    ),
    (
        "NSA-POD-SATOKEN",
        "Pod security: protecting pod service account tokens",
    ),
    (
        "NSA-POD-HARDEN",
        "Pod security: hardening container environments",
    ),
    ("NSA-NET-NAMESPACES", "Network separation: namespaces"),
    ("NSA-NET-POLICY", "Network separation: network policies"),
    ("NSA-NET-RESOURCES", "Network separation: resource policies"),
    ("NSA-NET-SEP", "Network separation and hardening"),
    ("NSA-NET-ENCRYPT", "Network separation: encryption"),
    ("NSA-SECRETS", "Network separation: secrets"),
    (
        "NSA-AUTHN",
        "Authentication and authorization: authentication",
    ),
    (
        "NSA-AUTHZ-RBAC",
        "Authentication and authorization: role-based access control",
    ),
    (
        "NSA-APP-PRACTICES",
        "Upgrading and application security practices",
    ),
];

/// CIS Kubernetes Benchmark (v1.8) section 5 recommendations the rules map to.
const CIS: &[(&str, &str)] = &[
    (
        "CIS-5.1.1",
        "Ensure that the cluster-admin role is only used where required",
    ),
    ("CIS-5.1.2", "Minimize access to secrets"),
    (
        "CIS-5.1.3",
        "Minimize wildcard use in Roles and ClusterRoles",
    ),
    ("CIS-5.1.4", "Minimize access to create pods"),
    (
        "CIS-5.1.5",
        "Ensure that default service accounts are not actively used",
    ),
    (
        "CIS-5.1.6",
        "Ensure that Service Account Tokens are only mounted where necessary",
    ),
    (
        "CIS-5.1.8",
        "Limit use of the Bind, Impersonate and Escalate permissions",
    ),
    (
        "CIS-5.2.2",
        "Minimize the admission of privileged containers",
    ),
    (
        "CIS-5.2.3",
        "Minimize the admission of containers wishing to share the host process ID namespace",
    ),
    (
        "CIS-5.2.4",
        "Minimize the admission of containers wishing to share the host IPC namespace",
    ),
    (
        "CIS-5.2.5",
        "Minimize the admission of containers wishing to share the host network namespace",
    ),
    (
        "CIS-5.2.6",
        "Minimize the admission of containers with allowPrivilegeEscalation",
    ),
    ("CIS-5.2.7", "Minimize the admission of root containers"),
    (
        "CIS-5.2.8",
        "Minimize the admission of containers with the NET_RAW capability",
    ),
    (
        "CIS-5.2.9",
        "Minimize the admission of containers with added capabilities",
    ),
    (
        "CIS-5.2.10",
        "Minimize the admission of containers with capabilities assigned",
    ),
    (
        "CIS-5.2.11",
        "Minimize the admission of Windows HostProcess containers",
    ),
    ("CIS-5.2.12", "Minimize the admission of HostPath volumes"),
    (
        "CIS-5.2.13",
        "Minimize the admission of containers which use HostPorts",
    ),
    (
        "CIS-5.3.2",
        "Ensure that all Namespaces have Network Policies defined",
    ),
    (
        "CIS-5.4.1",
        "Prefer using secrets as files over secrets as environment variables",
    ),
    (
        "CIS-5.7.2",
        "Ensure that the seccomp profile is set to docker/default in your pod definitions",
    ),
    (
        "CIS-5.7.3",
        "Apply Security Context to Your Pods and Containers",
    ),
    ("CIS-5.7.4", "The default namespace should not be used"),
];

pub fn compliance_summary(
    framework: &str,
    findings: &[Finding],
) -> Result<ComplianceSummary, UnknownFramework> {
    let fw = framework.trim().to_ascii_lowercase();
    let all = rules::all();
    let count = |ids: &[String]| findings.iter().filter(|f| ids.contains(&f.rule_id)).count();
    let mut controls = Vec::new();
    let title = match fw.as_str() {
        "pss-restricted" | "pss-baseline" => {
            let max = if fw == "pss-baseline" {
                Level::Baseline
            } else {
                Level::Restricted
            };
            for r in all.iter().filter(|r| r.pss.is_some_and(|p| p.level <= max)) {
                let Some(p) = r.pss else { continue };
                let id = format!("{}/{}", p.level.as_str(), p.control);
                match controls
                    .iter_mut()
                    .find(|c: &&mut ControlResult| c.id == id)
                {
                    Some(c) => c.rules.push(r.meta.id.to_string()),
                    None => controls.push(ControlResult {
                        id,
                        title: format!("{} ({} policy)", p.control, p.level.as_str()),
                        status: "pass",
                        severity: Severity::Unknown,
                        rules: vec![r.meta.id.to_string()],
                        findings: 0,
                        failed_resources: 0,
                    }),
                }
            }
            if fw == "pss-baseline" {
                "Pod Security Standards: Baseline"
            } else {
                "Pod Security Standards: Restricted"
            }
        }
        "nsa" | "cis" => {
            let table = if fw == "nsa" { NSA } else { CIS };
            for (id, t) in table {
                let ids: Vec<String> = all
                    .iter()
                    .filter(|r| r.meta.compliance.contains(id))
                    .map(|r| r.meta.id.to_string())
                    .collect();
                if !ids.is_empty() {
                    controls.push(ControlResult {
                        id: id.to_string(),
                        title: t.to_string(),
                        status: "pass",
                        severity: Severity::Unknown,
                        rules: ids,
                        findings: 0,
                        failed_resources: 0,
                    });
                }
            }
            if fw == "nsa" {
                "NSA/CISA Kubernetes Hardening Guide"
            } else {
                "CIS Kubernetes Benchmark (section 5, policies)"
            }
        }
        _ => return Err(UnknownFramework(framework.to_string())),
    };
    for c in &mut controls {
        c.findings = count(&c.rules);
        c.failed_resources = failed_resources(&c.rules, findings);
        c.severity = all
            .iter()
            .filter(|r| c.rules.iter().any(|id| id == r.meta.id))
            .map(|r| r.meta.severity)
            .max()
            .unwrap_or(Severity::Unknown);
        if c.findings > 0 {
            c.status = "fail";
        }
    }
    let failed = controls.iter().filter(|c| c.status == "fail").count();
    Ok(ComplianceSummary {
        framework: fw.clone(),
        title: title.to_string(),
        passed: controls.len() - failed,
        failed,
        controls,
    })
}

/// How many distinct resources the findings of `rules` are about.
fn failed_resources(rules: &[String], findings: &[Finding]) -> usize {
    findings
        .iter()
        .filter(|f| rules.contains(&f.rule_id))
        .map(|f| {
            let l = &f.location;
            let object = l
                .object
                .as_ref()
                .map(|o| (o.kind.clone(), o.namespace.clone(), o.name.clone()));
            // Objects of the same name in two files are two resources.
            (l.path.clone(), object)
        })
        .collect::<BTreeSet<_>>()
        .len()
}

/// Every compliance ID a rule names must be a known control (or a PSS level tag).
#[cfg(test)]
fn known_control(id: &str) -> bool {
    id == "PSS-baseline" || id == "PSS-restricted" || NSA.iter().chain(CIS).any(|(k, _)| *k == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_maps_to_known_controls() {
        for r in rules::all() {
            assert!(
                !r.meta.compliance.is_empty(),
                "{} has no compliance mapping",
                r.meta.id
            );
            for c in r.meta.compliance {
                assert!(known_control(c), "{}: unknown control {c}", r.meta.id);
            }
        }
    }

    #[test]
    fn unknown_framework_is_an_error() {
        assert!(compliance_summary("pci", &[]).is_err());
        let s = compliance_summary("CIS", &[]).unwrap();
        assert_eq!(s.failed, 0);
        assert!(s.controls.iter().any(|c| c.id == "CIS-5.2.2"));
    }
}
