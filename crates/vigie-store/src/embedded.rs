//! The embedded store: one data directory, no server. Records in SQLite (the truth),
//! a tantivy index beside them (derived, repaired on open).
//!
//! ```text
//! DIR/records.sqlite   articles, versions, meta (and raw pages stored before schema 6)
//! DIR/raw/N.pack       raw pages (zstd), appended; each version's row says where
//! DIR/index/           tantivy; its commit payload is the last version id it holds
//! DIR/write.lock       held by the one writer
//! ```

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use tantivy::collector::TopDocs;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument};
use vigie_core::Article;

use crate::checkpoint::Checkpointer;
use crate::error::StoreError;
use crate::facets::{ColumnCache, FacetCollector};
use crate::index::{self, Fields};
use crate::model::{
    ArticleId, Compacted, EntityReport, Facets, Hash, Hit, NewPage, Outcome, RawKind, RawPage,
    Reading, SearchRequest, SearchResults, Sort, Stats, StoredArticle, VersionInfo,
};
use crate::packs::{self, Location, Packs};
use crate::registry::Registry;
use crate::{analysis, entities, query, records, snippet, Store};

/// The records database, in a store's directory.
pub(crate) const RECORDS: &str = "records.sqlite";
const INDEX: &str = "index";
const LOCK: &str = "write.lock";
/// Meta key set while the index may disagree with the records in a way the version
/// high-water mark cannot tell (re-extraction rewrites versions in place).
const INDEX_DIRTY: &str = "index_dirty";
const INDEX_SCHEMA: &str = "index_schema";

/// How to open a store.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Open for writing (one writer at a time); otherwise read-only.
    pub write: bool,
    /// Cap on the records database's size, in bytes, and the same cap on the raw
    /// pages' pack files (default: none). When reached, writes fail with a "full"
    /// error and the store stays readable.
    pub max_records_bytes: Option<u64>,
    /// Memory for the indexer's buffers, in bytes, shared by its threads (default 64
    /// MiB; under 30 MB, one thread).
    pub index_memory: Option<usize>,
}

/// The embedded store.
pub struct EmbeddedStore {
    dir: PathBuf,
    conn: Connection,
    index: Index,
    fields: Fields,
    reader: IndexReader,
    writer: Option<Writer>,
    columns: ColumnCache,
}

struct Writer {
    index: IndexWriter<TantivyDocument>,
    /// Copies the records' write-ahead log back on a thread of its own.
    checkpointer: Checkpointer,
    /// Where new raw pages are appended.
    packs: Packs,
    /// Held for the store's life: one writing process per directory.
    _lock: File,
    /// Documents added since the last index commit.
    pending: usize,
    /// The indexer's memory budget, in bytes.
    memory: usize,
    /// The stored entities, read when entities are first stored; dropped when a
    /// batch fails (its transaction rolled back).
    entities: Option<Registry>,
}

/// Two indexing threads, each with half the memory budget. A commit writes each
/// thread's segment on that thread: with one, the last commit of an ingest (the
/// whole segment built since the previous one) ran on one core while the other
/// waited, 10–15 % of an ingest of the development pages; with two, both cores write
/// it, for no more CPU in all (2026-12-07, docs/benchmarks.md).
const INDEX_THREADS: usize = 2;

/// The least memory tantivy lets an indexing thread have (its
/// `MEMORY_BUDGET_NUM_BYTES_MIN`, which it does not export).
const INDEX_MEMORY_PER_THREAD_MIN: usize = 15_000_000;

fn index_writer(index: &Index, memory: usize) -> tantivy::Result<IndexWriter<TantivyDocument>> {
    let threads = (memory / INDEX_MEMORY_PER_THREAD_MIN).clamp(1, INDEX_THREADS);
    index.writer_with_num_threads(threads, memory)
}

impl EmbeddedStore {
    /// Opens the store in `dir`. For writing, the directory is created when needed,
    /// the schema migrated, and the index brought up to date with the records.
    pub fn open(dir: &Path, options: &OpenOptions) -> Result<EmbeddedStore, StoreError> {
        let io = |path: &Path, source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        let records_path = dir.join(RECORDS);
        let index_dir = dir.join(INDEX);
        if !options.write {
            if !records_path.exists() {
                return Err(StoreError::Missing {
                    path: dir.to_path_buf(),
                });
            }
            let conn = records::open_readonly(&records_path)?;
            let index = match index::open(&index_dir, false)
                .map_err(|e| StoreError::index(&index_dir, e))?
            {
                Some(i) => i,
                None => {
                    return Err(StoreError::NeedsUpgrade {
                        path: index_dir.clone(),
                    })
                }
            };
            return Self::assemble(dir, conn, index, None);
        }
        std::fs::create_dir_all(&index_dir).map_err(|e| io(&index_dir, e))?;
        let lock_path = dir.join(LOCK);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Busy {
                    path: dir.to_path_buf(),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&lock_path, e)),
        }
        let conn = records::open_writable(&records_path, options.max_records_bytes)?;
        let sql = |e| StoreError::sqlite(&records_path, e);
        let schema_ok = records::get_meta(&conn, INDEX_SCHEMA)
            .map_err(sql)?
            .as_deref()
            == Some(&index::INDEX_SCHEMA_VERSION.to_string());
        let opened = if schema_ok {
            index::open(&index_dir, true).map_err(|e| StoreError::index(&index_dir, e))?
        } else {
            None
        };
        let (index, rebuild) = match opened {
            Some(i) => (i, false),
            None => (
                index::recreate(&index_dir).map_err(|e| StoreError::index(&index_dir, e))?,
                true,
            ),
        };
        let memory = options.index_memory.unwrap_or(64 << 20);
        let writer = index_writer(&index, memory).map_err(|e| StoreError::index(&index_dir, e))?;
        let packs = Packs::open(dir, &conn, options.max_records_bytes)?;
        let mut store = Self::assemble(
            dir,
            conn,
            index,
            Some(Writer {
                index: writer,
                checkpointer: Checkpointer::start(&records_path)?,
                packs,
                _lock: lock,
                pending: 0,
                memory,
                entities: None,
            }),
        )?;
        let dirty = records::get_meta(&store.conn, INDEX_DIRTY)
            .map_err(sql)?
            .is_some();
        if rebuild || dirty {
            // A recreated index is empty: with no records either (a new store), there
            // is nothing to rebuild, and no commit to wait for.
            if rebuild && records::last_version(&store.conn).map_err(sql)? == 0 {
                store
                    .conn
                    .execute("DELETE FROM meta WHERE key = ?1", [INDEX_DIRTY])
                    .map_err(sql)?;
            } else {
                store.reindex()?;
            }
            records::set_meta(
                &store.conn,
                INDEX_SCHEMA,
                &index::INDEX_SCHEMA_VERSION.to_string(),
            )
            .map_err(sql)?;
        } else {
            store.catch_up()?;
        }
        Ok(store)
    }

    fn assemble(
        dir: &Path,
        conn: Connection,
        index: Index,
        writer: Option<Writer>,
    ) -> Result<EmbeddedStore, StoreError> {
        let index_dir = dir.join(INDEX);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| StoreError::index(&index_dir, e))?;
        let (_, fields) = index::schema();
        Ok(EmbeddedStore {
            dir: dir.to_path_buf(),
            conn,
            index,
            fields,
            reader,
            writer,
            columns: ColumnCache::default(),
        })
    }

    fn records_path(&self) -> PathBuf {
        self.dir.join(RECORDS)
    }

    fn sql(&self, e: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.records_path(), e)
    }

    fn idx(&self, e: tantivy::TantivyError) -> StoreError {
        StoreError::index(&self.dir.join(INDEX), e)
    }

    /// The last version id the index holds (its commit payload).
    fn indexed_upto(&self) -> Result<i64, StoreError> {
        let metas = self.index.load_metas().map_err(|e| self.idx(e))?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0))
    }

    /// Indexes the versions the records have and the index lacks (after a crash).
    fn catch_up(&mut self) -> Result<u64, StoreError> {
        let from = self.indexed_upto()?;
        let last = records::last_version(&self.conn).map_err(|e| self.sql(e))?;
        if last <= from {
            return Ok(0);
        }
        let n = self.index_articles_where("a.current_version > ?1", from)?;
        self.commit()?;
        Ok(n)
    }

    /// Adds the current version of the selected articles to the index, a page of
    /// rows at a time so that memory stays bounded on a large store.
    fn index_articles_where(&mut self, condition: &str, arg: i64) -> Result<u64, StoreError> {
        let sql = format!(
            "SELECT a.id, v.article, v.fetched_at FROM articles a
             JOIN versions v ON v.id = a.current_version
             WHERE ({condition}) AND a.id > ?2 ORDER BY a.id LIMIT 1024"
        );
        let mut after = 0i64;
        let mut total = 0u64;
        loop {
            let mut docs = Vec::new();
            {
                let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.sql(e))?;
                let mut rows = stmt.query([arg, after]).map_err(|e| self.sql(e))?;
                while let Some(row) = rows.next().map_err(|e| self.sql(e))? {
                    let id: i64 = row.get(0).map_err(|e| self.sql(e))?;
                    let blob: Vec<u8> = row.get(1).map_err(|e| self.sql(e))?;
                    let seen: i64 = row.get(2).map_err(|e| self.sql(e))?;
                    let article = decode_article(id as u64, &blob)?;
                    let terms = entities::index_terms(&self.conn, id).map_err(|e| self.sql(e))?;
                    docs.push(index::document(
                        &self.fields,
                        id as u64,
                        &article,
                        timestamp(seen),
                        &terms,
                    ));
                    after = id;
                }
            }
            if docs.is_empty() {
                return Ok(total);
            }
            total += docs.len() as u64;
            self.add_docs(docs)?;
        }
    }

    fn add_docs(&mut self, docs: Vec<TantivyDocument>) -> Result<(), StoreError> {
        let id_field = self.fields.id;
        let dir = self.dir.join(INDEX);
        let w = self.writer_mut()?;
        for doc in docs {
            if let Some(id) = doc
                .get_first(id_field)
                .and_then(|v| tantivy::schema::Value::as_u64(&v))
            {
                w.index
                    .delete_term(tantivy::Term::from_field_u64(id_field, id));
            }
            w.index
                .add_document(doc)
                .map_err(|e| StoreError::index(&dir, e))?;
            w.pending += 1;
        }
        Ok(())
    }

    fn writer_mut(&mut self) -> Result<&mut Writer, StoreError> {
        let dir = self.dir.clone();
        self.writer.as_mut().ok_or_else(|| read_only(&dir))
    }

    /// The writer's registry of stored entities, taken out for a batch that stores
    /// `entities` entities (read whole once that pays, see [`Registry::wants`]). A
    /// batch that succeeds gives it back ([`Self::return_registry`]); one that fails
    /// drops it with its transaction.
    fn take_registry(&mut self, entities: usize) -> Result<Registry, StoreError> {
        let mut registry = match self.writer_mut()?.entities.take() {
            Some(r) => r,
            None => Registry::open(&self.conn).map_err(|e| self.sql(e))?,
        };
        if registry.wants(entities) {
            registry = Registry::load(&self.conn).map_err(|e| self.sql(e))?;
        }
        Ok(registry)
    }

    fn return_registry(&mut self, registry: Registry) {
        if let Some(w) = self.writer.as_mut() {
            w.entities = Some(registry);
        }
    }

    /// For each address, whether a stored article has it as its identity (its
    /// canonical URL, lightly normalised) or was read from it (the `source` of a
    /// version). Lets a watch skip the pages a feed lists again without fetching them.
    pub fn known_urls(&self, urls: &[String]) -> Result<Vec<bool>, StoreError> {
        let mut by_key = self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE key = ?1")
            .map_err(|e| self.sql(e))?;
        let mut by_source = self
            .conn
            .prepare_cached("SELECT 1 FROM versions WHERE source = ?1 LIMIT 1")
            .map_err(|e| self.sql(e))?;
        urls.iter()
            .map(|u| {
                let key = crate::model::normalise_url(u.trim());
                let known = by_key.exists([&key]).map_err(|e| self.sql(e))?
                    || by_source.exists([u]).map_err(|e| self.sql(e))?;
                Ok(known)
            })
            .collect()
    }

    /// The ids of every stored article, for re-extraction page by page.
    pub fn raw_page_ids(&self) -> Result<Vec<ArticleId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM articles ORDER BY id")
            .map_err(|e| self.sql(e))?;
        let ids = stmt
            .query_map([], |r| r.get::<_, i64>(0))
            .map_err(|e| self.sql(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(ids.into_iter().map(|i| i as u64).collect())
    }

    /// The raw page of an article's current version.
    pub fn raw_page(&self, id: ArticleId) -> Result<Option<RawPage>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT v.source, v.raw_kind, r.raw, v.fetched_at, a.url,
                        v.raw_pack, v.raw_at, v.raw_len FROM articles a
                 JOIN versions v ON v.id = a.current_version
                 LEFT JOIN raw_pages r ON r.version_id = v.id WHERE a.id = ?1",
                [id as i64],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<Vec<u8>>>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        (
                            r.get::<_, Option<u32>>(5)?,
                            r.get::<_, Option<i64>>(6)?,
                            r.get::<_, Option<i64>>(7)?,
                        ),
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let Some((source, kind, raw, fetched, url, located)) = row else {
            return Ok(None);
        };
        // In a pack since schema 6; in the `raw_pages` table before.
        let raw = match (raw, located) {
            (Some(raw), _) => raw,
            (None, (Some(pack), Some(at), Some(len))) => packs::read(
                &self.dir,
                Location {
                    pack,
                    at: at.max(0) as u64,
                    len: len.max(0) as u64,
                },
            )?,
            _ => {
                return Err(StoreError::Damaged {
                    id,
                    message: "the raw page is missing".into(),
                })
            }
        };
        let bytes = records::decompress(&raw).map_err(|e| StoreError::Damaged {
            id,
            message: format!("raw page: {e}"),
        })?;
        Ok(Some(RawPage {
            id,
            source,
            kind: RawKind::parse(&kind),
            bytes,
            url,
            fetched_at: timestamp(fetched),
        }))
    }

    /// Replaces the reading of articles' current versions with a new extraction of the
    /// same raw page. Returns how many readings changed. The index is rebuilt for them
    /// before this returns; a crash in between is repaired on the next open.
    pub fn replace_readings(
        &mut self,
        pages: Vec<(ArticleId, Reading)>,
    ) -> Result<u64, StoreError> {
        records::set_meta(&self.conn, INDEX_DIRTY, "reextract").map_err(|e| self.sql(e))?;
        let found = pages.iter().filter_map(|(_, p)| p.entities.as_ref());
        let mut registry = self.take_registry(found.map(Vec::len).sum())?;
        let tx = self.conn.unchecked_transaction().map_err(|e| self.sql(e))?;
        let mut changed = std::collections::HashSet::new();
        // The articles whose index document changes: a new text or new entities.
        let mut reindex = std::collections::HashSet::new();
        for (id, page) in &pages {
            let current: Option<(i64, Vec<u8>, String)> = tx
                .query_row(
                    "SELECT v.id, v.content_hash, v.extractor FROM articles a
                     JOIN versions v ON v.id = a.current_version WHERE a.id = ?1",
                    [*id as i64],
                    |r| r.try_into(),
                )
                .optional()
                .map_err(|e| self.sql(e))?;
            let Some((version, hash, extractor)) = current else {
                continue;
            };
            let content_changed = hash != page.content_hash.0;
            let reading_changed = content_changed || extractor != page.extractor;
            // Mentions point into the text: a new text, or entities found again,
            // replace them.
            let mut touched = entities::Touched::default();
            if content_changed || page.entities.is_some() {
                entities::forget(&tx, &mut registry, *id as i64, &mut touched)
                    .map_err(|e| self.sql(e))?;
                reindex.insert(*id);
            }
            if !reading_changed {
                if let Some(found) = &page.entities {
                    let lang = page.article.lang.as_deref();
                    entities::store(&tx, &mut registry, *id as i64, lang, found, &mut touched)
                        .map_err(|e| self.sql(e))?;
                }
                entities::refresh(&tx, &mut registry, &touched).map_err(|e| self.sql(e))?;
                continue;
            }
            tx.execute(
                "UPDATE versions SET content_hash = ?1, article = ?2, extractor = ?3 WHERE id = ?4",
                params![
                    &page.content_hash.0[..],
                    page.article_z,
                    page.extractor,
                    version
                ],
            )
            .map_err(|e| self.sql(e))?;
            update_summary(&tx, *id as i64, &page.article).map_err(|e| self.sql(e))?;
            if let Some(found) = &page.entities {
                let lang = page.article.lang.as_deref();
                entities::store(&tx, &mut registry, *id as i64, lang, found, &mut touched)
                    .map_err(|e| self.sql(e))?;
            }
            entities::refresh(&tx, &mut registry, &touched).map_err(|e| self.sql(e))?;
            if content_changed {
                changed.insert(*id);
                reindex.insert(*id);
            }
        }
        let mut docs: Vec<TantivyDocument> = Vec::new();
        for (id, p) in &pages {
            if reindex.remove(id) {
                let terms = entities::index_terms(&tx, *id as i64).map_err(|e| self.sql(e))?;
                docs.push(index::document(
                    &self.fields,
                    *id,
                    &p.article,
                    p.fetched_at,
                    &terms,
                ));
            }
        }
        tx.commit().map_err(|e| self.sql(e))?;
        self.return_registry(registry);
        self.add_docs(docs)?;
        self.commit()?;
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [INDEX_DIRTY])
            .map_err(|e| self.sql(e))?;
        Ok(changed.len() as u64)
    }

    /// What the store knows of the entity `name` designates, in any language or script
    /// (folded by [`vigie_nlp::fold::name_key`]; a knowledge-base id works too): its
    /// display name, kind, aliases by language, mentions per day and the `limit`
    /// entities named most often in the same articles. `None` when no stored article
    /// names it.
    pub fn entity(&self, name: &str, limit: usize) -> Result<Option<EntityReport>, StoreError> {
        let Some(id) = entities::find(&self.conn, name).map_err(|e| self.sql(e))? else {
            return Ok(None);
        };
        entities::report(&self.conn, id, limit).map_err(|e| self.sql(e))
    }

    /// Number of articles stored.
    pub fn article_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.sql(e))
    }

    /// Commits, then waits for the index merges in progress to end, so a large
    /// ingest does not leave the index in many small parts. Dropping the store
    /// instead abandons those merges (nothing is lost; they are redone later).
    pub fn close(mut self) -> Result<(), StoreError> {
        if self.writer.is_none() {
            return Ok(());
        }
        // The last checkpoint runs while the index commits.
        if let Some(w) = &self.writer {
            w.checkpointer.request_stop();
        }
        self.commit()?;
        let dir = self.dir.join(INDEX);
        if let Some(w) = self.writer.take() {
            w.index
                .wait_merging_threads()
                .map_err(|e| StoreError::index(&dir, e))?;
            w.checkpointer.finish()?;
        }
        Ok(())
    }

    /// Bytes on disk: records and index.
    pub fn disk_usage(&self) -> u64 {
        fn size(p: &Path) -> u64 {
            match std::fs::metadata(p) {
                Ok(m) if m.is_dir() => std::fs::read_dir(p)
                    .map(|d| d.filter_map(Result::ok).map(|e| size(&e.path())).sum())
                    .unwrap_or(0),
                Ok(m) => m.len(),
                Err(_) => 0,
            }
        }
        size(&self.dir)
    }

    fn hit(&self, id: ArticleId, score: f32, words: &[String]) -> Result<Option<Hit>, StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT a.url, a.title, a.site, a.lang, a.published, v.article FROM articles a
                 JOIN versions v ON v.id = a.current_version WHERE a.id = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([id as i64], |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Vec<u8>>(5)?,
                    ))
                })
                .optional()
            })
            .map_err(|e| self.sql(e))?;
        let Some((url, title, site, lang, published, blob)) = row else {
            return Ok(None);
        };
        let json = records::decompress(&blob).map_err(|e| StoreError::Damaged {
            id,
            message: e.to_string(),
        })?;
        // Only the lead and the body's text: skipping the metadata (and the images)
        // keeps the decoding of a hit short.
        let source: SnippetSource =
            serde_json::from_slice(&json).map_err(|e| StoreError::Damaged {
                id,
                message: e.to_string(),
            })?;
        let analyzer = analysis::analyzer_name(analysis::slot(lang.as_deref()));
        let text = source.into_text();
        Ok(Some(Hit {
            id,
            url,
            title,
            site,
            lang,
            published,
            score,
            snippet: snippet::snippet(&self.index, &analyzer, &text, words),
        }))
    }

    fn doc_id(&self, searcher: &tantivy::Searcher, addr: DocAddress) -> Result<u64, StoreError> {
        let columns = self
            .columns
            .columns(searcher.segment_reader(addr.segment_ord))
            .map_err(|e| self.idx(e))?;
        Ok(columns.id.first(addr.doc_id).unwrap_or(0))
    }
}

fn timestamp(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

/// The parts of a stored article a search hit shows.
#[derive(serde::Deserialize)]
struct SnippetSource<'a> {
    #[serde(borrow, default)]
    lead: Option<std::borrow::Cow<'a, str>>,
    /// Stored by versions written before the text was left to the blocks.
    #[serde(borrow, default)]
    text: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    body: Vec<BlockText<'a>>,
}

/// The text of one body block.
#[derive(serde::Deserialize)]
struct BlockText<'a> {
    #[serde(borrow)]
    text: std::borrow::Cow<'a, str>,
}

impl SnippetSource<'_> {
    /// The lead and the text, joined as [`Article::refresh_text`] joins the blocks.
    fn into_text(self) -> String {
        let lead = self.lead.as_deref().filter(|l| !l.is_empty());
        let text: Vec<&str> = if self.text.is_empty() {
            self.body.iter().map(|b| b.text.as_ref()).collect()
        } else {
            vec![self.text.as_ref()]
        };
        vigie_core::join_paragraphs(lead.into_iter().chain(text))
    }
}

/// An article as stored: its JSON, zstd-compressed, without the text, which is rebuilt
/// from the blocks (versions written before that keep it).
fn decode_article(id: u64, blob: &[u8]) -> Result<Article, StoreError> {
    let damaged = |message: String| StoreError::Damaged { id, message };
    let json = records::decompress(blob).map_err(|e| damaged(e.to_string()))?;
    let mut article: Article = serde_json::from_slice(&json).map_err(|e| damaged(e.to_string()))?;
    if article.text.is_empty() {
        article.refresh_text();
    }
    Ok(article)
}

fn update_summary(conn: &Connection, id: i64, a: &Article) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE articles SET url = ?2, site = ?3, lang = ?4, title = ?5, published = ?6, day = ?7
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        a.canonical_url.as_deref().or(a.url.as_deref()),
        index::site_label(a),
        a.lang,
        a.title,
        a.published.map(|p| p.to_rfc3339()),
        a.published.map(|p| p.date_naive().to_string()),
    ])?;
    Ok(())
}

/// For each raw-page hash, the article of a stored page with exactly these bytes.
fn known_raw(conn: &Connection, hashes: &[Hash]) -> rusqlite::Result<Vec<Option<ArticleId>>> {
    hashes.iter().map(|h| known_raw_one(conn, h)).collect()
}

/// The article of a stored page with exactly the bytes of `hash`.
fn known_raw_one(conn: &Connection, hash: &Hash) -> rusqlite::Result<Option<ArticleId>> {
    conn.prepare_cached("SELECT article_id FROM versions WHERE raw_hash = ?1 LIMIT 1")?
        .query_row([&hash.0[..]], |r| r.get::<_, i64>(0))
        .optional()
        .map(|id| id.map(|i| i as u64))
}

/// Finds stored raw pages by hash ([`Store::known_raw`]) through a read-only connection
/// of its own, so that the thread reading pages can skip the known ones while another
/// thread writes. It sees what was committed when it asks.
pub struct RawLookup {
    conn: Connection,
    path: PathBuf,
}

impl RawLookup {
    /// The article of a stored page with exactly the bytes of `hash`.
    pub fn known(&self, hash: &Hash) -> Result<Option<ArticleId>, StoreError> {
        known_raw_one(&self.conn, hash).map_err(|e| StoreError::sqlite(&self.path, e))
    }
}

/// The error of a write to a store opened for reading.
fn read_only(dir: &Path) -> StoreError {
    StoreError::Io {
        path: dir.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the store was opened read-only",
        ),
    }
}

impl EmbeddedStore {
    /// Whether `dir` holds no store yet: opening it for writing creates one, which
    /// knows no page.
    pub fn is_new(dir: &Path) -> bool {
        !dir.join(RECORDS).exists()
    }

    /// A [`RawLookup`] on this store's records.
    pub fn raw_lookup(&self) -> Result<RawLookup, StoreError> {
        let path = self.records_path();
        Ok(RawLookup {
            conn: records::open_readonly(&path)?,
            path,
        })
    }

    /// The records of a batch of pages, in one transaction: each page's article,
    /// version, raw page (appended to the packs) and entities. Returns the outcomes and
    /// the index documents of the pages stored.
    fn write_records(
        &mut self,
        pages: &[NewPage],
    ) -> Result<(Vec<Outcome>, Vec<TantivyDocument>), StoreError> {
        let found = pages.iter().filter_map(|p| p.reading.entities.as_ref());
        let mut registry = self.take_registry(found.map(Vec::len).sum())?;
        let tx = self.conn.unchecked_transaction().map_err(|e| self.sql(e))?;
        let mut outcomes = Vec::with_capacity(pages.len());
        // Display names are recomputed once per batch, not once per article.
        let mut touched = entities::Touched::default();
        let mut stored = Vec::new();
        for page in pages {
            let now = page.reading.fetched_at.timestamp();
            let existing: Option<(i64, Vec<u8>)> = tx
                .prepare_cached(
                    "SELECT a.id, v.content_hash FROM articles a
                     JOIN versions v ON v.id = a.current_version WHERE a.key = ?1",
                )
                .and_then(|mut s| s.query_row([&page.key], |r| r.try_into()).optional())
                .map_err(|e| self.sql(e))?;
            let (id, new_article) = match existing {
                Some((id, hash)) if hash == page.reading.content_hash.0 => {
                    tx.execute(
                        "UPDATE articles SET last_seen = max(last_seen, ?2) WHERE id = ?1",
                        params![id, now],
                    )
                    .map_err(|e| self.sql(e))?;
                    outcomes.push(Outcome::Unchanged { id: id as u64 });
                    continue;
                }
                Some((id, _)) => (id, false),
                None => {
                    tx.prepare_cached(
                        "INSERT INTO articles(key, first_seen, last_seen, current_version)
                         VALUES (?1, ?2, ?2, 0)",
                    )
                    .and_then(|mut s| s.execute(params![page.key, now]))
                    .map_err(|e| self.sql(e))?;
                    (tx.last_insert_rowid(), true)
                }
            };
            let raw = match self.writer.as_mut() {
                Some(w) => w.packs.append(&page.raw_z)?,
                None => return Err(read_only(&self.dir)),
            };
            tx.prepare_cached(
                "INSERT INTO versions(article_id, content_hash, raw_hash, source, fetched_at,
                                      raw_kind, article, extractor, raw_pack, raw_at, raw_len)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    &page.reading.content_hash.0[..],
                    &page.raw_hash.0[..],
                    page.source,
                    now,
                    page.raw_kind.as_str(),
                    page.reading.article_z,
                    page.reading.extractor,
                    raw.pack,
                    raw.at as i64,
                    raw.len as i64,
                ])
            })
            .map_err(|e| self.sql(e))?;
            let version_id = tx.last_insert_rowid();
            tx.prepare_cached(
                "UPDATE articles SET current_version = ?2, last_seen = max(last_seen, ?3)
                 WHERE id = ?1",
            )
            .and_then(|mut s| s.execute(params![id, version_id, now]))
            .map_err(|e| self.sql(e))?;
            // The mentions of the previous version point into its text.
            if !new_article {
                entities::forget(&tx, &mut registry, id, &mut touched).map_err(|e| self.sql(e))?;
            }
            update_summary(&tx, id, &page.reading.article).map_err(|e| self.sql(e))?;
            let named = match &page.reading.entities {
                Some(found) => {
                    let lang = page.reading.article.lang.as_deref();
                    entities::store(&tx, &mut registry, id, lang, found, &mut touched)
                        .map_err(|e| self.sql(e))?
                }
                None => entities::Named::default(),
            };
            // A new article is at version 1 without asking; only a changed one counts.
            let version: i64 = if new_article {
                1
            } else {
                tx.query_row(
                    "SELECT count(*) FROM versions WHERE article_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .map_err(|e| self.sql(e))?
            };
            outcomes.push(Outcome::Stored {
                id: id as u64,
                version: version as u32,
            });
            stored.push((id, page, named));
        }
        entities::refresh(&tx, &mut registry, &touched).map_err(|e| self.sql(e))?;
        let mut docs = Vec::with_capacity(stored.len());
        for (id, page, named) in stored {
            let terms = match named.terms(&registry) {
                Some(terms) => terms,
                None => entities::index_terms(&tx, id).map_err(|e| self.sql(e))?,
            };
            docs.push(index::document(
                &self.fields,
                id as u64,
                &page.reading.article,
                page.reading.fetched_at,
                &terms,
            ));
        }
        tx.commit().map_err(|e| self.sql(e))?;
        self.return_registry(registry);
        Ok((outcomes, docs))
    }
}

impl Store for EmbeddedStore {
    fn known_raw(&self, hashes: &[Hash]) -> Result<Vec<Option<ArticleId>>, StoreError> {
        known_raw(&self.conn, hashes).map_err(|e| self.sql(e))
    }

    fn put(&mut self, pages: Vec<NewPage>) -> Result<Vec<Outcome>, StoreError> {
        let mark = self.writer_mut()?.packs.begin_batch()?;
        match self.write_records(&pages) {
            Ok((outcomes, docs)) => {
                self.add_docs(docs)?;
                Ok(outcomes)
            }
            Err(e) => {
                // The raw pages appended for the batch belong to no committed version.
                if let Some(w) = self.writer.as_mut() {
                    w.packs.rewind(mark)?;
                }
                Err(e)
            }
        }
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        let last = records::last_version(&self.conn).map_err(|e| self.sql(e))?;
        let dir = self.dir.join(INDEX);
        let w = self.writer_mut()?;
        let mut prepared = w
            .index
            .prepare_commit()
            .map_err(|e| StoreError::index(&dir, e))?;
        prepared.set_payload(&last.to_string());
        prepared.commit().map_err(|e| StoreError::index(&dir, e))?;
        w.pending = 0;
        self.reader.reload().map_err(|e| self.idx(e))?;
        Ok(())
    }

    fn search(&self, req: &SearchRequest) -> Result<SearchResults, StoreError> {
        let expr = query::parse(&req.query)?;
        let now = req.now.unwrap_or_else(Utc::now);
        let mut values = Vec::new();
        index::entity_values(&expr, &mut values);
        let mut entity_ids = index::EntityIds::new();
        for v in values {
            if let Some(id) = entities::find(&self.conn, &v).map_err(|e| self.sql(e))? {
                entity_ids.insert(v, id as u64);
            }
        }
        let q = index::compile(
            &self.index,
            &self.fields,
            &expr,
            &req.query,
            now,
            &entity_ids,
        )?;
        let searcher = self.reader.searcher();
        let mut words = Vec::new();
        index::positive_words(&expr, &mut words);
        let top = TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset);
        let (scored, facets): (Vec<(f32, DocAddress)>, _) = match req.sort {
            Sort::Relevance => searcher
                .search(
                    &q,
                    &(
                        top.order_by_score(),
                        FacetCollector {
                            columns: &self.columns,
                        },
                    ),
                )
                .map_err(|e| self.idx(e))?,
            Sort::Date => {
                let (hits, facets) = searcher
                    .search(
                        &q,
                        &(
                            top.order_by_fast_field::<i64>("ts", Order::Desc),
                            FacetCollector {
                                columns: &self.columns,
                            },
                        ),
                    )
                    .map_err(|e| self.idx(e))?;
                (hits.into_iter().map(|(_, a)| (0.0, a)).collect(), facets)
            }
        };
        let mut hits = Vec::new();
        for (score, addr) in scored.into_iter().take(req.limit) {
            let id = self.doc_id(&searcher, addr)?;
            if let Some(hit) = self.hit(id, score, &words)? {
                hits.push(hit);
            }
        }
        Ok(SearchResults {
            total: facets.total,
            hits,
            facets: Facets {
                site: facets.site,
                lang: facets.lang,
                day: facets
                    .day
                    .into_iter()
                    .filter_map(|(d, n)| Some((index::day_of(d)?.to_string(), n)))
                    .collect(),
            },
        })
    }

    fn get(&self, id: ArticleId) -> Result<Option<StoredArticle>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT a.first_seen, a.last_seen, v.article FROM articles a
                 JOIN versions v ON v.id = a.current_version WHERE a.id = ?1",
                [id as i64],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let Some((first, last, blob)) = row else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare("SELECT fetched_at, source FROM versions WHERE article_id = ?1 ORDER BY id")
            .map_err(|e| self.sql(e))?;
        let versions = stmt
            .query_map([id as i64], |r| <(i64, Option<String>)>::try_from(r))
            .map_err(|e| self.sql(e))?
            .enumerate()
            .map(|(i, r)| {
                r.map(|(at, source)| VersionInfo {
                    version: i as u32 + 1,
                    fetched_at: timestamp(at),
                    source,
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(Some(StoredArticle {
            id,
            first_seen: timestamp(first),
            last_seen: timestamp(last),
            versions,
            article: decode_article(id, &blob)?,
        }))
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<std::collections::BTreeMap<String, u64>, StoreError> {
            let mut stmt = self.conn.prepare(sql).map_err(|e| self.sql(e))?;
            let rows = stmt
                .query_map([], |r| <(String, i64)>::try_from(r))
                .map_err(|e| self.sql(e))?;
            rows.map(|r| r.map(|(k, n)| (k, n as u64)))
                .collect::<Result<_, _>>()
                .map_err(|e| self.sql(e))
        };
        Ok(Stats {
            articles: self
                .conn
                .query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0))
                .map_err(|e| self.sql(e))? as u64,
            sites: count(
                "SELECT site, count(*) FROM articles WHERE site IS NOT NULL GROUP BY site",
            )?,
            langs: count(
                "SELECT lang, count(*) FROM articles WHERE lang IS NOT NULL GROUP BY lang",
            )?,
            days: count("SELECT day, count(*) FROM articles WHERE day IS NOT NULL GROUP BY day")?,
        })
    }

    fn reindex(&mut self) -> Result<u64, StoreError> {
        let dir = self.dir.join(INDEX);
        // Deleting every document as one operation, stamped after the documents it
        // deletes and before those added next. (`delete_all_documents` rewinds the
        // writer's operation stamps instead: with two indexing threads, a reindex lost
        // one of five documents in about 3 % of runs.)
        self.writer_mut()?
            .index
            .delete_query(Box::new(tantivy::query::AllQuery))
            .map_err(|e| StoreError::index(&dir, e))?;
        let n = self.index_articles_where("?1 = ?1", 0)?;
        self.commit()?;
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [INDEX_DIRTY])
            .map_err(|e| self.sql(e))?;
        Ok(n)
    }

    fn compact(&mut self) -> Result<Compacted, StoreError> {
        self.commit()?;
        let dir = self.dir.join(INDEX);
        let idx = |e| StoreError::index(&dir, e);
        let Writer {
            index: writer,
            checkpointer,
            packs,
            _lock: lock,
            memory,
            entities,
            ..
        } = self.writer.take().ok_or(StoreError::Io {
            path: self.dir.clone(),
            source: std::io::Error::other("the store was opened read-only"),
        })?;
        // Merges the policy started would conflict with ours: let them end first, and
        // start none while ours runs.
        let waited = writer.wait_merging_threads();
        let mut writer = index_writer(&self.index, memory).map_err(idx)?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let result = (|| {
            waited?;
            let segments = self.index.searchable_segment_ids()?;
            if segments.len() > 1 {
                // The merge keeps the commit payload, so crash recovery still knows
                // which versions the index holds.
                writer.merge(&segments).wait()?;
            }
            writer.garbage_collect_files().wait()?;
            Ok(segments.len())
        })();
        writer.set_merge_policy(Box::<LogMergePolicy>::default());
        self.writer = Some(Writer {
            index: writer,
            checkpointer,
            packs,
            _lock: lock,
            pending: 0,
            memory,
            entities,
        });
        let before = result.map_err(idx)?;
        self.conn
            .execute_batch("PRAGMA optimize")
            .map_err(|e| self.sql(e))?;
        self.reader.reload().map_err(|e| self.idx(e))?;
        let after = self
            .index
            .searchable_segment_ids()
            .map_err(|e| self.idx(e))?;
        Ok(Compacted {
            segments_before: before,
            segments_after: after.len(),
        })
    }
}
