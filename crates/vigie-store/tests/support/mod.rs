//! What the store's integration tests share: opening for writing, and a store written
//! as an older schema left it.
#![allow(dead_code)] // each test file uses its own part

use std::path::Path;

use vigie_core::Article;
use vigie_store::OpenOptions;

pub fn writable() -> OpenOptions {
    OpenOptions {
        write: true,
        ..OpenOptions::default()
    }
}

/// The `articles` row an old store holds for its one article.
pub struct OldRow<'a> {
    pub key: &'a str,
    pub site: Option<&'a str>,
    pub title: &'a str,
    pub published: Option<&'a str>,
}

/// Writes, in `dir`, the records of a store migrated only to `schema`, holding one
/// French article (id 1, of 2022-12-19) with `article` as its reading and a raw page
/// that says "minsk". Returns the records' `user_version`.
pub fn old_store(dir: &Path, schema: usize, article: &Article, row: &OldRow) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("records.sqlite")).unwrap();
    vigie_store::migrate(&conn, schema).unwrap();
    let json = zstd::encode_all(&serde_json::to_vec(article).unwrap()[..], 3).unwrap();
    let raw = zstd::encode_all(&b"<html>minsk</html>"[..], 3).unwrap();
    conn.execute(
        "INSERT INTO articles(id, key, url, site, lang, title, published, day, first_seen, last_seen, current_version)
         VALUES (1, ?1, ?1, ?2, 'fr', ?3, ?4, '2022-12-19', 0, 0, 1)",
        rusqlite::params![row.key, row.site, row.title, row.published],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO versions(id, article_id, content_hash, raw_hash, source, fetched_at, raw_kind, article)
         VALUES (1, 1, x'00', x'00', 'old.html', 0, 'html', ?1)",
        rusqlite::params![json],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO raw_pages(version_id, raw) VALUES (1, ?1)",
        rusqlite::params![raw],
    )
    .unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}
