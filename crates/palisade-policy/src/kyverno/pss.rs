//! Kyverno's `validate.podSecurity`: a Pod Security Standards level and version applied to a
//! Pod or to the pod template of a pod controller, minus the exclusions the rule lists.
//!
//! Kyverno evaluates the PSA library's checks (its fork with field errors) and then drops the
//! violations its `exclude` entries cover (`pkg/pss/evaluate.go`,
//! `pkg/engine/handlers/validation/validate_pss.go`). This module reproduces both, check by
//! check, so verdicts, control names, reasons and messages match Kyverno's; see `registry.rs`
//! for the few places it departs from Kyverno and why.

mod baseline;
mod exclude;
mod model;
mod profiles;
mod registry;
mod restricted;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_exclude;
#[cfg(test)]
mod tests_parse;

use exclude::Exclusion;
use model::{Failure, Pod, NULL};
use palisade_kube::pss::{parse_version, Level};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Oldest version Kyverno's CRD accepts (`v1.19`); older ones used seccomp annotations.
const OLDEST_MINOR: u32 = 19;

/// A parsed `validate.podSecurity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSecurity {
    level: Level,
    /// The version as written (`latest` when unset), for messages.
    version: String,
    minor: u32,
    exclude: Vec<Exclusion>,
    rule: String,
}

/// The verdict on one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PssResult {
    pub passed: bool,
    /// Kyverno's rule message: `Validation rule 'r' passed.` or `Validation rule 'r' failed. It
    /// violates PodSecurity "restricted:latest": (Forbidden reason: …, field error list: [...])`.
    pub message: String,
    /// The failed checks left after exclusions, in PSA's check order.
    pub violations: Vec<PssViolation>,
}

/// One failed PSA check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PssViolation {
    /// Kyverno's control name (`Capabilities`), what `exclude.controlName` takes.
    pub control: String,
    /// PSA's check ID (`capabilities_restricted`).
    pub check: String,
    /// PSA's forbidden reason (`unrestricted capabilities`).
    pub reason: String,
    /// PSA's forbidden detail (`container "app" must set securityContext.capabilities.drop=["ALL"]`).
    pub message: String,
    /// The restricted fields found, with paths relative to the resource.
    pub fields: Vec<PssField>,
    /// Images of the offending containers (the container name when it has no image).
    pub images: Vec<String>,
}

/// One restricted field a check flagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PssField {
    /// Path in the resource (`spec.template.spec.containers[0].securityContext.privileged`).
    pub field: String,
    /// The forbidden values (what `exclude.values` is matched against); empty when the field is
    /// missing rather than wrong.
    pub values: Vec<String>,
    /// As Kyverno prints the error (`… is forbidden, forbidden values found: true`).
    pub message: String,
}

impl PodSecurity {
    /// Parses the `validate.podSecurity` object; Err(message) for an unknown level/version/control
    /// name, and for the exclusions Kyverno's admission refuses (a container-level control without
    /// `images`, a pod-level one with them, a Restricted-only control in a Baseline rule), since
    /// Kyverno never runs such a rule. A whole rule (`{name, validate: {podSecurity}}`) is accepted
    /// too and lends its name to messages.
    pub fn parse(spec: &Value) -> Result<PodSecurity, String> {
        if let Some(ps) = spec.get("validate").and_then(|v| v.get("podSecurity")) {
            let name = spec
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("podSecurity");
            return Ok(PodSecurity::parse(ps)?.with_rule_name(name));
        }
        let obj = spec.as_object().ok_or("podSecurity must be an object")?;
        let level = match obj.get("level").and_then(Value::as_str) {
            Some("privileged") => Level::Privileged,
            Some("baseline") => Level::Baseline,
            Some("restricted") => Level::Restricted,
            other => {
                return Err(format!(
                    "unknown podSecurity level {} (expected privileged, baseline or restricted)",
                    other.map_or_else(|| "(unset)".to_string(), |l| format!("{l:?}"))
                ))
            }
        };
        let version = match obj.get("version") {
            None | Some(Value::Null) => "latest",
            Some(Value::String(s)) if s.is_empty() => "latest",
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return Err("podSecurity.version must be a string".into()),
        };
        let minor = parse_version(version).map_err(|e| e.to_string())?;
        if minor < OLDEST_MINOR {
            return Err(format!(
                "podSecurity version {version:?} is older than Kyverno accepts (v1.19 … latest)"
            ));
        }
        let mut exclude = Vec::new();
        let items = match obj.get("exclude") {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(a)) => a.as_slice(),
            Some(_) => return Err("podSecurity.exclude must be a list".into()),
        };
        for (i, item) in items.iter().enumerate() {
            exclude.push(parse_exclusion(item, level).map_err(|e| format!("exclude[{i}]: {e}"))?);
        }
        Ok(PodSecurity {
            level,
            version: version.to_string(),
            minor,
            exclude,
            rule: "podSecurity".to_string(),
        })
    }

    /// Names the rule in messages (`Validation rule '<name>' failed…`).
    pub fn with_rule_name(mut self, name: &str) -> PodSecurity {
        self.rule = name.to_string();
        self
    }

    pub fn level(&self) -> Level {
        self.level
    }

    /// The policy version's minor number (`latest` resolved).
    pub fn minor(&self) -> u32 {
        self.minor
    }

    /// Evaluates a resource (Pod, or a pod controller as Kyverno does). `None` when the resource
    /// carries no pod spec (another kind, or a controller without a template spec).
    pub fn check(&self, resource: &Value) -> Option<PssResult> {
        let target = Target::of(resource)?;
        let pod = target.pod;
        let mut failures = registry::evaluate(self.level, self.minor, &pod);
        if !failures.is_empty() && !self.exclude.is_empty() {
            exclude::apply(self.level, self.minor, &self.exclude, &pod, &mut failures);
        }
        let violations: Vec<PssViolation> = failures.iter().map(|f| target.violation(f)).collect();
        let message = if violations.is_empty() {
            format!("Validation rule '{}' passed.", self.rule)
        } else {
            format!(
                "Validation rule '{}' failed. It violates PodSecurity \"{}:{}\": {}",
                self.rule,
                self.level.as_str(),
                self.version,
                checks_print(&violations)
            )
        };
        Some(PssResult {
            passed: violations.is_empty(),
            message,
            violations,
        })
    }
}

fn parse_exclusion(item: &Value, level: Level) -> Result<Exclusion, String> {
    let obj = item.as_object().ok_or("must be an object")?;
    let control = obj
        .get("controlName")
        .and_then(Value::as_str)
        .ok_or("controlName is required")?;
    if registry::control_ids(control).is_empty() {
        let names: Vec<&str> = registry::CONTROLS.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "unknown controlName {control:?} (expected one of: {})",
            names.join(", ")
        ));
    }
    let string_list = |key: &str| -> Result<Vec<String>, String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("{key} must be a list of strings")),
            Some(_) => Err(format!("{key} must be a list of strings")),
        }
    };
    let images = string_list("images")?;
    let values = string_list("values")?;
    let restricted_field = match obj.get("restrictedField") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("restrictedField must be a string".into()),
    };
    // Kyverno's admission checks (`PodSecurityStandard.Validate`, `ValidatePSaControlNames`).
    if registry::CONTAINER_LEVEL.contains(&control) && images.is_empty() {
        return Err(format!(
            "{control:?}: exclude.images must be specified for the container level control"
        ));
    }
    if registry::POD_LEVEL.contains(&control) && !images.is_empty() {
        return Err(format!(
            "{control:?}: exclude.images must not be specified for the pod level control"
        ));
    }
    if level == Level::Baseline && registry::RESTRICTED_ONLY.contains(&control) {
        return Err(format!(
            "{control:?}: invalid control name defined at the given level (baseline)"
        ));
    }
    Ok(Exclusion {
        control: control.to_string(),
        images,
        restricted_field,
        values,
    })
}

/// The pod a resource carries and where its fields live in the resource.
struct Target<'a> {
    pod: Pod<'a>,
    spec_path: &'static str,
    meta_path: &'static str,
}

impl<'a> Target<'a> {
    /// Kyverno's `getSpec`: Pods, the `spec.template` of the workload controllers, and the
    /// `spec.jobTemplate.spec.template` of CronJobs. For a CronJob Kyverno reads the metadata
    /// of `spec.jobTemplate` instead of the pod template's; the template's annotations are what
    /// reach the pod, so those are read here.
    fn of(resource: &'a Value) -> Option<Target<'a>> {
        let kind = resource.get("kind").and_then(Value::as_str)?;
        let (template, spec_path, meta_path) = match kind {
            "Pod" => (resource, "spec", "metadata"),
            "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "ReplicaSet"
            | "ReplicationController" => (
                resource.get("spec")?.get("template")?,
                "spec.template.spec",
                "spec.template.metadata",
            ),
            "CronJob" => (
                resource.pointer("/spec/jobTemplate/spec/template")?,
                "spec.jobTemplate.spec.template.spec",
                "spec.jobTemplate.spec.template.metadata",
            ),
            _ => return None,
        };
        let spec = template.get("spec").filter(|s| s.is_object())?;
        let meta = template.get("metadata").unwrap_or(&NULL);
        Some(Target {
            pod: Pod { meta, spec },
            spec_path,
            meta_path,
        })
    }

    /// A field path of the pod as a path in the resource (Kyverno's `convertChecks`).
    fn resource_path(&self, field: &str) -> String {
        if let Some(rest) = field.strip_prefix("spec") {
            format!("{}{rest}", self.spec_path)
        } else if let Some(rest) = field.strip_prefix("metadata") {
            format!("{}{rest}", self.meta_path)
        } else {
            field.to_string()
        }
    }

    fn violation(&self, f: &Failure) -> PssViolation {
        let fields = f
            .errs
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.field = self.resource_path(&e.field);
                PssField {
                    values: e.bad.values(),
                    message: e.message(),
                    field: e.field,
                }
            })
            .collect();
        let images = self.images(f);
        PssViolation {
            control: registry::control_name(f.id).to_string(),
            check: f.id.to_string(),
            reason: f.reason.clone(),
            message: f.detail.clone(),
            fields,
            images,
        }
    }

    /// Images of the offending containers, deduplicated: those of the errors left after
    /// exclusions (PSA's detail, from which Kyverno reads images, still names excused ones), or
    /// for a check without field errors those it names. A container without an image is
    /// reported by name, as Kyverno's `getImageReference` does. Linear in the containers.
    fn images(&self, f: &Failure) -> Vec<String> {
        let image = |c: &Value| {
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            c.get("image")
                .and_then(Value::as_str)
                .unwrap_or(name)
                .to_string()
        };
        let found: Vec<String> = if f.errs.is_empty() {
            let mut by_name: HashMap<&str, &Value> = HashMap::new();
            for c in self.pod.containers() {
                by_name.entry(c.name).or_insert(c.node);
            }
            let named = |n: &String| {
                by_name
                    .get(n.as_str())
                    .map_or_else(|| n.clone(), |c| image(c))
            };
            f.containers.iter().map(named).collect()
        } else {
            f.errs
                .iter()
                .filter_map(|e| self.container_at(&e.field))
                .map(image)
                .collect()
        };
        let mut seen = HashSet::new();
        found
            .into_iter()
            .filter(|i| seen.insert(i.clone()))
            .collect()
    }

    /// The container a pod field path (`spec.containers[2]…`) is in.
    fn container_at(&self, field: &str) -> Option<&'a Value> {
        let rest = field.strip_prefix("spec.")?;
        let (list, rest) = rest.split_once('[')?;
        if !model::CONTAINER_LISTS.contains(&list) {
            return None;
        }
        let (index, _) = rest.split_once(']')?;
        self.pod.spec.get(list)?.get(index.parse::<usize>().ok()?)
    }
}

/// Kyverno's `FormatChecksPrint`.
fn checks_print(violations: &[PssViolation]) -> String {
    violations
        .iter()
        .map(|v| {
            let errs: Vec<&str> = v.fields.iter().map(|f| f.message.as_str()).collect();
            format!(
                "(Forbidden reason: {}, field error list: [{}])",
                v.reason,
                errs.join(", ")
            )
        })
        .collect()
}
