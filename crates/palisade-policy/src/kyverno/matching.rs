//! `match` / `exclude` of a Kyverno rule (`pkg/engine/utils/match.go`).

use super::wildcard;
use crate::selector::Selector;
use serde_json::{Map, Value};

/// Who sends the request (the Kyverno CLI's `userinfo` file; empty offline by default).
#[derive(Debug, Clone, Default)]
pub struct RequestInfo {
    pub roles: Vec<String>,
    pub cluster_roles: Vec<String>,
    pub username: String,
    pub groups: Vec<String>,
}

impl RequestInfo {
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
            && self.cluster_roles.is_empty()
            && self.username.is_empty()
            && self.groups.is_empty()
    }
}

/// What a rule is matched against.
pub struct Subject<'a> {
    pub resource: &'a Value,
    pub kind: &'a str,
    pub api_version: &'a str,
    pub name: &'a str,
    pub namespace: &'a str,
    pub namespace_labels: Option<&'a Map<String, Value>>,
    pub operation: &'a str,
    pub info: &'a RequestInfo,
}

impl<'a> Subject<'a> {
    /// The subject a request's resource is: kind, names and namespace from the object (a
    /// `generateName` when it has no name yet).
    pub fn of(
        resource: &'a Value,
        operation: &'a str,
        namespace_labels: Option<&'a Map<String, Value>>,
        info: &'a RequestInfo,
    ) -> Subject<'a> {
        let text = |p: &str| resource.pointer(p).and_then(Value::as_str).unwrap_or("");
        let name = match text("/metadata/name") {
            "" => text("/metadata/generateName"),
            n => n,
        };
        Subject {
            resource,
            kind: text("/kind"),
            api_version: text("/apiVersion"),
            name,
            namespace: text("/metadata/namespace"),
            namespace_labels,
            operation,
            info,
        }
    }
}

/// Whether `rule` applies to the subject: matched and not excluded. Policies of kind `Policy`
/// apply only in their own namespace.
pub fn applies(rule: &Value, policy_namespace: Option<&str>, s: &Subject<'_>) -> bool {
    if let Some(ns) = policy_namespace {
        if ns != s.namespace {
            return false;
        }
    }
    let Some(m) = rule.get("match") else {
        return false;
    };
    let matched = if let Some(any) = nonempty(m, "any") {
        any.iter().any(|f| filter_matches(f, s, true))
    } else if let Some(all) = nonempty(m, "all") {
        all.iter().all(|f| filter_matches(f, s, true))
    } else {
        filter_matches(m, s, true)
    };
    if !matched {
        return false;
    }
    let Some(e) = rule.get("exclude") else {
        return true;
    };
    let excluded = if let Some(any) = nonempty(e, "any") {
        any.iter().any(|f| excludes(f, s))
    } else if let Some(all) = nonempty(e, "all") {
        all.iter().all(|f| excludes(f, s))
    } else {
        excludes(e, s)
    };
    !excluded
}

fn nonempty<'v>(v: &'v Value, key: &str) -> Option<&'v Vec<Value>> {
    v.get(key)
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
}

fn has_user_info(f: &Value) -> bool {
    ["subjects", "roles", "clusterRoles"].iter().any(|k| {
        f.get(*k)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    })
}

fn is_empty_description(d: Option<&Value>) -> bool {
    d.and_then(Value::as_object).is_none_or(|m| {
        m.values().all(|v| match v {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            Value::String(s) => s.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        })
    })
}

/// A filter (`resources` + user info) in a `match` block. An empty filter matches nothing.
fn filter_matches(f: &Value, s: &Subject<'_>, is_match: bool) -> bool {
    // Without request information (offline), user-info conditions of `match` are dropped.
    let use_info = !(is_match && s.info.is_empty()) && has_user_info(f);
    if is_empty_description(f.get("resources")) && !use_info {
        return false;
    }
    block_matches(f.get("resources"), if use_info { Some(f) } else { None }, s)
}

fn excludes(f: &Value, s: &Subject<'_>) -> bool {
    if is_empty_description(f.get("resources")) && !has_user_info(f) {
        return false;
    }
    block_matches(f.get("resources"), Some(f).filter(|f| has_user_info(f)), s)
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn block_matches(d: Option<&Value>, info: Option<&Value>, s: &Subject<'_>) -> bool {
    if let Some(d) = d {
        let ops = strings(d.get("operations"));
        if !ops.is_empty() && !ops.contains(&s.operation) {
            return false;
        }
        let kinds = strings(d.get("kinds"));
        if !kinds.is_empty() && !kinds.iter().any(|k| kind_matches(k, s)) {
            return false;
        }
        if let Some(name) = d
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
        {
            if !wildcard::matches(name, s.name) {
                return false;
            }
        }
        let names = strings(d.get("names"));
        if !names.is_empty() && !names.iter().any(|n| wildcard::matches(n, s.name)) {
            return false;
        }
        let namespaces = strings(d.get("namespaces"));
        if !namespaces.is_empty() {
            let ns = if s.kind == "Namespace" {
                s.name
            } else {
                s.namespace
            };
            if !namespaces.iter().any(|n| wildcard::matches(n, ns)) {
                return false;
            }
        }
        if let Some(want) = d.get("annotations").and_then(Value::as_object) {
            let have = s
                .resource
                .pointer("/metadata/annotations")
                .and_then(Value::as_object);
            if !want.iter().all(|(k, v)| {
                have.is_some_and(|h| {
                    h.iter().any(|(hk, hv)| {
                        wildcard::matches(k, hk)
                            && wildcard::matches(
                                v.as_str().unwrap_or(""),
                                hv.as_str().unwrap_or(""),
                            )
                    })
                })
            }) {
                return false;
            }
        }
        let labels = s
            .resource
            .pointer("/metadata/labels")
            .and_then(Value::as_object);
        if let Some(sel) = d.get("selector").filter(|v| !v.is_null()) {
            if !selector_matches(sel, labels) {
                return false;
            }
        }
        if let Some(sel) = d.get("namespaceSelector").filter(|v| !v.is_null()) {
            if s.kind == "Namespace" || !selector_matches(sel, s.namespace_labels) {
                return false;
            }
        }
    }
    if let Some(f) = info {
        let roles = strings(f.get("roles"));
        if !roles.is_empty() && !s.info.roles.iter().any(|r| roles.contains(&r.as_str())) {
            return false;
        }
        let croles = strings(f.get("clusterRoles"));
        if !croles.is_empty()
            && !s
                .info
                .cluster_roles
                .iter()
                .any(|r| croles.contains(&r.as_str()))
        {
            return false;
        }
        if let Some(subjects) = f
            .get("subjects")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        {
            if !subjects.iter().any(|sub| subject_matches(sub, s.info)) {
                return false;
            }
        }
    }
    true
}

fn subject_matches(sub: &Value, info: &RequestInfo) -> bool {
    let name = sub.get("name").and_then(Value::as_str).unwrap_or("");
    match sub.get("kind").and_then(Value::as_str).unwrap_or("") {
        "ServiceAccount" => {
            let ns = sub.get("namespace").and_then(Value::as_str).unwrap_or("");
            info.username == format!("system:serviceaccount:{ns}:{name}")
        }
        "User" => wildcard::matches(name, &info.username),
        "Group" => info.groups.iter().any(|g| wildcard::matches(name, g)),
        _ => false,
    }
}

/// `Kind`, `version/Kind`, `group/version/Kind`, `Kind/subresource`, with wildcards.
fn kind_matches(entry: &str, s: &Subject<'_>) -> bool {
    let (group, version) = match s.api_version.split_once('/') {
        Some((g, v)) => (g, v),
        None => ("", s.api_version),
    };
    let parts: Vec<&str> = entry.split('/').collect();
    let (g, v, k, sub) = match parts.as_slice() {
        [k] => ("*", "*", *k, None),
        [a, b]
            if b.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '*') =>
        {
            ("*", *a, *b, None)
        }
        [a, b] => ("*", "*", *a, Some(*b)),
        [g, v, k] => (*g, *v, *k, None),
        [g, v, k, sub, ..] => (*g, *v, *k, Some(*sub)),
        [] => return false,
    };
    if sub.is_some_and(|s| s != "*") {
        // Offline requests are never for a subresource.
        return false;
    }
    wildcard::matches(k, s.kind) && wildcard::matches(g, group) && wildcard::matches(v, version)
}

/// Label selectors with Kyverno's wildcard `matchLabels` (a wildcard key or value is replaced
/// by the first label it matches).
fn selector_matches(sel: &Value, labels: Option<&Map<String, Value>>) -> bool {
    let mut sel = sel.clone();
    if let Some(ml) = sel.get_mut("matchLabels").and_then(Value::as_object_mut) {
        let entries: Vec<(String, Value)> =
            ml.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        ml.clear();
        for (k, v) in entries {
            let vs = v.as_str().unwrap_or("").to_string();
            if wildcard::has_wildcard(&k) || wildcard::has_wildcard(&vs) {
                let hit = labels.and_then(|l| {
                    l.iter().find(|(lk, lv)| {
                        wildcard::matches(&k, lk)
                            && wildcard::matches(&vs, lv.as_str().unwrap_or(""))
                    })
                });
                match hit {
                    Some((lk, lv)) => ml.insert(lk.clone(), lv.clone()),
                    None => ml.insert(
                        k.replace(['*', '?'], "0"),
                        Value::String(vs.replace(['*', '?'], "0")),
                    ),
                };
            } else {
                ml.insert(k, v);
            }
        }
    }
    match Selector::parse(Some(&sel)) {
        Ok(s) => {
            let labels = labels.map(|l| Value::Object(l.clone()));
            s.matches(labels.as_ref())
        }
        Err(_) => false,
    }
}
