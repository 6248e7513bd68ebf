use crate::store::SCHEMA_VERSION;
use crate::DbError;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, Serialize)]
pub struct DbStatus {
    pub path: PathBuf,
    pub schema_version: i64,
    pub built_at: Option<String>,
    pub updated_at: Option<String>,
    /// Seconds since `updated_at`.
    pub age_seconds: Option<u64>,
    pub stale: bool,
    /// Built from the advisories embedded in the binary rather than an import or update.
    pub embedded: bool,
    pub advisories: u64,
    /// Advisories per OSV ecosystem (lower-cased, as indexed).
    pub ecosystems: BTreeMap<String, u64>,
    pub sources: Vec<SourceStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceStatus {
    pub name: String,
    pub records: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    pub updated_at: String,
    /// Seconds since `updated_at`.
    pub age_seconds: Option<u64>,
    /// Older than [`crate::STALE_AFTER`].
    pub stale: bool,
}

pub(crate) fn meta(conn: &Connection, key: &str) -> Option<String> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .ok()
        .flatten()
}

pub(crate) fn age(conn: &Connection) -> Option<Duration> {
    since(&meta(conn, "updated_at")?)
}

/// Time since an RFC 3339 instant (zero if it lies in the future).
fn since(rfc3339: &str) -> Option<Duration> {
    let t = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()?;
    let secs = (time::OffsetDateTime::now_utc() - t).whole_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}

pub(crate) fn status(conn: &Connection, path: &Path) -> Result<DbStatus, DbError> {
    let sql = DbError::sql;
    let advisories: u64 = conn
        .query_row("SELECT COUNT(*) FROM advisories", [], |r| r.get(0))
        .map_err(sql(path))?;
    let mut ecosystems = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT ecosystem, COUNT(DISTINCT advisory_id) FROM affected GROUP BY ecosystem")
        .map_err(sql(path))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))
        .map_err(sql(path))?;
    for row in rows {
        let (k, v) = row.map_err(sql(path))?;
        ecosystems.insert(k, v);
    }
    let mut stmt = conn
        .prepare("SELECT name, records, etag, last_modified, updated_at FROM sources ORDER BY name")
        .map_err(sql(path))?;
    let sources = stmt
        .query_map([], |r| {
            let updated_at: String = r.get(4)?;
            let age = since(&updated_at);
            Ok(SourceStatus {
                name: r.get(0)?,
                records: r.get(1)?,
                etag: r.get(2)?,
                last_modified: r.get(3)?,
                age_seconds: age.map(|a| a.as_secs()),
                stale: age.is_some_and(|a| a > crate::STALE_AFTER),
                updated_at,
            })
        })
        .map_err(sql(path))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql(path))?;
    let age = age(conn);
    Ok(DbStatus {
        path: path.to_path_buf(),
        schema_version: SCHEMA_VERSION,
        built_at: meta(conn, "built_at"),
        updated_at: meta(conn, "updated_at"),
        age_seconds: age.map(|a| a.as_secs()),
        stale: age.is_some_and(|a| a > crate::STALE_AFTER),
        embedded: meta(conn, "embedded_digest").is_some(),
        advisories,
        ecosystems,
        sources,
    })
}
