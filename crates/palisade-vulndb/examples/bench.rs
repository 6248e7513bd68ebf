//! Benchmarks of `bench/vulndb/run-bench.sh`:
//! - `gen <corpus>/advisories/osv <out.zip> <records>`: an OSV ecosystem archive made by
//!   replicating the corpus records under new IDs (and new package names, so lookups spread).
//! - `match <db> <packages> <rounds>`: time matching a realistic mix of packages (a library
//!   micro-benchmark of `VulnDb::match_packages`, without start-up or reporting).
//!
//! Importing is timed through the shipped CLI (`palisade db import`), not here.

use palisade_core::{Ecosystem, Package, Relationship};
use palisade_vulndb::{osv, VulnDb};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

fn corpus_records(dir: &Path) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let n = p.to_string_lossy().to_lowercase();
            let Ok(bytes) = std::fs::read(&p) else {
                continue;
            };
            let docs = if n.ends_with(".json") {
                osv::parse_json(&bytes)
            } else if n.ends_with(".yaml") {
                osv::parse_yaml(&bytes)
            } else {
                continue;
            };
            for v in docs.unwrap_or_default() {
                if osv::validate(v.clone()).is_ok() {
                    out.push(v);
                }
            }
        }
    }
    out.sort_by_key(|v| v["id"].as_str().unwrap_or_default().to_string());
    out
}

fn gen(src: &Path, dst: &Path, n: usize) -> Result<(), Box<dyn std::error::Error>> {
    let base = corpus_records(src);
    if base.is_empty() {
        return Err("no corpus records".into());
    }
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst)?);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..n {
        let mut rec = base[i % base.len()].clone();
        let round = i / base.len();
        let id = format!("{}-R{round}", rec["id"].as_str().unwrap_or("X"));
        rec["id"] = id.clone().into();
        if round > 0 {
            if let Some(aff) = rec.get_mut("affected").and_then(|a| a.as_array_mut()) {
                for a in aff {
                    if let Some(name) = a.pointer_mut("/package/name") {
                        *name = format!("{}-r{round}", name.as_str().unwrap_or("x")).into();
                    }
                }
            }
        }
        w.start_file(format!("{id}.json"), opts)?;
        w.write_all(serde_json::to_string(&rec)?.as_bytes())?;
    }
    w.finish()?;
    println!(
        "{n} records -> {} ({} bytes)",
        dst.display(),
        std::fs::metadata(dst)?.len()
    );
    Ok(())
}

fn packages(db: &Path, n: usize) -> Result<Vec<Package>, Box<dyn std::error::Error>> {
    // Half the packages have advisories (names from the database), half are unknown names.
    let conn = rusqlite::Connection::open(db)?;
    let mut stmt = conn.prepare(
        "SELECT DISTINCT ecosystem, name FROM affected WHERE ecosystem IN ('pypi','go','crates.io','npm') LIMIT ?1",
    )?;
    let known: Vec<(String, String)> = stmt
        .query_map([n as i64 / 2], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for i in 0..n {
        let (eco, name) = match known.get(i / 2).filter(|_| i % 2 == 0) {
            Some((e, n)) => (e.clone(), n.clone()),
            None => ("pypi".to_string(), format!("unknown-package-{i}")),
        };
        let ecosystem = match eco.as_str() {
            "go" => Ecosystem::Golang,
            "crates.io" => Ecosystem::Cargo,
            "npm" => Ecosystem::Npm,
            _ => Ecosystem::Pypi,
        };
        let version = ["0.1.0", "1.0.0", "1.2.3", "2.19.1", "0.9.7"][i % 5];
        out.push(Package {
            ecosystem,
            purl: format!("pkg:{}/{name}@{version}", ecosystem.purl_type()),
            name,
            version: version.into(),
            source_name: None,
            source_version: None,
            arch: None,
            licenses: vec![],
            maintainer: None,
            found_in: "bench".into(),
            layer: None,
            other_locations: Vec::new(),
            relationship: Relationship::Unknown,
            depends_on: vec![],
            declared_deps: vec![],
        });
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    match a.get(1).map(String::as_str) {
        Some("gen") if a.len() == 5 => gen(Path::new(&a[2]), Path::new(&a[3]), a[4].parse()?),
        Some("match") if a.len() == 5 => {
            let db_path = Path::new(&a[2]);
            let pkgs = packages(db_path, a[3].parse()?)?;
            let db = VulnDb::open(db_path)?;
            let mut times = Vec::new();
            let mut n = 0;
            for _ in 0..a[4].parse::<usize>()? {
                let t = Instant::now();
                n = db.match_packages(None, &pkgs)?.findings.len();
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
            times.sort_by(|x, y| x.total_cmp(y));
            println!(
                "match {} packages: {} findings, median {:.1} ms, min {:.1} ms, max {:.1} ms over {} rounds",
                pkgs.len(),
                n,
                times[times.len() / 2],
                times[0],
                times[times.len() - 1],
                times.len()
            );
            Ok(())
        }
        _ => Err("usage: bench gen <osv-dir> <out.zip> <n> | match <db> <n> <rounds>".into()),
    }
}
