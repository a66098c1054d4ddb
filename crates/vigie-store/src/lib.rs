//! Vigie's article store: keeps every article read, every version of it and its raw
//! page, and answers queries over them in milliseconds.
//!
//! The [`Store`] trait is what the pipeline talks to; [`EmbeddedStore`] is the default
//! backend, one data directory with SQLite records (the truth) and a tantivy index
//! (derived, repaired on open). The query language is documented in [`query`].
//!
//! ```
//! use vigie_store::{EmbeddedStore, NewPage, OpenOptions, RawKind, SearchRequest, Store};
//! use vigie_core::Article;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let mut store = EmbeddedStore::open(dir.path(), &OpenOptions { write: true, ..Default::default() })?;
//! let article = Article {
//!     url: Some("https://example.org/minsk".into()),
//!     lang: Some("fr".into()),
//!     title: Some("Poutine à Minsk".into()),
//!     text: "Le président russe est arrivé à Minsk.".into(),
//!     ..Article::default()
//! };
//! let page = NewPage::new(None, b"<html>...</html>", RawKind::Html, article, chrono::Utc::now(), "doc")?;
//! store.put(vec![page])?;
//! store.commit()?;
//! let found = store.search(&SearchRequest {
//!     query: "presidents minsk".into(), // stemmed, accents folded
//!     sort: Default::default(), limit: 10, offset: 0, now: None,
//! })?;
//! assert_eq!(found.total, 1);
//! # Ok::<(), vigie_store::StoreError>(())
//! ```

mod analysis;
mod checkpoint;
mod embedded;
mod entities;
mod error;
mod facets;
mod index;
mod model;
mod packs;
pub mod query;
mod records;
mod registry;
mod snippet;
mod sources;

pub use embedded::{EmbeddedStore, OpenOptions, RawLookup};
pub use error::StoreError;
pub use model::{
    identity, ArticleId, Compacted, Cooccurrence, EntityReport, Facets, Hash, Hit, NewPage,
    Outcome, RawKind, RawPage, Reading, SearchRequest, SearchResults, Sort, Stats, StoredArticle,
    VersionInfo,
};
#[doc(hidden)]
pub use records::{migrate, MIGRATIONS};
pub use sources::{
    SeenFile, SourceEntry, SourceRecord, SourceRegistry, Upserted, SOURCES_FILE, SOURCE_MIGRATIONS,
};

/// An article store. Writes are batched: [`Store::put`] makes a batch durable in the
/// records, [`Store::commit`] makes what was put searchable.
pub trait Store {
    /// For each raw-page hash, the article of a stored page with exactly these bytes.
    /// Lets a resumed ingest skip pages without extracting them again.
    fn known_raw(&self, hashes: &[Hash]) -> Result<Vec<Option<ArticleId>>, StoreError>;

    /// Stores a batch of pages in one transaction: each becomes a new article, a new
    /// version of the article with the same identity, or nothing when its content is
    /// unchanged. On return the batch is durable; on error none of it was kept.
    fn put(&mut self, pages: Vec<NewPage>) -> Result<Vec<Outcome>, StoreError>;

    /// Makes every article put so far visible to searches.
    fn commit(&mut self) -> Result<(), StoreError>;

    /// Runs a query.
    fn search(&self, request: &SearchRequest) -> Result<SearchResults, StoreError>;

    /// One article with its history.
    fn get(&self, id: ArticleId) -> Result<Option<StoredArticle>, StoreError>;

    /// Counts by site, language and day.
    fn stats(&self) -> Result<Stats, StoreError>;

    /// Rebuilds the index from the records; returns the number of articles indexed.
    fn reindex(&mut self) -> Result<u64, StoreError>;

    /// Merges the index into as few parts as possible, for the fastest searches after
    /// a large ingest; returns how many parts there were and are.
    fn compact(&mut self) -> Result<Compacted, StoreError>;
}
