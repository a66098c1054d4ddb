//! Sitemaps, sitemap indexes, OPML and URL lists from `fixtures/`.

use vigie_ingest::{
    canonicalize, detect, parse_opml, parse_sitemap, parse_url_list, IngestError, Limits,
    SourceKind,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

#[test]
fn kinds_of_the_fixtures() {
    let kinds: Vec<(String, SourceKind)> = [
        "rss2_fr.xml",
        "atom_en.xml",
        "rss1_rdf.xml",
        "rss091.xml",
        "feed.json",
        "sitemap.xml",
        "news_sitemap.xml",
        "sitemap_index.xml",
        "subscriptions.opml",
        "urls.txt",
    ]
    .iter()
    .map(|n| (n.to_string(), detect(&fixture(n)).kind))
    .collect();
    let names: Vec<String> = kinds.iter().map(|(n, k)| format!("{n}: {k}")).collect();
    assert_eq!(
        names,
        [
            "rss2_fr.xml: an RSS 2.0 feed",
            "atom_en.xml: an Atom feed",
            "rss1_rdf.xml: an RSS 1.0 (RDF) feed",
            "rss091.xml: an RSS 0.9x feed",
            "feed.json: a JSON Feed",
            "sitemap.xml: an XML sitemap",
            "news_sitemap.xml: a Google News sitemap",
            "sitemap_index.xml: a sitemap index",
            "subscriptions.opml: an OPML file",
            "urls.txt: a list of URLs",
        ]
    );
}

#[test]
fn sitemap_with_whitespace_entities_and_image_extension() {
    let s = parse_sitemap(&fixture("sitemap.xml"), None, &Limits::default()).unwrap();
    assert!(!s.is_index);
    assert_eq!(s.entries.len(), 2);
    assert_eq!(s.skipped, 1);
    assert_eq!(
        s.entries[0].url,
        "https://www.gazette-rhone.example/lyon/2024/03/05/fete-des-lumieres_6120.html"
    );
    assert_eq!(
        s.entries[0].lastmod.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-03-05T10:47:00+01:00")
    );
    assert_eq!(
        s.entries[1].url,
        "https://www.gazette-rhone.example/search?q=tram&page=2"
    );
    assert_eq!(
        s.entries[1].lastmod.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-03-04T00:00:00+00:00")
    );
}

#[test]
fn google_news_sitemap_with_prefixes() {
    let s = parse_sitemap(&fixture("news_sitemap.xml"), None, &Limits::default()).unwrap();
    assert_eq!(s.entries.len(), 2);
    let e = &s.entries[0];
    assert_eq!(
        e.news_title.as_deref(),
        Some("Elecciones regionales: \"participación histórica\" en el norte")
    );
    assert_eq!(e.news_language.as_deref(), Some("es"));
    assert_eq!(e.news_publication.as_deref(), Some("Diario del Norte"));
    assert_eq!(
        e.news_publication_date.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-03-05T09:30:00+01:00")
    );
    assert_eq!(e.lastmod, None);
    assert_eq!(
        s.entries[1].news_title.as_deref(),
        Some("Final de Copa: el Norte gana 2–1")
    );
}

#[test]
fn sitemap_index_lists_children_resolved_against_its_address() {
    let s = parse_sitemap(
        &fixture("sitemap_index.xml"),
        Some("https://www.diario-norte.example/sitemap_index.xml"),
        &Limits::default(),
    )
    .unwrap();
    assert!(s.is_index);
    assert!(s.entries.is_empty());
    let urls: Vec<&str> = s.children.iter().map(|c| c.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://www.diario-norte.example/sitemaps/news.xml",
            "https://www.diario-norte.example/sitemaps/2024-03.xml.gz"
        ]
    );
    assert!(s.children[0].lastmod.is_some());
}

#[test]
fn gzip_sitemap() {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(&fixture("news_sitemap.xml")).unwrap();
    let gz = e.finish().unwrap();
    assert_eq!(detect(&gz).kind, SourceKind::Sitemap { news: true });
    let s = parse_sitemap(&gz, None, &Limits::default()).unwrap();
    assert_eq!(s.entries.len(), 2);
}

#[test]
fn sitemap_of_50_000_urls_is_read_and_one_more_is_refused() {
    let mut doc = String::from("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for i in 0..50_000 {
        doc.push_str(&format!(
            "<url><loc>https://www.example.org/2024/03/05/story-{i}.html</loc></url>\n"
        ));
    }
    let mut over = doc.clone();
    doc.push_str("</urlset>");
    let s = parse_sitemap(doc.as_bytes(), None, &Limits::default()).unwrap();
    assert_eq!(s.entries.len(), 50_000);
    over.push_str("<url><loc>https://www.example.org/one-more</loc></url></urlset>");
    assert!(matches!(
        parse_sitemap(over.as_bytes(), None, &Limits::default()),
        Err(IngestError::TooManyEntries { limit: 50_000, .. })
    ));
}

#[test]
fn opml_subscriptions_with_folders() {
    let o = parse_opml(&fixture("subscriptions.opml"), None, &Limits::default()).unwrap();
    assert_eq!(o.title.as_deref(), Some("Newsroom subscriptions"));
    let subs: Vec<(&str, &str, String)> = o
        .subscriptions
        .iter()
        .map(|s| {
            (
                s.feed_url.as_str(),
                s.title.as_deref().unwrap_or(""),
                s.categories.join("/"),
            )
        })
        .collect();
    assert_eq!(
        subs,
        [
            (
                "https://www.gazette-rhone.example/rss.xml",
                "La Gazette du Rhône",
                "France/Régions".to_string()
            ),
            (
                "https://quotidien-ouest.example/feed?format=rss&section=all",
                "Le Quotidien de l'Ouest",
                "France/Régions".to_string()
            ),
            (
                "https://northern-ledger.example/feeds/all.atom",
                "The Northern Ledger",
                "UK".to_string()
            ),
            (
                "https://harbour-times.example/feed.json",
                "Harbour Times",
                String::new()
            ),
        ]
    );
    assert_eq!(
        o.subscriptions[0].site_url.as_deref(),
        Some("https://www.gazette-rhone.example/")
    );
}

#[test]
fn url_list_reports_bad_lines_by_number() {
    let list = parse_url_list(&fixture("urls.txt"), &Limits::default()).unwrap();
    assert_eq!(
        list.urls,
        [
            "https://www.gazette-rhone.example/lyon/2024/03/05/fete-des-lumieres_6120.html",
            "https://northern-ledger.example/news/2024/mar/05/flood-defence-plan?utm_source=twitter",
            "https://harbour-times.example/2024/03/05/ferry-timetable",
        ]
    );
    let bad: Vec<(usize, &str)> = list
        .invalid
        .iter()
        .map(|l| (l.line, l.text.as_str()))
        .collect();
    assert_eq!(
        bad,
        [
            (7, "northern-ledger.example/no-scheme"),
            (9, "mailto:desk@example.org")
        ]
    );
    // Canonical forms are the caller's next step.
    assert_eq!(
        canonicalize(&list.urls[1]).unwrap().as_str(),
        "https://northern-ledger.example/news/2024/mar/05/flood-defence-plan"
    );
}
