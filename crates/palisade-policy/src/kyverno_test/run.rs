//! Reading a `kyverno-test.yaml`, running it and comparing with its `results:`.

use super::{Actual, Status, TestContext};
use crate::PolicyError;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Files named `kyverno-test.yaml` (or `.yml`) under the paths, hidden `.kyverno-test`
/// directories included (where the Kyverno policy library keeps them).
pub fn find_tests<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<PathBuf>, PolicyError> {
    crate::input::files_under(paths, |p| Ok(is_test_file(p)), |p| Ok(is_test_file(p)))
}

fn is_test_file(p: &Path) -> bool {
    matches!(
        p.file_name().and_then(|n| n.to_str()),
        Some("kyverno-test.yaml" | "kyverno-test.yml")
    )
}

/// One expectation: a `results:` entry applied to one of its resources.
#[derive(Debug, Clone, Serialize)]
pub struct Expectation {
    pub test: String,
    pub policy: String,
    pub rule: String,
    pub resource: String,
    pub kind: String,
    pub expected: Status,
    /// What Palisade found; `None` when the policy reported nothing for the resource.
    pub actual: Option<Status>,
    pub pass: bool,
    /// No rule of the policy applied to the resource: the Kyverno CLI counts that as a pass.
    pub excluded: bool,
    /// Why it was not evaluated (mutation, generation), when it was not.
    pub unsupported: Option<String>,
    pub message: String,
}

/// The outcome of one test file.
#[derive(Debug, Clone, Serialize)]
pub struct TestReport {
    pub path: String,
    pub name: String,
    pub expectations: Vec<Expectation>,
}

fn read_docs(dir: &Path, list: Option<&Value>) -> Result<Vec<(String, Value)>, PolicyError> {
    let mut out = Vec::new();
    for f in list.and_then(Value::as_array).into_iter().flatten() {
        let Some(rel) = f.as_str() else { continue };
        let path = dir.join(rel);
        let text = crate::bundle::read_capped(&path)?;
        let display = path.display().to_string();
        for (_, doc) in crate::yaml::documents(&display, &text)? {
            match (doc.get("kind").and_then(Value::as_str), doc.get("items")) {
                (Some("List"), Some(Value::Array(items))) => {
                    out.extend(items.iter().cloned().map(|i| (display.clone(), i)))
                }
                _ if doc.is_null() => {}
                _ => out.push((display.clone(), doc)),
            }
        }
    }
    Ok(out)
}

fn read_one(dir: &Path, v: Option<&Value>) -> Result<Option<Value>, PolicyError> {
    Ok(
        read_docs(dir, v.map(|v| Value::Array(vec![v.clone()])).as_ref())?
            .into_iter()
            .next()
            .map(|(_, d)| d),
    )
}

fn status_of(s: &str) -> Option<Status> {
    Some(match s.to_ascii_lowercase().as_str() {
        "pass" => Status::Pass,
        "fail" => Status::Fail,
        "skip" => Status::Skip,
        "warn" => Status::Warn,
        "error" => Status::Error,
        _ => return None,
    })
}

/// Runs one test file. Load errors (a missing file, a policy that does not parse) are the
/// caller's to report; they fail the whole test.
pub fn run_test(path: &Path) -> Result<TestReport, PolicyError> {
    let text = crate::bundle::read_capped(path)?;
    let display = path.display().to_string();
    let doc = crate::yaml::documents(&display, &text)?
        .into_iter()
        .next()
        .map(|(_, d)| d)
        .ok_or_else(|| PolicyError::parse(&display, "empty test file"))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let ctx = TestContext {
        dir: dir.to_path_buf(),
        policies: read_docs(dir, doc.get("policies"))?,
        resources: read_docs(dir, doc.get("resources"))?
            .into_iter()
            .map(|(_, d)| with_default_namespace(d))
            .collect(),
        param_resources: read_docs(dir, doc.get("paramResources"))?
            .into_iter()
            .map(|(_, d)| d)
            .collect(),
        variables: read_one(dir, doc.get("variables"))?,
        user_info: read_one(dir, doc.get("userinfo"))?,
        context: read_one(dir, doc.get("context"))?,
    };
    let mut actuals = super::kyverno::evaluate(&ctx)?;
    actuals.extend(super::vap::evaluate(&ctx)?);
    actuals.extend(super::vpol::evaluate(&ctx)?);
    let name = doc
        .pointer("/metadata/name")
        .or_else(|| doc.get("name"))
        .and_then(Value::as_str)
        .unwrap_or(&display)
        .to_string();
    let mut expectations = Vec::new();
    for r in doc
        .get("results")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        expectations.extend(expect(&name, r, &actuals, &ctx));
    }
    Ok(TestReport {
        path: display,
        name,
        expectations,
    })
}

/// The Kyverno CLI puts namespaced resources without a namespace in `default`, as
/// `kubectl apply` would.
pub(super) fn with_default_namespace(mut doc: Value) -> Value {
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    if palisade_kube::CLUSTER_SCOPED_KINDS.contains(&kind) {
        return doc;
    }
    if let Some(meta) = doc.get_mut("metadata").and_then(Value::as_object_mut) {
        let empty = meta
            .get("namespace")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if empty {
            meta.insert("namespace".into(), Value::String("default".into()));
        }
    }
    doc
}

/// Whether the named rule of the named policy is something other than a validation
/// (mutate, generate, verifyImages): those are the admission webhook's.
fn non_validate_rule(policies: &[(String, Value)], policy: &str, rule: &str) -> bool {
    policies.iter().any(|(_, d)| {
        d.pointer("/metadata/name").and_then(Value::as_str) == Some(policy)
            && d.pointer("/spec/rules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|r| {
                    r.get("name").and_then(Value::as_str) == Some(rule)
                        && r.get("validate").is_none()
                })
    })
}

/// The kind of a named policy that mutates, generates, deletes or verifies images
/// (`MutatingPolicy`, `GeneratingPolicy`, `DeletingPolicy`, `ImageValidatingPolicy`,
/// `MutatingAdmissionPolicy`), which policy test does not evaluate.
fn policy_kind_elsewhere(policies: &[(String, Value)], name: &str) -> Option<String> {
    policies.iter().find_map(|(_, d)| {
        let kind = d.get("kind").and_then(Value::as_str)?;
        let named = d.pointer("/metadata/name").and_then(Value::as_str) == Some(name);
        let elsewhere = matches!(
            kind,
            "MutatingPolicy"
                | "NamespacedMutatingPolicy"
                | "GeneratingPolicy"
                | "NamespacedGeneratingPolicy"
                | "DeletingPolicy"
                | "NamespacedDeletingPolicy"
                | "ImageValidatingPolicy"
                | "NamespacedImageValidatingPolicy"
                | "MutatingAdmissionPolicy"
        );
        (named && elsewhere).then(|| kind.to_string())
    })
}

/// Whether the policy is one Palisade evaluated for this test: a Kyverno ClusterPolicy or
/// Policy, a ValidatingAdmissionPolicy, or any policy that reported on some resource.
fn evaluated_policy(policies: &[(String, Value)], actuals: &[Actual], name: &str) -> bool {
    actuals.iter().any(|a| a.policy == name)
        || policies.iter().any(|(_, d)| {
            let api = d.get("apiVersion").and_then(Value::as_str).unwrap_or("");
            let kind = d.get("kind").and_then(Value::as_str).unwrap_or("");
            d.pointer("/metadata/name").and_then(Value::as_str) == Some(name)
                && ((api.starts_with("kyverno.io/") && matches!(kind, "ClusterPolicy" | "Policy"))
                    || (api.starts_with("admissionregistration.k8s.io/")
                        && kind == "ValidatingAdmissionPolicy"))
        })
}

/// A rule name in a result entry covers the rules autogen derived from it.
fn same_rule(expected: &str, actual: Option<&str>) -> bool {
    let Some(a) = actual else {
        return expected.is_empty();
    };
    expected.is_empty()
        || a == expected
        || a.strip_prefix("autogen-cronjob-") == Some(expected)
        || a.strip_prefix("autogen-") == Some(expected)
}

fn expect(test: &str, r: &Value, actuals: &[Actual], ctx: &TestContext) -> Vec<Expectation> {
    let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let policy_full = s("policy");
    // `namespace/name` for namespaced policies.
    let policy = policy_full.rsplit('/').next().unwrap_or("").to_string();
    let rule = s("rule");
    let kind = s("kind");
    let result = s("result");
    let expected = status_of(&result).unwrap_or(Status::Error);
    let patched_file = r
        .get("patchedResources")
        .or_else(|| r.get("patchedResource"))
        .and_then(Value::as_str);
    // Kyverno mutate rules run here (`super::mutate`); other mutations stay unevaluated.
    let mutate_rule = r.get("isMutatingAdmissionPolicy").and_then(Value::as_bool) != Some(true)
        && policy_kind_elsewhere(&ctx.policies, &policy).is_none()
        && super::mutate::runnable(ctx, &policy, &rule);
    let unsupported = if mutate_rule {
        None
    } else if patched_file.is_some() {
        Some("mutation is evaluated by the admission webhook, not by policy test".to_string())
    } else if r.get("generatedResource").is_some() || r.get("cloneSourceResource").is_some() {
        Some("generate rules are not evaluated offline".to_string())
    } else if r.get("isMutatingAdmissionPolicy").and_then(Value::as_bool) == Some(true) {
        Some("MutatingAdmissionPolicy is evaluated by the admission webhook".to_string())
    } else if let Some(kind) = policy_kind_elsewhere(&ctx.policies, &policy) {
        Some(format!("{kind} is evaluated by the admission webhook or image verification, not by policy test"))
    } else if non_validate_rule(&ctx.policies, &policy, &rule) {
        Some(
            "mutate, generate and verifyImages rules are evaluated by the admission webhook"
                .to_string(),
        )
    } else {
        None
    };
    let mut names: Vec<String> = r
        .get("resources")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if let Some(one) = r.get("resource").and_then(Value::as_str) {
        names.push(one.to_string());
    }
    // One row; what varies is what was found and how it is judged.
    let row = |resource: String,
               actual: Option<Status>,
               pass: bool,
               excluded: bool,
               unsupported: Option<String>,
               message: String| Expectation {
        test: test.to_string(),
        policy: policy_full.clone(),
        rule: rule.clone(),
        resource,
        kind: kind.clone(),
        expected,
        actual,
        pass,
        excluded,
        unsupported,
        message,
    };
    names
        .into_iter()
        .map(|res| {
            let (ns, name) = match res.split_once('/') {
                Some((ns, n)) => (Some(ns.to_string()), n.to_string()),
                None => (None, res.clone()),
            };
            if mutate_rule {
                let checked = super::mutate::check(
                    ctx,
                    &policy,
                    &rule,
                    &kind,
                    ns.as_deref(),
                    &name,
                    patched_file,
                );
                let (actual, matches, message) = match checked {
                    Ok(c) => (c.status, c.matches, c.message),
                    // The Kyverno CLI leaves a resource out when its patched version is not in
                    // the expected file (`FailOnMissingResources` off): no row at all.
                    Err(e) if e.contains("not found in manifest") => {
                        let why = format!("left out, as the Kyverno CLI leaves it out: {e}");
                        return row(res, None, false, false, Some(why), e);
                    }
                    Err(e) => (Some(Status::Error), false, e),
                };
                let excluded = actual.is_none();
                let pass = excluded || (matches && actual == Some(expected));
                return row(res, actual, pass, excluded, None, message);
            }
            let found: Vec<&Actual> = actuals
                .iter()
                .filter(|a| {
                    a.policy == policy
                        && same_rule(&rule, a.rule.as_deref())
                        && (kind.is_empty() || a.kind == kind)
                        && a.name == name
                        && ns.as_deref().is_none_or(|n| a.namespace == n)
                })
                .collect();
            // Several autogen twins can report on one resource; the non-passing one counts.
            let actual = found
                .iter()
                .find(|a| a.status != Status::Pass)
                .or(found.first())
                .copied();
            // The Kyverno CLI counts a resource no rule of the policy applied to as a pass
            // ("excluded"), whatever the entry expected; a resource missing from the
            // manifests fails.
            let exists = ctx.resources.iter().any(|d| {
                let t = |p: &str| d.pointer(p).and_then(Value::as_str).unwrap_or("");
                t("/metadata/name") == name
                    && (kind.is_empty() || t("/kind") == kind)
                    && ns.as_deref().is_none_or(|n| t("/metadata/namespace") == n)
            });
            // Only for a policy that was evaluated: one Palisade does not run has no
            // response at all, which the Kyverno CLI reports as "not found".
            let evaluated = evaluated_policy(&ctx.policies, actuals, &policy);
            let excluded = actual.is_none() && exists && evaluated && unsupported.is_none();
            let pass =
                unsupported.is_none() && (excluded || actual.is_some_and(|a| a.status == expected));
            row(
                res,
                actual.map(|a| a.status),
                pass,
                excluded,
                unsupported.clone(),
                actual.map(|a| a.message.clone()).unwrap_or_default(),
            )
        })
        .collect()
}
