//! Reading HTML: a compact tree, and the class/id hints that tell content from boilerplate.

pub mod hints;
pub mod parse;
pub mod tag;

pub use parse::{Document, ParseLimits};
pub use tag::Tag;
