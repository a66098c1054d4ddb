//! How text becomes index terms: split on non-alphanumerics, lower-case, fold accents,
//! then stem in the article's language.
//!
//! Folding comes before stemming on both sides (pages and queries) so that a query
//! typed without accents ("elysee") meets the page's "Élysée": the stemmers see the
//! same folded word either way.

use std::collections::HashMap;
use std::sync::OnceLock;

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
    for (slot, (code, algorithm)) in STEMMED.into_iter().enumerate() {
        manager.register(
            &format!("vigie_{code}"),
            folding().filter(CachedStemmer { algorithm }).build(),
        );
        manager.register(
            &pairs_analyzer_name(slot),
            folding()
                .filter(CachedStemmer { algorithm })
                .filter(CommonPairs { slot })
                .build(),
        );
    }
}

/// Words at least this frequent (Zipf × 10, so 10⁶ per 10⁹ words: "der", "sich",
/// "nicht", "de", "la"…, some hundred per language) are common: a phrase of two of
/// them matches a large part of any collection.
pub const COMMON_ZIPF: u8 = 60;

/// Tokenizer name of a stemmed slot's pairs of common words.
pub fn pairs_analyzer_name(slot: usize) -> String {
    format!("vigie_{}_pairs", STEMMED[slot].0)
}

/// A set of stems; looked up once per indexed word, so with a fast hasher.
type Stems = rustc_hash::FxHashSet<String>;

/// The stems of a stemmed slot's common words, computed on first use (a scan of the
/// language's word list: a store that never meets a language never pays for it).
fn common_stems(slot: usize) -> &'static Stems {
    static SETS: [OnceLock<Stems>; STEMMED.len()] = [const { OnceLock::new() }; STEMMED.len()];
    SETS[slot].get_or_init(|| {
        let (code, algorithm) = STEMMED[slot];
        let mut analyzer = folding().filter(CachedStemmer { algorithm }).build();
        let mut stems = Stems::default();
        for word in vigie_nlp::kb::kb().frequent_words(code, COMMON_ZIPF) {
            let mut stream = analyzer.token_stream(word);
            if let Some(t) = stream.next() {
                stems.insert(t.text.clone());
            }
        }
        stems
    })
}

/// Turns a stream of stems into the pairs of adjacent common stems ("sich nicht"),
/// each at the position of its first word, and nothing else. Indexed beside the
/// words, a pair answers the phrase of two common words from one short posting list
/// instead of checking the positions of two huge ones.
#[derive(Clone, Copy)]
pub struct CommonPairs {
    slot: usize,
}

impl TokenFilter for CommonPairs {
    type Tokenizer<T: Tokenizer> = CommonPairsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CommonPairsFilter<T> {
        CommonPairsFilter {
            slot: self.slot,
            inner: tokenizer,
        }
    }
}

/// The tokenizer of [`CommonPairs`].
#[derive(Clone)]
pub struct CommonPairsFilter<T> {
    slot: usize,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CommonPairsFilter<T> {
    type TokenStream<'a> = CommonPairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CommonPairsStream {
            tail: self.inner.token_stream(text),
            common: common_stems(self.slot),
            previous: None,
            token: Token::default(),
        }
    }
}

/// The token stream of [`CommonPairs`].
pub struct CommonPairsStream<T> {
    tail: T,
    common: &'static Stems,
    /// The last token, when it was a common word.
    previous: Option<Token>,
    token: Token,
}

impl<T: TokenStream> TokenStream for CommonPairsStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let t = self.tail.token();
            if !self.common.contains(&t.text) {
                self.previous = None;
                continue;
            }
            let paired = match &self.previous {
                Some(p) if p.position + 1 == t.position => {
                    self.token.text.clear();
                    self.token.text.push_str(&p.text);
                    self.token.text.push(' ');
                    self.token.text.push_str(&t.text);
                    self.token.position = p.position;
                    self.token.offset_from = p.offset_from;
                    self.token.offset_to = t.offset_to;
                    true
                }
                _ => false,
            };
            self.previous = Some(t.clone());
            if paired {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
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
    fn pairs_of_common_words_are_indexed_as_one_term() {
        let i = index();
        let de = pairs_analyzer_name(slot(Some("de")));
        // "sich nicht" and "nicht mehr" are pairs; "Regierung" is no common word and
        // breaks the run; case and accents fold as for the words.
        assert_eq!(
            terms(&i, &de, "Die Regierung äußert sich nicht mehr"),
            vec!["sich nicht", "nicht mehr"]
        );
        assert_eq!(terms(&i, &de, "SICH  nicht"), terms(&i, &de, "sich nicht"));
        assert!(terms(&i, &de, "Regierung Berlin").is_empty());
        let fr = pairs_analyzer_name(slot(Some("fr")));
        assert_eq!(
            terms(&i, &fr, "le président de la République"),
            vec!["de la"]
        );
    }

    #[test]
    fn unknown_languages_fold_without_stemming() {
        let i = index();
        assert_eq!(slot(Some("pl")), SLOTS - 1);
        assert_eq!(terms(&i, FOLD, "Łódź Kraków"), vec!["lodz", "krakow"]);
    }
}
