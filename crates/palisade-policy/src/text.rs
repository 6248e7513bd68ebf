//! Scanning policy source text (Rego, CEL) without a parser: the one rule every scanner here
//! needs, where a quoted literal ends.

/// Index of the quote closing the literal whose opening quote is at `open`: `"…"` and `'…'`
/// with backslash escapes, `` `…` `` raw. `None` when the literal never closes.
pub(crate) fn quoted_end(bytes: &[u8], open: usize) -> Option<usize> {
    let quote = *bytes.get(open)?;
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b if b == quote => return Some(i),
            b'\\' if quote != b'`' => i += 2,
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::quoted_end;

    #[test]
    fn escapes_and_raw_strings() {
        assert_eq!(quoted_end(br#"x "a\"b" y"#, 2), Some(7));
        assert_eq!(quoted_end(br"`a\`", 0), Some(3));
        assert_eq!(quoted_end(br#"'it\'s' "#, 0), Some(6));
        assert_eq!(quoted_end(b"\"open", 0), None);
        assert_eq!(quoted_end(b"\"ends in \\", 0), None);
    }
}
