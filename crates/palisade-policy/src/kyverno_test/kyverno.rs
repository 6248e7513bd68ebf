//! Kyverno ClusterPolicy/Policy results for a test, with the CLI's values file applied:
//! `globalValues`, per-policy rule and resource values, `namespaceSelector` labels.

use super::{Actual, TestContext};
use crate::kyverno::{Kyverno, Request, RequestInfo};
use crate::PolicyError;
use serde_json::{Map, Value};

fn is_kyverno(doc: &Value) -> bool {
    let api = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    api.starts_with("kyverno.io/") && matches!(kind, "ClusterPolicy" | "Policy")
}

/// The values file's entry for a policy (`policies: [{name, rules, resources}]`).
pub(super) fn policy_values<'v>(values: Option<&'v Value>, policy: &str) -> Option<&'v Value> {
    values?
        .get("policies")?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(policy))
}

pub(super) fn named_values<'v>(
    list: Option<&'v Value>,
    name: &str,
) -> Option<&'v Map<String, Value>> {
    list?
        .as_array()?
        .iter()
        .find(|e| e.get("name").and_then(Value::as_str) == Some(name))?
        .get("values")?
        .as_object()
}

pub(super) fn request_info(user_info: Option<&Value>) -> RequestInfo {
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let Some(u) = user_info else {
        return RequestInfo::default();
    };
    RequestInfo {
        roles: strings(u.get("roles")),
        cluster_roles: strings(u.get("clusterRoles")),
        username: u
            .pointer("/userInfo/username")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        groups: strings(u.pointer("/userInfo/groups")),
    }
}

pub fn evaluate(ctx: &TestContext) -> Result<Vec<Actual>, PolicyError> {
    let mut set = Kyverno::default();
    for (path, doc) in ctx.policies.iter().filter(|(_, d)| is_kyverno(d)) {
        set.add(path, doc)?;
    }
    if set.is_empty() {
        return Ok(Vec::new());
    }
    let values = ctx.variables.as_ref();
    let global = values
        .and_then(|v| v.get("globalValues"))
        .and_then(Value::as_object);
    let info = request_info(ctx.user_info.as_ref());
    // Values apply per policy, so each runs as a set of its own; made once, not per resource.
    let singles: Vec<Kyverno> = set.policies().iter().map(|p| set.only(&p.name)).collect();
    let mut out = Vec::new();
    for resource in &ctx.resources {
        let text = |p: &str| {
            resource
                .pointer(p)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let (namespace, name) = (text("/metadata/namespace"), text("/metadata/name"));
        let ns_labels = namespace_labels(values, &ctx.resources, &namespace);
        for (p, one) in set.policies().iter().zip(&singles) {
            let pv = policy_values(values, &p.name);
            // Resource values override global ones.
            let mut merged: Map<String, Value> = global.cloned().unwrap_or_default();
            if let Some(rv) = named_values(pv.and_then(|p| p.get("resources")), &name) {
                merged.extend(rv.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            let operation = merged
                .get("request.operation")
                .and_then(Value::as_str)
                .unwrap_or("CREATE")
                .to_string();
            let req = Request {
                operation: &operation,
                namespace_labels: ns_labels.as_ref(),
                info: info.clone(),
                values: Some(&merged),
            };
            let rules = pv.and_then(|p| p.get("rules"));
            for o in one.evaluate_with(resource, &req, |_, rule| named_values(rules, rule)) {
                out.push(Actual::on(
                    resource,
                    &o.policy,
                    Some(o.rule),
                    o.status,
                    o.message,
                ));
            }
        }
    }
    Ok(out)
}

/// Labels of the resource's namespace: the values file's `namespaceSelector`, else a
/// Namespace among the test's resources.
pub(super) fn namespace_labels(
    values: Option<&Value>,
    resources: &[Value],
    ns: &str,
) -> Option<Map<String, Value>> {
    if ns.is_empty() {
        return None;
    }
    let from_values = values
        .and_then(|v| v.get("namespaceSelector"))
        .and_then(Value::as_array)
        .and_then(|l| {
            l.iter()
                .find(|e| e.get("name").and_then(Value::as_str) == Some(ns))
        })
        .and_then(|e| e.get("labels"))
        .and_then(Value::as_object)
        .cloned();
    from_values.or_else(|| {
        resources
            .iter()
            .find(|r| {
                r.get("kind").and_then(Value::as_str) == Some("Namespace")
                    && r.pointer("/metadata/name").and_then(Value::as_str) == Some(ns)
            })
            .and_then(|r| r.pointer("/metadata/labels"))
            .and_then(Value::as_object)
            .cloned()
    })
}
