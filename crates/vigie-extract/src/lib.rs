//! News article extraction: a page in, a clean [`Article`] out.
//!
//! Two entry points:
//! - [`extract_html`] reads raw HTML bytes (any charset) and finds the article's text,
//!   title, authors, dates, language and pictures;
//! - [`extract_text`] reads text a scraper already pulled out of a page and tells the
//!   title, lead, byline, dateline, captions and body apart from the page's furniture.
//!
//! ```
//! use vigie_extract::{extract_html, Options};
//!
//! let page = br#"<html lang="en"><head><title>Rain returns to Paris | Daily</title></head>
//! <body><nav><a href="/">Home</a></nav><article><h1>Rain returns to Paris</h1>
//! <p>After a dry month, heavy rain fell on Paris on Monday, flooding several streets.</p>
//! <p>Forecasters expect the weather to stay wet for the rest of the week, they said.</p>
//! </article><footer>&copy; Daily</footer></body></html>"#;
//! let article = extract_html(page, None, &Options::default()).unwrap();
//! assert_eq!(article.title.as_deref(), Some("Rain returns to Paris"));
//! assert_eq!(article.body.len(), 2);
//! assert!(!article.text.contains("Home"));
//! ```

pub mod boilerplate;
pub mod charset;
pub mod content;
pub mod html;
pub mod images;
pub mod lang;
pub mod metadata;
pub mod text;

mod error;
mod options;

pub use error::ExtractError;
pub use options::{InputKind, Options};
pub use vigie_core::{Article, Block, BlockKind, Image};

use html::{Document, ParseLimits, Tag};
use metadata::{resolve, title, topics, zone, PageMeta};

/// Extracts the article from an HTML page.
///
/// `base_url` is the address the page came from; it resolves relative links and
/// hints at the site's time zone. Errors name the problem: an empty page, a page over
/// [`Options::max_input_bytes`], or bytes that are not a web page.
pub fn extract_html(
    bytes: &[u8],
    base_url: Option<&str>,
    options: &Options,
) -> Result<Article, ExtractError> {
    let (doc, _) = parse_page(bytes, options)?;
    Ok(article_from_document(&doc, base_url, options))
}

/// Explains how the body of an HTML page was chosen: the selected elements, then every
/// text block with its statistics, `+` for kept in the body and `-` for left out.
/// The report is for people (`vigie extract --explain`), not for parsing.
pub fn explain_html(bytes: &[u8], options: &Options) -> Result<String, ExtractError> {
    explain_html_at(bytes, None, options)
}

/// Like [`explain_html`], for a page read from `base_url` (which hints at the site's
/// time zone); the report ends with each metadata field's candidates, by source, the
/// chosen one marked `*`, including the time zone assumed for times written without an
/// offset and where it came from.
pub fn explain_html_at(
    bytes: &[u8],
    base_url: Option<&str>,
    options: &Options,
) -> Result<String, ExtractError> {
    use std::fmt::Write;
    let (doc, charset_source) = parse_page(bytes, options)?;
    let Analysis {
        blocks,
        roots,
        body,
        ..
    } = analyse(&doc);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "charset from {charset_source:?}; {} nodes, {} text blocks",
        doc.nodes.len(),
        blocks.len()
    );
    for &r in &roots {
        let _ = writeln!(
            out,
            "body element #{r} <{:?}> class={:?} id={:?}",
            doc.nodes[r].tag,
            doc.attr(r, "class").unwrap_or(""),
            doc.attr(r, "id").unwrap_or("")
        );
    }
    let (article, reports) = article_and_report(&doc, base_url, options, true);
    // The article's last paragraph, when the metadata showed it presents the author.
    let author_box = (article.body.len() < body.len())
        .then(|| body.last())
        .flatten();
    for b in &blocks {
        let text = b.text.trim();
        let dropped = author_box.is_some_and(|k| k.text.contains(text));
        let kept = !dropped && body.iter().any(|k| k.text.contains(text));
        let _ = writeln!(
            out,
            "{} #{:<6} {:<14} links {:>3.0}% {:>5} chars  {:.90}{}",
            if kept { '+' } else { '-' },
            b.owner,
            format!("{:?}", b.role),
            100.0 * b.link_density(),
            b.chars,
            b.text.replace('\n', " / "),
            if dropped { "  (author box)" } else { "" }
        );
    }
    for r in &reports {
        let _ = writeln!(out, "{}:", r.field);
        if r.candidates.is_empty() {
            let _ = writeln!(out, "    (no candidate)");
        }
        for (i, c) in r.candidates.iter().enumerate() {
            let mark = if Some(i) == r.winner { '*' } else { ' ' };
            let note = c.note.map(|n| format!("  ({n})")).unwrap_or_default();
            let _ = writeln!(out, "  {mark} {:<34} {:.100}{note}", c.source, c.value);
        }
    }
    Ok(out)
}

/// Extracts the article from text already pulled out of a page (one block per line).
///
/// ```
/// use vigie_extract::{extract_text, Options};
///
/// let text = "Publicité\n\nFloods in Paris after a dry month\n\nBy Jane Doe\n\n\
/// Heavy rain fell on Paris on Monday, flooding several streets and closing two metro lines.\n\n\
/// Forecasters expect the weather to stay wet for the rest of the week, they said on Tuesday.\n";
/// let article = extract_text(text, &Options::default()).unwrap();
/// assert_eq!(article.title.as_deref(), Some("Floods in Paris after a dry month"));
/// assert_eq!(article.authors, vec!["Jane Doe"]);
/// assert!(!article.text.contains("Publicité"));
/// ```
pub fn extract_text(text: &str, options: &Options) -> Result<Article, ExtractError> {
    check_size(text.as_bytes(), options)?;
    if looks_binary(text) {
        return Err(ExtractError::NotText);
    }
    Ok(text::read(text))
}

/// Builds the tables every page needs (regular expressions, automata, the language
/// detector) now instead of on the first page. They take milliseconds, once per
/// process, and every thread extracting meanwhile waits for them: a caller with an
/// idle core (a command opening its store, say) builds them there first. The
/// relative-date regex of each language is still built when a page in that language
/// first needs it. Calling it again costs nothing.
pub fn warm_up() {
    metadata::dates::warm_up();
    metadata::authors::warm_up();
    metadata::visible::warm_up();
    html::hints::warm_up();
    boilerplate::warm_up();
    images::warm_up();
    text::warm_up();
    lang::warm_up();
}

/// Extracts from bytes of either kind, detecting HTML unless `options.input` says otherwise.
pub fn extract(
    bytes: &[u8],
    base_url: Option<&str>,
    options: &Options,
) -> Result<Article, ExtractError> {
    let kind = match options.input {
        InputKind::Auto => detect_kind(bytes),
        k => k,
    };
    match kind {
        InputKind::Text => {
            check_size(bytes, options)?;
            let (text, _, _) = charset::decode(bytes, options.declared_charset.as_deref());
            let mut a = extract_text(&text, options)?;
            a.url = base_url.map(str::to_string);
            Ok(a)
        }
        _ => extract_html(bytes, base_url, options),
    }
}

/// Guesses whether bytes are HTML (markup in the first kilobytes) or plain text.
pub fn detect_kind(bytes: &[u8]) -> InputKind {
    let head = &bytes[..bytes.len().min(8192)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let markers: [&[u8]; 8] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<p>",
        b"<div",
        b"<meta",
        b"<article",
    ];
    if markers
        .iter()
        .any(|m| memchr::memmem::find(&lower, m).is_some())
    {
        InputKind::Html
    } else {
        InputKind::Text
    }
}

fn check_size(bytes: &[u8], options: &Options) -> Result<(), ExtractError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty);
    }
    if bytes.len() > options.max_input_bytes {
        return Err(ExtractError::TooLarge {
            size: bytes.len(),
            limit: options.max_input_bytes,
        });
    }
    Ok(())
}

/// Binary data decodes to text full of control characters and replacement marks.
fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(4096).collect();
    let bad = sample
        .iter()
        .filter(|&&c| (c.is_control() && !c.is_whitespace()) || c == '\u{fffd}')
        .count();
    bad * 10 > sample.len()
}

/// Decodes and parses an HTML page within the options' limits.
fn parse_page(
    bytes: &[u8],
    options: &Options,
) -> Result<(Document, charset::CharsetSource), ExtractError> {
    check_size(bytes, options)?;
    let (page, _, source) = charset::decode(bytes, options.declared_charset.as_deref());
    if looks_binary(&page) {
        return Err(ExtractError::NotText);
    }
    let limits = ParseLimits {
        max_depth: options.max_depth,
        max_nodes: options.max_nodes,
    };
    Ok((Document::parse(&page, limits), source))
}

/// The content stages over a parsed page, shared by extraction and `--explain`.
struct Analysis {
    marks: content::blocks::Marks,
    blocks: Vec<content::blocks::TextBlock>,
    meta: PageMeta,
    roots: Vec<usize>,
    body: Vec<Block>,
    captions: Vec<String>,
}

fn analyse(doc: &Document) -> Analysis {
    let marks = content::blocks::mark(doc);
    let mut blocks = content::blocks::collect(doc, &marks);
    content::blocks::mark_image_descriptions(doc, &mut blocks);
    let meta = PageMeta::read(doc);
    let declared_body = meta.jsonld.as_ref().and_then(|j| j.body.as_deref());
    let roots = content::select_roots(doc, &marks, &blocks, declared_body);
    let (body, captions) = content::clean(doc, &roots, &blocks);
    Analysis {
        marks,
        blocks,
        meta,
        roots,
        body,
        captions,
    }
}

fn article_from_document(doc: &Document, base_url: Option<&str>, options: &Options) -> Article {
    article_and_report(doc, base_url, options, false).0
}

/// The article, and for each metadata field the candidates and the one chosen: all of
/// them when `thorough` (for `--explain`), else those read until the choice was sure.
fn article_and_report(
    doc: &Document,
    base_url: Option<&str>,
    options: &Options,
    thorough: bool,
) -> (Article, Vec<resolve::FieldReport>) {
    let Analysis {
        marks,
        blocks: _,
        meta: pm,
        roots,
        body,
        captions,
    } = analyse(doc);
    let mut article = Article {
        url: base_url.map(str::to_string),
        body,
        ..Article::default()
    };
    article.refresh_text();
    let base = base_url.and_then(|u| url::Url::parse(u).ok());
    let resolve = |href: &str| match &base {
        Some(b) => b
            .join(href)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| href.to_string()),
        None => href.to_string(),
    };
    article.canonical_url = pm.canonical.as_deref().or(pm.get(&["og:url"])).map(resolve);
    article.site = pm.site();
    let declared_lang = pm
        .html_lang
        .as_deref()
        .or(pm.get(&["og:locale", "content-language", "language"]))
        .or(pm.jsonld.as_ref().and_then(|j| j.language.as_deref()));
    article.lang = lang::identify(declared_lang, &article.text);
    let host = base
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_string))
        .or_else(|| {
            article
                .canonical_url
                .as_deref()
                .and_then(|c| url::Url::parse(c).ok())
                .and_then(|u| u.host_str().map(str::to_string))
        });
    let (zone, zone_report) = zone::site_zone(
        host.as_deref(),
        pm.get(&["og:locale"]),
        article.lang.as_deref(),
        &zone::declared_dates(resolve::declared_dates(&pm)),
    );
    article.title = title::choose(
        &pm.h1,
        pm.get(&["og:title", "twitter:title"]),
        pm.jsonld.as_ref().and_then(|j| j.headline.as_deref()),
        pm.title_tag.as_deref(),
        article.site.as_deref(),
    );
    let urls: Vec<&str> = [base_url, article.canonical_url.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let resolved = resolve::resolve(&resolve::Inputs {
        doc,
        marks: &marks,
        roots: &roots,
        meta: &pm,
        urls: &urls,
        lang: article.lang.as_deref(),
        zone,
        site: article.site.as_deref(),
        host: host.as_deref(),
        title: article.title.as_deref(),
        reference: options.reference_time,
        thorough,
    });
    article.published = resolved.published;
    article.updated = resolved.updated;
    article.authors = resolved.authors;
    if drop_author_box(&mut article.body, &article.authors) {
        article.refresh_text();
    }
    let mut reports = vec![
        resolve::FieldReport::from_choice(
            "title",
            &[
                ("<h1>", pm.h1.first().map(String::as_str)),
                ("meta og:title", pm.get(&["og:title"])),
                ("meta twitter:title", pm.get(&["twitter:title"])),
                (
                    "json-ld headline",
                    pm.jsonld.as_ref().and_then(|j| j.headline.as_deref()),
                ),
                ("<title>", pm.title_tag.as_deref()),
            ],
            article.title.as_deref(),
        ),
        resolve::FieldReport::from_choice(
            "lang",
            &[
                ("<html lang>", pm.html_lang.as_deref()),
                ("meta og:locale", pm.get(&["og:locale"])),
                (
                    "meta content-language",
                    pm.get(&["content-language", "language"]),
                ),
                (
                    "json-ld inLanguage",
                    pm.jsonld.as_ref().and_then(|j| j.language.as_deref()),
                ),
            ],
            article.lang.as_deref(),
        ),
        resolve::FieldReport::from_choice(
            "site",
            &[
                ("meta og:site_name", pm.get(&["og:site_name"])),
                ("meta application-name", pm.get(&["application-name"])),
                ("meta twitter:site", pm.get(&["twitter:site"])),
                (
                    "json-ld publisher",
                    pm.jsonld.as_ref().and_then(|j| j.publisher.as_deref()),
                ),
            ],
            article.site.as_deref(),
        ),
        zone_report,
    ];
    reports.extend(resolved.reports);
    let topics = topics::read(&pm);
    article.section = topics.section;
    article.keywords = topics.keywords;
    reports.extend(topics.reports);
    article.lead = pm
        .get(&["og:description", "description", "twitter:description"])
        .map(str::to_string)
        .or_else(|| pm.jsonld.as_ref().and_then(|j| j.description.clone()));
    // Pictures: the figures of the article element that holds the body (or of the body).
    let scope = roots.first().map_or(0, |&r| article_scope(doc, r));
    article.images = images::collect(doc, &marks, scope, &resolve);
    if article.images.is_empty() {
        if let Some(img) = pm.get(&["og:image", "twitter:image"]) {
            let (caption, credit) = captions
                .first()
                .map(|c| images::split_credit(c))
                .map_or((None, None), |(a, b)| (Some(a), b));
            article.images.push(Image {
                url: Some(resolve(img)),
                caption,
                credit,
            });
        }
    }
    (article, reports)
}

/// A closing paragraph that opens with the author's name ("Jane Doe is a reporter who…")
/// presents the author: it is the page's author box, not the article's last paragraph.
fn drop_author_box(body: &mut Vec<vigie_core::Block>, authors: &[String]) -> bool {
    let Some(last) = body.last() else {
        return false;
    };
    if body.len() < 2
        || last.kind == vigie_core::BlockKind::Heading
        || last.text.chars().count() > AUTHOR_BOX_MAX
    {
        return false;
    }
    let presents_author = authors.iter().any(|name| {
        // A full name: one word matches too much ("Reuters", a first name).
        name.split_whitespace().count() >= 2
            && last.text.strip_prefix(name.as_str()).is_some_and(|rest| {
                rest.starts_with(char::is_whitespace) && !rest.trim_start().is_empty()
            })
    });
    if presents_author {
        body.pop();
    }
    presents_author
}

/// Characters above which a paragraph about the author is part of the article.
const AUTHOR_BOX_MAX: usize = 600;

/// The nearest `<article>` or `<main>` around the body, whose figures belong to the story.
fn article_scope(doc: &Document, root: usize) -> usize {
    let mut a = root;
    loop {
        if matches!(doc.nodes[a].tag, Tag::Article | Tag::Main) || a == 0 {
            return a;
        }
        a = doc.nodes[a].parent as usize;
    }
}
