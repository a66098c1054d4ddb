//! Bylines: "Par X", "By X and Y", "Von X", "Por X", "Di X", "Autor: X", "Автор: X",
//! with roles, places and agencies split off.

use std::sync::LazyLock;

use regex::Regex;

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:par|by|von|por|di|door|av|autor(?:in)?\s*:|auteur\s*:|author\s*:|автор\s*:|автор|text\s*:|texte\s*:)\s+(?P<names>.+)$").expect("valid byline regex")
});

/// Builds this module's regular expression now (see [`crate::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&BYLINE);
}

/// Agencies that sign articles; they are not people.
const AGENCIES: &[&str] = &[
    "afp",
    "ap",
    "reuters",
    "dpa",
    "ansa",
    "efe",
    "epa",
    "apa",
    "sda",
    "kna",
    "epd",
    "upi",
    "tass",
    "ria novosti",
    "interfax",
    "ukrinform",
    "pap",
    "belga",
    "anp",
    "bloomberg",
    "associated press",
    "agence france-presse",
    "agence france presse",
    "la rédaction",
    "redaktion",
    "staff",
    "editorial board",
];

/// Reads a byline line; returns the author names, or None when the line is not a byline.
pub fn parse_byline(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    if line.chars().count() > 160 {
        return None;
    }
    let caps = BYLINE.captures(line)?;
    let names = split_names(&caps["names"]);
    (!names.is_empty()).then_some(names)
}

/// Splits "X, Y and Z (with AFP)" into person names, dropping roles, places and agencies.
pub fn split_names(s: &str) -> Vec<String> {
    // Drop parenthesised roles and "with AFP".
    let mut s = strip_parens(s);
    for cut in [
        " with ",
        " avec ",
        " mit ",
        " con ",
        " com ",
        " in ",
        " à ",
        " en ",
        " aus ",
        " from ",
        " pour ",
        " for ",
        " — ",
        " – ",
        " | ",
        ", correspondant",
        ", correspondent",
        ", envoyé",
        " - ",
    ] {
        if let Some(p) = s.to_lowercase().find(cut) {
            s.truncate(p);
        }
    }
    let mut out = Vec::new();
    for part in s.split([',', ';', '&', '/']).flat_map(|p| {
        split_word(
            p,
            &[
                " and ", " et ", " und ", " y ", " e ", " en ", " i ", " и ", " і ",
            ],
        )
    }) {
        let name = part
            .trim()
            .trim_matches(|c: char| c.is_ascii_punctuation() && c != '.')
            .trim();
        if name.is_empty() || !looks_like_name(name) {
            continue;
        }
        out.push(fix_case(name));
    }
    // Beside people's names, a lone acronym is an agency or desk code ("X/SP-X", "X, APA").
    if out.len() > 1 {
        let is_code = |n: &str| {
            let letters: Vec<char> = n.chars().filter(|c| c.is_alphabetic()).collect();
            !n.contains(' ') && letters.len() <= 5 && letters.iter().all(|c| c.is_uppercase())
        };
        if out.iter().any(|n| !is_code(n)) {
            out.retain(|n| !is_code(n));
        }
    }
    out
}

fn split_word<'a>(s: &'a str, words: &[&str]) -> Vec<&'a str> {
    let mut parts = vec![s];
    for w in words {
        parts = parts.into_iter().flat_map(|p| p.split(w)).collect();
    }
    parts
}

fn strip_parens(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// True for agencies and desks that sign articles ("AFP", "dpa", "Redaktion").
pub fn is_agency(s: &str) -> bool {
    AGENCIES.contains(&s.trim().to_lowercase().as_str())
}

/// A person's name: 1–5 words, mostly capitalised, no digits, not an agency.
pub fn looks_like_name(s: &str) -> bool {
    let lower = s.to_lowercase();
    if AGENCIES.contains(&lower.as_str())
        || s.chars().any(|c| c.is_ascii_digit())
        || s.contains('@')
    {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    capitalised * 2 > words.len() || (words.len() >= 2 && capitalised >= 2)
}

/// "BENJAMIN QUÉNELLE" → "Benjamin Quénelle"; names already in mixed case stay as written.
pub fn fix_case(name: &str) -> String {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 3 && letters.iter().all(|c| c.is_uppercase()) {
        name.split(' ')
            .map(|w| {
                let mut cs = w.chars();
                match cs.next() {
                    Some(f) => f
                        .to_uppercase()
                        .chain(cs.flat_map(|c| c.to_lowercase()))
                        .collect(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines() {
        assert_eq!(
            parse_byline("Par Benjamin Quénelle"),
            Some(vec!["Benjamin Quénelle".to_string()])
        );
        assert_eq!(
            parse_byline("By Jane Doe and John Roe"),
            Some(vec!["Jane Doe".to_string(), "John Roe".to_string()])
        );
        assert_eq!(
            parse_byline("Von Anna Müller"),
            Some(vec!["Anna Müller".to_string()])
        );
        assert_eq!(
            parse_byline("By Jane Doe with AFP"),
            Some(vec!["Jane Doe".to_string()])
        );
        assert_eq!(
            parse_byline("PAR BENJAMIN QUÉNELLE"),
            Some(vec!["Benjamin Quénelle".to_string()])
        );
        assert_eq!(
            parse_byline("Автор: Иван Петров"),
            Some(vec!["Иван Петров".to_string()])
        );
        assert_eq!(parse_byline("by the way this is a sentence of text"), None);
    }
}
