//! Package inventory over a read tree: every detector on every file it wants (in parallel),
//! then dependency linking and de-duplication.

use palisade_core::{OsInfo, Package, ScanError};
use palisade_image::LayeredFs;
use palisade_inventory::{Detector, FileRef};
use rayon::prelude::*;

pub(crate) struct Inventory {
    detectors: Vec<Box<dyn Detector>>,
}

impl Inventory {
    pub fn new() -> Self {
        Inventory {
            detectors: palisade_inventory::all_detectors(),
        }
    }

    /// Detectors that read a kept file once the tree is known.
    fn on_tree(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors
            .iter()
            .map(|d| d.as_ref())
            .filter(|d| !d.self_contained())
    }

    /// Detectors that run while a file streams by (see [`crate::early`]).
    fn on_stream(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors
            .iter()
            .map(|d| d.as_ref())
            .filter(|d| d.self_contained())
    }

    /// Whether a detector needs this file's content kept until the tree is known.
    pub fn wants(&self, path: &str, size: u64) -> bool {
        self.on_tree().any(|d| d.wants(path, size))
    }

    /// Whether a detector reads this file as it streams by.
    pub fn wants_streamed(&self, path: &str, size: u64) -> bool {
        self.on_stream().any(|d| d.wants(path, size))
    }

    /// Whether a detector reading this file as it streams by still wants it after its head.
    pub fn wants_streamed_head(&self, path: &str, size: u64, head: &[u8]) -> bool {
        self.on_stream()
            .any(|d| d.wants(path, size) && d.wants_head(head))
    }

    /// What the streaming detectors find in one file.
    pub fn detect_streamed(&self, file: &FileRef<'_>) -> Vec<palisade_inventory::Detection> {
        let size = file.content.len() as u64;
        self.on_stream()
            .filter(|d| d.wants(file.path, size) && d.wants_head(file.content))
            .map(|d| d.detect_all(file, None))
            .collect()
    }

    /// The largest content a detector that wants this file keeps, when it has its own.
    pub fn max_size(&self, path: &str, size: u64) -> Option<u64> {
        self.on_tree()
            .filter(|d| d.wants(path, size))
            .filter_map(|d| d.max_size())
            .max()
    }

    /// Whether some detector that wants `path` still wants it after its first bytes.
    pub fn wants_head(&self, path: &str, size: u64, head: &[u8]) -> bool {
        self.on_tree()
            .any(|d| d.wants(path, size) && d.wants_head(head))
    }

    /// Packages of every kept file, linked and de-duplicated, per-file problems, and how many
    /// files a detector read (a lockfile that fails to parse was still found).
    /// `streamed` holds what the streaming detectors found while the tree was read.
    pub fn detect(
        &self,
        fs: &LayeredFs,
        os: Option<&OsInfo>,
        streamed: crate::early::Streamed,
    ) -> (Vec<Package>, Vec<ScanError>, usize) {
        let files: Vec<(&str, &palisade_image::Node, &[u8])> = fs.files_with_content().collect();
        // The good records of a damaged package database are kept next to its warnings.
        let results: Vec<palisade_inventory::Detection> = files
            .par_iter()
            .flat_map_iter(|(path, node, content)| {
                let file = FileRef {
                    path,
                    content,
                    layer: fs.layer(node.layer),
                };
                self.on_tree()
                    .filter(move |d| d.wants(path, node.size))
                    .map(move |d| d.detect_all(&file, os))
            })
            .collect();
        let read = results.len() + streamed.files;
        let mut packages = streamed.packages;
        let mut errors = streamed.errors;
        for r in results {
            packages.extend(r.packages);
            errors.extend(r.problems.into_iter().map(ScanError::from));
        }
        palisade_inventory::link_installed(&mut packages);
        dedup(&mut packages);
        (packages, errors, read)
    }
}

/// Sorts, then merges an installed package with the lockfile entry that installed it: sorting
/// puts `node_modules/…/package.json` before the lockfile, so the installed copy wins.
fn dedup(packages: &mut Vec<Package>) {
    packages.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version, &a.found_in).cmp(&(
            b.ecosystem,
            &b.name,
            &b.version,
            &b.found_in,
        ))
    });
    let dir = |p: &str| p.rsplit_once('/').map(|x| x.0).unwrap_or("").to_string();
    packages.dedup_by(|b, a| a.purl == b.purl && dir(&a.found_in).starts_with(&dir(&b.found_in)));
}
