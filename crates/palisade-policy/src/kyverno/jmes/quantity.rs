//! Kubernetes `resource.Quantity` as Kyverno's arithmetic uses it: `ParseQuantity` (both its
//! int64 fast path and its `inf.Dec` path, whose scales differ and matter to division), exact
//! sums and products, and the canonical `String()`. Values are `unscaled * 10^-scale` in an i128;
//! anything that would overflow it is reported, never approximated.

use super::goformat::go_pow10;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Format {
    DecimalExponent,
    BinarySI,
    DecimalSI,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Quantity {
    /// Value is `unscaled * 10^-scale` (inf.Dec's convention).
    pub(super) unscaled: i128,
    pub(super) scale: i32,
    pub(super) format: Format,
}

/// Why a quantity operation failed: not a quantity, or too large to compute exactly here.
#[derive(Debug, PartialEq)]
pub(super) enum QErr {
    Invalid,
    Overflow,
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// `resource.ParseQuantity`.
pub(super) fn parse(s: &str) -> Result<Quantity, QErr> {
    if s.is_empty() {
        return Err(QErr::Invalid);
    }
    if s == "0" {
        return Ok(Quantity {
            unscaled: 0,
            scale: 0,
            format: Format::DecimalSI,
        });
    }
    let (positive, value, num, denom, suffix) = split(s)?;
    let (base, exponent, format) = interpret(suffix)?;
    let (precision, mut scale, mut mantissa);
    mantissa = 1i64;
    match format {
        Format::DecimalExponent | Format::DecimalSI => {
            scale = exponent;
            precision = 18 - (num.len() + denom.len()) as i32;
        }
        Format::BinarySI => {
            scale = 0;
            if exponent >= 0 && denom.is_empty() {
                mantissa = 1i64.checked_shl(exponent as u32).ok_or(QErr::Invalid)?;
                precision = 15 - num.len() as i32 - ((exponent as f32) * 3.0 / 10.0) as i32 - 1;
            } else {
                precision = -1;
            }
        }
    }
    if precision >= 0 {
        scale -= denom.len() as i32;
        if scale >= -9 {
            let shifted = format!("{num}{denom}");
            let v: i64 = shifted.parse().map_err(|_| QErr::Invalid)?;
            if let Some(r) = v.checked_mul(mantissa) {
                let r = if positive { r } else { -r };
                return Ok(Quantity {
                    unscaled: i128::from(r),
                    scale: -scale,
                    format,
                });
            }
        }
    }
    // inf.Dec path: SetString(value), apply the suffix, round up to nano, cap binary at 2^63-1.
    let (mut unscaled, mut dscale) = dec_from_str(value)?;
    if base == 10 {
        dscale -= exponent;
    } else {
        let factor = 1i128.checked_shl(exponent as u32).ok_or(QErr::Overflow)?;
        unscaled = unscaled.checked_mul(factor).ok_or(QErr::Overflow)?;
    }
    let negative = unscaled < 0;
    let mut abs = unscaled.abs();
    let mut format = format;
    if abs != 0 {
        (abs, dscale) = round_to_scale(abs, dscale, 9, true)?;
    }
    if format == Format::BinarySI {
        let max =
            i128::from(i64::MAX).checked_mul(pow10(dscale.max(0) as u32).ok_or(QErr::Overflow)?);
        if let Some(max) = max.filter(|_| dscale >= 0) {
            if abs > max {
                abs = max;
            }
        }
        let one = pow10(dscale.max(0) as u32).ok_or(QErr::Overflow)?;
        if dscale >= 0 && abs < one && abs > 0 {
            format = Format::DecimalSI;
        }
    }
    Ok(Quantity {
        unscaled: if negative { -abs } else { abs },
        scale: dscale,
        format,
    })
}

/// `parseQuantityString`: sign, number (value text, integer digits without leading zeros,
/// fraction digits) and suffix.
fn split(s: &str) -> Result<(bool, &str, &str, &str, &str), QErr> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok((positive, "0", "0", "", ""));
    }
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        return Ok((positive, s, &s[num_start..], "", ""));
    }
    let num = if pos == num_start {
        "0"
    } else {
        &s[num_start..pos]
    };
    let mut denom = "";
    if b[pos] == b'.' {
        pos += 1;
        let d_start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[d_start..pos];
        if pos >= end {
            return Ok((positive, s, num, denom, ""));
        }
    }
    let value = &s[..pos];
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end && (b[pos] == b'-' || b[pos] == b'+') {
        pos += 1;
    }
    while pos < end {
        if !b[pos].is_ascii_digit() {
            return Err(QErr::Invalid);
        }
        pos += 1;
    }
    Ok((positive, value, num, denom, &s[suffix_start..]))
}

/// The suffixer's `interpret`: base, exponent and format of a suffix.
fn interpret(suffix: &str) -> Result<(i32, i32, Format), QErr> {
    use Format::*;
    Ok(match suffix {
        "" => (10, 0, DecimalSI),
        "n" => (10, -9, DecimalSI),
        "u" => (10, -6, DecimalSI),
        "m" => (10, -3, DecimalSI),
        "k" => (10, 3, DecimalSI),
        "M" => (10, 6, DecimalSI),
        "G" => (10, 9, DecimalSI),
        "T" => (10, 12, DecimalSI),
        "P" => (10, 15, DecimalSI),
        "E" => (10, 18, DecimalSI),
        "Ki" => (2, 10, BinarySI),
        "Mi" => (2, 20, BinarySI),
        "Gi" => (2, 30, BinarySI),
        "Ti" => (2, 40, BinarySI),
        "Pi" => (2, 50, BinarySI),
        "Ei" => (2, 60, BinarySI),
        s if s.len() > 1 && (s.starts_with('e') || s.starts_with('E')) => {
            let e: i64 = s[1..].parse().map_err(|_| QErr::Invalid)?;
            (
                10,
                i32::try_from(e).map_err(|_| QErr::Overflow)?,
                DecimalExponent,
            )
        }
        _ => return Err(QErr::Invalid),
    })
}

/// `inf.Dec.SetString` of `[+-]?digits[.digits]`.
fn dec_from_str(v: &str) -> Result<(i128, i32), QErr> {
    let (neg, body) = match v.as_bytes().first() {
        Some(b'-') => (true, &v[1..]),
        Some(b'+') => (false, &v[1..]),
        _ => (false, v),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = format!("{int}{frac}");
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(QErr::Invalid);
    }
    let digits = digits.trim_start_matches('0');
    let u: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| QErr::Overflow)?
    };
    Ok((if neg { -u } else { u }, frac.len() as i32))
}

/// Rescales a non-negative `abs * 10^-scale` to `target` digits, rounding away from zero
/// (`inf.RoundUp`) or toward zero (`inf.RoundDown`).
fn round_to_scale(abs: i128, scale: i32, target: i32, up: bool) -> Result<(i128, i32), QErr> {
    if scale <= target {
        let f = pow10((target - scale) as u32).ok_or(QErr::Overflow)?;
        return Ok((abs.checked_mul(f).ok_or(QErr::Overflow)?, target));
    }
    let Some(f) = pow10((scale - target) as u32) else {
        return Ok((if up && abs != 0 { 1 } else { 0 }, target));
    };
    let (q, r) = (abs / f, abs % f);
    Ok((if up && r != 0 { q + 1 } else { q }, target))
}

impl Quantity {
    pub(super) fn is_zero(&self) -> bool {
        self.unscaled == 0
    }

    /// Both values at the smaller common scale.
    fn align(&self, o: &Quantity) -> Result<(i128, i128, i32), QErr> {
        let s = self.scale.max(o.scale);
        let up = |q: &Quantity| -> Result<i128, QErr> {
            let f = pow10((s - q.scale) as u32).ok_or(QErr::Overflow)?;
            q.unscaled.checked_mul(f).ok_or(QErr::Overflow)
        };
        Ok((up(self)?, up(o)?, s))
    }

    /// `Quantity.Add` / `Sub`: the result keeps the left format unless the left is zero.
    pub(super) fn add(&self, o: &Quantity, negate: bool) -> Result<Quantity, QErr> {
        let (a, b, scale) = self.align(o)?;
        let b = if negate { -b } else { b };
        let format = if self.is_zero() {
            o.format
        } else {
            self.format
        };
        Ok(Quantity {
            unscaled: a.checked_add(b).ok_or(QErr::Overflow)?,
            scale,
            format,
        })
    }

    /// `inf.Dec.Mul`, no rounding, format of the left side (`NewDecimalQuantity`).
    pub(super) fn mul(&self, o: &Quantity) -> Result<Quantity, QErr> {
        Ok(Quantity {
            unscaled: self
                .unscaled
                .checked_mul(o.unscaled)
                .ok_or(QErr::Overflow)?,
            scale: self.scale + o.scale,
            format: self.format,
        })
    }

    /// `QuoRound(self, o, max(scales), RoundDown)`, format of the left side.
    pub(super) fn div_round_down(&self, o: &Quantity) -> Result<Quantity, QErr> {
        let scale = self.scale.max(o.scale);
        // result = self.unscaled * 10^(scale - self.scale + o.scale) / o.unscaled
        let k = scale - self.scale + o.scale;
        let (num, den) = if k >= 0 {
            let f = pow10(k as u32).ok_or(QErr::Overflow)?;
            (
                self.unscaled.checked_mul(f).ok_or(QErr::Overflow)?,
                o.unscaled,
            )
        } else {
            let f = pow10((-k) as u32).ok_or(QErr::Overflow)?;
            (
                self.unscaled,
                o.unscaled.checked_mul(f).ok_or(QErr::Overflow)?,
            )
        };
        if den == 0 {
            return Err(QErr::Invalid);
        }
        Ok(Quantity {
            unscaled: num / den,
            scale,
            format: self.format,
        })
    }

    /// `AsApproximateFloat64`.
    pub(super) fn approx_f64(&self) -> f64 {
        let base = self.unscaled as f64;
        let exponent = -self.scale;
        if exponent == 0 {
            return base;
        }
        base * go_pow10(exponent)
    }

    /// The canonical `String()`.
    pub(super) fn canonical(&self) -> String {
        if self.is_zero() {
            return "0".to_string();
        }
        let mut format = self.format;
        let mut rounded: i128 = 0;
        if format == Format::BinarySI {
            let int_part = self.int_exact();
            let small = self.abs_below_1024();
            match (small, int_part) {
                (false, Some(i)) => rounded = i,
                _ => format = Format::DecimalSI,
            }
        }
        match format {
            Format::BinarySI => {
                let (mut amount, mut times) = (rounded, 0);
                while amount.abs() >= 1024 && amount % 1024 == 0 {
                    amount /= 1024;
                    times += 1;
                }
                let suffix = match times {
                    1 => "Ki",
                    2 => "Mi",
                    3 => "Gi",
                    4 => "Ti",
                    5 => "Pi",
                    6 => "Ei",
                    _ => "",
                };
                format!("{amount}{suffix}")
            }
            _ => {
                let (mut amount, mut exponent) = (self.unscaled, -self.scale);
                while amount.abs() >= 10 && amount % 10 == 0 {
                    amount /= 10;
                    exponent += 1;
                }
                // Digits as text, so multiplying by 10 or 100 cannot overflow.
                let mut digits = amount.to_string();
                while exponent.rem_euclid(3) != 0 {
                    digits.push('0');
                    exponent -= 1;
                }
                let suffix = if format == Format::DecimalExponent {
                    if exponent == 0 {
                        String::new()
                    } else {
                        format!("e{exponent}")
                    }
                } else {
                    match exponent {
                        -9 => "n",
                        -6 => "u",
                        -3 => "m",
                        3 => "k",
                        6 => "M",
                        9 => "G",
                        12 => "T",
                        15 => "P",
                        18 => "E",
                        // Go finds no suffix and prints none (0 and out-of-table exponents).
                        _ => "",
                    }
                    .to_string()
                };
                format!("{digits}{suffix}")
            }
        }
    }

    /// The value as an integer when it has no fraction (`AsScale(0)` exact).
    fn int_exact(&self) -> Option<i128> {
        if self.scale <= 0 {
            return self.unscaled.checked_mul(pow10((-self.scale) as u32)?);
        }
        let f = pow10(self.scale as u32)?;
        (self.unscaled % f == 0).then(|| self.unscaled / f)
    }

    fn abs_below_1024(&self) -> bool {
        if self.scale <= 0 {
            return pow10((-self.scale) as u32)
                .and_then(|f| self.unscaled.checked_mul(f))
                .is_some_and(|v| v.abs() < 1024);
        }
        match pow10(self.scale as u32).and_then(|f| f.checked_mul(1024)) {
            Some(limit) => self.unscaled.abs() < limit,
            None => true,
        }
    }
}
