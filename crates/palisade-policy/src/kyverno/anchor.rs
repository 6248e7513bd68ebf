//! Pattern keys with anchors: `(key)` conditional, `<(key)` global, `X(key)` negation,
//! `=(key)` equality, `^(key)` existence, `+(key)` add-if-absent.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Condition,
    Global,
    Negation,
    AddIfAbsent,
    Equality,
    Existence,
}

/// The anchor of a pattern key and the field it names; `None` for a plain key.
pub fn parse(key: &str) -> Option<(Anchor, &str)> {
    let k = key.trim();
    let (kind, rest) = match k.as_bytes().first()? {
        b'(' => (Anchor::Condition, k),
        b'<' => (Anchor::Global, &k[1..]),
        b'X' => (Anchor::Negation, &k[1..]),
        b'+' => (Anchor::AddIfAbsent, &k[1..]),
        b'=' => (Anchor::Equality, &k[1..]),
        b'^' => (Anchor::Existence, &k[1..]),
        _ => return None,
    };
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    if inner.is_empty() {
        return None;
    }
    Some((kind, inner))
}

/// The key with its anchor again (`=(name)`), for keys rewritten inside an anchor.
pub fn render(kind: Anchor, key: &str) -> String {
    let m = match kind {
        Anchor::Condition => "",
        Anchor::Global => "<",
        Anchor::Negation => "X",
        Anchor::AddIfAbsent => "+",
        Anchor::Equality => "=",
        Anchor::Existence => "^",
    };
    format!("{m}({key})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_anchor() {
        assert_eq!(parse("(name)"), Some((Anchor::Condition, "name")));
        assert_eq!(
            parse("=(securityContext)"),
            Some((Anchor::Equality, "securityContext"))
        );
        assert_eq!(parse("X(hostPath)"), Some((Anchor::Negation, "hostPath")));
        assert_eq!(
            parse("^(containers)"),
            Some((Anchor::Existence, "containers"))
        );
        assert_eq!(parse("<(image)"), Some((Anchor::Global, "image")));
        assert_eq!(parse("+(x)"), Some((Anchor::AddIfAbsent, "x")));
        assert_eq!(parse("name"), None);
        assert_eq!(parse("()"), None);
        assert_eq!(parse("Xray"), None);
        assert_eq!(render(Anchor::Equality, "a"), "=(a)");
    }
}
