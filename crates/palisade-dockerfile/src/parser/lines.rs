//! Physical lines to logical lines: directives, escape character, continuations, heredocs.

use super::ast::Heredoc;
use super::ParseError;
use palisade_core::Span;

/// One instruction's text with continuations joined, and the heredoc bodies it owns.
#[derive(Debug, Clone)]
pub(crate) struct LogicalLine {
    pub text: String,
    pub span: Span,
    /// 1-based column where `text` starts on the first line.
    pub heredocs: Vec<Heredoc>,
}

pub(crate) type Directives = Vec<(String, String)>;

/// Instructions that BuildKit reads heredocs for.
const HEREDOC_INSTRUCTIONS: [&str; 3] = ["RUN", "COPY", "ADD"];

pub(crate) fn logical_lines(
    content: &str,
) -> (Directives, char, Vec<LogicalLine>, Vec<ParseError>) {
    // BuildKit ignores a UTF-8 byte order mark.
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let lines: Vec<&str> = content
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut directives = Vec::new();
    let mut idx = 0;
    // Parser directives must come first; the first other line (even a blank one) ends them.
    while idx < lines.len() {
        match directive(lines[idx]) {
            Some((k, v)) if !directives.iter().any(|(dk, _): &(String, String)| dk == &k) => {
                directives.push((k, v));
                idx += 1;
            }
            _ => break,
        }
    }
    let mut errors = Vec::new();
    let escape = match directives.iter().find(|(k, _)| k == "escape") {
        None => '\\',
        Some((_, v)) if v == "\\" => '\\',
        Some((_, v)) if v == "`" => '`',
        Some((_, v)) => {
            errors.push(ParseError {
                line: 1,
                message: format!("invalid escape directive {v:?} (expected \\ or `); using \\"),
            });
            '\\'
        }
    };

    let mut out = Vec::new();
    while idx < lines.len() {
        let line = lines[idx];
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            idx += 1;
            continue;
        }
        let start_line = idx as u32 + 1;
        let start_column = (line.chars().count() - trimmed.chars().count()) as u32 + 1;
        let mut text = String::new();
        let mut end_line = start_line;
        let mut end_col = line.chars().count() as u32;
        let mut current = trimmed;
        loop {
            match strip_continuation(current, escape) {
                Some(body) => {
                    text.push_str(body);
                    idx += 1;
                    // Comment and blank lines inside a continuation are dropped by BuildKit.
                    while idx < lines.len() {
                        let t = lines[idx].trim_start();
                        if t.starts_with('#') || t.trim().is_empty() {
                            idx += 1;
                        } else {
                            break;
                        }
                    }
                    if idx >= lines.len() {
                        break;
                    }
                    current = lines[idx];
                    end_line = idx as u32 + 1;
                    end_col = current.chars().count() as u32;
                }
                None => {
                    text.push_str(current);
                    idx += 1;
                    break;
                }
            }
        }
        let mut heredocs = Vec::new();
        let keyword = first_word(&text).to_ascii_uppercase();
        let heredoc_keyword = if keyword == "ONBUILD" {
            first_word(text[keyword.len()..].trim_start()).to_ascii_uppercase()
        } else {
            keyword
        };
        if HEREDOC_INSTRUCTIONS.contains(&heredoc_keyword.as_str()) {
            for (strip_tabs, delim) in heredoc_markers(&text) {
                let mut body = String::new();
                let mut closed = false;
                while idx < lines.len() {
                    let l = lines[idx];
                    idx += 1;
                    let cmp = if strip_tabs {
                        l.trim_start_matches('\t')
                    } else {
                        l
                    };
                    end_line = idx as u32;
                    end_col = l.chars().count().max(1) as u32;
                    if cmp == delim {
                        closed = true;
                        break;
                    }
                    body.push_str(cmp);
                    body.push('\n');
                }
                if !closed {
                    errors.push(ParseError {
                        line: start_line,
                        message: format!("heredoc <<{delim} is never terminated"),
                    });
                }
                heredocs.push(Heredoc {
                    delimiter: delim,
                    body,
                    strip_tabs,
                });
            }
        }
        out.push(LogicalLine {
            text,
            span: Span {
                start_line,
                start_column,
                end_line,
                end_column: end_col.max(1),
            },
            heredocs,
        });
    }
    (directives, escape, out, errors)
}

fn first_word(s: &str) -> &str {
    s.split(|c: char| c.is_whitespace()).next().unwrap_or("")
}

/// `# key=value` at the top of the file.
fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start().strip_prefix('#')?;
    let (k, v) = rest.split_once('=')?;
    let k = k.trim();
    if k.is_empty()
        || !k.chars().all(|c| c.is_ascii_alphanumeric())
        || !k.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return None;
    }
    Some((k.to_ascii_lowercase(), v.trim().to_string()))
}

/// The line without its trailing escape character (and whitespace after it), if it continues.
fn strip_continuation(line: &str, escape: char) -> Option<&str> {
    let t = line.trim_end();
    let body = t.strip_suffix(escape)?;
    // An escaped escape character (`\\` at the end) is a literal, not a continuation.
    let run = body.chars().rev().take_while(|c| *c == escape).count();
    if run % 2 == 1 {
        return None;
    }
    Some(body)
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` markers in order; `<<<` (here-string) is not one.
pub(crate) fn heredoc_markers(text: &str) -> Vec<(bool, String)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i + 1 < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'\'' || c == b'"' => quote = Some(c),
            None if c == b'<' && b[i + 1] == b'<' => {
                if i + 2 < b.len() && b[i + 2] == b'<' {
                    i += 3;
                    continue;
                }
                let mut j = i + 2;
                let strip = j < b.len() && b[j] == b'-';
                if strip {
                    j += 1;
                }
                let q = if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    Some(b[j])
                } else {
                    None
                };
                if q.is_some() {
                    j += 1;
                }
                let start = j;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if j > start {
                    let word = String::from_utf8_lossy(&b[start..j]).into_owned();
                    if let Some(qc) = q {
                        if j < b.len() && b[j] == qc {
                            j += 1;
                        }
                    }
                    out.push((strip, word));
                    i = j;
                    continue;
                }
            }
            None => {}
        }
        i += 1;
    }
    out
}
