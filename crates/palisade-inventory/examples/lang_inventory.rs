//! Walks a directory, runs the language detectors on every file they want and prints the
//! packages and per-file errors as JSON. Used by `bench/lang/` to compare with other tools.
//!
//! `cargo run -p palisade-inventory --example lang_inventory -- DIR`

use palisade_inventory::{lang, FileRef};
use std::path::Path;

fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, std::path::PathBuf, u64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        let path = e.path();
        if ft.is_dir() {
            walk(root, &path, files);
        } else if ft.is_file() {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let size = e.metadata().map(|m| m.len()).unwrap_or(0);
            files.push((rel, path, size));
        }
    }
}

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: lang_inventory DIR");
        std::process::exit(2);
    };
    let root = Path::new(&root);
    let mut files = Vec::new();
    walk(root, root, &mut files);
    files.sort();
    let detectors = lang::detectors();
    let mut packages = Vec::new();
    let mut errors = Vec::new();
    for (rel, path, size) in &files {
        let wanted: Vec<_> = detectors.iter().filter(|d| d.wants(rel, *size)).collect();
        if wanted.is_empty() {
            continue;
        }
        let content = match std::fs::read(path) {
            Ok(c) => c,
            Err(e) => {
                errors.push(format!("{rel}: {e}"));
                continue;
            }
        };
        let file = FileRef {
            path: rel,
            content: &content,
            layer: None,
        };
        for d in wanted {
            match d.detect(&file, None) {
                Ok(p) => packages.extend(p),
                Err(e) => errors.push(format!("{}: {e}", d.name())),
            }
        }
    }
    palisade_inventory::link_installed(&mut packages);
    let out = serde_json::json!({ "packages": packages, "errors": errors });
    match serde_json::to_string_pretty(&out) {
        Ok(s) => println!("{s}"),
        Err(e) => {
            eprintln!("cannot serialise: {e}");
            std::process::exit(1);
        }
    }
}
