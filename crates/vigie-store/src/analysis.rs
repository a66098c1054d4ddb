//! How text becomes index terms: split on non-alphanumerics, lower-case, fold accents,
//! then stem in the article's language.
//!
//! Folding comes before stemming on both sides (pages and queries) so that a query
//! typed without accents ("elysee") meets the page's "Élysée": the stemmers see the
//! same folded word either way.

use std::collections::HashMap;

use frostem::Algorithm;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};
use tantivy::Index;

/// Languages with a stemmer of their own; any other language is folded but not stemmed.
pub const STEMMED: [(&str, Algorithm); 8] = [
    ("fr", Algorithm::French),
    ("en", Algorithm::English),
    ("de", Algorithm::German),
    ("es", Algorithm::Spanish),
    ("it", Algorithm::Italian),
    ("pt", Algorithm::Portuguese),
    ("nl", Algorithm::Dutch),
    ("ru", Algorithm::Russian),
];

/// The analysis slot of a language: its index in [`STEMMED`], or the last slot.
pub fn slot(lang: Option<&str>) -> usize {
    lang.and_then(|l| STEMMED.iter().position(|(code, _)| *code == l))
        .unwrap_or(STEMMED.len())
}

/// Number of analysis slots: one per stemmed language plus one for the rest.
pub const SLOTS: usize = STEMMED.len() + 1;

/// Tokenizer name of a slot.
pub fn analyzer_name(slot: usize) -> String {
    match STEMMED.get(slot) {
        Some((code, _)) => format!("vigie_{code}"),
        None => FOLD.to_string(),
    }
}

/// The folding analyzer without stemming: names, sites, entities.
pub const FOLD: &str = "vigie_fold";

fn folding() -> tantivy::tokenizer::TextAnalyzerBuilder<impl tantivy::tokenizer::Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

/// Registers every analyzer on an index.
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(FOLD, folding().build());
    for (code, algorithm) in STEMMED {
        manager.register(
            &format!("vigie_{code}"),
            folding().filter(CachedStemmer { algorithm }).build(),
        );
    }
}

/// Snowball stemming with a memo of the words already stemmed. Stemming was the
/// largest cost of indexing; news text repeats its words, so most lookups hit.
#[derive(Clone, Copy)]
pub struct CachedStemmer {
    algorithm: Algorithm,
}

/// Words remembered per analyzer before the memo starts afresh.
const STEM_CACHE_WORDS: usize = 100_000;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            stemmer: frostem::Stemmer::new(self.algorithm),
            cache: HashMap::new(),
            inner: tokenizer,
        }
    }
}

/// The tokenizer of [`CachedStemmer`]; it owns the memo, so the memo lives as long
/// as the analyzer (one per field and indexing thread).
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    stemmer: frostem::Stemmer,
    cache: HashMap<String, String>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > STEM_CACHE_WORDS {
            self.cache.clear();
        }
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: self.stemmer,
            cache: &mut self.cache,
        }
    }
}

/// The token stream of [`CachedStemmer`].
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: frostem::Stemmer,
    cache: &'a mut HashMap<String, String>,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stem = match self.cache.get(&token.text) {
            Some(stem) => stem.clone(),
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                self.cache.insert(token.text.clone(), stem.clone());
                stem
            }
        };
        token.text = stem;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The terms of `text` under an analyzer of `index`.
pub fn terms(index: &Index, analyzer: &str, text: &str) -> Vec<String> {
    let Some(mut a) = index.tokenizers().get(analyzer) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stream = a.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Schema;

    fn index() -> Index {
        let index = Index::create_in_ram(Schema::builder().build());
        register(&index);
        index
    }

    #[test]
    fn accents_and_case_fold_before_stemming() {
        let i = index();
        let fr = analyzer_name(slot(Some("fr")));
        assert_eq!(terms(&i, &fr, "Élysée"), terms(&i, &fr, "elysee"));
        assert_eq!(terms(&i, &fr, "présidents"), terms(&i, &fr, "president"));
    }

    #[test]
    fn each_language_stems_its_own_forms() {
        let i = index();
        let de = analyzer_name(slot(Some("de")));
        assert_eq!(
            terms(&i, &de, "Verhandlungen"),
            terms(&i, &de, "Verhandlung")
        );
        let ru = analyzer_name(slot(Some("ru")));
        assert_eq!(terms(&i, &ru, "Путина"), terms(&i, &ru, "Путин"));
    }

    #[test]
    fn the_stem_memo_gives_the_stemmers_answers() {
        let i = index();
        let fr = analyzer_name(slot(Some("fr")));
        let text = "présidents président présidents continuellement continuellement";
        let stemmer = frostem::Stemmer::new(Algorithm::French);
        let expected: Vec<String> = [
            "presidents",
            "president",
            "presidents",
            "continuellement",
            "continuellement",
        ]
        .iter()
        .map(|w| stemmer.stem(w).into_owned())
        .collect();
        assert_eq!(terms(&i, &fr, text), expected);
        // And again, from the memo.
        assert_eq!(terms(&i, &fr, text), expected);
    }

    #[test]
    fn unknown_languages_fold_without_stemming() {
        let i = index();
        assert_eq!(slot(Some("pl")), SLOTS - 1);
        assert_eq!(terms(&i, FOLD, "Łódź Kraków"), vec!["lodz", "krakow"]);
    }
}
