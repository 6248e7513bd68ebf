use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: database error: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "{path}: no vulnerability database here (run `palisade db update` or `palisade db import`)"
    )]
    NotFound { path: PathBuf },
    #[error("{path}: database schema version {found}, this build reads version {expected}; rebuild it with `palisade db update` or `palisade db import`")]
    Schema {
        path: PathBuf,
        found: i64,
        expected: i64,
    },
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    #[error("{path}: {message}")]
    Input { path: String, message: String },
}

impl DbError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DbError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn sql(path: impl Into<PathBuf>) -> impl FnOnce(rusqlite::Error) -> DbError {
        let path = path.into();
        move |source| DbError::Sqlite { path, source }
    }
}
