//! `patchedResources` entries of Kyverno ClusterPolicy/Policy mutate rules: the policy's
//! mutation is applied to the named resource and the result compared with the file's object
//! of the same apiVersion/kind/namespace/name, as the Kyverno CLI's `getAndCompareResource`
//! does (empty maps, empty lists and nulls ignored: `resource.Tidy`).

use super::{Status, TestContext};
use crate::kyverno::{Kyverno, Request};
use serde_json::{Map, Value};

/// What the mutation did to one resource for one results entry.
pub struct Checked {
    /// The rule's status; `None` when no rule of the policy applied (the CLI's "excluded").
    pub status: Option<Status>,
    /// Whether the patched resource is the expected one.
    pub matches: bool,
    pub message: String,
}

/// The Kyverno ClusterPolicy/Policy named `policy`, if the test has one whose rule `rule`
/// is a mutate rule this can run (not `mutate.targets`, which needs the cluster).
pub fn runnable(ctx: &TestContext, policy: &str, rule: &str) -> bool {
    ctx.policies.iter().any(|(_, d)| {
        let api = d.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let kind = d.get("kind").and_then(Value::as_str).unwrap_or("");
        api.starts_with("kyverno.io/")
            && matches!(kind, "ClusterPolicy" | "Policy")
            && d.pointer("/metadata/name").and_then(Value::as_str) == Some(policy)
            && d.pointer("/spec/rules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|r| {
                    r.get("mutate").is_some_and(|m| m.get("targets").is_none())
                        && (rule.is_empty() || r.get("name").and_then(Value::as_str) == Some(rule))
                })
    })
}

/// Applies `policy` to the resource (`kind`, `ns`, `name`) and compares with `expected_file`
/// when there is one (without, only the rule's status counts).
pub fn check(
    ctx: &TestContext,
    policy: &str,
    rule: &str,
    kind: &str,
    ns: Option<&str>,
    name: &str,
    expected_file: Option<&str>,
) -> Result<Checked, String> {
    let mut set = Kyverno::default();
    for (path, doc) in &ctx.policies {
        if doc.pointer("/metadata/name").and_then(Value::as_str) == Some(policy)
            && doc
                .get("apiVersion")
                .and_then(Value::as_str)
                .is_some_and(|a| a.starts_with("kyverno.io/"))
        {
            set.add(path, doc).map_err(|e| e.to_string())?;
        }
    }
    let t = |d: &Value, p: &str| {
        d.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let resource = ctx
        .resources
        .iter()
        .find(|d| {
            t(d, "/metadata/name") == name
                && (kind.is_empty() || t(d, "/kind") == kind)
                && ns.is_none_or(|n| t(d, "/metadata/namespace") == n)
        })
        .ok_or_else(|| format!("resource {name} not found in manifest"))?;
    let values = ctx.variables.as_ref();
    let mut merged: Map<String, Value> = values
        .and_then(|v| v.get("globalValues"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let pv = super::kyverno::policy_values(values, policy);
    if let Some(rv) = super::kyverno::named_values(pv.and_then(|p| p.get("resources")), name) {
        merged.extend(rv.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let operation = merged
        .get("request.operation")
        .and_then(Value::as_str)
        .unwrap_or("CREATE")
        .to_string();
    let namespace = t(resource, "/metadata/namespace");
    let ns_labels = super::kyverno::namespace_labels(values, &ctx.resources, &namespace);
    let req = Request {
        operation: &operation,
        namespace_labels: ns_labels.as_ref(),
        info: super::kyverno::request_info(ctx.user_info.as_ref()),
        values: Some(&merged),
    };
    let rules = pv.and_then(|p| p.get("rules"));
    let out = set.mutate_with(resource, &req, |_, r| {
        super::kyverno::named_values(rules, r)
    });
    let mine: Vec<_> = out
        .applied
        .iter()
        .filter(|a| {
            rule.is_empty()
                || a.rule == rule
                || a.rule.strip_prefix("autogen-cronjob-") == Some(rule)
                || a.rule.strip_prefix("autogen-") == Some(rule)
        })
        .collect();
    let status = [Status::Error, Status::Pass, Status::Skip]
        .into_iter()
        .find(|s| mine.iter().any(|a| a.status == *s));
    let message = mine
        .iter()
        .find(|a| Some(a.status) == status)
        .map(|a| a.message.clone())
        .unwrap_or_default();
    let Some(expected_file) = expected_file else {
        return Ok(Checked {
            status,
            matches: true,
            message,
        });
    };
    let path = ctx.dir.join(expected_file);
    let text = crate::bundle::read_capped(&path).map_err(|e| e.to_string())?;
    let display = path.display().to_string();
    let docs = crate::yaml::documents(&display, &text).map_err(|e| e.to_string())?;
    let p = &out.patched;
    let expected = docs
        .into_iter()
        .map(|(_, d)| super::run::with_default_namespace(d))
        .find(|d| {
            [
                "/apiVersion",
                "/kind",
                "/metadata/namespace",
                "/metadata/name",
            ]
            .iter()
            .all(|k| t(d, k) == t(p, k))
        });
    let Some(expected) = expected else {
        return Err(format!(
            "failed to load PatchedResources resource (resource with name {} not found in manifest)",
            t(p, "/metadata/name")
        ));
    };
    let matches = same(&tidy(p), &tidy(&expected));
    let message = if matches || status == Some(Status::Error) {
        message
    } else {
        "Patched resource didn't match the patched resource in the test result".to_string()
    };
    Ok(Checked {
        status,
        matches,
        message,
    })
}

/// `resource.Tidy`: nulls, empty maps and empty lists dropped, recursively.
fn tidy(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let out: Map<String, Value> = m
                .iter()
                .map(|(k, v)| (k.clone(), tidy(v)))
                .filter(|(_, v)| !v.is_null())
                .collect();
            if out.is_empty() {
                Value::Null
            } else {
                Value::Object(out)
            }
        }
        Value::Array(a) => {
            let out: Vec<Value> = a.iter().map(tidy).filter(|v| !v.is_null()).collect();
            if out.is_empty() {
                Value::Null
            } else {
                Value::Array(out)
            }
        }
        other => other.clone(),
    }
}

/// Equality with numbers compared by value (`1` and `1.0` are one JSON number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => a == b,
    }
}
