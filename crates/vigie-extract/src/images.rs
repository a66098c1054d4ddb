//! The article's pictures: `<figure>`s in the article's scope, with captions and credits
//! told apart ("… (Photo: Ben Ortiz)", "© Reuters", `<span class="credit">`).

use std::sync::LazyLock;

use regex::Regex;
use vigie_core::Image;

use crate::content::blocks::Marks;
use crate::html::{Document, Tag};

/// A credit at the end of a caption: "(Photo: X)", "Photo : X", "© X", "Foto: X".
static TRAILING_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<caption>.*?)[\s.]*(?:\((?P<paren>[^()]+)\)|(?P<label>(?:photo|foto|crédit|credit|image|bild|picture|illustration)s?\s*:\s*[^.]+|©\s*[^.]+))\s*$").expect("valid regex")
});

/// Builds this module's regular expression now (see [`crate::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&TRAILING_CREDIT);
}

/// Splits "caption (Photo: X)" into caption and credit; the credit loses its label.
pub fn split_credit(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    if let Some(c) = TRAILING_CREDIT.captures(t) {
        let credit = c
            .name("paren")
            .or(c.name("label"))
            .map(|m| clean_credit(m.as_str()));
        let caption = c["caption"].trim();
        if let Some(credit) = credit.filter(|cr| !cr.is_empty()) {
            let caption = if caption.ends_with(['.', '!', '?']) || caption.is_empty() {
                caption.to_string()
            } else {
                format!("{caption}.")
            };
            return (caption, Some(credit));
        }
    }
    (t.to_string(), None)
}

fn clean_credit(s: &str) -> String {
    let s = s.trim().trim_start_matches('©').trim();
    let lower = s.to_lowercase();
    for label in [
        "photo:",
        "photos:",
        "foto:",
        "fotos:",
        "crédit:",
        "credit:",
        "credits:",
        "image:",
        "bild:",
        "picture:",
        "illustration:",
        "photo :",
        "crédit :",
    ] {
        if lower.starts_with(label) {
            return s[label.len()..].trim().to_string();
        }
    }
    s.to_string()
}

/// Collects the figures inside `scope` (an element's subtree), resolving URLs with `resolve`.
pub fn collect(
    doc: &Document,
    marks: &Marks,
    scope: usize,
    resolve: &dyn Fn(&str) -> String,
) -> Vec<Image> {
    let mut out = Vec::new();
    let end = doc.nodes[scope].end as usize;
    let mut i = scope;
    while i < end {
        let node = &doc.nodes[i];
        if marks.pruned[i] {
            i = node.end as usize;
            continue;
        }
        if node.tag == Tag::Figure {
            if let Some(img) = read_figure(doc, i, resolve) {
                out.push(img);
            }
            i = node.end as usize;
            continue;
        }
        i += 1;
    }
    out
}

fn read_figure(doc: &Document, fig: usize, resolve: &dyn Fn(&str) -> String) -> Option<Image> {
    let mut url = None;
    let mut caption = String::new();
    let mut credit = None;
    for j in fig + 1..doc.nodes[fig].end as usize {
        match doc.nodes[j].tag {
            Tag::Img if url.is_none() => {
                url = ["data-src", "data-lazy-src", "data-original", "src"]
                    .iter()
                    .find_map(|a| {
                        doc.attr(j, a)
                            .filter(|v| !v.starts_with("data:") && !v.trim().is_empty())
                    })
                    .map(|v| resolve(v.trim()));
            }
            Tag::Figcaption if caption.is_empty() => {
                caption = normalize(&doc.subtree_text(j));
            }
            Tag::Text => {}
            _ => {
                let class = doc.attr(j, "class").unwrap_or("").to_ascii_lowercase();
                if credit.is_none() && (class.contains("credit") || class.contains("copyright")) {
                    credit = Some(clean_credit(&normalize(&doc.subtree_text(j))))
                        .filter(|c| !c.is_empty());
                }
            }
        }
    }
    if let Some(c) = &credit {
        // The credit element often sits inside the caption: take it out.
        if let Some(stripped) = caption.strip_suffix(c.as_str()) {
            caption = stripped
                .trim_end_matches(|ch: char| {
                    ch.is_whitespace() || ch == '©' || ch == '(' || ch == ':'
                })
                .trim()
                .to_string();
        }
    }
    if credit.is_none() && !caption.is_empty() {
        let (cap, cr) = split_credit(&caption);
        caption = cap;
        credit = cr;
    }
    if url.is_none() && caption.is_empty() {
        return None;
    }
    Some(Image {
        url,
        caption: Some(caption).filter(|c| !c.is_empty()),
        credit,
    })
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_split_from_captions() {
        assert_eq!(
            split_credit("Vladimir Poutine et Alexandre Loukachenko à Minsk ce lundi. (Sputnik/Konstantin Zavrazhin/Pool via REUTERS)"),
            ("Vladimir Poutine et Alexandre Loukachenko à Minsk ce lundi.".to_string(), Some("Sputnik/Konstantin Zavrazhin/Pool via REUTERS".to_string()))
        );
        assert_eq!(
            split_credit("The deck was lowered in January. Photo: Ben Ortiz"),
            (
                "The deck was lowered in January.".to_string(),
                Some("Ben Ortiz".to_string())
            )
        );
        assert_eq!(
            split_credit("Die Brücke im Januar © dpa"),
            ("Die Brücke im Januar.".to_string(), Some("dpa".to_string()))
        );
        assert_eq!(
            split_credit("A caption without credit"),
            ("A caption without credit".to_string(), None)
        );
    }
}
