use serde::{Deserialize, Serialize};

/// Where a finding points. Parts combine: a secret can sit at a line of a file that a given
/// image layer added, a Kubernetes field lives in a file too. Every part is optional so one
/// struct serves files, objects, layers, packages and commits without a variant per combination.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Location {
    /// Path of the file, in the one form every producer keeps to (see [`target_path`]):
    /// relative to the root of the target, `/`-separated, without a leading `/` or `./`.
    /// Files inside an image are relative to the image's root filesystem
    /// (`var/lib/dpkg/status`, not `/var/lib/dpkg/status`); files of a directory target are
    /// relative to that directory (`deploy/app.yaml`). A target that is one file names it as
    /// the user did, normalised the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<LayerRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<CommitRef>,
}

/// A path in the form [`Location::path`] documents: `/`-separated, relative, without empty
/// or `.` segments (`/etc//os-release` → `etc/os-release`, `./a/./b` → `a/b`). `..` is kept:
/// resolving it is the reader's job, which knows the tree.
pub fn target_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for seg in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(seg);
    }
    out
}

impl Location {
    /// A file location; the path is normalised with [`target_path`].
    pub fn file(path: impl AsRef<str>) -> Self {
        Location {
            path: Some(target_path(path.as_ref())),
            ..Default::default()
        }
    }

    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn with_layer(mut self, layer: Option<LayerRef>) -> Self {
        self.layer = layer;
        self
    }
}

/// 1-based lines and columns; `end_*` inclusive.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Span {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Span {
    pub fn line(line: u32) -> Self {
        Span {
            start_line: line,
            start_column: 1,
            end_line: line,
            end_column: 1,
        }
    }
}

/// The image layer that added (or deleted) something.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LayerRef {
    /// 0-based position in the manifest's layer list.
    pub index: usize,
    /// Digest of the layer blob as stored (compressed).
    pub digest: String,
    /// Digest of the uncompressed tar (the config's rootfs.diff_ids entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_id: Option<String>,
    /// `created_by` of the matching non-empty history entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// A Kubernetes object and a field inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ObjectRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
    /// e.g. `spec.template.spec.containers[0].securityContext.privileged`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_path: Option<String>,
}

/// A git commit that introduced something.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CommitRef {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_paths_are_relative_and_slash_separated() {
        assert_eq!(target_path("/var/lib/dpkg/status"), "var/lib/dpkg/status");
        assert_eq!(target_path("./deploy//app.yaml"), "deploy/app.yaml");
        assert_eq!(target_path("a/./b/"), "a/b");
        assert_eq!(target_path("../x"), "../x");
        assert_eq!(
            Location::file("/etc/passwd").path.as_deref(),
            Some("etc/passwd")
        );
    }
}
