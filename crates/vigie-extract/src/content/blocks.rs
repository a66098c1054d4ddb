//! Turns the tree into text blocks: maximal runs of inline text inside one block element,
//! with the statistics the content selection weighs (length, link text, position, hints).

use rustc_hash::FxHashMap;

use crate::html::hints::{self, Hint};
use crate::html::{Document, Tag};

/// What kind of element a block's text sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Ordinary running text (`p`, `div`, `td`…).
    Text,
    /// A heading; the number is its level.
    Heading(u8),
    /// Inside a `blockquote`.
    Quote,
    /// A list item; the number identifies the list it belongs to.
    ListItem(u32),
    /// Preformatted text.
    Pre,
    /// A figure caption.
    Caption,
}

/// A run of text between two block boundaries.
#[derive(Debug, Clone)]
pub struct TextBlock {
    /// The innermost block element holding the text.
    pub owner: usize,
    /// The role of that element.
    pub role: Role,
    /// Whitespace-normalised text (line breaks from `<br>` kept as `\n`).
    pub text: String,
    /// Characters of text.
    pub chars: usize,
    /// Characters of text inside links.
    pub link_chars: usize,
    /// Some ancestor's class/id names the article text.
    pub content_hint: bool,
    /// Some ancestor's class/id is a weak boilerplate hint.
    pub weak_boilerplate: bool,
    /// Inside `<header>`.
    pub in_header: bool,
}

impl TextBlock {
    /// Share of the text that is link text.
    pub fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }
}

/// Per-element facts computed once.
pub struct Marks {
    /// Element is dropped with its subtree (scripts, hidden, navigation, ad slots…).
    pub pruned: Vec<bool>,
    /// Class/id hint of each element.
    pub hints: Vec<Hint>,
}

/// Decides which subtrees can never hold article text.
pub fn mark(doc: &Document) -> Marks {
    let n = doc.nodes.len();
    let mut pruned = vec![false; n];
    let mut hints_v = vec![Hint::default(); n];
    let mut by_hint = Vec::new();
    // Elements that unambiguously hold the article (and their ancestors) are never
    // pruned on class names alone: a page-wide "has-sidebar" wrapper must survive.
    let mut holds_article = vec![false; n];
    let mut hint_cache: FxHashMap<(Option<&str>, Option<&str>), Hint> = FxHashMap::default();
    for i in 1..n {
        let node = &doc.nodes[i];
        if node.tag == Tag::Text {
            continue;
        }
        let mut el = ElementAttrs::default();
        for (name, value) in doc.attrs(i) {
            match name {
                "class" => el.class = Some(value),
                "id" => el.id = Some(value),
                "hidden" => el.hidden = true,
                "aria-hidden" => el.hidden |= value == "true",
                "style" => el.hidden |= style_hides(value),
                "role" => el.role = Some(value),
                "itemprop" => el.article_body = value.eq_ignore_ascii_case("articlebody"),
                _ => {}
            }
        }
        // Pages repeat the same class names on hundreds of elements: classify each once.
        let hint = if el.class.is_none() && el.id.is_none() {
            Hint::default()
        } else {
            *hint_cache
                .entry((el.class, el.id))
                .or_insert_with(|| hints::classify(el.class, el.id))
        };
        hints_v[i] = hint;
        if hint.strong_content || el.article_body {
            holds_article[i] = true;
        }
        match prune_element(node.tag, &el, hint) {
            Prune::Always => pruned[i] = true,
            Prune::ByHint => by_hint.push(i),
            Prune::Never => {}
        }
    }
    for i in (1..n).rev() {
        if holds_article[i] {
            holds_article[doc.nodes[i].parent as usize] = true;
        }
    }
    // A class name is weaker evidence than the text itself: an element holding most of
    // the page's text is a layout wrapper ("two-col-sidebar-right"), unless it names comments.
    // Visible text only: scripts (JSON-LD) and hidden subtrees do not count.
    let mut text_before = Vec::with_capacity(n + 1);
    let mut total = 0usize;
    let mut skip_until = 0;
    for (i, &is_pruned) in pruned.iter().enumerate() {
        text_before.push(total);
        if i < skip_until {
            continue;
        }
        if is_pruned {
            skip_until = doc.nodes[i].end as usize;
            continue;
        }
        total += doc.node_text(i).len();
    }
    text_before.push(total);
    for i in by_hint {
        let subtree_text = text_before[doc.nodes[i].end as usize] - text_before[i];
        let wrapper = subtree_text * 2 > total && !hints_v[i].comments;
        if !holds_article[i] && !wrapper {
            pruned[i] = true;
        }
    }
    Marks {
        pruned,
        hints: hints_v,
    }
}

#[derive(Default)]
struct ElementAttrs<'a> {
    class: Option<&'a str>,
    id: Option<&'a str>,
    role: Option<&'a str>,
    hidden: bool,
    article_body: bool,
}

enum Prune {
    Always,
    ByHint,
    Never,
}

fn style_hides(style: &str) -> bool {
    // Most style attributes say neither: test cheaply before normalising.
    let bytes = style.as_bytes();
    let has = |w: &[u8]| bytes.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    if !has(b"none") && !has(b"hidden") {
        return false;
    }
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    s.contains("display:none") || s.contains("visibility:hidden")
}

fn prune_element(tag: Tag, el: &ElementAttrs<'_>, hint: Hint) -> Prune {
    use Tag::*;
    if matches!(
        tag,
        Head | Script
            | Style
            | Noscript
            | Template
            | Svg
            | Math
            | Iframe
            | Object
            | Embed
            | Canvas
            | Video
            | Audio
            | Button
            | Select
            | Input
            | Textarea
            | Option
            | Nav
            | Aside
            | Footer
            | Dialog
            | Label
    ) || el.hidden
    {
        return Prune::Always;
    }
    if let Some(role) = el.role {
        if matches!(
            role,
            "navigation"
                | "complementary"
                | "contentinfo"
                | "dialog"
                | "alertdialog"
                | "banner"
                | "menu"
                | "menubar"
                | "search"
        ) {
            return Prune::ByHint;
        }
    }
    if hint.boilerplate && !hint.content && !matches!(tag, Html | Body | Main | Article) {
        return Prune::ByHint;
    }
    Prune::Never
}

/// Collects the text blocks of the unpruned tree in document order.
pub fn collect(doc: &Document, marks: &Marks) -> Vec<TextBlock> {
    let n = doc.nodes.len();
    let mut blocks = Vec::new();
    // Open elements: (end, tag, index, hint).
    let mut open: Vec<(u32, Tag, usize)> = Vec::new();
    let mut buf = Buffer::default();
    let mut i = 1;
    while i < n {
        while let Some(&(end, tag, _)) = open.last() {
            if end as usize > i {
                break;
            }
            // The text collected so far belongs to the closing element itself.
            if tag.is_block() {
                buf.flush(&open, marks, &mut blocks);
            }
            open.pop();
        }
        let node = &doc.nodes[i];
        if node.tag == Tag::Text {
            let in_link = open.iter().any(|o| o.1 == Tag::A);
            buf.push_text(doc.node_text(i), in_link);
            i += 1;
            continue;
        }
        if marks.pruned[i] {
            i = node.end as usize;
            continue;
        }
        if node.tag == Tag::Br {
            buf.push_break();
        } else if node.tag.is_block() {
            buf.flush(&open, marks, &mut blocks);
        } else if matches!(node.tag, Tag::Img | Tag::Td | Tag::Th) {
            // Cells of a row read as one line, with a space between them.
            buf.push_text(" ", false);
        }
        open.push((node.end, node.tag, i));
        i += 1;
    }
    while let Some(&(_, tag, _)) = open.last() {
        if tag.is_block() {
            buf.flush(&open, marks, &mut blocks);
        }
        open.pop();
    }
    buf.flush(&open, marks, &mut blocks);
    blocks
}

/// White space as rendered: Unicode spaces plus the zero-width ones pages use as glue.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}'
}

#[derive(Default)]
struct Buffer {
    text: String,
    chars: usize,
    link_chars: usize,
    pending_space: bool,
}

impl Buffer {
    fn push_text(&mut self, t: &str, in_link: bool) {
        if t.starts_with(is_space) {
            self.pending_space = true;
        }
        for word in t.split(is_space).filter(|w| !w.is_empty()) {
            if self.pending_space && !self.text.is_empty() && !self.text.ends_with('\n') {
                self.text.push(' ');
            }
            self.text.push_str(word);
            let chars = if word.is_ascii() {
                word.len()
            } else {
                word.chars().count()
            };
            self.chars += chars;
            if in_link {
                self.link_chars += chars;
            }
            self.pending_space = true;
        }
        if !t.is_empty() {
            // Text ending in a word glues to what follows (`<b>wor</b>d`).
            self.pending_space = t.ends_with(is_space);
        }
    }

    fn push_break(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.pending_space = false;
    }

    fn flush(&mut self, open: &[(u32, Tag, usize)], marks: &Marks, out: &mut Vec<TextBlock>) {
        self.pending_space = false;
        let text = self.text.trim_end();
        if self.chars == 0 || text.is_empty() {
            self.text.clear();
            self.chars = 0;
            self.link_chars = 0;
            return;
        }
        let owner = open
            .iter()
            .rev()
            .find(|o| o.1.is_block())
            .map_or(0, |o| o.2);
        let mut role = Role::Text;
        let mut content_hint = false;
        let mut weak = false;
        let mut in_header = false;
        for &(_, tag, idx) in open.iter().rev() {
            match tag {
                Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 if role == Role::Text => {
                    role = Role::Heading(heading_level(tag));
                }
                Tag::Blockquote if matches!(role, Role::Text) => role = Role::Quote,
                Tag::Li if role == Role::Text => {
                    let list = open
                        .iter()
                        .rev()
                        .find(|o| matches!(o.1, Tag::Ul | Tag::Ol))
                        .map_or(idx, |o| o.2);
                    role = Role::ListItem(list as u32);
                }
                Tag::Pre if role == Role::Text => role = Role::Pre,
                Tag::Figcaption => role = Role::Caption,
                Tag::Header => in_header = true,
                _ => {}
            }
            let h = marks.hints[idx];
            content_hint |= h.content;
            weak |= h.weak_boilerplate && !h.content;
        }
        out.push(TextBlock {
            owner,
            role,
            text: text.to_string(),
            chars: self.chars,
            link_chars: self.link_chars,
            content_hint,
            weak_boilerplate: weak,
            in_header,
        });
        self.text.clear();
        self.chars = 0;
        self.link_chars = 0;
    }
}

fn heading_level(tag: Tag) -> u8 {
    match tag {
        Tag::H1 => 1,
        Tag::H2 => 2,
        Tag::H3 => 3,
        Tag::H4 => 4,
        Tag::H5 => 5,
        _ => 6,
    }
}
