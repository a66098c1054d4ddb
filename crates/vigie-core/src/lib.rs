//! Shared types of the Vigie pipeline.
//!
//! Every stage (extraction, language analysis, storage, stories, signals) speaks in
//! these plain data types, so that each stage can be used alone and composed by the
//! pipeline. The serialised field names are a public contract: tools outside the
//! project read them, so renaming one is a breaking change.

mod article;

pub use article::{join_paragraphs, Article, Block, BlockKind, Image};
