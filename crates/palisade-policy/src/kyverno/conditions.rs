//! Condition operators of `preconditions` and `validate.deny.conditions`, with the type rules
//! of Kyverno's operator handlers (`pkg/engine/variables/operator`).

use super::scalar::{go_sprint, parse_duration, parse_quantity};
use super::{value, wildcard};
use serde_json::Value;

/// Applies `operator` (case-insensitive, as Kyverno reads it) to a substituted key and value.
/// `Err` for an operator Kyverno does not know.
pub fn evaluate(operator: &str, key: &Value, value: &Value) -> Result<bool, String> {
    let op = operator.to_ascii_lowercase();
    Ok(match op.as_str() {
        "equal" | "equals" => equals(key, value),
        "notequal" | "notequals" => not_equals(key, value),
        "in" => membership(key, value, Set::In),
        "notin" => membership(key, value, Set::NotIn),
        "anyin" => membership(key, value, Set::AnyIn),
        "allin" => membership(key, value, Set::AllIn),
        "anynotin" => membership(key, value, Set::AnyNotIn),
        "allnotin" => membership(key, value, Set::AllNotIn),
        "greaterthan" | "greaterthanorequals" | "lessthan" | "lessthanorequals" => {
            numeric(key, value, &op)
        }
        "durationgreaterthan"
        | "durationgreaterthanorequals"
        | "durationlessthan"
        | "durationlessthanorequals" => duration_op(key, value, &op),
        _ => return Err(format!("unknown condition operator {operator:?}")),
    })
}

/// Kyverno's `parseDuration(key, value)`: at least one side a duration string (not "0"),
/// numbers counting as seconds; in nanoseconds.
fn durations(key: &Value, value: &Value) -> Option<(f64, f64)> {
    let as_duration = |v: &Value| match v {
        Value::String(s) if s != "0" => parse_duration(s),
        _ => None,
    };
    let (k, v) = (as_duration(key), as_duration(value));
    if k.is_none() && v.is_none() {
        return None;
    }
    let seconds = |v: &Value| v.as_f64().map(|n| n.trunc() * 1e9);
    Some((k.or_else(|| seconds(key))?, v.or_else(|| seconds(value))?))
}

fn equals(key: &Value, value: &Value) -> bool {
    match key {
        Value::Bool(b) => value.as_bool() == Some(*b),
        Value::Number(n) => number_equals(n.as_f64().unwrap_or(f64::NAN), n.is_f64(), value),
        Value::String(k) => {
            if let Some((a, b)) = durations(key, value) {
                return a == b;
            }
            if let (Some(kq), Value::String(v)) = (parse_quantity(k), value) {
                return parse_quantity(v) == Some(kq);
            }
            value.as_str().is_some_and(|v| wildcard::matches(v, k))
        }
        Value::Array(_) | Value::Object(_) => key == value,
        Value::Null => false,
    }
}

fn number_equals(k: f64, is_float: bool, value: &Value) -> bool {
    match value {
        Value::Number(v) => v.as_f64() == Some(k),
        Value::String(s) if is_float => s.parse::<f64>().ok() == Some(k),
        Value::String(s) => s.parse::<i64>().ok().map(|i| i as f64) == Some(k),
        _ => false,
    }
}

fn not_equals(key: &Value, value: &Value) -> bool {
    match key {
        Value::Bool(b) => value.as_bool() != Some(*b),
        Value::Number(n) => {
            let k = n.as_f64().unwrap_or(f64::NAN);
            match value {
                Value::Number(v) => v.as_f64() != Some(k),
                Value::String(s) if n.is_f64() => s.parse::<f64>().ok() != Some(k),
                Value::String(s) => s.parse::<i64>().ok().map(|i| i as f64) != Some(k),
                _ => true,
            }
        }
        Value::String(k) => {
            if let Some((a, b)) = durations(key, value) {
                return a != b;
            }
            if let (Some(kq), Value::String(v)) = (parse_quantity(k), value) {
                if !v.is_empty() {
                    return parse_quantity(v) != Some(kq);
                }
            }
            value.as_str().is_none_or(|v| !wildcard::matches(v, k))
        }
        Value::Array(_) | Value::Object(_) => key != value,
        Value::Null => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Set {
    In,
    NotIn,
    AnyIn,
    AllIn,
    AnyNotIn,
    AllNotIn,
}

fn either_matches(a: &str, b: &str) -> bool {
    wildcard::matches(a, b) || wildcard::matches(b, a)
}

/// A string value that is a JSON array of strings, else the string itself
/// (`json.Valid` then `Unmarshal` into `[]string`); `None` for JSON that is not a string array.
fn string_list(s: &str) -> Option<Vec<String>> {
    match serde_json::from_str::<Value>(s) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        Ok(_) => None,
        Err(_) => Some(vec![s.to_string()]),
    }
}

fn membership(key: &Value, value: &Value, set: Set) -> bool {
    // `In`/`NotIn` keep Kyverno's older, stricter rules: exact string members, lists of
    // strings only.
    let strict = matches!(set, Set::In | Set::NotIn);
    let keys: Vec<String> = match key {
        Value::String(s) => return single(s, value, set),
        Value::Number(_) | Value::Bool(_) => return single(&go_sprint(key), value, set),
        Value::Array(items) => {
            if strict && items.iter().any(|i| !i.is_string()) {
                // Kyverno's `v.(string)` would panic; the webhook recovers it as an error.
                return false;
            }
            items.iter().map(go_sprint).collect()
        }
        _ => return false,
    };
    let values: Vec<String> = match value {
        Value::Array(items) => {
            if strict && items.iter().any(|i| !i.is_string()) {
                return false;
            }
            items.iter().map(go_sprint).collect()
        }
        Value::Number(_) | Value::Bool(_) if !strict => vec![go_sprint(value)],
        Value::String(s) => {
            if keys.len() == 1 && keys[0] == *s {
                return matches!(set, Set::In | Set::AnyIn | Set::AllIn);
            }
            if !strict && value::is_range(s) {
                return range_set(&keys, s, set);
            }
            if strict {
                match serde_json::from_str::<Vec<String>>(s) {
                    Ok(v) => v,
                    Err(_) => return false,
                }
            } else {
                match string_list(s) {
                    Some(v) => v,
                    None => return false,
                }
            }
        }
        _ => return false,
    };
    let found = |k: &String| {
        if strict {
            values.iter().any(|v| v == k)
        } else {
            values.iter().any(|v| either_matches(k, v))
        }
    };
    match set {
        Set::In | Set::AllIn => keys.iter().all(found),
        Set::NotIn | Set::AnyNotIn => keys.iter().any(|k| !found(k)),
        Set::AnyIn => keys.iter().any(found),
        Set::AllNotIn => !keys.iter().any(found),
    }
}

fn range_set(keys: &[String], range: &str, set: Set) -> bool {
    let in_range =
        |k: &String| value::validate(&Value::String(k.clone()), &Value::String(range.into()));
    match set {
        Set::AnyIn => keys.iter().any(in_range),
        Set::AllIn => keys.iter().all(in_range),
        // Kyverno rewrites `a-b` to `a!-b` for AnyNotIn.
        Set::AnyNotIn => {
            let not = range.replacen('-', "!-", 1);
            keys.iter()
                .any(|k| value::validate(&Value::String(k.clone()), &Value::String(not.clone())))
        }
        Set::AllNotIn => !keys.iter().any(in_range),
        Set::In | Set::NotIn => false,
    }
}

/// A single (string) key against a list or string value.
fn single(key: &str, value: &Value, set: Set) -> bool {
    let strict = matches!(set, Set::In | Set::NotIn);
    let exists: Option<bool> = match value {
        Value::Array(items) => Some(items.iter().any(|v| either_matches(&go_sprint(v), key))),
        Value::String(s) => {
            if wildcard::matches(s, key) {
                Some(true)
            } else if !strict && value::is_range(s) {
                Some(value::validate(&Value::String(key.into()), value))
            } else if strict {
                serde_json::from_str::<Vec<String>>(s)
                    .ok()
                    .map(|arr| arr.iter().any(|v| v == key))
            } else {
                string_list(s).map(|arr| arr.iter().any(|v| v == key))
            }
        }
        _ => None,
    };
    let Some(exists) = exists else {
        return false;
    };
    match set {
        Set::In | Set::AnyIn | Set::AllIn => exists,
        Set::NotIn | Set::AnyNotIn | Set::AllNotIn => !exists,
    }
}

fn compare(a: f64, b: f64, op: &str) -> bool {
    match op.trim_start_matches("duration") {
        "greaterthan" => a > b,
        "greaterthanorequals" => a >= b,
        "lessthan" => a < b,
        "lessthanorequals" => a <= b,
        _ => false,
    }
}

fn numeric(key: &Value, value: &Value, op: &str) -> bool {
    match key {
        Value::Number(n) => numeric_number(n.as_f64().unwrap_or(f64::NAN), key, value, op),
        Value::String(k) => {
            if let Some((a, b)) = durations(key, value) {
                return compare(a, b, op);
            }
            if let (Some(kq), Some(vq)) =
                (parse_quantity(k), value.as_str().and_then(parse_quantity))
            {
                return compare(kq, vq, op);
            }
            if let Ok(f) = k.parse::<f64>() {
                return numeric_number(f, key, value, op);
            }
            if let (Ok(kv), Some(Ok(vv))) = (
                semver::Version::parse(k.trim_start_matches('v')),
                value
                    .as_str()
                    .map(|v| semver::Version::parse(v.trim_start_matches('v'))),
            ) {
                return compare(cmp_num(kv.cmp(&vv)), 0.0, op);
            }
            false
        }
        _ => false,
    }
}

fn cmp_num(o: std::cmp::Ordering) -> f64 {
    match o {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }
}

fn numeric_number(k: f64, key: &Value, value: &Value, op: &str) -> bool {
    match value {
        Value::Number(v) => compare(k, v.as_f64().unwrap_or(f64::NAN), op),
        Value::String(s) => {
            if let Some((a, b)) = durations(key, value) {
                return compare(a, b, op);
            }
            match s.parse::<f64>() {
                Ok(v) => compare(k, v, op),
                Err(_) => false,
            }
        }
        _ => false,
    }
}

fn duration_op(key: &Value, value: &Value, op: &str) -> bool {
    let as_dur = |v: &Value| match v {
        Value::Number(n) => n.as_f64().map(|f| f.trunc() * 1e9),
        Value::String(s) => parse_duration(s),
        _ => None,
    };
    match (as_dur(key), as_dur(value)) {
        (Some(a), Some(b)) => compare(a, b, op),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::evaluate;
    use serde_json::json;

    fn ev(op: &str, k: serde_json::Value, v: serde_json::Value) -> bool {
        evaluate(op, &k, &v).expect("known operator")
    }

    #[test]
    fn set_operators() {
        let allowed = json!(["AUDIT_WRITE", "CHOWN", "KILL"]);
        assert!(!ev("AnyNotIn", json!(["CHOWN"]), allowed.clone()));
        assert!(ev(
            "AnyNotIn",
            json!(["CHOWN", "NET_ADMIN"]),
            allowed.clone()
        ));
        assert!(!ev("AnyNotIn", json!([]), allowed.clone()));
        assert!(ev("AnyIn", json!(["NET_ADMIN", "KILL"]), allowed.clone()));
        assert!(!ev("AllIn", json!(["NET_ADMIN", "KILL"]), allowed.clone()));
        assert!(ev("AllNotIn", json!(["NET_ADMIN"]), allowed.clone()));
        assert!(ev("AnyIn", json!(["SYS_*"]), json!(["SYS_ADMIN"])));
        assert!(ev("In", json!("CREATE"), json!(["CREATE", "UPDATE"])));
        assert!(ev("NotIn", json!("DELETE"), json!(["CREATE", "UPDATE"])));
    }

    #[test]
    fn ranges() {
        assert!(ev("AnyNotIn", json!([80]), json!("5000-6000")));
        assert!(!ev("AnyNotIn", json!([5500]), json!("5000-6000")));
        assert!(!ev("AnyNotIn", json!([]), json!("5000-6000")));
        assert!(ev("AnyIn", json!([5500]), json!("5000-6000")));
        assert!(!ev("AnyNotIn", json!([0]), json!([0])));
    }

    #[test]
    fn equality_and_numbers() {
        assert!(ev("Equals", json!("nginx"), json!("ngi*")));
        assert!(ev("NotEquals", json!("CREATE"), json!("DELETE")));
        assert!(!ev("NotEquals", json!("DELETE"), json!("DELETE")));
        assert!(ev("Equals", json!(true), json!(true)));
        assert!(ev("Equals", json!(3), json!("3")));
        assert!(ev("Equals", json!("1Gi"), json!("1024Mi")));
        assert!(ev("GreaterThan", json!(5), json!(3)));
        assert!(ev("GreaterThan", json!("2Gi"), json!("1Gi")));
        assert!(ev("LessThanOrEquals", json!("1h"), json!("2h")));
        assert!(ev("GreaterThan", json!("1.10.0"), json!("1.9.0")));
        assert!(ev("DurationGreaterThan", json!("2h"), json!(3600)));
        assert!(evaluate("Banana", &json!(1), &json!(1)).is_err());
    }
}
