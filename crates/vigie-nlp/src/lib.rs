//! Vigie's understanding stage: the people, places and organisations an article names,
//! with their aliases folded across spellings, languages and scripts.
//!
//! ```
//! use vigie_nlp::{recognize, Kind};
//!
//! let text = "Le porte-parole du Kremlin Dmitri Peskov a répondu depuis Moscou.";
//! let found: Vec<(&str, Kind)> = recognize(text, "fr")
//!     .iter()
//!     .map(|m| (&text[m.start..m.end], m.kind))
//!     .collect();
//! assert!(found.contains(&("Dmitri Peskov", Kind::Person)));
//! assert!(found.contains(&("Moscou", Kind::Location)));
//! ```

mod bloom;
mod entities;
pub mod fold;
pub mod kb;
mod keys;
mod quotes;
mod recognize;
pub mod token;

pub use entities::{entities, group, one_edit_apart, same_first_name, Entity, EntityMention};
pub use quotes::{quotes, quotes_with, Quote, Speaker};
pub use recognize::{recognize, Kind, Mention};

/// The text of an article the understanding stage reads: title, lead, body and image
/// captions, as paragraphs separated by blank lines. Mention offsets of an article are
/// offsets into this text.
pub fn article_text(article: &vigie_core::Article) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(article.title.as_deref());
    parts.extend(article.lead.as_deref());
    if !article.text.is_empty() {
        parts.push(&article.text);
    }
    parts.extend(article.images.iter().filter_map(|i| i.caption.as_deref()));
    parts.retain(|p| !p.trim().is_empty());
    parts.join("\n\n")
}
