//! `patchesJson6902`: RFC 6902 operations with the options Kyverno applies them with
//! (`patchJSON6902.go`): negative array indices, `remove` of a missing path is a no-op, `add`
//! creates missing parents. No RFC 6902 crate is in the lockfile, and those options are not
//! what the common crates offer, so the six operations are implemented here.

use serde_json::{Map, Value};

/// Applies the operations in `patch` (a YAML or JSON list, variables already substituted).
pub fn apply(resource: &Value, patch: &str) -> Result<Value, String> {
    let ops: Value =
        serde_yaml::from_str(patch).map_err(|e| format!("failed to decode patches: {e}"))?;
    let ops = ops
        .as_array()
        .ok_or("failed to decode patches: not a list of operations")?;
    let mut doc = resource.clone();
    for op in ops {
        one(&mut doc, op)?;
    }
    Ok(doc)
}

fn one(doc: &mut Value, op: &Value) -> Result<(), String> {
    let text = |k: &str| op.get(k).and_then(Value::as_str);
    let name = text("op").ok_or("operation without op")?;
    let path = text("path").ok_or_else(|| format!("{name}: operation without path"))?;
    let value = || {
        op.get("value")
            .cloned()
            .ok_or_else(|| format!("{name} {path}: no value"))
    };
    match name {
        "add" => add(doc, path, value()?),
        "remove" => remove(doc, path, true).map(|_| ()),
        "replace" => {
            let v = value()?;
            let target =
                locate_mut(doc, path)?.ok_or_else(|| format!("replace {path}: missing"))?;
            *target = v;
            Ok(())
        }
        "move" => {
            let from = text("from").ok_or("move without from")?;
            let v = remove(doc, from, false)?.ok_or_else(|| format!("move {from}: missing"))?;
            add(doc, path, v)
        }
        "copy" => {
            let from = text("from").ok_or("copy without from")?;
            let v = locate_mut(doc, from)?
                .map(|v| v.clone())
                .ok_or_else(|| format!("copy {from}: missing"))?;
            add(doc, path, v)
        }
        "test" => {
            let expected = value()?;
            let actual = locate_mut(doc, path)?.map(|v| v.clone());
            if actual.as_ref() == Some(&expected) {
                Ok(())
            } else {
                Err(format!("test {path}: value differs"))
            }
        }
        other => Err(format!("unknown operation {other:?}")),
    }
}

/// The pointer's reference tokens, unescaped.
fn tokens(path: &str) -> Result<Vec<String>, String> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let rest = path
        .strip_prefix('/')
        .ok_or_else(|| format!("{path}: a path starts with /"))?;
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

/// An array index; negative ones count from the end (for an insertion, `-1` is after the
/// last element, as in evanphx/json-patch).
fn index(token: &str, len: usize, allow_end: bool) -> Result<usize, String> {
    let i: i64 = token
        .parse()
        .map_err(|_| format!("{token}: not an array index"))?;
    let len_i = len as i64;
    let i = match (i < 0, allow_end) {
        (true, true) => len_i + 1 + i,
        (true, false) => len_i + i,
        _ => i,
    };
    let max = if allow_end { len_i } else { len_i - 1 };
    if i < 0 || i > max {
        return Err(format!("index {token} out of range"));
    }
    Ok(i as usize)
}

fn locate_mut<'a>(doc: &'a mut Value, path: &str) -> Result<Option<&'a mut Value>, String> {
    let mut cur = doc;
    for t in tokens(path)? {
        cur = match cur {
            Value::Object(m) => match m.get_mut(&t) {
                Some(v) => v,
                None => return Ok(None),
            },
            Value::Array(a) => {
                let i = index(&t, a.len(), false)?;
                match a.get_mut(i) {
                    Some(v) => v,
                    None => return Ok(None),
                }
            }
            _ => return Ok(None),
        };
    }
    Ok(Some(cur))
}

/// `add`, creating missing parents as objects (Kyverno's `EnsurePathExistsOnAdd`; a parent
/// whose next token is an index is created as an array).
fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let toks = tokens(path)?;
    let Some((last, parents)) = toks.split_last() else {
        *doc = value;
        return Ok(());
    };
    let mut cur = doc;
    for (n, t) in parents.iter().enumerate() {
        let next_is_index = toks
            .get(n + 1)
            .is_some_and(|k| k == "-" || k.parse::<i64>().is_ok());
        let fresh = || {
            if next_is_index {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            }
        };
        cur = match cur {
            Value::Object(m) => {
                let slot = m.entry(t.clone()).or_insert_with(fresh);
                if slot.is_null() {
                    *slot = fresh();
                }
                slot
            }
            Value::Array(a) => {
                let i = if t == "-" {
                    a.len()
                } else if t.starts_with('-') && a.is_empty() {
                    0
                } else if t.starts_with('-') {
                    index(t, a.len(), false)?
                } else {
                    index(t, a.len(), true)?
                };
                if i == a.len() {
                    a.push(fresh());
                }
                a.get_mut(i)
                    .ok_or_else(|| format!("add {path}: bad index"))?
            }
            _ => return Err(format!("add {path}: parent is not a container")),
        };
    }
    match cur {
        Value::Object(m) => {
            m.insert(last.clone(), value);
        }
        Value::Array(a) => {
            let i = if last == "-" {
                a.len()
            } else {
                index(last, a.len(), true)?
            };
            a.insert(i, value);
        }
        _ => return Err(format!("add {path}: parent is not a container")),
    }
    Ok(())
}

/// Removes and returns the value at `path`; a missing path is `Ok(None)` when `lenient`.
fn remove(doc: &mut Value, path: &str, lenient: bool) -> Result<Option<Value>, String> {
    let toks = tokens(path)?;
    let Some((last, parents)) = toks.split_last() else {
        return Err("remove of the whole document".into());
    };
    let parent_path: String = parents
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect();
    let missing = |lenient: bool| {
        if lenient {
            Ok(None)
        } else {
            Err(format!("{path}: missing"))
        }
    };
    let Some(parent) =
        locate_mut(doc, &parent_path).or_else(|e| if lenient { Ok(None) } else { Err(e) })?
    else {
        return missing(lenient);
    };
    match parent {
        Value::Object(m) => match m.remove(last) {
            Some(v) => Ok(Some(v)),
            None => missing(lenient),
        },
        Value::Array(a) => match index(last, a.len(), false) {
            Ok(i) => Ok(Some(a.remove(i))),
            Err(_) if lenient => Ok(None),
            Err(e) => Err(e),
        },
        _ => missing(lenient),
    }
}
