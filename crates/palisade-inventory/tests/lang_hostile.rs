//! Hostile input: truncated and corrupted copies of every fixture must give packages or a
//! DetectError naming the file, never a panic.

use palisade_inventory::{lang, FileRef};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn truncated_and_flipped_fixtures_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lang");
    let mut all = Vec::new();
    files(&root, &mut all);
    let detectors = lang::detectors();
    let mut errors = 0;
    let mut runs = 0;
    for path in all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let data = std::fs::read(&path).unwrap();
        let wanted: Vec<_> = detectors
            .iter()
            .filter(|d| d.wants(&rel, data.len() as u64))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let mut variants: Vec<Vec<u8>> = [3, 2]
            .iter()
            .map(|d| data[..data.len() * 2 / d / 2].to_vec())
            .collect();
        let mut seed: u32 = 0x9e37_79b9;
        for _ in 0..8 {
            let mut v = data.clone();
            for _ in 0..16 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let i = seed as usize % v.len().max(1);
                if let Some(b) = v.get_mut(i) {
                    *b = (seed >> 8) as u8;
                }
            }
            variants.push(v);
        }
        for v in &variants {
            for d in &wanted {
                runs += 1;
                if let Err(e) = d.detect(
                    &FileRef {
                        path: &rel,
                        content: v,
                        layer: None,
                    },
                    None,
                ) {
                    assert_eq!(e.path, rel, "errors name the file");
                    errors += 1;
                }
            }
        }
    }
    assert!(runs > 300, "{runs} runs");
    assert!(
        errors > 20,
        "corruption should be reported, got {errors} errors in {runs} runs"
    );
}
