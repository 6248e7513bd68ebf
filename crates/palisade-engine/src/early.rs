//! Detectors that read nothing but one file (executables, Java archives) run while the file
//! streams by, and its bytes are dropped at once. Kept until the tree was known, those files
//! made memory grow with the image: thirty 48 MiB files under `bin/` held 1.5 GB. Now memory
//! depends on the largest such file, and the kept-bytes budget is left to the files that
//! need the whole tree (package databases, lockfiles).

use crate::packages::Inventory;
use palisade_core::{Package, ScanError};
use palisade_image::{FileVisit, LayeredFs};
use palisade_inventory::{Detection, FileRef};
use std::sync::Mutex;

pub(crate) struct StreamedInventory<'a> {
    inventory: &'a Inventory,
    /// Image layers are named in package locations; a directory's pseudo-layer is not.
    image: bool,
    /// (path, layer that added the file, what was found)
    found: Mutex<Vec<(String, usize, Vec<Detection>)>>,
}

/// What the streaming detectors found in the versions of files still visible.
#[derive(Debug, Default)]
pub(crate) struct Streamed {
    pub packages: Vec<Package>,
    pub errors: Vec<ScanError>,
    /// Files a detector read.
    pub files: usize,
}

impl<'a> StreamedInventory<'a> {
    pub fn new(inventory: &'a Inventory, image: bool) -> Self {
        StreamedInventory {
            inventory,
            image,
            found: Mutex::default(),
        }
    }

    pub fn wants(&self, path: &str, size: u64) -> bool {
        self.inventory.wants_streamed(path, size)
    }

    pub fn wants_content(&self, path: &str, size: u64, head: &[u8]) -> bool {
        self.inventory.wants_streamed_head(path, size, head)
    }

    pub fn visit(&self, file: &FileVisit<'_>) {
        let detections = self.inventory.detect_streamed(&FileRef {
            path: file.path,
            content: file.content,
            layer: self.image.then_some(file.layer),
        });
        if detections.is_empty() {
            return;
        }
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        found.push((file.path.to_string(), file.layer.index, detections));
    }

    /// Keeps what was found in files still visible in `fs`: a later layer may have deleted
    /// or replaced a file after it streamed by.
    pub fn finish(self, fs: &LayeredFs) -> Streamed {
        let found = self.found.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut out = Streamed::default();
        for (path, layer, detections) in found {
            if fs.lstat(&path).is_none_or(|n| n.layer != layer) {
                continue;
            }
            for d in detections {
                out.files += 1;
                out.packages.extend(d.packages);
                out.errors
                    .extend(d.problems.into_iter().map(ScanError::from));
            }
        }
        out
    }
}
