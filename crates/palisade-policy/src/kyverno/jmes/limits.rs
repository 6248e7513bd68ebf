//! Bounds on hostile expressions and data. Real policy expressions are a few hundred bytes with a
//! handful of brackets; these caps are far above that and far below what could exhaust a 2 MiB
//! thread stack or the machine's memory.

use super::JmesError;

/// Longest expression accepted.
pub(super) const MAX_EXPR_LEN: usize = 16 * 1024;
/// Tokens that make the `jmespath` crate's recursive-descent parser (and our tree) go one level
/// deeper, or our tree one node deeper: brackets, parens, braces, `!`, `&`, `*`, `.`, `|` and
/// comparators. Counted, not nested, so recursion is bounded before the parser runs.
pub(super) const MAX_STRUCTURE_TOKENS: usize = 256;
/// Deepest parsed tree: policy expressions nest a handful of levels; an unoptimized build's
/// evaluation frames are several KiB, so this keeps a search well inside a 2 MiB stack.
pub(super) const MAX_AST_DEPTH: usize = 64;
/// Nested evaluation calls (bounded by the tree depth; a second guard).
pub(super) const MAX_EVAL_DEPTH: usize = 2 * MAX_AST_DEPTH;
/// Node evaluations in one search: bounds CPU for projections over large arrays.
pub(super) const MAX_STEPS: usize = 5_000_000;
/// Units (one per JSON node plus one per string byte) that one search may copy or build.
pub(super) const MAX_BUILT: usize = 16 * 1024 * 1024;
/// Longest string a function may produce.
pub(super) const MAX_STRING: usize = 4 * 1024 * 1024;

/// Rejects expressions too long or with too many structural tokens, skipping quoted parts the
/// same way the crate's lexer does (a backslash escapes the next character).
pub(super) fn check_expression(expr: &str) -> Result<(), JmesError> {
    let too_big = |message: String| JmesError::Parse {
        expr: truncate(expr),
        message,
    };
    if expr.len() > MAX_EXPR_LEN {
        return Err(too_big(format!("longer than {MAX_EXPR_LEN} bytes")));
    }
    let mut structure = 0usize;
    let mut quote: Option<char> = None;
    let mut chars = expr.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                '[' | '(' | '{' | '!' | '&' | '*' | '.' | '|' | '<' | '>' | '=' => structure += 1,
                _ => {}
            },
        }
    }
    if structure > MAX_STRUCTURE_TOKENS {
        return Err(too_big(format!(
            "more than {MAX_STRUCTURE_TOKENS} operators or brackets"
        )));
    }
    Ok(())
}

/// Expressions quoted in errors are cut to keep messages small.
pub(super) fn truncate(expr: &str) -> String {
    const KEEP: usize = 200;
    if expr.len() <= KEEP {
        return expr.to_string();
    }
    let mut end = KEEP;
    while !expr.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &expr[..end])
}

/// Size units of a value: one per node plus its string bytes (keys included). Iterative, so a
/// deep value cannot overflow the stack here.
pub(super) fn size(v: &serde_json::Value) -> usize {
    use serde_json::Value;
    let mut total = 0usize;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        total = total.saturating_add(1);
        match v {
            Value::String(s) => total = total.saturating_add(s.len()),
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => {
                for (k, v) in o {
                    total = total.saturating_add(k.len());
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
    total
}

/// Fails when a produced string would pass [`MAX_STRING`].
pub(super) fn check_string_len(len: usize) -> Result<(), JmesError> {
    if len > MAX_STRING {
        Err(JmesError::Limit)
    } else {
        Ok(())
    }
}
