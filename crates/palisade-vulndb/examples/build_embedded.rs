//! Build `data/osv-embedded.jsonl.gz` from the OSV sets of a corpus directory whose licences
//! allow redistribution (see `data/README.md`). Usage:
//! `cargo run --release -p palisade-vulndb --example build_embedded -- <corpus>/advisories/osv <out>`

use flate2::write::GzEncoder;
use palisade_vulndb::osv;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Sets and why they may ship: CC-BY-4.0 (attribution in data/README.md) or CC0.
const ALLOWED: [(&str, &str); 4] = [
    ("pypa__advisory-database", "CC-BY-4.0"),
    ("golang__vulndb", "CC-BY-4.0"),
    (
        "rustsec__advisory-db",
        "CC0-1.0 (GHSA-derived entries CC-BY-4.0)",
    ),
    ("github__advisory-database-sample", "CC-BY-4.0"),
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(src), Some(dst)) = (args.get(1), args.get(2)) else {
        return Err("usage: build_embedded <corpus>/advisories/osv <out.jsonl.gz>".into());
    };
    let mut records = Vec::new();
    for (set, licence) in ALLOWED {
        let mut paths = Vec::new();
        files(&Path::new(src).join(set), &mut paths);
        let before = records.len();
        for p in paths {
            let name = p.to_string_lossy().to_lowercase();
            let bytes = std::fs::read(&p)?;
            let docs = if name.ends_with(".json") {
                osv::parse_json(&bytes)
            } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                osv::parse_yaml(&bytes)
            } else {
                continue;
            };
            for doc in docs.map_err(|e| format!("{}: {e}", p.display()))? {
                match osv::validate(doc) {
                    Ok(r) if r.withdrawn.is_none() => records.push(r),
                    Ok(_) => {}
                    Err(e) => eprintln!("skip {}: {e}", p.display()),
                }
            }
        }
        eprintln!("{set} ({licence}): {} records", records.len() - before);
    }
    records.sort_by(|a, b| a.id.cmp(&b.id));
    records.dedup_by(|a, b| a.id == b.id);
    let out = std::fs::File::create(dst)?;
    let mut gz = GzEncoder::new(out, flate2::Compression::best());
    for r in &records {
        serde_json::to_writer(&mut gz, r)?;
        gz.write_all(b"\n")?;
    }
    gz.finish()?;
    eprintln!(
        "{} records -> {dst} ({} bytes)",
        records.len(),
        std::fs::metadata(dst)?.len()
    );
    Ok(())
}
