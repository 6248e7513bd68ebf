//! `/mutate`: security-context defaults added where a Pod or pod template leaves them unset,
//! as an RFC 6902 JSONPatch. Only `add` operations are produced, each on a parent that exists
//! (or is created by an earlier operation), so the API server and [`apply`] agree.
//! The policy set's Kyverno `mutate` rules run first (`mod.rs`); when they change the object
//! the patch is [`diff`] of the original and the final object, which also has `remove` and
//! `replace` operations.

use super::config::MutateDefaults;
use serde_json::{json, Map, Value};

/// The pod spec's JSON pointer in each Pod-bearing kind.
fn spec_pointer(object: &Value) -> Option<&'static str> {
    let kind = object.get("kind").and_then(Value::as_str)?;
    Some(match kind {
        "Pod" => "/spec",
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicaSet"
        | "ReplicationController"
        | "PodTemplate" => {
            if kind == "PodTemplate" {
                "/template/spec"
            } else {
                "/spec/template/spec"
            }
        }
        _ => return None,
    })
}

/// The operations that give `object` the defaults; empty when it has them all (or carries
/// no pod spec).
pub(crate) fn patch(object: &Value, d: &MutateDefaults) -> Vec<Value> {
    let mut ops = Vec::new();
    let Some(base) = spec_pointer(object) else {
        return ops;
    };
    let Some(spec) = object.pointer(base).and_then(Value::as_object) else {
        return ops;
    };
    // Pod level: runAsNonRoot and the seccomp profile, which every container inherits.
    let mut pod_sc = Map::new();
    let sc = spec.get("securityContext").and_then(Value::as_object);
    let unset = |m: Option<&Map<String, Value>>, k: &str| {
        m.and_then(|m| m.get(k)).is_none_or(Value::is_null)
    };
    // Set at pod level only when some container does not set it itself.
    let some_container_unset = |k: &str| {
        ["initContainers", "containers", "ephemeralContainers"]
            .iter()
            .filter_map(|key| spec.get(*key).and_then(Value::as_array))
            .flatten()
            .any(|c| {
                let csc = c.get("securityContext").and_then(Value::as_object);
                unset(csc, k)
            })
    };
    if d.run_as_non_root && unset(sc, "runAsNonRoot") && some_container_unset("runAsNonRoot") {
        pod_sc.insert("runAsNonRoot".into(), json!(true));
    }
    if d.seccomp_runtime_default
        && unset(sc, "seccompProfile")
        && some_container_unset("seccompProfile")
    {
        pod_sc.insert("seccompProfile".into(), json!({"type": "RuntimeDefault"}));
    }
    add_fields(&mut ops, &format!("{base}/securityContext"), sc, pod_sc);
    for key in ["initContainers", "containers", "ephemeralContainers"] {
        let Some(list) = spec.get(key).and_then(Value::as_array) else {
            continue;
        };
        for (i, c) in list.iter().enumerate() {
            container(&mut ops, &format!("{base}/{key}/{i}"), c, d);
        }
    }
    ops
}

fn container(ops: &mut Vec<Value>, at: &str, c: &Value, d: &MutateDefaults) {
    let sc = c.get("securityContext").and_then(Value::as_object);
    let get = |k: &str| sc.and_then(|m| m.get(k)).filter(|v| !v.is_null());
    let mut add = Map::new();
    // The API server refuses allowPrivilegeEscalation=false next to privileged=true; such a
    // container is left for validation to refuse with a clearer message.
    let privileged = get("privileged").and_then(Value::as_bool) == Some(true);
    if d.disallow_privilege_escalation && !privileged && get("allowPrivilegeEscalation").is_none() {
        add.insert("allowPrivilegeEscalation".into(), json!(false));
    }
    if d.read_only_root_filesystem && get("readOnlyRootFilesystem").is_none() {
        add.insert("readOnlyRootFilesystem".into(), json!(true));
    }
    let caps = get("capabilities").and_then(Value::as_object);
    let drop = caps.and_then(|c| c.get("drop")).and_then(Value::as_array);
    let mut cap_ops = Vec::new();
    if d.drop_all_capabilities {
        match (caps, drop) {
            (None, _) => {
                add.insert("capabilities".into(), json!({"drop": ["ALL"]}));
            }
            (Some(_), None) => cap_ops.push(json!({"op": "add", "path": format!("{at}/securityContext/capabilities/drop"), "value": ["ALL"]})),
            (Some(_), Some(list)) if !list.iter().any(|v| v.as_str() == Some("ALL")) => {
                cap_ops.push(json!({"op": "add", "path": format!("{at}/securityContext/capabilities/drop/-"), "value": "ALL"}));
            }
            _ => {}
        }
    }
    add_fields(ops, &format!("{at}/securityContext"), sc, add);
    ops.extend(cap_ops);
}

/// Adds `fields` to the object at `at`: one operation creating it when it is missing (or
/// null), else one per field.
fn add_fields(
    ops: &mut Vec<Value>,
    at: &str,
    existing: Option<&Map<String, Value>>,
    fields: Map<String, Value>,
) {
    if fields.is_empty() {
        return;
    }
    if existing.is_none() {
        ops.push(json!({"op": "add", "path": at, "value": Value::Object(fields)}));
        return;
    }
    for (k, v) in fields {
        ops.push(json!({"op": "add", "path": format!("{at}/{k}"), "value": v}));
    }
}

/// `replace` operations pinning each container image `pinned` knows a digest for.
pub(crate) fn pin_images(object: &Value, pinned: impl Fn(&str) -> Option<String>) -> Vec<Value> {
    let mut ops = Vec::new();
    let Some(base) = spec_pointer(object) else {
        return ops;
    };
    let Some(spec) = object.pointer(base) else {
        return ops;
    };
    for key in ["initContainers", "containers", "ephemeralContainers"] {
        let Some(list) = spec.get(key).and_then(Value::as_array) else {
            continue;
        };
        for (i, c) in list.iter().enumerate() {
            let Some(image) = c.get("image").and_then(Value::as_str) else {
                continue;
            };
            if let Some(to) = pinned(image) {
                ops.push(json!({"op": "replace", "path": format!("{base}/{key}/{i}/image"), "value": to}));
            }
        }
    }
    ops
}

/// Applies `add` operations (the kind [`patch`] makes) and `replace` operations of object
/// members (the kind [`pin_images`] makes) to `doc`; an operation whose parent is missing is
/// an error, as it would be at the API server.
pub(crate) fn apply(doc: &mut Value, ops: &[Value]) -> Result<(), String> {
    for op in ops {
        let path = op
            .get("path")
            .and_then(Value::as_str)
            .ok_or("operation without path")?;
        let value = op.get("value").cloned().unwrap_or(Value::Null);
        let (parent, last) = path.rsplit_once('/').ok_or("path without /")?;
        let target = doc
            .pointer_mut(parent)
            .ok_or_else(|| format!("{parent}: no such location"))?;
        match target {
            Value::Object(m) => {
                m.insert(last.replace("~1", "/").replace("~0", "~"), value);
            }
            Value::Array(a) if last == "-" => a.push(value),
            Value::Array(a) => {
                let i: usize = last.parse().map_err(|_| format!("{path}: bad index"))?;
                if i > a.len() {
                    return Err(format!("{path}: index out of range"));
                }
                a.insert(i, value);
            }
            _ => return Err(format!("{parent}: not a container")),
        }
    }
    Ok(())
}

/// Base64 of the patch, as `response.patch` carries it.
pub(crate) fn encode(ops: &[Value]) -> String {
    use base64::Engine;
    let text = serde_json::to_vec(ops).unwrap_or_default();
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// RFC 6902 operations turning `from` into `to`: maps key by key, anything else (lists
/// included) replaced whole, which keeps the patch exact without list alignment.
pub(crate) fn diff(from: &Value, to: &Value) -> Vec<Value> {
    let mut ops = Vec::new();
    diff_at(from, to, "", &mut ops);
    ops
}

fn diff_at(a: &Value, b: &Value, path: &str, ops: &mut Vec<Value>) {
    if a == b {
        return;
    }
    let (Value::Object(x), Value::Object(y)) = (a, b) else {
        ops.push(json!({"op": "replace", "path": path, "value": b}));
        return;
    };
    let at = |k: &str| format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
    for k in x.keys().filter(|k| !y.contains_key(*k)) {
        ops.push(json!({"op": "remove", "path": at(k)}));
    }
    for (k, v) in y {
        match x.get(k) {
            None => ops.push(json!({"op": "add", "path": at(k), "value": v})),
            Some(old) => diff_at(old, v, &at(k), ops),
        }
    }
}
