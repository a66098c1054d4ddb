use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A news article as Vigie understands it: metadata plus the body without the page's boilerplate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The address the page was read from, when known.
    pub url: Option<String>,
    /// The address the page declares as its canonical one (`<link rel=canonical>`, `og:url`).
    pub canonical_url: Option<String>,
    /// The publication's name ("Les Echos"), not its host name.
    pub site: Option<String>,
    /// ISO 639-1 code of the article's language.
    pub lang: Option<String>,
    /// The headline, without the site name glued to it.
    pub title: Option<String>,
    /// The standfirst: the short summary printed under the headline.
    pub lead: Option<String>,
    /// Author names as written, roles and agencies split off.
    pub authors: Vec<String>,
    /// First publication time, with the offset it was published in.
    pub published: Option<DateTime<FixedOffset>>,
    /// Last update time, when the page says it was updated.
    pub updated: Option<DateTime<FixedOffset>>,
    /// The section the publication files the article under ("Politique", "Sport"), as
    /// the page declares it. Absent from JSON written before it existed.
    #[serde(default)]
    pub section: Option<String>,
    /// The article's keywords as the page declares them, each once. Absent from JSON
    /// written before they existed.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The article's text blocks, in reading order.
    pub body: Vec<Block>,
    /// The body as plain text, blocks separated by a blank line.
    pub text: String,
    /// Pictures of the article with their captions and credits.
    pub images: Vec<Image>,
}

impl Article {
    /// Rebuilds [`Article::text`] from [`Article::body`].
    pub fn refresh_text(&mut self) {
        self.text = join_paragraphs(self.body.iter().map(|b| b.text.as_str()));
    }
}

/// Paragraphs joined as [`Article::text`] joins the blocks: a blank line between two,
/// none before the first that has text.
pub fn join_paragraphs<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for part in parts {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(part);
    }
    text
}

/// One block of an article's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// What the block is: a paragraph, a subheading, a quotation or a list.
    pub kind: BlockKind,
    /// The block's text; list items are separated by newlines.
    pub text: String,
}

/// The kinds of body block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// Running text.
    Paragraph,
    /// A subheading inside the article.
    Heading,
    /// A block quotation.
    Quote,
    /// A list (or a table, flattened row by row).
    List,
}

/// A picture belonging to the article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Absolute address of the picture, when the page gives one.
    pub url: Option<String>,
    /// What the picture shows.
    pub caption: Option<String>,
    /// Who took or owns the picture.
    pub credit: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_written_before_section_and_keywords_still_reads() {
        let old = r#"{"url":null,"canonical_url":null,"site":null,"lang":"fr","title":"T","lead":null,
            "authors":[],"published":"2022-12-19T17:53:00+01:00","updated":null,
            "body":[{"kind":"paragraph","text":"Texte."}],"text":"Texte.","images":[]}"#;
        let a: Article = serde_json::from_str(old).unwrap();
        assert_eq!(a.section, None);
        assert!(a.keywords.is_empty());
        assert_eq!(a.title.as_deref(), Some("T"));
        let new = Article {
            section: Some("Politique".into()),
            keywords: vec!["budget".into()],
            ..a
        };
        let back: Article = serde_json::from_str(&serde_json::to_string(&new).unwrap()).unwrap();
        assert_eq!(back, new);
    }
}
