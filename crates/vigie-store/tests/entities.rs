//! Entities in the store: one identity across articles, languages and scripts; the
//! `entity:` filter; what the store tells of one entity; the schema upgrade.

use chrono::{DateTime, TimeZone, Utc};
use vigie_core::{Article, Block, BlockKind};
use vigie_store::{EmbeddedStore, NewPage, RawKind, Reading, SearchRequest, Store};

mod support;

use support::writable;

fn page(url: &str, lang: &str, published: &str, title: &str, text: &str) -> NewPage {
    let mut a = Article {
        url: Some(url.to_string()),
        canonical_url: Some(url.to_string()),
        lang: Some(lang.to_string()),
        title: Some(title.to_string()),
        published: DateTime::parse_from_rfc3339(published).ok(),
        body: text
            .split("\n\n")
            .map(|t| Block {
                kind: BlockKind::Paragraph,
                text: t.to_string(),
            })
            .collect(),
        ..Article::default()
    };
    a.refresh_text();
    let raw = format!("<html><title>{title}</title><p>{text}</p></html>");
    let mut p = NewPage::new(
        Some(url.to_string()),
        raw.as_bytes(),
        RawKind::Html,
        a,
        Utc.with_ymd_and_hms(2022, 12, 20, 8, 0, 0).unwrap(),
        "test",
    )
    .unwrap();
    p.find_entities();
    p
}

fn fr() -> NewPage {
    page(
        "https://www.example.fr/monde/poutine-minsk",
        "fr",
        "2022-12-19T17:53:00+01:00",
        "Vladimir Poutine reçu à Minsk",
        "Le président russe Vladimir Poutine est arrivé lundi à Minsk.\n\n\
         Selon le Kremlin, Poutine doit aborder la coopération militaire.",
    )
}

fn en() -> NewPage {
    page(
        "https://news.example.com/world/putin-minsk",
        "en",
        "2022-12-19T18:10:00+00:00",
        "Vladimir Putin visits Minsk",
        "Russian President Vladimir Putin arrived in Minsk on Monday.\n\n\
         Putin is expected to discuss military cooperation, the Kremlin said.",
    )
}

fn ru() -> NewPage {
    page(
        "https://news.example.ru/politics/putin-minsk",
        "ru",
        "2022-12-20T09:00:00+03:00",
        "Владимир Путин прибыл в Минск",
        "Владимир Путин прибыл в понедельник в Минск для переговоров.",
    )
}

fn total(store: &EmbeddedStore, q: &str) -> u64 {
    store
        .search(&SearchRequest {
            query: q.into(),
            sort: Default::default(),
            limit: 10,
            offset: 0,
            now: None,
        })
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .total
}

/// A new store in a directory of its own.
fn empty() -> (tempfile::TempDir, EmbeddedStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    (dir, store)
}

fn filled() -> (tempfile::TempDir, EmbeddedStore) {
    let (dir, mut store) = empty();
    store.put(vec![fr(), en(), ru()]).unwrap();
    store.commit().unwrap();
    (dir, store)
}

#[test]
fn one_person_across_languages_and_scripts() {
    let (_dir, store) = filled();
    for q in [
        "entity:\"Vladimir Poutine\"",
        "entity:Putin",
        "entity:Путин",
        "entity:\"Владимир Путин\"",
        // A typo of the first name designates the same person.
        "entity:\"Vladmir Poutine\"",
    ] {
        assert_eq!(total(&store, q), 3, "{q}");
    }
    assert_eq!(total(&store, "entity:Минск AND lang:fr"), 1);
    assert_eq!(total(&store, "entity:\"Joe Biden\""), 0);
    let putin = store
        .entity("Poutine", 10)
        .unwrap()
        .expect("Putin is stored");
    assert_eq!(putin.kind, "PER");
    assert_eq!(putin.articles, 3);
    assert!(putin.name.contains(' '), "a full name: {}", putin.name);
    assert!(putin.aliases["fr"].contains(&"Poutine".to_string()));
    assert!(putin.aliases["en"].contains(&"Vladimir Putin".to_string()));
    assert!(putin.aliases["ru"].contains(&"Владимир Путин".to_string()));
    // Title and body of the Russian article, published on the 20th.
    assert_eq!(putin.days.get("2022-12-20"), Some(&2), "{:?}", putin.days);
    let minsk = putin
        .cooccurs
        .iter()
        .find(|c| c.name == "Minsk")
        .expect("Minsk beside Putin");
    assert_eq!((minsk.kind.as_str(), minsk.articles), ("LOC", 3));
    let place = store.entity("Минск", 10).unwrap().expect("Minsk is stored");
    assert!(place
        .kb_id
        .as_deref()
        .is_some_and(|k| k.starts_with("geonames:")));
    assert!(store.entity("Nobody Atall", 10).unwrap().is_none());
    assert!(store.entity("  ", 10).unwrap().is_none());
}

#[test]
fn storing_again_or_a_new_version_keeps_one_set_of_mentions() {
    let (_dir, mut store) = filled();
    let before = store.entity("Putin", 10).unwrap().unwrap().mentions;
    store.put(vec![fr(), en(), ru()]).unwrap();
    store.commit().unwrap();
    assert_eq!(store.entity("Putin", 10).unwrap().unwrap().mentions, before);
    // A new version replaces the mentions of the old one.
    let changed = page(
        "https://www.example.fr/monde/poutine-minsk",
        "fr",
        "2022-12-19T17:53:00+01:00",
        "Vladimir Poutine reçu à Minsk",
        "Le président russe Vladimir Poutine est arrivé lundi à Minsk.",
    );
    store.put(vec![changed]).unwrap();
    store.commit().unwrap();
    let after = store.entity("Putin", 10).unwrap().unwrap();
    assert_eq!(after.mentions, before - 1);
    assert_eq!(after.articles, 3);
    // Reindexing keeps every answer.
    store.reindex().unwrap();
    assert_eq!(total(&store, "entity:\"Vladimir Poutine\""), 3);
}

#[test]
fn a_surname_alone_joins_the_stored_person_and_first_names_keep_people_apart() {
    let (_dir, mut store) = filled();
    store
        .put(vec![
            page(
                "https://a.example/1",
                "fr",
                "2022-12-21T10:00:00+01:00",
                "Poutine parle",
                "Mercredi, Poutine a parlé longuement devant les députés à Moscou.",
            ),
            page(
                "https://a.example/2",
                "en",
                "2022-12-21T10:00:00+00:00",
                "Joe Biden speaks",
                "President Joe Biden spoke in Washington on Wednesday.",
            ),
            page(
                "https://a.example/3",
                "en",
                "2022-12-21T11:00:00+00:00",
                "Hunter Biden testifies",
                "Hunter Biden testified in Washington on Wednesday.",
            ),
        ])
        .unwrap();
    store.commit().unwrap();
    assert_eq!(store.entity("Putin", 10).unwrap().unwrap().articles, 4);
    assert_eq!(total(&store, "entity:\"Vladimir Putin\""), 4);
    let joe = store.entity("Joe Biden", 10).unwrap().unwrap();
    let hunter = store.entity("Hunter Biden", 10).unwrap().unwrap();
    assert_eq!((joe.name.as_str(), joe.articles), ("Joe Biden", 1));
    assert_eq!((hunter.name.as_str(), hunter.articles), ("Hunter Biden", 1));
    assert_eq!(total(&store, "entity:\"Joe Biden\""), 1);
}

#[test]
fn a_store_of_schema_three_gains_entities() {
    let dir = tempfile::tempdir().unwrap();
    support::old_store(
        dir.path(),
        3,
        fr().article(),
        &support::OldRow {
            key: "https://old.example/1",
            site: None,
            title: "Poutine",
            published: None,
        },
    );
    let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    assert_eq!(store.stats().unwrap().articles, 1);
    assert_eq!(total(&store, "minsk"), 1);
    // The old article has no entities until read again…
    assert!(store.entity("Putin", 10).unwrap().is_none());
    assert_eq!(total(&store, "entity:Putin"), 0);
    let raw = store.raw_page(1).unwrap().unwrap();
    let mut again = Reading::new(fr().article().clone(), raw.fetched_at, "test").unwrap();
    again.find_entities();
    store.replace_readings(vec![(1, again)]).unwrap();
    // …which re-extraction does.
    assert_eq!(store.entity("Putin", 10).unwrap().unwrap().articles, 1);
    assert_eq!(total(&store, "entity:Putin"), 1);
    store.put(vec![en()]).unwrap();
    store.commit().unwrap();
    assert_eq!(total(&store, "entity:Poutine"), 2);
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v as usize, vigie_store::MIGRATIONS.len());
}

fn zelensky(url: &str, surname: &str) -> NewPage {
    page(
        url,
        "en",
        "2022-12-21T10:00:00+00:00",
        &format!("Volodymyr {surname} speaks"),
        &format!("President Volodymyr {surname} spoke in Kyiv on Wednesday."),
    )
}

#[test]
fn a_surname_one_letter_away_joins_the_person_with_the_same_first_name() {
    let (_dir, mut store) = filled();
    store
        .put(vec![zelensky("https://a.example/z1", "Zelensky")])
        .unwrap();
    store
        .put(vec![
            zelensky("https://a.example/z2", "Zelenskyy"),
            // The same first letters and one letter away, but another first name.
            page(
                "https://a.example/z3",
                "en",
                "2022-12-21T10:00:00+00:00",
                "Oleksandr Zelenskyi speaks",
                "Oleksandr Zelenskyi spoke in Lviv on Wednesday.",
            ),
        ])
        .unwrap();
    store.commit().unwrap();
    let z = store.entity("Volodymyr Zelensky", 10).unwrap().unwrap();
    assert_eq!(z.articles, 2, "{z:?}");
    assert_eq!(total(&store, "entity:\"Volodymyr Zelenskyy\""), 2);
    let other = store.entity("Oleksandr Zelenskyi", 10).unwrap().unwrap();
    assert_eq!(other.articles, 1, "{other:?}");
}

/// A page naming "Volodymyr Zelenskyy" three times: more than [`zelensky`]'s two.
fn zelenskyy_three_times(url: &str) -> NewPage {
    page(
        url,
        "en",
        "2022-12-22T10:00:00+00:00",
        "Volodymyr Zelenskyy speaks",
        "President Volodymyr Zelenskyy spoke in Kyiv on Thursday.\n\n\
         Volodymyr Zelenskyy thanked the allies.",
    )
}

#[test]
fn the_display_name_is_the_most_used_form_whether_its_uses_come_in_one_batch_or_two() {
    let display = |batches: Vec<Vec<NewPage>>| {
        let (_dir, mut store) = empty();
        for batch in batches {
            store.put(batch).unwrap();
        }
        let z = store.entity("Zelensky", 10).unwrap().expect("stored");
        (z.name, z.articles)
    };
    let expected = ("Volodymyr Zelenskyy".to_string(), 2);
    // The first article creates the person under the form it uses, twice; the second
    // uses another form three times.
    assert_eq!(
        display(vec![vec![
            zelensky("https://a.example/z1", "Zelensky"),
            zelenskyy_three_times("https://a.example/z2"),
        ]]),
        expected
    );
    assert_eq!(
        display(vec![
            vec![zelensky("https://a.example/z1", "Zelensky")],
            vec![zelenskyy_three_times("https://a.example/z2")],
        ]),
        expected
    );
}

/// A store holding one article naming Volodymyr Zelensky, taken back to schema 7 and
/// then by `downgrade` (statements run on its records).
fn zelensky_store_downgraded(downgrade: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
        store
            .put(vec![zelensky("https://a.example/z1", "Zelensky")])
            .unwrap();
        store.commit().unwrap();
    }
    let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
    conn.execute_batch(mentions_as_created()).unwrap();
    conn.execute_batch(BACK_TO_SCHEMA_7).unwrap();
    conn.execute_batch(downgrade).unwrap();
    dir
}

/// The store in `dir`, opened for writing (migrated), with a second article naming
/// Volodymyr `surname` stored and committed.
fn with_a_second_zelensky(dir: &std::path::Path, surname: &str) -> EmbeddedStore {
    let mut store = EmbeddedStore::open(dir, &writable()).unwrap();
    store
        .put(vec![zelensky("https://a.example/z2", surname)])
        .unwrap();
    store.commit().unwrap();
    store
}

/// The `mentions` table and its indexes as migration 4 created them (a migration
/// that has shipped is never edited).
fn mentions_as_created() -> &'static str {
    let m4 = vigie_store::MIGRATIONS[3];
    let start = m4.find("CREATE TABLE mentions").unwrap();
    let end = m4.find("CREATE TABLE entity_forms").unwrap();
    &m4[start..end]
}

/// Schema 8 taken back to 7, once [`mentions_as_created`] made the table again: one
/// `mentions` row per mention (its surface is not kept in schema 8; the form stands in
/// for it) instead of one `article_entities` row per article, entity and form.
const BACK_TO_SCHEMA_7: &str = "
    WITH RECURSIVE split(article_id, entity_id, form, span, rest) AS (
        SELECT article_id, entity_id, form, '', spans || ' ' FROM article_entities
        UNION ALL
        SELECT article_id, entity_id, form, substr(rest, 1, instr(rest, ' ') - 1),
               substr(rest, instr(rest, ' ') + 1)
        FROM split WHERE rest != ''
    )
    INSERT INTO mentions(article_id, entity_id, start, end, surface, form)
        SELECT article_id, entity_id, CAST(substr(span, 1, instr(span, '-') - 1) AS INTEGER),
               CAST(substr(span, instr(span, '-') + 1) AS INTEGER), form, form
        FROM split WHERE span != '';
    DROP TABLE article_entities;
    PRAGMA user_version = 7;";

#[test]
fn a_store_of_schema_seven_keeps_the_mentions_it_holds() {
    let dir = zelensky_store_downgraded("");
    let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
    let rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM mentions JOIN entities e ON e.id = entity_id
             WHERE e.kind = 'PER'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 2, "two mentions of the full name");
    drop(conn);
    let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    let z = store.entity("Zelensky", 10).unwrap().unwrap();
    assert_eq!((z.mentions, z.articles), (2, 1), "{z:?}");
    assert_eq!(z.days.values().sum::<u64>(), 2, "{z:?}");
    // The old mentions count and go when their article changes.
    store
        .put(vec![zelensky("https://a.example/z2", "Zelensky")])
        .unwrap();
    assert_eq!(store.entity("Zelensky", 10).unwrap().unwrap().mentions, 4);
    let text = "The ministers spoke in Kyiv on Wednesday.";
    let changed = page(
        "https://a.example/z1",
        "en",
        "2022-12-21T10:00:00+00:00",
        "Ministers speak",
        text,
    );
    store.put(vec![changed]).unwrap();
    let z = store.entity("Zelensky", 10).unwrap().unwrap();
    assert_eq!((z.mentions, z.articles), (2, 1), "{z:?}");
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
    let spans: String = conn
        .query_row(
            "SELECT spans FROM article_entities JOIN entities e ON e.id = entity_id
             WHERE e.kind = 'PER'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let text = "Volodymyr Zelensky speaks";
    assert!(
        spans.starts_with(&format!("0-{}", text.find(" speaks").unwrap())),
        "{spans}"
    );
    assert!(!has_table(&conn, "mentions"), "the mentions' table is gone");
}

/// Whether the records hold a table of that name.
fn has_table(conn: &rusqlite::Connection, name: &str) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        > 0
}

#[test]
fn a_store_of_schema_four_finds_typos_of_the_surnames_it_holds() {
    // Back to schema 4: the surname keys and the raw pages' pack columns did not exist
    // then.
    let dir = zelensky_store_downgraded(
        "DROP TABLE surname_halves;
         ALTER TABLE versions DROP COLUMN raw_pack;
         ALTER TABLE versions DROP COLUMN raw_at;
         ALTER TABLE versions DROP COLUMN raw_len;
         PRAGMA user_version = 4;",
    );
    let store = with_a_second_zelensky(dir.path(), "Zelenskyy");
    let z = store.entity("Zelensky", 10).unwrap().unwrap();
    assert_eq!(z.articles, 2, "{z:?}");
}

#[test]
fn a_person_named_in_full_after_its_surname_alone_meets_the_typos_of_its_surname() {
    let (_dir, mut store) = empty();
    store
        .put(vec![page(
            "https://a.example/z0",
            "en",
            "2022-12-20T10:00:00+00:00",
            "Kyiv on Wednesday",
            "Zelensky spoke in Kyiv on Wednesday. Later, Zelensky met the press.",
        )])
        .unwrap();
    // The full name joins the person known by surname alone and gives it a first name…
    store
        .put(vec![zelensky("https://a.example/z1", "Zelensky")])
        .unwrap();
    // …from which on a surname one letter away with that first name joins it too
    // ("Zelenskyy" would not do: doubled letters fold to one, so its key is the same).
    store
        .put(vec![zelensky("https://a.example/z2", "Zelinsky")])
        .unwrap();
    let z = store.entity("Volodymyr Zelensky", 10).unwrap().unwrap();
    assert_eq!(z.articles, 3, "{z:?}");
}

#[test]
fn a_store_of_schema_six_finds_typos_of_the_surnames_it_holds() {
    // Back to schema 6: persons were filed under every one-letter deletion of their
    // surnames (the migration to 7 files them anew from the persons).
    let dir = zelensky_store_downgraded(
        "DROP TABLE surname_halves;
         CREATE TABLE surname_variants (
             variant TEXT NOT NULL,
             entity_id INTEGER NOT NULL REFERENCES entities(id),
             PRIMARY KEY (variant, entity_id)
         ) WITHOUT ROWID;
         INSERT INTO surname_variants(variant, entity_id)
             SELECT surname, id FROM entities WHERE kind = 'PER';
         PRAGMA user_version = 6;",
    );
    // One letter away from the stored surname ("Zelenskyy" would not do: doubled
    // letters fold to one, so its key is the same).
    let store = with_a_second_zelensky(dir.path(), "Zelinsky");
    let z = store.entity("Volodymyr Zelensky", 10).unwrap().unwrap();
    assert_eq!(z.articles, 2, "{z:?}");
    let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
    assert!(
        !has_table(&conn, "surname_variants"),
        "the deletions' table is gone"
    );
}

#[test]
fn a_person_no_article_names_any_more_leaves_no_surname_keys() {
    let (dir, mut store) = empty();
    let url = "https://a.example/z1";
    store.put(vec![zelensky(url, "Zelensky")]).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
    let id: i64 = conn
        .query_row("SELECT id FROM entities WHERE kind = 'PER'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let keys = |id: i64| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM surname_halves WHERE entity_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(keys(id), 2, "filed under both halves");
    // A new version of the only article naming him names him no more.
    let text = "The ministers spoke in Kyiv on Wednesday.";
    let changed = page(
        url,
        "en",
        "2022-12-21T10:00:00+00:00",
        "Ministers speak",
        text,
    );
    store.put(vec![changed]).unwrap();
    assert!(store.entity("Volodymyr Zelensky", 10).unwrap().is_none());
    assert_eq!(keys(id), 0);
}
