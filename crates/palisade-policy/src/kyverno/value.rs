//! Scalar patterns (`pattern.Validate` in Kyverno): `"?*"`, `">=1"`, `"5000-6000"`,
//! `"!default"`, `"1Gi | 2Gi"`, `"true"` against a resource value.

use super::scalar::{parse_duration, parse_quantity};
use super::wildcard;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal,
    MoreEqual,
    LessEqual,
    NotEqual,
    More,
    Less,
    InRange,
    NotInRange,
}

impl Op {
    fn prefix_len(self) -> usize {
        match self {
            Op::MoreEqual | Op::LessEqual => 2,
            Op::NotEqual | Op::More | Op::Less => 1,
            _ => 0,
        }
    }
}

static IN_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([-|\+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|\+]?\d+(?:\.\d+)?[A-Za-z]*)$")
        .expect("static regex")
});
static NOT_IN_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([-|\+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|\+]?\d+(?:\.\d+)?[A-Za-z]*)$")
        .expect("static regex")
});

fn operator_of(pattern: &str) -> Op {
    if pattern.len() < 2 {
        return Op::Equal;
    }
    for (p, op) in [
        (">=", Op::MoreEqual),
        ("<=", Op::LessEqual),
        (">", Op::More),
        ("<", Op::Less),
        ("!", Op::NotEqual),
    ] {
        if pattern.starts_with(p) {
            return op;
        }
    }
    if NOT_IN_RANGE.is_match(pattern) {
        return Op::NotInRange;
    }
    if IN_RANGE.is_match(pattern) {
        return Op::InRange;
    }
    Op::Equal
}

/// Whether the string is a range (`5000-6000`) as Kyverno's operators read it.
pub fn is_range(s: &str) -> bool {
    s.len() >= 2 && operator_of(s) == Op::InRange
}

/// `pattern.Validate(value, pattern)` for a scalar (or null) pattern.
pub fn validate(value: &Value, pattern: &Value) -> bool {
    match pattern {
        Value::Bool(b) => value.as_bool() == Some(*b),
        Value::Number(n) => {
            let p = n.as_f64().unwrap_or(f64::NAN);
            match value {
                Value::Number(v) => v.as_f64() == Some(p),
                Value::String(s) if n.is_f64() => s.parse::<f64>().ok() == Some(p),
                Value::String(s) => s.parse::<i64>().ok().map(|i| i as f64) == Some(p),
                _ => false,
            }
        }
        Value::Null => match value {
            Value::Null => true,
            Value::Number(v) => v.as_f64() == Some(0.0),
            Value::String(s) => s.is_empty(),
            Value::Bool(b) => !b,
            _ => false,
        },
        Value::Object(_) => value.is_object(),
        Value::Array(_) => false,
        Value::String(p) => validate_string_patterns(value, p),
    }
}

fn validate_string_patterns(value: &Value, pattern: &str) -> bool {
    if value.as_str() == Some(pattern) {
        return true;
    }
    pattern.split('|').any(|alt| {
        alt.trim()
            .split('&')
            .all(|cond| validate_string_pattern(value, cond.trim()))
    })
}

fn validate_string_pattern(value: &Value, pattern: &str) -> bool {
    let op = operator_of(pattern);
    match op {
        Op::InRange => IN_RANGE.captures(pattern).is_some_and(|c| {
            validate_string_pattern(value, &format!(">= {}", &c[1]))
                && validate_string_pattern(value, &format!("<= {}", &c[2]))
        }),
        Op::NotInRange => NOT_IN_RANGE.captures(pattern).is_some_and(|c| {
            validate_string_pattern(value, &format!("< {}", &c[1]))
                || validate_string_pattern(value, &format!("> {}", &c[2]))
        }),
        _ => {
            let rest = pattern.get(op.prefix_len()..).unwrap_or("").trim();
            compare(value, rest, op)
        }
    }
}

/// The text Kyverno's `convertNumberToString` gives a value: nil is "0", floats `%f`.
fn number_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some("0".into()),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_f64() => Some(format!("{:.6}", n.as_f64().unwrap_or(0.0))),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn ordered(op: Op, ord: std::cmp::Ordering) -> Option<bool> {
    use std::cmp::Ordering::*;
    Some(match op {
        Op::Equal => ord == Equal,
        Op::NotEqual => ord != Equal,
        Op::More => ord == Greater,
        Op::Less => ord == Less,
        Op::MoreEqual => ord != Less,
        Op::LessEqual => ord != Greater,
        _ => return None,
    })
}

fn compare(value: &Value, pattern: &str, op: Op) -> bool {
    if let (Some(p), Some(v)) = (
        parse_duration(pattern),
        number_text(value).and_then(|t| parse_duration(&t)),
    ) {
        if let Some(r) = v.partial_cmp(&p).and_then(|o| ordered(op, o)) {
            return r;
        }
    }
    if let (Some(p), Some(v)) = (
        parse_quantity(pattern),
        number_text(value).and_then(|t| parse_quantity(&t)),
    ) {
        if let Some(r) = v.partial_cmp(&p).and_then(|o| ordered(op, o)) {
            return r;
        }
    }
    if !matches!(op, Op::Equal | Op::NotEqual) {
        return false;
    }
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_f64() => go_e_format(n.as_f64().unwrap_or(0.0)),
        Value::Number(n) => n.to_string(),
        _ => return false,
    };
    let hit = wildcard::matches(pattern, &text);
    if op == Op::NotEqual {
        !hit
    } else {
        hit
    }
}

/// `strconv.FormatFloat(v, 'E', -1, 64)`: `1.5E+00`.
fn go_e_format(f: f64) -> String {
    let s = format!("{f:E}");
    match s.split_once('E') {
        Some((m, e)) => {
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', e),
            };
            format!("{m}E{sign}{digits:0>2}")
        }
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards_and_alternatives() {
        assert!(validate(&json!("nginx"), &json!("?*")));
        assert!(!validate(&json!(""), &json!("?*")));
        assert!(validate(
            &json!("Localhost"),
            &json!("RuntimeDefault | Localhost")
        ));
        assert!(!validate(
            &json!("Unconfined"),
            &json!("RuntimeDefault | Localhost")
        ));
        assert!(validate(&json!(false), &json!("false")));
        assert!(!validate(&json!(true), &json!("false")));
        assert!(validate(&json!("prod"), &json!("!default")));
        assert!(!validate(&json!("default"), &json!("!default")));
    }

    #[test]
    fn numbers_ranges_quantities() {
        assert!(validate(&json!(5500), &json!("5000-6000")));
        assert!(!validate(&json!(80), &json!("5000-6000")));
        assert!(validate(&json!(80), &json!("5000!-6000")));
        assert!(validate(&json!(1001), &json!(">1000")));
        assert!(!validate(&json!(0), &json!(">0")));
        assert!(validate(&json!("2Gi"), &json!(">=1Gi")));
        assert!(validate(&json!("500m"), &json!("<1")));
        assert!(validate(&json!(0), &json!(0)));
        assert!(validate(&json!("0"), &json!(0)));
        assert!(validate(&json!(null), &json!(null)));
        assert!(validate(&json!(""), &json!(null)));
        assert!(validate(&json!(null), &json!("0")));
        assert!(!validate(&json!(null), &json!("?*")));
    }

    #[test]
    fn go_float_formats() {
        assert_eq!(go_e_format(1.5), "1.5E+00");
        assert_eq!(go_e_format(0.001), "1E-03");
    }
}
