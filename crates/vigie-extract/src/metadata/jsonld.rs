//! JSON-LD (`<script type="application/ld+json">`): the article object a page declares.

use std::collections::HashMap;

use serde_json::Value;

/// The fields Vigie reads from a page's JSON-LD article object.
#[derive(Debug, Default, Clone)]
pub struct JsonLdArticle {
    /// `headline` or `name`.
    pub headline: Option<String>,
    /// `datePublished`.
    pub published: Option<String>,
    /// `dateModified`.
    pub modified: Option<String>,
    /// Names from `author` (objects, arrays, strings, `@id` references).
    pub authors: Vec<String>,
    /// Authors declared as organisations (`"@type": "Organization"`), kept apart.
    pub organisations: Vec<String>,
    /// `publisher.name`.
    pub publisher: Option<String>,
    /// `articleBody`.
    pub body: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `url` / `mainEntityOfPage`.
    pub url: Option<String>,
    /// `inLanguage`.
    pub language: Option<String>,
    /// `articleSection`, each entry of an array.
    pub sections: Vec<String>,
    /// `keywords`, each entry of an array (or the one string, split later).
    pub keywords: Vec<String>,
    /// The object is not an article but the page's other creative work (web page,
    /// recipe…), read because no article was declared.
    pub stand_in: bool,
}

const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "blogposting",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "scholarlyarticle",
    "techarticle",
    "liveblogposting",
    "socialmediaposting",
    "report",
    "posting",
];

/// Author types that are not people.
const ORGANISATION_TYPES: &[&str] = &[
    "organization",
    "newsmediaorganization",
    "corporation",
    "localbusiness",
    "governmentorganization",
    "educationalorganization",
    "ngo",
    "website",
];

/// Types that are not articles but still describe a page's own creative work; read only
/// when no article object exists (a recipe's author, a web page's publication date).
const WORK_TYPES: &[&str] = &[
    "webpage",
    "itempage",
    "aboutpage",
    "collectionpage",
    "creativework",
    "recipe",
    "videoobject",
    "podcastepisode",
    "review",
    "discussionforumposting",
    "qapage",
    "question",
    "event",
    "product",
    "book",
    "howto",
];

/// Parses the JSON-LD scripts and returns the page's main article, if any.
///
/// Broken JSON is tolerated where it commonly breaks (CDATA wrappers, trailing commas,
/// raw line breaks in strings); when several articles are declared, the one with the
/// longest body (then the first) is the page's own. Authors given as `{"@id": …}`
/// references are looked up among all the page's objects (Yoast-style `@graph`).
/// Without any article object, the first other creative work (web page, recipe…)
/// stands in for dates and authors, never for the body.
pub fn parse(scripts: &[&str]) -> Option<JsonLdArticle> {
    let values: Vec<Value> = scripts
        .iter()
        .filter_map(|raw| parse_lenient(raw))
        .collect();
    let mut by_id: HashMap<&str, &Value> = HashMap::new();
    let mut articles: Vec<&Value> = Vec::new();
    let mut works: Vec<&Value> = Vec::new();
    for value in &values {
        let mut stack = vec![value];
        let mut visited = 0;
        while let Some(v) = stack.pop() {
            visited += 1;
            if visited > 10_000 {
                break;
            }
            match v {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    if let Some(Value::String(id)) = map.get("@id") {
                        // The full object wins over a bare reference to it.
                        if map.len() > 1 {
                            by_id.entry(id.as_str()).or_insert(v);
                        }
                    }
                    if has_type(map.get("@type"), ARTICLE_TYPES) {
                        articles.push(v);
                    } else if has_type(map.get("@type"), WORK_TYPES) {
                        works.push(v);
                    }
                    for key in ["@graph", "mainEntity", "itemListElement"] {
                        if let Some(g) = map.get(key) {
                            stack.push(g);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut found: Vec<JsonLdArticle> = articles.iter().map(|v| read_article(v, &by_id)).collect();
    if found.is_empty() {
        // A stand-in describes the page, not an article: its name and body never steer
        // the title or the extraction, only dates and authors are read.
        let work = works
            .iter()
            .map(|v| read_article(v, &by_id))
            .find(|a| a.published.is_some() || !a.authors.is_empty())?;
        return Some(JsonLdArticle {
            headline: None,
            body: None,
            description: None,
            sections: Vec::new(),
            keywords: Vec::new(),
            stand_in: true,
            ..work
        });
    }
    let best = found
        .iter()
        .enumerate()
        .max_by_key(|(i, a)| {
            (
                a.body.as_ref().map_or(0, |b| b.len()),
                std::cmp::Reverse(*i),
            )
        })?
        .0;
    Some(found.swap_remove(best))
}

fn parse_lenient(raw: &str) -> Option<Value> {
    let t = raw
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_start_matches("<![CDATA[")
        .trim_end_matches("//]]>")
        .trim_end_matches("]]>")
        .trim();
    if let Ok(v) = serde_json::from_str(t) {
        return Some(v);
    }
    // Raw control characters inside strings and trailing commas are the usual breakage.
    let mut fixed = String::with_capacity(t.len());
    let mut in_str = false;
    let mut escaped = false;
    for c in t.chars() {
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            } else if c.is_control() {
                fixed.push(' ');
                continue;
            }
        } else if c == '"' {
            in_str = true;
        } else if c == '}' || c == ']' {
            let trimmed = fixed.trim_end();
            if trimmed.ends_with(',') {
                fixed.truncate(trimmed.len() - 1);
            }
        }
        fixed.push(c);
    }
    serde_json::from_str(&fixed).ok()
}

fn has_type(t: Option<&Value>, types: &[&str]) -> bool {
    match t {
        Some(Value::String(s)) => {
            // "schema:NewsArticle", "http://schema.org/NewsArticle".
            let name = s.rsplit(['/', ':']).next().unwrap_or(s);
            types.contains(&name.to_ascii_lowercase().as_str())
        }
        Some(Value::Array(a)) => a.iter().any(|x| has_type(Some(x), types)),
        _ => false,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(a) => a.iter().find_map(|x| text(Some(x))),
        Value::Object(o) => text(o.get("@value").or(o.get("name")).or(o.get("@id"))),
        _ => None,
    }
}

/// Most entries read from one array (`keywords` lists can be long).
const MAX_ENTRIES: usize = 200;

/// Every text of a value: a string, or each string (or named object) of an array.
fn texts(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| text(Some(x)))
            .take(MAX_ENTRIES)
            .map(|t| unescape(&t))
            .collect(),
        Some(v) => text(Some(v)).map(|t| unescape(&t)).into_iter().collect(),
        None => Vec::new(),
    }
}

fn names(
    v: Option<&Value>,
    by_id: &HashMap<&str, &Value>,
    depth: u8,
    out: &mut Vec<String>,
    orgs: &mut Vec<String>,
) {
    if depth > 4 {
        return;
    }
    match v {
        Some(Value::String(s)) => {
            let s = s.trim();
            if !s.is_empty() && !s.starts_with("http") {
                out.push(unescape(s));
            }
        }
        Some(Value::Array(a)) => a
            .iter()
            .for_each(|x| names(Some(x), by_id, depth + 1, out, orgs)),
        Some(Value::Object(o)) => {
            let is_org = has_type(o.get("@type"), ORGANISATION_TYPES)
                && !has_type(o.get("@type"), &["person"]);
            if let Some(n) = o.get("name") {
                if is_org {
                    names(Some(n), by_id, depth + 1, orgs, &mut Vec::new());
                } else {
                    names(Some(n), by_id, depth + 1, out, orgs);
                }
            } else if let (Some(g), Some(f)) = (o.get("givenName"), o.get("familyName")) {
                if let (Some(g), Some(f)) = (text(Some(g)), text(Some(f))) {
                    out.push(unescape(&format!("{g} {f}")));
                }
            } else if let Some(Value::String(id)) = o.get("@id") {
                // A reference to a Person declared elsewhere in the graph.
                if let Some(target) = by_id.get(id.as_str()) {
                    if target.get("name").is_some() || target.get("givenName").is_some() {
                        names(Some(target), by_id, depth + 1, out, orgs);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Names sometimes arrive HTML-escaped inside JSON ("Redacci&oacute;n").
fn unescape(s: &str) -> String {
    if s.contains('&') {
        htmlize::unescape(s).into_owned()
    } else {
        s.to_string()
    }
}

fn read_article(v: &Value, by_id: &HashMap<&str, &Value>) -> JsonLdArticle {
    let mut authors = Vec::new();
    let mut organisations = Vec::new();
    names(
        v.get("author").or(v.get("creator")),
        by_id,
        0,
        &mut authors,
        &mut organisations,
    );
    JsonLdArticle {
        headline: text(v.get("headline")).or_else(|| text(v.get("name"))),
        published: text(v.get("datePublished"))
            .or_else(|| text(v.get("dateCreated")))
            .or_else(|| text(v.get("uploadDate"))),
        modified: text(v.get("dateModified")),
        authors,
        organisations,
        publisher: v
            .get("publisher")
            .and_then(|p| text(p.get("name")).or_else(|| p.as_str().map(str::to_string))),
        body: text(v.get("articleBody")),
        description: text(v.get("description")),
        url: text(v.get("url")).or_else(|| text(v.get("mainEntityOfPage"))),
        language: text(v.get("inLanguage")),
        sections: texts(v.get("articleSection")),
        keywords: texts(v.get("keywords")),
        stand_in: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_and_broken_json() {
        let s = r#"{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","headline":"H","author":[{"@type":"Person","name":"A B"},"C D"],"datePublished":"2022-12-19T17:53:00+01:00",}]}"#;
        let a = parse(&[s]).unwrap();
        assert_eq!(a.headline.as_deref(), Some("H"));
        assert_eq!(a.authors, vec!["A B", "C D"]);
    }

    #[test]
    fn author_references_and_organisations() {
        let s = r##"{"@graph":[{"@type":"BlogPosting","author":[{"@id":"#p1"},{"@type":"Organization","name":"Example News"}]},{"@type":"Person","@id":"#p1","name":"Redacci&oacute;n Central"}]}"##;
        let a = parse(&[s]).unwrap();
        assert_eq!(a.authors, vec!["Redacción Central"]);
        assert_eq!(a.organisations, vec!["Example News"]);
    }

    #[test]
    fn other_creative_work_stands_in_for_dates_only() {
        let s = r#"{"@type":"Recipe","name":"Mandarin cake","author":{"@type":"Person","name":"cook42"},"datePublished":"2006-10-10","articleBody":"x"}"#;
        let a = parse(&[s]).unwrap();
        assert!(a.stand_in);
        assert_eq!(a.published.as_deref(), Some("2006-10-10"));
        assert_eq!(a.authors, vec!["cook42"]);
        assert!(a.headline.is_none() && a.body.is_none());
        // Prefixed type names are articles too.
        let s = r#"{"@type":"schema:NewsArticle","headline":"H"}"#;
        assert!(!parse(&[s]).unwrap().stand_in);
    }

    #[test]
    fn sections_and_keywords_as_strings_or_arrays() {
        let s = r#"{"@type":"NewsArticle","articleSection":["Politique","International"],"keywords":"budget, Conseil &amp; Ville"}"#;
        let a = parse(&[s]).unwrap();
        assert_eq!(a.sections, vec!["Politique", "International"]);
        assert_eq!(a.keywords, vec!["budget, Conseil & Ville"]);
        let s = r#"{"@type":"NewsArticle","articleSection":"Sport","keywords":["a",{"@type":"DefinedTerm","name":"b"},3]}"#;
        let a = parse(&[s]).unwrap();
        assert_eq!(a.sections, vec!["Sport"]);
        assert_eq!(a.keywords, vec!["a", "b"]);
    }

    #[test]
    fn several_articles_pick_the_one_with_a_body() {
        let s = r#"[{"@type":"NewsArticle","headline":"teaser"},{"@type":"NewsArticle","headline":"main","articleBody":"long text"}]"#;
        assert_eq!(parse(&[s]).unwrap().headline.as_deref(), Some("main"));
    }
}
