//! How text becomes index terms: split on non-alphanumerics, lower-case, fold accents,
//! then stem in the article's language.
//!
//! Folding comes before stemming on both sides (pages and queries) so that a query
//! typed without accents ("elysee") meets the page's "Élysée": the stemmers see the
//! same folded word either way.

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
            &text_analyzer_name(slot),
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

/// Tokenizer name of a slot's article text: the words, and in a stemmed language the
/// pairs of adjacent common words among them ([`CommonPairs`]).
pub fn text_analyzer_name(slot: usize) -> String {
    match STEMMED.get(slot) {
        Some((code, _)) => format!("vigie_{code}_text"),
        None => FOLD.to_string(),
    }
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

/// Adds to a stream of stems the pairs of adjacent common stems ("sich nicht"), each
/// at the position of its first word, right after the second word (as Lucene's
/// CommonGrams). Indexed among the words, a pair answers the phrase of two common
/// words from one short posting list instead of checking the positions of two huge
/// ones; a pair holds a space, so it never meets a word. The words go through
/// unchanged, so phrase queries over them are unaffected.
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
            pair: Token::default(),
            pair_next: false,
            on_pair: false,
        }
    }
}

/// The token stream of [`CommonPairs`].
pub struct CommonPairsStream<T> {
    tail: T,
    common: &'static Stems,
    /// The last word, when it was a common one: its position, start and stem.
    previous: Option<(usize, usize, String)>,
    /// The pair ending at the current word, emitted at the next advance.
    pair: Token,
    pair_next: bool,
    /// Whether the current token is `pair` rather than the tail's word.
    on_pair: bool,
}

impl<T: TokenStream> TokenStream for CommonPairsStream<T> {
    fn advance(&mut self) -> bool {
        if self.pair_next {
            self.pair_next = false;
            self.on_pair = true;
            return true;
        }
        self.on_pair = false;
        if !self.tail.advance() {
            return false;
        }
        let t = self.tail.token();
        if !self.common.contains(&t.text) {
            self.previous = None;
            return true;
        }
        if let Some((position, from, text)) = &mut self.previous {
            if *position + 1 == t.position {
                self.pair.text.clear();
                self.pair.text.push_str(text);
                self.pair.text.push(' ');
                self.pair.text.push_str(&t.text);
                self.pair.position = *position;
                self.pair.offset_from = *from;
                self.pair.offset_to = t.offset_to;
                self.pair_next = true;
            }
            *position = t.position;
            *from = t.offset_from;
            text.clear();
            text.push_str(&t.text);
        } else {
            self.previous = Some((t.position, t.offset_from, t.text.clone()));
        }
        true
    }

    fn token(&self) -> &Token {
        if self.on_pair {
            &self.pair
        } else {
            self.tail.token()
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.on_pair {
            &mut self.pair
        } else {
            self.tail.token_mut()
        }
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
            cache: StemMemo::default(),
            inner: tokenizer,
        }
    }
}

/// The tokenizer of [`CachedStemmer`]; it owns the memo, so the memo lives as long
/// as the analyzer (one per field and indexing thread).
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    stemmer: frostem::Stemmer,
    cache: StemMemo,
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

/// Words and their stems; looked up once per indexed word, so with a fast hasher.
type StemMemo = rustc_hash::FxHashMap<String, String>;

/// The token stream of [`CachedStemmer`].
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: frostem::Stemmer,
    cache: &'a mut StemMemo,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // The stem is copied into the token's own buffer: no allocation on a hit.
        if let Some(stem) = self.cache.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
        } else {
            let stem = self.stemmer.stem(&token.text).into_owned();
            self.cache
                .insert(std::mem::take(&mut token.text), stem.clone());
            token.text = stem;
        }
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
    fn pairs_of_common_words_are_indexed_among_the_words() {
        let i = index();
        let de = slot(Some("de"));
        let pairs = |a: &str, text: &str| -> Vec<String> {
            terms(&i, a, text)
                .into_iter()
                .filter(|t| t.contains(' '))
                .collect()
        };
        // "sich nicht" and "nicht mehr" are pairs; "Regierung" is no common word and
        // breaks the run; case and accents fold as for the words.
        let text = "Die Regierung äußert sich nicht mehr";
        assert_eq!(
            pairs(&text_analyzer_name(de), text),
            vec!["sich nicht", "nicht mehr"]
        );
        let words = terms(&i, &analyzer_name(de), text);
        let all = terms(&i, &text_analyzer_name(de), text);
        assert_eq!(all.len(), words.len() + 2);
        assert_eq!(
            pairs(&text_analyzer_name(de), "SICH  nicht"),
            pairs(&text_analyzer_name(de), "sich nicht")
        );
        assert!(pairs(&text_analyzer_name(de), "Regierung Berlin").is_empty());
        let fr = slot(Some("fr"));
        assert_eq!(
            pairs(&text_analyzer_name(fr), "le président de la République"),
            vec!["de la"]
        );
    }

    #[test]
    fn a_pair_sits_at_the_position_of_its_first_word() {
        let i = index();
        let mut a = i
            .tokenizers()
            .get(&text_analyzer_name(slot(Some("fr"))))
            .expect("registered");
        let mut stream = a.token_stream("de la");
        let mut got = Vec::new();
        while let Some(t) = stream.next() {
            got.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        assert_eq!(
            got,
            vec![
                ("de".to_string(), 0, 0, 2),
                ("la".to_string(), 1, 3, 5),
                ("de la".to_string(), 0, 0, 5)
            ]
        );
    }

    #[test]
    fn unknown_languages_fold_without_stemming() {
        let i = index();
        assert_eq!(slot(Some("pl")), SLOTS - 1);
        assert_eq!(terms(&i, FOLD, "Łódź Kraków"), vec!["lodz", "krakow"]);
    }
}
