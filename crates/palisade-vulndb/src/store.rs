//! The SQLite file. Readers open it read-only; writers build a copy next to it and rename the
//! copy into place, so a crash or a failed download never leaves a half-written database.

use crate::ecosystem::{ecosystem_key, normalize_name};
use crate::osv::OsvRecord;
use crate::DbError;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    records INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    updated_at TEXT NOT NULL
);
-- The record without its `affected` list, which lives in `affected`, one row per entry.
CREATE TABLE advisories (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    modified TEXT,
    record TEXT NOT NULL
);
CREATE INDEX advisories_source ON advisories(source);
CREATE TABLE affected (
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    entry TEXT NOT NULL
);
CREATE INDEX affected_package ON affected(ecosystem, name);
CREATE INDEX affected_advisory ON affected(advisory_id);
";

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_string())
}

pub fn open_read(path: &Path) -> Result<Connection, DbError> {
    if !path.is_file() {
        return Err(DbError::NotFound {
            path: path.to_path_buf(),
        });
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(DbError::sql(path))?;
    // Reads go through the page cache of the OS instead of a pread per page.
    conn.execute_batch("PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -32768;")
        .map_err(DbError::sql(path))?;
    check_schema(&conn, path)?;
    Ok(conn)
}

fn check_schema(conn: &Connection, path: &Path) -> Result<(), DbError> {
    let found: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(DbError::sql(path))?;
    let found = found.and_then(|v| v.parse::<i64>().ok()).unwrap_or(-1);
    if found != SCHEMA_VERSION {
        return Err(DbError::Schema {
            path: path.to_path_buf(),
            found,
            expected: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// A database being written: a temporary copy in the target's directory.
pub struct Writer {
    pub conn: Connection,
    tmp: NamedTempFile,
    target: PathBuf,
}

impl Writer {
    /// Start from the current database at `target` if there is a readable one, else empty.
    pub fn begin(target: &Path) -> Result<Writer, DbError> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|e| DbError::io(&dir, e))?;
        crate::scratch::remove_stale(&dir);
        let tmp = crate::scratch::create(&dir, crate::scratch::DB_PREFIX, ".tmp")
            .map_err(|e| DbError::io(&dir, e))?;
        let reuse = target.is_file() && open_read(target).is_ok();
        if reuse {
            std::fs::copy(target, tmp.path()).map_err(|e| DbError::io(target, e))?;
        }
        let conn = Connection::open(tmp.path()).map_err(DbError::sql(tmp.path()))?;
        // The copy is private until renamed; durability comes from the rename, not the journal.
        conn.execute_batch(
            "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;",
        )
        .map_err(DbError::sql(tmp.path()))?;
        if !reuse {
            conn.execute_batch(SCHEMA)
                .map_err(DbError::sql(tmp.path()))?;
            let now = now_rfc3339();
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_version', ?1), ('built_at', ?2), ('updated_at', ?2)",
                params![SCHEMA_VERSION.to_string(), now],
            )
            .map_err(DbError::sql(tmp.path()))?;
        }
        Ok(Writer {
            conn,
            tmp,
            target: target.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), DbError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
                params![key, value],
            )
            .map_err(DbError::sql(self.tmp.path()))?;
        Ok(())
    }

    /// Record counts per source are recomputed here so they never drift from the rows.
    pub fn finish(self) -> Result<(), DbError> {
        let path = self.tmp.path().to_path_buf();
        self.set_meta("updated_at", &now_rfc3339())?;
        self.conn
            .execute_batch(
                "UPDATE sources SET records = (SELECT COUNT(*) FROM advisories WHERE advisories.source = sources.name);
                 DELETE FROM sources WHERE records = 0 AND etag IS NULL AND last_modified IS NULL;",
            )
            .map_err(DbError::sql(&path))?;
        self.conn.close().map_err(|(_, e)| DbError::Sqlite {
            path: path.clone(),
            source: e,
        })?;
        let file = std::fs::File::open(&path).map_err(|e| DbError::io(&path, e))?;
        file.sync_all().map_err(|e| DbError::io(&path, e))?;
        self.tmp
            .persist(&self.target)
            .map_err(|e| DbError::io(&self.target, e.error))?;
        Ok(())
    }
}

/// Prepared statements for bulk inserts inside one transaction.
pub struct Inserter<'c> {
    del_affected: rusqlite::Statement<'c>,
    del_advisory: rusqlite::Statement<'c>,
    ins_advisory: rusqlite::Statement<'c>,
    ins_affected: rusqlite::Statement<'c>,
    path: PathBuf,
}

impl<'c> Inserter<'c> {
    pub fn new(conn: &'c Connection, path: &Path) -> Result<Inserter<'c>, DbError> {
        let p = |sql: &str| conn.prepare(sql).map_err(DbError::sql(path));
        Ok(Inserter {
            del_affected: p("DELETE FROM affected WHERE advisory_id = ?1")?,
            del_advisory: p("DELETE FROM advisories WHERE id = ?1")?,
            ins_advisory: p(
                "INSERT OR REPLACE INTO advisories(id, source, modified, record) VALUES (?1, ?2, ?3, ?4)",
            )?,
            ins_affected: p(
                "INSERT INTO affected(ecosystem, name, advisory_id, entry) VALUES (?1, ?2, ?3, ?4)",
            )?,
            path: path.to_path_buf(),
        })
    }

    /// Replace any earlier version of the record. Withdrawn records only remove.
    pub fn put(&mut self, mut rec: OsvRecord, source: &str) -> Result<(), DbError> {
        let path = self.path.clone();
        let sql = |e| DbError::Sqlite {
            path: path.clone(),
            source: e,
        };
        self.del_affected.execute([&rec.id]).map_err(sql)?;
        if rec.withdrawn.is_some() {
            self.del_advisory.execute([&rec.id]).map_err(sql)?;
            return Ok(());
        }
        let affected = std::mem::take(&mut rec.affected);
        for entry in &affected {
            let Some(pkg) = &entry.package else { continue };
            if pkg.name.is_empty() || pkg.ecosystem.is_empty() {
                continue;
            }
            let json = serde_json::to_string(entry).unwrap_or_default();
            self.ins_affected
                .execute(params![
                    ecosystem_key(&pkg.ecosystem),
                    normalize_name(&pkg.ecosystem, &pkg.name),
                    rec.id,
                    json
                ])
                .map_err(sql)?;
        }
        let json = serde_json::to_string(&rec).unwrap_or_default();
        self.ins_advisory
            .execute(params![rec.id, source, rec.modified, json])
            .map_err(sql)?;
        Ok(())
    }
}

pub fn touch_source(
    conn: &Connection,
    path: &Path,
    name: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO sources(name, records, etag, last_modified, updated_at) VALUES (?1, 0, ?2, ?3, ?4)
         ON CONFLICT(name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, updated_at = excluded.updated_at",
        params![name, etag, last_modified, now_rfc3339()],
    )
    .map_err(DbError::sql(path))?;
    Ok(())
}
