//! OPML subscription lists, as feed readers export them.
//!
//! Every `<outline>` with an `xmlUrl` is a subscription, at any depth; outlines without
//! one are folders, whose titles become the subscription's category path. Attribute
//! names are matched case-insensitively (`xmlurl` and `XMLURL` are seen in the wild).

use quick_xml::events::{BytesStart, Event};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::kind::{detect, SourceKind};
use crate::sitemap::absolute;
use crate::text::{collapse_ws, decode_xml, non_empty};
use crate::{xml, IngestError, Limits};

/// One feed subscription.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// The feed's address (`xmlUrl`).
    pub feed_url: String,
    /// The subscription's name: `title`, else `text`.
    pub title: Option<String>,
    /// The site's home page (`htmlUrl`).
    pub site_url: Option<String>,
    /// Titles of the folders the outline sits in, outermost first.
    pub categories: Vec<String>,
}

/// An OPML file read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opml {
    /// The document's `<head><title>`.
    pub title: Option<String>,
    /// Subscriptions in document order.
    pub subscriptions: Vec<Subscription>,
    /// Outlines whose `xmlUrl` is not an http(s) URL.
    pub skipped: usize,
}

/// Reads an OPML file. `base_url` resolves relative `xmlUrl`s. Errors: empty input,
/// input over [`Limits::max_document_bytes`], not OPML, malformed or truncated XML,
/// nesting over [`Limits::max_depth`], more than [`Limits::max_entries`] subscriptions.
pub fn parse_opml(
    bytes: &[u8],
    base_url: Option<&str>,
    limits: &Limits,
) -> Result<Opml, IngestError> {
    let bytes = crate::limits::document("OPML file", bytes, limits)?;
    match detect(&bytes).kind {
        SourceKind::Opml => {}
        SourceKind::Empty => return Err(IngestError::Empty { input: "OPML file" }),
        k => {
            return Err(IngestError::WrongKind {
                expected: "OPML file",
                found: k.to_string(),
            })
        }
    }
    let text = decode_xml(&bytes);
    let base = base_url.and_then(|u| Url::parse(u).ok());
    let mut r = xml::reader(&text);
    let mut out = Opml::default();
    // Open elements; for outlines, the folder title they push (if any).
    let mut stack: Vec<(String, Option<String>)> = Vec::new();
    let mut buf = String::new();
    loop {
        let event = r
            .read_event()
            .map_err(|e| xml::xml_error("OPML file", &r, e))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let name = xml::local_name(e);
                let folder = if name.eq_ignore_ascii_case("outline") {
                    outline(e, &stack, base.as_ref(), &mut out, limits)?
                } else {
                    None
                };
                if matches!(event, Event::Start(_)) {
                    stack.push((name, folder));
                    if stack.len() > limits.max_depth {
                        return Err(IngestError::TooDeep {
                            input: "OPML file",
                            limit: limits.max_depth,
                        });
                    }
                    buf.clear();
                }
            }
            Event::End(_) => {
                if let Some((name, _)) = stack.pop() {
                    let in_head = stack.last().is_some_and(|(p, _)| p == "head");
                    if name == "title" && in_head {
                        out.title = non_empty(collapse_ws(&buf));
                    }
                }
                buf.clear();
            }
            Event::Eof => {
                if let Some((open, _)) = stack.last() {
                    return Err(xml::truncated("OPML file", &r, open));
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

/// Records an outline's subscription; returns its title when it is a folder.
fn outline(
    e: &BytesStart<'_>,
    stack: &[(String, Option<String>)],
    base: Option<&Url>,
    out: &mut Opml,
    limits: &Limits,
) -> Result<Option<String>, IngestError> {
    let title = xml::attribute(e, "title")
        .and_then(|t| non_empty(collapse_ws(&t)))
        .or_else(|| xml::attribute(e, "text").and_then(|t| non_empty(collapse_ws(&t))));
    let Some(feed) = xml::attribute(e, "xmlUrl") else {
        return Ok(title);
    };
    let Some(feed_url) = absolute(&feed, base) else {
        out.skipped += 1;
        return Ok(None);
    };
    out.subscriptions.push(Subscription {
        feed_url,
        title,
        site_url: xml::attribute(e, "htmlUrl").and_then(|u| absolute(&u, base)),
        categories: stack.iter().filter_map(|(_, f)| f.clone()).collect(),
    });
    if out.subscriptions.len() > limits.max_entries {
        return Err(IngestError::TooManyEntries {
            input: "OPML file",
            limit: limits.max_entries,
            option: "max_entries",
        });
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_categories() {
        let o = parse_opml(
            br#"<opml version="2.0"><head><title>Mes flux</title></head><body>
            <outline text="Presse"><outline text="Sport"><outline type="rss" text="L'Equipe" xmlUrl="https://example.fr/rss" htmlUrl="https://example.fr/"/></outline></outline>
            <outline type="rss" title="Top" text="ignored" XMLURL="https://news.example.com/top.xml"/>
            <outline text="broken" xmlUrl="javascript:alert(1)"/>
            </body></opml>"#,
            None,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(o.title.as_deref(), Some("Mes flux"));
        assert_eq!(o.subscriptions.len(), 2);
        assert_eq!(o.subscriptions[0].categories, ["Presse", "Sport"]);
        assert_eq!(o.subscriptions[0].title.as_deref(), Some("L'Equipe"));
        assert_eq!(
            o.subscriptions[0].site_url.as_deref(),
            Some("https://example.fr/")
        );
        assert_eq!(o.subscriptions[1].title.as_deref(), Some("Top"));
        assert!(o.subscriptions[1].categories.is_empty());
        assert_eq!(o.skipped, 1);
    }
}
