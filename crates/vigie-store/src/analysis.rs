//! How text becomes index terms: split on non-alphanumerics, lower-case, fold accents,
//! then stem in the article's language.
//!
//! Folding comes before stemming on both sides (pages and queries) so that a query
//! typed without accents ("elysee") meets the page's "Élysée": the stemmers see the
//! same folded word either way.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenStream,
};
use tantivy::Index;

/// Languages with a stemmer of their own; any other language is folded but not stemmed.
pub const STEMMED: [(&str, Language); 8] = [
    ("fr", Language::French),
    ("en", Language::English),
    ("de", Language::German),
    ("es", Language::Spanish),
    ("it", Language::Italian),
    ("pt", Language::Portuguese),
    ("nl", Language::Dutch),
    ("ru", Language::Russian),
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
    for (code, language) in STEMMED {
        manager.register(
            &format!("vigie_{code}"),
            folding().filter(Stemmer::new(language)).build(),
        );
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
    fn unknown_languages_fold_without_stemming() {
        let i = index();
        assert_eq!(slot(Some("pl")), SLOTS - 1);
        assert_eq!(terms(&i, FOLD, "Łódź Kraków"), vec!["lodz", "krakow"]);
    }
}
