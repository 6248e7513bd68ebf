use crate::{Location, Severity};
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    Vulnerability,
    Misconfiguration,
    Secret,
    License,
    // A runtime detection: a Falco-language rule that matched an event (audit or kernel).
    Detection,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// Rule or advisory ID (`DF002`, `K8S017`, `aws-access-key-id`, `CVE-2023-1234`).
    pub rule_id: String,
    pub kind: FindingKind,
    pub severity: Severity,
    pub title: String,
    pub message: String,
    pub location: Location,
    /// Further places the same finding holds: a vulnerable package found in several files
    /// is one finding listing every file, `location` being the first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_locations: Vec<Location>,
    /// The offending text; secrets are always masked before they reach this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Foreign IDs of equivalent checks (hadolint, Trivy, Checkov, Kubescape).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerability: Option<VulnInfo>,
    /// Family-specific details that reports show but do not interpret.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Finding {
    pub fn new(
        rule_id: impl Into<String>,
        kind: FindingKind,
        severity: Severity,
        title: impl Into<String>,
        message: impl Into<String>,
        location: Location,
    ) -> Self {
        Finding {
            rule_id: rule_id.into(),
            kind,
            severity,
            title: title.into(),
            message: message.into(),
            location,
            other_locations: Vec::new(),
            evidence: None,
            remediation: None,
            references: Vec::new(),
            related: Vec::new(),
            vulnerability: None,
            extra: serde_json::Map::new(),
        }
    }
}

/// Details of a vulnerability finding.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VulnInfo {
    pub package_name: String,
    pub installed_version: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed_versions: Vec<String>,
    /// `fixed` or `affected` (no fix yet).
    pub status: String,
    /// The advisory the finding comes from (`GHSA-…`, `PYSEC-…`, `DSA-…`) when the finding
    /// shows another ID: findings show the advisory's CVE, which users search by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Every other ID of the advisory, the source ID included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_vector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// With `--dependency-tree`: how the vulnerable package got in, as purls from a direct
    /// dependency (or the top-level OS package that pulls it in) down to the package itself,
    /// shortest chains first. A one-element chain means the package is a direct dependency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependency_paths: Vec<Vec<String>>,
}
