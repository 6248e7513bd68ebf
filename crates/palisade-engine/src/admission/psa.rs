//! Pod Security Admission as the API server's built-in plugin applies it
//! (`k8s.io/pod-security-admission/admission`): levels per namespace from its
//! `pod-security.kubernetes.io/*` labels, enforce on Pods only, warn and audit on Pods and pod
//! controllers, exemptions, and the updates PSA lets pass unchecked. The checks themselves are
//! the PSA library's, through Kyverno's evaluator (`palisade_policy::kyverno::pss`).

use super::config::{Exemptions, PodSecurityConfig, PsaDefaults};
use super::verdict::{Reason, Verdict};
use palisade_policy::kyverno::pss::{PodSecurity, PssResult};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;

const PREFIX: &str = "pod-security.kubernetes.io/";
const MODES: [&str; 3] = ["enforce", "audit", "warn"];
/// Kinds whose pod templates PSA warns and audits about (`DefaultPodSpecResources`).
const CONTROLLERS: [&str; 7] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicaSet",
    "ReplicationController",
];

/// One mode's level and version; `None` evaluator for `privileged`.
#[derive(Debug, Clone)]
struct LevelVersion {
    /// `restricted:latest`, as PSA prints it.
    label: String,
    check: Option<PodSecurity>,
}

/// The enforce, audit and warn policies of one namespace.
#[derive(Debug, Clone)]
struct NsPolicy([LevelVersion; 3]);

/// Pod Security, compiled: default policy, exemptions and the inventory's namespaces.
#[derive(Debug)]
pub(crate) struct PodSecurityStage {
    enabled: bool,
    defaults: PsaDefaults,
    default_policy: NsPolicy,
    exemptions: Exemptions,
    namespaces: HashMap<String, NsPolicy>,
}

impl PodSecurityStage {
    pub fn new(
        cfg: &PodSecurityConfig,
        namespaces: &[(String, Map<String, Value>)],
    ) -> Result<PodSecurityStage, String> {
        for (mode, level) in [
            ("enforce", &cfg.defaults.enforce),
            ("audit", &cfg.defaults.audit),
            ("warn", &cfg.defaults.warn),
        ] {
            if !matches!(level.as_str(), "privileged" | "baseline" | "restricted") {
                return Err(format!(
                    "podSecurity.defaults.{mode}: unknown level {level:?}"
                ));
            }
        }
        let default_policy = policy_of(None, &cfg.defaults);
        let namespaces = namespaces
            .iter()
            .map(|(name, labels)| (name.clone(), policy_of(Some(labels), &cfg.defaults)))
            .collect();
        Ok(PodSecurityStage {
            enabled: cfg.enabled,
            defaults: cfg.defaults.clone(),
            default_policy,
            exemptions: cfg.exemptions.clone(),
            namespaces,
        })
    }

    /// Pod Security turned off; what [`super::Controller::default_policy`] falls back to if
    /// its own configuration ever failed to load.
    pub fn off() -> PodSecurityStage {
        let d = PsaDefaults::default();
        PodSecurityStage {
            enabled: false,
            default_policy: policy_of(None, &d),
            defaults: d,
            exemptions: Exemptions::default(),
            namespaces: HashMap::new(),
        }
    }

    /// Checks one request. `namespace_object` comes from the request; the inventory and the
    /// defaults stand in when it is absent.
    pub fn check(&self, req: &Value, namespace: &str, out: &mut Verdict) {
        if !self.enabled {
            return;
        }
        let op = req.get("operation").and_then(Value::as_str).unwrap_or("");
        let sub = req.get("subResource").and_then(Value::as_str).unwrap_or("");
        // PSA's webhook sees CREATE and UPDATE; DELETE leaves nothing to run.
        if !matches!(op, "CREATE" | "UPDATE" | "") {
            return;
        }
        let Some(object) = req.get("object").filter(|o| o.is_object()) else {
            return;
        };
        let kind = req
            .pointer("/kind/kind")
            .and_then(Value::as_str)
            .or_else(|| object.get("kind").and_then(Value::as_str))
            .unwrap_or("");
        let is_pod = kind == "Pod";
        if !is_pod && !CONTROLLERS.contains(&kind) {
            return;
        }
        // Subresources other than a Pod's ephemeral containers (status, scale, binding) are
        // not Pod Security's business.
        if !(sub.is_empty() || (is_pod && sub == "ephemeralcontainers")) {
            return;
        }
        if let Some(why) = self.exempt(req, namespace, object, is_pod) {
            out.audit.insert(format!("{PREFIX}exempt"), json!(why));
            return;
        }
        if is_pod && op == "UPDATE" && sub.is_empty() {
            if let Some(old) = req.get("oldObject").filter(|o| o.is_object()) {
                if !significant_pod_update(object, old) {
                    return;
                }
            }
        }
        let from_request;
        let policy = match req
            .pointer("/namespaceObject/metadata/labels")
            .and_then(Value::as_object)
        {
            Some(labels) => {
                from_request = policy_of(Some(labels), &self.defaults);
                &from_request
            }
            None => self
                .namespaces
                .get(namespace)
                .unwrap_or(&self.default_policy),
        };
        let [enforce, audit, warn] = &policy.0;
        let mut enforce_failed = false;
        if is_pod {
            out.audit
                .insert(format!("{PREFIX}enforce-policy"), json!(enforce.label));
            if let Some(r) = evaluate(enforce, object) {
                enforce_failed = true;
                let name = req
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|n| !n.is_empty())
                    .or_else(|| object.pointer("/metadata/name").and_then(Value::as_str))
                    .unwrap_or("");
                out.deny(
                    Reason::PodSecurity,
                    format!(
                        "pods {name:?} is forbidden: violates PodSecurity {:?}: {}",
                        enforce.label,
                        summary(&r)
                    ),
                );
            }
        }
        // As PSA: a warning or audit entry repeating the enforce failure adds nothing.
        let repeats = |lv: &LevelVersion| enforce_failed && lv.label == enforce.label;
        if !repeats(audit) {
            if let Some(r) = evaluate(audit, object) {
                out.audit.insert(
                    format!("{PREFIX}audit-violations"),
                    json!(format!(
                        "would violate PodSecurity {:?}: {}",
                        audit.label,
                        summary(&r)
                    )),
                );
            }
        }
        if !repeats(warn) {
            if let Some(r) = evaluate(warn, object) {
                let what = if is_pod {
                    String::new()
                } else {
                    let name = object
                        .pointer("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    format!("{kind} {name:?}: ")
                };
                out.warnings.push(format!(
                    "{what}would violate PodSecurity {:?}: {}",
                    warn.label,
                    summary(&r)
                ));
            }
        }
    }

    /// PSA's exemptions, by what they exempt (`namespace`, `user`, `runtimeClass`).
    fn exempt(&self, req: &Value, ns: &str, object: &Value, is_pod: bool) -> Option<&'static str> {
        let ex = &self.exemptions;
        if !ns.is_empty() && ex.namespaces.iter().any(|n| n == ns) {
            return Some("namespace");
        }
        let user = req.pointer("/userInfo/username").and_then(Value::as_str);
        if user.is_some_and(|u| ex.usernames.iter().any(|n| n == u)) {
            return Some("user");
        }
        let spec = if is_pod {
            object.get("spec")
        } else {
            pod_template_spec(object)
        };
        let rc = spec
            .and_then(|s| s.get("runtimeClassName"))
            .and_then(Value::as_str);
        if rc.is_some_and(|r| ex.runtime_classes.iter().any(|n| n == r)) {
            return Some("runtimeClass");
        }
        None
    }
}

/// The pod spec of a controller's template.
fn pod_template_spec(object: &Value) -> Option<&Value> {
    object
        .pointer("/spec/template/spec")
        .or_else(|| object.pointer("/spec/jobTemplate/spec/template/spec"))
}

/// A failed evaluation of one level, `None` when it passes or does not apply.
fn evaluate(lv: &LevelVersion, object: &Value) -> Option<PssResult> {
    lv.check
        .as_ref()
        .and_then(|c| c.check(object))
        .filter(|r| !r.passed)
}

/// PSA's aggregate: `reason (detail), reason (detail)`.
fn summary(r: &PssResult) -> String {
    let mut s = String::new();
    for (i, v) in r.violations.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&v.reason);
        if !v.message.is_empty() {
            s.push_str(" (");
            s.push_str(&v.message);
            s.push(')');
        }
    }
    s
}

/// PSA's `isSignificantPodUpdate`: only changed images (or added containers) are checked
/// again; other updates of a running Pod (labels, annotations, status) pass.
fn significant_pod_update(pod: &Value, old: &Value) -> bool {
    fn list<'a>(o: &'a Value, key: &str) -> &'a [Value] {
        o.get("spec")
            .and_then(|s| s.get(key))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
    fn image(c: &Value) -> Option<&str> {
        c.get("image").and_then(Value::as_str)
    }
    for key in ["containers", "initContainers"] {
        let (new, prev) = (list(pod, key), list(old, key));
        if new.len() != prev.len() || new.iter().zip(prev).any(|(a, b)| image(a) != image(b)) {
            return true;
        }
    }
    let prev = list(old, "ephemeralContainers");
    list(pod, "ephemeralContainers").iter().any(|c| {
        !prev
            .iter()
            .any(|p| p.get("name") == c.get("name") && image(p) == image(c))
    })
}

/// A namespace's policy from its labels over the defaults. As PSA, an unknown level fails
/// closed to `restricted` and an unknown version to `latest`; versions before v1.19 (which
/// the evaluator does not model) are evaluated as `latest` too.
fn policy_of(labels: Option<&Map<String, Value>>, d: &PsaDefaults) -> NsPolicy {
    let defaults = [
        (&d.enforce, &d.enforce_version),
        (&d.audit, &d.audit_version),
        (&d.warn, &d.warn_version),
    ];
    let label = |key: String| -> Option<&str> { labels?.get(&key)?.as_str() };
    let modes = [0, 1, 2].map(|i| {
        let (mode, (dl, dv)) = (MODES[i], defaults[i]);
        let level: Cow<str> = match label(format!("{PREFIX}{mode}")) {
            Some(l @ ("privileged" | "baseline" | "restricted")) => l.into(),
            Some(_) => "restricted".into(),
            None => dl.as_str().into(),
        };
        let version = label(format!("{PREFIX}{mode}-version")).unwrap_or(dv);
        level_version(&level, version)
    });
    NsPolicy(modes)
}

fn level_version(level: &str, version: &str) -> LevelVersion {
    if level == "privileged" {
        return LevelVersion {
            label: format!("privileged:{version}"),
            check: None,
        };
    }
    let parsed = PodSecurity::parse(&json!({"level": level, "version": version}));
    let (version, check) = match parsed {
        Ok(p) => (version, p),
        Err(_) => match PodSecurity::parse(&json!({"level": level, "version": "latest"})) {
            Ok(p) => ("latest", p),
            // Unreachable for the three known levels; stay open rather than panic.
            Err(_) => {
                return LevelVersion {
                    label: String::new(),
                    check: None,
                }
            }
        },
    };
    LevelVersion {
        label: format!("{level}:{version}"),
        check: Some(check),
    }
}
