//! `palisade db update|import|status`.

use crate::cli::{DbCommand, RulesFormat};
use anyhow::{Context, Result};
use palisade_vulndb::VulnDb;
use std::path::{Path, PathBuf};

fn target_path(db: &Option<PathBuf>) -> Result<PathBuf> {
    match db {
        Some(p) => Ok(p.clone()),
        None => VulnDb::default_path(None).context("no cache directory; pass --db PATH"),
    }
}

pub fn run(cmd: &DbCommand) -> Result<i32> {
    match cmd {
        DbCommand::Import { paths, db } => {
            let path = target_path(db)?;
            ensure_parent(&path)?;
            let r = palisade_vulndb::import(&path, paths)
                .with_context(|| format!("importing into {}", path.display()))?;
            for s in &r.skipped {
                eprintln!("warning: skipped {s}");
            }
            println!(
                "imported {} advisories ({} withdrawn ignored, {} skipped) into {} in {:.1}s",
                r.records,
                r.withdrawn,
                r.skipped.len(),
                path.display(),
                r.seconds
            );
            Ok(0)
        }
        DbCommand::Update {
            base_url,
            ecosystems,
            db,
        } => {
            let path = target_path(db)?;
            ensure_parent(&path)?;
            let r = palisade_vulndb::update(&path, base_url, ecosystems)
                .with_context(|| format!("updating {} from {base_url}", path.display()))?;
            let mut failed = false;
            for e in &r.ecosystems {
                println!(
                    "{:<20} {:?} {} records{}",
                    e.ecosystem,
                    e.status,
                    e.records,
                    e.error
                        .as_deref()
                        .map(|m| format!(" ({m})"))
                        .unwrap_or_default()
                );
                failed |= e.error.is_some();
            }
            Ok(if failed { 2 } else { 0 })
        }
        DbCommand::Status { db, format } => {
            let vdb = match db {
                Some(p) => VulnDb::open(p)?,
                None => VulnDb::open_default(None)?,
            };
            let st = vdb.status()?;
            match format {
                RulesFormat::Json => println!("{}", serde_json::to_string_pretty(&st)?),
                RulesFormat::Table => {
                    println!(
                        "database: {}{}",
                        st.path.display(),
                        if st.embedded { " (embedded)" } else { "" }
                    );
                    println!("schema version: {}", st.schema_version);
                    println!("advisories: {}", st.advisories);
                    if let Some(u) = st.updated_at.as_ref().or(st.built_at.as_ref()) {
                        println!("updated: {u}{}", if st.stale { " (stale)" } else { "" });
                    }
                    for (eco, n) in &st.ecosystems {
                        println!("  {eco:<24} {n}");
                    }
                    for s in &st.sources {
                        println!(
                            "source {} ({} records, {})",
                            s.name, s.records, s.updated_at
                        );
                    }
                }
            }
            Ok(0)
        }
    }
}

fn ensure_parent(p: &Path) -> Result<()> {
    if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    Ok(())
}

/// The database a scan uses: `--db`/`PALISADE_DB`, else cache, else embedded.
pub fn open_for_scan(db: &Option<PathBuf>, max_age_days: u64) -> Result<VulnDb> {
    let vdb = match db {
        Some(p) => VulnDb::open(p)
            .with_context(|| format!("opening vulnerability database {}", p.display()))?,
        None => VulnDb::open_default(None).context("opening the vulnerability database")?,
    };
    let days = vdb.age().map(|a| a.as_secs() / 86_400).unwrap_or(0);
    if days > max_age_days {
        eprintln!(
            "warning: vulnerability database {} is {days} days old; run `palisade db update`",
            vdb.path().display()
        );
    }
    Ok(vdb)
}
