//! Kyverno's custom functions (`pkg/engine/jmespath/functions.go`) other than arithmetic, time and
//! semver, which have their own modules. Argument types were already checked by the caller with
//! Kyverno's specs; what Go computes with Unicode tables or libraries we do not mirror exactly
//! (non-ASCII case mapping that is not one-to-one, hex floats, YAML 1.1 scalars) is Unsupported.

use std::sync::{Mutex, OnceLock};

use base64::Engine as _;
use serde_json::{Map, Value};

use super::builtins::Args;
use super::eval::Interp;
use super::goformat::{as_f64, equal, format_f32, num};
use super::limits::{check_string_len, MAX_STRING};
use super::{arith, semver, time, JmesError};

pub(super) fn call(_interp: &mut Interp, a: &Args) -> Result<Value, JmesError> {
    let f = a.name;
    let s = |i: usize| a.str(i);
    Ok(match f {
        "compare" => Value::from(match s(0).cmp(s(1)) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }),
        "equal_fold" => Value::Bool(equal_fold(s(0), s(1))),
        "replace" => {
            let n = a.f64(3).trunc();
            let n = if n < 0.0 { usize::MAX } else { n as usize };
            Value::String(replace(s(0), s(1), s(2), n)?)
        }
        "replace_all" => Value::String(replace(s(0), s(1), s(2), usize::MAX)?),
        "to_upper" => Value::String(map_case(f, s(0), true)?),
        "to_lower" => Value::String(map_case(f, s(0), false)?),
        "trim" => {
            let cut = s(1);
            Value::String(s(0).trim_matches(|c| cut.contains(c)).to_string())
        }
        "trim_prefix" => Value::String(s(0).strip_prefix(s(1)).unwrap_or(s(0)).to_string()),
        "split" => Value::Array(split(s(0), s(1)).into_iter().map(Value::String).collect()),
        "regex_replace_all" | "regex_replace_all_literal" => {
            let src = iface_to_string(a.v(1))
                .ok_or_else(|| a.err("argument #2 is not of type String or Real"))?;
            let repl = iface_to_string(a.v(2))
                .ok_or_else(|| a.err("argument #3 is not of type String or Real"))?;
            let re = compile_regex(f, s(0))?;
            Value::String(regex_replace(&re, &src, &repl, f == "regex_replace_all")?)
        }
        "regex_match" => {
            let src = iface_to_string(a.v(1))
                .ok_or_else(|| a.err("argument #2 is not of type String or Real"))?;
            Value::Bool(compile_regex(f, s(0))?.is_match(&src))
        }
        "pattern_match" => {
            let src = iface_to_string(a.v(1))
                .ok_or_else(|| a.err("argument #2 is not of type String or Real"))?;
            Value::Bool(crate::kyverno::wildcard::matches(s(0), &src))
        }
        "label_match" => {
            let (Some(labels), Some(against)) = (a.v(0).as_object(), a.v(1).as_object()) else {
                return Err(a.err("arguments must be objects"));
            };
            Value::Bool(
                labels
                    .iter()
                    .all(|(k, v)| against.get(k).is_some_and(|w| equal(v, w))),
            )
        }
        "to_boolean" => match s(0).to_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => {
                return Err(a.err(format!(
                    "lowercase argument must be 'true' or 'false' (provided: '{}')",
                    s(0)
                )))
            }
        },
        "add" | "sum" | "subtract" | "multiply" | "divide" | "modulo" => arith::call(a)?,
        "round" => round(a)?,
        "base64_decode" => {
            let cleaned: String = s(0).chars().filter(|c| *c != '\r' && *c != '\n').collect();
            let bytes = base64_engine()
                .decode(cleaned)
                .map_err(|e| a.err(e.to_string()))?;
            // Go keeps arbitrary bytes in a string; a JSON string cannot, so binary is refused.
            Value::String(String::from_utf8(bytes).map_err(|_| JmesError::unsupported(f))?)
        }
        "base64_encode" => {
            check_string_len(s(0).len() / 3 * 4 + 4)?;
            Value::String(base64_engine().encode(s(0)))
        }
        "path_canonicalize" => Value::String(if s(0).is_empty() {
            String::new()
        } else {
            clean_path(s(0))
        }),
        "truncate" => {
            let n = a.f64(1).max(0.0);
            Value::String(s(0).chars().take(n as usize).collect())
        }
        "semver_compare" => Value::Bool(semver::compare(s(0), s(1)).map_err(|m| a.err(m))?),
        "parse_json" => {
            let v: Value = serde_json::from_str(s(0)).map_err(|e| a.err(e.to_string()))?;
            as_go_numbers(v)?
        }
        "parse_yaml" => parse_yaml(a)?,
        "lookup" => lookup(a)?,
        "items" => items(a)?,
        "object_from_lists" => {
            let keys = a.v(0).as_array().map(Vec::as_slice).unwrap_or_default();
            let values = a.v(1).as_array().map(Vec::as_slice).unwrap_or_default();
            let mut out = Map::new();
            for (i, k) in keys.iter().enumerate() {
                let key = iface_to_string(k)
                    .ok_or_else(|| a.err("argument #1 is not of type StringArray"))?;
                out.insert(key, values.get(i).cloned().unwrap_or(Value::Null));
            }
            Value::Object(out)
        }
        "is_external_url" => is_external_url(a)?,
        "sha256" => Value::String(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(s(0)))),
        "sha1" => Value::String(hex::encode(<sha1::Sha1 as sha1::Digest>::digest(s(0)))),
        "md5" => Value::String(hex::encode(<md5::Md5 as md5::Digest>::digest(s(0)))),
        name if name.starts_with("time_") => time::call(a)?,
        // random: non-deterministic (goregen). x509_decode: Go's x509 certificate struct as JSON is
        // not reproduced. image_normalize: needs Kyverno's configured default registry.
        _ => return Err(JmesError::unsupported(f)),
    })
}

fn base64_engine() -> base64::engine::GeneralPurpose {
    // Go's StdEncoding: padded, lenient about the unused bits of the last quantum.
    base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireCanonical),
    )
}

/// Kyverno's `ifaceToString` for the argument types its specs let through.
pub(super) fn iface_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(format_f32(n.as_f64().unwrap_or_default())),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Go's `strings.EqualFold`, rune by rune with one-to-one case mappings.
fn equal_fold(a: &str, b: &str) -> bool {
    let single = |it: &mut dyn Iterator<Item = char>| -> Option<char> {
        let c = it.next()?;
        it.next().is_none().then_some(c)
    };
    a.chars().count() == b.chars().count()
        && a.chars().zip(b.chars()).all(|(x, y)| {
            x == y
                || single(&mut x.to_lowercase())
                    .is_some_and(|l| Some(l) == single(&mut y.to_lowercase()))
                || single(&mut x.to_uppercase())
                    .is_some_and(|u| Some(u) == single(&mut y.to_uppercase()))
        })
}

/// Go's `strings.ToUpper` / `ToLower` map each rune to one rune; a rune whose Unicode mapping is
/// several runes (Rust's full mapping) is not reproduced.
fn map_case(f: &str, s: &str, upper: bool) -> Result<String, JmesError> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            });
            continue;
        }
        let mut mapped: Vec<char> = if upper {
            c.to_uppercase().collect()
        } else {
            c.to_lowercase().collect()
        };
        if mapped.len() != 1 {
            return Err(JmesError::unsupported(f));
        }
        out.push(mapped.remove(0));
    }
    Ok(out)
}

fn replace(s: &str, old: &str, new: &str, n: usize) -> Result<String, JmesError> {
    let count = if old.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(old).count()
    }
    .min(n);
    check_string_len(s.len().saturating_add(count.saturating_mul(new.len())))?;
    Ok(s.replacen(old, new, n))
}

/// Go's `strings.Split`: an empty separator splits into runes.
fn split(s: &str, sep: &str) -> Vec<String> {
    if sep.is_empty() {
        return s.chars().map(String::from).collect();
    }
    s.split(sep).map(str::to_string).collect()
}

/// Compiles a Go (RE2) pattern for Rust's `regex`, cached: policies match the same few patterns
/// against every resource. Go's `\d \w \s \b` are ASCII-only while Rust's are Unicode, so they are
/// rewritten to ASCII classes; inside brackets a `[` that is not a POSIX class is literal in Go.
fn compile_regex(f: &str, pattern: &str) -> Result<regex::Regex, JmesError> {
    static CACHE: OnceLock<Mutex<std::collections::HashMap<String, regex::Regex>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(re) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return Ok(re);
    }
    let translated = translate_regex(pattern);
    let re = regex::RegexBuilder::new(&translated)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 21)
        .build()
        .map_err(|e| JmesError::function(f, e.to_string()))?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= 1024 {
            c.clear();
        }
        c.insert(pattern.to_string(), re.clone());
    }
    Ok(re)
}

fn translate_regex(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut in_class = false;
    let mut class_start = false;
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        let at_start = class_start;
        class_start = false;
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let rewritten = match (in_class, n) {
                    (false, 'd') => "[0-9]",
                    (false, 'D') => "[^0-9]",
                    (false, 'w') => "[0-9A-Za-z_]",
                    (false, 'W') => "[^0-9A-Za-z_]",
                    (false, 's') => "[\\t\\n\\f\\r ]",
                    (false, 'S') => "[^\\t\\n\\f\\r ]",
                    (false, 'b') => "(?-u:\\b)",
                    (false, 'B') => "(?-u:\\B)",
                    (true, 'd') => "0-9",
                    (true, 'D') => "[^0-9]",
                    (true, 'w') => "0-9A-Za-z_",
                    (true, 'W') => "[^0-9A-Za-z_]",
                    (true, 's') => "\\t\\n\\f\\r ",
                    (true, 'S') => "[^\\t\\n\\f\\r ]",
                    _ => "",
                };
                if rewritten.is_empty() {
                    out.push('\\');
                    out.push(n);
                } else {
                    out.push_str(rewritten);
                }
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
            }
            '[' if chars.peek() == Some(&':') => {
                // POSIX class: copy through its closing ":]".
                out.push('[');
                let mut prev = '[';
                for d in chars.by_ref() {
                    out.push(d);
                    if prev == ':' && d == ']' {
                        break;
                    }
                    prev = d;
                }
            }
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            ']' if in_class && !at_start => {
                in_class = false;
                out.push(']');
            }
            ']' if in_class => out.push_str("\\]"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `Regexp.ReplaceAll` (with `$1` / `${name}` expansion) or `ReplaceAllLiteral`, stopping
/// at the string limit.
fn regex_replace(
    re: &regex::Regex,
    src: &str,
    repl: &str,
    expand: bool,
) -> Result<String, JmesError> {
    let mut out = String::new();
    let mut last = 0;
    for caps in re.captures_iter(src) {
        let Some(m) = caps.get(0) else { continue };
        out.push_str(&src[last..m.start()]);
        if expand {
            caps.expand(repl, &mut out);
        } else {
            out.push_str(repl);
        }
        last = m.end();
        if out.len() > MAX_STRING {
            return Err(JmesError::Limit);
        }
    }
    out.push_str(&src[last..]);
    check_string_len(out.len())?;
    Ok(out)
}

fn round(a: &Args) -> Result<Value, JmesError> {
    let digits = a.f64(1);
    if !digits.is_finite() || digits.trunc() != digits {
        return Err(a.err("Non-integer argument(s) passed for round off"));
    }
    if digits < 0.0 {
        return Err(a.err("argument is out of bounds"));
    }
    if digits > 22.0 {
        // Go's math.Pow(10, n) stops being exact past 10^22; its rounding is not mirrored.
        return Err(JmesError::unsupported(a.name));
    }
    let shift = 10f64.powi(digits as i32);
    num(a.name, (a.f64(0) * shift).round() / shift)
}

/// Go's `path.Clean` (Kyverno runs on Linux, where `filepath.Join(p)` is `Clean(p)`).
pub(super) fn clean_path(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_string(),
        (false, false) => body,
    }
}

/// Go decodes every JSON number to float64: integers past 2^53 lose precision as in Kyverno.
fn as_go_numbers(v: Value) -> Result<Value, JmesError> {
    Ok(match v {
        Value::Number(n) => num("parse_json", n.as_f64().unwrap_or_default())?,
        Value::Array(a) => {
            Value::Array(a.into_iter().map(as_go_numbers).collect::<Result<_, _>>()?)
        }
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| Ok((k, as_go_numbers(v)?)))
                .collect::<Result<_, JmesError>>()?,
        ),
        v => v,
    })
}

/// `sigs.k8s.io/yaml.YAMLToJSON` reads YAML 1.1 (go-yaml v2); `serde_yaml` reads YAML 1.2. Input
/// where the two differ (1.1 booleans like `yes`/`on`, octal `0777`, `_` in numbers, merge keys,
/// non-string keys, tags) is Unsupported; the rest decodes the same.
fn parse_yaml(a: &Args) -> Result<Value, JmesError> {
    use serde::Deserialize;
    let text = a.str(0);
    let unsupported = || JmesError::unsupported(a.name);
    if text.contains("<<") || text.contains('!') {
        return Err(unsupported());
    }
    let Some(doc) = serde_yaml::Deserializer::from_str(text).next() else {
        return Ok(Value::Null);
    };
    let y = serde_yaml::Value::deserialize(doc).map_err(|e| a.err(e.to_string()))?;
    yaml_to_json(y, text)
        .ok_or_else(unsupported)?
        .map_err(|m| a.err(m))
}

fn yaml_to_json(y: serde_yaml::Value, text: &str) -> Option<Result<Value, String>> {
    use serde_yaml::Value as Y;
    Some(Ok(match y {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            let f = n.as_f64()?;
            if !f.is_finite() {
                return Some(Err("YAML number cannot be represented as JSON".to_string()));
            }
            // A leading-zero integer is octal in YAML 1.1 and decimal in 1.2.
            let plain = n.to_string();
            if text.contains(&format!("0{plain}")) || text.contains('_') {
                return None;
            }
            num("parse_yaml", f).ok()?
        }
        Y::String(s) => {
            let l = s.to_ascii_lowercase();
            let yaml11 = [
                "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
            ];
            if yaml11.contains(&l.as_str())
                || s.contains(':') && s.chars().all(|c| c.is_ascii_digit() || c == ':')
            {
                // Possibly a plain scalar that YAML 1.1 reads as bool/null/sexagesimal.
                return None;
            }
            Value::String(s)
        }
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                match yaml_to_json(i, text)? {
                    Ok(v) => out.push(v),
                    Err(e) => return Some(Err(e)),
                }
            }
            Value::Array(out)
        }
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let Y::String(k) = k else { return None };
                match yaml_to_json(v, text)? {
                    Ok(v) => {
                        out.insert(k, v);
                    }
                    Err(e) => return Some(Err(e)),
                }
            }
            Value::Object(out)
        }
        Y::Tagged(_) => return None,
    }))
}

fn lookup(a: &Args) -> Result<Value, JmesError> {
    match a.v(0) {
        Value::Object(o) => {
            let Some(k) = a.v(1).as_str() else {
                return Err(a.err("argument #2 is not of type String"));
            };
            Ok(o.get(k).cloned().unwrap_or(Value::Null))
        }
        Value::Array(items) => {
            let Some(k) = as_f64(a.v(1)) else {
                return Err(a.err("argument #2 is not of type Number"));
            };
            if !k.is_finite() || k.trunc() != k {
                return Err(a.err(format!(
                    "argument #2: expected an integer number but got: {k}"
                )));
            }
            if k < 0.0 || k >= items.len() as f64 {
                return Ok(Value::Null);
            }
            Ok(items.get(k as usize).cloned().unwrap_or(Value::Null))
        }
        _ => Err(a.err("argument #1 is not of type Object or Array")),
    }
}

fn items(a: &Args) -> Result<Value, JmesError> {
    let (k, v) = (a.str(1).to_string(), a.str(2).to_string());
    let pair = |key: Value, val: Value| {
        let mut m = Map::new();
        m.insert(k.clone(), key);
        m.insert(v.clone(), val);
        Value::Object(m)
    };
    Ok(Value::Array(match a.v(0) {
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            keys.into_iter()
                .map(|key| {
                    pair(
                        Value::String(key.clone()),
                        o.get(key).cloned().unwrap_or(Value::Null),
                    )
                })
                .collect()
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| pair(Value::from(i), x.clone()))
            .collect(),
        _ => return Err(a.err("argument #1 is not of type Object or Array")),
    }))
}

/// For an IP literal host Kyverno decides locally; a host name needs DNS, so it is Unsupported,
/// as is anything Go's `url.Parse` might read differently from this small scanner.
fn is_external_url(a: &Args) -> Result<Value, JmesError> {
    let unsupported = || JmesError::unsupported(a.name);
    let s = a.str(0);
    let Some((scheme, rest)) = s.split_once("://") else {
        return Err(unsupported());
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return Err(unsupported());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(inner) = host_port.strip_prefix('[') {
        let Some((h, tail)) = inner.split_once(']') else {
            return Err(unsupported());
        };
        if !(tail.is_empty()
            || tail
                .strip_prefix(':')
                .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit())))
        {
            return Err(unsupported());
        }
        h
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => h,
            Some(_) => return Err(unsupported()),
            None => host_port,
        }
    };
    let ip: std::net::IpAddr = host.parse().map_err(|_| unsupported())?;
    let internal = match ip {
        std::net::IpAddr::V4(v4) => v4.is_loopback() || v4.is_private(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.is_loopback() || v4.is_private(),
            None => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00,
        },
    };
    Ok(Value::Bool(!internal))
}
