//! Two places where regorus' parser reads Rego v0 differently from OPA, rewritten in the
//! source before parsing so Gatekeeper library templates mean what OPA makes them mean
//! (docs/policy-compat.md). Both rewrites keep every line where it was, so positions in errors
//! stay right, and leave any module without those shapes byte for byte unchanged.
//!
//! 1. **Rule bodies in disjunction** (`p { a } { b }`): OPA reads a second body after a head as
//!    a second definition of the same rule; regorus reads it as `else` and refuses it for set
//!    rules. The head is repeated before the second body (`p { a } p { b }`).
//! 2. **A parenthesised expression on the line after a reference** (`x.y` then `(a - b) > 1`
//!    on the next line): OPA ends an expression at the line break; regorus continues it and
//!    reads a call of `x.y`. A `;` — OPA's own expression separator — ends the first line.
//!
//! 3. **Negated calls with reference arguments** (`not f(x, params.ranges)`): OPA's compiler
//!    moves reference arguments out of the negation (`__local = params.ranges; not f(x,
//!    __local)`, open-policy-agent/opa#1877), so an undefined argument makes the whole body
//!    fail; regorus evaluates the negation over the undefined call, which holds. The same
//!    assignment is written before the `not`, on the same line.
//!
//! A real fix belongs in regorus; until then this keeps the library working. It is a scanner
//! over strings, comments and brackets, not a parser: it only acts where a body brace is
//! known from the character before it.

use crate::text::quoted_end;
use std::borrow::Cow;

/// `(start, end, replacement)` of the source; an insertion when `start == end`.
type Edit = (usize, usize, String);

#[derive(Clone, Copy, PartialEq)]
enum Open {
    /// `{` opening a rule body (after a head: `]`, `)`, a name, or a previous body).
    Body,
    /// Any other bracket: object, set, array, call, parentheses.
    Other,
}

pub(crate) fn rewrite(src: &str) -> Cow<'_, str> {
    let bytes = src.as_bytes();
    let mut edits: Vec<Edit> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    // Last significant byte outside strings and comments, and where it was.
    let mut last: Option<(u8, usize)> = None;
    // Start of the current top-level statement, and its head once its first body opened.
    let mut stmt_start: Option<usize> = None;
    let mut head: Option<String> = None;
    // A top-level body just closed: a `{` next is another body of the same rule.
    let mut after_body = false;
    // A line break since the last significant byte: an expression may start here.
    let mut new_line = true;
    let mut hoisted = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'`' => {
                let start = i;
                i = quoted_end(bytes, i).unwrap_or(bytes.len());
                if stack.is_empty() && stmt_start.is_none() {
                    stmt_start = Some(start);
                }
                last = Some((b'"', i));
                i += 1;
                continue;
            }
            b'\n' => {
                if stack.last() == Some(&Open::Body) && ends_operand(last) {
                    if let Some(next) = next_significant(bytes, i + 1) {
                        if bytes[next] == b'(' {
                            edits.push((i, i, ";".to_string()));
                        }
                    }
                }
                if stack.is_empty() && !after_body {
                    stmt_start = None;
                    head = None;
                }
                new_line = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let expression_start = new_line || matches!(last, Some((c, _)) if c == b'{' || c == b';');
        if stack.last() == Some(&Open::Body) && expression_start && starts_word(bytes, i, b"not") {
            if let Some((assigns, replaced)) = hoist_negated_call(src, i + 3, &mut hoisted) {
                edits.push((i, i, assigns));
                edits.extend(replaced);
            }
        }
        new_line = false;
        if stack.is_empty() {
            if after_body {
                after_body = false;
                if b == b'{' {
                    if let Some(h) = &head {
                        edits.push((i, i, format!("{h} ")));
                    }
                } else if !starts_word(bytes, i, b"else") {
                    stmt_start = Some(i);
                    head = None;
                }
            } else if stmt_start.is_none() {
                stmt_start = Some(i);
            }
        }
        match b {
            b'{' => {
                let body = stack.is_empty()
                    && matches!(last, Some((c, _)) if c == b']' || c == b')' || c == b'}' || is_word(c));
                if body && head.is_none() {
                    if let Some(s) = stmt_start {
                        head = Some(src[s..i].trim_end().to_string());
                    }
                }
                stack.push(if body { Open::Body } else { Open::Other });
            }
            b'[' | b'(' => stack.push(Open::Other),
            b'}' | b']' | b')' => {
                let closed = stack.pop();
                if stack.is_empty() && closed == Some(Open::Body) {
                    after_body = true;
                }
            }
            _ => {}
        }
        last = Some((b, i));
        i += 1;
    }
    if edits.is_empty() {
        return Cow::Borrowed(src);
    }
    edits.sort_by_key(|(start, end, _)| (*start, *end));
    let mut out = String::with_capacity(src.len() + 64 * edits.len());
    let mut at = 0;
    for (start, end, text) in edits {
        if start < at {
            continue; // overlapping edits cannot come from one scan; keep the source safe
        }
        out.push_str(&src[at..start]);
        out.push_str(&text);
        at = end;
    }
    out.push_str(&src[at..]);
    Cow::Owned(out)
}

/// For `not name(args)` starting after `not` at `from`: the assignments to write before the
/// `not` and the edits replacing each reference argument by its variable. `None` when the
/// expression is not a plain call, has no reference argument, or uses `with` (hoisting out
/// of a `with` would change what the argument sees).
fn hoist_negated_call(src: &str, from: usize, counter: &mut usize) -> Option<(String, Vec<Edit>)> {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (is_word(bytes[i]) || bytes[i] == b'.') {
        i += 1;
    }
    if i == name_start || bytes.get(i) != Some(&b'(') || !bytes[name_start].is_ascii_alphabetic() {
        return None;
    }
    let line_end = src[i..].find('\n').map_or(src.len(), |n| i + n);
    if src[i..line_end].contains(" with ") {
        return None;
    }
    // Arguments: split at commas outside brackets and strings, up to the matching `)`.
    let mut args: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut arg_start = i + 1;
    let mut j = i + 1;
    let close = loop {
        let b = *bytes.get(j)?;
        match b {
            b'"' => j = quoted_end(bytes, j)?,
            b'(' | b'[' | b'{' => depth += 1,
            b')' if depth == 0 => {
                args.push((arg_start, j));
                break j;
            }
            b')' | b']' | b'}' => depth = depth.checked_sub(1)?,
            b',' if depth == 0 => {
                args.push((arg_start, j));
                arg_start = j + 1;
            }
            b'\n' => return None, // a call spread over lines: leave it alone
            _ => {}
        }
        j += 1;
    };
    // Only the call itself may follow on the line (a comment aside).
    let rest = src[close + 1..line_end].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let mut assigns = String::new();
    let mut edits = Vec::new();
    for (a, b) in args {
        let text = src[a..b].trim();
        if !is_reference(text) {
            continue;
        }
        let start = a + (src[a..b].len() - src[a..b].trim_start().len());
        let var = format!("__palisade_arg{}", *counter);
        *counter += 1;
        assigns.push_str(&format!("{var} = {text}; "));
        edits.push((start, start + text.len(), var));
    }
    (!edits.is_empty()).then_some((assigns, edits))
}

/// `a.b`, `a[x].c`, `input.review.object`: a name followed by at least one selector, nothing
/// else (no operators, calls or literals outside brackets).
fn is_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !(bytes[0].is_ascii_alphabetic() || bytes[0] == b'_') {
        return false;
    }
    let mut depth = 0usize;
    let mut selector = false;
    for &b in bytes {
        match b {
            b'[' => {
                depth += 1;
                selector = true;
            }
            b']' => {
                depth = match depth.checked_sub(1) {
                    Some(d) => d,
                    None => return false,
                }
            }
            b'.' if depth == 0 => selector = true,
            b'(' | b')' | b' ' | b'+' | b'-' | b'*' | b'/' | b'=' | b'<' | b'>' | b'|' | b'&'
                if depth == 0 =>
            {
                return false
            }
            _ => {}
        }
    }
    depth == 0 && selector
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The line so far ends with something a call could follow: a name, `]`, `)` or a string.
fn ends_operand(last: Option<(u8, usize)>) -> bool {
    matches!(last, Some((c, _)) if is_word(c) || c == b']' || c == b')' || c == b'"')
}

fn starts_word(bytes: &[u8], i: usize, word: &[u8]) -> bool {
    bytes[i..].starts_with(word) && bytes.get(i + word.len()).is_none_or(|&c| !is_word(c))
}

/// The next byte that is not whitespace or inside a comment.
fn next_significant(bytes: &[u8], mut i: usize) -> Option<usize> {
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => return Some(i),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn disjunctive_bodies_get_their_head_again() {
        let src = "package p\n\nviolation[{\"msg\": msg}] {\n  input.a\n  msg := \"a\"\n} {\n  input.b\n  msg := \"b\"\n}\n";
        let out = rewrite(src);
        assert_eq!(
            out,
            "package p\n\nviolation[{\"msg\": msg}] {\n  input.a\n  msg := \"a\"\n} violation[{\"msg\": msg}] {\n  input.b\n  msg := \"b\"\n}\n"
        );
        assert_eq!(out.lines().count(), src.lines().count());
    }

    #[test]
    fn parenthesis_on_the_next_line_starts_an_expression() {
        let src = "package p\nok(x) {\n  input.min\n  (x - input.min) >= 2\n}\n";
        assert_eq!(
            rewrite(src),
            "package p\nok(x) {\n  input.min;\n  (x - input.min) >= 2\n}\n"
        );
    }

    #[test]
    fn negated_calls_take_reference_arguments_out() {
        let src = "package p\nv {\n  not accept(rule, x, params.ranges)\n}\n";
        assert_eq!(
            rewrite(src),
            "package p\nv {\n  __palisade_arg0 = params.ranges; not accept(rule, x, __palisade_arg0)\n}\n"
        );
        // Variables and literals stay; so does a call under `with`.
        for src in [
            "package p\nv {\n  not f(x, \"a.b\", 1)\n}\n",
            "package p\nv {\n  not f(a.b) with input as {}\n}\n",
            "package p\nv {\n  not a.b == c.d\n}\n",
        ] {
            assert_eq!(rewrite(src), src, "{src}");
        }
    }

    /// Arbitrary text made of Rego's troublesome pieces (braces, quotes, comments, `not`,
    /// line breaks, multi-byte characters): never a panic, and never a line moved.
    #[test]
    fn any_text_keeps_its_lines() {
        let pieces = [
            "{", "}", "[", "]", "(", ")", "\"", "\\", "`", "#", "\n", " ", "not ", "f(", "a.b",
            ",", ";", "else", "x", "é", "🦀", "} {", "=", ":=",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut src = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                src.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let out = rewrite(&src);
            assert_eq!(
                out.matches('\n').count(),
                src.matches('\n').count(),
                "{src:?}"
            );
            let _ = crate::sprintf::needed(&src);
        }
    }

    #[test]
    fn ordinary_rego_is_untouched() {
        for src in [
            "package p\n\ndefault allow = false\n\nallow {\n  f(\n    input.x\n  )\n}\n",
            "package p\nx = {\"a\": 1} {\n  true\n}\n",
            "package p\nf(x) = y {\n  x > 1\n  y := 1\n} else = z {\n  z := 2\n}\n",
            "package p\ns := {1,\n  (2)}\n",
            "package p\nr {\n  s := \"} {\" # } {\n  s != \"\"\n}\n",
            "package p\nimport rego.v1\ndeny contains msg if {\n  msg := sprintf(\"%v\",\n    [input.a])\n}\n",
        ] {
            assert_eq!(rewrite(src), src, "{src}");
        }
    }
}
