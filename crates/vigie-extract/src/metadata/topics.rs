//! What a page says it is about: its section ("Politique", "Sport") and its keywords,
//! as pages declare them for machines.
//!
//! Section, first found wins: JSON-LD `articleSection` (the first entry of an array),
//! `<meta property="article:section">`, Parse.ly's `parsely-section`.
//!
//! Keywords, all sources merged in this order: JSON-LD `keywords` (an array, or one
//! comma-separated string), every `<meta property="article:tag">`, `<meta
//! name="news_keywords">`, `<meta name="keywords">`, Parse.ly's `parsely-tags`,
//! Sailthru's `sailthru.tags`. Lists are split on commas and semicolons; keywords
//! are trimmed, kept once whatever their case (the first spelling wins), and dropped
//! when empty, over-long (a sentence, not a keyword) or a web address; at most
//! [`MAX_KEYWORDS`] are kept.

use super::resolve::FieldReport;
use super::{normalize_space, PageMeta};

/// Most keywords kept for one article.
pub const MAX_KEYWORDS: usize = 50;
/// Longer "keywords" are sentences or lists gone wrong, not keywords.
pub const MAX_KEYWORD_CHARS: usize = 60;
/// Longer "sections" are not a section's name.
pub const MAX_SECTION_CHARS: usize = 80;

/// A page's section and keywords, with the reports of how.
#[derive(Debug, Default)]
pub struct Topics {
    /// The section the page files the article under.
    pub section: Option<String>,
    /// The article's keywords.
    pub keywords: Vec<String>,
    /// Reports of the `section` and `keywords` fields, for `--explain`.
    pub reports: Vec<FieldReport>,
}

/// `<meta>` keys holding keyword lists, after JSON-LD and `article:tag`.
const KEYWORD_KEYS: &[&str] = &["news_keywords", "keywords", "parsely-tags", "sailthru.tags"];

/// Reads the section and keywords a page declares.
pub fn read(pm: &PageMeta) -> Topics {
    let (section, section_report) = section(pm);
    let (keywords, keywords_report) = keywords(pm);
    Topics {
        section,
        keywords,
        reports: vec![section_report, keywords_report],
    }
}

fn section(pm: &PageMeta) -> (Option<String>, FieldReport) {
    let mut r = FieldReport::new("section");
    let mut chosen = None;
    let jsonld = pm
        .jsonld
        .as_ref()
        .and_then(|j| j.sections.first())
        .map(|s| ("json-ld articleSection".to_string(), s.as_str()));
    let metas = ["article:section", "parsely-section"]
        .iter()
        .filter_map(|k| pm.meta.get(*k).map(|v| (format!("meta {k}"), v.as_str())));
    for (source, raw) in jsonld.into_iter().chain(metas) {
        let value = normalize_space(raw);
        let i = r.push(source, value.as_str());
        if value.is_empty() || value.chars().count() > MAX_SECTION_CHARS || is_address(&value) {
            r.candidates[i].note = Some("empty, over-long or a web address");
        } else if chosen.is_none() {
            r.winner = Some(i);
            chosen = Some(value);
        }
    }
    (chosen, r)
}

fn keywords(pm: &PageMeta) -> (Vec<String>, FieldReport) {
    let mut r = FieldReport::new("keywords");
    let mut sources: Vec<(String, Vec<&str>)> = Vec::new();
    if let Some(j) = pm.jsonld.as_ref().filter(|j| !j.keywords.is_empty()) {
        sources.push((
            "json-ld keywords".into(),
            j.keywords.iter().map(String::as_str).collect(),
        ));
    }
    if !pm.article_tags.is_empty() {
        sources.push((
            "meta article:tag".into(),
            pm.article_tags.iter().map(String::as_str).collect(),
        ));
    }
    for key in KEYWORD_KEYS {
        if let Some(v) = pm.meta.get(*key) {
            sources.push((format!("meta {key}"), vec![v.as_str()]));
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut lower: Vec<String> = Vec::new();
    let mut contributing = Vec::new();
    for (source, lists) in &sources {
        let found = split(lists);
        if found.is_empty() {
            let i = r.push(source.as_str(), lists.join(", "));
            r.candidates[i].note = Some("no usable keyword");
            continue;
        }
        let i = r.push(source.as_str(), found.join(", "));
        let mut added = false;
        for k in found {
            let l = k.to_lowercase();
            if out.len() < MAX_KEYWORDS && !lower.contains(&l) {
                lower.push(l);
                out.push(k);
                added = true;
            }
        }
        if added {
            contributing.push(i);
        } else {
            r.candidates[i].note = Some("nothing new");
        }
    }
    match contributing.as_slice() {
        [] => {}
        [one] => r.winner = Some(*one),
        _ => {
            let i = r.push("merged", out.join(", "));
            r.candidates[i].note = Some("the sources above, each keyword once");
            r.winner = Some(i);
        }
    }
    (out, r)
}

/// The usable keywords of some declared lists.
fn split(lists: &[&str]) -> Vec<String> {
    lists
        .iter()
        .flat_map(|l| l.split([',', ';']))
        .map(normalize_space)
        .filter(|k| !k.is_empty() && k.chars().count() <= MAX_KEYWORD_CHARS && !is_address(k))
        .collect()
}

fn is_address(s: &str) -> bool {
    s.contains("://") || s.starts_with("www.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(meta: &[(&str, &str)], tags: &[&str]) -> PageMeta {
        PageMeta {
            meta: meta
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            article_tags: tags.iter().map(|t| t.to_string()).collect(),
            ..PageMeta::default()
        }
    }

    #[test]
    fn keywords_are_merged_cleaned_and_capped() {
        let long = "x".repeat(MAX_KEYWORD_CHARS + 1);
        let pm = page(
            &[
                (
                    "keywords",
                    &format!("Budget; conseil, , {long}, https://x.example/t"),
                ),
                ("news_keywords", "BUDGET,  Ville   de Lyon "),
            ],
            &["budget", "Mairie"],
        );
        let t = read(&pm);
        assert_eq!(
            t.keywords,
            vec!["budget", "Mairie", "Ville de Lyon", "conseil"]
        );
        let r = &t.reports[1];
        assert_eq!(r.candidates[r.winner.unwrap()].source, "merged");
        let many: Vec<String> = (0..80).map(|i| format!("k{i}")).collect();
        let pm = page(&[("keywords", &many.join(","))], &[]);
        assert_eq!(read(&pm).keywords.len(), MAX_KEYWORDS);
    }

    #[test]
    fn section_first_usable_source() {
        let pm = page(
            &[
                ("article:section", &"y".repeat(MAX_SECTION_CHARS + 1)),
                ("parsely-section", " Sport "),
            ],
            &[],
        );
        let t = read(&pm);
        assert_eq!(t.section.as_deref(), Some("Sport"));
        assert!(t.keywords.is_empty());
        assert!(t.reports[0].candidates[0].note.is_some());
    }
}
