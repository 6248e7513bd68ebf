//! A [`VapRequest`] as the API server sees it: match attributes, the CEL `request` and
//! `namespaceObject` variables, and the params a binding selects.

use super::cel::to_cel;
use super::eval::Inputs;
use super::matching::{group_version, resource_of, Attributes};
use super::policy::{Binding, Policy};
use super::VapRequest;
use serde_json::{json, Map, Value};

/// How the request is read: as the API server would receive it (a manifest without a
/// namespace lands in `default`), or as the Kyverno CLI builds it (the namespace as written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    ApiServer,
    KyvernoCli,
}

fn str_at<'a>(v: Option<&'a Value>, ptr: &str) -> &'a str {
    v.and_then(|v| v.pointer(ptr))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn cluster_scoped(kind: &str) -> bool {
    palisade_kube::CLUSTER_SCOPED_KINDS.contains(&kind)
}

/// The attributes of a request; `None` when it carries no object with a kind.
pub fn attributes(req: &VapRequest<'_>, reading: Reading) -> Option<Attributes> {
    let delete = req.operation == "DELETE";
    let subject = if delete {
        req.old_object.or(req.object)
    } else {
        req.object.or(req.old_object)
    };
    let kind = str_at(subject, "/kind");
    if kind.is_empty() {
        return None;
    }
    let (group, version) = group_version(str_at(subject, "/apiVersion"));
    let resource = resource_of(kind);
    let name = str_at(subject, "/metadata/name").to_string();
    let mut namespace = str_at(subject, "/metadata/namespace").to_string();
    let is_namespace = kind == "Namespace" && group.is_empty();
    if reading == Reading::ApiServer {
        if is_namespace {
            // attr.GetNamespace() is the namespace's own name for a Namespace request.
            namespace = name.clone();
        } else if namespace.is_empty() && !cluster_scoped(kind) {
            namespace = "default".to_string();
        }
    }
    let labels = |o: Option<&Value>| o.and_then(|o| o.pointer("/metadata/labels")).cloned();
    let sub = req.sub_resource.unwrap_or_default().to_string();
    let namespace_labels = if resource == "namespaces"
        && sub.is_empty()
        && matches!(req.operation, "CREATE" | "UPDATE")
    {
        labels(req.object)
    } else {
        match req.namespace_object {
            Some(ns) => labels(Some(ns)),
            None => Some(json!({ "kubernetes.io/metadata.name": namespace })),
        }
    };
    Some(Attributes {
        group,
        version,
        kind: kind.to_string(),
        resource,
        subresource: sub,
        namespace,
        name,
        generate_name: str_at(subject, "/metadata/generateName").to_string(),
        operation: req.operation.to_string(),
        labels: labels(req.object),
        old_labels: labels(req.old_object),
        namespace_labels,
    })
}

/// `request`, `object`, `oldObject` and `namespaceObject` as CEL values.
pub fn inputs(req: &VapRequest<'_>, a: &Attributes) -> Inputs {
    let gvk = json!({"group": a.group, "version": a.version, "kind": a.kind});
    let gvr = json!({"group": a.group, "version": a.version, "resource": a.resource});
    let mut r = Map::new();
    r.insert("uid".into(), json!(""));
    r.insert("kind".into(), gvk.clone());
    r.insert("resource".into(), gvr.clone());
    r.insert("requestKind".into(), gvk);
    r.insert("requestResource".into(), gvr);
    // omitempty fields of admissionv1.AdmissionRequest are absent when empty, so `has()`
    // sees what it sees in the API server.
    for (k, v) in [
        ("subResource", &a.subresource),
        ("requestSubResource", &a.subresource),
        ("name", &a.name),
        ("namespace", &a.namespace),
    ] {
        if !v.is_empty() {
            r.insert(k.into(), json!(v));
        }
    }
    r.insert("operation".into(), json!(a.operation));
    r.insert("userInfo".into(), user_info(req.user_info));
    r.insert("dryRun".into(), json!(req.dry_run));
    let is_namespace = a.kind == "Namespace" && a.group.is_empty();
    let namespace_object = if is_namespace || a.namespace.is_empty() {
        Value::Null
    } else {
        namespace_object(req.namespace_object, &a.namespace)
    };
    let or_null = |o: Option<&Value>| o.map(to_cel).unwrap_or(to_cel(&Value::Null));
    Inputs {
        object: or_null(req.object.filter(|_| a.operation != "DELETE")),
        old_object: or_null(req.old_object.filter(|_| a.operation != "CREATE")),
        request: to_cel(&Value::Object(r)),
        namespace_object: to_cel(&namespace_object),
    }
}

/// `request.userInfo` with empty fields left out (they are omitempty).
fn user_info(u: Option<&Value>) -> Value {
    let mut out = Map::new();
    if let Some(Value::Object(m)) = u {
        for (k, v) in m {
            let empty = match v {
                Value::Null => true,
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => false,
            };
            if !empty {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// The fields of the Namespace the API server exposes (`cel.CreateNamespaceObject`); a
/// namespace not given is known only by its name and the label the API server always sets.
fn namespace_object(ns: Option<&Value>, name: &str) -> Value {
    let Some(ns) = ns else {
        return json!({"metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}},
                      "spec": {}, "status": {}});
    };
    let mut meta = Map::new();
    if let Some(Value::Object(m)) = ns.get("metadata") {
        for key in [
            "name",
            "generateName",
            "namespace",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "finalizers",
        ] {
            if let Some(v) = m.get(key) {
                meta.insert(key.into(), v.clone());
            }
        }
    }
    let part = |k: &str| ns.get(k).cloned().unwrap_or_else(|| json!({}));
    json!({"metadata": meta, "spec": part("spec"), "status": part("status")})
}

/// The params a binding selects for a request (API server: `generic.CollectParams`); `[null]`
/// without paramKind or paramRef; `Err` is a configuration error in the API server's words.
pub fn params(
    policy: &Policy,
    binding: Option<&Binding>,
    namespace: &str,
    objects: &[Value],
    reading: Reading,
) -> Result<Vec<Value>, String> {
    let (Some((api_version, kind)), Some(r)) = (
        &policy.param_kind,
        binding.and_then(|b| b.param_ref.as_ref()),
    ) else {
        return Ok(vec![Value::Null]);
    };
    if reading == Reading::KyvernoCli {
        // The Kyverno CLI: a selector picks every object whose labels match; otherwise the
        // first object with the name; nothing found evaluates with null params.
        let hits: Vec<Value> = objects
            .iter()
            .filter(|o| match (&r.selector, &r.name, &r.namespace) {
                (Some(s), _, _) => s.matches(o.pointer("/metadata/labels")),
                (None, Some(n), _) => str_at(Some(o), "/metadata/name") == n,
                (None, None, Some(ns)) => str_at(Some(o), "/metadata/namespace") == ns,
                _ => false,
            })
            .take(if r.selector.is_some() { usize::MAX } else { 1 })
            .cloned()
            .collect();
        return Ok(if hits.is_empty() {
            vec![Value::Null]
        } else {
            hits
        });
    }
    let cluster = cluster_scoped(kind);
    if cluster && r.namespace.is_some() {
        return Err(
            "paramRef.namespace must not be provided for a cluster-scoped `paramKind`".into(),
        );
    }
    let ns = r.namespace.as_deref().unwrap_or(namespace);
    if !cluster && ns.is_empty() {
        return Err("cannot use namespaced paramRef in policy binding that matches cluster-scoped resources".into());
    }
    let candidates = objects.iter().filter(|o| {
        str_at(Some(o), "/apiVersion") == api_version
            && str_at(Some(o), "/kind") == kind
            && (cluster || {
                let on = str_at(Some(o), "/metadata/namespace");
                (if on.is_empty() { "default" } else { on }) == ns
            })
    });
    let found: Vec<Value> = match (&r.name, &r.selector) {
        (Some(_), Some(_)) => {
            return Err("paramRef.name and paramRef.selector are mutually exclusive".into())
        }
        (Some(n), None) => candidates
            .filter(|o| str_at(Some(o), "/metadata/name") == n)
            .take(1)
            .cloned()
            .collect(),
        (None, Some(s)) => candidates
            .filter(|o| s.matches(o.pointer("/metadata/labels")))
            .cloned()
            .collect(),
        (None, None) => return Err("one of name or selector must be provided".into()),
    };
    if found.is_empty() && r.deny_when_missing {
        return Err(
            "no params found for policy binding with `Deny` parameterNotFoundAction".into(),
        );
    }
    Ok(found)
}
