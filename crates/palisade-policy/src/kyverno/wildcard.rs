//! Kyverno's wildcards (`go-wildcard` v1): `*` any run of characters, `?` exactly one.

/// Whether `text` matches `pattern`. Iterative with one backtrack point, so hostile patterns
/// (`*a*a*a*…`) stay linear in practice and never recurse.
pub fn matches(pattern: &str, text: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return pattern == text;
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

pub fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn kyverno_wildcard_cases() {
        assert!(matches("*", "s3:GetObject"));
        assert!(!matches("", "s3:GetObject"));
        assert!(matches("", ""));
        assert!(matches("s3:*", "s3:ListMultipartUploadParts"));
        assert!(!matches("my-bucket?/abc*", "mybucket/abc"));
        assert!(matches("my-bucket?/abc*", "my-bucket1/abc"));
        assert!(!matches("my??bucket/abc*", "mybucket/abc"));
        assert!(matches("my??bucket/abc*", "my4abucket/abc"));
        assert!(matches("*.example.com", "a.b.example.com"));
        assert!(!matches("nginx", "nginx:latest"));
        assert!(matches("a*b*c", "aXXbYYc"));
        assert!(!matches("a*b*c", "aXXbYY"));
        assert!(
            matches("a*", "a*b"),
            "a star in the text is no literal for the pattern's star"
        );
        assert!(matches("*", ""));
        assert!(matches("ghcr.io/*/app:?", "ghcr.io/a/b/app:1"));
        assert!(!matches("ghcr.io/*/app:?", "ghcr.io/a/app:12"));
        assert!(!matches("*a*a*a*b", &"a".repeat(2000)));
    }
}
