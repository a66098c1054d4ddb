//! One poll of one source against a local server: feeds, sitemap indexes (followed to
//! their recent children), gzip sitemaps, conditional requests, errors.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use support::{Reply, Server};
use vigie_ingest::{
    poll_url, FetchConfig, Fetcher, Listing, PoliteConfig, PoliteFetcher, PollConfig, PollError,
    SourceKind, Validators,
};

fn polite() -> PoliteFetcher {
    PoliteFetcher::new(
        Fetcher::new(FetchConfig {
            allow_private_addresses: true,
            max_attempts: 1,
            timeout: Duration::from_secs(5),
            ..FetchConfig::default()
        }),
        PoliteConfig {
            min_delay: Duration::ZERO,
            ..PoliteConfig::default()
        },
    )
}

fn listed(l: Listing) -> vigie_ingest::Listed {
    match l {
        Listing::Listed(l) => l,
        Listing::NotModified => panic!("not modified"),
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A server that answers with `routes` (path → reply) once its own address is known.
fn site(routes: impl Fn(&str, &str) -> Option<Reply> + Send + Sync + 'static) -> Server {
    let base = Arc::new(Mutex::new(String::new()));
    let b = base.clone();
    let server = Server::start(move |r| {
        let base = b.lock().unwrap().clone();
        routes(&r.path, &base).unwrap_or_else(|| Reply::new(404))
    });
    *base.lock().unwrap() = server.url("");
    server
}

#[test]
fn a_feed_lists_canonical_urls_and_answers_304_to_its_validators() {
    let server = Server::start(|r| {
        if r.header("If-None-Match") == Some("\"abc\"") {
            return Reply::new(304);
        }
        Reply::ok(
            r#"<rss version="2.0"><channel><title>T</title>
            <item><link>/b?utm_medium=feed</link><pubDate>Tue, 05 Mar 2024 09:00:00 +0000</pubDate></item>
            <item><link>/a</link><pubDate>Tue, 05 Mar 2024 10:00:00 +0000</pubDate></item>
            <item><link>/a#comments</link></item></channel></rss>"#,
        )
        .header("ETag", "\"abc\"")
    });
    let p = polite();
    let l = listed(
        poll_url(
            &p,
            &server.url("/rss"),
            &Validators::none(),
            &PollConfig::default(),
        )
        .unwrap(),
    );
    assert_eq!(l.kind, SourceKind::Rss(vigie_ingest::RssVersion::V2));
    let urls: Vec<_> = l.pages.iter().map(|p| p.url.clone()).collect();
    assert_eq!(urls, [server.url("/a"), server.url("/b")]);
    assert_eq!(l.validators.etag.as_deref(), Some("\"abc\""));
    let again = poll_url(
        &p,
        &server.url("/rss"),
        &l.validators,
        &PollConfig::default(),
    )
    .unwrap();
    assert_eq!(again, Listing::NotModified);
}

#[test]
fn a_sitemap_index_is_followed_to_its_recent_children_only() {
    let recent = (Utc::now() - chrono::Duration::hours(3)).to_rfc3339();
    let server = site(move |path, base| {
        match path {
        "/sitemap.xml" => Some(Reply::ok(format!(
            r#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>{base}/old.xml</loc><lastmod>2020-01-01</lastmod></sitemap>
            <sitemap><loc>{base}/news.xml.gz</loc><lastmod>{recent}</lastmod></sitemap>
            <sitemap><loc>{base}/broken.xml</loc><lastmod>{recent}</lastmod></sitemap>
            </sitemapindex>"#
        ))),
        "/news.xml.gz" => Some(Reply::ok(gzip(
            format!(
                r#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
                <url><loc>{base}/2024/greve</loc><news:news><news:title>Grève</news:title>
                <news:publication_date>2024-03-05T10:00:00+01:00</news:publication_date></news:news></url>
                </urlset>"#
            )
            .as_bytes(),
        ))),
        "/old.xml" => Some(Reply::ok(format!(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{base}/2019/old</loc></url></urlset>"#
        ))),
        "/broken.xml" => Some(Reply::new(500)),
        _ => None,
    }
    });
    let l = listed(
        poll_url(
            &polite(),
            &server.url("/sitemap.xml"),
            &Validators::none(),
            &PollConfig::default(),
        )
        .unwrap(),
    );
    assert_eq!(l.kind, SourceKind::SitemapIndex);
    assert_eq!(l.pages.len(), 1, "{:?}", l.pages);
    assert_eq!(l.pages[0].url, server.url("/2024/greve"));
    assert_eq!(l.pages[0].title.as_deref(), Some("Grève"));
    assert_eq!(server.count("/old.xml"), 0);
    // The broken child is a note, not a failure.
    assert!(
        l.notes.iter().any(|n| n.contains("/broken.xml")),
        "{:?}",
        l.notes
    );
}

#[test]
fn errors_name_the_source() {
    let server = Server::start(|r| match r.path.as_str() {
        "/page" => Reply::ok("<!DOCTYPE html><html><body><p>Hello</p></body></html>"),
        "/bad" => Reply::ok("<rss version=\"2.0\"><channel><item><title>cut"),
        "/robots.txt" => Reply::new(404),
        _ => Reply::new(500),
    });
    let p = polite();
    let c = PollConfig::default();
    let e = poll_url(&p, &server.url("/page"), &Validators::none(), &c).unwrap_err();
    assert!(matches!(e, PollError::NotAListing { .. }), "{e}");
    assert!(e.to_string().contains("feed or sitemap"), "{e}");
    let e = poll_url(&p, &server.url("/bad"), &Validators::none(), &c).unwrap_err();
    assert!(e.to_string().starts_with(&server.url("/bad")), "{e}");
    let e = poll_url(&p, &server.url("/down"), &Validators::none(), &c).unwrap_err();
    assert!(e.to_string().contains("500"), "{e}");
}
