//! One poll of one source: the pages it lists now, as canonical URLs.
//!
//! - **Addresses** are fetched through a [`PoliteFetcher`] with the validators of the
//!   last poll: a 304 is [`Listing::NotModified`], nothing to do.
//! - **The kind is read from the content** ([`detect`]), gzip or not: RSS, Atom and
//!   JSON Feed entries, sitemap pages (Google News too), plain URL lists. A sitemap
//!   index is followed one level down, to a bounded number of child sitemaps: those
//!   changed within [`PollConfig::child_max_age`], else the most recent ones, at most
//!   [`PollConfig::max_child_sitemaps`]. A child that fails is a note, not a failure.
//! - **Local files** listing pages (a feed or URL list on disk) are read the same way.
//!   **Local directories** are pages themselves: see [`scan_dir`].
//!
//! The URLs listed are untrusted: they are canonicalised here, and the fetcher refuses
//! non-public addresses when the pages are fetched.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, FixedOffset, Utc};
use thiserror::Error;

use crate::{
    canonicalize, detect, parse_feed, parse_sitemap, parse_url_list, FetchError, FetchOutcome,
    IngestError, Limits, PoliteFetcher, SourceError, SourceKind, Validators,
};

/// How far a poll goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollConfig {
    /// Child sitemaps of a sitemap index read per poll (default 5).
    pub max_child_sitemaps: usize,
    /// Child sitemaps changed within this time are read first (default 2 days).
    pub child_max_age: Duration,
    /// Pages kept from one poll, the most recent first when dates are known
    /// (default 1,000).
    pub max_pages: usize,
    /// Reader limits.
    pub limits: Limits,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            max_child_sitemaps: 5,
            child_max_age: Duration::from_secs(2 * 86_400),
            max_pages: 1_000,
            limits: Limits::default(),
        }
    }
}

/// A page a source lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPage {
    /// Its canonical URL.
    pub url: String,
    /// When it was published or last changed, as the source says.
    pub date: Option<DateTime<FixedOffset>>,
    /// Its title, as the source says.
    pub title: Option<String>,
}

/// What a source lists now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The kind of the source's content.
    pub kind: SourceKind,
    /// The pages, without duplicates, at most [`PollConfig::max_pages`].
    pub pages: Vec<ListedPage>,
    /// What to send on the next poll (empty for local files).
    pub validators: Validators,
    /// Things worth reporting that did not fail the poll: child sitemaps that could not
    /// be read, entries skipped.
    pub notes: Vec<String>,
}

/// The result of a poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// The server answered 304 to the validators: nothing new.
    NotModified,
    /// The source was read.
    Listed(Listed),
}

/// Why a poll failed.
#[derive(Debug, Error)]
pub enum PollError {
    /// The source could not be fetched (the message starts with its URL).
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The source was fetched but could not be read.
    #[error(transparent)]
    Read(#[from] SourceError),
    /// The source is of a kind that lists no pages.
    #[error("{name}: {kind} is not a list of pages (a feed, a sitemap or a URL list is){hint}")]
    NotAListing {
        /// The URL or path.
        name: String,
        /// What it is.
        kind: SourceKind,
        /// What to do instead, when there is something.
        hint: &'static str,
    },
    /// A local file or directory could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The file or directory.
        path: String,
        /// What failed.
        message: String,
    },
}

/// Polls an address: fetches it (conditionally) and reads what it lists.
pub fn poll_url(
    fetcher: &PoliteFetcher,
    url: &str,
    validators: &Validators,
    config: &PollConfig,
) -> Result<Listing, PollError> {
    let page = match fetcher.fetch(url, validators)? {
        FetchOutcome::NotModified { .. } => return Ok(Listing::NotModified),
        FetchOutcome::Fetched(page) => page,
    };
    let validators = page.validators();
    let mut listed = read_listing(&page.body, &page.final_url, config)?;
    listed.validators = validators;
    if listed.kind == SourceKind::SitemapIndex {
        follow_children(fetcher, &mut listed, config);
    }
    listed.pages = finish(std::mem::take(&mut listed.pages), config.max_pages);
    Ok(Listing::Listed(listed))
}

/// Polls a local file that lists pages (a feed, sitemap or URL list on disk). A
/// sitemap index on disk is not followed (its children are addresses to fetch).
pub fn poll_file(path: &Path, config: &PollConfig) -> Result<Listed, PollError> {
    let name = path.display().to_string();
    let limit = config
        .limits
        .max_feed_bytes
        .max(config.limits.max_document_bytes) as u64;
    let size = std::fs::metadata(path)
        .map_err(|e| PollError::Io {
            path: name.clone(),
            message: format!("cannot open: {e}"),
        })?
        .len();
    if size > limit {
        return Err(PollError::Io {
            path: name,
            message: format!(
                "the file is {size} bytes, over the {limit}-byte limit (Limits::max_feed_bytes)"
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| PollError::Io {
        path: name.clone(),
        message: format!("cannot read: {e}"),
    })?;
    let mut listed = read_listing(&bytes, &name, config)?;
    listed.pages = finish(std::mem::take(&mut listed.pages), config.max_pages);
    Ok(listed)
}

/// Reads a source's bytes by their kind. `name` is its URL (links are resolved against
/// it when it is one) or path, for errors.
pub fn read_listing(bytes: &[u8], name: &str, config: &PollConfig) -> Result<Listed, PollError> {
    let limits = &config.limits;
    let base = crate::is_http_url(name).then_some(name);
    let kind = detect(bytes).kind;
    let read_err = |e: IngestError| PollError::Read(e.in_source(name));
    let mut notes = Vec::new();
    let pages: Vec<ListedPage> = match &kind {
        k if k.is_feed() => {
            let feed = parse_feed(bytes, base, limits).map_err(read_err)?;
            if feed.skipped_without_link > 0 {
                notes.push(format!(
                    "{} entries without a link skipped",
                    feed.skipped_without_link
                ));
            }
            feed.entries
                .into_iter()
                .map(|e| ListedPage {
                    url: e.url,
                    date: e.published.or(e.updated),
                    title: e.title,
                })
                .collect()
        }
        SourceKind::Sitemap { .. } | SourceKind::SitemapIndex => {
            let sitemap = parse_sitemap(bytes, base, limits).map_err(read_err)?;
            let mut pages: Vec<ListedPage> = sitemap
                .entries
                .into_iter()
                .map(|e| ListedPage {
                    url: e.url,
                    date: e.news_publication_date.or(e.lastmod),
                    title: e.news_title,
                })
                .collect();
            if sitemap.is_index {
                // Child sitemaps travel as pages until `follow_children` reads them.
                pages = sitemap
                    .children
                    .into_iter()
                    .map(|c| ListedPage {
                        url: c.url,
                        date: c.lastmod,
                        title: None,
                    })
                    .collect();
            }
            pages
        }
        SourceKind::UrlList => {
            let list = parse_url_list(bytes, limits).map_err(read_err)?;
            if let Some(first) = list.invalid.first() {
                notes.push(format!(
                    "{} lines are not URLs (the first is line {})",
                    list.invalid.len(),
                    first.line
                ));
            }
            list.urls
                .into_iter()
                .map(|url| ListedPage {
                    url,
                    date: None,
                    title: None,
                })
                .collect()
        }
        other => {
            let hint = match other {
                SourceKind::Opml => {
                    "; an OPML file lists feeds: import it as a sources file instead"
                }
                SourceKind::Html => "; give the address of the site's feed or sitemap",
                _ => "",
            };
            return Err(PollError::NotAListing {
                name: name.to_string(),
                kind: other.clone(),
                hint,
            });
        }
    };
    Ok(Listed {
        kind,
        pages,
        validators: Validators::none(),
        notes,
    })
}

/// Replaces a sitemap index's children (in `listed.pages`) by the pages of the ones
/// chosen by [`choose_children`].
fn follow_children(fetcher: &PoliteFetcher, listed: &mut Listed, config: &PollConfig) {
    let children = std::mem::take(&mut listed.pages);
    let total = children.len();
    let chosen = choose_children(children, config, Utc::now());
    if chosen.len() < total {
        listed.notes.push(format!(
            "read {} of the index's {total} sitemaps (the most recent)",
            chosen.len()
        ));
    }
    for child in chosen {
        let outcome = fetcher
            .fetch(&child.url, &Validators::none())
            .map_err(PollError::from)
            .and_then(|o| match o {
                FetchOutcome::Fetched(p) => read_listing(&p.body, &p.final_url, config),
                FetchOutcome::NotModified { .. } => Ok(Listed {
                    kind: SourceKind::Empty,
                    pages: Vec::new(),
                    validators: Validators::none(),
                    notes: Vec::new(),
                }),
            });
        match outcome {
            Ok(l) if l.kind == SourceKind::SitemapIndex => listed.notes.push(format!(
                "{}: a nested sitemap index, not followed",
                child.url
            )),
            Ok(l) => {
                listed.pages.extend(l.pages);
                listed.notes.extend(l.notes);
            }
            Err(e) => listed.notes.push(e.to_string()),
        }
    }
}

/// The child sitemaps to read: changed within `child_max_age` of `now`, else the most
/// recent; never more than `max_child_sitemaps`. Undated children come after dated
/// ones, in the index's order.
pub fn choose_children(
    mut children: Vec<ListedPage>,
    config: &PollConfig,
    now: DateTime<Utc>,
) -> Vec<ListedPage> {
    // Stable: undated children keep their order.
    children.sort_by_key(|c| std::cmp::Reverse(c.date));
    let max_age = chrono::Duration::from_std(config.child_max_age).unwrap_or(chrono::Duration::MAX);
    let recent = children
        .iter()
        .take_while(|c| {
            c.date
                .is_some_and(|d| now.signed_duration_since(d) <= max_age)
        })
        .count();
    children.truncate(recent.max(1).min(config.max_child_sitemaps));
    children
}

/// Canonical URLs, duplicates and unusable ones dropped, the most recent first when
/// dated (feeds list newest first already; sitemaps often do not), capped.
fn finish(pages: Vec<ListedPage>, max: usize) -> Vec<ListedPage> {
    let mut seen = HashSet::new();
    let mut out: Vec<ListedPage> = pages
        .into_iter()
        .filter_map(|mut p| {
            p.url = canonicalize(&p.url).ok()?.to_string();
            seen.insert(p.url.clone()).then_some(p)
        })
        .collect();
    if out.iter().any(|p| p.date.is_some()) {
        out.sort_by_key(|p| std::cmp::Reverse(p.date));
    }
    out.truncate(max);
    out
}

/// A file's modification time (nanoseconds since the epoch) and size: what tells a
/// changed file in a watched directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileStamp {
    /// Modification time, nanoseconds since 1970 (0 when unknown).
    pub mtime_ns: i64,
    /// Size in bytes.
    pub size: u64,
}

/// A directory's files now, and which are new or changed since `known`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DirScan {
    /// Every file, with its stamp: the `known` of the next scan.
    pub files: HashMap<PathBuf, FileStamp>,
    /// Files absent from `known` or with another stamp, sorted.
    pub changed: Vec<PathBuf>,
}

/// Walks a directory (sorted, hidden entries skipped, at most `max_files` files) and
/// tells the files that are new or changed since `known`.
pub fn scan_dir(
    dir: &Path,
    known: &HashMap<PathBuf, FileStamp>,
    max_files: usize,
) -> Result<DirScan, PollError> {
    let mut scan = DirScan::default();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| PollError::Io {
            path: d.display().to_string(),
            message: format!("cannot read the directory: {e}"),
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                if scan.files.len() >= max_files {
                    return Err(PollError::Io {
                        path: dir.display().to_string(),
                        message: format!("more than {max_files} files; watch a smaller directory"),
                    });
                }
                let stamp = FileStamp {
                    mtime_ns: meta.modified().map(nanos).unwrap_or(0),
                    size: meta.len(),
                };
                if known.get(&path) != Some(&stamp) {
                    scan.changed.push(path.clone());
                }
                scan.files.insert(path, stamp);
            }
        }
    }
    scan.changed.sort();
    Ok(scan)
}

fn nanos(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, date: Option<&str>) -> ListedPage {
        ListedPage {
            url: url.to_string(),
            date: date.map(|d| DateTime::parse_from_rfc3339(d).unwrap()),
            title: None,
        }
    }

    #[test]
    fn children_recent_first_and_bounded() {
        let now = DateTime::parse_from_rfc3339("2024-03-10T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let config = PollConfig {
            max_child_sitemaps: 2,
            ..PollConfig::default()
        };
        let kids = vec![
            page("https://a.example/old.xml", Some("2023-01-01T00:00:00Z")),
            page("https://a.example/undated.xml", None),
            page("https://a.example/today.xml", Some("2024-03-10T10:00:00Z")),
            page(
                "https://a.example/yesterday.xml",
                Some("2024-03-09T10:00:00Z"),
            ),
            page(
                "https://a.example/lastweek.xml",
                Some("2024-03-03T10:00:00Z"),
            ),
        ];
        let urls = |v: Vec<ListedPage>| v.into_iter().map(|p| p.url).collect::<Vec<_>>();
        assert_eq!(
            urls(choose_children(kids.clone(), &config, now)),
            [
                "https://a.example/today.xml",
                "https://a.example/yesterday.xml"
            ]
        );
        // Nothing recent: the single most recent.
        let old = vec![kids[0].clone(), kids[1].clone(), kids[4].clone()];
        assert_eq!(
            urls(choose_children(old, &config, now)),
            ["https://a.example/lastweek.xml"]
        );
    }

    #[test]
    fn listing_is_canonical_and_deduplicated() {
        let rss = br#"<rss version="2.0"><channel><title>T</title>
          <item><link>/a?utm_source=rss</link></item>
          <item><link>/a</link></item>
          <item><link>/b</link></item></channel></rss>"#;
        let listed = read_listing(rss, "https://news.example/rss", &PollConfig::default()).unwrap();
        let pages = finish(listed.pages, 10);
        let urls: Vec<_> = pages.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(urls, ["https://news.example/a", "https://news.example/b"]);
    }

    #[test]
    fn kinds_that_list_nothing_are_named() {
        let opml = br#"<?xml version="1.0"?><opml version="2.0"><body>
            <outline type="rss" xmlUrl="https://a.example/rss"/></body></opml>"#;
        let e = read_listing(opml, "subs.opml", &PollConfig::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("subs.opml: an OPML file is not a list of pages"),
            "{e}"
        );
        let e = read_listing(
            b"<rss><channel>",
            "https://x.example/rss",
            &PollConfig::default(),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("https://x.example/rss: "), "{e}");
    }

    #[test]
    fn directory_scan_sees_new_and_changed_files() {
        let dir = std::env::temp_dir().join(format!("vigie-scan-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a.html"), "a").unwrap();
        std::fs::write(dir.join("sub/b.html"), "b").unwrap();
        std::fs::write(dir.join(".hidden"), "h").unwrap();
        let first = scan_dir(&dir, &HashMap::new(), 100).unwrap();
        assert_eq!(first.changed.len(), 2);
        let again = scan_dir(&dir, &first.files, 100).unwrap();
        assert!(again.changed.is_empty());
        std::fs::write(dir.join("a.html"), "aa").unwrap();
        let changed = scan_dir(&dir, &first.files, 100).unwrap();
        assert_eq!(changed.changed, [dir.join("a.html")]);
        assert!(scan_dir(&dir, &HashMap::new(), 1).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
