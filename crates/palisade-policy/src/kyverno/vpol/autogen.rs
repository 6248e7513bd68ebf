//! Autogen for ValidatingPolicies (kyverno `pkg/cel/policies/vpol/autogen`,
//! `pkg/cel/autogen`): a policy on Pods alone also gets one copy for the pod controllers that
//! keep pods under `spec.template` (`defaults`) and one for CronJobs (`cronjobs`), with
//! `object.spec` / `object.metadata` rewritten to the pod template's in every expression and
//! message. The copies keep the policy's name: Kyverno reports them under it.

use serde_json::{json, Value};

/// `ConfigsMap`: controller name → (group, version, resource, kind, replacements).
const CONFIGS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "daemonsets",
        "apps",
        "v1",
        "daemonsets",
        "DaemonSet",
        DEFAULTS,
    ),
    (
        "deployments",
        "apps",
        "v1",
        "deployments",
        "Deployment",
        DEFAULTS,
    ),
    (
        "replicasets",
        "apps",
        "v1",
        "replicasets",
        "ReplicaSet",
        DEFAULTS,
    ),
    (
        "statefulsets",
        "apps",
        "v1",
        "statefulsets",
        "StatefulSet",
        DEFAULTS,
    ),
    ("jobs", "batch", "v1", "jobs", "Job", DEFAULTS),
    ("cronjobs", "batch", "v1", "cronjobs", "CronJob", CRONJOBS),
];
const DEFAULTS: &str = "defaults";
const CRONJOBS: &str = "cronjobs";

/// `ReplacementsMap`: the pod template of each kind of controller.
fn replacements(config: &str) -> [(&'static str, &'static str); 2] {
    if config == CRONJOBS {
        [
            ("spec", "spec.jobTemplate.spec.template.spec"),
            ("metadata", "spec.jobTemplate.spec.template.metadata"),
        ]
    } else {
        [
            ("spec", "spec.template.spec"),
            ("metadata", "spec.template.metadata"),
        ]
    }
}

/// `CanAutoGen`: a single resource rule for `""/v1/pods`, no object selector with terms, no
/// exclusions, no resource names.
fn can_autogen(m: &Value) -> bool {
    let nonempty = |v: Option<&Value>| match v {
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        _ => false,
    };
    if let Some(sel) = m.get("objectSelector") {
        if nonempty(sel.get("matchLabels")) || nonempty(sel.get("matchExpressions")) {
            return false;
        }
    }
    if nonempty(m.get("excludeResourceRules")) {
        return false;
    }
    let Some([rule]) = m
        .get("resourceRules")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    else {
        return false;
    };
    let only = |key: &str, want: &str| {
        matches!(rule.get(key).and_then(Value::as_array).map(Vec::as_slice),
                 Some([v]) if v.as_str() == Some(want))
    };
    !nonempty(rule.get("resourceNames"))
        && only("apiGroups", "")
        && only("apiVersions", "v1")
        && only("resources", "pods")
}

/// The generated specs, `cronjobs` before `defaults` (Kyverno sorts the configs), each with
/// the kinds it targets.
pub fn generate(spec: &Value) -> Vec<(Value, Vec<&'static str>)> {
    let Some(mc) = spec.get("matchConstraints").filter(|m| can_autogen(m)) else {
        return Vec::new();
    };
    let chosen: Option<Vec<&str>> = spec
        .pointer("/autogen/podControllers/controllers")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    let mut out = Vec::new();
    for config in [CRONJOBS, DEFAULTS] {
        let targets: Vec<_> = CONFIGS
            .iter()
            .filter(|c| c.5 == config)
            .filter(|c| chosen.as_ref().is_none_or(|list| list.contains(&c.0)))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let operations = mc
            .pointer("/resourceRules/0/operations")
            .cloned()
            .unwrap_or(Value::Null);
        let mut generated = spec.clone();
        let constraints = if operations.as_array().is_none_or(Vec::is_empty) {
            Value::Null
        } else {
            // One rule per group/version, resources sorted (`CreateMatchConstraints`).
            let mut rules = Vec::new();
            for (group, version) in [("apps", "v1"), ("batch", "v1")] {
                let mut resources: Vec<&str> = targets
                    .iter()
                    .filter(|c| c.1 == group && c.2 == version)
                    .map(|c| c.3)
                    .collect();
                resources.sort_unstable();
                if !resources.is_empty() {
                    rules.push(json!({"apiGroups": [group], "apiVersions": [version],
                                      "resources": resources, "operations": operations}));
                }
            }
            let mut m = json!({"resourceRules": rules});
            if let Some(ns) = mc.get("namespaceSelector").filter(|n| !n.is_null()) {
                m["namespaceSelector"] = ns.clone();
            }
            m
        };
        if let Some(obj) = generated.as_object_mut() {
            obj.insert("matchConstraints".into(), constraints);
        }
        let rewritten = rewrite(&generated, &replacements(config));
        out.push((rewritten, targets.iter().map(|c| c.4).collect()));
    }
    out
}

/// Applies the replacements to every string of the spec, as Kyverno does to its JSON text.
fn rewrite(v: &Value, reps: &[(&str, &str)]) -> Value {
    match v {
        Value::String(s) => {
            let mut t = s.clone();
            for (from, to) in reps {
                for prefix in ["object.", "oldObject."] {
                    t = replace(&t, &format!("{prefix}{from}"), &format!("{prefix}{to}"));
                }
            }
            Value::String(t)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| rewrite(x, reps)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), rewrite(x, reps)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Every `from` becomes `to`, except where `.namespace` follows as a whole segment: a
/// controller's own namespace is not its pod template's.
pub fn replace(data: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(data.len());
    let mut rest = data;
    while let Some(i) = rest.find(from) {
        out.push_str(&rest[..i]);
        let after = &rest[i + from.len()..];
        let protected = after
            .strip_prefix(".namespace")
            .is_some_and(|n| !n.starts_with(|c: char| c == '_' || c.is_ascii_alphanumeric()));
        out.push_str(if protected { from } else { to });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_only_policies_get_two_copies() {
        let spec = json!({
            "matchConstraints": {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                "operations": ["CREATE"], "resources": ["pods"]}]},
            "validations": [{"expression": "object.spec.x && object.metadata.namespace != '' && oldObject.metadata.name == ''"}]
        });
        let out = generate(&spec);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].1, vec!["CronJob"]);
        assert_eq!(
            out[0].0["validations"][0]["expression"],
            "object.spec.jobTemplate.spec.template.spec.x && object.metadata.namespace != '' && oldObject.spec.jobTemplate.spec.template.metadata.name == ''"
        );
        assert_eq!(out[1].1.len(), 5);
        assert_eq!(
            out[1].0["matchConstraints"]["resourceRules"][0]["resources"],
            json!(["daemonsets", "deployments", "replicasets", "statefulsets"])
        );
        let chosen = json!({"matchConstraints": spec["matchConstraints"].clone(),
                            "autogen": {"podControllers": {"controllers": ["deployments"]}}});
        assert_eq!(generate(&chosen).len(), 1);
    }
}
