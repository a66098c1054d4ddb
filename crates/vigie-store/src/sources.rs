//! The registry of watched sources: what each source is, what its last poll said, and
//! how many articles it brought, in `DIR/sources.sqlite`.
//!
//! Its own database beside the records, not tables in them: the store has one writer
//! at a time (`write.lock`), and `vigie sources add` or `status` must work while
//! `vigie watch` writes articles. SQLite in WAL mode lets both open this file at once.
//! Migrations are numbered steps, as for the records.
//!
//! ```text
//! sources        one row per source: identity (location), declaration, poll state, health
//! source_days    articles stored per source and day (UTC)
//! source_files   a watched directory's files as last seen (path, mtime, size)
//! failed_pages   pages whose fetch or extraction failed, and how often
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::StoreError;

/// The registry's file in a data directory.
pub const SOURCES_FILE: &str = "sources.sqlite";

/// The registry's schema, one step per version (`PRAGMA user_version`). Never edit a
/// step that has shipped: add one.
pub const SOURCE_MIGRATIONS: &[&str] = &[
    // 1: sources with their state and health; per-day counts; directory files; failures.
    "CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        location TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        every_secs INTEGER NOT NULL,
        lang TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        enabled INTEGER NOT NULL DEFAULT 1,
        added_at INTEGER NOT NULL,
        kind TEXT,
        etag TEXT,
        last_modified TEXT,
        last_poll INTEGER,
        last_success INTEGER,
        last_error TEXT,
        last_error_at INTEGER,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        articles_total INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sources_name ON sources(name);
    CREATE TABLE source_days (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        stored INTEGER NOT NULL,
        PRIMARY KEY (source_id, day)
    );
    CREATE TABLE source_files (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        mtime_ns INTEGER NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (source_id, path)
    );
    CREATE TABLE failed_pages (
        url TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_error TEXT NOT NULL,
        last_at INTEGER NOT NULL
    );",
];

/// A source as declared by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    /// What the user calls it.
    pub name: String,
    /// Its identity: a canonical URL or an absolute path.
    pub location: String,
    /// Time between polls.
    pub every: Duration,
    /// The language of its pages, when known.
    pub lang: Option<String>,
    /// Free labels.
    pub tags: Vec<String>,
    /// Polled by `watch`.
    pub enabled: bool,
}

/// A source with its state and health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    /// Its row id.
    pub id: i64,
    /// The declaration.
    pub entry: SourceEntry,
    /// When it was first added.
    pub added_at: DateTime<Utc>,
    /// The kind of its content at the last successful poll (`an RSS 2.0 feed`).
    pub kind: Option<String>,
    /// The `ETag` of the last successful poll.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last successful poll.
    pub last_modified: Option<String>,
    /// The last poll, successful or not.
    pub last_poll: Option<DateTime<Utc>>,
    /// The last successful poll.
    pub last_success: Option<DateTime<Utc>>,
    /// The last poll's error, if the last poll failed (cleared by a success).
    pub last_error: Option<String>,
    /// When the last error happened (kept after a success, for the record).
    pub last_error_at: Option<DateTime<Utc>>,
    /// Failed polls since the last success.
    pub consecutive_failures: u32,
    /// Articles stored from this source, all time.
    pub articles_total: u64,
}

/// What adding a source did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    /// A new source, with its id.
    Added(i64),
    /// A source with the same location existed; its declaration was replaced.
    Updated(i64),
}

impl Upserted {
    /// The source's id.
    pub fn id(self) -> i64 {
        match self {
            Upserted::Added(id) | Upserted::Updated(id) => id,
        }
    }
}

/// A file of a watched directory as last seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenFile {
    /// Its path.
    pub path: PathBuf,
    /// Modification time, nanoseconds since 1970.
    pub mtime_ns: i64,
    /// Size in bytes.
    pub size: u64,
}

/// The registry of watched sources; see the module documentation.
pub struct SourceRegistry {
    conn: Connection,
    path: PathBuf,
}

const COLUMNS: &str = "id, name, location, every_secs, lang, tags, enabled, added_at, kind, etag,
    last_modified, last_poll, last_success, last_error, last_error_at, consecutive_failures,
    articles_total";

impl SourceRegistry {
    /// Opens (creating and migrating as needed) the registry of the data directory
    /// `dir`, which is created when absent.
    pub fn open(dir: &Path) -> Result<SourceRegistry, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(SOURCES_FILE);
        let err = |e| StoreError::sqlite(&path, e);
        let conn = Connection::open(&path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        let version = version.max(0) as usize;
        if version > SOURCE_MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path,
                found: version,
                known: SOURCE_MIGRATIONS.len(),
            });
        }
        for (i, step) in SOURCE_MIGRATIONS.iter().enumerate().skip(version) {
            let tx = conn.unchecked_transaction().map_err(err)?;
            tx.execute_batch(step).map_err(err)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(SourceRegistry { conn, path })
    }

    /// The registry's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self, e: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, e)
    }

    /// Adds a source, or replaces the declaration of the source at the same location
    /// (its state and health are kept).
    pub fn upsert(&self, entry: &SourceEntry, now: DateTime<Utc>) -> Result<Upserted, StoreError> {
        let tags = serde_json::to_string(&entry.tags).unwrap_or_else(|_| "[]".to_string());
        let existing: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM sources WHERE location = ?1",
                [&entry.location],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let every = i64::try_from(entry.every.as_secs()).unwrap_or(i64::MAX);
        match existing {
            Some(id) => {
                self.conn
                    .execute(
                        "UPDATE sources SET name = ?2, every_secs = ?3, lang = ?4, tags = ?5,
                         enabled = ?6 WHERE id = ?1",
                        params![id, entry.name, every, entry.lang, tags, entry.enabled],
                    )
                    .map_err(|e| self.sql(e))?;
                Ok(Upserted::Updated(id))
            }
            None => {
                self.conn
                    .execute(
                        "INSERT INTO sources(location, name, every_secs, lang, tags, enabled, added_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![
                            entry.location,
                            entry.name,
                            every,
                            entry.lang,
                            tags,
                            entry.enabled,
                            now.timestamp()
                        ],
                    )
                    .map_err(|e| self.sql(e))?;
                Ok(Upserted::Added(self.conn.last_insert_rowid()))
            }
        }
    }

    /// Every source, in the order they were added.
    pub fn list(&self) -> Result<Vec<SourceRecord>, StoreError> {
        self.query(&format!("SELECT {COLUMNS} FROM sources ORDER BY id"), [])
    }

    /// One source by id.
    pub fn get(&self, id: i64) -> Result<Option<SourceRecord>, StoreError> {
        Ok(self
            .query(
                &format!("SELECT {COLUMNS} FROM sources WHERE id = ?1"),
                [id],
            )?
            .into_iter()
            .next())
    }

    /// The sources whose location or name is `key` (a location matches first: names
    /// need not be unique).
    pub fn find(&self, key: &str) -> Result<Vec<SourceRecord>, StoreError> {
        let by_location = self.query(
            &format!("SELECT {COLUMNS} FROM sources WHERE location = ?1"),
            [key],
        )?;
        if !by_location.is_empty() {
            return Ok(by_location);
        }
        self.query(
            &format!("SELECT {COLUMNS} FROM sources WHERE name = ?1 ORDER BY id"),
            [key],
        )
    }

    /// Removes a source with its counts and state; false when there was none.
    pub fn remove(&self, id: i64) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM sources WHERE id = ?1", [id])
            .map_err(|e| self.sql(e))?;
        Ok(n > 0)
    }

    fn query<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> Result<Vec<SourceRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params, record)
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Records a successful poll at `at`: the kind read, and the validators to send
    /// next time (`None` keeps the ones stored: a 304, or a poll whose pages were not
    /// all processed).
    pub fn record_success(
        &self,
        id: i64,
        at: DateTime<Utc>,
        kind: Option<&str>,
        validators: Option<(Option<&str>, Option<&str>)>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE sources SET last_poll = ?2, last_success = ?2, last_error = NULL,
                 consecutive_failures = 0, kind = coalesce(?3, kind) WHERE id = ?1",
                params![id, at.timestamp(), kind],
            )
            .map_err(|e| self.sql(e))?;
        if let Some((etag, last_modified)) = validators {
            self.conn
                .execute(
                    "UPDATE sources SET etag = ?2, last_modified = ?3 WHERE id = ?1",
                    params![id, etag, last_modified],
                )
                .map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// Records a failed poll at `at`.
    pub fn record_failure(
        &self,
        id: i64,
        at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE sources SET last_poll = ?2, last_error = ?3, last_error_at = ?2,
                 consecutive_failures = consecutive_failures + 1 WHERE id = ?1",
                params![id, at.timestamp(), error],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// Counts `n` articles stored from a source on `day` (`YYYY-MM-DD`, UTC).
    pub fn add_stored(&self, id: i64, day: &str, n: u64) -> Result<(), StoreError> {
        if n == 0 {
            return Ok(());
        }
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let tx = self.conn.unchecked_transaction().map_err(|e| self.sql(e))?;
        tx.execute(
            "INSERT INTO source_days(source_id, day, stored) VALUES (?1, ?2, ?3)
             ON CONFLICT(source_id, day) DO UPDATE SET stored = stored + excluded.stored",
            params![id, day, n],
        )
        .map_err(|e| self.sql(e))?;
        tx.execute(
            "UPDATE sources SET articles_total = articles_total + ?2 WHERE id = ?1",
            params![id, n],
        )
        .map_err(|e| self.sql(e))?;
        tx.commit().map_err(|e| self.sql(e))
    }

    /// Articles stored from a source per day, for the days from `since` (`YYYY-MM-DD`)
    /// on, in order; days without articles are absent.
    pub fn stored_per_day(&self, id: i64, since: &str) -> Result<Vec<(String, u64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT day, stored FROM source_days WHERE source_id = ?1 AND day >= ?2 ORDER BY day",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params![id, since], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// A watched directory's files as last seen.
    pub fn files(&self, id: i64) -> Result<Vec<SeenFile>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path, mtime_ns, size FROM source_files WHERE source_id = ?1")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(SeenFile {
                    path: PathBuf::from(r.get::<_, String>(0)?),
                    mtime_ns: r.get(1)?,
                    size: r.get::<_, i64>(2)?.max(0) as u64,
                })
            })
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(rows)
    }

    /// Replaces a watched directory's files as seen (one transaction).
    pub fn replace_files(&self, id: i64, files: &[SeenFile]) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.sql(e))?;
        tx.execute("DELETE FROM source_files WHERE source_id = ?1", [id])
            .map_err(|e| self.sql(e))?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO source_files(source_id, path, mtime_ns, size)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(|e| self.sql(e))?;
            for f in files {
                let size = i64::try_from(f.size).unwrap_or(i64::MAX);
                stmt.execute(params![id, f.path.to_string_lossy(), f.mtime_ns, size])
                    .map_err(|e| self.sql(e))?;
            }
        }
        tx.commit().map_err(|e| self.sql(e))
    }

    /// How many times each page failed (0 when never).
    pub fn page_failures(&self, urls: &[String]) -> Result<Vec<u32>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT failures FROM failed_pages WHERE url = ?1")
            .map_err(|e| self.sql(e))?;
        urls.iter()
            .map(|u| {
                stmt.query_row([u], |r| r.get::<_, i64>(0))
                    .optional()
                    .map(|n| n.map_or(0, |n| n.clamp(0, i64::from(u32::MAX)) as u32))
                    .map_err(|e| self.sql(e))
            })
            .collect()
    }

    /// Counts a failure of a page.
    pub fn record_page_failure(
        &self,
        url: &str,
        error: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO failed_pages(url, failures, last_error, last_at) VALUES (?1, 1, ?2, ?3)
                 ON CONFLICT(url) DO UPDATE SET failures = failures + 1,
                 last_error = excluded.last_error, last_at = excluded.last_at",
                params![url, error, at.timestamp()],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }
}

fn time(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.and_then(|s| Utc.timestamp_opt(s, 0).single())
}

fn record(r: &Row<'_>) -> rusqlite::Result<SourceRecord> {
    let tags: String = r.get(5)?;
    Ok(SourceRecord {
        id: r.get(0)?,
        entry: SourceEntry {
            name: r.get(1)?,
            location: r.get(2)?,
            every: Duration::from_secs(r.get::<_, i64>(3)?.max(1) as u64),
            lang: r.get(4)?,
            tags: serde_json::from_str(&tags).unwrap_or_default(),
            enabled: r.get(6)?,
        },
        added_at: time(r.get(7)?).unwrap_or_default(),
        kind: r.get(8)?,
        etag: r.get(9)?,
        last_modified: r.get(10)?,
        last_poll: time(r.get(11)?),
        last_success: time(r.get(12)?),
        last_error: r.get(13)?,
        last_error_at: time(r.get(14)?),
        consecutive_failures: r.get::<_, i64>(15)?.clamp(0, i64::from(u32::MAX)) as u32,
        articles_total: r.get::<_, i64>(16)?.max(0) as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(location: &str, name: &str) -> SourceEntry {
        SourceEntry {
            name: name.to_string(),
            location: location.to_string(),
            every: Duration::from_secs(900),
            lang: Some("fr".into()),
            tags: vec!["a".into(), "b".into()],
            enabled: true,
        }
    }

    #[test]
    fn add_update_find_remove() {
        let dir = tempfile::tempdir().unwrap();
        let reg = SourceRegistry::open(dir.path()).unwrap();
        let now = Utc::now();
        let a = reg
            .upsert(&entry("https://a.example/rss", "A"), now)
            .unwrap();
        assert!(matches!(a, Upserted::Added(_)));
        let mut changed = entry("https://a.example/rss", "A2");
        changed.every = Duration::from_secs(60);
        assert_eq!(
            reg.upsert(&changed, now).unwrap(),
            Upserted::Updated(a.id())
        );
        reg.upsert(&entry("https://b.example/rss", "B"), now)
            .unwrap();
        let all = reg.list().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].entry, changed);
        assert_eq!(reg.find("A2").unwrap().len(), 1);
        assert_eq!(
            reg.find("https://b.example/rss").unwrap()[0].entry.name,
            "B"
        );
        assert!(reg.find("nothing").unwrap().is_empty());
        assert!(reg.remove(a.id()).unwrap());
        assert!(!reg.remove(a.id()).unwrap());
        assert_eq!(reg.list().unwrap().len(), 1);
    }

    #[test]
    fn health_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let reg = SourceRegistry::open(dir.path()).unwrap();
        let now = Utc.timestamp_opt(1_710_000_000, 0).unwrap();
        let id = reg
            .upsert(&entry("https://a.example/rss", "A"), now)
            .unwrap()
            .id();
        reg.record_failure(id, now, "boom").unwrap();
        reg.record_failure(id, now, "boom again").unwrap();
        let r = reg.get(id).unwrap().unwrap();
        assert_eq!(r.consecutive_failures, 2);
        assert_eq!(r.last_error.as_deref(), Some("boom again"));
        assert_eq!(r.last_success, None);
        reg.record_success(
            id,
            now,
            Some("an RSS 2.0 feed"),
            Some((Some("\"e1\""), None)),
        )
        .unwrap();
        reg.add_stored(id, "2024-03-09", 2).unwrap();
        reg.add_stored(id, "2024-03-09", 1).unwrap();
        reg.add_stored(id, "2024-03-01", 5).unwrap();
        let r = reg.get(id).unwrap().unwrap();
        assert_eq!(r.consecutive_failures, 0);
        assert_eq!(r.last_error, None);
        assert_eq!(r.last_error_at, Some(now));
        assert_eq!(r.etag.as_deref(), Some("\"e1\""));
        assert_eq!(r.articles_total, 8);
        assert_eq!(
            reg.stored_per_day(id, "2024-03-03").unwrap(),
            [("2024-03-09".to_string(), 3)]
        );
        // A 304 keeps the validators.
        reg.record_success(id, now, None, None).unwrap();
        assert_eq!(
            reg.get(id).unwrap().unwrap().etag.as_deref(),
            Some("\"e1\"")
        );
        // Removing a source removes its counts.
        reg.remove(id).unwrap();
        assert!(reg.stored_per_day(id, "2000-01-01").unwrap().is_empty());
    }

    #[test]
    fn files_and_failures() {
        let dir = tempfile::tempdir().unwrap();
        let reg = SourceRegistry::open(dir.path()).unwrap();
        let id = reg
            .upsert(&entry("/tmp/in", "in"), Utc::now())
            .unwrap()
            .id();
        let f = SeenFile {
            path: "/tmp/in/a.html".into(),
            mtime_ns: 12,
            size: 3,
        };
        reg.replace_files(id, std::slice::from_ref(&f)).unwrap();
        reg.replace_files(id, std::slice::from_ref(&f)).unwrap();
        assert_eq!(reg.files(id).unwrap(), [f]);
        let urls = vec![
            "https://a.example/x".to_string(),
            "https://a.example/y".to_string(),
        ];
        reg.record_page_failure(&urls[0], "404", Utc::now())
            .unwrap();
        reg.record_page_failure(&urls[0], "404", Utc::now())
            .unwrap();
        assert_eq!(reg.page_failures(&urls).unwrap(), [2, 0]);
    }

    #[test]
    fn reopening_keeps_sources_and_newer_schemas_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let reg = SourceRegistry::open(dir.path()).unwrap();
            reg.upsert(&entry("https://a.example/rss", "A"), Utc::now())
                .unwrap();
        }
        assert_eq!(
            SourceRegistry::open(dir.path())
                .unwrap()
                .list()
                .unwrap()
                .len(),
            1
        );
        {
            let conn = Connection::open(dir.path().join(SOURCES_FILE)).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        let err = SourceRegistry::open(dir.path()).err().unwrap();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    }
}
