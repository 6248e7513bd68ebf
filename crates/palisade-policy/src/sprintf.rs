//! `sprintf` as OPA formats it when verbs and arguments do not pair up. OPA hands the work to
//! Go's `fmt`, which writes `%!v(MISSING)` for a verb without an argument and
//! `%!(EXTRA type=value)` for arguments without a verb; regorus' builtin fails instead, and in a
//! Gatekeeper template a failed `sprintf` silently drops the violation (the upstream
//! `horizontalpodautoscaler` template has six verbs and five arguments). This extension
//! rewrites the format the way Go reads it and lets regorus' own builtin do the formatting.

use crate::text::quoted_end;
use regorus::{Engine, Value};
use std::cell::RefCell;

const INNER: &str = "package palisade_sprintf\n\nr := sprintf(input.f, input.a)\n";

thread_local! {
    /// An engine without this extension, whose `sprintf` is regorus' builtin.
    static BUILTIN: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

/// Whether some `sprintf("…", [a, b])` of the source has a literal format and argument list
/// that do not pair up. Only then is the extension installed: routing every `sprintf` through
/// it costs about 7 % of a Gatekeeper review.
pub(crate) fn needed(source: &str) -> bool {
    let mut rest = source;
    while let Some(at) = rest.find("sprintf(") {
        rest = &rest[at + "sprintf(".len()..];
        let literal = rest.trim_start();
        if !literal.starts_with('"') {
            continue;
        }
        let Some(close) = quoted_end(literal.as_bytes(), 0) else {
            continue;
        };
        let format = &literal[1..close];
        let after = &literal[close + 1..];
        let Some(list) = after.trim_start().strip_prefix(',').map(str::trim_start) else {
            continue;
        };
        let Some(list) = list.strip_prefix('[') else {
            continue;
        };
        if let Some(n) = top_level_items(list) {
            if n != verbs(format).len() {
                return true;
            }
        }
    }
    false
}

/// Items of an array literal starting right after its `[`, up to the matching `]`.
fn top_level_items(s: &str) -> Option<usize> {
    let (mut depth, mut items, mut any) = (0usize, 0usize, false);
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = quoted_end(bytes, i)?;
                any = true;
            }
            b'[' | b'(' | b'{' => depth += 1,
            b']' if depth == 0 => return Some(if any { items + 1 } else { 0 }),
            b']' | b')' | b'}' => depth = depth.checked_sub(1)?,
            b',' if depth == 0 => items += 1,
            c if !c.is_ascii_whitespace() => any = true,
            _ => {}
        }
        i += 1;
    }
    None
}

pub(crate) fn install(engine: &mut Engine) -> anyhow::Result<()> {
    engine.add_extension("sprintf".to_string(), 2, Box::new(go_sprintf))
}

fn go_sprintf(args: Vec<Value>) -> anyhow::Result<Value> {
    let (Some(format), Some(list)) = (args.first(), args.get(1)) else {
        anyhow::bail!("sprintf takes a format and an array");
    };
    let format = format.as_string()?.to_string();
    let items: Vec<Value> = list.as_array()?.iter().cloned().collect();
    let verbs = verbs(&format);
    let (format, items, extra) = if items.len() < verbs.len() {
        (missing(&format, items.len()), items, String::new())
    } else if items.len() > verbs.len() {
        let extra = items[verbs.len()..]
            .iter()
            .map(go_typed)
            .collect::<Vec<_>>()
            .join(", ");
        let kept = items[..verbs.len()].to_vec();
        (format, kept, format!("%!(EXTRA {extra})"))
    } else {
        (format, items, String::new())
    };
    let formatted = BUILTIN.with(|cell| -> anyhow::Result<Value> {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut e = Engine::new();
            e.add_policy("palisade_sprintf.rego".to_string(), INNER.to_string())?;
            *slot = Some(e);
        }
        let Some(engine) = slot.as_mut() else {
            anyhow::bail!("sprintf engine missing");
        };
        let mut input = std::collections::BTreeMap::new();
        input.insert(Value::from("f"), Value::from(format.as_str()));
        input.insert(Value::from("a"), Value::from(items));
        engine.set_input(Value::from(input));
        engine.eval_rule("data.palisade_sprintf.r".to_string())
    })?;
    if extra.is_empty() || formatted == Value::Undefined {
        return Ok(formatted);
    }
    Ok(Value::from(format!("{}{extra}", formatted.as_string()?)))
}

/// The verb letters of a Go format string, `%%` aside.
fn verbs(format: &str) -> Vec<(usize, usize, char)> {
    let bytes = format.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        if bytes.get(i) == Some(&b'%') {
            i += 1;
            continue;
        }
        // Flags, width and precision, then the verb.
        while i < bytes.len() && matches!(bytes[i], b'+' | b'-' | b'#' | b' ' | b'0'..=b'9' | b'.')
        {
            i += 1;
        }
        if let Some(&v) = bytes.get(i) {
            out.push((start, i + 1, v as char));
            i += 1;
        }
    }
    out
}

/// The format with every verb past the `have`-th written as Go writes a verb whose argument
/// is missing.
fn missing(format: &str, have: usize) -> String {
    let mut out = String::with_capacity(format.len() + 16);
    let mut at = 0;
    for (start, end, verb) in verbs(format).into_iter().skip(have) {
        out.push_str(&format[at..start]);
        out.push_str(&format!("%%!{verb}(MISSING)"));
        at = end;
    }
    out.push_str(&format[at..]);
    out
}

/// `type=value` as Go's `%!(EXTRA …)` lists an argument OPA passed on.
fn go_typed(v: &Value) -> String {
    match v {
        Value::String(s) => format!("string={s}"),
        Value::Number(n) if n.is_integer() => format!("int={}", n.format_decimal()),
        Value::Number(n) => format!("float64={}", n.format_decimal()),
        other => format!("ast.Value={}", other.to_json_str().unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sprintf(format: &str, args: Value) -> Value {
        go_sprintf(vec![Value::from(format), args]).unwrap()
    }

    #[test]
    fn only_mismatched_literal_calls_need_it() {
        assert!(!needed(r#"msg := sprintf("%v is %v", [a, b.c[0]])"#));
        assert!(!needed(r#"msg := sprintf(fmt, [a])"#));
        assert!(needed(r#"msg := sprintf("%v <%v> %v", [a, f(b, c)])"#));
        assert!(!needed(r#"msg := sprintf("100%% of %v", ["x,y"])"#));
    }

    #[test]
    fn formats_like_go_fmt() {
        let args = Value::from_json_str(r#"["a", 1]"#).unwrap();
        assert_eq!(sprintf("%v-%d", args.clone()), Value::from("a-1"));
        assert_eq!(
            sprintf("%v %d %v %%", args.clone()),
            Value::from("a 1 %!v(MISSING) %")
        );
        assert_eq!(sprintf("%s", args), Value::from("a%!(EXTRA int=1)"));
    }
}
