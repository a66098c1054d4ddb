//! JSON-LD (`<script type="application/ld+json">`): the article object a page declares.

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
    /// Names from `author` (objects, arrays, strings).
    pub authors: Vec<String>,
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

/// Parses the JSON-LD scripts and returns the page's main article, if any.
///
/// Broken JSON is tolerated where it commonly breaks (CDATA wrappers, trailing commas,
/// raw line breaks in strings); when several articles are declared, the one with the
/// longest body (then the first) is the page's own.
pub fn parse(scripts: &[&str]) -> Option<JsonLdArticle> {
    let mut found: Vec<JsonLdArticle> = Vec::new();
    for raw in scripts {
        let Some(value) = parse_lenient(raw) else {
            continue;
        };
        let mut stack = vec![&value];
        let mut visited = 0;
        while let Some(v) = stack.pop() {
            visited += 1;
            if visited > 10_000 {
                break;
            }
            match v {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    if is_article(map.get("@type")) {
                        found.push(read_article(v));
                    }
                    if let Some(g) = map.get("@graph") {
                        stack.push(g);
                    }
                    if let Some(m) = map.get("mainEntity") {
                        stack.push(m);
                    }
                }
                _ => {}
            }
        }
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

fn is_article(t: Option<&Value>) -> bool {
    match t {
        Some(Value::String(s)) => ARTICLE_TYPES.contains(&s.to_ascii_lowercase().as_str()),
        Some(Value::Array(a)) => a.iter().any(|x| is_article(Some(x))),
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

fn names(v: Option<&Value>, out: &mut Vec<String>) {
    match v {
        Some(Value::String(s)) => {
            let s = s.trim();
            if !s.is_empty() && !s.starts_with("http") {
                out.push(s.to_string());
            }
        }
        Some(Value::Array(a)) => a.iter().for_each(|x| names(Some(x), out)),
        Some(Value::Object(o)) => {
            if let Some(n) = o.get("name") {
                names(Some(n), out);
            } else if let (Some(g), Some(f)) = (o.get("givenName"), o.get("familyName")) {
                if let (Some(g), Some(f)) = (text(Some(g)), text(Some(f))) {
                    out.push(format!("{g} {f}"));
                }
            }
        }
        _ => {}
    }
}

fn read_article(v: &Value) -> JsonLdArticle {
    let mut authors = Vec::new();
    names(v.get("author").or(v.get("creator")), &mut authors);
    JsonLdArticle {
        headline: text(v.get("headline")).or_else(|| text(v.get("name"))),
        published: text(v.get("datePublished")).or_else(|| text(v.get("dateCreated"))),
        modified: text(v.get("dateModified")),
        authors,
        publisher: v
            .get("publisher")
            .and_then(|p| text(p.get("name")).or_else(|| p.as_str().map(str::to_string))),
        body: text(v.get("articleBody")),
        description: text(v.get("description")),
        url: text(v.get("url")).or_else(|| text(v.get("mainEntityOfPage"))),
        language: text(v.get("inLanguage")),
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
    fn several_articles_pick_the_one_with_a_body() {
        let s = r#"[{"@type":"NewsArticle","headline":"teaser"},{"@type":"NewsArticle","headline":"main","articleBody":"long text"}]"#;
        assert_eq!(parse(&[s]).unwrap().headline.as_deref(), Some("main"));
    }
}
