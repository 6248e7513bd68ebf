//! Go RE2 spellings that Rust's `regex` rejects. gitleaks configs are written for Go, whose
//! parser reads a `{` that does not open a valid repetition (`${1}`, `{\d+}`) as a literal;
//! `regex` reports "repetition operator missing expression" instead. Escaping those braces
//! keeps the Go meaning and leaves every pattern `regex` already accepts unchanged.

use std::borrow::Cow;

pub(crate) fn from_go(re: &str) -> Cow<'_, str> {
    if !re.contains('{') {
        return Cow::Borrowed(re);
    }
    let b = re.as_bytes();
    let mut out = String::with_capacity(re.len() + 4);
    let mut i = 0;
    let mut in_class = false;
    let mut changed = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && i + 1 < b.len() {
            // Keep escapes whole (multi-byte UTF-8 after a backslash is copied below).
            out.push('\\');
            i += 1;
            let ch = re[i..].chars().next().unwrap_or('\\');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        match c {
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'{' if !in_class && !opens_repetition(b, i) => {
                out.push_str("\\{");
                changed = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        let ch = re[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8();
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(re)
    }
}

fn opens_repetition(b: &[u8], i: usize) -> bool {
    is_repetition(&b[i..]) && follows_atom(b, i)
}

/// `{n}`, `{n,}` or `{n,m}` at the start of `s`.
fn is_repetition(s: &[u8]) -> bool {
    let digits = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
    let n = digits(&s[1..]);
    if n == 0 {
        return false;
    }
    let rest = &s[1 + n..];
    match rest.first() {
        Some(b'}') => true,
        Some(b',') => {
            let m = digits(&rest[1..]);
            rest.get(1 + m) == Some(&b'}')
        }
        _ => false,
    }
}

/// Something a repetition can apply to precedes position `i` (not the start, `(` or `|`).
fn follows_atom(b: &[u8], i: usize) -> bool {
    match i.checked_sub(1).map(|p| b[p]) {
        None | Some(b'(') | Some(b'|') => i >= 2 && b[i - 2] == b'\\',
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::from_go;

    #[test]
    fn literal_braces_are_escaped() {
        assert_eq!(from_go(r"^\$(?:\d+|{\d+})$"), r"^\$(?:\d+|\{\d+})$");
        assert_eq!(from_go(r"\${[a-z]+}"), r"\$\{[a-z]+}");
        assert_eq!(from_go("{x}"), r"\{x}");
        regex::Regex::new(&from_go(r"^\$(?:\d+|{\d+})$")).unwrap();
    }

    #[test]
    fn valid_patterns_are_unchanged() {
        for re in [
            r"a{3}",
            r"[a-z]{2,}",
            r"\w{1,40}",
            r"[{}]",
            r"\{",
            r"(?i)ab",
        ] {
            assert!(matches!(from_go(re), std::borrow::Cow::Borrowed(_)), "{re}");
        }
        assert_eq!(from_go(r"(\d){4}"), r"(\d){4}");
    }
}
