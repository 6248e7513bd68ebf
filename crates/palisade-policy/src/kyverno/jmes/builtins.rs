//! Function dispatch and the standard JMESPath functions as go-jmespath implements them
//! (`functions.go`): its argument checks, its ordering and its corner cases. Kyverno's own
//! functions live in [`super::custom`]; Kyverno's `sum` replaces the standard one, as its
//! registration overwrites the fork's table entry.

use serde_json::{Map, Value};

use super::ast::Node;
use super::eval::{Arg, Interp};
use super::goformat::{as_f64, go_json, num, type_name};
use super::limits::check_string_len;
use super::JmesError;

/// Argument types of the fork's `ArgSpec`.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum T {
    Num,
    Str,
    Arr,
    Obj,
    ArrNum,
    ArrStr,
    Any,
    Ref,
}

/// Checked arguments: a value or an expression reference, by position.
pub(super) struct Args<'n, 'a> {
    pub(super) name: &'static str,
    pub(super) items: Vec<Arg<'n, 'a>>,
}

impl<'n> Args<'n, '_> {
    pub(super) fn v(&self, i: usize) -> &Value {
        match self.items.get(i) {
            Some(Arg::Value(v)) => v,
            _ => &Value::Null,
        }
    }

    pub(super) fn r(&self, i: usize) -> Result<&'n Node, JmesError> {
        match self.items.get(i) {
            Some(Arg::ExpRef(n)) => Ok(n),
            _ => Err(JmesError::function(
                self.name,
                "expected an expression reference",
            )),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.items.len()
    }

    pub(super) fn str(&self, i: usize) -> &str {
        self.v(i).as_str().unwrap_or_default()
    }

    pub(super) fn f64(&self, i: usize) -> f64 {
        as_f64(self.v(i)).unwrap_or_default()
    }

    pub(super) fn err(&self, message: impl Into<String>) -> JmesError {
        JmesError::function(self.name, message)
    }
}

fn matches(t: T, arg: &Arg) -> bool {
    let v = match arg {
        Arg::ExpRef(_) => return t == T::Ref || t == T::Any,
        Arg::Value(v) => v.as_ref(),
    };
    match t {
        T::Num => v.is_number(),
        T::Str => v.is_string(),
        T::Arr => v.is_array(),
        T::Obj => v.is_object(),
        T::ArrNum => v.as_array().is_some_and(|a| a.iter().all(Value::is_number)),
        T::ArrStr => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        T::Any => true,
        T::Ref => false,
    }
}

/// The fork's `resolveArgs`: exact arity and types, or for a variadic last argument only a
/// minimum arity (no type check, as in Go).
fn check(
    name: &'static str,
    items: &[Arg],
    specs: &[&[T]],
    variadic: bool,
) -> Result<(), JmesError> {
    if specs.is_empty() {
        return Ok(());
    }
    if variadic {
        if items.len() < specs.len() {
            return Err(JmesError::function(name, "Invalid arity."));
        }
        return Ok(());
    }
    if items.len() != specs.len() {
        return Err(JmesError::function(name, "incorrect number of args"));
    }
    for (i, (arg, types)) in items.iter().zip(specs).enumerate() {
        if !types.iter().any(|&t| matches(t, arg)) {
            return Err(JmesError::function(
                name,
                format!("invalid type for argument {}", i + 1),
            ));
        }
    }
    Ok(())
}

/// Calls `name` with evaluated arguments.
pub(super) fn call(interp: &mut Interp, name: &str, items: Vec<Arg>) -> Result<Value, JmesError> {
    let Some((fname, specs, variadic)) = signature(name) else {
        return Err(JmesError::function(
            name,
            format!("unknown function: {name}"),
        ));
    };
    check(fname, &items, specs, variadic)?;
    let a = Args { name: fname, items };
    if let Some(out) = standard(interp, &a)? {
        return Ok(out);
    }
    super::custom::call(interp, &a)
}

type Sig = (&'static str, &'static [&'static [T]], bool);

/// Every function Kyverno's engine knows, with the fork's argument specs.
pub(super) fn signature(name: &str) -> Option<Sig> {
    use T::*;
    const S: &[T] = &[Str];
    const N: &[T] = &[Num];
    const A: &[T] = &[Any];
    const SN: &[T] = &[Str, Num];
    Some(match name {
        // Standard JMESPath (go-jmespath).
        "abs" => ("abs", &[N], false),
        "avg" => ("avg", &[&[ArrNum]], false),
        "ceil" => ("ceil", &[N], false),
        "contains" => ("contains", &[&[Arr, Str], A], false),
        "ends_with" => ("ends_with", &[S, S], false),
        "floor" => ("floor", &[N], false),
        "join" => ("join", &[S, &[ArrStr]], false),
        "keys" => ("keys", &[&[Obj]], false),
        "length" => ("length", &[&[Str, Arr, Obj]], false),
        "map" => ("map", &[&[Ref], &[Arr]], false),
        "max" => ("max", &[&[ArrNum, ArrStr]], false),
        "max_by" => ("max_by", &[&[Arr], &[Ref]], false),
        "merge" => ("merge", &[&[Obj]], true),
        "min" => ("min", &[&[ArrNum, ArrStr]], false),
        "min_by" => ("min_by", &[&[Arr], &[Ref]], false),
        "not_null" => ("not_null", &[A], true),
        "reverse" => ("reverse", &[&[Arr, Str]], false),
        "sort" => ("sort", &[&[ArrStr, ArrNum]], false),
        "sort_by" => ("sort_by", &[&[Arr], &[Ref]], false),
        "starts_with" => ("starts_with", &[S, S], false),
        "to_array" => ("to_array", &[A], false),
        "to_string" => ("to_string", &[A], false),
        "to_number" => ("to_number", &[A], false),
        "type" => ("type", &[A], false),
        "values" => ("values", &[&[Obj]], false),
        // Kyverno (pkg/engine/jmespath).
        "compare" => ("compare", &[S, S], false),
        "equal_fold" => ("equal_fold", &[S, S], false),
        "replace" => ("replace", &[S, S, S, N], false),
        "replace_all" => ("replace_all", &[S, S, S], false),
        "to_upper" => ("to_upper", &[S], false),
        "to_lower" => ("to_lower", &[S], false),
        "trim" => ("trim", &[S, S], false),
        "trim_prefix" => ("trim_prefix", &[S, S], false),
        "split" => ("split", &[S, S], false),
        "regex_replace_all" => ("regex_replace_all", &[S, SN, SN], false),
        "regex_replace_all_literal" => ("regex_replace_all_literal", &[S, SN, SN], false),
        "regex_match" => ("regex_match", &[S, SN], false),
        "pattern_match" => ("pattern_match", &[S, SN], false),
        "label_match" => ("label_match", &[&[Obj], &[Obj]], false),
        "to_boolean" => ("to_boolean", &[S], false),
        "add" => ("add", &[A, A], false),
        "sum" => ("sum", &[&[Arr]], false),
        "subtract" => ("subtract", &[A, A], false),
        "multiply" => ("multiply", &[A, A], false),
        "divide" => ("divide", &[A, A], false),
        "modulo" => ("modulo", &[A, A], false),
        "round" => ("round", &[N, N], false),
        "base64_decode" => ("base64_decode", &[S], false),
        "base64_encode" => ("base64_encode", &[S], false),
        "time_since" => ("time_since", &[S, S, S], false),
        "time_now" => ("time_now", &[], false),
        "time_now_utc" => ("time_now_utc", &[], false),
        "path_canonicalize" => ("path_canonicalize", &[S], false),
        "truncate" => ("truncate", &[S, N], false),
        "semver_compare" => ("semver_compare", &[S, S], false),
        "parse_json" => ("parse_json", &[S], false),
        "parse_yaml" => ("parse_yaml", &[S], false),
        "lookup" => ("lookup", &[&[Obj, Arr], SN], false),
        "items" => ("items", &[&[Obj, Arr], S, S], false),
        "object_from_lists" => ("object_from_lists", &[&[Arr], &[Arr]], false),
        "random" => ("random", &[S], false),
        "x509_decode" => ("x509_decode", &[S], false),
        "time_to_cron" => ("time_to_cron", &[S], false),
        "time_add" => ("time_add", &[S, S], false),
        "time_parse" => ("time_parse", &[S, S], false),
        "time_utc" => ("time_utc", &[S], false),
        "time_diff" => ("time_diff", &[S, S], false),
        "time_before" => ("time_before", &[S, S], false),
        "time_after" => ("time_after", &[S, S], false),
        "time_between" => ("time_between", &[S, S, S], false),
        "time_truncate" => ("time_truncate", &[S, S], false),
        "image_normalize" => ("image_normalize", &[S], false),
        "is_external_url" => ("is_external_url", &[S], false),
        "sha256" => ("sha256", &[S], false),
        "sha1" => ("sha1", &[S], false),
        "md5" => ("md5", &[S], false),
        _ => return None,
    })
}

/// The standard functions; `None` for names handled elsewhere.
fn standard(interp: &mut Interp, a: &Args) -> Result<Option<Value>, JmesError> {
    let f = a.name;
    Ok(Some(match f {
        "abs" => num(f, a.f64(0).abs())?,
        "ceil" => num(f, a.f64(0).ceil())?,
        "floor" => num(f, a.f64(0).floor())?,
        "avg" => {
            let items = a.v(0).as_array().map(Vec::as_slice).unwrap_or_default();
            let total: f64 = items.iter().filter_map(as_f64).sum();
            num(f, total / items.len() as f64)?
        }
        "length" => Value::from(match a.v(0) {
            Value::String(s) => s.chars().count(),
            Value::Array(x) => x.len(),
            Value::Object(o) => o.len(),
            _ => return Err(a.err("could not compute length()")),
        }),
        "starts_with" => Value::Bool(a.str(0).starts_with(a.str(1))),
        "ends_with" => Value::Bool(a.str(0).ends_with(a.str(1))),
        "contains" => contains(a)?,
        "join" => {
            let items = a.v(1).as_array().map(Vec::as_slice).unwrap_or_default();
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            let sep = a.str(0);
            let total = parts.iter().map(|p| p.len()).sum::<usize>()
                + sep.len().saturating_mul(parts.len().saturating_sub(1));
            check_string_len(total)?;
            Value::String(parts.join(sep))
        }
        "keys" => Value::Array(
            a.v(0)
                .as_object()
                .map(|o| o.keys().cloned().map(Value::String).collect())
                .unwrap_or_default(),
        ),
        "values" => Value::Array(
            a.v(0)
                .as_object()
                .map(|o| o.values().cloned().collect())
                .unwrap_or_default(),
        ),
        "max" | "min" => extreme(a, f == "max")?,
        "max_by" | "min_by" => extreme_by(interp, a, f == "max_by")?,
        "sort" => sort(a)?,
        "sort_by" => sort_by(interp, a)?,
        "map" => {
            let node = a.r(0)?;
            let items = a.v(1).as_array().map(Vec::as_slice).unwrap_or_default();
            let mut out = Vec::with_capacity(items.len());
            for el in items {
                out.push(interp.apply(node, el)?);
            }
            Value::Array(out)
        }
        "merge" => {
            let mut out = Map::new();
            for i in 0..a.len() {
                let Value::Object(o) = a.v(i) else {
                    return Err(a.err(format!("argument {} is not an object", i + 1)));
                };
                for (k, v) in o {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Object(out)
        }
        "not_null" => (0..a.len())
            .map(|i| a.v(i))
            .find(|v| !v.is_null())
            .cloned()
            .unwrap_or(Value::Null),
        "reverse" => match a.v(0) {
            Value::String(s) => Value::String(s.chars().rev().collect()),
            Value::Array(x) => Value::Array(x.iter().rev().cloned().collect()),
            _ => Value::Null,
        },
        "to_array" => match a.v(0) {
            Value::Array(x) => Value::Array(x.clone()),
            v => Value::Array(vec![v.clone()]),
        },
        "to_string" => match a.v(0) {
            Value::String(s) => Value::String(s.clone()),
            v => {
                let mut out = String::new();
                go_json(v, &mut out);
                Value::String(out)
            }
        },
        "to_number" => to_number(a)?,
        "type" => Value::String(type_name(a.v(0)).to_string()),
        _ => return Ok(None),
    }))
}

fn contains(a: &Args) -> Result<Value, JmesError> {
    let el = a.v(1);
    if let Value::String(s) = a.v(0) {
        return Ok(Value::Bool(el.as_str().is_some_and(|e| s.contains(e))));
    }
    let items = a.v(0).as_array().map(Vec::as_slice).unwrap_or_default();
    for item in items {
        let same_container = matches!(
            (item, el),
            (Value::Array(_), Value::Array(_)) | (Value::Object(_), Value::Object(_))
        );
        if same_container {
            // Go compares with `==`, which panics on two maps or two slices.
            return Err(a.err("cannot compare arrays or objects"));
        }
        let equal = match (item, el) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => {
                false
            }
            (x, y) => x == y,
        };
        if equal {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn extreme(a: &Args, max: bool) -> Result<Value, JmesError> {
    let items = a.v(0).as_array().map(Vec::as_slice).unwrap_or_default();
    let better = |x: &Value, best: &Value| -> bool {
        match (x, best) {
            (Value::Number(_), Value::Number(_)) => {
                let (x, b) = (
                    as_f64(x).unwrap_or_default(),
                    as_f64(best).unwrap_or_default(),
                );
                if max {
                    x > b
                } else {
                    x < b
                }
            }
            (Value::String(x), Value::String(b)) => {
                if max {
                    x > b
                } else {
                    x < b
                }
            }
            _ => false,
        }
    };
    let mut best: Option<&Value> = None;
    for x in items {
        if best.is_none_or(|b| better(x, b)) {
            best = Some(x);
        }
    }
    Ok(match best {
        Some(Value::Number(n)) => num(a.name, n.as_f64().unwrap_or_default())?,
        Some(v) => v.clone(),
        None => Value::Null,
    })
}

fn extreme_by(interp: &mut Interp, a: &Args, max: bool) -> Result<Value, JmesError> {
    let items = a.v(0).as_array().map(Vec::as_slice).unwrap_or_default();
    let node = a.r(1)?;
    let Some(first) = items.first() else {
        return Ok(Value::Null);
    };
    if items.len() == 1 {
        return Ok(first.clone());
    }
    let start = interp.apply(node, first)?;
    let mut best = first;
    match start {
        Value::Number(n) => {
            let mut best_val = n.as_f64().unwrap_or_default();
            for item in &items[1..] {
                let Some(cur) = as_f64(&interp.apply(node, item)?) else {
                    return Err(a.err("invalid type, must be number"));
                };
                if (max && cur > best_val) || (!max && cur < best_val) {
                    best_val = cur;
                    best = item;
                }
            }
        }
        Value::String(s) => {
            let mut best_val = s;
            for item in &items[1..] {
                let Value::String(cur) = interp.apply(node, item)? else {
                    return Err(a.err("invalid type, must be string"));
                };
                if (max && cur > best_val) || (!max && cur < best_val) {
                    best_val = cur;
                    best = item;
                }
            }
        }
        _ => return Err(a.err("invalid type, must be number of string")),
    }
    Ok(best.clone())
}

fn sort(a: &Args) -> Result<Value, JmesError> {
    let items = a.v(0).as_array().map(Vec::as_slice).unwrap_or_default();
    if items.iter().all(Value::is_number) {
        let mut nums: Vec<f64> = items.iter().filter_map(as_f64).collect();
        nums.sort_by(|x, y| x.total_cmp(y));
        return Ok(Value::Array(
            nums.into_iter()
                .map(|n| num(a.name, n))
                .collect::<Result<_, _>>()?,
        ));
    }
    let mut strs: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    strs.sort();
    Ok(Value::Array(
        strs.into_iter()
            .map(|s| Value::String(s.to_string()))
            .collect(),
    ))
}

fn sort_by(interp: &mut Interp, a: &Args) -> Result<Value, JmesError> {
    let items = a.v(0).as_array().map(Vec::as_slice).unwrap_or_default();
    let node = a.r(1)?;
    if items.len() < 2 {
        return Ok(Value::Array(items.to_vec()));
    }
    // Go evaluates the key inside every comparison and fails on any error or mixed type; a
    // stable sort of n >= 2 items compares each at least once, so keys computed up front fail
    // exactly when Go's would.
    let first = interp.apply(node, &items[0])?;
    let fail = || a.err("error in sort_by comparison");
    match first {
        Value::Number(_) => {
            let mut keyed = Vec::with_capacity(items.len());
            for item in items {
                let k = interp.apply_strict(node, item).map_err(|_| fail())?;
                keyed.push((as_f64(&k).ok_or_else(fail)?, item));
            }
            keyed.sort_by(|x, y| x.0.total_cmp(&y.0));
            Ok(Value::Array(
                keyed.into_iter().map(|(_, v)| v.clone()).collect(),
            ))
        }
        Value::String(_) => {
            let mut keyed = Vec::with_capacity(items.len());
            for item in items {
                let k = interp.apply_strict(node, item).map_err(|_| fail())?;
                let Value::String(s) = k else {
                    return Err(fail());
                };
                keyed.push((s, item));
            }
            keyed.sort_by(|x, y| x.0.cmp(&y.0));
            Ok(Value::Array(
                keyed.into_iter().map(|(_, v)| v.clone()).collect(),
            ))
        }
        _ => Err(a.err("invalid type, must be number of string")),
    }
}

fn to_number(a: &Args) -> Result<Value, JmesError> {
    Ok(match a.v(0) {
        Value::Number(n) => num(a.name, n.as_f64().unwrap_or_default())?,
        Value::String(s) => {
            let body = s.trim_start_matches(['+', '-']);
            if body.starts_with("0x") || body.starts_with("0X") || s.contains('_') {
                // Go's ParseFloat reads hex floats and digit separators; not reproduced.
                return Err(JmesError::unsupported(a.name));
            }
            match s.parse::<f64>() {
                Ok(f) if f.is_finite() => num(a.name, f)?,
                // Overflow: Go returns an error and to_number null. "Inf"/"NaN" parse in Go too
                // but cannot be returned as JSON.
                Ok(_) => {
                    let l = body.to_ascii_lowercase();
                    if l == "inf" || l == "infinity" || l == "nan" {
                        return Err(a.err("result is not a finite number"));
                    }
                    Value::Null
                }
                Err(_) => Value::Null,
            }
        }
        _ => Value::Null,
    })
}
