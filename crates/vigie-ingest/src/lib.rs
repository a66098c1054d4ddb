//! Where Vigie's pages come from: readers for the sources a newsroom watches, and the
//! canonical form of the addresses they list.
//!
//! This crate owns the *source side* of ingestion, as plain functions over bytes:
//!
//! | reader | reads | returns |
//! |---|---|---|
//! | [`detect`] | any source's first 64 KiB (gzip too) | its [`SourceKind`], told from content, never from the name |
//! | [`parse_feed`] | RSS 0.9x/1.0/2.0, Atom, JSON Feed | [`Feed`]: plain [`FeedEntry`]s with resolved links, text titles, dates with their offsets |
//! | [`parse_sitemap`] | XML sitemaps, Google News sitemaps, sitemap indexes | [`Sitemap`]: pages, or child sitemaps |
//! | [`parse_opml`] | OPML subscription lists | [`Opml`]: feed [`Subscription`]s with their folders |
//! | [`parse_url_list`] | one URL per line | [`UrlList`]: URLs, and invalid lines with their numbers |
//! | [`WarcReader`] | WARC 1.0/1.1 archives, plain or `.warc.gz`, streamed from any `Read` | the HTML pages of HTTP 200 responses |
//! | [`canonicalize`] | a URL | its canonical form: one spelling per page, tracking parameters dropped |
//!
//! Every reader is bounded: input size, gzip expansion, XML depth and entry counts are
//! fields of [`Limits`] with defaults, and going over one is an [`IngestError`] that
//! names the field. No input makes a reader panic or recurse without bound; malformed
//! parts that do not spoil the rest (an entry without a link, a bad date, a non-URL
//! line) are skipped and counted rather than failing the source.
//!
//! ```
//! use vigie_ingest::{parse_feed, Limits};
//!
//! let rss = br#"<rss version="2.0"><channel><title>Le Fil</title>
//!   <item><title>Pluie &lt;b&gt;sur Paris&lt;/b&gt;</title><link>/2024/pluie?utm_source=rss</link>
//!   <pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate></item></channel></rss>"#;
//! let feed = parse_feed(rss, Some("https://www.example.fr/rss"), &Limits::default()).unwrap();
//! let entry = &feed.entries[0];
//! assert_eq!(entry.title.as_deref(), Some("Pluie sur Paris"));
//! assert_eq!(entry.url, "https://www.example.fr/2024/pluie?utm_source=rss");
//! let canonical = vigie_ingest::canonicalize(&entry.url).unwrap();
//! assert_eq!(canonical.as_str(), "https://www.example.fr/2024/pluie");
//! ```
//!
//! Then the network side, blocking and thread-safe, one instance shared by workers:
//!
//! | piece | does |
//! |---|---|
//! | [`Fetcher`] | one GET: http(s) only, every address checked after DNS with [`is_public_ip`] (redirect hops too), redirects followed and bounded, timeouts, a cap on the decompressed body, retries with backoff and `Retry-After`, conditional requests from [`Validators`] |
//! | [`Robots`], [`RobotsCache`] | robots.txt per RFC 9309 (groups, longest match, `*` and `$`, `Crawl-delay`), cached per site with the RFC's rules for a missing or unreachable file |
//! | [`PoliteFetcher`] | a [`Fetcher`] behind robots.txt, one request at a time per host with a delay between them, and a global limit; an optional trace proves it |
//!
//! And the watching side, which the `vigie watch` command composes with extraction and
//! the store:
//!
//! | piece | does |
//! |---|---|
//! | [`SourceSpec`], [`parse_sources_toml`], [`parse_interval`] | a watched source as declared (URL or path, interval, language, tags) and the TOML file that declares many, with file and line in every error |
//! | [`poll_url`], [`poll_file`], [`scan_dir`] | one poll of one source: the canonical URLs it lists now (sitemap indexes followed to a bounded number of recent children), or a directory's new and changed files; 304 is [`Listing::NotModified`] |
//! | [`next_due`], [`interleave_by_host`] | when a source is due (with backoff after failures); pages ordered so that consecutive fetches go to different hosts |

mod canonical;
mod dates;
mod error;
mod feed;
mod fetch;
mod kind;
mod limits;
mod opml;
mod polite;
mod poll;
mod robots;
mod schedule;
mod sitemap;
mod sources;
mod text;
mod urllist;
mod warc;
mod xml;

pub use canonical::{
    canonicalize, is_http_url, is_public_ip, is_tracking_param, refuse_reason, Refusal,
};
pub use error::{IngestError, SourceError};
pub use feed::{parse_feed, Feed, FeedEntry};
pub use fetch::{FetchConfig, FetchError, FetchOutcome, Fetcher, Page, Validators};
pub use kind::{decompress, detect, is_gzip, Detected, RssVersion, SourceKind};
pub use limits::Limits;
pub use opml::{parse_opml, Opml, Subscription};
pub use polite::{PoliteConfig, PoliteFetcher, RequestSpan};
pub use poll::{
    choose_children, poll_file, poll_url, read_listing, scan_dir, DirScan, FileStamp, Listed,
    ListedPage, Listing, PollConfig, PollError,
};
pub use robots::{
    AgentRules, Robots, RobotsCache, RobotsConfig, RobotsSource, SiteRobots, MAX_ROBOTS_BYTES,
};
pub use schedule::{host_of, interleave_by_host, is_due, next_due};
pub use sitemap::{parse_sitemap, ChildSitemap, Sitemap, SitemapEntry};
pub use sources::{
    format_interval, normalise_tags, parse_interval, parse_sources_toml, Location, SourceSpec,
    SourcesError, DEFAULT_EVERY, MAX_EVERY,
};
pub use urllist::{parse_url_list, InvalidLine, UrlList};
pub use warc::{WarcPage, WarcReader, WarcStats};
