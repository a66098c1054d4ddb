//! Article metadata from a page's declarations: JSON-LD, OpenGraph and `<meta>` tags,
//! `<time>`, `<link rel=canonical>`, the headline element and `<title>`.

pub mod authors;
pub mod dates;
pub mod jsonld;
pub mod title;

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};

use crate::html::{Document, Tag};

/// Metadata candidates read from one page.
#[derive(Debug, Default)]
pub struct PageMeta {
    /// `<meta name|property|itemprop=… content=…>`, keys lower-cased, first value kept.
    pub meta: HashMap<String, String>,
    /// The main JSON-LD article object.
    pub jsonld: Option<jsonld::JsonLdArticle>,
    /// Text of `<title>`.
    pub title_tag: Option<String>,
    /// Text of the first `<h1>`s in the body.
    pub h1: Vec<String>,
    /// `<link rel=canonical href>`.
    pub canonical: Option<String>,
    /// `<html lang>`.
    pub html_lang: Option<String>,
    /// `datetime` of `<time>` elements, in order.
    pub time_elements: Vec<String>,
    /// `rel=author` link texts.
    pub rel_authors: Vec<String>,
}

impl PageMeta {
    /// Reads all metadata candidates from a parsed page.
    pub fn read(doc: &Document) -> PageMeta {
        let mut pm = PageMeta::default();
        let mut scripts = Vec::new();
        for i in 1..doc.nodes.len() {
            let node = &doc.nodes[i];
            match node.tag {
                Tag::Meta => {
                    let key = doc
                        .attr(i, "property")
                        .or(doc.attr(i, "name"))
                        .or(doc.attr(i, "itemprop"));
                    if let (Some(k), Some(v)) = (key, doc.attr(i, "content")) {
                        let v = v.trim();
                        if !v.is_empty() {
                            pm.meta
                                .entry(k.trim().to_ascii_lowercase())
                                .or_insert_with(|| v.to_string());
                        }
                    }
                }
                Tag::Title if pm.title_tag.is_none() => {
                    pm.title_tag =
                        Some(normalize_space(&doc.subtree_text(i))).filter(|t| !t.is_empty());
                }
                Tag::H1 if pm.h1.len() < 5 => {
                    let t = normalize_space(&doc.subtree_text(i));
                    if !t.is_empty() {
                        pm.h1.push(t);
                    }
                }
                Tag::Link => {
                    let rel = doc.attr(i, "rel").unwrap_or("").to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") && pm.canonical.is_none() {
                        pm.canonical = doc.attr(i, "href").map(|h| h.trim().to_string());
                    }
                }
                Tag::A => {
                    let rel = doc.attr(i, "rel").unwrap_or("");
                    if rel
                        .split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("author"))
                        && pm.rel_authors.len() < 5
                    {
                        let t = normalize_space(&doc.subtree_text(i));
                        if !t.is_empty() {
                            pm.rel_authors.push(t);
                        }
                    }
                }
                Tag::Html if pm.html_lang.is_none() => {
                    pm.html_lang = doc.attr(i, "lang").map(str::to_string)
                }
                Tag::Time => {
                    if let Some(d) = doc.attr(i, "datetime") {
                        pm.time_elements.push(d.to_string());
                    }
                }
                Tag::Script => {
                    for j in i + 1..node.end as usize {
                        let t = doc.node_text(j);
                        if !t.is_empty() {
                            scripts.push(t);
                        }
                    }
                }
                _ => {
                    if let (Some(p), Some(d)) = (
                        doc.attr(i, "itemprop"),
                        doc.attr(i, "datetime").or(doc.attr(i, "content")),
                    ) {
                        pm.meta
                            .entry(p.to_ascii_lowercase())
                            .or_insert_with(|| d.to_string());
                    }
                }
            }
        }
        pm.jsonld = jsonld::parse(&scripts);
        pm
    }

    /// The first non-empty `<meta>` value among `keys`.
    pub fn get(&self, keys: &[&str]) -> Option<&str> {
        keys.iter()
            .find_map(|k| self.meta.get(*k))
            .map(String::as_str)
    }

    /// Publication time, best source first.
    pub fn published(&self, zone: Option<chrono_tz::Tz>) -> Option<DateTime<FixedOffset>> {
        let jsonld = self.jsonld.as_ref().and_then(|j| j.published.as_deref());
        let candidates = jsonld.into_iter().chain(self.get(&[
            "article:published_time",
            "og:published_time",
            "datepublished",
            "article.published",
            "publishdate",
            "publish-date",
            "pubdate",
            "date",
            "dc.date",
            "dc.date.issued",
            "dcterms.date",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
            "citation_date",
        ]));
        candidates
            .chain(self.time_elements.iter().map(String::as_str))
            .find_map(|c| dates::parse_machine(c, zone))
    }

    /// Last update time, when the page declares one.
    pub fn updated(&self, zone: Option<chrono_tz::Tz>) -> Option<DateTime<FixedOffset>> {
        let jsonld = self.jsonld.as_ref().and_then(|j| j.modified.as_deref());
        jsonld
            .into_iter()
            .chain(self.get(&[
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "last-modified",
                "dcterms.modified",
            ]))
            .find_map(|c| dates::parse_machine(c, zone))
    }

    /// Author names from the page's declarations.
    pub fn authors(&self) -> Vec<String> {
        if let Some(j) = &self.jsonld {
            if !j.authors.is_empty() {
                return dedup(j.authors.clone());
            }
        }
        for key in [
            "author",
            "article:author",
            "dc.creator",
            "sailthru.author",
            "parsely-author",
            "byl",
        ] {
            if let Some(v) = self.meta.get(key) {
                if !v.starts_with("http") {
                    let v = v.trim_start_matches("By ").trim_start_matches("by ");
                    return dedup(
                        v.split([',', ';'])
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect(),
                    );
                }
            }
        }
        dedup(self.rel_authors.clone())
    }

    /// The publication's name.
    pub fn site(&self) -> Option<String> {
        self.get(&["og:site_name", "application-name", "twitter:site"])
            .map(|s| s.trim_start_matches('@').to_string())
            .or_else(|| self.jsonld.as_ref().and_then(|j| j.publisher.clone()))
    }
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in v {
        let s = normalize_space(&s);
        if !s.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
            out.push(s);
        }
    }
    out
}

/// Collapses runs of white space to one space and trims.
pub fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
