//! Kyverno's autogen (`pkg/autogen/v1`): rules written for Pods also check the pod templates
//! of Deployments, DaemonSets, StatefulSets, Jobs, ReplicaSets, ReplicationControllers
//! (`autogen-<rule>`) and CronJobs (`autogen-cronjob-<rule>`).

use serde_json::{json, Map, Value};

const CONTROLLERS: [&str; 7] = [
    "DaemonSet",
    "Deployment",
    "Job",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
    "CronJob",
];
pub const ANNOTATION: &str = "pod-policies.kyverno.io/autogen-controllers";

fn kind_of(entry: &str) -> &str {
    let parts: Vec<&str> = entry.split('/').collect();
    match parts.as_slice() {
        [k] => k,
        [a, b] if b.chars().next().is_some_and(char::is_uppercase) => b,
        [a, _] => a,
        [_, _, k, ..] => k,
        _ => entry,
    }
}

fn kinds(filter: &Value) -> Vec<&str> {
    filter
        .get("kinds")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Every resource description of a match/exclude block (`resources`, `any[].resources`,
/// `all[].resources`).
fn descriptions(block: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    if let Some(r) = block.get("resources") {
        out.push(r);
    }
    for key in ["any", "all"] {
        for f in block
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(r) = f.get("resources") {
                out.push(r);
            }
        }
    }
    out
}

fn all_kinds(block: Option<&Value>) -> Vec<String> {
    block
        .map(|b| {
            descriptions(b)
                .into_iter()
                .flat_map(kinds)
                .map(|k| kind_of(k).to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `CanAutoGen`: whether rules of this spec are generated for controllers at all.
fn can_autogen(rules: &[Value]) -> bool {
    let mut needed = false;
    for rule in rules {
        let foreach_json6902 = rule
            .pointer("/mutate/foreach")
            .and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(|fe| fe.get("patchesJson6902").is_some()));
        if rule.get("generate").is_some()
            || rule.pointer("/mutate/patchesJson6902").is_some()
            || foreach_json6902
        {
            return false;
        }
        for block in [rule.get("match"), rule.get("exclude")]
            .into_iter()
            .flatten()
        {
            for d in descriptions(block) {
                let ks: Vec<&str> = kinds(d).into_iter().map(kind_of).collect();
                let other_than_pod = ks.len() > 1 && ks.contains(&"Pod");
                if d.get("name").is_some_and(|n| n.as_str() != Some(""))
                    || d.get("names")
                        .and_then(Value::as_array)
                        .is_some_and(|n| !n.is_empty())
                    || d.get("selector").is_some()
                    || d.get("annotations").is_some()
                    || other_than_pod
                {
                    return false;
                }
                needed |= ks.iter().any(|k| *k == "Pod" || CONTROLLERS.contains(k));
            }
        }
    }
    needed
}

/// The rules Kyverno evaluates for `spec.rules`, generated rules appended.
pub fn compute(rules: &[Value], annotations: Option<&Map<String, Value>>) -> Vec<Value> {
    let mut out: Vec<Value> = rules.to_vec();
    if !can_autogen(rules) {
        return out;
    }
    let controllers: Vec<String> = match annotations
        .and_then(|a| a.get(ANNOTATION))
        .and_then(Value::as_str)
    {
        Some("none") => return out,
        Some("all") | None => CONTROLLERS.iter().map(|s| s.to_string()).collect(),
        Some(list) => list.split(',').map(|s| s.trim().to_string()).collect(),
    };
    let mut generated = Vec::new();
    for rule in rules {
        let name = rule.get("name").and_then(Value::as_str).unwrap_or_default();
        if name.starts_with("autogen-") {
            continue;
        }
        let mut pod_kinds: Vec<String> = controllers
            .iter()
            .filter(|c| *c != "CronJob" && CONTROLLERS.contains(&c.as_str()))
            .cloned()
            .collect();
        pod_kinds.sort();
        // CEL rules read `object`, not `request.object` (`updateFields` with cel=true).
        let cel = rule.pointer("/validate/cel").is_some();
        let (pod_paths, cronjob_paths) = if cel {
            (POD_CEL_PATHS, CRONJOB_CEL_PATHS)
        } else {
            (POD_PATHS, CRONJOB_PATHS)
        };
        if let Some(r) = for_controllers(rule, &pod_kinds) {
            generated.push(rewrite(&named(r, "autogen", name), pod_paths));
        }
        if controllers.iter().any(|c| c == "CronJob") {
            let base = if pod_kinds.is_empty() {
                vec!["CronJob".to_string()]
            } else {
                pod_kinds.clone()
            };
            if let Some(ctrl) = for_controllers(rule, &base) {
                let cron = wrap(&ctrl, "jobTemplate", &["CronJob".to_string()], true);
                generated.push(rewrite(
                    &named(cron, "autogen-cronjob", name),
                    cronjob_paths,
                ));
            }
        }
    }
    out.retain(|r| {
        !r.get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.starts_with("autogen-"))
    });
    out.extend(generated);
    out
}

fn named(mut rule: Value, prefix: &str, name: &str) -> Value {
    let mut n = format!("{prefix}-{name}");
    n.truncate(63);
    rule["name"] = Value::String(n);
    rule
}

/// `generateRuleForControllers`: the rule with Pod kinds swapped for `kinds` and patterns
/// moved under `spec.template`; `None` when the rule does not match Pods.
fn for_controllers(rule: &Value, kinds: &[String]) -> Option<Value> {
    if kinds.is_empty() {
        return None;
    }
    let match_kinds = all_kinds(rule.get("match"));
    let exclude_kinds = all_kinds(rule.get("exclude"));
    if !match_kinds.iter().any(|k| k == "Pod")
        || (!exclude_kinds.is_empty() && !exclude_kinds.iter().any(|k| k == "Pod"))
    {
        return None;
    }
    Some(wrap(rule, "template", kinds, false))
}

/// `generateRule`: swaps kinds in match/exclude and wraps pattern-style validations in
/// `spec.<key>`. `all_filters`: every filter gets the kinds (CronJob), not only Pod ones.
fn wrap(rule: &Value, key: &str, kinds: &[String], all_filters: bool) -> Value {
    let mut r = rule.clone();
    let kinds_json = json!(kinds);
    let swap = |block: &mut Value, is_exclude: bool| {
        let mut done = false;
        for list in ["any", "all"] {
            if let Some(filters) = block.get_mut(list).and_then(Value::as_array_mut) {
                if filters.is_empty() {
                    continue;
                }
                for f in filters.iter_mut() {
                    let has_pod = f
                        .get("resources")
                        .map(|d| kinds_of_value(d).iter().any(|k| k == "Pod"))
                        .unwrap_or(false);
                    if all_filters || has_pod {
                        if let Some(res) = f.get_mut("resources").and_then(Value::as_object_mut) {
                            res.insert("kinds".into(), kinds_json.clone());
                        }
                    }
                }
                done = true;
                break;
            }
        }
        if !done {
            if let Some(res) = block.get_mut("resources").and_then(Value::as_object_mut) {
                let has = res
                    .get("kinds")
                    .and_then(Value::as_array)
                    .is_some_and(|k| !k.is_empty());
                if !is_exclude || has {
                    res.insert("kinds".into(), kinds_json.clone());
                }
            }
        }
    };
    if let Some(m) = r.get_mut("match") {
        swap(m, false);
    }
    if let Some(e) = r.get_mut("exclude") {
        swap(e, true);
    }
    if let Some(m) = r.get_mut("mutate") {
        // Kyverno keeps only the (wrapped) strategic merge patch, or the foreach entries'
        // list, context, preconditions and wrapped patch.
        if let Some(p) = m.get("patchStrategicMerge").filter(|p| !p.is_null()) {
            *m = json!({"patchStrategicMerge": {"spec": {key: p}}});
        } else if let Some(list) = m.get("foreach").and_then(Value::as_array) {
            let entries: Vec<Value> = list
                .iter()
                .map(|fe| {
                    let mut e = Map::new();
                    for k in ["list", "context", "preconditions"] {
                        if let Some(v) = fe.get(k) {
                            e.insert(k.into(), v.clone());
                        }
                    }
                    let p = fe
                        .get("patchStrategicMerge")
                        .cloned()
                        .unwrap_or(Value::Null);
                    e.insert("patchStrategicMerge".into(), json!({"spec": {key: p}}));
                    Value::Object(e)
                })
                .collect();
            *m = json!({"foreach": entries});
        }
    }
    if let Some(v) = r.get_mut("validate").and_then(Value::as_object_mut) {
        if let Some(p) = v.remove("pattern") {
            v.insert("pattern".into(), json!({"spec": {key: p}}));
        } else if v.contains_key("deny") || v.contains_key("podSecurity") {
        } else if let Some(Value::Array(ps)) = v.remove("anyPattern") {
            let wrapped: Vec<Value> = ps.into_iter().map(|p| json!({"spec": {key: p}})).collect();
            v.insert("anyPattern".into(), Value::Array(wrapped));
        }
    }
    r
}

fn kinds_of_value(d: &Value) -> Vec<String> {
    kinds(d)
        .into_iter()
        .map(|k| kind_of(k).to_string())
        .collect()
}

const POD_PATHS: &[(&str, &str)] = &[
    ("request.object.spec", "request.object.spec.template.spec"),
    (
        "request.oldObject.spec",
        "request.oldObject.spec.template.spec",
    ),
    (
        "request.object.metadata",
        "request.object.spec.template.metadata",
    ),
    (
        "request.oldObject.metadata",
        "request.oldObject.spec.template.metadata",
    ),
];
const CRONJOB_PATHS: &[(&str, &str)] = &[
    (
        "request.object.spec",
        "request.object.spec.jobTemplate.spec.template.spec",
    ),
    (
        "request.oldObject.spec",
        "request.oldObject.spec.jobTemplate.spec.template.spec",
    ),
    (
        "request.object.metadata",
        "request.object.spec.jobTemplate.spec.template.metadata",
    ),
    (
        "request.oldObject.metadata",
        "request.oldObject.spec.jobTemplate.spec.template.metadata",
    ),
];

/// `podCELReplacementRules`: as [`POD_PATHS`] for CEL's `object` / `oldObject` (which also
/// rewrites `request.object.spec`, as Kyverno's byte replacement does).
const POD_CEL_PATHS: &[(&str, &str)] = &[
    ("object.spec", "object.spec.template.spec"),
    ("oldObject.spec", "oldObject.spec.template.spec"),
    ("object.metadata", "object.spec.template.metadata"),
    ("oldObject.metadata", "oldObject.spec.template.metadata"),
];
/// `cronJobCELReplacementRules`.
const CRONJOB_CEL_PATHS: &[(&str, &str)] = &[
    ("object.spec", "object.spec.jobTemplate.spec.template.spec"),
    (
        "oldObject.spec",
        "oldObject.spec.jobTemplate.spec.template.spec",
    ),
    (
        "object.metadata",
        "object.spec.jobTemplate.spec.template.metadata",
    ),
    (
        "oldObject.metadata",
        "oldObject.spec.jobTemplate.spec.template.metadata",
    ),
];

/// Kyverno rewrites the rule's JSON text; so does this, string by string, which is the same
/// on every string and cannot break the document's structure.
fn rewrite(rule: &Value, paths: &[(&str, &str)]) -> Value {
    match rule {
        Value::String(s) => {
            let mut t = s.clone();
            for (from, to) in paths {
                if t.contains(from) {
                    t = t.replace(from, to);
                }
            }
            Value::String(t)
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| rewrite(v, paths)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), rewrite(v, paths)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_rules_get_controller_and_cronjob_twins() {
        let rule = json!({
            "name": "check",
            "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
            "validate": {"pattern": {"spec": {"hostNetwork": false}},
                         "message": "{{ request.object.spec.hostNetwork }}"}
        });
        let out = compute(&[rule], None);
        assert_eq!(out.len(), 3);
        assert_eq!(out[1]["name"], "autogen-check");
        assert_eq!(
            out[1]["validate"]["pattern"],
            json!({"spec": {"template": {"spec": {"hostNetwork": false}}}})
        );
        assert_eq!(
            out[1]["match"]["any"][0]["resources"]["kinds"][0],
            "DaemonSet"
        );
        assert_eq!(
            out[1]["validate"]["message"],
            "{{ request.object.spec.template.spec.hostNetwork }}"
        );
        assert_eq!(out[2]["name"], "autogen-cronjob-check");
        assert_eq!(
            out[2]["validate"]["pattern"],
            json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {"hostNetwork": false}}}}}})
        );
        assert_eq!(
            out[2]["match"]["any"][0]["resources"]["kinds"],
            json!(["CronJob"])
        );
    }

    #[test]
    fn selectors_and_annotation_none_disable_autogen() {
        let rule = json!({"name": "r", "match": {"resources": {"kinds": ["Pod"], "selector": {"matchLabels": {"a": "b"}}}}, "validate": {"pattern": {}}});
        assert_eq!(compute(std::slice::from_ref(&rule), None).len(), 1);
        let plain = json!({"name": "r", "match": {"resources": {"kinds": ["Pod"]}}, "validate": {"pattern": {}}});
        let ann = json!({ANNOTATION: "none"});
        assert_eq!(
            compute(std::slice::from_ref(&plain), ann.as_object()).len(),
            1
        );
        let ann = json!({ANNOTATION: "Deployment"});
        assert_eq!(compute(&[plain], ann.as_object()).len(), 2);
    }
}
