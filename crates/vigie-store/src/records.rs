//! The records (SQLite): every article, every version of it, and its raw page.
//!
//! This is the source of truth. An article is stored once per identity (its canonical
//! address, or its content when it has none); a page whose extracted content changed
//! becomes a new version. Raw pages and extracted articles are kept zstd-compressed.

use std::path::Path;

use rusqlite::{config::DbConfig, params, Connection, OpenFlags, OptionalExtension};

use crate::error::StoreError;

/// The schema, one step per version; `PRAGMA user_version` says how many were applied.
/// Never edit a step that has shipped: add one.
pub const MIGRATIONS: &[&str] = &[
    // 1: articles and their versions.
    "CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        url TEXT,
        site TEXT,
        lang TEXT,
        title TEXT,
        published TEXT,
        day TEXT,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        current_version INTEGER NOT NULL
    );
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        content_hash BLOB NOT NULL,
        raw_hash BLOB NOT NULL,
        source TEXT,
        fetched_at INTEGER NOT NULL,
        raw_kind TEXT NOT NULL,
        article BLOB NOT NULL
    );
    CREATE INDEX versions_article ON versions(article_id);
    -- Raw pages apart: a large blob in a version row would be walked through, page by
    -- page, on every read of the article after it.
    CREATE TABLE raw_pages (
        version_id INTEGER PRIMARY KEY REFERENCES versions(id),
        raw BLOB NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 2: find a raw page already read without extracting it again; remember which
    // extractor read each version, so `reextract` can tell stale readings.
    "CREATE INDEX versions_raw_hash ON versions(raw_hash);
    ALTER TABLE versions ADD COLUMN extractor TEXT NOT NULL DEFAULT '';
    CREATE INDEX articles_day ON articles(day);",
    // 3: find the pages read from an address (`vigie watch` skips the addresses a
    // source lists again without fetching them).
    "CREATE INDEX versions_source ON versions(source);",
    // 4: the people, places and organisations articles name. One `entities` row per
    // identity across articles (a place's knowledge-base id, else kind and name key; a
    // person also by surname key and first name); `mentions` of the current version of
    // each article (offsets into its `vigie_nlp::article_text`), each with the form of
    // the name it uses; `entity_forms` counts the uses of each form per language, for
    // the display name and the aliases.
    "CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kb_id TEXT,
        surname TEXT,
        first TEXT,
        mentions INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX entities_surname ON entities(surname) WHERE surname IS NOT NULL;
    CREATE TABLE mentions (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        surface TEXT NOT NULL,
        form TEXT NOT NULL
    );
    CREATE INDEX mentions_article ON mentions(article_id);
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE TABLE entity_forms (
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        form TEXT NOT NULL,
        lang TEXT NOT NULL,
        key TEXT NOT NULL,
        uses INTEGER NOT NULL,
        PRIMARY KEY (entity_id, form, lang)
    );
    CREATE INDEX entity_forms_key ON entity_forms(key);",
    // 5: persons' surname keys and their one-letter deletions ("symmetric delete"), so
    // that the surnames one typo away from a new one are found by a few index probes
    // instead of a scan that grows with the store. Only surnames of five letters or
    // more are compared that way (see `entities::match_person`).
    // The surname index is no longer partial: with a partial index, SQLite recompiles
    // every statement on `entities` that binds a parameter, each time it is run.
    "DROP INDEX entities_surname;
    CREATE INDEX entities_surname ON entities(surname);
    CREATE TABLE surname_variants (
        variant TEXT NOT NULL,
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        PRIMARY KEY (variant, entity_id)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO surname_variants(variant, entity_id)
        SELECT surname, id FROM entities
        WHERE kind = 'PER' AND surname IS NOT NULL AND length(surname) >= 5;
    WITH RECURSIVE pos(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM pos WHERE i < 200)
    INSERT OR IGNORE INTO surname_variants(variant, entity_id)
        SELECT substr(surname, 1, i - 1) || substr(surname, i + 1), id
        FROM entities JOIN pos ON i <= length(surname)
        WHERE kind = 'PER' AND surname IS NOT NULL AND length(surname) >= 5;",
    // 6: the raw pages of new versions live in append-only pack files beside the
    // records (`packs`); the version's row says where. Older versions keep theirs in
    // `raw_pages`.
    "ALTER TABLE versions ADD COLUMN raw_pack INTEGER;
    ALTER TABLE versions ADD COLUMN raw_at INTEGER;
    ALTER TABLE versions ADD COLUMN raw_len INTEGER;",
    // 7: persons' surnames filed under their two halves instead of every one-letter
    // deletion: two surnames one edit apart share a half of the one filed, two keys a
    // person instead of as many as its letters (`entities::halves` builds the same
    // keys: the length in letters, `<` or `>`, the half).
    "CREATE TABLE surname_halves (
        key TEXT NOT NULL,
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        PRIMARY KEY (key, entity_id)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO surname_halves(key, entity_id)
        SELECT length(surname) || '<' || substr(surname, 1, length(surname) / 2), id
        FROM entities WHERE kind = 'PER' AND surname IS NOT NULL AND length(surname) >= 5;
    INSERT OR IGNORE INTO surname_halves(key, entity_id)
        SELECT length(surname) || '>' || substr(surname, length(surname) / 2 + 1), id
        FROM entities WHERE kind = 'PER' AND surname IS NOT NULL AND length(surname) >= 5;
    DROP TABLE surname_variants;",
    // 8: an article's mentions of an entity grouped by the form they use, one row each
    // with their count and byte offsets (`start-end` pairs separated by spaces), in
    // place of one row per mention repeating what it reads (the article's text holds
    // it). Clustered by article, which is how they are written and replaced.
    "CREATE TABLE article_entities (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        form TEXT NOT NULL,
        uses INTEGER NOT NULL,
        spans TEXT NOT NULL,
        PRIMARY KEY (article_id, entity_id, form)
    ) WITHOUT ROWID;
    INSERT INTO article_entities(article_id, entity_id, form, uses, spans)
        SELECT article_id, entity_id, form, count(*),
               group_concat(start || '-' || end, ' ' ORDER BY start)
        FROM mentions GROUP BY article_id, entity_id, form;
    CREATE INDEX article_entities_entity ON article_entities(entity_id);
    DROP TABLE mentions;",
];

/// Opens (creating if needed) and migrates the records database.
pub fn open_writable(path: &Path, max_bytes: Option<u64>) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|e| StoreError::sqlite(path, e))?;
    configure(&conn, path)?;
    migrate(&conn, MIGRATIONS.len()).map_err(|e| StoreError::sqlite(path, e))?;
    if let Some(max) = max_bytes {
        let page: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .map_err(|e| StoreError::sqlite(path, e))?;
        let pages = (max / page.max(1) as u64).max(1) as i64;
        conn.pragma_update(None, "max_page_count", pages)
            .map_err(|e| StoreError::sqlite(path, e))?;
    }
    Ok(conn)
}

/// Opens the records for reading only. A store on a read-only medium is still readable.
pub fn open_readonly(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
    let conn = match Connection::open_with_flags(path, flags) {
        Ok(c)
            if c.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
                .is_ok() =>
        {
            c
        }
        // A WAL database in a directory we cannot write needs `immutable`.
        _ => {
            let uri = format!("file:{}?immutable=1", path.display());
            Connection::open_with_flags(uri, flags).map_err(|e| StoreError::sqlite(path, e))?
        }
    };
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| StoreError::sqlite(path, e))?;
    // Searches read a few rows at random per query: map the file (no read system
    // call per page) and keep a larger page cache than SQLite's 2 MB default.
    conn.pragma_update(None, "mmap_size", 1i64 << 31)
        .and_then(|_| conn.pragma_update(None, "cache_size", -65_536))
        .and_then(|_| conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true))
        .map_err(|e| StoreError::sqlite(path, e))?;
    let version = known_version(&conn, path)?;
    if version < MIGRATIONS.len() {
        return Err(StoreError::NeedsUpgrade {
            path: path.to_path_buf(),
        });
    }
    Ok(conn)
}

/// Pages of write-ahead log past which the writer checkpoints by itself
/// ([`crate::checkpoint`] normally does it long before): 64 MiB.
pub const WRITER_CHECKPOINT_PAGES: i64 = 16_384;

fn configure(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let err = |e| StoreError::sqlite(path, e);
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(err)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(err)?;
    // WAL with NORMAL sync survives a process crash without losing a commit; a power
    // cut may lose the last commits but never corrupts the database.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(err)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(err)?;
    // One plan per statement: otherwise SQLite may recompile a cached statement each
    // time a new value is bound, which cost the writer a tenth of an ingest.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .map_err(err)?;
    // The writer runs some thirty statements per article; the default cache holds 16.
    conn.set_prepared_statement_cache_capacity(64);
    // The store's checkpointing thread copies the log back; the writer does it itself
    // only when the log grows far beyond SQLite's default of 1,000 pages.
    conn.pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)
        .map_err(err)?;
    known_version(conn, path)?;
    Ok(())
}

/// The store's schema version, refused when newer than this build knows.
fn known_version(conn: &Connection, path: &Path) -> Result<usize, StoreError> {
    let version = schema_version(conn).map_err(|e| StoreError::sqlite(path, e))?;
    if version > MIGRATIONS.len() {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    Ok(version)
}

fn schema_version(conn: &Connection) -> rusqlite::Result<usize> {
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map(|v| v.max(0) as usize)
}

/// Applies the migrations up to `target`, each in its own transaction.
pub fn migrate(conn: &Connection, target: usize) -> rusqlite::Result<()> {
    let current = schema_version(conn)?;
    for (i, step) in MIGRATIONS.iter().enumerate().take(target).skip(current) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// A meta value.
pub fn get_meta(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

/// Sets a meta value.
pub fn set_meta(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The largest version id: the records' high-water mark.
pub fn last_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(id), 0) FROM versions", [], |r| {
        r.get(0)
    })
}

/// zstd level for raw pages: level 1 compresses HTML about as well as the default
/// (3) at half the cost, and raw pages are most of what an ingest compresses.
pub const RAW_LEVEL: i32 = 1;
/// zstd level for extracted articles: the JSON of the dev pages' 693 articles (4.74 MB,
/// without their text) takes 2.00 MB at level 1 and 1.97 MB at level 3, compressed at
/// 149 and 101 MB/s (`zstd -b1`, `-b3`): 2 % of disk is not worth half again the time.
pub const ARTICLE_LEVEL: i32 = 1;

/// Compresses bytes for storage. Creating a compression context (and zeroing its
/// tables) costs a tenth of compressing a page, so each thread keeps one per level.
pub fn compress(bytes: &[u8], level: i32) -> std::io::Result<Vec<u8>> {
    thread_local! {
        static CONTEXTS: std::cell::RefCell<Vec<(i32, zstd::bulk::Compressor<'static>)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    CONTEXTS.with(|c| {
        let mut contexts = c.borrow_mut();
        let i = match contexts.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                contexts.push((level, zstd::bulk::Compressor::new(level)?));
                contexts.len() - 1
            }
        };
        contexts[i].1.compress(bytes)
    })
}

/// Decompresses stored bytes. A decompression context costs more to create than a
/// news article costs to decompress, so each thread keeps one.
pub fn decompress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    thread_local! {
        static CONTEXT: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
            const { std::cell::RefCell::new(None) };
    }
    let size = match zstd::zstd_safe::get_frame_content_size(bytes) {
        Ok(Some(n)) if n <= 1 << 30 => n as usize,
        // Frames written without their size: stream them.
        _ => return zstd::stream::decode_all(bytes),
    };
    CONTEXT.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = Some(zstd::bulk::Decompressor::new()?);
        }
        c.as_mut().expect("just set").decompress(bytes, size)
    })
}
