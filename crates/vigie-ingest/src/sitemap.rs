//! XML sitemaps, Google News sitemaps and sitemap indexes.
//!
//! Elements are matched by local name within their parent (`news:title` only inside
//! `news:news`, `loc` only inside `url` or `sitemap`, so an `image:loc` is not taken
//! for the page), whatever prefixes the file binds; text is trimmed. A `<url>` whose
//! `loc` is missing or not an http(s) URL is skipped and counted.

use chrono::{DateTime, FixedOffset};
use quick_xml::events::Event;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::kind::{detect, SourceKind};
use crate::text::{decode_xml, non_empty};
use crate::{dates, xml, IngestError, Limits};

/// One page listed by a sitemap.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SitemapEntry {
    /// The page's address.
    pub url: String,
    /// When the page last changed, as the site says.
    pub lastmod: Option<DateTime<FixedOffset>>,
    /// Google News: the article's headline.
    pub news_title: Option<String>,
    /// Google News: the article's publication time.
    pub news_publication_date: Option<DateTime<FixedOffset>>,
    /// Google News: the publication's language (ISO 639).
    pub news_language: Option<String>,
    /// Google News: the publication's name.
    pub news_publication: Option<String>,
}

/// One sitemap listed by a sitemap index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChildSitemap {
    /// The child sitemap's address.
    pub url: String,
    /// When it last changed.
    pub lastmod: Option<DateTime<FixedOffset>>,
}

/// A sitemap read: pages for a `<urlset>`, child sitemaps for a `<sitemapindex>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sitemap {
    /// The file is a sitemap index.
    pub is_index: bool,
    /// Pages listed (a `<urlset>`).
    pub entries: Vec<SitemapEntry>,
    /// Child sitemaps listed (a `<sitemapindex>`).
    pub children: Vec<ChildSitemap>,
    /// Entries skipped for a missing or unusable `<loc>`.
    pub skipped: usize,
}

/// Reads a sitemap or sitemap index (gzip-compressed or not).
///
/// `base_url` (the sitemap's own address) resolves relative `<loc>`s, which the
/// protocol forbids but sites write. Errors: empty input, input over
/// [`Limits::max_document_bytes`], not a sitemap, malformed or truncated XML, nesting
/// over [`Limits::max_depth`], more than [`Limits::max_sitemap_entries`] entries.
pub fn parse_sitemap(
    bytes: &[u8],
    base_url: Option<&str>,
    limits: &Limits,
) -> Result<Sitemap, IngestError> {
    let bytes = crate::limits::document("sitemap", bytes, limits)?;
    match detect(&bytes).kind {
        SourceKind::Sitemap { .. } | SourceKind::SitemapIndex => {}
        SourceKind::Empty => return Err(IngestError::Empty { input: "sitemap" }),
        k => {
            return Err(IngestError::WrongKind {
                expected: "sitemap",
                found: k.to_string(),
            })
        }
    }
    let text = decode_xml(&bytes);
    let base = base_url.and_then(|u| Url::parse(u).ok());
    let mut r = xml::reader(&text);
    let mut out = Sitemap::default();
    let mut stack: Vec<String> = Vec::new();
    let mut buf = String::new();
    let mut entry = SitemapEntry::default();
    let mut child = ChildSitemap::default();
    loop {
        let event = r
            .read_event()
            .map_err(|e| xml::xml_error("sitemap", &r, e))?;
        match &event {
            Event::Start(e) => {
                let name = xml::local_name(e);
                if stack.is_empty() && name == "sitemapindex" {
                    out.is_index = true;
                }
                match (stack.last().map(String::as_str), name.as_str()) {
                    (Some("urlset"), "url") => entry = SitemapEntry::default(),
                    (Some("sitemapindex"), "sitemap") => child = ChildSitemap::default(),
                    _ => {}
                }
                stack.push(name);
                if stack.len() > limits.max_depth {
                    return Err(IngestError::TooDeep {
                        input: "sitemap",
                        limit: limits.max_depth,
                    });
                }
                buf.clear();
            }
            Event::End(_) => {
                let Some(name) = stack.pop() else {
                    continue;
                };
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = buf.trim();
                match (parent, name.as_str()) {
                    ("url", "loc") => entry.url = value.to_string(),
                    ("url", "lastmod") => entry.lastmod = dates::parse_iso(value),
                    ("news", "title") => entry.news_title = non_empty(value.to_string()),
                    ("news", "publication_date") => {
                        entry.news_publication_date = dates::parse_iso(value)
                    }
                    ("publication", "language") => {
                        entry.news_language = non_empty(value.to_string())
                    }
                    ("publication", "name") => {
                        entry.news_publication = non_empty(value.to_string())
                    }
                    ("sitemap", "loc") => child.url = value.to_string(),
                    ("sitemap", "lastmod") => child.lastmod = dates::parse_iso(value),
                    ("urlset", "url") => {
                        let mut e = std::mem::take(&mut entry);
                        match absolute(&e.url, base.as_ref()) {
                            Some(u) => {
                                e.url = u;
                                out.entries.push(e);
                                check_count(&out, limits)?;
                            }
                            None => out.skipped += 1,
                        }
                    }
                    ("sitemapindex", "sitemap") => {
                        let mut c = std::mem::take(&mut child);
                        match absolute(&c.url, base.as_ref()) {
                            Some(u) => {
                                c.url = u;
                                out.children.push(c);
                                check_count(&out, limits)?;
                            }
                            None => out.skipped += 1,
                        }
                    }
                    _ => {}
                }
                buf.clear();
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(xml::truncated("sitemap", &r, open));
                }
                break;
            }
            e => {
                xml::push_text(&mut buf, e);
            }
        }
    }
    Ok(out)
}

fn check_count(out: &Sitemap, limits: &Limits) -> Result<(), IngestError> {
    if out.entries.len() + out.children.len() > limits.max_sitemap_entries {
        return Err(IngestError::TooManyEntries {
            input: "sitemap",
            limit: limits.max_sitemap_entries,
            option: "max_sitemap_entries",
        });
    }
    Ok(())
}

/// An absolute http(s) URL from a `<loc>`, resolved against the base when relative.
pub(crate) fn absolute(loc: &str, base: Option<&Url>) -> Option<String> {
    let loc = loc.trim();
    if loc.is_empty() {
        return None;
    }
    let u = match base {
        Some(b) => b.join(loc).ok()?,
        None => Url::parse(loc).ok()?,
    };
    (matches!(u.scheme(), "http" | "https") && u.host().is_some()).then(|| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(doc: &str) -> Result<Sitemap, IngestError> {
        parse_sitemap(doc.as_bytes(), None, &Limits::default())
    }

    #[test]
    fn image_loc_is_not_the_page() {
        let s = parse(
            r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
            <url><loc>https://example.org/a</loc><image:image><image:loc>https://cdn.example.org/a.jpg</image:loc></image:image></url></urlset>"#,
        )
        .unwrap();
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.entries[0].url, "https://example.org/a");
    }

    #[test]
    fn bad_locs_are_skipped_and_counted() {
        let s = parse(
            r#"<urlset><url><loc>ftp://example.org/x</loc></url><url><lastmod>2024-01-01</lastmod></url>
            <url><loc>https://example.org/ok?a=1&b=2</loc><lastmod>not a date</lastmod></url></urlset>"#,
        )
        .unwrap();
        assert_eq!(s.skipped, 2);
        assert_eq!(s.entries[0].url, "https://example.org/ok?a=1&b=2");
        assert_eq!(s.entries[0].lastmod, None);
    }

    #[test]
    fn cap_on_entries() {
        let mut doc = String::from("<urlset>");
        for i in 0..11 {
            doc.push_str(&format!("<url><loc>https://example.org/{i}</loc></url>"));
        }
        doc.push_str("</urlset>");
        let limits = Limits {
            max_sitemap_entries: 10,
            ..Limits::default()
        };
        let err = parse_sitemap(doc.as_bytes(), None, &limits).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the sitemap holds more than 10 entries (Limits::max_sitemap_entries)"
        );
    }
}
