//! The passage shown under a search result, with the matched words marked.

use std::collections::HashSet;

use tantivy::tokenizer::TokenStream;
use tantivy::Index;

use crate::analysis;

/// Longest passage, in bytes of text (before markup).
const WINDOW: usize = 220;

/// A passage of `text` around the words of `query_words`, analysed like the article
/// (`analyzer`), with matches wrapped in `<b>…</b>` and the rest HTML-escaped.
pub fn snippet(index: &Index, analyzer: &str, text: &str, query_words: &[String]) -> String {
    let wanted: HashSet<String> = query_words
        .iter()
        .flat_map(|w| analysis::terms(index, analyzer, w))
        .collect();
    // Stemming every word of a long article cost more than the search itself: fold
    // only, and stem just the words that begin like a wanted stem (stemmers cut
    // endings, never beginnings).
    let heads: Vec<[char; 2]> = wanted.iter().map(|w| head(w)).collect();
    let mut tokens: Vec<(String, usize, usize)> = Vec::new();
    let analyzers = (
        index.tokenizers().get(analysis::FOLD),
        index.tokenizers().get(analyzer),
    );
    if let (Some(mut fold), Some(mut stemmer)) = analyzers {
        let mut stream = fold.token_stream(text);
        while let Some(t) = stream.next() {
            if !heads.contains(&head(&t.text)) {
                continue;
            }
            if let Some(stem) = stemmer.token_stream(&t.text).next() {
                tokens.push((stem.text.clone(), t.offset_from, t.offset_to));
            }
        }
    }
    let matches: Vec<&(String, usize, usize)> = tokens
        .iter()
        .filter(|(t, _, _)| wanted.contains(t))
        .collect();
    // The window that holds the most distinct matched terms, then the most matches.
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, start index in matches)
    for i in 0..matches.len() {
        let mut seen = HashSet::new();
        let mut count = 0;
        for m in &matches[i..] {
            if m.2 - matches[i].1 > WINDOW {
                break;
            }
            seen.insert(&m.0);
            count += 1;
        }
        if (seen.len(), count) > (best.0, best.1) {
            best = (seen.len(), count, i);
        }
    }
    let (start, end) = if matches.is_empty() {
        (0, floor_char(text, WINDOW.min(text.len())))
    } else {
        let first = matches[best.2].1;
        // Some context before the first match, starting at a word.
        let mut start = floor_char(text, first.saturating_sub(WINDOW / 4));
        if start > 0 {
            start = text[start..first]
                .find(char::is_whitespace)
                .map_or(first, |i| start + i + 1);
        }
        (start, floor_char(text, (start + WINDOW).min(text.len())))
    };
    // End at a word boundary.
    let end = if end < text.len() {
        text[start..end]
            .rfind(char::is_whitespace)
            .map_or(end, |i| start + i)
    } else {
        end
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for (_, from, to) in matches.iter().filter(|m| m.1 >= start && m.2 <= end) {
        escape_into(&mut out, &text[at..*from]);
        out.push_str("<b>");
        escape_into(&mut out, &text[*from..*to]);
        out.push_str("</b>");
        at = *to;
    }
    escape_into(&mut out, &text[at..end]);
    if end < text.len() {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first two characters of a term.
fn head(term: &str) -> [char; 2] {
    let mut c = term.chars();
    [c.next().unwrap_or('\0'), c.next().unwrap_or('\0')]
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Schema;

    fn index() -> Index {
        let i = Index::create_in_ram(Schema::builder().build());
        analysis::register(&i);
        i
    }

    #[test]
    fn marks_stemmed_and_unaccented_matches() {
        let i = index();
        let text = "Le président russe est arrivé à Minsk. Les présidents se sont parlé.";
        let s = snippet(&i, "vigie_fr", text, &["president".into(), "minsk".into()]);
        assert!(s.contains("<b>président</b>"), "{s}");
        assert!(s.contains("<b>Minsk</b>"), "{s}");
        assert!(s.contains("<b>présidents</b>"), "{s}");
    }

    #[test]
    fn long_text_is_cut_around_the_match_and_escaped() {
        let i = index();
        let text = format!("{} <Minsk> & co {}", "mot ".repeat(200), "fin ".repeat(200));
        let s = snippet(&i, "vigie_fr", &text, &["minsk".into()]);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("&lt;<b>Minsk</b>&gt; &amp; co"), "{s}");
        assert!(s.len() < 400);
    }

    #[test]
    fn without_matches_the_start_is_shown() {
        let i = index();
        let s = snippet(&i, "vigie_fold", "Début de l'article.", &[]);
        assert_eq!(s, "Début de l'article.");
    }
}
