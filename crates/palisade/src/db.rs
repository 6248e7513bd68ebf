//! `palisade db update|import|status`.

use crate::cli::{DbCommand, RulesFormat};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use palisade_engine::vulndb::{self, UpdateStatus, VulnDb};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

fn target_path(db: &Option<PathBuf>) -> Result<PathBuf> {
    match db {
        Some(p) => Ok(p.clone()),
        None => VulnDb::default_path(None).context("no cache directory; pass --db PATH"),
    }
}

pub fn run(cmd: &DbCommand) -> Result<i32> {
    match cmd {
        DbCommand::Import { paths, db } => import(paths, db),
        DbCommand::Update {
            base_url,
            ecosystems,
            db,
        } => update(base_url, ecosystems, db),
        DbCommand::Status { db, format } => status(db, *format),
    }
}

fn import(paths: &[PathBuf], db: &Option<PathBuf>) -> Result<i32> {
    let mut out = std::io::stdout().lock();
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        anyhow::bail!("{}: no such file or directory", missing.display());
    }
    let path = target_path(db)?;
    ensure_parent(&path)?;
    let r = vulndb::import(&path, paths)
        .with_context(|| format!("importing into {}", path.display()))?;
    for s in &r.skipped {
        eprintln!("warning: skipped {}", esc(&s.to_string()));
    }
    if !r.changed {
        // Every input was rejected or held no advisory: the database was not written.
        anyhow::bail!(
            "nothing imported ({} skipped); {} is unchanged",
            r.skipped.len(),
            path.display()
        );
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

/// A byte bar per download on stderr, when stderr is a terminal.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new() -> Bar {
        if !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        pb.enable_steady_tick(std::time::Duration::from_millis(100));
        Bar(Some(pb))
    }
}

impl vulndb::UpdateProgress for Bar {
    fn download(&self, ecosystem: &str, index: usize, count: usize, bytes: Option<u64>) {
        let Some(pb) = &self.0 else { return };
        let style = match bytes {
            Some(_) => ProgressStyle::with_template(
                "{spinner} {prefix} {msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec})",
            ),
            None => ProgressStyle::with_template("{spinner} {prefix} {msg} {bytes}"),
        };
        pb.set_style(
            style
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        pb.set_prefix(format!("[{}/{count}]", index + 1));
        pb.set_message(esc(ecosystem));
        pb.set_length(bytes.unwrap_or(0));
        pb.set_position(0);
    }

    fn advance(&self, bytes: u64) {
        if let Some(pb) = &self.0 {
            pb.inc(bytes);
        }
    }

    fn importing(&self) {
        if let Some(pb) = &self.0 {
            pb.set_style(ProgressStyle::default_spinner());
            pb.set_prefix("");
            pb.set_message("loading the archives into the database");
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

fn update(base_url: &str, ecosystems: &[String], db: &Option<PathBuf>) -> Result<i32> {
    let path = target_path(db)?;
    ensure_parent(&path)?;
    let r = {
        let bar = Bar::new();
        vulndb::update_with_progress(&path, base_url, ecosystems, &bar)
            .with_context(|| format!("updating {} from {base_url}", path.display()))?
    };
    let mut out = std::io::stdout().lock();
    if r.defaulted {
        writeln!(
            out,
            "no ecosystems named and none in the database: fetching the default set ({})",
            r.ecosystems.len()
        )?;
    }
    for e in &r.ecosystems {
        let status = match e.status {
            UpdateStatus::Updated => format!("updated, {} advisories", e.records),
            UpdateStatus::NotModified => "not modified".to_string(),
            UpdateStatus::Failed => format!(
                "failed: {}",
                esc(e.error.as_deref().unwrap_or("unknown error"))
            ),
        };
        writeln!(out, "{:<20} {status}", esc(&e.ecosystem))?;
    }
    let count = |s: UpdateStatus| r.ecosystems.iter().filter(|e| e.status == s).count();
    let (updated, same, failed) = (
        count(UpdateStatus::Updated),
        count(UpdateStatus::NotModified),
        count(UpdateStatus::Failed),
    );
    let outcome = if r.import.changed {
        format!(
            "{} written ({} advisories loaded)",
            path.display(),
            r.import.records
        )
    } else {
        format!("{} unchanged", path.display())
    };
    writeln!(
        out,
        "{updated} updated, {same} not modified, {failed} failed: {outcome}"
    )?;
    Ok(if failed > 0 { 2 } else { 0 })
}

fn status(db: &Option<PathBuf>, format: RulesFormat) -> Result<i32> {
    let mut out = std::io::stdout().lock();
    let vdb = match db {
        Some(p) => VulnDb::open(p)?,
        None => VulnDb::open_default(None)?,
    };
    let st = vdb.status()?;
    if format == RulesFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&st)?)?;
        return Ok(0);
    }
    let embedded = if st.embedded { " (embedded)" } else { "" };
    writeln!(out, "database: {}{embedded}", st.path.display())?;
    writeln!(out, "schema version: {}", st.schema_version)?;
    writeln!(out, "advisories: {}", st.advisories)?;
    if let Some(u) = st.updated_at.as_ref().or(st.built_at.as_ref()) {
        let age = st.age_seconds.map(age_text).unwrap_or_default();
        let stale = if st.stale { ", stale" } else { "" };
        writeln!(out, "updated: {u} ({age}{stale})")?;
    }
    for (eco, n) in &st.ecosystems {
        writeln!(out, "  {:<24} {n}", esc(eco))?;
    }
    let stale_after = vulndb::STALE_AFTER.as_secs();
    let mut stale_sources = Vec::new();
    for s in &st.sources {
        if s.stale {
            stale_sources.push(esc(&s.name));
        }
        writeln!(
            out,
            "source {} ({} records, updated {}{})",
            esc(&s.name),
            s.records,
            s.updated_at,
            s.age_seconds
                .map(|a| format!(", {}", age_text(a)))
                .unwrap_or_default()
        )?;
    }
    if st.stale || !stale_sources.is_empty() {
        let which = if stale_sources.is_empty() {
            "the database".to_string()
        } else {
            stale_sources.join(", ")
        };
        eprintln!(
            "warning: not updated for over {} days: {which}; run `palisade db update`",
            stale_after / 86_400
        );
    }
    Ok(0)
}

/// `3 days ago`, `5 hours ago`, `just now`.
fn age_text(secs: u64) -> String {
    let (n, unit) = match secs {
        0..60 => return "just now".into(),
        60..3600 => (secs / 60, "minute"),
        3600..86_400 => (secs / 3600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

fn esc(s: &str) -> String {
    palisade_report::escape_controls(s).into_owned()
}

fn ensure_parent(p: &Path) -> Result<()> {
    if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::age_text;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age_text(5), "just now");
        assert_eq!(age_text(60), "1 minute ago");
        assert_eq!(age_text(7200), "2 hours ago");
        assert_eq!(age_text(9 * 86_400 + 5), "9 days ago");
    }
}
