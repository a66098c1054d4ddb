//! Reading text that a scraper already pulled out of a page (one line per block, blank
//! lines between blocks): telling title, lead, caption, credit, byline, dateline,
//! subheadings, body and page furniture apart.

use std::sync::LazyLock;

use regex::Regex;
use vigie_core::{Article, Block, BlockKind, Image};

use crate::boilerplate;
use crate::metadata::{authors, dates, zone};

/// One non-empty line and the paragraph (blank-line-separated group) it belongs to.
#[derive(Debug)]
struct Line<'a> {
    text: &'a str,
    para: usize,
}

/// What a line turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unknown,
    Furniture,
    Title,
    Lead,
    Caption,
    Byline,
    Dateline,
    Body,
    Heading,
    Signature,
}

/// A trailing credit in parentheses: "Caption text. (Photographer/Agency)".
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<caption>.*?)\s*\((?P<credit>[^()]+)\)\s*$").expect("valid regex")
});

/// Builds this module's regular expression now (see [`crate::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&CREDIT);
}

/// Reads scraped text into an article.
pub fn read(text: &str) -> Article {
    let mut lines = Vec::new();
    let mut para = 0;
    let mut blank = true;
    for raw in text.lines() {
        let t = raw.trim();
        if t.is_empty() {
            blank = true;
            continue;
        }
        if blank {
            para += 1;
            blank = false;
        }
        lines.push(Line { text: t, para });
    }
    let mut kinds = vec![Kind::Unknown; lines.len()];
    let mut article = Article::default();

    for (k, line) in lines.iter().enumerate() {
        if boilerplate::is_furniture(line.text) {
            kinds[k] = Kind::Furniture;
        }
    }

    // Captions: a line repeated with a credit appended ("X." then "X. (Credit)").
    for k in 0..lines.len().saturating_sub(1) {
        let (a, b) = (lines[k].text, lines[k + 1].text);
        if kinds[k] == Kind::Unknown && b.starts_with(a) && b.len() > a.len() {
            if let Some(c) = CREDIT.captures(b) {
                if c["caption"].trim() == a && (2..=120).contains(&c["credit"].chars().count()) {
                    kinds[k] = Kind::Caption;
                    kinds[k + 1] = Kind::Caption;
                    article.images.push(Image {
                        url: None,
                        caption: Some(a.to_string()),
                        credit: Some(c["credit"].trim().to_string()),
                    });
                }
            }
        }
    }

    // Byline and dateline, near the top.
    let head_limit = lines.len().min(15);
    for k in 0..head_limit {
        if kinds[k] != Kind::Unknown {
            continue;
        }
        if article.authors.is_empty() {
            if let Some(names) = authors::parse_byline(lines[k].text) {
                article.authors = names;
                kinds[k] = Kind::Byline;
                continue;
            }
        }
        if lines[k].text.chars().count() <= 160 && article.published.is_none() {
            let found = dates::find_in_text(lines[k].text, None, None);
            if !found.is_empty() && date_share(lines[k].text, &found) > 0.3 {
                kinds[k] = Kind::Dateline;
            }
        }
    }

    // Title: the first real line, if it reads like a headline.
    let title_at = (0..lines.len()).find(|&k| kinds[k] == Kind::Unknown);
    if let Some(t) = title_at {
        if lines[t].text.chars().count() <= 250 {
            kinds[t] = Kind::Title;
            article.title = Some(lines[t].text.to_string());
        }
    }

    // The header zone ends at the last caption, byline or dateline near the top.
    let header_end = (0..head_limit)
        .rev()
        .find(|&k| matches!(kinds[k], Kind::Caption | Kind::Byline | Kind::Dateline))
        .map_or(0, |k| k + 1);
    if let Some(t) = title_at {
        if let Some(l) = (t + 1..header_end)
            .find(|&k| kinds[k] == Kind::Unknown && lines[k].text.chars().count() >= 60)
        {
            kinds[l] = Kind::Lead;
            article.lead = Some(lines[l].text.to_string());
        }
    }
    for kind in kinds.iter_mut().take(header_end) {
        if *kind == Kind::Unknown {
            *kind = Kind::Furniture;
        }
    }

    // The body runs from the header to the author's signature or the first furniture
    // section (a teaser picture, a sales pitch); everything after is the page's.
    let mut end = lines.len();
    for k in header_end..lines.len() {
        if kinds[k] != Kind::Unknown && kinds[k] != Kind::Furniture {
            continue;
        }
        let t = lines[k].text;
        let signature = !article.authors.is_empty()
            && t.chars().count() <= 150
            && article.authors.iter().any(|a| t.starts_with(a.as_str()));
        if signature {
            kinds[k] = Kind::Signature;
            end = k;
            break;
        }
        if kinds[k] == Kind::Unknown && boilerplate::is_promo(t) {
            end = k;
            break;
        }
        if boilerplate::is_image_file_name(t)
            && k > header_end
            && has_body_before(&kinds, header_end, k)
            && !has_body_after(&lines, &kinds, k)
        {
            end = k;
            break;
        }
    }
    for kind in &mut kinds[header_end..end] {
        if *kind == Kind::Unknown {
            *kind = Kind::Body;
        }
    }
    // Subheadings: short lines without closing punctuation between body paragraphs.
    for k in header_end..end {
        if kinds[k] == Kind::Body && is_heading_like(lines[k].text) {
            let next_body = (k + 1..end).find(|&j| kinds[j] == Kind::Body);
            if next_body.is_some_and(|j| !is_heading_like(lines[j].text)) {
                kinds[k] = Kind::Heading;
            }
        }
    }

    // Dates: published and updated from the dateline(s).
    let zone_lang = crate::lang::identify(None, &body_sample(&lines, &kinds));
    let zone = zone::zone_for(None, zone_lang.as_deref());
    for k in 0..lines.len() {
        if kinds[k] != Kind::Dateline {
            continue;
        }
        let t = lines[k].text;
        for f in dates::find_in_text(t, zone_lang.as_deref(), zone) {
            if dates::is_update_context(&t[..f.start]) {
                article.updated.get_or_insert(f.value);
            } else {
                article.published.get_or_insert(f.value);
            }
        }
    }
    if article.published.is_none() {
        article.published = article.updated.take();
    }

    for k in header_end..end {
        let kind = match kinds[k] {
            Kind::Body => BlockKind::Paragraph,
            Kind::Heading => BlockKind::Heading,
            _ => continue,
        };
        let text = lines[k].text.to_string();
        // Lines of one paragraph stay one block.
        match article.body.last_mut() {
            Some(prev)
                if kind == BlockKind::Paragraph
                    && k > 0
                    && lines[k - 1].para == lines[k].para
                    && kinds[k - 1] == Kind::Body =>
            {
                prev.text.push('\n');
                prev.text.push_str(&text);
            }
            _ => article.body.push(Block { kind, text }),
        }
    }
    article.lang = zone_lang;
    article.refresh_text();
    article
}

fn date_share(line: &str, found: &[dates::FoundDate]) -> f32 {
    let covered: usize = found.iter().map(|f| f.end - f.start).sum();
    covered as f32 / line.len().max(1) as f32
}

fn has_body_before(kinds: &[Kind], from: usize, k: usize) -> bool {
    kinds[from..k].contains(&Kind::Unknown)
}

/// True when a long paragraph of prose still follows (a picture inside the article).
fn has_body_after(lines: &[Line<'_>], kinds: &[Kind], k: usize) -> bool {
    lines.iter().zip(kinds).skip(k + 1).any(|(l, kind)| {
        *kind == Kind::Unknown && l.text.chars().count() > 300 && !boilerplate::is_promo(l.text)
    })
}

fn is_heading_like(t: &str) -> bool {
    let n = t.chars().count();
    (3..=100).contains(&n)
        && !t.ends_with(['.', ',', ';', ':', '!', '…', '»', '"'])
        && t.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

fn body_sample(lines: &[Line<'_>], kinds: &[Kind]) -> String {
    let mut s = String::new();
    for (l, k) in lines.iter().zip(kinds) {
        if matches!(k, Kind::Body | Kind::Lead | Kind::Title | Kind::Unknown) {
            s.push_str(l.text);
            s.push(' ');
            if s.len() > 4000 {
                break;
            }
        }
    }
    s
}
