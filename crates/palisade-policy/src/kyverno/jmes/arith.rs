//! Kyverno's arithmetic (`arithmetic.go`): operands are numbers (scalars), strings that parse as
//! Kubernetes quantities (so `'10'` and `'1m'` are quantities), or else Go durations.
//!
//! | left \ right | scalar            | quantity          | duration          |
//! |--------------|-------------------|-------------------|-------------------|
//! | `+ -`        | same kinds only   | same kinds only   | same kinds only   |
//! | `*`          | any with scalar   | needs a scalar    | needs a scalar    |
//! | `/`          | scalar only       | scalar or quantity| scalar or duration|
//! | `%`          | same kinds only   | same kinds only   | same kinds only   |

use serde_json::Value;

use super::builtins::Args;
use super::goformat::{as_f64, num, shortest_digits};
use super::quantity::{self, QErr, Quantity};
use super::time::{format_duration, parse_duration, seconds};
use super::JmesError;

enum Op {
    Scalar(f64),
    Quantity(Quantity),
    Duration(i64),
}

fn operand(a: &Args, v: &Value) -> Result<Op, JmesError> {
    if let Some(f) = as_f64(v) {
        return Ok(Op::Scalar(f));
    }
    if let Some(s) = v.as_str() {
        match quantity::parse(s) {
            Ok(q) => return Ok(Op::Quantity(q)),
            Err(QErr::Overflow) => return Err(JmesError::unsupported(a.name)),
            Err(QErr::Invalid) => {}
        }
        if let Ok(d) = parse_duration(s) {
            return Ok(Op::Duration(d));
        }
    }
    Err(a.err("invalid operand"))
}

pub(super) fn call(a: &Args) -> Result<Value, JmesError> {
    if a.name == "sum" {
        let items = a.v(0).as_array().map(Vec::as_slice).unwrap_or_default();
        let Some(first) = items.first() else {
            return Err(a.err("at least one element in the array is required"));
        };
        let mut acc = first.clone();
        for item in &items[1..] {
            acc = binary(a, "sum", &acc, item)?;
        }
        return Ok(acc);
    }
    binary(a, a.name, a.v(0), a.v(1))
}

fn binary(a: &Args, op: &str, l: &Value, r: &Value) -> Result<Value, JmesError> {
    let (x, y) = (operand(a, l)?, operand(a, r)?);
    let mismatch = || a.err("Types mismatch");
    let zero = || a.err("Zero divisor passed");
    let non_int = || a.err("Non-integer argument(s) passed for modulo");
    let overflow = |e: QErr| match e {
        QErr::Overflow => JmesError::unsupported(a.name),
        QErr::Invalid => a.err("invalid quantity"),
    };
    let q = |q: Quantity| Value::String(q.canonical());
    let d = |d: i64| Value::String(format_duration(d));
    Ok(match (op, x, y) {
        ("add" | "sum", Op::Scalar(x), Op::Scalar(y)) => num(a.name, x + y)?,
        ("add" | "sum", Op::Quantity(x), Op::Quantity(y)) => {
            q(x.add(&y, false).map_err(overflow)?)
        }
        ("add" | "sum", Op::Duration(x), Op::Duration(y)) => d(x.wrapping_add(y)),
        ("subtract", Op::Scalar(x), Op::Scalar(y)) => num(a.name, x - y)?,
        ("subtract", Op::Quantity(x), Op::Quantity(y)) => q(x.add(&y, true).map_err(overflow)?),
        ("subtract", Op::Duration(x), Op::Duration(y)) => d(x.wrapping_sub(y)),
        ("multiply", Op::Scalar(x), Op::Scalar(y)) => num(a.name, x * y)?,
        ("multiply", Op::Quantity(x), Op::Scalar(y))
        | ("multiply", Op::Scalar(y), Op::Quantity(x)) => q(x
            .mul(&scalar_quantity(y).map_err(overflow)?)
            .map_err(overflow)?),
        ("multiply", Op::Duration(x), Op::Scalar(y))
        | ("multiply", Op::Scalar(y), Op::Duration(x)) => d(float_duration(a, seconds(x) * y)?),
        ("divide", Op::Scalar(x), Op::Scalar(y)) => {
            if y == 0.0 {
                return Err(zero());
            }
            num(a.name, x / y)?
        }
        ("divide", Op::Quantity(x), Op::Quantity(y)) => {
            let divisor = y.approx_f64();
            if divisor == 0.0 {
                return Err(zero());
            }
            num(a.name, x.approx_f64() / divisor)?
        }
        ("divide", Op::Quantity(x), Op::Scalar(y)) => {
            if y == 0.0 {
                return Err(zero());
            }
            q(x.div_round_down(&scalar_quantity(y).map_err(overflow)?)
                .map_err(overflow)?)
        }
        ("divide", Op::Duration(x), Op::Duration(y)) => {
            if seconds(y) == 0.0 {
                return Err(zero());
            }
            num(a.name, seconds(x) / seconds(y))?
        }
        ("divide", Op::Duration(x), Op::Scalar(y)) => {
            if y == 0.0 {
                return Err(zero());
            }
            d(float_duration(a, seconds(x) / y)?)
        }
        ("modulo", Op::Scalar(x), Op::Scalar(y)) => {
            let (i, j) = (int64(a, x)?, int64(a, y)?);
            if i as f64 != x || j as f64 != y {
                return Err(non_int());
            }
            if j == 0 {
                return Err(zero());
            }
            num(a.name, i.wrapping_rem(j) as f64)?
        }
        ("modulo", Op::Quantity(x), Op::Quantity(y)) => {
            let (f1, f2) = (x.approx_f64(), y.approx_f64());
            let (i, j) = (int64(a, f1)?, int64(a, f2)?);
            if i as f64 != f1 || j as f64 != f2 {
                return Err(non_int());
            }
            if j == 0 {
                return Err(zero());
            }
            let r = Quantity {
                unscaled: i128::from(i.wrapping_rem(j)),
                scale: 0,
                format: x.format,
            };
            q(r)
        }
        ("modulo", Op::Duration(x), Op::Duration(y)) => {
            if y == 0 {
                return Err(zero());
            }
            d(x.wrapping_rem(y))
        }
        _ => return Err(mismatch()),
    })
}

/// 2^63 as a float: the bounds of Go's defined float-to-int64 conversions.
const TWO_63: f64 = 9_223_372_036_854_775_808.0;

/// Go's `int64(f)` where it is defined (in range); out of range Go's result is platform-specific.
fn int64(a: &Args, f: f64) -> Result<i64, JmesError> {
    if f.is_nan() {
        return Ok(0);
    }
    if !(-TWO_63..TWO_63).contains(&f) {
        return Err(JmesError::unsupported(a.name));
    }
    Ok(f as i64)
}

/// `time.Duration(seconds * float64(time.Second))`.
fn float_duration(a: &Args, secs: f64) -> Result<i64, JmesError> {
    let ns = secs * 1e9;
    if ns.is_nan() || !(-TWO_63..TWO_63).contains(&ns) {
        return Err(JmesError::unsupported(a.name));
    }
    Ok(ns as i64)
}

/// `resource.ParseQuantity(fmt.Sprintf("%v", f))`. `%v` is strconv's shortest `%g`: exponent form
/// when the decimal exponent is below -4 or at least 6 (`1e+06`). The text matters beyond the
/// value: it decides the parsed scale, which `divide` uses as its precision.
fn scalar_quantity(f: f64) -> Result<Quantity, QErr> {
    if !f.is_finite() {
        return Err(QErr::Invalid);
    }
    if f == 0.0 {
        return quantity::parse("0");
    }
    let (digits, dp) = shortest_digits(f);
    let exp = dp - 1;
    let sign = if f < 0.0 { "-" } else { "" };
    let text = if !(-4..6).contains(&exp) {
        let frac = if digits.len() > 1 {
            format!(".{}", &digits[1..])
        } else {
            String::new()
        };
        format!(
            "{sign}{}{frac}e{}{:02}",
            &digits[..1],
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    } else if dp <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-dp) as usize))
    } else if dp as usize >= digits.len() {
        format!("{sign}{digits}{}", "0".repeat(dp as usize - digits.len()))
    } else {
        format!(
            "{sign}{}.{}",
            &digits[..dp as usize],
            &digits[dp as usize..]
        )
    };
    quantity::parse(&text)
}
