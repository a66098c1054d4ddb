//! Vigie's query language: what a user types into `vigie search`.
//!
//! ```text
//! poutine minsk                      both words (AND is implied)
//! "sommet de Minsk"                  an exact phrase
//! poutine OR putin                   either word
//! poutine -loukachenko               without a word (also: NOT loukachenko)
//! (poutine OR putin) AND minsk       parentheses group
//! title:minsk  author:quénelle       a word in the title, an author
//! site:lesechos.fr  lang:fr          a site (name or host), a language
//! published:2022-12-01..2022-12-31   a range of days (also 2022-12, 2022, >=2022-12-01, <2023)
//! published:7d                       the last seven days (also 24h, 2w)
//! entity:"Vladimir Poutine"          articles naming an entity, in any form
//! ```
//!
//! Words are matched without regard to case or accents, and stemmed in each
//! article's language. A malformed query is refused with the position of the problem.

mod parse;

pub use parse::{parse, DateBound, Expr, Field, QueryError, Relative};
