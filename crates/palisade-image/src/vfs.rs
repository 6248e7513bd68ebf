//! The layered, read-only virtual filesystem: layers applied in order with OCI whiteouts.
//! Every node remembers the layer that added it; files a later layer removed are kept in
//! a list so callers (the secret scanner) can report what `RUN rm` only hid.

use crate::layer::{LayerData, NodeKind};
use crate::path;
use palisade_core::{LayerRef, ScanError};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub mode: u32,
    pub size: u64,
    /// Index of the layer that added this version.
    pub layer: usize,
    pub link: Option<String>,
    pub content: Option<Arc<[u8]>>,
}

/// Why a file added by one layer is not in the final filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// A whiteout or opaque directory in `by_layer` deleted it.
    Deleted { by_layer: usize },
    /// A later layer wrote the same path again.
    Replaced { by_layer: usize },
}

#[derive(Debug, Clone)]
pub struct RemovedFile {
    pub path: String,
    pub added_in: usize,
    pub removal: Removal,
}

#[derive(Debug, Default)]
pub struct LayeredFs {
    nodes: BTreeMap<String, Node>,
    removed: Vec<RemovedFile>,
    layers: Vec<LayerRef>,
    /// Entries that were skipped (paths escaping the root, bad links), per layer.
    pub warnings: Vec<ScanError>,
}

const MAX_SYMLINK_HOPS: usize = 40;

impl LayeredFs {
    pub fn new(layers: Vec<LayerRef>) -> Self {
        LayeredFs {
            layers,
            ..Default::default()
        }
    }

    pub fn layers(&self) -> &[LayerRef] {
        &self.layers
    }

    pub fn layer(&self, index: usize) -> Option<&LayerRef> {
        self.layers.get(index)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Applies one layer on top of the current state. Whiteouts only hide lower layers, so
    /// they are applied before the layer's own entries, whatever their order in the tar.
    pub fn apply(&mut self, index: usize, data: LayerData) {
        for dir in &data.opaque_dirs {
            self.remove_children(dir, index);
        }
        for p in &data.whiteouts {
            self.remove_tree(p, index);
        }
        for e in data.entries {
            let mut node = Node {
                kind: e.kind,
                mode: e.mode,
                size: e.size,
                layer: index,
                link: e.link,
                content: e.content,
            };
            if node.kind == NodeKind::Hardlink {
                // A hardlink shares its target's data; resolve now, while the target is the
                // version this layer saw.
                let target = node.link.clone().unwrap_or_default();
                match self.nodes.get(&target) {
                    Some(t) if t.kind == NodeKind::File => {
                        node.kind = NodeKind::File;
                        node.size = t.size;
                        node.content = t.content.clone();
                    }
                    _ => node.kind = NodeKind::File,
                }
            }
            match self.nodes.get(&e.path) {
                Some(old) if old.kind == NodeKind::Dir && node.kind == NodeKind::Dir => {}
                Some(old) if old.kind == NodeKind::Dir => self.remove_children(&e.path, index),
                Some(old) if old.kind == NodeKind::File && old.layer != index => {
                    self.removed.push(RemovedFile {
                        path: e.path.clone(),
                        added_in: old.layer,
                        removal: Removal::Replaced { by_layer: index },
                    })
                }
                _ => {}
            }
            self.nodes.insert(e.path, node);
        }
    }

    fn remove_tree(&mut self, p: &str, by_layer: usize) {
        if let Some(old) = self.nodes.remove(p) {
            self.note_deleted(p, &old, by_layer);
        }
        self.remove_children(p, by_layer);
    }

    fn remove_children(&mut self, dir: &str, by_layer: usize) {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let keys: Vec<String> = self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(_, n)| n.layer < by_layer)
            .map(|(k, _)| k.clone())
            .collect();
        for k in keys {
            if let Some(old) = self.nodes.remove(&k) {
                self.note_deleted(&k, &old, by_layer);
            }
        }
    }

    fn note_deleted(&mut self, p: &str, old: &Node, by_layer: usize) {
        if old.kind == NodeKind::File {
            self.removed.push(RemovedFile {
                path: p.to_string(),
                added_in: old.layer,
                removal: Removal::Deleted { by_layer },
            });
        }
    }

    /// Gives the link at `path` (a symlink, or a hardlink applied as a file) the content of
    /// its target, the version of `target` that layer `layer` added; the target gets it too
    /// while it is still that version, so that reads through the link find it.
    pub(crate) fn fill_link(&mut self, path: &str, layer: usize, target: &str, content: Arc<[u8]>) {
        if let Some(t) = self.nodes.get_mut(target) {
            if t.layer == layer && t.kind == NodeKind::File && t.content.is_none() {
                t.content = Some(content.clone());
            }
        }
        if let Some(n) = self.nodes.get_mut(path) {
            if n.content.is_none() {
                // Analyzers choose files by path and size: a symlink's own size is its
                // target name's length.
                n.size = content.len() as u64;
                n.content = Some(content);
            }
        }
    }

    /// The node at `path` itself, without following a final symlink.
    pub fn lstat(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path::normalize(path.as_bytes())?.as_str())
    }

    /// Follows symlinks in every component, confined to the image root, at most 40 hops.
    pub fn resolve(&self, path: &str) -> Option<(String, &Node)> {
        let mut pending: Vec<String> = path::normalize(path.as_bytes())?
            .split('/')
            .rev()
            .map(str::to_string)
            .collect();
        let mut current = String::new();
        let mut hops = 0;
        while let Some(comp) = pending.pop() {
            let candidate = if current.is_empty() {
                comp
            } else {
                format!("{current}/{comp}")
            };
            let Some(node) = self.nodes.get(&candidate) else {
                // Layers may omit parent directory entries; only the last component must exist.
                if pending.is_empty() {
                    return None;
                }
                current = candidate;
                continue;
            };
            if node.kind == NodeKind::Symlink {
                hops += 1;
                if hops > MAX_SYMLINK_HOPS {
                    return None;
                }
                let target = path::join_relative(&candidate, node.link.as_deref().unwrap_or(""));
                pending.extend(
                    target
                        .split('/')
                        .filter(|c| !c.is_empty())
                        .rev()
                        .map(str::to_string),
                );
                current.clear();
            } else {
                current = candidate;
            }
        }
        let node = self.nodes.get(&current)?;
        Some((current, node))
    }

    /// Content of a kept file, following symlinks.
    pub fn read(&self, path: &str) -> Option<&[u8]> {
        let (_, node) = self.resolve(path)?;
        node.content.as_deref()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.nodes.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Regular files whose content was kept.
    pub fn files_with_content(&self) -> impl Iterator<Item = (&str, &Node, &[u8])> {
        self.nodes
            .iter()
            .filter_map(|(k, v)| v.content.as_deref().map(|c| (k.as_str(), v, c)))
    }

    pub fn removed(&self) -> &[RemovedFile] {
        &self.removed
    }

    /// What happened to the version of `path` that `layer` added: `None` while it is still
    /// the visible version.
    pub fn fate(&self, path: &str, layer: usize) -> Option<Removal> {
        match self.nodes.get(path) {
            Some(n) if n.layer == layer => None,
            _ => self
                .removed
                .iter()
                .find(|r| r.path == path && r.added_in == layer)
                .map(|r| r.removal),
        }
    }
}
