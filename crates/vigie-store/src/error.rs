//! What can go wrong with a store, said so that the user knows what to do.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// An error of the article store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The records database failed.
    #[error("{path}: {message}")]
    Records {
        /// The database file.
        path: PathBuf,
        /// What SQLite said, in words.
        message: String,
        /// The underlying error.
        #[source]
        source: rusqlite::Error,
    },
    /// The full-text index failed.
    #[error("{path}: search index: {source}")]
    Index {
        /// The index directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: tantivy::TantivyError,
    },
    /// A file of the store could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The store's size limit is reached.
    #[error("{path}: the store's size limit is full; nothing of the failed batch was kept, the store is intact")]
    Full {
        /// Where the next bytes would have gone.
        path: PathBuf,
    },
    /// Another process is writing to the store.
    #[error("{path}: another vigie process is writing to this store; wait for it to finish (searching is allowed meanwhile)")]
    Busy {
        /// The data directory.
        path: PathBuf,
    },
    /// The store was written by a newer Vigie.
    #[error("{path}: this store has schema version {found}, newer than this vigie knows ({known}); upgrade vigie")]
    TooNew {
        /// The database file.
        path: PathBuf,
        /// The store's schema version.
        found: usize,
        /// The newest version this build knows.
        known: usize,
    },
    /// The store needs a migration that a read-only open cannot apply.
    #[error("{path}: this store was made by an older vigie; run any writing command (e.g. `vigie reindex`) once to upgrade it")]
    NeedsUpgrade {
        /// The database file.
        path: PathBuf,
    },
    /// No store exists at this place.
    #[error("{path}: no store here yet (run `vigie ingest` first)")]
    Missing {
        /// The data directory.
        path: PathBuf,
    },
    /// A stored record cannot be decoded.
    #[error("article {id}: stored record is damaged: {message}")]
    Damaged {
        /// The article id.
        id: u64,
        /// What could not be decoded.
        message: String,
    },
    /// The query is malformed.
    #[error("{0}")]
    Query(#[from] crate::query::QueryError),
}

impl StoreError {
    pub(crate) fn sqlite(path: &Path, source: rusqlite::Error) -> Self {
        let message = match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => {
                "the disk (or the store's size limit) is full; nothing of the failed batch was kept, the store is intact".to_string()
            }
            Some(rusqlite::ErrorCode::ReadOnly) => {
                "the store is read-only here (check the directory's permissions)".to_string()
            }
            Some(rusqlite::ErrorCode::CannotOpen) => {
                "cannot open the database (does the directory exist, and may we write to it?)".to_string()
            }
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                "the database is locked by another process".to_string()
            }
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                "this file is not a Vigie store or is damaged".to_string()
            }
            _ => source.to_string(),
        };
        StoreError::Records {
            path: path.to_path_buf(),
            message,
            source,
        }
    }

    pub(crate) fn index(path: &Path, source: tantivy::TantivyError) -> Self {
        if let tantivy::TantivyError::LockFailure(..) = source {
            return StoreError::Busy {
                path: path.parent().unwrap_or(path).to_path_buf(),
            };
        }
        StoreError::Index {
            path: path.to_path_buf(),
            source,
        }
    }
}
