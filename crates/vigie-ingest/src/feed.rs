//! RSS 0.9x/1.0/2.0, Atom and JSON Feed into one plain list of entries.
//!
//! `feed-rs` does the format work; this module makes its model plain and robust:
//! the bytes are decoded here first (feeds lie about their encoding, see
//! [`text`](crate::text)), nesting and truncation are checked before `feed-rs` sees the
//! document, titles and summaries are stripped of HTML, links are resolved against the
//! feed's address, and dates keep the offset they were written in (`feed-rs` reads
//! them as UTC; a date parser of ours records each date's own offset on the way).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::kind::{detect, SourceKind};
use crate::text::{decode_xml, html_to_text, non_empty, with_utf8_prolog};
use crate::{dates, decompress, xml, IngestError, Limits};

/// One entry of a feed: an article to fetch and what the feed says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedEntry {
    /// The article's address, absolute (resolved against the feed's address).
    pub url: String,
    /// The headline as plain text (feeds put HTML in titles).
    pub title: Option<String>,
    /// First publication time, in the offset the feed wrote it in.
    pub published: Option<DateTime<FixedOffset>>,
    /// Last update time.
    pub updated: Option<DateTime<FixedOffset>>,
    /// The summary or description as plain text.
    pub summary: Option<String>,
    /// Author names as written.
    pub authors: Vec<String>,
    /// The entry's language tag, else the feed's (`fr`, `en-GB`).
    pub lang: Option<String>,
}

/// A feed read: its title and entries, and how many entries were left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    /// What kind of feed it was.
    #[serde(skip)]
    pub kind: Option<SourceKind>,
    /// The feed's title as plain text.
    pub title: Option<String>,
    /// The feed's language tag.
    pub lang: Option<String>,
    /// Entries with a usable http(s) link, in feed order.
    pub entries: Vec<FeedEntry>,
    /// Entries skipped because they had no http(s) link (nothing to fetch).
    pub skipped_without_link: usize,
}

/// Reads an RSS, Atom or JSON feed (gzip-compressed or not).
///
/// `feed_url` is the feed's own address: relative links resolve against it. Errors:
/// empty input, input over [`Limits::max_feed_bytes`], input that is not a feed (an
/// HTML page, a sitemap: the error says which), XML nested deeper than
/// [`Limits::max_depth`] or cut short, more entries than [`Limits::max_entries`], or a
/// document `feed-rs` cannot read. Bad dates are `None` and the entry is kept.
pub fn parse_feed(
    bytes: &[u8],
    feed_url: Option<&str>,
    limits: &Limits,
) -> Result<Feed, IngestError> {
    crate::limits::check_size("feed", bytes.len(), limits.max_feed_bytes, "max_feed_bytes")?;
    let bytes = decompress(bytes, limits)?;
    crate::limits::check_size("feed", bytes.len(), limits.max_feed_bytes, "max_feed_bytes")?;
    let kind = detect(&bytes).kind;
    match &kind {
        SourceKind::Empty => return Err(IngestError::Empty { input: "feed" }),
        k if k.is_feed() => {}
        k => {
            return Err(IngestError::WrongKind {
                expected: "feed",
                found: k.to_string(),
            })
        }
    }
    let text = decode_xml(&bytes);
    let is_xml = kind != SourceKind::JsonFeed;
    if is_xml {
        xml::check_structure(&text, "feed", limits.max_depth)?;
        // Refuse a feed with too many entries before feed-rs builds them all.
        if count_entries(&text) > limits.max_entries {
            return Err(too_many(limits));
        }
    }
    let text = if is_xml {
        with_utf8_prolog(&text)
    } else {
        text
    };

    let base = feed_url.and_then(|u| Url::parse(u).ok());
    let offsets: Arc<Mutex<HashMap<DateTime<Utc>, FixedOffset>>> = Arc::default();
    let recorded = Arc::clone(&offsets);
    let parser = feed_rs::parser::Builder::new()
        .base_uri(feed_url)
        .timestamp_parser(move |s| {
            let d = dates::parse_date(s)?;
            let utc = d.with_timezone(&Utc);
            if let Ok(mut map) = recorded.lock() {
                map.insert(utc, *d.offset());
            }
            Some(utc)
        })
        .build();
    let parsed = parser
        .parse(text.as_bytes())
        .map_err(|e| IngestError::Feed {
            message: e.to_string(),
        })?;
    if parsed.entries.len() > limits.max_entries {
        return Err(too_many(limits));
    }
    let offsets = offsets.lock().map(|m| m.clone()).unwrap_or_default();
    let with_offset = |d: Option<DateTime<Utc>>| {
        d.map(|d| match offsets.get(&d) {
            Some(offset) => d.with_timezone(offset),
            None => d.fixed_offset(),
        })
    };

    let feed_lang = parsed.language.as_deref().and_then(clean_lang);
    let mut entries = Vec::with_capacity(parsed.entries.len());
    let mut skipped = 0;
    for e in &parsed.entries {
        let Some(url) = entry_url(e, base.as_ref()) else {
            skipped += 1;
            continue;
        };
        let published = with_offset(e.published);
        // RSS has no update date; feed-rs copies the publication date there.
        let updated = with_offset(e.updated).filter(|u| Some(*u) != published);
        entries.push(FeedEntry {
            url,
            title: e
                .title
                .as_ref()
                .and_then(|t| non_empty(html_to_text(&t.content))),
            published,
            updated,
            summary: e
                .summary
                .as_ref()
                .and_then(|t| non_empty(html_to_text(&t.content))),
            authors: e
                .authors
                .iter()
                .filter_map(|p| p.name.as_deref().and_then(|n| non_empty(html_to_text(n))))
                .collect(),
            lang: e
                .language
                .as_deref()
                .and_then(clean_lang)
                .or_else(|| feed_lang.clone()),
        });
    }
    Ok(Feed {
        kind: Some(kind),
        title: parsed
            .title
            .as_ref()
            .and_then(|t| non_empty(html_to_text(&t.content))),
        lang: feed_lang,
        entries,
        skipped_without_link: skipped,
    })
}

fn too_many(limits: &Limits) -> IngestError {
    IngestError::TooManyEntries {
        input: "feed",
        limit: limits.max_entries,
        option: "max_entries",
    }
}

/// Start tags named `item` or `entry` (unprefixed): an upper bound on a feed's entries
/// that costs one scan.
fn count_entries(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    for tag in [&b"<item"[..], b"<entry"] {
        for at in memchr::memmem::find_iter(bytes, tag) {
            let next = bytes.get(at + tag.len()).copied().unwrap_or(b'>');
            if next == b'>' || next == b'/' || next.is_ascii_whitespace() {
                count += 1;
            }
        }
    }
    count
}

/// The entry's article address: its first alternate link (not a comments link or an
/// enclosure), else any link, else its id when that is an http(s) URL (RSS `<guid>`
/// permalinks); resolved against the feed's address, http(s) only.
fn entry_url(e: &feed_rs::model::Entry, base: Option<&Url>) -> Option<String> {
    let alternate = e
        .links
        .iter()
        .filter(|l| l.target.is_none())
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"));
    let candidates = alternate
        .into_iter()
        .chain(e.links.iter().filter(|l| l.target.is_none()))
        .map(|l| l.href.as_str())
        .chain(std::iter::once(e.id.as_str()).filter(|id| {
            let id = id.trim_start();
            id.starts_with("http://") || id.starts_with("https://")
        }));
    for href in candidates {
        let href = href.trim();
        if href.is_empty() {
            continue;
        }
        let resolved = match base {
            Some(b) => b.join(href),
            None => Url::parse(href),
        };
        if let Ok(u) = resolved {
            if matches!(u.scheme(), "http" | "https") && u.host().is_some() {
                return Some(u.to_string());
            }
        }
    }
    None
}

/// A language tag in its conventional case (`fr-FR`, `zh-Hant-TW`, `en`), `_` read as
/// `-`; none when empty or too long to be a tag.
fn clean_lang(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 35 {
        return None;
    }
    let parts: Vec<String> = s
        .split(['-', '_'])
        .enumerate()
        .map(|(i, p)| match (i, p.len()) {
            (0, _) => p.to_ascii_lowercase(),
            (_, 2) => p.to_ascii_uppercase(),
            (_, 4) => {
                let lower = p.to_ascii_lowercase();
                lower[..1].to_ascii_uppercase() + &lower[1..]
            }
            _ => p.to_ascii_lowercase(),
        })
        .collect();
    Some(parts.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(doc: &str, url: Option<&str>) -> Feed {
        parse_feed(doc.as_bytes(), url, &Limits::default()).unwrap()
    }

    #[test]
    fn rss2_entry_is_plain() {
        let f = feed(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Le Fil</title><language>fr</language>
            <item><title>Élections &lt;b&gt;municipales&lt;/b&gt;</title><link>/2024/03/05/elections</link>
            <pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate><description>&lt;p&gt;Le &lt;i&gt;premier&lt;/i&gt; tour.&lt;/p&gt;</description>
            <author>redaction@example.fr (Marie Durand)</author></item></channel></rss>"#,
            Some("https://www.example.fr/rss.xml"),
        );
        assert_eq!(f.title.as_deref(), Some("Le Fil"));
        let e = &f.entries[0];
        assert_eq!(e.url, "https://www.example.fr/2024/03/05/elections");
        assert_eq!(e.title.as_deref(), Some("Élections municipales"));
        assert_eq!(e.summary.as_deref(), Some("Le premier tour."));
        assert_eq!(
            e.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-03-05T10:00:00+01:00")
        );
        assert_eq!(e.updated, None);
        assert_eq!(e.lang.as_deref(), Some("fr"));
        assert_eq!(e.authors.len(), 1);
    }

    #[test]
    fn language_tags_take_their_usual_case() {
        assert_eq!(clean_lang(" fr-fr ").as_deref(), Some("fr-FR"));
        assert_eq!(clean_lang("EN_us").as_deref(), Some("en-US"));
        assert_eq!(clean_lang("zh-hant-tw").as_deref(), Some("zh-Hant-TW"));
        assert_eq!(clean_lang(""), None);
    }

    #[test]
    fn guid_permalink_stands_in_for_a_missing_link() {
        let f = feed(
            r#"<rss version="2.0"><channel><item><title>A</title><guid isPermaLink="true">https://example.org/a</guid></item>
            <item><title>B</title><guid isPermaLink="false">tag:example.org,2024:b</guid></item></channel></rss>"#,
            None,
        );
        assert_eq!(f.entries.len(), 1);
        assert_eq!(f.entries[0].url, "https://example.org/a");
        assert_eq!(f.skipped_without_link, 1);
    }

    #[test]
    fn relative_link_without_feed_url_is_skipped() {
        let f = feed(
            r#"<rss version="2.0"><channel><item><title>A</title><link>/a</link></item></channel></rss>"#,
            None,
        );
        assert!(f.entries.is_empty());
        assert_eq!(f.skipped_without_link, 1);
    }
}
