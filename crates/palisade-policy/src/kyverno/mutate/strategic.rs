//! `patchStrategicMerge`: Kyverno's anchor preprocessing (`strategicPreprocessing.go`) then a
//! Kubernetes strategic merge as kustomize's kyaml does it on unstructured objects: maps merge,
//! `null` deletes, lists of maps merge by their associative key, other lists are replaced.

use crate::kyverno::anchor::{self, Anchor};
use crate::kyverno::pattern;
use serde_json::{Map, Value};

/// Why preprocessing stopped: a conditional anchor failed (only this subtree is dropped when
/// inside a list element, else the whole patch), or a global anchor failed (the whole patch).
#[derive(Debug)]
enum Stop {
    Condition,
    Global,
}

/// Deepest nesting followed; deeper patches are an error rather than a stack overflow.
const MAX_DEPTH: usize = 64;

/// kyaml's `AssociativeSequenceKeys`, in its order: the key lists of maps merge by when the
/// schema does not say (Palisade has no schema; these cover the Pod fields).
const ASSOCIATIVE_KEYS: [&str; 7] = [
    "mountPath",
    "devicePath",
    "ip",
    "type",
    "topologyKey",
    "name",
    "containerPort",
];

/// Applies `overlay` (variables already substituted) to `resource`.
pub fn apply(resource: &Value, overlay: &Value) -> Result<Value, String> {
    let mut patch = overlay.clone();
    let patch = match preprocess(&mut patch, Some(resource), 0) {
        Ok(()) => {
            delete_condition_elements(&mut patch);
            patch
        }
        // Kyverno applies an empty patch: the rule leaves the resource as it is.
        Err(_) => return Ok(resource.clone()),
    };
    let mut out = resource.clone();
    merge(&mut out, &patch, "", 0)?;
    Ok(out)
}

fn is_anchor(key: &str) -> bool {
    anchor::parse(key).is_some()
}

/// Keys with a conditional-type anchor (`(k)`, `<(k)`, `=(k)`, `X(k)`, `^(k)`), which are
/// checks, not content.
fn is_condition(key: &str) -> bool {
    matches!(anchor::parse(key), Some((a, _)) if a != Anchor::AddIfAbsent)
}

fn has_anchors(v: &Value, pred: fn(Anchor) -> bool) -> bool {
    match v {
        Value::Object(m) => m
            .iter()
            .any(|(k, v)| anchor::parse(k).is_some_and(|(a, _)| pred(a)) || has_anchors(v, pred)),
        Value::Array(a) => a.iter().any(|e| has_anchors(e, pred)),
        _ => false,
    }
}

fn preprocess(pat: &mut Value, res: Option<&Value>, depth: usize) -> Result<(), Stop> {
    if depth > MAX_DEPTH {
        return Err(Stop::Condition);
    }
    match pat {
        Value::Object(m) => walk_map(m, res, depth),
        Value::Array(list) if list.first().is_some_and(Value::is_object) => {
            walk_list(list, res, depth)
        }
        _ => Ok(()),
    }
}

/// `+(key)`: dropped when the resource has the key, else the anchor is removed.
fn add_if_absent(m: &mut Map<String, Value>, res: Option<&Value>) -> usize {
    let keys: Vec<String> = m
        .keys()
        .filter(|k| matches!(anchor::parse(k), Some((Anchor::AddIfAbsent, _))))
        .cloned()
        .collect();
    for k in &keys {
        let Some((_, field)) = anchor::parse(k) else {
            continue;
        };
        let field = field.to_string();
        let Some(v) = m.remove(k) else { continue };
        if res.and_then(|r| r.get(&field)).is_none() {
            m.insert(field, v);
        }
    }
    keys.len()
}

fn walk_map(m: &mut Map<String, Value>, res: Option<&Value>, depth: usize) -> Result<(), Stop> {
    add_if_absent(m, res);
    for (pred, stop) in [
        (Anchor::Global, Stop::Global),
        (Anchor::Condition, Stop::Condition),
    ] {
        let conds: Vec<(String, String)> = m
            .keys()
            .filter_map(|k| match anchor::parse(k) {
                Some((a, f)) if a == pred => Some((k.clone(), f.to_string())),
                _ => None,
            })
            .collect();
        for (key, field) in conds {
            let Some(rv) = res.and_then(|r| r.get(&field)) else {
                return Err(stop);
            };
            let Some(pv) = m.get_mut(&key) else { continue };
            if let Value::Object(inner) = pv {
                if add_if_absent(inner, Some(rv)) > 0 {
                    continue;
                }
            }
            if pattern::check(rv, pv).is_err() {
                return Err(stop);
            }
        }
    }
    let plain: Vec<String> = m.keys().filter(|k| !is_anchor(k)).cloned().collect();
    for k in plain {
        let rv = res.and_then(|r| r.get(&k));
        if let Some(pv) = m.get_mut(&k) {
            preprocess(pv, rv, depth + 1)?;
        }
    }
    Ok(())
}

/// Elements with anchors are applied to every resource element they hold for, each copy
/// given that element's `name` so the merge finds it (`processListOfMaps`).
fn walk_list(list: &mut Vec<Value>, res: Option<&Value>, depth: usize) -> Result<(), Stop> {
    let res_elems: &[Value] = res.and_then(Value::as_array).map_or(&[], Vec::as_slice);
    let mut added = Vec::new();
    for pe in list.iter() {
        if !has_anchors(pe, |_| true) {
            continue;
        }
        let global = has_anchors(pe, |a| a == Anchor::Global);
        let (mut global_passed, mut global_failed) = (false, false);
        for re in res_elems {
            let mut copy = pe.clone();
            match preprocess(&mut copy, Some(re), depth + 1) {
                Err(Stop::Condition) => continue,
                Err(Stop::Global) => {
                    global_failed = true;
                    continue;
                }
                Ok(()) => {}
            }
            if global {
                global_passed = true;
                continue;
            }
            let Some(name) = re.get("name").filter(|n| !is_empty(n)) else {
                continue;
            };
            if delete_anchors(&mut copy, true) {
                continue;
            }
            if let Value::Object(o) = &mut copy {
                o.insert("name".into(), name.clone());
            }
            added.push(copy);
        }
        if res.is_none() {
            let mut copy = pe.clone();
            match preprocess(&mut copy, None, depth + 1) {
                Err(Stop::Condition) => continue,
                Err(Stop::Global) => return Err(Stop::Global),
                Ok(()) => global_passed |= global,
            }
        }
        if !global_passed && global_failed {
            return Err(Stop::Global);
        }
    }
    list.extend(added);
    Ok(())
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// `deleteConditionElements`: the anchors' checks leave the patch; what is under them that is
/// not itself a check stays, with the anchor stripped from the key.
fn delete_condition_elements(patch: &mut Value) {
    let Value::Object(m) = patch else { return };
    let keys: Vec<String> = m.keys().cloned().collect();
    for k in keys {
        let scalar_goes = is_condition(&k);
        let Some(v) = m.get_mut(&k) else { continue };
        if delete_anchors_with(v, scalar_goes) {
            m.remove(&k);
        }
    }
}

/// `deleteAnchors(node, deleteScalar=true, traverse=false)`: whether nothing but checks
/// remains.
fn delete_anchors(v: &mut Value, delete_scalar: bool) -> bool {
    delete_anchors_with(v, delete_scalar)
}

fn delete_anchors_with(v: &mut Value, delete_scalar: bool) -> bool {
    match v {
        Value::Object(m) => {
            let anchored: Vec<String> = m.keys().filter(|k| is_condition(k)).cloned().collect();
            for k in anchored {
                let Some(mut inner) = m.remove(&k) else {
                    continue;
                };
                if !delete_anchors_with(&mut inner, true) {
                    let field = anchor::parse(&k).map_or(k.clone(), |(_, f)| f.to_string());
                    m.insert(field, inner);
                }
            }
            let keys: Vec<String> = m.keys().cloned().collect();
            let mut all_gone = true;
            for k in keys {
                let Some(inner) = m.get_mut(&k) else { continue };
                if delete_anchors_with(inner, false) {
                    m.remove(&k);
                } else {
                    all_gone = false;
                }
            }
            all_gone
        }
        Value::Array(list) => {
            let was_empty = list.is_empty();
            list.retain_mut(|e| {
                if has_anchors(e, |_| true) {
                    false
                } else {
                    !delete_anchors_with(e, false)
                }
            });
            list.is_empty() && !was_empty
        }
        _ => delete_scalar,
    }
}

/// The strategic merge of `patch` into `dest`; `field` is the key `dest` sits under.
fn merge(dest: &mut Value, patch: &Value, field: &str, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("patch nested too deeply".into());
    }
    match (dest, patch) {
        (Value::Object(d), Value::Object(p)) => {
            for (k, pv) in p {
                if k == "$patch" || is_anchor(k) {
                    continue;
                }
                match pv {
                    Value::Null => {
                        d.remove(k);
                    }
                    Value::Object(po)
                        if po.get("$patch").and_then(Value::as_str) == Some("delete") =>
                    {
                        d.remove(k);
                    }
                    Value::Object(po)
                        if po.get("$patch").and_then(Value::as_str) == Some("replace") =>
                    {
                        let mut v = po.clone();
                        v.remove("$patch");
                        d.insert(k.clone(), Value::Object(v));
                    }
                    _ => match d.get_mut(k) {
                        Some(dv) if !dv.is_null() => merge(dv, pv, k, depth + 1)?,
                        _ => {
                            let mut fresh = fresh_like(pv);
                            merge(&mut fresh, pv, k, depth + 1)?;
                            d.insert(k.clone(), fresh);
                        }
                    },
                }
            }
            Ok(())
        }
        (Value::Array(d), Value::Array(p)) => {
            merge_list(d, p, field, depth);
            Ok(())
        }
        (d, p) => {
            *d = strip_directives(p);
            Ok(())
        }
    }
}

fn fresh_like(v: &Value) -> Value {
    match v {
        Value::Object(_) => Value::Object(Map::new()),
        Value::Array(_) => Value::Array(Vec::new()),
        _ => Value::Null,
    }
}

fn strip_directives(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| *k != "$patch" && !is_anchor(k))
                .map(|(k, v)| (k.clone(), strip_directives(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_directives).collect()),
        other => other.clone(),
    }
}

/// The key a list of maps merges by: `containerPort` for `ports` (the Pod schema's), else the
/// first of [`ASSOCIATIVE_KEYS`] every element of both lists has.
fn associative_key(dest: &[Value], patch: &[Value], field: &str) -> Option<&'static str> {
    if !patch.iter().all(Value::is_object) || patch.is_empty() {
        return None;
    }
    let all_have = |k: &str| {
        dest.iter()
            .chain(patch)
            .all(|e| e.get(k).is_some_and(|v| !v.is_null()))
    };
    if field == "ports" && all_have("containerPort") {
        return Some("containerPort");
    }
    ASSOCIATIVE_KEYS.into_iter().find(|k| all_have(k))
}

/// kyaml's order: the patch's elements first (merged with their match in `dest`), then the
/// elements only `dest` has.
fn merge_list(dest: &mut Vec<Value>, patch: &[Value], field: &str, depth: usize) {
    let Some(key) = associative_key(dest, patch, field) else {
        *dest = patch.iter().map(strip_directives).collect();
        return;
    };
    let mut rest = std::mem::take(dest);
    let mut out = Vec::with_capacity(rest.len() + patch.len());
    for pe in patch {
        let id = pe.get(key);
        let pos = rest.iter().position(|de| de.get(key) == id);
        let found = pos.map(|i| rest.remove(i));
        if pe.get("$patch").and_then(Value::as_str) == Some("delete") {
            continue;
        }
        match found {
            Some(mut de) => {
                // Errors only come from depth, which the caller's depth bounds too.
                let _ = merge(&mut de, pe, "", depth + 1);
                out.push(de);
            }
            None => out.push(strip_directives(pe)),
        }
    }
    out.extend(rest);
    *dest = out;
}
