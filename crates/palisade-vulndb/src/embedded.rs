//! The advisories shipped inside the binary (`data/osv-embedded.jsonl.gz`, built by
//! `bench/vulndb/build-embedded-db.sh`), so a scan works before any `db update`.

use crate::import::{ingest, Input, Job};
use crate::status::meta;
use crate::store::{open_read, touch_source, Writer};
use crate::{DbError, VulnDb, DB_FILE_NAME};
use std::path::Path;

pub(crate) static EMBEDDED: &[u8] = include_bytes!("../data/osv-embedded.jsonl.gz");
pub(crate) const EMBEDDED_SOURCE: &str = "embedded";

pub(crate) fn digest() -> String {
    format!("{:08x}-{}", crc32fast::hash(EMBEDDED), EMBEDDED.len())
}

/// Build a database from the embedded advisories at `path`.
pub(crate) fn materialise(path: &Path) -> Result<(), DbError> {
    let writer = Writer::begin(path)?;
    let jobs = vec![Job {
        input: Input::GzLines {
            label: "embedded advisories".into(),
            data: EMBEDDED,
        },
        source: EMBEDDED_SOURCE.into(),
    }];
    let (_, report) = ingest(&writer, jobs, &mut |conn, source| {
        touch_source(conn, Path::new(""), source, None, None)
    })?;
    if let Some(e) = report.skipped.first() {
        return Err(DbError::Input {
            path: e.source.clone(),
            message: e.message.clone(),
        });
    }
    writer.set_meta("embedded_digest", &digest())?;
    // The advisories are as old as the data file, not as the moment they were unpacked.
    if let Some(built) = option_env!("PALISADE_EMBEDDED_BUILT_AT") {
        writer.set_meta("built_at", built)?;
    }
    writer.finish()
}

/// An existing database in `dir`, refreshed if it came from an older embedded data set.
pub(crate) fn open_or_materialise(dir: Option<&Path>) -> Result<VulnDb, DbError> {
    if let Some(dir) = dir {
        let path = dir.join(DB_FILE_NAME);
        if path.is_file() {
            let conn = open_read(&path);
            let stale_embedded = match &conn {
                Ok(c) => meta(c, "embedded_digest").is_some_and(|d| d != digest()),
                // Another schema may be a user's database from another release: leave it.
                Err(_) => false,
            };
            if !stale_embedded {
                return VulnDb::open(&path);
            }
        }
        if materialise(&path).is_ok() {
            return VulnDb::open(&path);
        }
    }
    // No writable cache: unpack into a private temporary directory for this process.
    let tmp = tempfile::tempdir().map_err(|e| DbError::io(std::env::temp_dir(), e))?;
    let path = tmp.path().join(DB_FILE_NAME);
    materialise(&path)?;
    let mut db = VulnDb::open(&path)?;
    db._tmp = Some(tmp);
    Ok(db)
}
