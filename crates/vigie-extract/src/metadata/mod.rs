//! Article metadata from a page's declarations: JSON-LD, OpenGraph and `<meta>` tags,
//! `<time>`, `<link rel=canonical>`, the headline element and `<title>`.

pub mod authors;
pub mod dates;
pub mod jsonld;
pub mod relative;
pub mod resolve;
pub mod title;
pub mod topics;
pub mod visible;
pub mod zone;

use std::collections::HashMap;

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
    /// Every `<meta property="article:tag">` value, in order (OpenGraph repeats the tag).
    pub article_tags: Vec<String>,
}

/// Most `article:tag` values kept from one page.
const MAX_ARTICLE_TAGS: usize = 200;

impl PageMeta {
    /// Reads all metadata candidates from a parsed page.
    pub fn read(doc: &Document) -> PageMeta {
        let mut pm = PageMeta::default();
        let mut scripts = Vec::new();
        for i in 1..doc.nodes.len() {
            let node = &doc.nodes[i];
            match node.tag {
                // No attributes, nothing to read.
                Tag::Text => {}
                Tag::Meta => {
                    let key = doc
                        .attr(i, "property")
                        .or(doc.attr(i, "name"))
                        .or(doc.attr(i, "itemprop"));
                    if let (Some(k), Some(v)) = (key, doc.attr(i, "content")) {
                        let v = v.trim();
                        let k = k.trim().to_ascii_lowercase();
                        if !v.is_empty() {
                            if k == "article:tag" && pm.article_tags.len() < MAX_ARTICLE_TAGS {
                                pm.article_tags.push(v.to_string());
                            }
                            pm.meta.entry(k).or_insert_with(|| v.to_string());
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
                    // Microdata and RDFa on any element: itemprop="datePublished",
                    // property="schema:dateCreated" content="…".
                    // One pass over the attributes (most elements have none of these).
                    let [itemprop, property, datetime, content] =
                        attrs_of(doc, i, ["itemprop", "property", "datetime", "content"]);
                    if let (Some(p), Some(d)) = (itemprop.or(property), datetime.or(content)) {
                        let key = p.trim().to_ascii_lowercase();
                        let key = match key.strip_prefix("schema:") {
                            Some(k) => k.to_string(),
                            None if key.starts_with("dc:") || key.starts_with("dcterms:") => {
                                key.replace(':', ".")
                            }
                            None => key,
                        };
                        pm.meta.entry(key).or_insert_with(|| d.to_string());
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

    /// The publication's name.
    pub fn site(&self) -> Option<String> {
        self.get(&["og:site_name", "application-name", "twitter:site"])
            .map(|s| s.trim_start_matches('@').to_string())
            .or_else(|| self.jsonld.as_ref().and_then(|j| j.publisher.clone()))
    }
}

/// The values of attributes `names` on element `i`, each the first of its name (as
/// `Document::attr` reads it), in one pass over the element's attributes.
pub(crate) fn attrs_of<'d, const N: usize>(
    doc: &'d Document,
    i: usize,
    names: [&str; N],
) -> [Option<&'d str>; N] {
    let mut out = [None; N];
    for (name, value) in doc.attrs(i) {
        if let Some(k) = names.iter().position(|n| *n == name) {
            if out[k].is_none() {
                out[k] = Some(value);
            }
        }
    }
    out
}

/// Lower-case ASCII words, found in a text in any ASCII case, as `to_ascii_lowercase`
/// and `contains` find them, without copying the text: class and id names are tested
/// on every element of every page.
pub(crate) struct AsciiWords {
    words: &'static [&'static str],
    /// Per byte: the words (as bits) that start with it, in either case.
    first: [u32; 256],
}

impl AsciiWords {
    /// The set of `words` (at most 32, lower-case ASCII, none empty).
    pub(crate) const fn new(words: &'static [&'static str]) -> AsciiWords {
        assert!(words.len() <= 32);
        let mut first = [0u32; 256];
        let mut i = 0;
        while i < words.len() {
            let b = words[i].as_bytes()[0];
            first[b.to_ascii_lowercase() as usize] |= 1 << i;
            first[b.to_ascii_uppercase() as usize] |= 1 << i;
            i += 1;
        }
        AsciiWords { words, first }
    }

    /// True when `text` holds one of the words, in any ASCII case.
    pub(crate) fn in_text(&self, text: &str) -> bool {
        let t = text.as_bytes();
        for i in 0..t.len() {
            let mut starts = self.first[t[i] as usize];
            while starts != 0 {
                let w = self.words[starts.trailing_zeros() as usize].as_bytes();
                starts &= starts - 1;
                if let Some(s) = t.get(i + 1..i + w.len()) {
                    if s.eq_ignore_ascii_case(&w[1..]) {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// Collapses runs of white space to one space and trims.
pub fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
