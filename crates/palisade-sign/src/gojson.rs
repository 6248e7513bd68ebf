//! JSON bytes as Go's `encoding/json` writes them, since cosign signs those exact bytes:
//! compact, map keys sorted, and `<`, `>`, `&`, U+2028, U+2029 escaped inside strings.

/// serde_json's compact output with Go's HTML escaping applied. The escaped characters
/// can only occur inside JSON strings, so replacing them in the whole text is exact.
pub fn to_vec<T: serde::Serialize>(value: &T) -> serde_json::Result<Vec<u8>> {
    let text = serde_json::to_string(value)?;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_like_go() {
        let v = serde_json::json!({"b": "a<b>&c\u{2028}", "a": 1});
        assert_eq!(
            String::from_utf8(super::to_vec(&v).unwrap()).unwrap(),
            r#"{"a":1,"b":"a\u003cb\u003e\u0026c\u2028"}"#
        );
    }
}
