//! `palisade db update`: per-ecosystem `<base>/<Ecosystem>/all.zip` (the osv.dev bucket
//! layout) over HTTP(S), conditional on the ETag/Last-Modified of the previous download.
//! A download that is truncated or fails its CRC leaves that ecosystem's old records in place.

use crate::import::{ingest, Input, Job};
use crate::store::{open_read, touch_source, Writer};
use crate::{DbError, ImportReport};
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// Largest archive accepted from the network.
pub const MAX_DOWNLOAD_BYTES: u64 = 8 * 1024 * 1024 * 1024;

/// What `update` fetches when neither the caller nor the database names ecosystems: every
/// OSV ecosystem Palisade matches packages against — the language ecosystems it detects,
/// and the whole archive of each distribution family it recognises (each archive holds
/// every release: `Debian` has `Debian:11`, `Debian:12`, …). Every name is one osv.dev lists
/// (2026-12), so each has an `all.zip` (Photon OS, which osv.dev does not carry, is left out).
/// Documented in
/// `docs/vulnerability-database.md`; keep the two in step.
pub const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "PyPI",
    "npm",
    "crates.io",
    "Go",
    "Maven",
    "RubyGems",
    "Packagist",
    "NuGet",
    "Debian",
    "Ubuntu",
    "Alpine",
    "Wolfi",
    "Chainguard",
    "Rocky Linux",
    "AlmaLinux",
    "openSUSE",
    "SUSE",
    "Azure Linux",
    "Mageia",
];

/// Told how a download goes, so a front door can draw a progress bar. Every method has a
/// default that does nothing.
pub trait UpdateProgress {
    /// Download `index` (0-based) of `count` starts; `bytes` is its length when known.
    fn download(&self, _ecosystem: &str, _index: usize, _count: usize, _bytes: Option<u64>) {}
    /// `bytes` more of the current download arrived.
    fn advance(&self, _bytes: u64) {}
    /// The downloads are done; the archives are being loaded into the database.
    fn importing(&self) {}
}

/// No progress reporting.
pub struct NoProgress;
impl UpdateProgress for NoProgress {}

/// Counts what passes through, for the progress bar.
struct Counting<'p, R> {
    inner: R,
    progress: &'p dyn UpdateProgress,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateStatus {
    Updated,
    NotModified,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct EcosystemUpdate {
    pub ecosystem: String,
    pub url: String,
    pub status: UpdateStatus,
    pub records: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateReport {
    pub ecosystems: Vec<EcosystemUpdate>,
    pub import: ImportReport,
    /// No ecosystem was named and the database had none: [`DEFAULT_ECOSYSTEMS`] were fetched.
    pub defaulted: bool,
}

impl UpdateReport {
    pub fn failed(&self) -> impl Iterator<Item = &EcosystemUpdate> {
        self.ecosystems
            .iter()
            .filter(|e| e.status == UpdateStatus::Failed)
    }
}

fn source_name(ecosystem: &str) -> String {
    format!("osv:{ecosystem}")
}

/// Percent-encode a path segment (`Rocky Linux` → `Rocky%20Linux`); `:` stays as osv.dev has it.
fn encode_segment(s: &str) -> String {
    palisade_core::percent_encode(s, b":")
}

fn validators(db_path: &Path, ecosystem: &str) -> (Option<String>, Option<String>) {
    let Ok(conn) = open_read(db_path) else {
        return (None, None);
    };
    conn.query_row(
        "SELECT etag, last_modified FROM sources WHERE name = ?1",
        [source_name(ecosystem)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
    .ok()
    .flatten()
    .unwrap_or((None, None))
}

struct Downloaded {
    file: tempfile::NamedTempFile,
    etag: Option<String>,
    last_modified: Option<String>,
}

enum Fetch {
    NotModified,
    Got(Downloaded),
}

/// Why one ecosystem's archive could not be downloaded.
#[derive(Debug, thiserror::Error)]
enum FetchError {
    #[error("HTTP {code} {text}")]
    Status { code: u16, text: String },
    #[error("{0}")]
    Transport(String),
    #[error("archive larger than {MAX_DOWNLOAD_BYTES} bytes")]
    TooLarge,
    #[error("truncated download: {got} of {expected} bytes")]
    Truncated { got: u64, expected: u64 },
    #[error("download interrupted: {0}")]
    Interrupted(std::io::Error),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

struct Request<'a> {
    url: &'a str,
    ecosystem: &'a str,
    index: usize,
    count: usize,
}

fn fetch(
    agent: &ureq::Agent,
    req_info: &Request<'_>,
    dir: &Path,
    (etag, last_modified): (Option<&str>, Option<&str>),
    progress: &dyn UpdateProgress,
) -> Result<Fetch, FetchError> {
    let url = req_info.url;
    let mut req = agent.get(url);
    if let Some(e) = etag {
        req = req.set("If-None-Match", e);
    }
    if let Some(l) = last_modified {
        req = req.set("If-Modified-Since", l);
    }
    let resp = match req.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            return Err(FetchError::Status {
                code,
                text: r.status_text().to_string(),
            })
        }
        Err(e) => return Err(FetchError::Transport(e.to_string())),
    };
    if resp.status() == 304 {
        return Ok(Fetch::NotModified);
    }
    if resp.status() != 200 {
        return Err(FetchError::Status {
            code: resp.status(),
            text: resp.status_text().to_string(),
        });
    }
    let expected: Option<u64> = resp
        .header("Content-Length")
        .and_then(|v| v.trim().parse().ok());
    let new_etag = resp.header("ETag").map(str::to_string);
    let new_lm = resp.header("Last-Modified").map(str::to_string);
    if expected.is_some_and(|n| n > MAX_DOWNLOAD_BYTES) {
        return Err(FetchError::TooLarge);
    }
    let mut file =
        crate::scratch::create(dir, crate::scratch::DOWNLOAD_PREFIX, ".zip").map_err(|source| {
            FetchError::Io {
                path: dir.display().to_string(),
                source,
            }
        })?;
    progress.download(req_info.ecosystem, req_info.index, req_info.count, expected);
    let mut reader = Counting {
        inner: resp.into_reader().take(MAX_DOWNLOAD_BYTES + 1),
        progress,
    };
    let got = std::io::copy(&mut reader, file.as_file_mut()).map_err(FetchError::Interrupted)?;
    if got > MAX_DOWNLOAD_BYTES {
        return Err(FetchError::TooLarge);
    }
    if let Some(n) = expected {
        if n != got {
            return Err(FetchError::Truncated { got, expected: n });
        }
    }
    let path = file.path().display().to_string();
    file.as_file_mut()
        .flush()
        .map_err(|source| FetchError::Io { path, source })?;
    Ok(Fetch::Got(Downloaded {
        file,
        etag: new_etag,
        last_modified: new_lm,
    }))
}

/// Download and load the given OSV ecosystems (`PyPI`, `Debian:12`, ...; an empty slice
/// means the ecosystems already in the database). The database is replaced atomically.
pub fn update(
    db_path: &Path,
    base_url: &str,
    ecosystems: &[String],
) -> Result<UpdateReport, DbError> {
    update_with_progress(db_path, base_url, ecosystems, &NoProgress)
}

/// [`update`], telling `progress` how the downloads go. With no ecosystems named and none
/// in the database (no database yet), [`DEFAULT_ECOSYSTEMS`] are fetched.
pub fn update_with_progress(
    db_path: &Path,
    base_url: &str,
    ecosystems: &[String],
    progress: &dyn UpdateProgress,
) -> Result<UpdateReport, DbError> {
    let base = base_url.trim_end_matches('/');
    let dir = match db_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| DbError::io(&dir, e))?;
    let mut wanted: Vec<String> = ecosystems.to_vec();
    if wanted.is_empty() {
        if let Ok(conn) = open_read(db_path) {
            let mut stmt = conn
                .prepare(
                    "SELECT substr(name, 5) FROM sources WHERE name LIKE 'osv:%' ORDER BY name",
                )
                .map_err(DbError::sql(db_path))?;
            wanted = stmt
                .query_map([], |r| r.get(0))
                .map_err(DbError::sql(db_path))?
                .collect::<Result<_, _>>()
                .map_err(DbError::sql(db_path))?;
        }
    }
    let defaulted = wanted.is_empty();
    if defaulted {
        wanted = DEFAULT_ECOSYSTEMS.iter().map(|e| e.to_string()).collect();
    }
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(30))
        .timeout_read(Duration::from_secs(300))
        .user_agent(concat!("palisade/", env!("CARGO_PKG_VERSION")))
        .build();

    let mut results: Vec<EcosystemUpdate> = Vec::new();
    let mut downloads: Vec<(usize, Downloaded)> = Vec::new();
    for (index, eco) in wanted.iter().enumerate() {
        let url = format!("{base}/{}/all.zip", encode_segment(eco));
        let (etag, lm) = validators(db_path, eco);
        let mut entry = EcosystemUpdate {
            ecosystem: eco.clone(),
            url: url.clone(),
            status: UpdateStatus::Failed,
            records: 0,
            error: None,
        };
        let request = Request {
            url: &url,
            ecosystem: eco,
            index,
            count: wanted.len(),
        };
        match fetch(
            &agent,
            &request,
            &dir,
            (etag.as_deref(), lm.as_deref()),
            progress,
        ) {
            Ok(Fetch::NotModified) => entry.status = UpdateStatus::NotModified,
            Ok(Fetch::Got(d)) => downloads.push((results.len(), d)),
            Err(e) => entry.error = Some(e.to_string()),
        }
        results.push(entry);
    }

    let mut import = ImportReport::default();
    if !downloads.is_empty() {
        progress.importing();
        let writer = Writer::begin(db_path)?;
        let jobs: Vec<Job> = downloads
            .iter()
            .map(|(i, d)| Job {
                input: Input::Zip {
                    label: results[*i].url.clone(),
                    path: d.file.path().to_path_buf(),
                },
                source: source_name(&results[*i].ecosystem),
            })
            .collect();
        let tmp_path = writer.path().to_path_buf();
        let (outcomes, report) = ingest(&writer, jobs, &mut |conn, source| {
            // The archive is the whole ecosystem: what it no longer has is gone.
            conn.execute(
                "DELETE FROM affected WHERE advisory_id IN (SELECT id FROM advisories WHERE source = ?1)",
                [source],
            )
            .map_err(DbError::sql(&tmp_path))?;
            conn.execute("DELETE FROM advisories WHERE source = ?1", [source])
                .map_err(DbError::sql(&tmp_path))?;
            Ok(())
        })?;
        for ((i, d), outcome) in downloads.iter().zip(outcomes) {
            let entry = &mut results[*i];
            match outcome.result {
                Ok(()) => {
                    entry.status = UpdateStatus::Updated;
                    entry.records = outcome.records;
                    touch_source(
                        &writer.conn,
                        writer.path(),
                        &source_name(&entry.ecosystem),
                        d.etag.as_deref(),
                        d.last_modified.as_deref(),
                    )?;
                }
                Err(f) => entry.error = Some(f.reason),
            }
        }
        import = report;
        import.changed = results.iter().any(|e| e.status == UpdateStatus::Updated);
        // Every archive failed to load: the database stays as it was, timestamps included.
        if import.changed {
            writer.finish()?;
        }
    }
    Ok(UpdateReport {
        ecosystems: results,
        import,
        defaulted,
    })
}

#[cfg(test)]
mod tests {
    use super::encode_segment;

    #[test]
    fn ecosystem_names_are_url_safe() {
        assert_eq!(encode_segment("Rocky Linux:9"), "Rocky%20Linux:9");
        assert_eq!(encode_segment("PyPI"), "PyPI");
        assert_eq!(encode_segment("../x"), "..%2Fx");
    }
}
