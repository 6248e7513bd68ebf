//! File classification: which files of a tree or image are configuration Palisade checks.
//! Package databases and lockfiles are the inventory detectors' own business
//! (`Detector::wants`); secrets look at every file.

use palisade_core::TargetKind;
use std::path::Path;

/// Configuration files are small; anything bigger is data, not configuration.
pub const MAX_CONFIG_FILE: u64 = 16 << 20;

/// Directories that hold other people's code: a Dockerfile or manifest inside is a
/// dependency's own (a chart's test fixture, a vendored example), not the project's.
pub const THIRD_PARTY_DIRS: [&str; 6] = [
    "node_modules",
    "vendor",
    ".terraform",
    "target",
    "site-packages",
    "dist-packages",
];

/// Directories of an image or root filesystem that belong to the distribution, where
/// `apiVersion`/`kind` YAML is documentation or package data.
const SYSTEM_DIRS: [&str; 8] = [
    "usr/share/",
    "usr/lib/",
    "usr/lib64/",
    "usr/libexec/",
    "lib/",
    "lib64/",
    "var/lib/",
    "var/cache/",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigKind {
    Dockerfile,
    /// A YAML or JSON file that may hold Kubernetes objects (decided on its content).
    ManifestCandidate,
}

/// What a file is, by its path alone. `path` is relative to the target root.
pub fn config_kind(path: &str) -> Option<ConfigKind> {
    let p = Path::new(path);
    if palisade_dockerfile::is_dockerfile(p) {
        return Some(ConfigKind::Dockerfile);
    }
    let ext = p.extension().and_then(|e| e.to_str())?;
    ["yaml", "yml", "json"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
        .then_some(ConfigKind::ManifestCandidate)
}

/// Whether a file at `path` of `size` bytes is configuration the misconfiguration scanner
/// reads, for a target of `kind`.
pub fn wants_config(kind: TargetKind, path: &str, size: u64) -> bool {
    size <= MAX_CONFIG_FILE && is_config_path(kind, path)
}

/// A configuration file by name and place, whatever its size (an oversized one is reported
/// as skipped, not silently ignored).
pub fn is_config_path(kind: TargetKind, path: &str) -> bool {
    config_kind(path).is_some()
        && !in_third_party_dir(path)
        && !(matches!(kind, TargetKind::Image | TargetKind::Rootfs)
            && SYSTEM_DIRS.iter().any(|d| path.starts_with(d)))
}

fn in_third_party_dir(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts.iter().any(|d| THIRD_PARTY_DIRS.contains(d))
}

/// Whether text handed over without a file name (stdin) is a Dockerfile: its first
/// instruction is `FROM` or `ARG`.
pub fn looks_like_dockerfile(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            let u = l.get(..5).unwrap_or(l).to_ascii_uppercase();
            u.starts_with("FROM ") || u.starts_with("ARG ")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_files_by_name_and_place() {
        use TargetKind::*;
        assert!(wants_config(Filesystem, "Dockerfile", 10));
        assert!(wants_config(Filesystem, "k8s/deploy.yaml", 10));
        assert!(wants_config(Filesystem, "chart/values.JSON", 10));
        assert!(!wants_config(Filesystem, "README.md", 10));
        assert!(!wants_config(
            Filesystem,
            "k8s/deploy.yaml",
            MAX_CONFIG_FILE + 1
        ));
        assert!(!wants_config(Filesystem, "node_modules/x/Dockerfile", 10));
        assert!(!wants_config(Filesystem, "a/vendor/b/pod.yaml", 10));
        // A file merely named like a third-party directory is still the project's.
        assert!(wants_config(Filesystem, "deploy/vendor.yaml", 10));
        assert!(wants_config(Image, "srv/app/k8s/pod.yaml", 10));
        assert!(wants_config(Image, "usr/src/app/Dockerfile", 10));
        assert!(!wants_config(Image, "usr/share/doc/x/example.yaml", 10));
        assert!(wants_config(Filesystem, "usr/share/doc/x/example.yaml", 10));
    }

    #[test]
    fn dockerfile_text() {
        assert!(looks_like_dockerfile(
            "# syntax=docker/dockerfile:1\nFROM debian\n"
        ));
        assert!(looks_like_dockerfile("arg BASE=debian\nfrom $BASE\n"));
        assert!(!looks_like_dockerfile("apiVersion: v1\nkind: Pod\n"));
        assert!(!looks_like_dockerfile("€€€€€€"));
    }
}
