//! Package URL construction (<https://github.com/package-url/purl-spec>).
//! Hand-written because it is a few lines and the purl crates do not percent-encode
//! version strings the way the spec's test suite expects (`+` → `%2B`).

/// Percent-encodes a purl component: everything but unreserved characters.
fn encode(s: &str) -> String {
    palisade_core::percent_encode(s, b"")
}

/// `pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS`; qualifiers are sorted by key as the spec asks.
pub fn build(
    ty: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let mut s = format!("pkg:{ty}/");
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        let parts: Vec<String> = ns.split('/').map(encode).collect();
        s.push_str(&parts.join("/"));
        s.push('/');
    }
    s.push_str(&encode(name));
    if !version.is_empty() {
        s.push('@');
        s.push_str(&encode(version));
    }
    let mut q: Vec<&(&str, &str)> = qualifiers.iter().filter(|(_, v)| !v.is_empty()).collect();
    q.sort_by_key(|(k, _)| *k);
    if !q.is_empty() {
        let joined: Vec<String> = q
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        s.push('?');
        s.push_str(&joined.join("&"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deb_purl_encodes_plus_and_sorts_qualifiers() {
        let p = build(
            "deb",
            Some("debian"),
            "bash",
            "5.2.15-2+b2",
            &[("distro", "debian-12"), ("arch", "amd64")],
        );
        assert_eq!(
            p,
            "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12"
        );
    }

    #[test]
    fn npm_scoped_name() {
        let p = build("npm", Some("@babel"), "core", "7.0.0", &[]);
        assert_eq!(p, "pkg:npm/%40babel/core@7.0.0");
    }
}
