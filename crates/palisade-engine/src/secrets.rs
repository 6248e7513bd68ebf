//! Secrets in every file of every layer: a visitor that sees files while their layer streams
//! by (including files later layers delete), then says what happened to each file since.

use palisade_core::{Finding, LayerRef};
use palisade_image::{FileVisit, LayeredFs, Removal};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub(crate) struct SecretVisitor<'a> {
    scanner: &'a palisade_secrets::Scanner,
    /// (layer that added the file, finding)
    found: Mutex<Vec<(usize, Finding)>>,
    /// Image layers are named in findings; a directory is one pseudo-layer and is not.
    image: bool,
    /// `secrets.scan_binary`: binary files are scanned too.
    scan_binary: bool,
    /// Files offered to the scanner (read whole, or turned down after their head).
    pub(crate) files: AtomicUsize,
}

/// The scanner drops a file whose first 8 KiB hold a NUL byte unless `scan_binary` is set
/// (`palisade_secrets::Scanner::scan`). The same test on the head lets the reader skip the
/// rest of such files: executables and shared libraries are most of the bytes of a root
/// filesystem. A smaller head than this would only let more files through to the scanner.
const BINARY_SNIFF_LEN: usize = 8192;

impl SecretVisitor<'_> {
    pub fn wants(&self, path: &str, size: u64) -> bool {
        self.scanner.wants(path, size)
    }

    /// Whether the scanner reads a file that starts with `head` (binary files only with
    /// `scan_binary`).
    pub fn accepts(&self, head: &[u8]) -> bool {
        self.scan_binary || !head[..head.len().min(BINARY_SNIFF_LEN)].contains(&0)
    }

    /// A file turned down after its head still counts as offered to the scanner.
    pub fn note_skipped(&self) {
        self.files.fetch_add(1, Ordering::Relaxed);
    }

    pub fn visit(&self, file: &FileVisit<'_>) {
        self.files.fetch_add(1, Ordering::Relaxed);
        let findings = self.scanner.scan(file.path, file.content);
        if findings.is_empty() {
            return;
        }
        let layer: Option<LayerRef> = self.image.then(|| file.layer.clone());
        let mut out = self.found.lock().unwrap_or_else(|e| e.into_inner());
        for mut f in findings {
            f.location.layer = layer.clone();
            out.push((file.layer.index, f));
        }
    }
}

impl<'a> SecretVisitor<'a> {
    pub fn new(scanner: &'a palisade_secrets::Scanner, image: bool, scan_binary: bool) -> Self {
        SecretVisitor {
            scanner,
            found: Mutex::default(),
            image,
            scan_binary,
            files: AtomicUsize::new(0),
        }
    }

    /// Findings in path order, each saying whether a later layer deleted or replaced its file
    /// (the secret is still in the image either way).
    pub fn finish(self, fs: &LayeredFs) -> Vec<Finding> {
        let found = self.found.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::with_capacity(found.len());
        for (layer, mut f) in found {
            if self.image {
                annotate_fate(self.scanner, &mut f, fs, layer);
            }
            out.push(f);
        }
        out.sort_by(|a, b| {
            (&a.location.path, a.location.layer.as_ref().map(|l| l.index))
                .cmp(&(&b.location.path, b.location.layer.as_ref().map(|l| l.index)))
        });
        out
    }
}

fn annotate_fate(
    scanner: &palisade_secrets::Scanner,
    f: &mut Finding,
    fs: &LayeredFs,
    layer: usize,
) {
    let path = f.location.path.clone().unwrap_or_default();
    let describe = |i: usize| {
        let created = fs
            .layer(i)
            .and_then(|l| l.created_by.clone())
            .unwrap_or_default();
        // Masked before it is shortened: a cut token no longer matches its rule.
        let created = scanner.redact(&created).unwrap_or(created);
        format!(
            "layer {i} ({})",
            created.chars().take(60).collect::<String>()
        )
    };
    match fs.fate(&path, layer) {
        Some(Removal::Deleted { by_layer }) => {
            f.message = format!(
                "{} — file deleted in {}, still recoverable from layer {layer}",
                f.message,
                describe(by_layer)
            );
            f.extra.insert("deleted_in_layer".into(), by_layer.into());
        }
        Some(Removal::Replaced { by_layer }) => {
            f.message = format!(
                "{} — file replaced in {}, old version recoverable from layer {layer}",
                f.message,
                describe(by_layer)
            );
            f.extra.insert("replaced_in_layer".into(), by_layer.into());
        }
        None => {}
    }
}
