//! Small string normalisations more than one crate needs, kept in one place so that a name
//! or a URL component is spelt the same wherever it is built or compared.

/// PEP 503 normalised Python distribution name: lower case, every run of `-`, `_` and `.`
/// one `-` (`Zope.Interface__x` → `zope-interface-x`). Surrounding whitespace is ignored.
pub fn pep503_normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Percent-encodes every byte of `s` (as UTF-8) except RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) and the ASCII bytes in `keep`, with upper-case hex (`+` → `%2B`).
///
/// Callers choose `keep` for their component: nothing for a purl segment, `/` for a URI
/// path, `:` for an osv.dev path segment.
pub fn percent_encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || keep.contains(&b)
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0x0f));
        }
    }
    out
}

fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503() {
        assert_eq!(pep503_normalize("PyYAML"), "pyyaml");
        assert_eq!(pep503_normalize("zope.interface"), "zope-interface");
        assert_eq!(pep503_normalize("Foo__Bar-.baz"), "foo-bar-baz");
        assert_eq!(pep503_normalize("zope.interface__x"), "zope-interface-x");
        assert_eq!(pep503_normalize("  Django "), "django");
        assert_eq!(pep503_normalize("_leading"), "leading");
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(percent_encode("5.2.15-2+b2", b""), "5.2.15-2%2Bb2");
        assert_eq!(percent_encode("@babel", b""), "%40babel");
        assert_eq!(percent_encode("Rocky Linux:9", b":"), "Rocky%20Linux:9");
        assert_eq!(percent_encode("a b/c@d", b"/@"), "a%20b/c@d");
        assert_eq!(percent_encode("é", b""), "%C3%A9");
        assert_eq!(percent_encode("~x_y.z-", b""), "~x_y.z-");
    }
}
