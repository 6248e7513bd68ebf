//! `palisade db update|import|status`.

use crate::cli::{DbCommand, RulesFormat};
use anyhow::{Context, Result};
use palisade_engine::vulndb::{self, VulnDb};
use std::io::Write;
use std::path::{Path, PathBuf};

fn target_path(db: &Option<PathBuf>) -> Result<PathBuf> {
    match db {
        Some(p) => Ok(p.clone()),
        None => VulnDb::default_path(None).context("no cache directory; pass --db PATH"),
    }
}

pub fn run(cmd: &DbCommand) -> Result<i32> {
    let mut out = std::io::stdout().lock();
    match cmd {
        DbCommand::Import { paths, db } => {
            if let Some(missing) = paths.iter().find(|p| !p.exists()) {
                anyhow::bail!("{}: no such file or directory", missing.display());
            }
            let path = target_path(db)?;
            ensure_parent(&path)?;
            let r = vulndb::import(&path, paths)
                .with_context(|| format!("importing into {}", path.display()))?;
            for s in &r.skipped {
                eprintln!("warning: skipped {s}");
            }
            writeln!(
                out,
                "imported {} advisories ({} withdrawn ignored, {} skipped) into {} in {:.1}s",
                r.records,
                r.withdrawn,
                r.skipped.len(),
                path.display(),
                r.seconds
            )?;
            Ok(0)
        }
        DbCommand::Update {
            base_url,
            ecosystems,
            db,
        } => {
            let path = target_path(db)?;
            ensure_parent(&path)?;
            let r = vulndb::update(&path, base_url, ecosystems)
                .with_context(|| format!("updating {} from {base_url}", path.display()))?;
            let mut failed = false;
            for e in &r.ecosystems {
                let error = e.error.as_deref().map(|m| format!(" ({m})"));
                writeln!(
                    out,
                    "{:<20} {:?} {} records{}",
                    e.ecosystem,
                    e.status,
                    e.records,
                    error.unwrap_or_default()
                )?;
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
            if *format == RulesFormat::Json {
                writeln!(out, "{}", serde_json::to_string_pretty(&st)?)?;
                return Ok(0);
            }
            let embedded = if st.embedded { " (embedded)" } else { "" };
            writeln!(out, "database: {}{embedded}", st.path.display())?;
            writeln!(out, "schema version: {}", st.schema_version)?;
            writeln!(out, "advisories: {}", st.advisories)?;
            if let Some(u) = st.updated_at.as_ref().or(st.built_at.as_ref()) {
                let stale = if st.stale { " (stale)" } else { "" };
                writeln!(out, "updated: {u}{stale}")?;
            }
            for (eco, n) in &st.ecosystems {
                writeln!(out, "  {eco:<24} {n}")?;
            }
            for s in &st.sources {
                writeln!(
                    out,
                    "source {} ({} records, {})",
                    s.name, s.records, s.updated_at
                )?;
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
