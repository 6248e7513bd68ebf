use serde::{Deserialize, Serialize};

/// Where a finding points. Parts combine: a secret can sit at a line of a file that a given
/// image layer added, a Kubernetes field lives in a file too. Every part is optional so one
/// struct serves files, objects, layers, packages and commits without a variant per combination.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Location {
    /// Path of the file, relative to the scanned root (images: absolute inside the image).
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

impl Location {
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: Some(path.into()),
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
