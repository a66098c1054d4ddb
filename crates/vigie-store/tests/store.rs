//! The embedded store as a user meets it: storing, versions, searching, recovering.

use chrono::{DateTime, TimeZone, Utc};
use vigie_core::{Article, Block, BlockKind};
use vigie_store::{
    EmbeddedStore, NewPage, OpenOptions, Outcome, RawKind, Reading, SearchRequest, SearchResults,
    Sort, Store, StoreError,
};

mod support;

use support::writable;

struct Page<'a> {
    url: &'a str,
    lang: &'a str,
    site: &'a str,
    title: &'a str,
    text: &'a str,
    authors: &'a [&'a str],
    published: &'a str,
}

fn article(p: &Page) -> Article {
    let mut a = Article {
        url: Some(p.url.to_string()),
        canonical_url: Some(p.url.to_string()),
        site: Some(p.site.to_string()),
        lang: Some(p.lang.to_string()),
        title: Some(p.title.to_string()),
        authors: p.authors.iter().map(|s| s.to_string()).collect(),
        published: DateTime::parse_from_rfc3339(p.published).ok(),
        body: p
            .text
            .split("\n\n")
            .map(|t| Block {
                kind: BlockKind::Paragraph,
                text: t.to_string(),
            })
            .collect(),
        ..Article::default()
    };
    a.refresh_text();
    a
}

fn page(p: &Page) -> NewPage {
    let raw = format!("<html><title>{}</title><p>{}</p></html>", p.title, p.text);
    NewPage::new(
        Some(p.url.to_string()),
        raw.as_bytes(),
        RawKind::Html,
        article(p),
        Utc.with_ymd_and_hms(2022, 12, 20, 8, 0, 0).unwrap(),
        "test",
    )
    .unwrap()
}

const PAGES: [Page; 5] = [
    Page {
        url: "https://www.lesechos.fr/monde/poutine-minsk",
        lang: "fr",
        site: "Les Echos",
        title: "Vladimir Poutine à Minsk pour resserrer les liens avec la Biélorussie",
        text:
            "Le président russe est arrivé lundi à Minsk.\n\nLes présidents ont parlé de défense.",
        authors: &["Benjamin Quénelle"],
        published: "2022-12-19T17:53:00+01:00",
    },
    Page {
        url: "https://www.example.com/putin-minsk",
        lang: "en",
        site: "Example News",
        title: "Putin visits Minsk",
        text: "The Russian president visited Belarus on Monday.\n\nTalks focused on defence.",
        authors: &["Jane Doe"],
        published: "2022-12-19T12:00:00-05:00",
    },
    Page {
        url: "https://www.zeitung.de/putin-besuch",
        lang: "de",
        site: "Die Zeitung",
        title: "Putin besucht Lukaschenko",
        text: "Die Verhandlungen dauerten mehrere Stunden.",
        authors: &["Max Mustermann"],
        published: "2022-12-20T09:00:00+01:00",
    },
    Page {
        url: "https://www.example.com/kyiv-strikes",
        lang: "en",
        site: "Example News",
        title: "Strikes on Kyiv",
        text: "Drones hit the capital overnight. The president spoke at dawn.",
        authors: &["John Roe"],
        published: "2022-11-05T06:00:00Z",
    },
    Page {
        url: "https://www.lesechos.fr/economie/energie",
        lang: "fr",
        site: "Les Echos",
        title: "Le prix de l'énergie recule",
        text: "Les marchés de l'électricité se détendent en décembre.",
        authors: &[],
        published: "2022-12-01T07:00:00+01:00",
    },
];

fn filled() -> (tempfile::TempDir, EmbeddedStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    let outcomes = store.put(PAGES.iter().map(page).collect()).unwrap();
    assert!(outcomes
        .iter()
        .all(|o| matches!(o, Outcome::Stored { version: 1, .. })));
    store.commit().unwrap();
    (dir, store)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 12, 21, 0, 0, 0).unwrap()
}

fn search(store: &EmbeddedStore, q: &str) -> SearchResults {
    store
        .search(&SearchRequest {
            query: q.to_string(),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            now: Some(now()),
        })
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

fn titles(store: &EmbeddedStore, q: &str) -> Vec<String> {
    let mut t: Vec<String> = search(store, q)
        .hits
        .into_iter()
        .map(|h| h.title.unwrap())
        .collect();
    t.sort();
    t
}

#[test]
fn storing_the_same_page_twice_changes_nothing() {
    let (_dir, mut store) = filled();
    let again = store.put(vec![page(&PAGES[0])]).unwrap();
    assert!(matches!(again[0], Outcome::Unchanged { .. }));
    assert_eq!(store.stats().unwrap().articles, 5);
}

#[test]
fn a_changed_page_is_a_new_version_of_the_same_article() {
    let (_dir, mut store) = filled();
    let changed = Page {
        text: "Le président russe est arrivé lundi à Minsk.\n\nMise à jour : accord signé.",
        ..PAGES[0]
    };
    let out = store.put(vec![page(&changed)]).unwrap();
    let Outcome::Stored { id, version } = out[0] else {
        panic!("expected a new version: {out:?}")
    };
    assert_eq!(version, 2);
    store.commit().unwrap();
    let stored = store.get(id).unwrap().unwrap();
    assert_eq!(stored.versions.len(), 2);
    assert!(stored.article.text.contains("accord signé"));
    assert_eq!(store.stats().unwrap().articles, 5);
    // The index holds the current version only.
    assert_eq!(search(&store, "accord").total, 1);
    assert_eq!(search(&store, "défense").total, 0);
}

#[test]
fn raw_pages_already_stored_are_recognised() {
    let (_dir, store) = filled();
    let p = page(&PAGES[1]);
    let raw = format!(
        "<html><title>{}</title><p>{}</p></html>",
        PAGES[1].title, PAGES[1].text
    );
    let known = store
        .known_raw(&[
            vigie_store::Hash::of(raw.as_bytes()),
            vigie_store::Hash::of(b"new"),
        ])
        .unwrap();
    assert!(known[0].is_some());
    assert!(known[1].is_none());
    drop(p);
}

#[test]
fn words_match_without_case_or_accents_and_stemmed_per_language() {
    let (_dir, store) = filled();
    // French plural and accents: "présidents" and "président" both match "PRESIDENT".
    assert!(titles(&store, "PRESIDENT").contains(&PAGES[0].title.to_string()));
    assert_eq!(titles(&store, "bielorussie"), vec![PAGES[0].title]);
    // German stemming: Verhandlung finds Verhandlungen.
    assert_eq!(titles(&store, "Verhandlung"), vec![PAGES[2].title]);
    // English stemming: "visit" finds "visits"/"visited".
    assert_eq!(titles(&store, "visit"), vec![PAGES[1].title]);
}

#[test]
fn boolean_operators_phrases_and_groups() {
    let (_dir, store) = filled();
    assert_eq!(titles(&store, "minsk putin"), vec![PAGES[1].title]);
    assert_eq!(
        titles(&store, "poutine OR lukaschenko"),
        vec![PAGES[2].title, PAGES[0].title]
    );
    assert_eq!(titles(&store, "president -minsk"), vec![PAGES[3].title]);
    assert_eq!(titles(&store, "president NOT minsk"), vec![PAGES[3].title]);
    // A query of exclusions alone: every article of every language without the word.
    assert_eq!(titles(&store, "-minsk").len(), 3);
    assert_eq!(titles(&store, "NOT (minsk OR prix)").len(), 2);
    assert_eq!(
        titles(&store, "(poutine OR putin) AND minsk"),
        vec![PAGES[1].title, PAGES[0].title]
    );
    assert_eq!(
        titles(&store, r#""russian president""#),
        vec![PAGES[1].title]
    );
    assert!(titles(&store, r#""president russian""#).is_empty());
}

#[test]
fn phrases_of_common_words_match_only_where_the_words_are_adjacent() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    let de = |url, title, text| Page {
        url,
        lang: "de",
        site: "Beispiel",
        title,
        text,
        authors: &[],
        published: "2022-12-20T10:00:00+01:00",
    };
    store
        .put(vec![
            page(&de(
                "https://a.example/1",
                "Erste",
                "Die Regierung äußert sich nicht zu den Vorwürfen.",
            )),
            page(&de(
                "https://a.example/2",
                "Zweite",
                "Nicht alle Minister wollten sich äußern.",
            )),
            // The title and the body are separate values: no phrase across them.
            page(&de(
                "https://a.example/3",
                "Die Regierung wehrt sich",
                "Nicht jetzt, sagte der Sprecher.",
            )),
            page(&de(
                "https://a.example/4",
                "Vierte",
                "Der Kanzler will sich nicht mehr dazu äußern.",
            )),
        ])
        .unwrap();
    store.commit().unwrap();
    assert_eq!(titles(&store, r#""sich nicht""#), vec!["Erste", "Vierte"]);
    assert_eq!(titles(&store, r#""SICH  NICHT""#), vec!["Erste", "Vierte"]);
    assert!(titles(&store, r#""nicht sich""#).is_empty());
    // Longer phrases mixing common and other words.
    assert_eq!(titles(&store, r#""sich nicht mehr""#), vec!["Vierte"]);
    assert_eq!(titles(&store, r#""äußert sich nicht""#), vec!["Erste"]);
    assert!(titles(&store, r#""sich nicht äußern""#).is_empty());
    assert_eq!(
        titles(&store, r#""regierung wehrt sich""#),
        vec!["Die Regierung wehrt sich"]
    );
    // Both words, anywhere.
    assert_eq!(titles(&store, "sich nicht").len(), 4);
}

#[test]
fn field_filters() {
    let (_dir, store) = filled();
    assert_eq!(
        titles(&store, "title:minsk"),
        vec![PAGES[1].title, PAGES[0].title]
    );
    assert!(titles(&store, "title:president").is_empty());
    assert_eq!(titles(&store, "author:quenelle"), vec![PAGES[0].title]);
    assert_eq!(titles(&store, r#"author:"Jane Doe""#), vec![PAGES[1].title]);
    assert_eq!(titles(&store, "site:lesechos.fr").len(), 2);
    assert_eq!(titles(&store, r#"site:"les echos""#).len(), 2);
    assert_eq!(titles(&store, "lang:de"), vec![PAGES[2].title]);
    assert_eq!(titles(&store, "president lang:en").len(), 2);
}

#[test]
fn date_filters_use_the_articles_own_day() {
    let (_dir, store) = filled();
    assert_eq!(titles(&store, "published:2022-12-19").len(), 2);
    assert_eq!(titles(&store, "published:2022-12-01..2022-12-31").len(), 4);
    assert_eq!(titles(&store, "published:2022-11"), vec![PAGES[3].title]);
    assert_eq!(
        titles(&store, "published:>=2022-12-20"),
        vec![PAGES[2].title]
    );
    assert_eq!(titles(&store, "published:<2022-12-02").len(), 2);
    // now() is 2022-12-21T00:00Z: the last two days hold both 19 Dec articles and the 20 Dec one.
    assert_eq!(titles(&store, "published:2d").len(), 3);
    assert_eq!(titles(&store, "published:48h").len(), 3);
    assert_eq!(titles(&store, "published:24h"), vec![PAGES[2].title]);
}

#[test]
fn facets_count_every_match_not_just_the_page_shown() {
    let (_dir, store) = filled();
    let r = store
        .search(&SearchRequest {
            query: "president OR prix".into(),
            sort: Sort::Relevance,
            limit: 1,
            offset: 0,
            now: Some(now()),
        })
        .unwrap();
    assert_eq!(r.total, 4);
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.facets.site["Les Echos"], 2);
    assert_eq!(r.facets.site["Example News"], 2);
    assert_eq!(r.facets.lang["fr"], 2);
    assert_eq!(r.facets.day["2022-12-19"], 2);
    assert_eq!(r.facets.day["2022-11-05"], 1);
}

#[test]
fn sorting_by_date_and_paging() {
    let (_dir, store) = filled();
    let req = |offset| SearchRequest {
        query: "site:example.com OR site:lesechos.fr OR site:zeitung.de".into(),
        sort: Sort::Date,
        limit: 2,
        offset,
        now: Some(now()),
    };
    let first = store.search(&req(0)).unwrap();
    let second = store.search(&req(2)).unwrap();
    assert_eq!(first.total, 5);
    let ids: Vec<_> = first
        .hits
        .iter()
        .chain(&second.hits)
        .map(|h| h.title.clone().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![
            PAGES[2].title,
            PAGES[1].title,
            PAGES[0].title,
            PAGES[4].title
        ]
    );
}

#[test]
fn snippets_mark_the_matched_words() {
    let (_dir, store) = filled();
    let r = search(&store, "defense minsk lang:fr");
    assert_eq!(r.hits.len(), 1);
    let s = &r.hits[0].snippet;
    assert!(
        s.contains("<b>Minsk</b>") && s.contains("<b>défense</b>"),
        "{s}"
    );
}

#[test]
fn a_malformed_query_is_an_error_with_its_position() {
    let (_dir, store) = filled();
    let err = store
        .search(&SearchRequest {
            query: "poutine AND (minsk".into(),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            now: None,
        })
        .unwrap_err();
    let StoreError::Query(q) = err else {
        panic!("expected a query error")
    };
    assert_eq!(q.position, 12);
}

#[test]
fn articles_put_but_not_committed_to_the_index_are_indexed_on_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
        store.put(PAGES.iter().map(page).collect()).unwrap();
        // Dropped without commit: as after a crash between the records and the index.
    }
    let store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    assert_eq!(search(&store, "minsk").total, 2);
}

#[test]
fn one_writer_at_a_time_but_readers_meanwhile() {
    let (dir, _writer) = filled();
    let second = EmbeddedStore::open(dir.path(), &writable());
    assert!(matches!(second, Err(StoreError::Busy { .. })));
    let reader = EmbeddedStore::open(dir.path(), &OpenOptions::default()).unwrap();
    assert_eq!(search(&reader, "minsk").total, 2);
}

#[test]
fn reindex_rebuilds_the_same_answers() {
    let (_dir, mut store) = filled();
    let before = titles(&store, "president OR prix");
    assert_eq!(store.reindex().unwrap(), 5);
    assert_eq!(titles(&store, "president OR prix"), before);
}

#[test]
fn regression_reindex_lost_a_document_replaced_after_deleting_all() {
    // Reindexing deleted every document, then added each article's after a delete by
    // its id. Deleting all rewinds tantivy's operation stamps, and with two indexing
    // threads one of the five documents was gone in about 3 % of reindexes.
    let (_dir, mut store) = filled();
    let before = titles(&store, "president OR prix");
    for _ in 0..40 {
        assert_eq!(store.reindex().unwrap(), 5);
        assert_eq!(titles(&store, "president OR prix"), before);
    }
}

#[test]
fn compacting_merges_the_index_and_keeps_every_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    // One commit per page: one index segment each.
    for p in &PAGES {
        store.put(vec![page(p)]).unwrap();
        store.commit().unwrap();
    }
    let before = titles(&store, "president OR prix");
    let c = store.compact().unwrap();
    assert_eq!((c.segments_before, c.segments_after), (5, 1));
    assert_eq!(titles(&store, "president OR prix"), before);
    // Still writable after compacting, and reopening indexes nothing twice.
    let extra = Page {
        url: "https://www.example.com/extra",
        title: "Extra",
        ..PAGES[1]
    };
    store.put(vec![page(&extra)]).unwrap();
    store.close().unwrap();
    let store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    assert_eq!(search(&store, "minsk").total, 2);
    assert_eq!(
        search(&store, "president OR prix").total,
        before.len() as u64 + 1
    );
}

#[test]
fn a_lost_index_is_reported_to_readers_and_rebuilt_by_the_next_writer() {
    let (dir, store) = filled();
    drop(store);
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let reader = EmbeddedStore::open(dir.path(), &OpenOptions::default());
    assert!(matches!(reader, Err(StoreError::NeedsUpgrade { .. })));
    // A reader writes nothing, not even an empty index.
    assert!(!dir.path().join("index").exists());
    let store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    assert_eq!(search(&store, "minsk").total, 2);
}

#[cfg(unix)]
#[test]
fn a_read_only_directory_refuses_writers_clearly_and_stays_readable() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, store) = filled();
    drop(store);
    let set = |mode| {
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode & 0o666))
                    .unwrap();
            }
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    };
    set(0o555);
    if std::fs::write(dir.path().join("probe"), b"").is_ok() {
        set(0o755);
        eprintln!("skipped: this user (root?) writes through read-only permissions");
        return;
    }
    let writer = EmbeddedStore::open(dir.path(), &writable());
    let message = match writer {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a writer opened a read-only store"),
    };
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    let reader = EmbeddedStore::open(dir.path(), &OpenOptions::default()).unwrap();
    assert_eq!(search(&reader, "minsk").total, 2);
    set(0o755);
}

#[test]
fn a_store_whose_raw_pages_fill_it_refuses_the_batch_and_stays_readable() {
    // Raw pages of incompressible bytes fill the packs.
    refuses_the_batch_once_full("raw", |i| {
        let a = Article {
            url: Some(format!("https://example.org/{i}")),
            text: format!("page {i}"),
            ..Article::default()
        };
        NewPage::new(None, &noise(i, 4096), RawKind::Html, a, Utc::now(), "test").unwrap()
    });
}

#[test]
fn a_store_whose_records_fill_it_refuses_the_batch_and_stays_readable() {
    // Small raw pages whose articles, random words, fill the records.
    refuses_the_batch_once_full("records.sqlite", |i| {
        let text: String = noise(i, 4096)
            .iter()
            .map(|b| char::from(b'a' + b % 26))
            .collect();
        let mut a = Article {
            url: Some(format!("https://example.org/{i}")),
            body: vec![Block {
                kind: BlockKind::Paragraph,
                text,
            }],
            ..Article::default()
        };
        a.refresh_text();
        let raw = format!("<p>page {i}</p>");
        NewPage::new(None, raw.as_bytes(), RawKind::Html, a, Utc::now(), "test").unwrap()
    });
}

/// Stores one page, then a batch of forty `page_of(i)` under a 64 KiB cap: the batch
/// must fail as a full store, naming the file that filled (`full`), leave no bytes in
/// the packs, and leave the first page readable.
fn refuses_the_batch_once_full(full: &str, page_of: impl Fn(u32) -> NewPage) {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
        store.put(vec![page(&PAGES[0])]).unwrap();
        store.commit().unwrap();
    }
    let mut store = EmbeddedStore::open(
        dir.path(),
        &OpenOptions {
            write: true,
            max_records_bytes: Some(64 * 1024),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    let batch: Vec<NewPage> = (0..40).map(page_of).collect();
    let pack_before = std::fs::metadata(first_pack(dir.path())).unwrap().len();
    let err = store.put(batch).unwrap_err().to_string();
    assert!(err.contains("full") && err.contains(full), "{err}");
    // Nothing of the failed batch stays in the packs either.
    assert_eq!(
        std::fs::metadata(first_pack(dir.path())).unwrap().len(),
        pack_before
    );
    assert_eq!(store.stats().unwrap().articles, 1);
    drop(store);
    let reader = EmbeddedStore::open(dir.path(), &OpenOptions::default()).unwrap();
    assert_eq!(search(&reader, "minsk").total, 1);
}

/// `len` bytes zstd cannot shrink (xorshift64), different for each `seed`.
fn noise(seed: u32, len: usize) -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ u64::from(seed);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

/// The pack file the first raw pages of a store go to.
fn first_pack(dir: &std::path::Path) -> std::path::PathBuf {
    dir.join("raw").join("00000001.pack")
}

fn stored_id(outcome: &Outcome) -> u64 {
    match outcome {
        Outcome::Stored { id, .. } => *id,
        other => panic!("not stored: {other:?}"),
    }
}

#[test]
fn raw_pages_are_kept_in_packs_beside_the_records_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    let out = store.put(vec![page(&PAGES[0]), page(&PAGES[1])]).unwrap();
    for (o, p) in out.iter().zip(&PAGES) {
        let raw = store.raw_page(stored_id(o)).unwrap().unwrap();
        let expected = format!("<html><title>{}</title><p>{}</p></html>", p.title, p.text);
        assert_eq!(raw.bytes, expected.as_bytes());
    }
    // Written once, in the pack: not in the records' table.
    let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
    let in_table: i64 = conn
        .query_row("SELECT count(*) FROM raw_pages", [], |r| r.get(0))
        .unwrap();
    assert_eq!(in_table, 0);
    assert!(std::fs::metadata(first_pack(dir.path())).unwrap().len() > 0);
}

#[test]
fn bytes_no_committed_version_refers_to_are_cut_off_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
        let out = store.put(vec![page(&PAGES[0])]).unwrap();
        store.close().unwrap();
        stored_id(&out[0])
    };
    let pack = first_pack(dir.path());
    let committed = std::fs::metadata(&pack).unwrap().len();
    // A crash between appending a batch's raw pages and committing its records.
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&pack)
            .unwrap();
        f.write_all(&[0xAB; 1000]).unwrap();
    }
    let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    assert_eq!(std::fs::metadata(&pack).unwrap().len(), committed);
    let out = store.put(vec![page(&PAGES[1])]).unwrap();
    let raw = store.raw_page(stored_id(&out[0])).unwrap().unwrap();
    assert!(raw.bytes.starts_with(b"<html><title>"), "{:?}", raw.bytes);
    assert!(store.raw_page(id).unwrap().is_some());
}

#[test]
fn reading_a_missing_store_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let err = match EmbeddedStore::open(&dir.path().join("nothing"), &OpenOptions::default()) {
        Err(e) => e,
        Ok(_) => panic!("a store appeared from nowhere"),
    };
    assert!(err.to_string().contains("no store here yet"), "{err}");
}

#[test]
fn a_store_of_the_previous_schema_opens_and_keeps_its_articles() {
    let dir = tempfile::tempdir().unwrap();
    // Build a store as schema version 1 left it, with one article.
    let version = support::old_store(
        dir.path(),
        1,
        &article(&PAGES[0]),
        &support::OldRow {
            key: PAGES[0].url,
            site: Some("Les Echos"),
            title: PAGES[0].title,
            published: Some("2022-12-19T17:53:00+01:00"),
        },
    );
    assert_eq!(version, 1);
    let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    assert_eq!(store.stats().unwrap().articles, 1);
    // The index did not exist: it was built from the records on open.
    assert_eq!(search(&store, "minsk").total, 1);
    // And the store takes new articles after the upgrade.
    store.put(vec![page(&PAGES[1])]).unwrap();
    store.commit().unwrap();
    assert_eq!(search(&store, "minsk").total, 2);
    let raw = store.raw_page(1).unwrap().unwrap();
    assert_eq!(raw.bytes, b"<html>minsk</html>");
}

#[test]
fn a_store_from_a_newer_vigie_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = match EmbeddedStore::open(dir.path(), &writable()) {
        Err(e) => e,
        Ok(_) => panic!("opened a store of an unknown schema"),
    };
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
}

#[test]
fn reextraction_replaces_readings_and_the_index_follows() {
    let (_dir, mut store) = filled();
    let id = store.raw_page_ids().unwrap()[0];
    let raw = store.raw_page(id).unwrap().unwrap();
    let mut better = article(&PAGES[0]);
    better.body.push(Block {
        kind: BlockKind::Paragraph,
        text: "Un paragraphe retrouvé.".into(),
    });
    better.refresh_text();
    let p = Reading::new(better, raw.fetched_at, "test 2").unwrap();
    assert_eq!(store.replace_readings(vec![(id, p)]).unwrap(), 1);
    assert_eq!(search(&store, "retrouve").total, 1);
    assert_eq!(store.get(id).unwrap().unwrap().versions.len(), 1);
}

#[test]
fn known_urls_by_identity_and_by_address_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    // Read from a listed address that redirected to the article's own address.
    let p = NewPage::new(
        Some("https://feeds.example/redirect/1".to_string()),
        b"<html>minsk</html>",
        RawKind::Html,
        article(&PAGES[0]),
        chrono::Utc::now(),
        "test",
    )
    .unwrap();
    store.put(vec![p]).unwrap();
    let urls = vec![
        // The identity, in another spelling of scheme, host and default port.
        "HTTPS://WWW.LESECHOS.FR:443/monde/poutine-minsk".to_string(),
        "https://feeds.example/redirect/1".to_string(),
        "https://www.lesechos.fr/monde/other".to_string(),
    ];
    assert_eq!(store.known_urls(&urls).unwrap(), [true, true, false]);
}

#[test]
fn a_store_of_schema_two_gains_the_source_index() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
        vigie_store::migrate(&conn, 2).unwrap();
    }
    let store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    assert_eq!(
        store.known_urls(&["https://a.example/".into()]).unwrap(),
        [false]
    );
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v as usize, vigie_store::MIGRATIONS.len());
    let index: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'versions_source'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(index, 1);
}

#[test]
fn an_article_reads_back_whole_whether_its_record_holds_the_text_or_only_the_blocks() {
    let (dir, store) = filled();
    let id = match search(&store, "défense lang:fr").hits[..] {
        [ref hit] => hit.id,
        ref hits => panic!("one hit expected: {hits:?}"),
    };
    // Records leave the text to the blocks; it is rebuilt when read.
    assert_eq!(store.get(id).unwrap().unwrap().article, article(&PAGES[0]));
    drop(store);
    // A record written before that holds the text too.
    let with_text = serde_json::to_vec(&article(&PAGES[0])).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("records.sqlite")).unwrap();
    conn.execute(
        "UPDATE versions SET article = ?1 WHERE article_id = ?2",
        rusqlite::params![zstd::encode_all(&with_text[..], 3).unwrap(), id as i64],
    )
    .unwrap();
    drop(conn);
    let store = EmbeddedStore::open(dir.path(), &writable()).unwrap();
    assert_eq!(store.get(id).unwrap().unwrap().article, article(&PAGES[0]));
    let s = &search(&store, "défense lang:fr").hits[0].snippet;
    assert!(s.contains("<b>défense</b>") && !s.contains("\n\n\n"), "{s}");
}
