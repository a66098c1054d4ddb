//! The full-text index (tantivy): one document per article, holding its current version.
//!
//! The index is derived data: the records hold everything it holds, so it can be
//! rebuilt at any time (`reindex`) and is brought up to date on open after a crash.

use std::ops::Bound;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::{Index, TantivyDocument, Term};
use vigie_core::Article;

use crate::analysis::{self, SLOTS};
use crate::query::{DateBound, Expr, Field as QField, QueryError};

/// Bumped whenever the fields or their analysis change: an index built under another
/// version is rebuilt from the records on open.
pub const INDEX_SCHEMA_VERSION: u32 = 5;

/// The index's fields.
#[derive(Clone)]
pub struct Fields {
    /// Article id (records' primary key).
    pub id: Field,
    /// The language slot whose fields hold the article's text.
    pub slot: Field,
    /// ISO 639-1 language code, exact.
    pub lang: Field,
    /// Site name (or host), exact: the site facet.
    pub site: Field,
    /// Publication day in the article's own zone, as days since 1970-01-01.
    pub day: Field,
    /// Publication time (or first-seen time when undated), Unix seconds: date sorting.
    pub ts: Field,
    /// Title, lead and body, one field per analysis slot (language); in a stemmed
    /// language with the pairs of adjacent common words ([`analysis::CommonPairs`]).
    pub text: [Field; SLOTS],
    /// Title alone, one field per analysis slot.
    pub title: [Field; SLOTS],
    /// Author names, folded.
    pub author: Field,
    /// Site name and host, folded.
    pub site_text: Field,
    /// The names of the entities the article mentions, as [`vigie_nlp::fold::name_key`]s:
    /// every form it uses, each entity's display name, a person's surname alone.
    pub entity: Field,
    /// The records' ids of the entities the article mentions: an `entity:` query meets
    /// every article of the entity it designates, whatever spelling each one used.
    pub entity_id: Field,
}

fn text_options(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// The index schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_u64_field("id", INDEXED | FAST);
    let slot = b.add_u64_field("slot", INDEXED);
    let lang = b.add_text_field("lang", STRING | FAST);
    let site = b.add_text_field("site", STRING | FAST);
    let day = b.add_i64_field("day", INDEXED | FAST);
    let ts = b.add_i64_field("ts", INDEXED | FAST);
    let text = std::array::from_fn(|s| {
        let name = analysis::text_analyzer_name(s);
        b.add_text_field(&format!("text_{s}"), text_options(&name))
    });
    let title = std::array::from_fn(|s| {
        let name = analysis::analyzer_name(s);
        b.add_text_field(&format!("title_{s}"), text_options(&name))
    });
    let author = b.add_text_field("author", text_options(analysis::FOLD));
    let site_text = b.add_text_field("site_text", text_options(analysis::FOLD));
    let entity = b.add_text_field("entity", text_options(analysis::FOLD));
    let entity_id = b.add_u64_field("entity_id", INDEXED);
    let fields = Fields {
        id,
        slot,
        lang,
        site,
        day,
        ts,
        text,
        title,
        author,
        site_text,
        entity,
        entity_id,
    };
    (b.build(), fields)
}

/// Opens the index in `dir`, creating it when absent. Returns `None` when an index
/// exists but under another schema (it must be rebuilt).
pub fn open(dir: &Path, create: bool) -> tantivy::Result<Option<Index>> {
    let (schema, _) = schema();
    if !create && !dir.is_dir() {
        return Ok(None);
    }
    let directory = tantivy::directory::MmapDirectory::open(dir)?;
    let index = if Index::exists(&directory)? {
        let index = Index::open(directory)?;
        if index.schema() != schema {
            return Ok(None);
        }
        index
    } else if create {
        Index::create(directory, schema, tantivy::IndexSettings::default())?
    } else {
        // A reader never writes: a missing index is for a writer to build.
        return Ok(None);
    };
    analysis::register(&index);
    Ok(Some(index))
}

/// Deletes and recreates the index in `dir`.
pub fn recreate(dir: &Path) -> tantivy::Result<Index> {
    if dir.exists() {
        for entry in std::fs::read_dir(dir)? {
            let p = entry?.path();
            if p.is_file() {
                std::fs::remove_file(p)?;
            }
        }
    }
    let (schema, _) = schema();
    let directory = tantivy::directory::MmapDirectory::open(dir)?;
    let index = Index::create(directory, schema, tantivy::IndexSettings::default())?;
    analysis::register(&index);
    Ok(index)
}

/// The site as shown and faceted: the page's site name, else its host.
pub fn site_label(article: &Article) -> Option<String> {
    article
        .site
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| host(article).map(str::to_string))
}

/// Host of the article's canonical or fetched address.
pub fn host(article: &Article) -> Option<&str> {
    let url = article
        .canonical_url
        .as_deref()
        .or(article.url.as_deref())?;
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// Days since 1970-01-01 of a calendar day.
pub fn day_number(day: NaiveDate) -> i64 {
    day.signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid"))
        .num_days()
}

/// The calendar day of a day number.
pub fn day_of(number: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(number))
}

/// Builds the index document of an article.
pub fn document(
    f: &Fields,
    id: u64,
    article: &Article,
    seen: DateTime<Utc>,
    entities: &EntityTerms,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.id, id);
    let slot = analysis::slot(article.lang.as_deref());
    doc.add_u64(f.slot, slot as u64);
    if let Some(lang) = &article.lang {
        doc.add_text(f.lang, lang);
    }
    if let Some(site) = site_label(article) {
        doc.add_text(f.site, &site);
        doc.add_text(f.site_text, &site);
    }
    if let Some(h) = host(article) {
        doc.add_text(f.site_text, h);
    }
    match article.published {
        Some(p) => {
            doc.add_i64(f.day, day_number(p.date_naive()));
            doc.add_i64(f.ts, p.timestamp());
        }
        None => doc.add_i64(f.ts, seen.timestamp()),
    }
    if let Some(t) = &article.title {
        doc.add_text(f.text[slot], t);
    }
    if let Some(l) = &article.lead {
        doc.add_text(f.text[slot], l);
    }
    doc.add_text(f.text[slot], &article.text);
    if let Some(t) = &article.title {
        doc.add_text(f.title[slot], t);
    }
    for a in &article.authors {
        doc.add_text(f.author, a);
    }
    for e in &entities.names {
        doc.add_text(f.entity, e);
    }
    for id in &entities.ids {
        doc.add_u64(f.entity_id, *id);
    }
    doc
}

/// What the index holds of an article's entities.
#[derive(Debug, Default)]
pub struct EntityTerms {
    /// Name keys ([`vigie_nlp::fold::name_key`]) of the forms and names.
    pub names: Vec<String>,
    /// The records' entity ids.
    pub ids: Vec<u64>,
}

/// The stored entities `entity:` values designate, keyed by the words as typed
/// (joined by a space).
pub type EntityIds = std::collections::HashMap<String, u64>;

/// The words of every `entity:` value of a query, joined by a space.
pub fn entity_values(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Text {
            field: QField::Entity,
            words,
            ..
        } => out.push(words.join(" ")),
        Expr::And(parts) | Expr::Or(parts) => {
            for p in parts {
                entity_values(p, out);
            }
        }
        Expr::Not(inner) => entity_values(inner, out),
        _ => {}
    }
}

/// Turns a parsed query into a tantivy query. `now` anchors relative dates.
///
/// An article's text is indexed in its own language's fields only, so the query is
/// compiled once per language slot and each copy is restricted to that slot's
/// articles: `w1 AND w2` becomes ∪ₛ (w1ₛ ∩ w2ₛ ∩ slotₛ). Intersections skip through
/// posting lists; the per-word unions of the naive form had to walk them whole.
/// A `lang:` filter beside the query leaves a single slot.
pub fn compile(
    index: &Index,
    f: &Fields,
    expr: &Expr,
    query: &str,
    now: DateTime<Utc>,
    entity_ids: &EntityIds,
) -> Result<Box<dyn Query>, QueryError> {
    validate(index, expr, query)?;
    let c = Compiler {
        index,
        f,
        now,
        entity_ids,
    };
    let langs: Vec<&str> = match expr {
        Expr::Lang(l) => vec![l.as_str()],
        Expr::And(parts) => parts
            .iter()
            .filter_map(|p| match p {
                Expr::Lang(l) => Some(l.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    if let Some(l) = langs.first() {
        // The lang clause itself keeps other languages out.
        return Ok(c
            .compile(expr, analysis::slot(Some(l)))
            .unwrap_or_else(|| Box::new(EmptyQuery)));
    }
    let bound = bound_to_slot(expr);
    let per_slot: Vec<Box<dyn Query>> = (0..SLOTS)
        .filter_map(|s| {
            let q = c.compile(expr, s)?;
            if bound {
                return Some(q);
            }
            let slot = filter(Box::new(TermQuery::new(
                Term::from_field_u64(f.slot, s as u64),
                IndexRecordOption::Basic,
            )));
            Some(Box::new(BooleanQuery::intersection(vec![q, slot])) as Box<dyn Query>)
        })
        .collect();
    Ok(match per_slot.len() {
        0 => Box::new(EmptyQuery),
        1 => per_slot.into_iter().next().expect("one"),
        _ => Box::new(BooleanQuery::union(per_slot)),
    })
}

/// Whether every article a slot's copy of `expr` matches has text in that slot's own
/// fields (a positive word or phrase of the text or title): the slot restriction is
/// then implied, and intersecting it walked a posting list of a whole language beside
/// every candidate.
fn bound_to_slot(expr: &Expr) -> bool {
    match expr {
        Expr::Text {
            field: QField::Any | QField::Title,
            ..
        } => true,
        Expr::And(parts) => parts.iter().any(bound_to_slot),
        Expr::Or(parts) => !parts.is_empty() && parts.iter().all(bound_to_slot),
        _ => false,
    }
}

/// Refuses words that hold nothing to search ("&", "--"), pointing at them.
fn validate(index: &Index, expr: &Expr, query: &str) -> Result<(), QueryError> {
    match expr {
        Expr::Text { words, pos, .. } => {
            let joined = words.join(" ");
            if analysis::terms(index, analysis::FOLD, &joined).is_empty() {
                return Err(QueryError {
                    query: query.to_string(),
                    position: *pos,
                    message: format!("'{joined}' has no searchable word"),
                });
            }
            Ok(())
        }
        Expr::And(parts) | Expr::Or(parts) => {
            parts.iter().try_for_each(|p| validate(index, p, query))
        }
        Expr::Not(inner) => validate(index, inner, query),
        Expr::Lang(_) | Expr::Published { .. } => Ok(()),
    }
}

struct Compiler<'a> {
    index: &'a Index,
    f: &'a Fields,
    now: DateTime<Utc>,
    entity_ids: &'a EntityIds,
}

impl Compiler<'_> {
    /// The query for the articles of one language slot; `None` when it cannot match
    /// there (a word absent from that language's analysis).
    fn compile(&self, expr: &Expr, slot: usize) -> Option<Box<dyn Query>> {
        let f = self.f;
        match expr {
            Expr::Text { field, words, .. } => self.text(*field, words, slot),
            Expr::Lang(l) => Some(filter(Box::new(TermQuery::new(
                Term::from_field_text(f.lang, l),
                IndexRecordOption::Basic,
            )))),
            Expr::Published { from, to } => Some(self.published(from, to)),
            Expr::And(parts) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for p in parts {
                    match p {
                        Expr::Not(inner) => {
                            if let Some(q) = self.compile(inner, slot) {
                                clauses.push((Occur::MustNot, q));
                            }
                        }
                        _ => clauses.push((Occur::Must, self.compile(p, slot)?)),
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Expr::Or(parts) => {
                let clauses: Vec<(Occur, Box<dyn Query>)> = parts
                    .iter()
                    .filter_map(|p| self.compile(p, slot))
                    .map(|q| (Occur::Should, q))
                    .collect();
                (!clauses.is_empty())
                    .then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Expr::Not(inner) => Some(match self.compile(inner, slot) {
                Some(q) => Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                    (Occur::MustNot, q),
                ])),
                None => Box::new(AllQuery),
            }),
        }
    }

    fn text(&self, field: QField, words: &[String], slot: usize) -> Option<Box<dyn Query>> {
        let f = self.f;
        let (field, analyzer) = match field {
            QField::Any => (f.text[slot], analysis::text_analyzer_name(slot)),
            QField::Title => (f.title[slot], analysis::analyzer_name(slot)),
            QField::Author => (f.author, analysis::FOLD.to_string()),
            QField::Site => (f.site_text, analysis::FOLD.to_string()),
            QField::Entity => (f.entity, analysis::FOLD.to_string()),
        };
        let mut typed = words.join(" ");
        if field == f.entity {
            // Entities are indexed under their name keys: "Poutine", "Путин" → "putin".
            typed = vigie_nlp::fold::name_key(&typed);
        }
        // The text's analyzer also gives the pairs of common words the phrase holds
        // (terms with a space), each one short posting list.
        let (pairs, stems): (Vec<String>, Vec<String>) =
            analysis::terms(self.index, &analyzer, &typed)
                .into_iter()
                .partition(|t| t.contains(' '));
        let term = |t: &String| Term::from_field_text(field, t);
        let terms: Vec<Term> = stems.iter().map(term).collect();
        let pairs: Vec<Term> = pairs.iter().map(term).collect();
        // A single typed word may still analyse to several terms ("covid-19"):
        // those must be adjacent too, as in a phrase.
        let by_name: Option<Box<dyn Query>> = match (terms.len(), pairs.len()) {
            (0, _) => None,
            (1, _) => Some(Box::new(TermQuery::new(
                terms.into_iter().next().expect("one term"),
                IndexRecordOption::WithFreqs,
            ))),
            // Two common words: the pair is the phrase.
            (2, 1) => Some(Box::new(TermQuery::new(
                pairs.into_iter().next().expect("one pair"),
                IndexRecordOption::WithFreqs,
            ))),
            // Longer: the pairs narrow the candidates whose positions are checked.
            _ => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    vec![(Occur::Must, Box::new(PhraseQuery::new(terms)))];
                clauses.extend(pairs.into_iter().map(|t| {
                    // A filter: the phrase scores.
                    let q: Box<dyn Query> = Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
                        0.0,
                    ));
                    (Occur::Must, q)
                }));
                Some(if clauses.len() == 1 {
                    clauses.pop().expect("the phrase").1
                } else {
                    Box::new(BooleanQuery::new(clauses))
                })
            }
        };
        // The stored entity the value designates, under whatever name each article used.
        let by_id = (field == f.entity)
            .then(|| self.entity_ids.get(&words.join(" ")))
            .flatten()
            .map(|id| {
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.entity_id, *id),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            });
        match (by_name, by_id) {
            (Some(a), Some(b)) => Some(Box::new(BooleanQuery::union(vec![a, b]))),
            (a, b) => a.or(b),
        }
    }

    fn published(&self, from: &DateBound, to: &DateBound) -> Box<dyn Query> {
        let f = self.f;
        let mut parts: Vec<Box<dyn Query>> = Vec::new();
        let day_term = |d: NaiveDate| Term::from_field_i64(f.day, day_number(d));
        let (day_lo, day_hi) = (
            match from {
                DateBound::Day(d) => Bound::Included(day_term(*d)),
                _ => Bound::Unbounded,
            },
            match to {
                DateBound::Day(d) => Bound::Included(day_term(*d)),
                _ => Bound::Unbounded,
            },
        );
        if !matches!((&day_lo, &day_hi), (Bound::Unbounded, Bound::Unbounded)) {
            parts.push(Box::new(RangeQuery::new(day_lo, day_hi)));
        }
        let ago = |b: &DateBound| match b {
            DateBound::Ago(r) => Some(Term::from_field_i64(
                f.ts,
                self.now.timestamp() - r.seconds(),
            )),
            _ => None,
        };
        let (ts_lo, ts_hi) = (ago(from), ago(to));
        if ts_lo.is_some() || ts_hi.is_some() {
            // A relative bound only means something for dated articles.
            parts.push(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(f.day, i64::MIN)),
                Bound::Unbounded,
            )));
            parts.push(Box::new(RangeQuery::new(
                ts_lo.map_or(Bound::Unbounded, Bound::Included),
                ts_hi.map_or(Bound::Unbounded, Bound::Included),
            )));
        }
        filter(if parts.len() == 1 {
            parts.pop().expect("one")
        } else {
            Box::new(BooleanQuery::intersection(parts))
        })
    }
}

/// Filters match or not; they do not change how relevant an article is.
fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// The words a query asks for (not those it excludes), for highlighting.
pub fn positive_words(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Text {
            field: QField::Any | QField::Title,
            words,
            ..
        } => out.extend(words.iter().cloned()),
        Expr::And(parts) | Expr::Or(parts) => {
            for p in parts {
                positive_words(p, out);
            }
        }
        _ => {}
    }
}
