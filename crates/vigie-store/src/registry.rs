//! The writer's memory of the stored entities: their keys, a person's surname and
//! first name, their mention counts and display names.
//!
//! Resolving an article's entities ([`crate::entities`]) asked SQLite for each one: is
//! this key stored, which persons bear this surname, which surnames are one typo away.
//! One process writes a store (its lock file), so the writer can hold the answers
//! itself: read once from the records when it first stores entities, then kept in step
//! with every statement [`crate::entities`] runs. A batch that fails throws it away
//! (its transaction rolled back) and the next one reads it again.
//!
//! Reading the entities costs about a microsecond each, while asking SQLite costs a
//! few more per entity an article names: the registry starts *partial* (knowing
//! nothing, the writer asking SQLite as before) and is read whole once the writer has
//! been asked about a quarter as many entities as the store holds ([`Registry::wants`]).
//! A new store's is complete at once; a one-page ingest into a large store never
//! reads it. A store of more than [`MAX_ENTITIES`] entities is never read whole
//! (memory). The records stay the truth; readers (`find`, reports, reindexing) always
//! ask SQLite.

use rusqlite::Connection;
use rustc_hash::FxHashMap as HashMap;
use vigie_nlp::Kind;

use crate::entities::{halves, FiledPerson, Persons};

/// Entities a store may hold for the writer to read them all: some 250 bytes each.
pub(crate) const MAX_ENTITIES: i64 = 300_000;

/// What the writer knows of one stored entity.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Known {
    /// A person (kind `PER`).
    pub person: bool,
    /// Identified by the knowledge base: its display name is the base's.
    pub kb: bool,
    /// The display name.
    pub name: String,
    /// A person's surname key.
    pub surname: Option<String>,
    /// A person's first-name key, once an article names it in full.
    pub first: Option<String>,
    /// Mentions in the current versions of the articles.
    pub mentions: i64,
}

/// The stored entities by id, key, surname and surname half; or, when partial,
/// nothing.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    complete: bool,
    /// Entities the store held when the writer first asked (a partial registry), at
    /// most.
    stored: i64,
    /// Entities the writer was asked about while partial.
    asked: i64,
    /// Partial for good: it gave up, or the store holds too many.
    never: bool,
    known: HashMap<i64, Known>,
    ids: HashMap<String, i64>,
    /// Persons by surname key.
    surnames: HashMap<String, Vec<i64>>,
    /// Persons with a first name, by the keys [`halves`] files their surname under.
    halves: HashMap<String, Vec<i64>>,
}

impl Registry {
    /// The registry of a writer yet to store entities: complete (and empty) for a
    /// store without any, else partial.
    pub fn open(conn: &Connection) -> rusqlite::Result<Registry> {
        // The largest id bounds the count from above and, unlike a count, is read
        // without a scan of a large store.
        let stored: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM entities", [], |r| {
            r.get(0)
        })?;
        if stored == 0 {
            return Self::load(conn);
        }
        Ok(Registry {
            stored,
            never: stored > MAX_ENTITIES,
            ..Registry::default()
        })
    }

    /// Counts `n` more entities a batch stores; true when a partial registry should
    /// now be read whole ([`Self::load`]).
    pub fn wants(&mut self, n: usize) -> bool {
        if self.complete || self.never {
            return false;
        }
        self.asked += n as i64;
        self.asked * 4 >= self.stored
    }

    /// Reads every stored entity.
    pub fn load(conn: &Connection) -> rusqlite::Result<Registry> {
        let mut registry = Registry {
            complete: true,
            ..Registry::default()
        };
        let mut stmt = conn.prepare(
            "SELECT id, key, kind, kb_id IS NOT NULL, name, surname, first, mentions
             FROM entities",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let kind: String = row.get(2)?;
            let known = Known {
                person: kind == Kind::Person.label(),
                kb: row.get(3)?,
                name: row.get(4)?,
                surname: row.get(5)?,
                first: row.get(6)?,
                mentions: row.get(7)?,
            };
            registry.add(row.get(0)?, row.get(1)?, known);
        }
        Ok(registry)
    }

    /// Whether it holds every stored entity; a partial registry answers nothing.
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// Gives up on knowing the store (an entity it should have known was stored):
    /// the writer asks SQLite from now on.
    pub fn give_up(&mut self) {
        *self = Registry {
            never: true,
            ..Registry::default()
        };
    }

    /// Records an entity just stored under `key`.
    pub fn add(&mut self, id: i64, key: String, known: Known) {
        if !self.complete {
            return;
        }
        if let (true, Some(surname)) = (known.person, &known.surname) {
            self.surnames.entry(surname.clone()).or_default().push(id);
            if known.first.is_some() {
                self.file_halves(id, surname);
            }
        }
        self.ids.insert(key, id);
        self.known.insert(id, known);
    }

    fn file_halves(&mut self, id: i64, surname: &str) {
        for half in halves(surname) {
            let ids = self.halves.entry(half).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }

    /// Forgets an entity deleted from the records, stored under `key`.
    pub fn remove(&mut self, id: i64, key: &str) {
        let Some(known) = self.known.remove(&id) else {
            return;
        };
        if self.ids.get(key) == Some(&id) {
            self.ids.remove(key);
        }
        if let Some(surname) = &known.surname {
            drop_id(&mut self.surnames, surname, id);
            for half in halves(surname) {
                drop_id(&mut self.halves, &half, id);
            }
        }
    }

    /// The entity stored under `key`, if known.
    pub fn id(&self, key: &str) -> Option<i64> {
        self.ids.get(key).copied()
    }

    /// What is known of entity `id`.
    pub fn get(&self, id: i64) -> Option<&Known> {
        self.known.get(&id)
    }

    /// Adds `n` (possibly negative) to the mentions of `id`.
    pub fn count(&mut self, id: i64, n: i64) {
        if let Some(k) = self.known.get_mut(&id) {
            k.mentions += n;
        }
    }

    /// Sets the display name of `id`.
    pub fn rename(&mut self, id: i64, name: &str) {
        if let Some(k) = self.known.get_mut(&id) {
            if k.name != name {
                k.name = name.to_string();
            }
        }
    }

    /// Gives person `id`, known so far by surname alone, a first name: it is then
    /// filed under the halves of its surname.
    pub fn name_first(&mut self, id: i64, first: &str) {
        let Some(k) = self.known.get_mut(&id) else {
            return;
        };
        k.first = Some(first.to_string());
        if let Some(surname) = k.surname.clone() {
            self.file_halves(id, &surname);
        }
    }
}

/// The same answers as the records' (`impl Persons for Connection`), for a complete
/// registry.
impl Persons for Registry {
    fn of_surname(&self, surname: &str) -> rusqlite::Result<Vec<(i64, Option<String>)>> {
        let mut found: Vec<(i64, i64, Option<String>)> = self
            .surnames
            .get(surname)
            .into_iter()
            .flatten()
            .filter_map(|id| {
                let k = self.known.get(id)?;
                Some((*id, k.mentions, k.first.clone()))
            })
            .collect();
        found.sort_by_key(|&(id, mentions, _)| (std::cmp::Reverse(mentions), id));
        Ok(found.into_iter().map(|(id, _, f)| (id, f)).collect())
    }

    fn filed_under(&self, keys: &[String]) -> rusqlite::Result<Vec<FiledPerson>> {
        Ok(keys
            .iter()
            .filter_map(|k| self.halves.get(k))
            .flatten()
            .filter_map(|id| {
                let k = self.known.get(id)?;
                Some((*id, k.mentions, k.first.clone(), k.surname.clone()?))
            })
            .collect())
    }
}

fn drop_id(map: &mut HashMap<String, Vec<i64>>, key: &str, id: i64) {
    if let Some(ids) = map.get_mut(key) {
        ids.retain(|&i| i != id);
        if ids.is_empty() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use vigie_nlp::{Entity, EntityMention, Kind};

    use super::*;
    use crate::entities::{forget, index_terms, refresh, store, Touched};

    fn records() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        crate::records::migrate(&conn, crate::records::MIGRATIONS.len()).unwrap();
        for id in 1..=6 {
            conn.execute(
                "INSERT INTO articles(id, key, lang, first_seen, last_seen, current_version)
                 VALUES (?1, ?1, 'fr', 0, 0, 1)",
                [id],
            )
            .unwrap();
        }
        conn
    }

    fn entity(name: &str, kind: Kind, kb_id: Option<&str>, surfaces: &[&str]) -> Entity {
        let mut at = 0;
        Entity {
            name: name.to_string(),
            kind,
            kb_id: kb_id.map(str::to_string),
            aliases: Vec::new(),
            mentions: surfaces
                .iter()
                .map(|s| {
                    at += 100;
                    EntityMention {
                        surface: s.to_string(),
                        start: at,
                        end: at + s.len(),
                    }
                })
                .collect(),
        }
    }

    /// Articles naming persons by full name, by surname alone, with a typo in the first
    /// name or in the surname, two persons of one surname, a known place and an
    /// organisation.
    fn articles() -> Vec<Vec<Entity>> {
        // As the recogniser gives them: a person's surname among the aliases.
        let per = |name: &str, surfaces: &[&str]| {
            let mut e = entity(name, Kind::Person, None, surfaces);
            let surname = name.rsplit(' ').next().unwrap_or(name);
            if surname != name {
                e.aliases.push(surname.to_string());
            }
            e
        };
        let paris = || {
            entity(
                "Paris",
                Kind::Location,
                Some("geonames:2988507"),
                &["Paris"],
            )
        };
        vec![
            vec![per("Poutine", &["Poutine", "Poutine"]), paris()],
            vec![
                per("Vladimir Poutine", &["Vladimir Poutine", "M. Poutine"]),
                per("Joe Biden", &["Joe Biden"]),
                entity("OTAN", Kind::Organisation, None, &["OTAN"]),
            ],
            vec![
                per("Vladmir Poutine", &["Vladmir Poutine"]),
                per("Hunter Biden", &["Hunter Biden", "Hunter Biden"]),
                per("Biden", &["Biden"]),
            ],
            vec![
                per("Alexandre Loukachenko", &["Alexandre Loukachenko"]),
                paris(),
            ],
            vec![
                per("Alexander Lukashenko", &["Alexander Lukashenko"]),
                entity("Otan", Kind::Organisation, None, &["Otan", "Otan"]),
            ],
            vec![per("Joe Biden", &["Joe Biden", "Biden"])],
        ]
    }

    /// Every row of the entity tables, in a stable order.
    fn tables(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        for sql in [
            "SELECT id, kind, key, name, kb_id, surname, first, mentions FROM entities ORDER BY id",
            "SELECT entity_id, form, lang, key, uses FROM entity_forms ORDER BY 1, 2, 3",
            "SELECT article_id, entity_id, form, uses, spans FROM article_entities ORDER BY 1, 2, 3",
            "SELECT key, entity_id FROM surname_halves ORDER BY 1, 2",
        ] {
            let mut stmt = conn.prepare(sql).unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let cells: Vec<String> = (0..n)
                        .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                        .collect();
                    Ok(cells.join("|"))
                })
                .unwrap();
            out.extend(rows.map(Result::unwrap));
        }
        out
    }

    /// Stores the articles one batch each, then the third again with other entities
    /// and the last again with none; returns each article's index terms as the batch built them.
    fn ingest(conn: &Connection, registry: &mut Registry) -> Vec<crate::index::EntityTerms> {
        let mut terms = Vec::new();
        let batches: Vec<(i64, Vec<Entity>)> = articles()
            .into_iter()
            .enumerate()
            .map(|(i, e)| (i as i64 + 1, e))
            .chain([(3, articles()[4].clone()), (6, Vec::new())])
            .collect();
        for (article, found) in batches {
            let mut touched = Touched::default();
            forget(conn, registry, article, &mut touched).unwrap();
            let named = store(conn, registry, article, Some("fr"), &found, &mut touched).unwrap();
            refresh(conn, registry, &touched).unwrap();
            let read_back = index_terms(conn, article).unwrap();
            if let Some(t) = named.terms(registry) {
                assert_eq!(t.names, read_back.names, "article {article}");
                assert_eq!(t.ids, read_back.ids, "article {article}");
            }
            terms.push(read_back);
        }
        terms
    }

    #[test]
    fn a_complete_registry_resolves_as_the_records_do() {
        let (asked, held) = (records(), records());
        let mut partial = Registry::default();
        let mut complete = Registry::open(&held).unwrap();
        assert!(complete.complete());
        let asked_terms = ingest(&asked, &mut partial);
        let held_terms = ingest(&held, &mut complete);
        assert!(complete.complete(), "the registry gave up");
        assert_eq!(tables(&asked), tables(&held));
        for (a, h) in asked_terms.iter().zip(&held_terms) {
            assert_eq!((&a.names, &a.ids), (&h.names, &h.ids));
        }
        // Two spellings of one surname are one person; the entities of the replaced
        // article and of the emptied one are gone (Hunter Biden).
        let persons: Vec<(String, i64)> = held
            .prepare("SELECT name, mentions FROM entities WHERE kind = 'PER' ORDER BY id")
            .unwrap()
            .query_map([], |r| r.try_into())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let expected = [
            ("Vladimir Poutine", 4),
            ("Joe Biden", 1),
            ("Alexander Lukashenko", 3),
        ];
        let expected: Vec<(String, i64)> =
            expected.iter().map(|(n, m)| (n.to_string(), *m)).collect();
        assert_eq!(persons, expected, "{:#?}", tables(&held));
        // And a registry read back from those records knows what the writer's knew.
        let reread = Registry::load(&held).unwrap();
        assert_eq!(reread.known, complete.known);
        assert_eq!(reread.ids, complete.ids);
    }

    #[test]
    fn a_stored_registry_is_read_once_the_writer_asks_about_enough_entities() {
        let conn = records();
        assert!(Registry::open(&conn).unwrap().complete(), "a new store's");
        ingest(&conn, &mut Registry::default());
        let mut registry = Registry::open(&conn).unwrap();
        assert!(!registry.complete());
        // Five entities, the largest id 6 (Hunter Biden's, deleted): at most 6.
        assert_eq!(registry.stored, 6);
        assert!(!registry.wants(1), "one page's entities");
        assert!(registry.wants(1));
        // Too many to hold, or given up: never.
        let mut large = Registry {
            stored: MAX_ENTITIES + 1,
            never: true,
            ..Registry::default()
        };
        assert!(!large.wants(usize::MAX / 8));
        registry.give_up();
        assert!(!registry.wants(1_000));
    }

    #[test]
    fn a_key_stored_behind_the_registrys_back_makes_it_give_up() {
        let conn = records();
        let mut registry = Registry::open(&conn).unwrap();
        conn.execute(
            "INSERT INTO entities(kind, key, name, mentions) VALUES ('ORG', 'ORG:otan', 'OTAN', 1)",
            [],
        )
        .unwrap();
        let mut touched = Touched::default();
        let found = [entity("OTAN", Kind::Organisation, None, &["OTAN"])];
        store(&conn, &mut registry, 1, Some("fr"), &found, &mut touched).unwrap();
        assert!(!registry.complete());
        let entities: i64 = conn
            .query_row("SELECT count(*) FROM entities", [], |r| r.get(0))
            .unwrap();
        assert_eq!(entities, 1);
    }
}
