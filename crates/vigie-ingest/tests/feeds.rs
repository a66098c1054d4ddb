//! Feeds of every format and their usual defects, from `fixtures/`.

use vigie_ingest::{detect, parse_feed, Feed, IngestError, Limits, RssVersion, SourceKind};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn feed(name: &str, url: Option<&str>) -> Feed {
    parse_feed(&fixture(name), url, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn date(d: &Option<chrono::DateTime<chrono::FixedOffset>>) -> String {
    d.map(|d| d.to_rfc3339()).unwrap_or_default()
}

#[test]
fn rss2_with_html_titles_relative_links_bad_dates_and_missing_links() {
    let f = feed(
        "rss2_fr.xml",
        Some("https://www.gazette-rhone.example/rss.xml"),
    );
    assert_eq!(f.kind, Some(SourceKind::Rss(RssVersion::V2)));
    assert_eq!(f.title.as_deref(), Some("La Gazette du Rhône : Actualités"));
    assert_eq!(f.lang.as_deref(), Some("fr-FR"));
    assert_eq!(f.entries.len(), 3);
    assert_eq!(
        f.skipped_without_link, 1,
        "the item with neither link nor permalink"
    );

    let first = &f.entries[0];
    assert_eq!(
        first.title.as_deref(),
        Some("Lyon : la Fête des Lumières attire 2 millions de visiteurs")
    );
    assert_eq!(
        first.summary.as_deref(),
        Some("Le bilan de l'édition 2023 est record, selon la mairie.")
    );
    assert_eq!(date(&first.published), "2024-03-05T10:47:00+01:00");
    assert_eq!(first.authors, ["Claire Moreau"]);
    assert_eq!(first.lang.as_deref(), Some("fr-FR"));

    let second = &f.entries[1];
    assert_eq!(
        second.url,
        "https://www.gazette-rhone.example/villeurbanne/2024/03/05/tramway-t9_6119.html"
    );
    assert_eq!(
        second.title.as_deref(),
        Some("Villeurbanne & Vaulx-en-Velin : le tramway T9 prolongé")
    );
    assert_eq!(second.published, None, "a French date is not guessed");

    let third = &f.entries[2];
    assert_eq!(
        third.url,
        "https://www.gazette-rhone.example/meteo/2024/03/05/vigilance-orange_6117.html"
    );
    assert_eq!(date(&third.published), "2024-03-05T08:30:00+00:00");
}

#[test]
fn atom_with_html_title_relative_link_authors_and_entry_language() {
    let f = feed(
        "atom_en.xml",
        Some("https://northern-ledger.example/feeds/all.atom"),
    );
    assert_eq!(f.kind, Some(SourceKind::Atom));
    assert_eq!(f.title.as_deref(), Some("The Northern Ledger"));
    assert_eq!(f.entries.len(), 2);
    assert_eq!(f.skipped_without_link, 1);
    let e = &f.entries[0];
    assert_eq!(
        e.url,
        "https://northern-ledger.example/news/2024/mar/05/flood-defence-plan"
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Council approves £40m flood defence plan")
    );
    assert_eq!(e.authors, ["Priya Shah", "Tom Ellis"]);
    assert_eq!(date(&e.published), "2024-03-05T08:00:00+00:00");
    assert_eq!(date(&e.updated), "2024-03-05T09:10:00+00:00");
    assert_eq!(
        e.summary.as_deref(),
        Some("The scheme will protect 3,000 homes along the river.")
    );
    let cy = &f.entries[1];
    assert_eq!(date(&cy.published), "2024-03-05T10:00:00+01:00");
    assert_eq!(cy.updated, None, "a bad date is dropped, the entry kept");
}

#[test]
fn rss1_rdf() {
    let f = feed("rss1_rdf.xml", None);
    assert_eq!(f.kind, Some(SourceKind::Rss(RssVersion::V1)));
    assert_eq!(f.entries.len(), 1);
    assert_eq!(
        f.entries[0].url,
        "https://wire.example.org/2024/03/05/markets"
    );
    assert_eq!(date(&f.entries[0].published), "2024-03-05T14:30:00-05:00");
}

#[test]
fn rss091() {
    let f = feed("rss091.xml", None);
    assert_eq!(f.kind, Some(SourceKind::Rss(RssVersion::V09)));
    assert_eq!(f.entries.len(), 1);
    assert_eq!(
        f.entries[0].url,
        "http://crier.example.net/stories/library.html"
    );
    assert_eq!(f.entries[0].published, None);
}

#[test]
fn json_feed() {
    let f = feed("feed.json", None);
    assert_eq!(f.kind, Some(SourceKind::JsonFeed));
    assert_eq!(f.title.as_deref(), Some("Harbour Times"));
    assert_eq!(f.entries.len(), 1);
    assert_eq!(f.skipped_without_link, 1);
    let e = &f.entries[0];
    assert_eq!(
        e.url,
        "https://harbour-times.example/2024/03/05/ferry-timetable"
    );
    assert_eq!(date(&e.published), "2024-03-05T07:45:00+11:00");
    assert_eq!(date(&e.updated), "2024-03-05T09:00:00+11:00");
    assert_eq!(e.authors, ["Lena Park"]);
}

#[test]
fn encodings_that_are_declared_missing_or_lying() {
    let expected = "Élections : le “second tour” décidé à Nantes — résultats";
    for name in [
        "cp1252_declared.xml",
        "cp1252_undeclared.xml",
        "utf8_declared_latin1.xml",
        "cp1252_declared_utf8.xml",
    ] {
        let f = feed(name, None);
        assert_eq!(f.entries.len(), 1, "{name}");
        assert_eq!(f.entries[0].title.as_deref(), Some(expected), "{name}");
        assert_eq!(
            f.entries[0].summary.as_deref(),
            Some("Coût estimé : 12 000 €."),
            "{name}"
        );
    }
}

#[test]
fn gzip_feed_is_read() {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(&fixture("atom_en.xml")).unwrap();
    let gz = e.finish().unwrap();
    assert!(detect(&gz).gzip);
    let f = parse_feed(
        &gz,
        Some("https://northern-ledger.example/"),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(f.entries.len(), 2);
}

#[test]
fn other_kinds_are_named_in_the_error() {
    let err = parse_feed(&fixture("sitemap.xml"), None, &Limits::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a feed: the input looks like an XML sitemap"
    );
    let err = parse_feed(
        b"<!DOCTYPE html><html><body>Not found</body></html>",
        None,
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "not a feed: the input looks like an HTML page"
    );
    let named = err.in_source("https://example.org/feed.xml");
    assert_eq!(
        named.to_string(),
        "https://example.org/feed.xml: not a feed: the input looks like an HTML page"
    );
}

#[test]
fn empty_feed_is_an_error_and_a_channel_without_items_is_not() {
    assert_eq!(
        parse_feed(b"  \n", None, &Limits::default()),
        Err(IngestError::Empty { input: "feed" })
    );
    let f = parse_feed(
        b"<rss version=\"2.0\"><channel><title>Quiet</title></channel></rss>",
        None,
        &Limits::default(),
    )
    .unwrap();
    assert!(f.entries.is_empty());
}
