//! What goes into a store and what comes out of it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use vigie_core::Article;

use crate::error::StoreError;
use crate::records;

/// A stored article's id.
pub type ArticleId = u64;

/// A content hash (BLAKE3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// Hash of raw bytes.
    pub fn of(bytes: &[u8]) -> Hash {
        Hash(*blake3::hash(bytes).as_bytes())
    }

    /// Hash of an article's content: title, lead, authors and text. Metadata that
    /// pages rewrite on every visit (ads, "updated 2 minutes ago") does not count.
    pub fn of_content(a: &Article) -> Hash {
        let mut h = blake3::Hasher::new();
        for part in [a.title.as_deref(), a.lead.as_deref()] {
            h.update(part.unwrap_or("").as_bytes());
            h.update(b"\0");
        }
        for author in &a.authors {
            h.update(author.as_bytes());
            h.update(b"\x1f");
        }
        h.update(b"\0");
        h.update(a.text.as_bytes());
        Hash(*h.finalize().as_bytes())
    }

    /// Lower-case hexadecimal.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// What a raw page was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    /// An HTML page.
    Html,
    /// Text a scraper already pulled out of a page.
    Text,
}

impl RawKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RawKind::Html => "html",
            RawKind::Text => "text",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> RawKind {
        if s == "text" {
            RawKind::Text
        } else {
            RawKind::Html
        }
    }
}

/// A page read and extracted, ready to store. Building one compresses and hashes,
/// which is the costly part of storing: do it on worker threads.
#[derive(Debug, Clone)]
pub struct NewPage {
    pub(crate) source: Option<String>,
    pub(crate) key: String,
    pub(crate) raw_hash: Hash,
    pub(crate) raw_kind: RawKind,
    pub(crate) raw_z: Vec<u8>,
    /// The article read from the raw page.
    pub(crate) reading: Reading,
}

impl NewPage {
    /// Prepares a page for storing. `source` is where it was read from (path or URL),
    /// `extractor` names the extractor's version, so stale readings can be found later.
    pub fn new(
        source: Option<String>,
        raw: &[u8],
        raw_kind: RawKind,
        article: Article,
        fetched_at: DateTime<Utc>,
        extractor: &str,
    ) -> Result<NewPage, StoreError> {
        Self::with_raw_hash(
            source,
            raw,
            Hash::of(raw),
            raw_kind,
            article,
            fetched_at,
            extractor,
        )
    }

    /// Like [`NewPage::new`], with the raw page's hash already computed
    /// (an ingest hashes pages first to skip those already stored).
    pub fn with_raw_hash(
        source: Option<String>,
        raw: &[u8],
        raw_hash: Hash,
        raw_kind: RawKind,
        article: Article,
        fetched_at: DateTime<Utc>,
        extractor: &str,
    ) -> Result<NewPage, StoreError> {
        let reading = Reading::new(article, fetched_at, extractor)?;
        Ok(NewPage {
            key: identity(&reading.article, &reading.content_hash),
            source,
            raw_hash,
            raw_kind,
            raw_z: records::compress(raw, records::RAW_LEVEL).map_err(compressing)?,
            reading,
        })
    }

    /// The article this page reads as.
    pub fn article(&self) -> &Article {
        &self.reading.article
    }

    /// Finds the people, places and organisations the article names
    /// ([`vigie_nlp::entities`] over [`vigie_nlp::article_text`], in the article's
    /// language, English when it has none), to be stored with it. It costs about as much
    /// as extraction: call it on worker threads, not in the thread that writes. A page
    /// put without it stores no entities for its article.
    pub fn find_entities(&mut self) {
        self.reading.find_entities();
    }

    /// Sets the entities to store with the article (offsets into
    /// [`vigie_nlp::article_text`] of it).
    pub fn set_entities(&mut self, entities: Vec<vigie_nlp::Entity>) {
        self.reading.entities = Some(entities);
    }

    /// The entities found by [`NewPage::find_entities`], if it was called.
    pub fn entities(&self) -> Option<&[vigie_nlp::Entity]> {
        self.reading.entities.as_deref()
    }
}

/// An article as read from a raw page, ready for the records: a [`NewPage`] without its
/// raw page. On its own, it is a new reading of a raw page the store keeps, for
/// [`EmbeddedStore::replace_readings`](crate::EmbeddedStore::replace_readings), where
/// the raw page stays as stored (`vigie reextract` would otherwise compress every page
/// again to throw the copy away).
#[derive(Debug, Clone)]
pub struct Reading {
    pub(crate) content_hash: Hash,
    pub(crate) article_z: Vec<u8>,
    pub(crate) article: Article,
    /// When the raw page was read: the index's date for an article without one.
    pub(crate) fetched_at: DateTime<Utc>,
    pub(crate) extractor: String,
    /// The article's entities, when they were looked for ([`Reading::find_entities`]).
    pub(crate) entities: Option<Vec<vigie_nlp::Entity>>,
}

impl Reading {
    /// Prepares a reading of a page read at `fetched_at`, by the extractor `extractor`.
    pub fn new(
        mut article: Article,
        fetched_at: DateTime<Utc>,
        extractor: &str,
    ) -> Result<Reading, StoreError> {
        let (article_z, content_hash) = encode(&mut article)?;
        Ok(Reading {
            content_hash,
            article_z,
            article,
            fetched_at,
            extractor: extractor.to_string(),
            entities: None,
        })
    }

    /// Finds the article's entities (see [`NewPage::find_entities`]).
    pub fn find_entities(&mut self) {
        self.entities = Some(entities_of(&self.article));
    }
}

fn compressing(source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: "(compressing a page)".into(),
        source,
    }
}

/// An article as the records keep it, and its content hash. The JSON leaves out the
/// text, which is the body's blocks joined and is rebuilt when read back (it was 43 %
/// of the record and of its compression).
fn encode(article: &mut Article) -> Result<(Vec<u8>, Hash), StoreError> {
    let text = std::mem::take(&mut article.text);
    let json = serde_json::to_vec(&*article);
    article.text = text;
    let json = json.map_err(|e| compressing(e.into()))?;
    let z = records::compress(&json, records::ARTICLE_LEVEL).map_err(compressing)?;
    Ok((z, Hash::of_content(article)))
}

/// The entities of an article ([`vigie_nlp::entities`] over
/// [`vigie_nlp::article_text`]), in its language, English when it has none.
fn entities_of(article: &Article) -> Vec<vigie_nlp::Entity> {
    let lang = article.lang.as_deref().unwrap_or("en");
    vigie_nlp::entities(&vigie_nlp::article_text(article), lang)
}

/// An article's identity: its canonical address (else the address it was read
/// from), lightly normalised; without any address, its content.
pub fn identity(article: &Article, content: &Hash) -> String {
    let url = article
        .canonical_url
        .as_deref()
        .or(article.url.as_deref())
        .map(str::trim)
        .filter(|u| {
            let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
            lower.starts_with("http://") || lower.starts_with("https://")
        });
    match url {
        Some(u) => normalise_url(u),
        None => format!("sha:{}", content.hex()),
    }
}

/// Scheme and host lower-cased, fragment and default port dropped.
pub(crate) fn normalise_url(u: &str) -> String {
    let u = u.split('#').next().unwrap_or(u);
    let Some((scheme, rest)) = u.split_once("://") else {
        return u.to_string();
    };
    let scheme = scheme.to_ascii_lowercase();
    let (host, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut host = host.to_ascii_lowercase();
    let default = if scheme == "https" { ":443" } else { ":80" };
    if let Some(h) = host.strip_suffix(default) {
        host = h.to_string();
    }
    format!("{scheme}://{host}{path}")
}

/// What storing a page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    /// A new article, or a new version of one.
    Stored {
        /// The article.
        id: ArticleId,
        /// Its version number, 1 for a new article.
        version: u32,
    },
    /// The page reads exactly as the article's current version.
    Unchanged {
        /// The article.
        id: ArticleId,
    },
}

/// A stored article with its history.
#[derive(Debug, Clone, Serialize)]
pub struct StoredArticle {
    /// Its id.
    pub id: ArticleId,
    /// When it was first and last seen.
    pub first_seen: DateTime<Utc>,
    /// When it was last seen.
    pub last_seen: DateTime<Utc>,
    /// Every version, oldest first.
    pub versions: Vec<VersionInfo>,
    /// The current version's reading.
    pub article: Article,
}

/// One version of an article.
#[derive(Debug, Clone, Serialize)]
pub struct VersionInfo {
    /// 1 for the first.
    pub version: u32,
    /// When it was read.
    pub fetched_at: DateTime<Utc>,
    /// Where it was read from.
    pub source: Option<String>,
}

/// A raw page kept by the store, for re-extraction.
#[derive(Debug, Clone)]
pub struct RawPage {
    /// The article.
    pub id: ArticleId,
    /// Where it was read from.
    pub source: Option<String>,
    /// What it was.
    pub kind: RawKind,
    /// The bytes, decompressed.
    pub bytes: Vec<u8>,
    /// The address the current reading has.
    pub url: Option<String>,
    /// When it was read.
    pub fetched_at: DateTime<Utc>,
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// A search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query, in Vigie's query language.
    pub query: String,
    /// Order of the hits.
    pub sort: Sort,
    /// At most this many hits.
    pub limit: usize,
    /// Skip this many hits first.
    pub offset: usize,
    /// The moment relative dates count back from (default: now).
    pub now: Option<DateTime<Utc>>,
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Article id.
    pub id: ArticleId,
    /// Its address.
    pub url: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its site.
    pub site: Option<String>,
    /// Its language.
    pub lang: Option<String>,
    /// Publication time (RFC 3339).
    pub published: Option<String>,
    /// Relevance (BM25); 0 when sorted by date.
    pub score: f32,
    /// A passage around the matched words, marked with `<b>…</b>` (the rest is HTML-escaped).
    pub snippet: String,
}

/// Counts of matching articles.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// Per site.
    pub site: BTreeMap<String, u64>,
    /// Per language.
    pub lang: BTreeMap<String, u64>,
    /// Per publication day (YYYY-MM-DD).
    pub day: BTreeMap<String, u64>,
}

/// Search results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// How many articles match in all.
    pub total: u64,
    /// The requested page of them.
    pub hits: Vec<Hit>,
    /// Counts of all matches per site, language and day.
    pub facets: Facets,
}

/// What a store holds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Articles stored.
    pub articles: u64,
    /// Per site.
    pub sites: BTreeMap<String, u64>,
    /// Per language.
    pub langs: BTreeMap<String, u64>,
    /// Per publication day (YYYY-MM-DD).
    pub days: BTreeMap<String, u64>,
}

/// What the store knows of one entity ([`crate::EmbeddedStore::entity`]).
#[derive(Debug, Clone, Serialize)]
pub struct EntityReport {
    /// The display name: a known place's base name, else the most used (full) form.
    pub name: String,
    /// `PER`, `LOC`, `ORG` or `MISC`.
    pub kind: String,
    /// The knowledge-base id (`geonames:…`, `iso3166:…`) of a known place.
    pub kb_id: Option<String>,
    /// Every form articles use, by the language of the articles (`und` when unknown),
    /// most used first.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Mentions per day: the article's publication day, else the day it was first read.
    pub days: BTreeMap<String, u64>,
    /// The entities named in the same articles, most shared articles first.
    pub cooccurs: Vec<Cooccurrence>,
    /// Mentions in all.
    pub mentions: u64,
    /// Articles that name it.
    pub articles: u64,
}

/// An entity named in the same articles as another.
#[derive(Debug, Clone, Serialize)]
pub struct Cooccurrence {
    /// Its display name.
    pub name: String,
    /// `PER`, `LOC`, `ORG` or `MISC`.
    pub kind: String,
    /// Articles naming both.
    pub articles: u64,
}

/// What [`crate::Store::compact`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Compacted {
    /// Index segments before.
    pub segments_before: usize,
    /// Index segments after.
    pub segments_after: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_prefers_the_canonical_address_normalised() {
        let a = Article {
            url: Some("https://www.lesechos.fr/x?utm=1".into()),
            canonical_url: Some("HTTPS://WWW.LesEchos.fr:443/monde/poutine#top".into()),
            ..Article::default()
        };
        let h = Hash::of_content(&a);
        assert_eq!(identity(&a, &h), "https://www.lesechos.fr/monde/poutine");
    }

    #[test]
    fn identity_without_address_is_the_content() {
        let a = Article {
            text: "Bonjour".into(),
            ..Article::default()
        };
        let h = Hash::of_content(&a);
        assert_eq!(identity(&a, &h), format!("sha:{}", h.hex()));
    }
}
