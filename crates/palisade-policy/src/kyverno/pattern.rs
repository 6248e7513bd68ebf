//! `validate.pattern`: an overlay of the resource with anchors, evaluated the way Kyverno's
//! `validate.MatchPattern` does, including which mismatches skip the rule instead of failing it.

use super::anchor::{self, Anchor};
use super::{value, wildcard};
use serde_json::{Map, Value};
use std::collections::{HashMap, VecDeque};

/// Why a resource does not satisfy a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// A conditional or global anchor did not hold: the rule does not apply.
    Skip(String),
    /// The resource does not satisfy the pattern at `path`.
    Fail { path: String, message: String },
    /// The pattern could not be applied (Kyverno reports the rule as an error).
    Error(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A conditional/global anchor's own error.
    AnchorSkip,
    /// A skip gathered from nested elements.
    NestedSkip,
    Negation,
    Other,
}

#[derive(Debug, Clone)]
struct Err {
    kind: Kind,
    path: String,
    message: String,
}

impl Err {
    fn other(path: &str, message: String) -> Err {
        Err {
            kind: Kind::Other,
            path: path.to_string(),
            message,
        }
    }
    fn skip(&self) -> bool {
        matches!(self.kind, Kind::AnchorSkip | Kind::NestedSkip)
    }
}

/// Anchor keys seen in the pattern, and whether any resource element had them.
#[derive(Default)]
struct AnchorMap(HashMap<String, bool>);

impl AnchorMap {
    fn check(&mut self, pattern: &Map<String, Value>, resource: &Map<String, Value>) {
        for key in pattern.keys() {
            if let Some((
                kind @ (Anchor::Condition | Anchor::Existence | Anchor::Negation),
                field,
            )) = anchor::parse(key)
            {
                let _ = kind;
                let seen = self.0.entry(key.clone()).or_insert(false);
                if !*seen && resource.contains_key(field) {
                    *seen = true;
                }
            }
        }
    }

    fn keys_missing(&self) -> bool {
        self.0
            .iter()
            .any(|(k, seen)| !seen && !matches!(anchor::parse(k), Some((Anchor::Negation, _))))
    }
}

/// Deepest pattern nesting followed; deeper patterns are an error, not a stack overflow.
const MAX_DEPTH: usize = 64;

/// Matches `resource` against `pattern`.
pub fn check(resource: &Value, pattern: &Value) -> Result<(), Mismatch> {
    let mut ac = AnchorMap::default();
    match element(resource, pattern, "/", &mut ac, 0) {
        Ok(()) => Ok(()),
        Err(e) if e.skip() => Err(Mismatch::Skip(e.message)),
        Err(e) if e.kind == Kind::Negation => Err(Mismatch::Fail {
            path: e.path,
            message: e.message,
        }),
        Err(e) if ac.keys_missing() || e.path.is_empty() => Err(Mismatch::Error(e.message)),
        Err(e) => Err(Mismatch::Fail {
            path: e.path,
            message: e.message,
        }),
    }
}

fn element(
    resource: &Value,
    pattern: &Value,
    path: &str,
    ac: &mut AnchorMap,
    depth: usize,
) -> Result<(), Err> {
    if depth > MAX_DEPTH {
        return Err(Err::other(
            "",
            format!("pattern nested deeper than {MAX_DEPTH} at {path}"),
        ));
    }
    match pattern {
        Value::Object(p) => {
            let Value::Object(r) = resource else {
                return Err(Err::other(
                    path,
                    format!("pattern and resource have different structures. Path: {path}. Expected map, found {}", type_name(resource)),
                ));
            };
            ac.check(p, r);
            map(r, p, path, ac, depth)
        }
        Value::Array(p) => {
            let Value::Array(r) = resource else {
                return Err(Err::other(
                    path,
                    format!("validation rule failed at path {path}, resource does not satisfy the expected overlay pattern"),
                ));
            };
            array(r, p, path, ac, depth)
        }
        scalar => {
            let ok = match resource {
                Value::Array(items) => items.iter().all(|v| value::validate(v, scalar)),
                v => value::validate(v, scalar),
            };
            if ok {
                Ok(())
            } else {
                Err(Err::other(
                    path,
                    format!(
                        "resource value '{}' does not match '{}' at path {path}",
                        super::scalar::go_sprint(resource),
                        super::scalar::go_sprint(scalar)
                    ),
                ))
            }
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nil",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "map",
    }
}

fn map(
    resource: &Map<String, Value>,
    pattern: &Map<String, Value>,
    path: &str,
    ac: &mut AnchorMap,
    depth: usize,
) -> Result<(), Err> {
    let expanded;
    let pattern = match expand_metadata(pattern, resource) {
        Some(p) => {
            expanded = p;
            &expanded
        }
        None => pattern,
    };
    let mut anchors: Vec<(&String, &Value)> = Vec::new();
    let mut plain: Vec<(&String, &Value)> = Vec::new();
    for (k, v) in pattern {
        match anchor::parse(k) {
            Some((
                Anchor::Condition | Anchor::Existence | Anchor::Equality | Anchor::Negation,
                _,
            )) => anchors.push((k, v)),
            _ => plain.push((k, v)),
        }
    }
    anchors.sort_by(|a, b| a.0.cmp(b.0));
    let mut skips: Vec<Err> = Vec::new();
    let mut applied = 0usize;
    for (k, v) in anchors {
        match handle(k, v, resource, path, ac, depth) {
            Ok(()) => applied += 1,
            Err(e) if e.skip() => skips.push(e),
            Err(e) => {
                if !skips.iter().any(|s| s.kind == Kind::AnchorSkip) {
                    return Err(e);
                }
            }
        }
    }
    if !skips.is_empty() && (applied == 0 || skips.iter().any(|s| s.kind == Kind::AnchorSkip)) {
        return Err(Err {
            kind: Kind::NestedSkip,
            path: path.to_string(),
            message: skips
                .iter()
                .map(|s| s.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    plain.sort_by(|a, b| a.0.cmp(b.0));
    // Kyverno visits global anchors and keys with nested anchors first (pushed to the front,
    // so the last such key comes first).
    let mut order: VecDeque<(&String, &Value)> = VecDeque::new();
    for (k, v) in plain {
        let global = matches!(anchor::parse(k), Some((Anchor::Global, _)));
        if global || has_nested_anchors(v) {
            order.push_front((k, v));
        } else {
            order.push_back((k, v));
        }
    }
    for (k, v) in order {
        handle(k, v, resource, path, ac, depth)?;
    }
    Ok(())
}

fn has_nested_anchors(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| {
            matches!(
                anchor::parse(k),
                Some((
                    Anchor::Condition
                        | Anchor::Existence
                        | Anchor::Equality
                        | Anchor::Negation
                        | Anchor::Global,
                    _
                ))
            ) || has_nested_anchors(v)
        }),
        Value::Array(a) => a.iter().any(has_nested_anchors),
        _ => false,
    }
}

fn handle(
    key: &str,
    pattern: &Value,
    resource: &Map<String, Value>,
    path: &str,
    ac: &mut AnchorMap,
    depth: usize,
) -> Result<(), Err> {
    const NULL: Value = Value::Null;
    let Some((kind, field)) = anchor::parse(key) else {
        let here = format!("{path}{key}/");
        let value = resource.get(key).unwrap_or(&NULL);
        if pattern.as_str() == Some("*") {
            return if value.is_null() {
                Err(Err::other(path, format!("{path}/{key} not found")))
            } else {
                Ok(())
            };
        }
        return element(value, pattern, &here, ac, depth + 1);
    };
    let here = format!("{path}{field}/");
    let present = resource.get(field);
    match kind {
        Anchor::Negation => match present {
            Some(_) => Err(Err {
                kind: Kind::Negation,
                path: here.clone(),
                message: format!("negation anchor matched in resource: {here} is not allowed"),
            }),
            None => Ok(()),
        },
        Anchor::Equality => match present {
            Some(v) => element(v, pattern, &here, ac, depth + 1),
            None => Ok(()),
        },
        Anchor::Condition => match present {
            Some(v) => element(v, pattern, &here, ac, depth + 1).map_err(|e| Err {
                kind: Kind::AnchorSkip,
                path: e.path,
                message: format!("conditional anchor mismatch: {}", e.message),
            }),
            None => Err(Err {
                kind: Kind::AnchorSkip,
                path: here,
                message: "conditional anchor mismatch: conditional anchor key doesn't exist in the resource".into(),
            }),
        },
        Anchor::Global => match present {
            Some(v) => element(v, pattern, &here, ac, depth + 1).map_err(|e| Err {
                kind: Kind::AnchorSkip,
                path: e.path,
                message: format!("global anchor mismatch: {}", e.message),
            }),
            None => Ok(()),
        },
        Anchor::Existence => match present {
            None => Ok(()),
            Some(Value::Array(items)) => {
                let Some(patterns) = pattern.as_array() else {
                    return Err(Err::other(&here, "invalid pattern type: Pattern has to be of list to compare against resource".into()));
                };
                for p in patterns {
                    if !p.is_object() {
                        return Err(Err::other(&here, "invalid pattern type: Pattern has to be of type map to compare against items in resource".into()));
                    }
                    let found = items.iter().enumerate().any(|(i, item)| {
                        element(item, p, &format!("{here}{i}/"), ac, depth + 1).is_ok()
                    });
                    if !found {
                        return Err(Err::other(&here, format!("existence anchor validation failed at path {here}")));
                    }
                }
                Ok(())
            }
            Some(v) => Err(Err::other(
                &here,
                format!("invalid resource type {}: Existence ^ () anchor can be used only on list/array type resource", type_name(v)),
            )),
        },
        // Adding is mutation; validation has nothing to check.
        Anchor::AddIfAbsent => Ok(()),
    }
}

fn array(
    resource: &[Value],
    pattern: &[Value],
    path: &str,
    ac: &mut AnchorMap,
    depth: usize,
) -> Result<(), Err> {
    let Some(first) = pattern.first() else {
        return Err(Err::other(path, "pattern Array empty".into()));
    };
    match first {
        Value::Object(_) => pairs(resource.iter().map(|r| (r, first)), path, ac, depth),
        Value::Array(_) => {
            if resource.len() < pattern.len() {
                return Err(Err::other(
                    "",
                    format!("validate Array failed, array length mismatch, resource Array len is {} and pattern Array len is {}", resource.len(), pattern.len()),
                ));
            }
            pairs(resource.iter().zip(pattern), path, ac, depth)
        }
        scalar => {
            if resource.iter().all(|v| value::validate(v, scalar)) {
                Ok(())
            } else {
                Err(Err::other(
                    path,
                    format!(
                        "resource value does not match '{}' at path {path}",
                        super::scalar::go_sprint(scalar)
                    ),
                ))
            }
        }
    }
}

/// Every (resource element, pattern) pair must hold; skips count only when nothing applied.
fn pairs<'a>(
    items: impl Iterator<Item = (&'a Value, &'a Value)>,
    path: &str,
    ac: &mut AnchorMap,
    depth: usize,
) -> Result<(), Err> {
    let mut applied = 0usize;
    let mut skips = Vec::new();
    for (i, (r, p)) in items.enumerate() {
        match element(r, p, &format!("{path}{i}/"), ac, depth + 1) {
            Ok(()) => applied += 1,
            Err(e) if e.skip() => skips.push(e.message),
            Err(e) => return Err(e),
        }
    }
    if applied == 0 && !skips.is_empty() {
        return Err(Err {
            kind: Kind::NestedSkip,
            path: path.to_string(),
            message: skips.join("; "),
        });
    }
    Ok(())
}

/// Wildcard keys under `metadata.labels`/`metadata.annotations` of the pattern, replaced by
/// the resource keys they match (`app.kubernetes.io/*: "?*"`); `None` when there are none.
fn expand_metadata(
    pattern: &Map<String, Value>,
    resource: &Map<String, Value>,
) -> Option<Map<String, Value>> {
    let (meta_key, meta) = pattern.iter().find(|(k, _)| {
        *k == "metadata" || anchor::parse(k).is_some_and(|(_, f)| f == "metadata")
    })?;
    let meta = meta.as_object()?;
    let resource_meta = resource.get("metadata")?.as_object()?;
    let mut new_meta = meta.clone();
    let mut changed = false;
    for tag in ["labels", "annotations"] {
        let Some((tag_key, data)) = meta
            .iter()
            .find(|(k, _)| *k == tag || anchor::parse(k).is_some_and(|(_, f)| f == tag))
        else {
            continue;
        };
        let (Some(data), Some(have)) = (
            data.as_object(),
            resource_meta.get(tag).and_then(Value::as_object),
        ) else {
            continue;
        };
        if !data.keys().any(|k| wildcard::has_wildcard(k)) {
            continue;
        }
        let mut out = Map::new();
        for (k, v) in data {
            if !wildcard::has_wildcard(k) {
                out.insert(k.clone(), v.clone());
                continue;
            }
            let (kind, inner) = match anchor::parse(k) {
                Some((kind, inner)) => (Some(kind), inner),
                None => (None, k.as_str()),
            };
            let found = have
                .keys()
                .find(|rk| wildcard::matches(inner, rk))
                .map(String::as_str)
                .unwrap_or(inner);
            let key = match kind {
                Some(kind) => anchor::render(kind, found),
                None => found.to_string(),
            };
            out.insert(key, v.clone());
        }
        new_meta.insert(tag_key.clone(), Value::Object(out));
        changed = true;
    }
    if !changed {
        return None;
    }
    let mut p = pattern.clone();
    p.insert(meta_key.clone(), Value::Object(new_meta));
    Some(p)
}

#[cfg(test)]
mod tests;
