//! Go's view of JSON values: every number is a float64, truthiness and deep equality as in
//! go-jmespath's `util.go`, and the few Go number formatters Kyverno's functions print with.

use serde_json::{Number, Value};

use super::JmesError;

/// A JSON number as Go's float64.
pub(super) fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// A float64 result as JSON: integral values within 2^53 print as integers (as Go's encoder
/// prints `3` for float64 3), others as floats. Go would fail to encode NaN and infinities.
pub(super) fn num(function: &str, f: f64) -> Result<Value, JmesError> {
    if !f.is_finite() {
        return Err(JmesError::function(
            function,
            format!("result is not a finite number: {f}"),
        ));
    }
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        // Exact: integral and below 2^53. `-0.0` becomes 0 as Go prints it.
        return Ok(Value::Number(Number::from(f as i64)));
    }
    Ok(Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null))
}

/// go-jmespath's `isFalse`.
pub(super) fn is_false(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(_) => false,
    }
}

/// `reflect.DeepEqual` on decoded JSON: numbers compare as float64.
pub(super) fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

/// go-jmespath's `type()` names.
pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Shortest decimal digits and exponent of a finite, non-zero |f|: `f = 0.d1d2... * 10^dp`
/// (Go's `decimalSlice` digits and decimal point), from Rust's shortest round-trip printing,
/// which picks the same digits as Go's `strconv` shortest mode.
pub(super) fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// `strconv.FormatFloat(f, 'f', -1, 32)`: the float32 nearest to `f`, shortest, no exponent.
/// Kyverno's `ifaceToString` prints numbers this way for the regex and pattern functions.
pub(super) fn format_f32(f: f64) -> String {
    let g = f as f32;
    if g.is_nan() {
        return "NaN".to_string();
    }
    if g.is_infinite() {
        return if g > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if g == 0.0 {
        return if g.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // Rust's Display for f32 is the shortest round-trip form without exponent, as Go's 'f', -1.
    format!("{g}")
}

/// `math.Pow10`, table-driven as Go computes it so products round identically.
pub(super) fn go_pow10(n: i32) -> f64 {
    const TAB: [f64; 32] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31,
    ];
    const POS32: [f64; 10] = [
        1e0, 1e32, 1e64, 1e96, 1e128, 1e160, 1e192, 1e224, 1e256, 1e288,
    ];
    const NEG32: [f64; 11] = [
        1e-0, 1e-32, 1e-64, 1e-96, 1e-128, 1e-160, 1e-192, 1e-224, 1e-256, 1e-288, 1e-320,
    ];
    if (0..=308).contains(&n) {
        let n = n as usize;
        return POS32[n / 32] * TAB[n % 32];
    }
    if (-323..=0).contains(&n) {
        let m = (-n) as usize;
        return NEG32[m / 32] / TAB[m % 32];
    }
    if n > 0 {
        f64::INFINITY
    } else {
        0.0
    }
}

/// Go's `json.Marshal` of a decoded value, as `to_string` prints it: compact, keys sorted,
/// `<`, `>`, `&` escaped, floats as Go's encoder writes them.
pub(super) fn go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_json_number(n)),
        Value::String(s) => go_json_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json(x, out);
            }
            out.push(']');
        }
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json_string(k, out);
                out.push(':');
                if let Some(x) = o.get(k) {
                    go_json(x, out);
                }
            }
            out.push('}');
        }
    }
}

/// encoding/json's float64 format: shortest digits, exponent form below 1e-6 or from 1e21.
fn go_json_number(n: &Number) -> String {
    let f = n.as_f64().unwrap_or(0.0);
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        // Go: %e with shortest digits, exponent without leading zeros beyond two ("1e-07").
        let (digits, dp) = shortest_digits(f);
        let exp = dp - 1;
        let mut s = String::new();
        if f < 0.0 {
            s.push('-');
        }
        s.push_str(&digits[..1]);
        if digits.len() > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push('e');
        s.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            s.push('0');
        }
        s.push_str(&e.to_string());
        // Go's encoder rewrites "e-07" as "e-7" (two-digit negative exponents trimmed).
        if exp < 0 && e < 10 {
            let len = s.len();
            s.replace_range(len - 2..len - 1, "");
        }
        return s;
    }
    // Plain decimal: Rust's Display of f64 is the shortest round-trip digits without exponent.
    format!("{f}")
}

fn go_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}
