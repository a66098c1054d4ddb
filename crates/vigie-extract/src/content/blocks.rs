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
    /// Repeats a picture's `alt` or `title`: a caption set outside `figcaption`. Its
    /// text is still weighed like any text when the body is chosen (a recipe's summary
    /// may also be its photo's description) but it is no paragraph of the body.
    pub describes_image: bool,
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
    let mut bits_of: FxHashMap<&str, u8> = FxHashMap::default();
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
        // Pages repeat the same class names on hundreds of elements: classify each once
        // (apart from its id, which is most often the element's own).
        let hint = if el.class.is_none() && el.id.is_none() {
            Hint::default()
        } else {
            let bits = [el.class, el.id].into_iter().flatten().fold(0, |bits, v| {
                bits | *bits_of.entry(v).or_insert_with(|| hints::value_bits(v))
            });
            Hint::from_bits(bits)
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
        // A print button or a print-only line is short; an element named for printing
        // that holds sentences is the printable content itself.
        let printable = !hints_v[i].boilerplate && subtree_text >= PRINTABLE_MIN;
        if !holds_article[i] && !wrapper && !printable {
            pruned[i] = true;
        }
    }
    // Only a small element is a caption: pages also put such words in the class of a
    // wrapper ("f_caption_muted_videos_on" on `body`).
    for (i, h) in hints_v.iter_mut().enumerate() {
        if h.caption && text_before[doc.nodes[i].end as usize] - text_before[i] > CAPTION_MAX {
            h.caption = false;
        }
    }
    Marks {
        pruned,
        hints: hints_v,
    }
}

/// Bytes of text (a sentence) above which an element named only for printing is content,
/// not a print button or link.
const PRINTABLE_MIN: usize = 80;

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
    if (hint.boilerplate || hint.print)
        && !hint.content
        && !matches!(tag, Html | Body | Main | Article)
    {
        return Prune::ByHint;
    }
    Prune::Never
}

/// Characters (bytes, for an element's text) above which a block is no caption,
/// whatever its element is named.
const CAPTION_MAX: usize = 400;

/// A short line that repeats a picture's `alt` or `title` describes the picture: it is
/// its caption, wherever the page set it (a `p` after the image, a lightbox title),
/// possibly with a credit or an "enlarge" button's label around it.
pub fn mark_image_descriptions(doc: &Document, blocks: &mut [TextBlock]) {
    let mut seen: rustc_hash::FxHashSet<String> = rustc_hash::FxHashSet::default();
    let mut described: Vec<String> = Vec::new();
    // The descriptions by their longer words: a block is compared only with those that
    // share one of its first words, and most blocks of most pages share none. Short
    // words ("the", "die", "les") are in every description and every paragraph.
    let mut by_word: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, node) in doc.nodes.iter().enumerate() {
        if node.tag != Tag::Img {
            continue;
        }
        for (name, value) in doc.attrs(i) {
            if matches!(name, "alt" | "title") && value.len() >= IMAGE_TEXT_MIN {
                let v = super::normalize_for_match(value);
                if v.len() >= IMAGE_TEXT_MIN && seen.insert(v.clone()) {
                    for w in v.split(' ').filter(|w| w.chars().count() >= KEY_WORD_MIN) {
                        let list = by_word.entry(w.to_string()).or_default();
                        // A gallery repeats its words in every description: a few
                        // of them are enough to recognise a caption.
                        if list.len() < KEY_WORD_CANDIDATES && list.last() != Some(&described.len())
                        {
                            list.push(described.len());
                        }
                    }
                    described.push(v);
                }
            }
        }
    }
    if described.is_empty() {
        return;
    }
    let mut candidates: Vec<usize> = Vec::new();
    for b in blocks.iter_mut() {
        if b.role != Role::Text || b.chars > CAPTION_MAX || b.chars < IMAGE_TEXT_MIN {
            continue;
        }
        // The first three words: a caption may open with a button's label ("Enlarge").
        candidates.clear();
        for w in b
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(3)
        {
            if w.chars().count() >= KEY_WORD_MIN {
                if let Some(list) = by_word.get(&w.to_lowercase()) {
                    candidates.extend(list);
                }
            }
        }
        if candidates.is_empty() {
            continue;
        }
        let t = super::normalize_for_match(&b.text);
        if t.len() < IMAGE_TEXT_MIN {
            continue;
        }
        b.describes_image = candidates.iter().any(|&c| {
            let d = &described[c];
            d.contains(t.as_str())
                || (d.len() >= 2 * IMAGE_TEXT_MIN
                    && t.len() <= d.len() + IMAGE_TEXT_EXTRA
                    && t.contains(d.as_str()))
        });
    }
}

/// Bytes of words an image description must have to be recognised (shorter ones, "Foto",
/// a name, match too much), and bytes a caption may add to it (a credit, a button label).
const IMAGE_TEXT_MIN: usize = 15;
const IMAGE_TEXT_EXTRA: usize = 80;
/// Characters of a word long enough to tell one description from another, and the
/// descriptions a block is compared with per such word.
const KEY_WORD_MIN: usize = 5;
const KEY_WORD_CANDIDATES: usize = 8;

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

/// The length of the character at byte `i` of `t` and whether it `is_space`, without
/// decoding characters that cannot be: every space outside ASCII starts with one of
/// the bytes C2 (U+0085, U+00A0), E1 (U+1680), E2 (U+2000–U+205F), E3 (U+3000) or
/// EF (U+FEFF).
fn space_at(t: &str, i: usize) -> (usize, bool) {
    let lead = t.as_bytes()[i];
    match lead {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => (1, true),
        0..0x80 => (1, false),
        0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => {
            let c = t[i..].chars().next().expect("a character starts here");
            (c.len_utf8(), is_space(c))
        }
        0xF0.. => (4, false),
        0xE0.. => (3, false),
        _ => (2, false),
    }
}

#[derive(Default)]
struct Buffer {
    text: String,
    chars: usize,
    link_chars: usize,
    pending_space: bool,
}

impl Buffer {
    /// Appends the words of `t` (the runs between `is_space` characters), one space
    /// between them. This runs on every text node of every page, twice: it reads bytes
    /// rather than characters, and copies runs of words that a single ASCII space
    /// already separates in one piece.
    fn push_text(&mut self, t: &str, in_link: bool) {
        let b = t.as_bytes();
        let n = b.len();
        let mut chars = 0;
        let mut last_space = false;
        // Words read but not yet copied: a byte range of `t`, single spaces inside.
        let mut run: Option<(usize, usize)> = None;
        let mut i = 0;
        while i < n {
            let (len, space) = space_at(t, i);
            if space {
                if i == 0 {
                    self.pending_space = true;
                }
                last_space = true;
                i += len;
                continue;
            }
            let start = i;
            while i < n {
                // Printable ASCII is never a space.
                if (0x21..0x80).contains(&b[i]) {
                    i += 1;
                    chars += 1;
                    continue;
                }
                let (len, space) = space_at(t, i);
                if space {
                    break;
                }
                chars += 1;
                i += len;
            }
            last_space = false;
            run = Some(match run {
                Some((s, e)) if start == e + 1 && b[e] == b' ' => (s, i),
                Some((s, e)) => {
                    self.text.push_str(&t[s..e]);
                    self.text.push(' ');
                    (start, i)
                }
                None => {
                    // The first word: a space before it when one was pending.
                    if self.pending_space && !self.text.is_empty() && !self.text.ends_with('\n') {
                        self.text.push(' ');
                    }
                    (start, i)
                }
            });
        }
        if let Some((s, e)) = run {
            self.text.push_str(&t[s..e]);
        }
        self.chars += chars;
        if in_link {
            self.link_chars += chars;
        }
        if !t.is_empty() {
            // Text ending in a word glues to what follows (`<b>wor</b>d`).
            self.pending_space = last_space;
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
            // A caption set in a `p` or `div` named for it.
            if h.caption {
                role = Role::Caption;
            }
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
            describes_image: false,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `push_text` as it read before it scanned bytes: the reference.
    fn push_text_by_chars(buf: &mut Buffer, t: &str, in_link: bool) {
        if t.starts_with(is_space) {
            buf.pending_space = true;
        }
        for word in t.split(is_space).filter(|w| !w.is_empty()) {
            if buf.pending_space && !buf.text.is_empty() && !buf.text.ends_with('\n') {
                buf.text.push(' ');
            }
            buf.text.push_str(word);
            let chars = word.chars().count();
            buf.chars += chars;
            if in_link {
                buf.link_chars += chars;
            }
            buf.pending_space = true;
        }
        if !t.is_empty() {
            buf.pending_space = t.ends_with(is_space);
        }
    }

    #[test]
    fn words_read_by_bytes_as_by_characters() {
        // Every space Vigie knows, look-alikes that are not spaces, and words.
        let alphabet: Vec<char> = (0..0x80u32)
            .filter_map(char::from_u32)
            .chain(
                [
                    0x85, 0xa0, 0xad, 0x1680, 0x180e, 0x2000, 0x2005, 0x200a, 0x200b, 0x200c,
                    0x200d, 0x2028, 0x2029, 0x202f, 0x205f, 0x2060, 0x3000, 0xfeff, 0xe9, 0x44f,
                    0x4e2d, 0x1f600, 0x2014, 0xef, 0xc2,
                ]
                .into_iter()
                .filter_map(char::from_u32),
            )
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20000 {
            let mut fast = Buffer::default();
            let mut slow = Buffer::default();
            for _ in 0..1 + next(4) {
                let len = next(12);
                let t: String = (0..len)
                    .map(|_| {
                        if next(3) == 0 {
                            alphabet[next(alphabet.len())]
                        } else {
                            ['a', ' ', 'é', '\u{a0}', '\n'][next(5)]
                        }
                    })
                    .collect();
                let in_link = next(2) == 0;
                fast.push_text(&t, in_link);
                push_text_by_chars(&mut slow, &t, in_link);
                if next(5) == 0 {
                    fast.push_break();
                    slow.push_break();
                }
            }
            assert_eq!(fast.text, slow.text);
            assert_eq!(fast.chars, slow.chars);
            assert_eq!(fast.link_chars, slow.link_chars);
            assert_eq!(fast.pending_space, slow.pending_space);
        }
    }
}
