//! Palisade's offline vulnerability database: OSV records (every ecosystem, distributions
//! included) imported from files or downloaded per ecosystem, kept in one schema-versioned
//! SQLite file, and matched against inventory packages with each ecosystem's version rules.

mod ecosystem;
mod embedded;
mod error;
mod import;
mod matcher;
pub mod osv;
mod outcome;
mod range;
mod scratch;
mod severity;
mod source;
mod status;
mod store;
mod update;
pub mod version;

pub use ecosystem::normalize_name;
pub use error::DbError;
pub use import::{import, ImportReport};
pub use outcome::{MatchOutcome, UnmatchedGroup};
pub use range::{evaluate, Verdict};
pub use status::{DbStatus, SourceStatus};
pub use store::SCHEMA_VERSION;
pub use update::{
    update, update_with_progress, EcosystemUpdate, NoProgress, UpdateProgress, UpdateReport,
    UpdateStatus, DEFAULT_ECOSYSTEMS,
};

use palisade_core::{OsInfo, Package};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// File name of the database inside the cache directory.
pub const DB_FILE_NAME: &str = "vulndb.sqlite";
/// Environment variable naming a database file to use instead of the cache.
pub const DB_ENV: &str = "PALISADE_DB";
/// Older than this, the CLI should warn that the database is stale.
pub const STALE_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

pub struct VulnDb {
    conn: Connection,
    path: PathBuf,
    /// Keeps a temporary materialisation of the embedded database alive.
    _tmp: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for VulnDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VulnDb").field("path", &self.path).finish()
    }
}

impl VulnDb {
    /// Open an existing database read-only.
    pub fn open(path: &Path) -> Result<VulnDb, DbError> {
        Ok(VulnDb {
            conn: store::open_read(path)?,
            path: path.to_path_buf(),
            _tmp: None,
        })
    }

    /// `PALISADE_DB` if set; else `<cache>/vulndb.sqlite` (`cache_dir` or the user cache
    /// dir + `palisade`); else the embedded database, materialised into the cache on first use.
    pub fn open_default(cache_dir: Option<&Path>) -> Result<VulnDb, DbError> {
        if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
            return VulnDb::open(Path::new(&p));
        }
        let dir = cache_dir
            .map(Path::to_path_buf)
            .or_else(|| dirs::cache_dir().map(|d| d.join("palisade")));
        embedded::open_or_materialise(dir.as_deref())
    }

    /// The default location of the database file (`cache_dir` or the user cache dir).
    pub fn default_path(cache_dir: Option<&Path>) -> Option<PathBuf> {
        if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        cache_dir
            .map(Path::to_path_buf)
            .or_else(|| dirs::cache_dir().map(|d| d.join("palisade")))
            .map(|d| d.join(DB_FILE_NAME))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn status(&self) -> Result<DbStatus, DbError> {
        status::status(&self.conn, &self.path)
    }

    /// Time since the database was last built or updated (`None` if it does not say).
    pub fn age(&self) -> Option<Duration> {
        status::age(&self.conn)
    }

    /// True when [`VulnDb::age`] exceeds [`STALE_AFTER`].
    pub fn is_stale(&self) -> bool {
        self.age().is_some_and(|a| a > STALE_AFTER)
    }

    /// Findings for every package an advisory affects, and the packages that could not be
    /// looked up with the reason ([`palisade_core::osv_ecosystem`] decides): OS packages need
    /// `os` to know the distribution release, and some distributions have no OSV feed.
    pub fn match_packages(
        &self,
        os: Option<&OsInfo>,
        packages: &[Package],
    ) -> Result<MatchOutcome, DbError> {
        matcher::match_all(&self.conn, &self.path, os, packages)
    }
}
