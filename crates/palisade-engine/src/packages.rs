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

    /// Whether any detector needs the content of this file.
    pub fn wants(&self, path: &str, size: u64) -> bool {
        self.detectors.iter().any(|d| d.wants(path, size))
    }

    /// Packages of every kept file, linked and de-duplicated, per-file problems, and how many
    /// files a detector read (a lockfile that fails to parse was still found).
    pub fn detect(
        &self,
        fs: &LayeredFs,
        os: Option<&OsInfo>,
    ) -> (Vec<Package>, Vec<ScanError>, usize) {
        let files: Vec<(&str, &palisade_image::Node, &[u8])> = fs.files_with_content().collect();
        let results: Vec<Result<Vec<Package>, ScanError>> = files
            .par_iter()
            .flat_map_iter(|(path, node, content)| {
                let file = FileRef {
                    path,
                    content,
                    layer: fs.layer(node.layer),
                };
                self.detectors
                    .iter()
                    .filter(move |d| d.wants(path, node.size))
                    .map(move |d| d.detect(&file, os).map_err(ScanError::from))
            })
            .collect();
        let read = results.len();
        let mut packages = Vec::new();
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(p) => packages.extend(p),
                Err(e) => errors.push(e),
            }
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
