//! Kyverno's time functions (`time.go`) and Go's `time.Duration` parsing and printing, which the
//! arithmetic functions share. Times are RFC 3339 as Go's `time.Parse(time.RFC3339, ..)` reads
//! them; other Go layouts are Unsupported (Go's layout language is not reproduced). `time_now`
//! answers in UTC, where Kyverno uses the pod's local zone (UTC in its images).

use serde_json::Value;

use super::builtins::Args;
use super::JmesError;

const NANOS: i64 = 1_000_000_000;
/// Seconds from 0001-01-01 (Go's zero time, where `Truncate` counts from) to 1970-01-01.
const ZERO_TO_UNIX: i64 = 62_135_596_800;

/// An instant with the UTC offset it was written with.
#[derive(Debug, Clone, Copy)]
pub(super) struct Time {
    secs: i64,
    nanos: i64,
    offset: i64,
}

pub(super) fn call(a: &Args) -> Result<Value, JmesError> {
    let f = a.name;
    let t = |i: usize| {
        parse_rfc3339(a.str(i))
            .ok_or_else(|| a.err(format!("cannot parse {:?} as RFC3339", a.str(i))))
    };
    let d = |i: usize| parse_duration(a.str(i)).map_err(|m| a.err(m));
    Ok(match f {
        "time_now" | "time_now_utc" => Value::String(format_rfc3339(&now(), false, f)?),
        "time_to_cron" => {
            let t = t(0)?;
            let (y, mo, day, h, mi, _) = civil(t.secs + t.offset);
            let weekday = (days_from_civil(y, mo, day) + 4).rem_euclid(7);
            Value::String(format!("{mi} {h} {day} {mo} {weekday}"))
        }
        "time_add" => {
            let (t, d) = (t(0)?, d(1)?);
            Value::String(format_rfc3339(&add(t, d), false, f)?)
        }
        "time_parse" => time_parse(a)?,
        "time_utc" => Value::String(format_rfc3339(&t(0)?, true, f)?),
        "time_diff" => Value::String(format_duration(sub(&t(1)?, &t(0)?))),
        "time_before" => Value::Bool(before(&t(0)?, &t(1)?)),
        "time_after" => Value::Bool(before(&t(1)?, &t(0)?)),
        "time_between" => {
            let (x, start, end) = (t(0)?, t(1)?, t(2)?);
            Value::Bool(before(&start, &x) && before(&x, &end))
        }
        "time_truncate" => {
            let (t, d) = (t(0)?, d(1)?);
            Value::String(format_rfc3339(&truncate(t, d), false, f)?)
        }
        "time_since" => {
            let layout = a.str(0);
            let parse = |s: &str| -> Result<Time, JmesError> {
                if !layout.is_empty() && layout != RFC3339 {
                    return Err(JmesError::unsupported(f));
                }
                parse_rfc3339(s).ok_or_else(|| a.err(format!("cannot parse {s:?}")))
            };
            let t1 = parse(a.str(1))?;
            let t2 = if a.str(2).is_empty() {
                now()
            } else {
                parse(a.str(2))?
            };
            Value::String(format_duration(sub(&t2, &t1)))
        }
        _ => return Err(JmesError::unsupported(f)),
    })
}

const RFC3339: &str = "2006-01-02T15:04:05Z07:00";

fn time_parse(a: &Args) -> Result<Value, JmesError> {
    let (layout, ts) = (a.str(0), a.str(1));
    if layout.parse::<i64>().is_ok() {
        let secs: i64 = ts
            .parse()
            .map_err(|_| a.err(format!("invalid epoch {ts:?}")))?;
        let t = Time {
            secs,
            nanos: 0,
            offset: 0,
        };
        return Ok(Value::String(format_rfc3339(&t, true, a.name)?));
    }
    if layout != RFC3339 {
        return Err(JmesError::unsupported(a.name));
    }
    let t = parse_rfc3339(ts).ok_or_else(|| a.err(format!("cannot parse {ts:?}")))?;
    Ok(Value::String(format_rfc3339(&t, false, a.name)?))
}

fn now() -> Time {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Time {
        secs: d.as_secs() as i64,
        nanos: i64::from(d.subsec_nanos()),
        offset: 0,
    }
}

fn before(a: &Time, b: &Time) -> bool {
    (a.secs, a.nanos) < (b.secs, b.nanos)
}

/// `t2.Sub(t1)`, saturating as Go does.
fn sub(t2: &Time, t1: &Time) -> i64 {
    let ns = i128::from(t2.secs - t1.secs) * i128::from(NANOS) + i128::from(t2.nanos - t1.nanos);
    ns.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

fn add(t: Time, d: i64) -> Time {
    let total = i128::from(t.nanos) + i128::from(d);
    let secs = t.secs + (total.div_euclid(i128::from(NANOS))) as i64;
    Time {
        secs,
        nanos: total.rem_euclid(i128::from(NANOS)) as i64,
        offset: t.offset,
    }
}

/// `Time.Truncate`: rounds down to a multiple of `d` since Go's zero time (absolute, not wall
/// clock); `d <= 0` leaves the time unchanged.
fn truncate(t: Time, d: i64) -> Time {
    if d <= 0 {
        return t;
    }
    let abs =
        (i128::from(t.secs) + i128::from(ZERO_TO_UNIX)) * i128::from(NANOS) + i128::from(t.nanos);
    let r = abs.rem_euclid(i128::from(d));
    let back = i64::try_from(r).unwrap_or(0);
    add(t, -back)
}

fn digits(s: &[u8], n: usize) -> Option<i64> {
    let part = s.get(..n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(part).ok()?.parse().ok()
}

/// Go's `time.Parse(time.RFC3339, s)`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)`, the hour in one
/// or two digits as Go's fallback parser allows, fields range-checked.
pub(super) fn parse_rfc3339(s: &str) -> Option<Time> {
    let b = s.as_bytes();
    let year = digits(b, 4)?;
    if b.get(4) != Some(&b'-') {
        return None;
    }
    let month = digits(&b[5..], 2)?;
    if b.get(7) != Some(&b'-') {
        return None;
    }
    let day = digits(&b[8..], 2)?;
    if b.get(10) != Some(&b'T') {
        return None;
    }
    let mut p = 11;
    let hour_len = if b.get(p + 1).is_some_and(u8::is_ascii_digit) {
        2
    } else {
        1
    };
    let hour = digits(&b[p..], hour_len)?;
    p += hour_len;
    if b.get(p) != Some(&b':') {
        return None;
    }
    let minute = digits(&b[p + 1..], 2)?;
    if b.get(p + 3) != Some(&b':') {
        return None;
    }
    let second = digits(&b[p + 4..], 2)?;
    p += 6;
    let mut nanos = 0i64;
    if matches!(b.get(p), Some(b'.') | Some(b',')) && b.get(p + 1).is_some_and(u8::is_ascii_digit) {
        p += 1;
        let start = p;
        while b.get(p).is_some_and(u8::is_ascii_digit) {
            p += 1;
        }
        let frac = &s[start..p];
        let mut padded: String = frac.chars().take(9).collect();
        while padded.len() < 9 {
            padded.push('0');
        }
        nanos = padded.parse().ok()?;
    }
    let offset = match b.get(p) {
        Some(b'Z') if p + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if p + 6 == b.len() && b[p + 3] == b':' => {
            let (h, m) = (digits(&b[p + 1..], 2)?, digits(&b[p + 4..], 2)?);
            if h > 24 || m > 60 {
                return None;
            }
            let o = h * 3600 + m * 60;
            if sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > days_in || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some(Time {
        secs: local - offset,
        nanos,
        offset,
    })
}

/// `Format(time.RFC3339)` (`utc` drops the offset first, as `t.UTC()`).
fn format_rfc3339(t: &Time, utc: bool, f: &str) -> Result<String, JmesError> {
    let offset = if utc { 0 } else { t.offset };
    let (y, mo, d, h, mi, s) = civil(t.secs + offset);
    if !(0..=9999).contains(&y) {
        return Err(JmesError::unsupported(f));
    }
    let zone = if offset == 0 {
        "Z".to_string()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        let o = offset.abs();
        format!("{sign}{:02}:{:02}", o / 3600, o % 3600 / 60)
    };
    Ok(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{zone}"))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Wall clock fields of seconds since the Unix epoch.
pub(crate) fn civil(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Go's `time.ParseDuration`.
pub(super) fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {orig:?}");
    let mut s = orig;
    let mut neg = false;
    if let Some(c) = s.chars().next() {
        if c == '-' || c == '+' {
            neg = c == '-';
            s = &s[1..];
        }
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut d: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let mut i = 0;
        let mut v: u64 = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            if v > LIMIT / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(b[i] - b'0');
            if v > LIMIT {
                return Err(invalid());
            }
            i += 1;
        }
        let pre = i > 0;
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if i < b.len() && b[i] == b'.' {
            i += 1;
            let start = i;
            let mut overflow = false;
            while i < b.len() && b[i].is_ascii_digit() {
                if !overflow {
                    if f > (LIMIT - 1) / 10 {
                        overflow = true;
                    } else {
                        let y = f * 10 + u64::from(b[i] - b'0');
                        if y > LIMIT {
                            overflow = true;
                        } else {
                            f = y;
                            scale *= 10.0;
                        }
                    }
                }
                i += 1;
            }
            post = i > start;
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_start = i;
        while i < b.len() && !(b[i] == b'.' || b[i].is_ascii_digit()) {
            i += 1;
        }
        if i == unit_start {
            return Err(format!("time: missing unit in duration {orig:?}"));
        }
        let unit: u64 = match &s[unit_start..i] {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            u => return Err(format!("time: unknown unit {u:?} in duration {orig:?}")),
        };
        s = &s[i..];
        if v > LIMIT / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        d += v;
        if d > LIMIT {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > LIMIT - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// Go's `Duration.String`.
pub(super) fn format_duration(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    let mut out = String::new();
    if u < NANOS as u64 {
        let (prec, unit) = match u {
            0 => return "0s".to_string(),
            1..=999 => (0, "ns"),
            1_000..=999_999 => (3, "\u{b5}s"),
            _ => (6, "ms"),
        };
        let (frac, int) = frac_part(u, prec);
        out.push_str(&int.to_string());
        out.push_str(&frac);
        out.push_str(unit);
    } else {
        let (frac, secs) = frac_part(u, 9);
        u = secs;
        let s = u % 60;
        u /= 60;
        let mut body = format!("{s}{frac}s");
        if u > 0 {
            body = format!("{}m{body}", u % 60);
            u /= 60;
            if u > 0 {
                body = format!("{u}h{body}");
            }
        }
        out.push_str(&body);
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

/// `fmtFrac`: the fraction of `v / 10^prec` without trailing zeros, and the integer part.
fn frac_part(mut v: u64, prec: u32) -> (String, u64) {
    let mut digits = Vec::new();
    let mut printed = false;
    for _ in 0..prec {
        let digit = v % 10;
        printed = printed || digit != 0;
        if printed {
            digits.push(char::from(b'0' + digit as u8));
        }
        v /= 10;
    }
    if digits.is_empty() {
        return (String::new(), v);
    }
    digits.push('.');
    (digits.into_iter().rev().collect(), v)
}

/// `Duration.Seconds()`.
pub(super) fn seconds(d: i64) -> f64 {
    let sec = d / NANOS;
    let nsec = d % NANOS;
    sec as f64 + nsec as f64 / 1e9
}
