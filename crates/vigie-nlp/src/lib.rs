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

pub mod fold;
pub mod kb;
mod keys;
mod recognize;
pub mod token;

pub use recognize::{recognize, Kind, Mention};
