//! Path handling for paths that come from images: lexical, never touching the host
//! filesystem, and never able to name anything above the image root.

/// Normalises a tar member path: drops `.`/empty components and a leading `/`, resolves
/// `..` lexically. Returns `None` for the root itself and for paths that climb above it.
pub fn normalize(raw: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(raw);
    let mut parts: Vec<&str> = Vec::new();
    for c in s.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("/"))
    }
}

/// Resolves a symlink target relative to the link's directory, clamped at the root the way
/// a chroot does (`/../..` stays at `/`). Absolute targets start from the image root.
pub fn join_relative(link_path: &str, target: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        parts.extend(link_path.split('/'));
        parts.pop();
    }
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

/// Parent directory of a normalised path (`""` for top-level entries).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

pub fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map(|(_, n)| n).unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_rejects_escapes() {
        assert_eq!(normalize(b"./etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(normalize(b"/usr//bin/./x").as_deref(), Some("usr/bin/x"));
        assert_eq!(normalize(b"a/../b").as_deref(), Some("b"));
        assert_eq!(normalize(b"../../etc/shadow"), None);
        assert_eq!(normalize(b"a/../../x"), None);
        assert_eq!(normalize(b"./"), None);
    }

    #[test]
    fn symlink_targets_clamp_at_root() {
        assert_eq!(
            join_relative("usr/bin/python", "python3.11"),
            "usr/bin/python3.11"
        );
        assert_eq!(
            join_relative("etc/evil", "../../../../etc/shadow"),
            "etc/shadow"
        );
        assert_eq!(join_relative("a/b", "/etc/os-release"), "etc/os-release");
    }
}
