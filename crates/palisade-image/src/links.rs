//! Wanted paths reached through links. Readers decide what to keep as entries stream by,
//! by the entry's own path; a package database that is a symlink (`var/lib/dpkg/status ->
//! /data/status`) or a hardlink to a file whose first name nobody wanted would otherwise
//! yield nothing. After the tree is built, such paths are listed here and their targets
//! read in a second, narrow pass (issue 13 #15).

use crate::layer::NodeKind;
use crate::vfs::LayeredFs;
use crate::{KeepRules, ReadOptions};
use std::collections::{BTreeMap, HashMap};

/// One file to read again: the version of `target` that layer `layer` added, wanted under
/// the link `path`.
#[derive(Debug, Clone)]
pub(crate) struct LinkNeed {
    pub path: String,
    pub target: String,
    pub size: u64,
    pub mode: u32,
    /// Keep the content under `path` for analyzers.
    pub keep: bool,
    /// Offer the content to the visitor under `path` (hardlinks only: the visitor saw the
    /// target's bytes under its own name when it wanted them).
    pub visit: bool,
}

/// Links whose path is wanted while their target's content was not kept, by the layer
/// holding the target.
pub(crate) fn link_needs(fs: &LayeredFs, opts: &ReadOptions<'_>) -> BTreeMap<usize, Vec<LinkNeed>> {
    let mut out: BTreeMap<usize, Vec<LinkNeed>> = BTreeMap::new();
    for (path, node) in fs.iter() {
        let (layer, target, size, hardlink, missing) = match node.kind {
            NodeKind::Symlink => match fs.resolve(path) {
                Some((target, t)) if t.kind == NodeKind::File && t.content.is_none() => {
                    (t.layer, target, t.size, false, true)
                }
                _ => continue,
            },
            // Hardlinks become files sharing their target's content when applied; the link
            // stays recorded. Tar hardlinks name an earlier entry of the same layer.
            NodeKind::File => match &node.link {
                Some(target) => (
                    node.layer,
                    target.clone(),
                    node.size,
                    true,
                    node.content.is_none(),
                ),
                None => continue,
            },
            _ => continue,
        };
        let keep = missing && (opts.keep)(path, size);
        let visit = hardlink
            && opts
                .visitor
                .is_some_and(|v| v.wants(path, size) && !v.wants(&target, size));
        if keep || visit {
            out.entry(layer).or_default().push(LinkNeed {
                path: path.to_string(),
                target,
                size,
                mode: node.mode,
                keep,
                visit,
            });
        }
    }
    out
}

/// The caller's [`KeepRules`] asked about the link's path when a target is read again: the
/// limits and head checks belong to what the file is wanted as.
pub(crate) struct ViaLinks<'a> {
    pub rules: Option<&'a dyn KeepRules>,
    pub link_of: HashMap<&'a str, &'a str>,
}

impl KeepRules for ViaLinks<'_> {
    fn max_size(&self, path: &str, size: u64) -> Option<u64> {
        let path = self.link_of.get(path).copied().unwrap_or(path);
        self.rules.and_then(|r| r.max_size(path, size))
    }

    fn wants_head(&self, path: &str, size: u64, head: &[u8]) -> bool {
        let path = self.link_of.get(path).copied().unwrap_or(path);
        self.rules.is_none_or(|r| r.wants_head(path, size, head))
    }
}
