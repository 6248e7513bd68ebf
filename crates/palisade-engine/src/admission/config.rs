//! The admission configuration (`docs/admission-config.schema.json`): what the controller
//! enforces, read once by [`super::Controller::load`]. Field names are camelCase like the
//! Kubernetes configuration files it sits beside.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Everything the admission controller checks. Every section is optional: the empty
/// configuration is Pod Security Admission's defaults (privileged) and nothing else, while
/// [`super::Controller::default_policy`] is what a cluster without configuration gets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    /// Pod Security Admission, per namespace.
    #[serde(default)]
    pub pod_security: PodSecurityConfig,
    /// Files of Kubernetes objects (YAML or JSON; Namespaces give Pod Security labels, and
    /// every object is Gatekeeper's `data.inventory` and a VAP/Kyverno param candidate).
    #[serde(default)]
    pub inventory: Vec<PathBuf>,
    /// Palisade's built-in Kubernetes rules; absent: not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_rules: Option<RulesConfig>,
    /// Policy directories/files, as `--policy` takes them.
    #[serde(default)]
    pub policies: PoliciesConfig,
    #[serde(default)]
    pub images: ImagesConfig,
    /// Defaults `/mutate` adds to Pods and pod templates.
    #[serde(default)]
    pub mutate: MutateConfig,
    /// What an evaluation error (a policy timeout, a broken template) decides.
    #[serde(default)]
    pub on_error: OnError,
}

/// PSA's `AdmissionConfiguration` `PodSecurityConfiguration`, minus the kind envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodSecurityConfig {
    #[serde(default)]
    pub defaults: PsaDefaults,
    #[serde(default)]
    pub exemptions: Exemptions,
    /// `false` turns Pod Security off altogether.
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for PodSecurityConfig {
    fn default() -> Self {
        PodSecurityConfig {
            defaults: PsaDefaults::default(),
            exemptions: Exemptions::default(),
            enabled: true,
        }
    }
}

fn yes() -> bool {
    true
}

fn privileged() -> String {
    "privileged".into()
}

fn latest() -> String {
    "latest".into()
}

/// Levels and versions for namespaces that carry no PSA labels (PSA's `defaults`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PsaDefaults {
    #[serde(default = "privileged")]
    pub enforce: String,
    #[serde(default = "latest")]
    pub enforce_version: String,
    #[serde(default = "privileged")]
    pub audit: String,
    #[serde(default = "latest")]
    pub audit_version: String,
    #[serde(default = "privileged")]
    pub warn: String,
    #[serde(default = "latest")]
    pub warn_version: String,
}

impl Default for PsaDefaults {
    fn default() -> Self {
        PsaDefaults {
            enforce: privileged(),
            enforce_version: latest(),
            audit: privileged(),
            audit_version: latest(),
            warn: privileged(),
            warn_version: latest(),
        }
    }
}

/// Requests PSA lets through unchecked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Exemptions {
    #[serde(default)]
    pub usernames: Vec<String>,
    #[serde(default, alias = "runtimeClassNames")]
    pub runtime_classes: Vec<String>,
    #[serde(default)]
    pub namespaces: Vec<String>,
}

/// Palisade's Kubernetes rules at admission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RulesConfig {
    /// Findings at or above this severity count (`LOW` … `CRITICAL`).
    #[serde(default = "high")]
    pub severity: String,
    #[serde(default)]
    pub action: Action,
    /// Pod Security Standards version the PSS rules follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pss_version: Option<String>,
}

fn high() -> String {
    "HIGH".into()
}

fn critical() -> String {
    "CRITICAL".into()
}

/// What a finding does to the request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    #[default]
    Deny,
    Warn,
}

/// User policies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PoliciesConfig {
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// Budget of one policy query in milliseconds (default 1000: an admission webhook is
    /// itself under the API server's timeout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// Conftest packages to run (default `main`); `["*"]` for all.
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// `rego` (default) or `cel` for Gatekeeper templates that carry both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gatekeeper_engine: Option<String>,
}

/// Rules on the images of Pods and pod templates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImagesConfig {
    /// Registry or repository prefixes (`ghcr.io/acme`) or wildcards (`*.example.com/*`);
    /// empty: any.
    #[serde(default)]
    pub allowed_registries: Vec<String>,
    #[serde(default)]
    pub require_digest: bool,
    /// Only images with a cosign signature that verifies with one of these keys; `false`
    /// (the default) turns it off.
    #[serde(default, skip_serializing_if = "RequireSignature::is_off")]
    pub require_signature: RequireSignature,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerabilities: Option<VulnGate>,
}

/// `requireSignature`: `false`, or the keys and images of a signature gate. `true` alone is
/// refused at load: there is nothing to verify with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequireSignature {
    Switch(bool),
    Gate(SignatureGate),
}

impl Default for RequireSignature {
    fn default() -> Self {
        RequireSignature::Switch(false)
    }
}

impl RequireSignature {
    pub fn is_off(&self) -> bool {
        *self == RequireSignature::Switch(false)
    }
}

/// Cosign signatures required of images, verified against their registry (the signature
/// manifest, never the image), remembered per digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignatureGate {
    /// PEM public keys (cosign.pub); a signature by any of them is enough.
    pub keys: Vec<PathBuf>,
    /// Images the gate applies to, as `allowedRegistries` patterns; empty: every image.
    #[serde(default)]
    pub images: Vec<String>,
    #[serde(default)]
    pub action: Action,
    /// Registries reached over plain HTTP (`127.0.0.1:5000`), as `allowedRegistries` patterns.
    #[serde(default)]
    pub insecure_registries: Vec<String>,
    /// Docker config with registry credentials (default `$DOCKER_CONFIG/config.json` or
    /// `~/.docker/config.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_config: Option<PathBuf>,
    /// How long a verified digest stays verified without asking the registry again
    /// (default 300). Failures are remembered for a tenth of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_seconds: Option<u64>,
}

/// Refuse images whose stored scan report has findings at or above a severity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VulnGate {
    /// Directory of Palisade JSON reports (`palisade image … -f json`).
    pub reports: PathBuf,
    #[serde(default = "critical")]
    pub severity: String,
    #[serde(default)]
    pub action: Action,
    /// Refuse images with a digest no report covers (default: let them through).
    #[serde(default)]
    pub require_report: bool,
}

/// Security-context defaults for `/mutate`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MutateConfig {
    /// Defaults for every namespace not listed below.
    #[serde(default)]
    pub defaults: MutateDefaults,
    /// Per-namespace defaults, replacing `defaults` for that namespace.
    #[serde(default)]
    pub namespaces: BTreeMap<String, MutateDefaults>,
}

/// Which fields `/mutate` sets where the object leaves them unset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MutateDefaults {
    #[serde(default)]
    pub run_as_non_root: bool,
    #[serde(default)]
    pub seccomp_runtime_default: bool,
    #[serde(default)]
    pub drop_all_capabilities: bool,
    #[serde(default)]
    pub disallow_privilege_escalation: bool,
    #[serde(default)]
    pub read_only_root_filesystem: bool,
    /// Tags pinned to the digest the signature gate verified (`app:1` →
    /// `app:1@sha256:…`), so the kubelet runs what was verified even if the tag moves.
    #[serde(default)]
    pub pin_image_digests: bool,
}

impl MutateDefaults {
    /// What Pod Security `restricted` requires, without the read-only root filesystem.
    pub fn restricted() -> MutateDefaults {
        MutateDefaults {
            run_as_non_root: true,
            seccomp_runtime_default: true,
            drop_all_capabilities: true,
            disallow_privilege_escalation: true,
            read_only_root_filesystem: false,
            pin_image_digests: false,
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == MutateDefaults::default()
    }
}

/// The decision when an evaluation fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Refuse (fail closed), as a `failurePolicy: Fail` webhook.
    #[default]
    Deny,
    /// Admit with a warning naming the error.
    Allow,
}

/// Why a configuration cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum AdmissionError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("admission configuration: {0}")]
    Invalid(String),
    #[error("policies: {0}")]
    Policy(#[from] palisade_policy::PolicyError),
    #[error("images.requireSignature: {0}")]
    Signatures(String),
}
