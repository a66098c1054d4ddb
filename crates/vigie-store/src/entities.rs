//! Entities across articles: the people, places and organisations each article names
//! (found by `vigie_nlp` on worker threads), folded into one identity per entity across
//! the store.
//!
//! Cross-article identity:
//! - a place the knowledge base knows is its base id (`geonames:…`), whatever the language;
//! - a person named in full joins a stored person with the same surname key whose first
//!   name agrees up to a typo or an initial ([`vigie_nlp::same_first_name`]), else a
//!   stored person known only by that surname; two different first names never merge;
//! - a person named only by surname joins the most-mentioned stored person with that
//!   surname key;
//! - anything else is its kind and the [`name_key`] of its name.
//!
//! The display name of an entity is its base name for a known place, else the most used
//! form (for a person, the most used full form); ties go to the form stored first.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, Connection, OptionalExtension};
use vigie_nlp::fold::name_key;
use vigie_nlp::{Entity, Kind};

use crate::index::EntityTerms;
use crate::model::{Cooccurrence, EntityReport};
use crate::registry::{Known, Registry};

/// The entities a batch of writes changed, for [`refresh`] to settle at its end.
#[derive(Default)]
pub(crate) struct Touched {
    /// Entities whose counts went down ([`forget`]): some of their forms, or the
    /// entity itself, may be used no more.
    shrunk: BTreeSet<i64>,
    /// Entities whose counts went up ([`store`]), each with whether its display name is
    /// already right: created by the only article of the batch that names it, which
    /// uses no form but that name.
    grown: BTreeMap<i64, bool>,
}

impl Touched {
    fn grew(&mut self, id: i64, settled: bool) {
        self.grown
            .entry(id)
            .and_modify(|s| *s = false)
            .or_insert(settled);
    }

    /// Whether the display name of `id` may have to change.
    fn unsettled(&self, id: i64) -> bool {
        self.shrunk.contains(&id) || self.grown.get(&id) == Some(&false)
    }
}

/// Removes the mentions of an article's current version, noting the entities touched.
/// Call it before the article's row takes a new language (forms are counted per language).
pub(crate) fn forget(
    conn: &Connection,
    registry: &mut Registry,
    article: i64,
    touched: &mut Touched,
) -> rusqlite::Result<()> {
    let lang: String = conn
        .query_row(
            "SELECT coalesce(lang, '') FROM articles WHERE id = ?1",
            [article],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default();
    let counts: Vec<(i64, String, i64)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT entity_id, form, uses FROM article_entities WHERE article_id = ?1",
        )?;
        let rows = stmt.query_map([article], |r| <(i64, String, i64)>::try_from(r))?;
        rows.collect::<Result<_, _>>()?
    };
    if counts.is_empty() {
        return Ok(());
    }
    for (entity, form, n) in &counts {
        conn.prepare_cached(
            "UPDATE entity_forms SET uses = uses - ?4
             WHERE entity_id = ?1 AND form = ?2 AND lang = ?3",
        )?
        .execute(params![entity, form, lang_label(&lang), n])?;
        conn.prepare_cached("UPDATE entities SET mentions = mentions - ?2 WHERE id = ?1")?
            .execute(params![entity, n])?;
        registry.count(*entity, -n);
        touched.shrunk.insert(*entity);
    }
    conn.prepare_cached("DELETE FROM article_entities WHERE article_id = ?1")?
        .execute([article])?;
    Ok(())
}

/// The language under which an article's forms are counted.
fn lang_label(lang: &str) -> &str {
    if lang.is_empty() {
        "und"
    } else {
        lang
    }
}

/// Stores the entities of an article's current version, noting the entities touched.
/// Returns what the article's index document is built from.
pub(crate) fn store(
    conn: &Connection,
    registry: &mut Registry,
    article: i64,
    lang: Option<&str>,
    entities: &[Entity],
    touched: &mut Touched,
) -> rusqlite::Result<Named> {
    let lang = lang_label(lang.unwrap_or(""));
    let mut named = Named::default();
    for e in entities {
        if e.mentions.is_empty() {
            continue;
        }
        let (id, created) = resolve(conn, registry, e)?;
        named.ids.insert(id);
        // The article's mentions of the entity by the form each uses.
        let mut forms: BTreeMap<String, Spans> = BTreeMap::new();
        for m in &e.mentions {
            forms
                .entry(form_of(e, &m.surface))
                .or_default()
                .push(m.start, m.end);
        }
        let rows: Vec<(&String, &Spans)> = forms.iter().collect();
        // Several rows per statement: a statement's run costs more than a row.
        for group in rows.chunks(ROWS_PER_INSERT) {
            let mut stmt = conn.prepare_cached(insert_article_entities_sql(group.len()))?;
            let mut i = 1;
            for (form, spans) in group {
                stmt.raw_bind_parameter(i, article)?;
                stmt.raw_bind_parameter(i + 1, id)?;
                stmt.raw_bind_parameter(i + 2, form.as_str())?;
                stmt.raw_bind_parameter(i + 3, spans.count)?;
                stmt.raw_bind_parameter(i + 4, spans.text.as_str())?;
                i += 5;
            }
            stmt.raw_execute()?;
        }
        for (form, spans) in &forms {
            let key = name_key(form);
            conn.prepare_cached(
                "INSERT INTO entity_forms(entity_id, form, lang, key, uses)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(entity_id, form, lang) DO UPDATE SET uses = uses + excluded.uses",
            )?
            .execute(params![id, form, lang, key, spans.count])?;
            named.forms.insert(key);
        }
        if !created {
            // A new entity was inserted with its count.
            conn.prepare_cached("UPDATE entities SET mentions = mentions + ?2 WHERE id = ?1")?
                .execute(params![id, e.mentions.len() as i64])?;
            registry.count(id, e.mentions.len() as i64);
        }
        let only_its_name = forms.len() == 1 && forms.contains_key(&e.name);
        touched.grew(id, created && only_its_name);
    }
    Ok(named)
}

/// The entities an article names, as [`store`] stored them: what its index document
/// holds of them ([`Named::terms`]) once the batch's display names are settled
/// ([`refresh`]). The same as [`index_terms`] reads back, without reading.
#[derive(Debug, Default)]
pub(crate) struct Named {
    /// The name keys of the forms the article uses.
    forms: BTreeSet<String>,
    ids: BTreeSet<i64>,
}

impl Named {
    /// The index terms: the forms' name keys, each entity's display name and a
    /// person's surname, and the entities' ids. None when the registry does not know
    /// every entity (a partial one): [`index_terms`] reads them back.
    pub(crate) fn terms(self, registry: &Registry) -> Option<EntityTerms> {
        let mut names = self.forms;
        for id in &self.ids {
            let known = registry.get(*id)?;
            names.insert(name_key(&known.name));
            names.extend(known.surname.clone());
        }
        names.remove("");
        Some(EntityTerms {
            names: names.into_iter().collect(),
            ids: self.ids.iter().map(|&id| id as u64).collect(),
        })
    }
}

/// The mentions of an entity in an article that use one form: their count, and their
/// byte offsets into the article's text as `start-end` pairs separated by spaces
/// (the text holds what each mention reads, so it is not stored again).
#[derive(Default)]
struct Spans {
    count: i64,
    text: String,
}

impl Spans {
    fn push(&mut self, start: usize, end: usize) {
        use std::fmt::Write;
        if self.count > 0 {
            self.text.push(' ');
        }
        let _ = write!(self.text, "{start}-{end}");
        self.count += 1;
    }
}

/// `article_entities` rows inserted by one statement, at most.
const ROWS_PER_INSERT: usize = 4;

/// The statement inserting `n` rows of `article_entities` (1 ≤ n ≤ [`ROWS_PER_INSERT`]).
/// Two entities of one article may be stored as one (a typo of a stored surname):
/// their rows for a form then add up.
fn insert_article_entities_sql(n: usize) -> &'static str {
    macro_rules! insert {
        ($($row:literal),+) => {
            concat!(
                "INSERT INTO article_entities(article_id, entity_id, form, uses, spans) VALUES ",
                $($row),+,
                " ON CONFLICT(article_id, entity_id, form) DO UPDATE
                 SET uses = uses + excluded.uses, spans = spans || ' ' || excluded.spans"
            )
        };
    }
    const SQL: [&str; ROWS_PER_INSERT] = [
        insert!("(?,?,?,?,?)"),
        insert!("(?,?,?,?,?), ", "(?,?,?,?,?)"),
        insert!("(?,?,?,?,?), ", "(?,?,?,?,?), ", "(?,?,?,?,?)"),
        insert!(
            "(?,?,?,?,?), ",
            "(?,?,?,?,?), ",
            "(?,?,?,?,?), ",
            "(?,?,?,?,?)"
        ),
    ];
    SQL[n - 1]
}

/// After [`forget`] and [`store`]: drops the forms and entities no article uses any
/// more and recomputes the display names of the others.
pub(crate) fn refresh(
    conn: &Connection,
    registry: &mut Registry,
    touched: &Touched,
) -> rusqlite::Result<()> {
    let ids: BTreeSet<i64> = touched
        .shrunk
        .iter()
        .chain(touched.grown.keys())
        .copied()
        .collect();
    for id in ids {
        if !touched.unsettled(id) {
            continue;
        }
        if touched.shrunk.contains(&id) {
            conn.prepare_cached("DELETE FROM entity_forms WHERE entity_id = ?1 AND uses <= 0")?
                .execute([id])?;
        }
        let row = match registry.get(id) {
            Some(k) => Some((k.person, k.kb, k.mentions, k.surname.clone())),
            None => conn
                .prepare_cached(
                    "SELECT kind, kb_id, mentions, surname FROM entities WHERE id = ?1",
                )?
                .query_row([id], |r| {
                    let kind: String = r.get(0)?;
                    let kb: Option<String> = r.get(1)?;
                    Ok((
                        kind == Kind::Person.label(),
                        kb.is_some(),
                        r.get(2)?,
                        r.get(3)?,
                    ))
                })
                .optional()?,
        };
        let Some((person, kb, mentions, surname)) = row else {
            continue;
        };
        if mentions <= 0 {
            let surname = surname.unwrap_or_default();
            let mut stmt = conn
                .prepare_cached("DELETE FROM surname_halves WHERE key = ?1 AND entity_id = ?2")?;
            for k in halves(&surname) {
                stmt.execute(params![k, id])?;
            }
            let key: Option<String> = conn
                .prepare_cached("DELETE FROM entities WHERE id = ?1 RETURNING key")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            registry.remove(id, key.as_deref().unwrap_or(""));
            continue;
        }
        if kb {
            continue;
        }
        // A person's name is the most used full form; anything else's the most used form.
        // (Two statements: a parameter in ORDER BY makes SQLite recompile at each run.)
        let sql = if person {
            "SELECT form FROM entity_forms WHERE entity_id = ?1 GROUP BY form
             ORDER BY instr(form, ' ') > 0 DESC, sum(uses) DESC, min(rowid) LIMIT 1"
        } else {
            "SELECT form FROM entity_forms WHERE entity_id = ?1 GROUP BY form
             ORDER BY sum(uses) DESC, min(rowid) LIMIT 1"
        };
        let best: Option<String> = conn
            .prepare_cached(sql)?
            .query_row([id], |r| r.get(0))
            .optional()?;
        if let Some(name) = best {
            conn.prepare_cached("UPDATE entities SET name = ?2 WHERE id = ?1 AND name != ?2")?
                .execute(params![id, name])?;
            registry.rename(id, &name);
        }
    }
    Ok(())
}

/// The form of a name a mention uses: the longest of the entity's names the mention
/// ends with ("M. Poutine" → "Poutine"), else the mention as written.
fn form_of(e: &Entity, surface: &str) -> String {
    let surface = surface.trim();
    std::iter::once(&e.name)
        .chain(&e.aliases)
        .filter(|f| {
            !f.is_empty()
                && surface.strip_suffix(f.as_str()).is_some_and(|rest| {
                    rest.is_empty() || rest.ends_with(|c: char| c.is_whitespace())
                })
        })
        .max_by_key(|f| f.len())
        .cloned()
        .unwrap_or_else(|| surface.to_string())
}

/// The stored entity of an article's entity, created when new (counting the article's
/// mentions of it); and whether it was.
fn resolve(
    conn: &Connection,
    registry: &mut Registry,
    e: &Entity,
) -> rusqlite::Result<(i64, bool)> {
    let kind = e.kind.label();
    let new = |key: &str, surname: Option<&str>, first: Option<&str>| NewEntity {
        kind,
        key: key.to_string(),
        name: &e.name,
        kb_id: e.kb_id.as_deref(),
        surname: surname.map(str::to_string),
        first: first.map(str::to_string),
        mentions: e.mentions.len() as i64,
    };
    if let Some(kb_id) = &e.kb_id {
        return insert(conn, registry, &new(kb_id, None, None));
    }
    if e.kind != Kind::Person {
        let key = format!("{kind}:{}", name_key(&e.name));
        return insert(conn, registry, &new(&key, None, None));
    }
    let words: Vec<&str> = e.name.split_whitespace().collect();
    let surname = name_key(words.last().copied().unwrap_or(&e.name));
    let first = (words.len() >= 2)
        .then(|| words.first().copied())
        .flatten()
        .map(name_key);
    let found = if registry.complete() {
        match_person(&*registry, &surname, first.as_deref())?
    } else {
        match_person(conn, &surname, first.as_deref())?
    };
    if let Some(id) = found {
        if let Some(first) = &first {
            let named = conn
                .prepare_cached("UPDATE entities SET first = ?2 WHERE id = ?1 AND first IS NULL")?
                .execute(params![id, first])?;
            if named > 0 {
                add_halves(conn, id, &surname)?;
                registry.name_first(id, first);
            }
        }
        return Ok((id, false));
    }
    let key = format!("{kind}:{}", name_key(&e.name));
    insert(conn, registry, &new(&key, Some(&surname), first.as_deref()))
}

/// A person [`Persons::filed_under`] finds: id, mentions, first-name key, surname key.
pub(crate) type FiledPerson = (i64, i64, Option<String>, String);

/// Where [`match_person`] looks persons up: the records (a reader's [`find`]) or the
/// writer's [`Registry`], which holds the same.
pub(crate) trait Persons {
    /// Persons of surname key `surname`, most mentioned first (then the oldest), with
    /// their first-name keys.
    fn of_surname(&self, surname: &str) -> rusqlite::Result<Vec<(i64, Option<String>)>>;
    /// Persons with a first name filed under any of `keys` ([`halves`]); one may come
    /// more than once.
    fn filed_under(&self, keys: &[String]) -> rusqlite::Result<Vec<FiledPerson>>;
}

impl Persons for Connection {
    fn of_surname(&self, surname: &str) -> rusqlite::Result<Vec<(i64, Option<String>)>> {
        let mut stmt = self.prepare_cached(
            "SELECT id, first FROM entities WHERE surname = ?1 AND kind = 'PER'
             ORDER BY mentions DESC, id",
        )?;
        let rows = stmt.query_map([surname], |r| r.try_into())?;
        rows.collect()
    }

    fn filed_under(&self, keys: &[String]) -> rusqlite::Result<Vec<FiledPerson>> {
        let mut stmt = self.prepare_cached(
            "SELECT e.id, e.mentions, e.first, e.surname FROM surname_halves h
             JOIN entities e ON e.id = h.entity_id
             WHERE h.key IN (?1, ?2, ?3, ?4, ?5, ?6)
               AND e.kind = 'PER' AND e.first IS NOT NULL",
        )?;
        let rows = stmt.query_map(padded(keys), |r| r.try_into())?;
        rows.collect()
    }
}

/// The stored person a (surname key, first-name key) designates:
/// - a surname alone: the most mentioned person of that surname;
/// - a full name: a person of that surname with the same first name, else one whose
///   first name agrees up to a typo or an initial, else one whose surname (of six
///   letters or more) is one typo away and whose first name agrees ("Alexandre
///   Loukachenko", "Alexander Lukashenko"), else one known so far by surname alone.
///
/// Two different first names never designate one person ("Joe Biden", "Hunter Biden").
fn match_person(
    persons: &impl Persons,
    surname: &str,
    first: Option<&str>,
) -> rusqlite::Result<Option<i64>> {
    // Stored persons of that surname, most mentioned first.
    let exact = persons.of_surname(surname)?;
    let Some(first) = first else {
        return Ok(exact.first().map(|(id, _)| *id));
    };
    let same = |f: &Option<String>| {
        f.as_deref()
            .is_some_and(|f| vigie_nlp::same_first_name(f, first))
    };
    if let Some((id, _)) = exact
        .iter()
        .find(|(_, f)| f.as_deref() == Some(first))
        .or_else(|| exact.iter().find(|(_, f)| same(f)))
    {
        return Ok(Some(*id));
    }
    if surname.chars().count() >= 6 {
        // Surnames one typo or transliteration away share a half with this one
        // ([`halves`]); the candidates that merely share a half are filtered here.
        let prefix: String = surname.chars().take(2).collect();
        let mut candidates: Vec<(i64, i64, Option<String>)> = Vec::new();
        for (id, mentions, f, other) in persons.filed_under(&half_probes(surname))? {
            if other != surname
                && other.starts_with(&prefix)
                && vigie_nlp::one_edit_apart(&other, surname)
            {
                candidates.push((id, mentions, f));
            }
        }
        // Most mentioned first, as a scan in that order would meet them.
        candidates.sort_by_key(|&(id, mentions, _)| (std::cmp::Reverse(mentions), id));
        if let Some((id, _, _)) = candidates.iter().find(|(_, _, f)| same(f)) {
            return Ok(Some(*id));
        }
    }
    Ok(exact.iter().find(|(_, f)| f.is_none()).map(|(id, _)| *id))
}

/// The keys a person's surname key is filed under (none under five letters): its
/// length in letters with its first half, and with its second half ("8<zele",
/// "8>nski"). Two surnames one edit apart share one: an edit in the second half, or
/// between the halves, leaves the first half whole at the start of the other surname;
/// an edit in the first half leaves the second whole at its end. [`half_probes`]
/// finds them from the other surname: two keys a person, where filing every
/// one-letter deletion took as many as its letters.
pub(crate) fn halves(surname: &str) -> Vec<String> {
    let letters: Vec<char> = surname.chars().collect();
    let n = letters.len();
    if n < 5 {
        return Vec::new();
    }
    let (first, second) = letters.split_at(n / 2);
    vec![half_key(n, '<', first), half_key(n, '>', second)]
}

/// The keys [`halves`] files a surname of `len` letters under, were it one edit away
/// from `surname`: one letter shorter, as long or one longer (five letters at least),
/// each with the start and the end of `surname` as long as that surname's halves.
fn half_probes(surname: &str) -> Vec<String> {
    let letters: Vec<char> = surname.chars().collect();
    let len = letters.len();
    let mut out = Vec::with_capacity(HALF_PROBES);
    for n in len.saturating_sub(1).max(5)..=len + 1 {
        let (front, back) = (n / 2, n - n / 2);
        if front <= len {
            out.push(half_key(n, '<', &letters[..front]));
        }
        if back <= len {
            out.push(half_key(n, '>', &letters[len - back..]));
        }
    }
    out
}

/// A surname's length, which half (`<` first, `>` second), and the half's letters. The
/// migration that filed the stores' persons builds the same keys in SQL.
fn half_key(len: usize, side: char, half: &[char]) -> String {
    let mut key = format!("{len}{side}");
    key.extend(half);
    key
}

/// Keys [`half_probes`] gives at most: two for each of three lengths.
const HALF_PROBES: usize = 6;

/// Probes as the statement's parameters, the last repeated to fill them (a repeated
/// key finds nothing more).
fn padded(probes: &[String]) -> [&str; HALF_PROBES] {
    let last = probes.last().map_or("", String::as_str);
    std::array::from_fn(|i| probes.get(i).map_or(last, String::as_str))
}

/// Files a person under the halves of its surname, once its first name is known:
/// [`match_person`] compares surnames one typo apart only between full names.
fn add_halves(conn: &Connection, id: i64, surname: &str) -> rusqlite::Result<()> {
    if let [first, second] = halves(surname).as_slice() {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO surname_halves(key, entity_id) VALUES (?1, ?3), (?2, ?3)",
        )?
        .execute(params![first, second, id])?;
    }
    Ok(())
}

/// An entity row to insert unless its key is stored already.
struct NewEntity<'a> {
    kind: &'a str,
    key: String,
    name: &'a str,
    kb_id: Option<&'a str>,
    surname: Option<String>,
    first: Option<String>,
    /// The mentions of the article that names it first.
    mentions: i64,
}

/// The id of the entity stored under `new.key`, inserted when new; and whether it was.
fn insert(
    conn: &Connection,
    registry: &mut Registry,
    new: &NewEntity,
) -> rusqlite::Result<(i64, bool)> {
    if let Some(id) = registry.id(&new.key) {
        return Ok((id, false));
    }
    let added = conn
        .prepare_cached(
            "INSERT INTO entities(kind, key, name, kb_id, surname, first, mentions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(key) DO NOTHING",
        )?
        .execute(params![
            new.kind,
            new.key,
            new.name,
            new.kb_id,
            new.surname,
            new.first,
            new.mentions
        ])?;
    if added > 0 {
        let id = conn.last_insert_rowid();
        let person = new.kind == Kind::Person.label();
        if let (true, Some(surname), Some(_)) = (person, &new.surname, &new.first) {
            add_halves(conn, id, surname)?;
        }
        if registry.complete() {
            let known = Known {
                person,
                kb: new.kb_id.is_some(),
                name: new.name.to_string(),
                surname: new.surname.clone(),
                first: new.first.clone(),
                mentions: new.mentions,
            };
            registry.add(id, new.key.clone(), known);
        }
        return Ok((id, true));
    }
    if registry.complete() {
        // Stored, though the registry did not know it: it no longer answers.
        registry.give_up();
    }
    let id = conn
        .prepare_cached("SELECT id FROM entities WHERE key = ?1")?
        .query_row([&new.key], |r| r.get(0))?;
    Ok((id, false))
}

/// What an article's entities are indexed under: the name keys of every form the
/// article uses, of each entity's display name and of a person's surname alone; and
/// the entities' ids.
pub(crate) fn index_terms(conn: &Connection, article: i64) -> rusqlite::Result<EntityTerms> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.form, e.name, e.surname, e.id FROM article_entities a
         JOIN entities e ON e.id = a.entity_id WHERE a.article_id = ?1",
    )?;
    let rows = stmt.query_map([article], |r| {
        <(String, String, Option<String>, i64)>::try_from(r)
    })?;
    let mut names = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for row in rows {
        let (form, name, surname, id) = row?;
        names.insert(name_key(&form));
        names.insert(name_key(&name));
        names.extend(surname);
        ids.insert(id as u64);
    }
    names.remove("");
    Ok(EntityTerms {
        names: names.into_iter().collect(),
        ids: ids.into_iter().collect(),
    })
}

/// The stored entity a name designates, in any language or script: a knowledge-base
/// id, a form some article uses, a place the base knows by that name, a person's
/// surname, or a full name whose first name differs by a typo. The most mentioned wins.
pub(crate) fn find(conn: &Connection, name: &str) -> rusqlite::Result<Option<i64>> {
    let name = name.trim();
    let key = name_key(name);
    if key.is_empty() {
        return Ok(None);
    }
    let by_kb = |kb: &str| -> rusqlite::Result<Option<i64>> {
        conn.query_row("SELECT id FROM entities WHERE kb_id = ?1", [kb], |r| {
            r.get(0)
        })
        .optional()
    };
    if let Some(id) = by_kb(name)? {
        return Ok(Some(id));
    }
    let by_form: Option<i64> = conn
        .query_row(
            "SELECT f.entity_id FROM entity_forms f JOIN entities e ON e.id = f.entity_id
             WHERE f.key = ?1 GROUP BY f.entity_id ORDER BY max(e.mentions) DESC LIMIT 1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    if by_form.is_some() {
        return Ok(by_form);
    }
    // A place the knowledge base knows under this name in another language.
    let kb_ids: Vec<String> = vigie_nlp::entities(name, "en")
        .into_iter()
        .filter_map(|e| e.kb_id)
        .collect();
    for kb in &kb_ids {
        if let Some(id) = by_kb(kb)? {
            return Ok(Some(id));
        }
    }
    let words: Vec<&str> = key.split(' ').collect();
    let surname = words.last().copied().unwrap_or(&key);
    let first = words.first().copied().filter(|_| words.len() >= 2);
    if let Some(id) = match_person(conn, surname, first)? {
        return Ok(Some(id));
    }
    if first.is_some() || surname.chars().count() < 6 {
        return Ok(None);
    }
    // A surname alone, spelt one letter away from a stored one ("Loukachenko" for
    // "Lukashenko"): the most mentioned such person.
    let prefix: String = surname.chars().take(2).collect();
    let mut stmt = conn.prepare(
        "SELECT id, surname FROM entities
         WHERE surname >= ?1 AND surname < ?1 || char(1114111) AND kind = 'PER'
         ORDER BY mentions DESC, id",
    )?;
    let rows = stmt.query_map([&prefix], |r| <(i64, String)>::try_from(r))?;
    for row in rows {
        let (id, other) = row?;
        if vigie_nlp::one_edit_apart(&other, surname) {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// What the store knows of one entity.
pub(crate) fn report(
    conn: &Connection,
    id: i64,
    limit: usize,
) -> rusqlite::Result<Option<EntityReport>> {
    let row: Option<(String, String, Option<String>, i64)> = conn
        .query_row(
            "SELECT name, kind, kb_id, mentions FROM entities WHERE id = ?1",
            [id],
            |r| r.try_into(),
        )
        .optional()?;
    let Some((name, kind, kb_id, mentions)) = row else {
        return Ok(None);
    };
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT lang, form FROM entity_forms WHERE entity_id = ?1 AND uses > 0
             ORDER BY lang, uses DESC, rowid",
        )?;
        let rows = stmt.query_map([id], |r| <(String, String)>::try_from(r))?;
        for row in rows {
            let (lang, form) = row?;
            aliases.entry(lang).or_default().push(form);
        }
    }
    let mut days = BTreeMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT coalesce(a.day, date(a.first_seen, 'unixepoch')) AS d, sum(m.uses)
             FROM article_entities m JOIN articles a ON a.id = m.article_id
             WHERE m.entity_id = ?1 GROUP BY d",
        )?;
        let rows = stmt.query_map([id], |r| <(Option<String>, i64)>::try_from(r))?;
        for row in rows {
            let (day, n) = row?;
            days.insert(day.unwrap_or_default(), n.max(0) as u64);
        }
    }
    let articles: i64 = conn.query_row(
        "SELECT count(DISTINCT article_id) FROM article_entities WHERE entity_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let cooccurs = {
        let mut stmt = conn.prepare(
            "WITH mine AS (SELECT DISTINCT article_id FROM article_entities WHERE entity_id = ?1)
             SELECT e.name, e.kind, count(DISTINCT m.article_id) AS n
             FROM mine JOIN article_entities m ON m.article_id = mine.article_id
             JOIN entities e ON e.id = m.entity_id
             WHERE m.entity_id != ?1
             GROUP BY e.id ORDER BY n DESC, e.mentions DESC, e.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![id, limit as i64], |r| {
            Ok(Cooccurrence {
                name: r.get(0)?,
                kind: r.get(1)?,
                articles: r.get::<_, i64>(2)?.max(0) as u64,
            })
        })?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    Ok(Some(EntityReport {
        name,
        kind,
        kb_id,
        aliases,
        days,
        cooccurs,
        mentions: mentions.max(0) as u64,
        articles: articles.max(0) as u64,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `b` probes a key `a` is filed under.
    fn found(a: &str, b: &str) -> bool {
        let filed = halves(a);
        half_probes(b).iter().any(|k| filed.contains(k))
    }

    #[test]
    fn every_surname_one_edit_away_probes_a_half_of_it() {
        let letters = ['a', 'e', 'k', 'y', 'ш'];
        for a in [
            "zelenski",
            "lukasenko",
            "biden",
            "kowalski",
            "шевченко",
            "abcdef",
        ] {
            let chars: Vec<char> = a.chars().collect();
            let mut others = Vec::new();
            for i in 0..=chars.len() {
                for c in letters {
                    let mut inserted = chars.clone();
                    inserted.insert(i, c);
                    others.push(inserted);
                    if i < chars.len() {
                        let mut changed = chars.clone();
                        changed[i] = c;
                        others.push(changed);
                    }
                }
                if i < chars.len() {
                    let mut deleted = chars.clone();
                    deleted.remove(i);
                    others.push(deleted);
                }
            }
            for b in others {
                let b: String = b.into_iter().collect();
                if b.chars().count() >= 6 {
                    assert!(found(a, &b), "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn two_entities_of_an_article_stored_as_one_add_up_their_mentions() {
        let conn = Connection::open_in_memory().unwrap();
        crate::records::migrate(&conn, crate::records::MIGRATIONS.len()).unwrap();
        conn.execute(
            "INSERT INTO articles(id, key, lang, first_seen, last_seen, current_version)
             VALUES (1, 'a', 'en', 0, 0, 1)",
            [],
        )
        .unwrap();
        let mention = |start: usize| vigie_nlp::EntityMention {
            surface: "Kyiv".to_string(),
            start,
            end: start + 4,
        };
        let kyiv = |starts: &[usize]| Entity {
            name: "Kyiv".to_string(),
            kind: Kind::Location,
            kb_id: None,
            aliases: Vec::new(),
            mentions: starts.iter().map(|&s| mention(s)).collect(),
        };
        // Two entities under one key: one row for the article, entity and form.
        let found = [kyiv(&[0, 20]), kyiv(&[40])];
        let mut touched = Touched::default();
        let mut registry = Registry::default();
        store(&conn, &mut registry, 1, Some("en"), &found, &mut touched).unwrap();
        let row: (i64, String) = conn
            .query_row("SELECT uses, spans FROM article_entities", [], |r| {
                <(i64, String)>::try_from(r)
            })
            .unwrap();
        assert_eq!(row, (3, "0-4 20-24 40-44".to_string()));
        let mentions: i64 = conn
            .query_row("SELECT mentions FROM entities", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mentions, 3);
        // Forgetting the article takes all three back.
        forget(&conn, &mut registry, 1, &mut touched).unwrap();
        let (uses, rows): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT sum(uses) FROM entity_forms),
                        (SELECT count(*) FROM article_entities)",
                [],
                |r| <(i64, i64)>::try_from(r),
            )
            .unwrap();
        assert_eq!((uses, rows), (0, 0));
    }

    #[test]
    fn short_surnames_are_not_filed_and_probes_stay_within_the_statement() {
        assert!(halves("bide").is_empty());
        assert_eq!(halves("zelenski"), ["8<zele", "8>nski"]);
        assert_eq!(halves("шевченко"), ["8<шевч", "8>енко"]);
        for s in ["zelensk", "zelenski", "lukasenko", "abcdefghijklmnop"] {
            assert_eq!(half_probes(s).len(), HALF_PROBES, "{s}");
        }
    }
}
