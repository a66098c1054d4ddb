//! A fast, forgiving HTML reader that builds a compact pre-order tree.
//!
//! Why not html5ever: a full spec DOM costs more per page than a whole extraction
//! may take (see `ARCHITECTURE.md`). This reader tokenizes in one pass and applies
//! the handful of tree rules that matter for reading text (void elements, raw-text
//! elements, implied `</p>`, `</li>`, `</td>`…). Nodes are stored in document order
//! with the index one past their last descendant, so a subtree is a slice range and
//! every walk is a loop: depth can never overflow the stack.

use memchr::{memchr, memmem};

use super::tag::Tag;

/// Limits that keep memory and time bounded on hostile pages.
#[derive(Debug, Clone, Copy)]
pub struct ParseLimits {
    /// Elements nested deeper than this are flattened into their ancestor.
    pub max_depth: usize,
    /// Parsing stops (the tree is kept) after this many nodes.
    pub max_nodes: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: 256,
            max_nodes: 2_000_000,
        }
    }
}

/// One element or text node.
#[derive(Debug, Clone)]
pub struct Node {
    /// The element name, or [`Tag::Text`].
    pub tag: Tag,
    /// Index of the parent node (the root is its own parent).
    pub parent: u32,
    /// One past the index of the last descendant.
    pub end: u32,
    /// For a text node: byte range in [`Document::text`]; for an element: range in [`Document::attrs`].
    pub range: (u32, u32),
}

/// An attribute kept by the reader (only those the extractor reads).
#[derive(Debug, Clone, Copy)]
pub struct Attr {
    /// Index of the name in the kept-attribute list.
    name: u8,
    /// Byte range of the decoded value in [`Document::attr_text`].
    value: (u32, u32),
}

/// A parsed page.
#[derive(Debug, Default)]
pub struct Document {
    /// Nodes in document order; node 0 is the synthetic root.
    pub nodes: Vec<Node>,
    /// All text of the page, text nodes pointing into it.
    pub text: String,
    /// Attributes of all elements.
    pub attrs: Vec<Attr>,
    /// Decoded attribute values, attributes pointing into it.
    pub attr_text: String,
    /// True when a limit cut the page short.
    pub truncated: bool,
}

const KEPT_ATTRS: &[&str] = &[
    "class",
    "id",
    "href",
    "src",
    "data-src",
    "data-lazy-src",
    "data-original",
    "alt",
    "content",
    "property",
    "name",
    "itemprop",
    "itemtype",
    "rel",
    "datetime",
    "hidden",
    "style",
    "role",
    "aria-hidden",
    "lang",
    "charset",
    "http-equiv",
    "type",
    "title",
];

impl Document {
    /// Parses `html` (already decoded to UTF-8).
    pub fn parse(html: &str, limits: ParseLimits) -> Document {
        let mut builder = Builder::new(html.len(), limits);
        Tokenizer { src: html, pos: 0 }.run(&mut builder);
        builder.finish()
    }

    /// The text of a text node (empty for elements).
    pub fn node_text(&self, i: usize) -> &str {
        let n = &self.nodes[i];
        if n.tag == Tag::Text {
            &self.text[n.range.0 as usize..n.range.1 as usize]
        } else {
            ""
        }
    }

    /// The attributes of an element, as (name, value) pairs.
    pub fn attrs(&self, i: usize) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        let n = &self.nodes[i];
        let range = if n.tag == Tag::Text {
            0..0
        } else {
            n.range.0 as usize..n.range.1 as usize
        };
        self.attrs[range].iter().map(|a| {
            (
                KEPT_ATTRS[a.name as usize],
                &self.attr_text[a.value.0 as usize..a.value.1 as usize],
            )
        })
    }

    /// The value of attribute `name` on element `i`.
    pub fn attr(&self, i: usize, name: &str) -> Option<&str> {
        self.attrs(i).find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Direct children of node `i`.
    pub fn children(&self, i: usize) -> Children<'_> {
        Children {
            doc: self,
            next: i + 1,
            end: self.nodes[i].end as usize,
        }
    }

    /// Concatenated raw text of the subtree of `i`.
    pub fn subtree_text(&self, i: usize) -> String {
        let mut out = String::new();
        for j in i..self.nodes[i].end as usize {
            out.push_str(self.node_text(j));
        }
        out
    }
}

/// Iterator over a node's direct children.
pub struct Children<'a> {
    doc: &'a Document,
    next: usize,
    end: usize,
}

impl Iterator for Children<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.next >= self.end {
            return None;
        }
        let i = self.next;
        self.next = self.doc.nodes[i].end as usize;
        Some(i)
    }
}

struct Builder {
    doc: Document,
    /// Open elements: node index and tag.
    stack: Vec<(u32, Tag)>,
    limits: ParseLimits,
    seen_body: bool,
}

impl Builder {
    fn new(len: usize, limits: ParseLimits) -> Builder {
        let mut doc = Document {
            nodes: Vec::with_capacity(len / 40 + 16),
            text: String::with_capacity(len / 3),
            attrs: Vec::with_capacity(len / 60 + 16),
            attr_text: String::with_capacity(len / 5),
            ..Document::default()
        };
        doc.nodes.push(Node {
            tag: Tag::Other,
            parent: 0,
            end: 1,
            range: (0, 0),
        });
        Builder {
            doc,
            stack: vec![(0, Tag::Other)],
            limits,
            seen_body: false,
        }
    }

    fn full(&mut self) -> bool {
        if self.doc.nodes.len() >= self.limits.max_nodes {
            self.doc.truncated = true;
            true
        } else {
            false
        }
    }

    fn parent(&self) -> u32 {
        self.stack.last().map_or(0, |s| s.0)
    }

    fn text(&mut self, t: &str) {
        if t.is_empty() || self.full() {
            return;
        }
        let parent = self.parent();
        // Merge with a preceding text sibling (after dropped tags).
        if let Some(last) = self.doc.nodes.last_mut() {
            if last.tag == Tag::Text
                && last.parent == parent
                && last.range.1 as usize == self.doc.text.len()
            {
                push_decoded(&mut self.doc.text, t);
                last.range.1 = self.doc.text.len() as u32;
                return;
            }
        }
        let start = self.doc.text.len() as u32;
        push_decoded(&mut self.doc.text, t);
        let idx = self.doc.nodes.len() as u32;
        self.doc.nodes.push(Node {
            tag: Tag::Text,
            parent,
            end: idx + 1,
            range: (start, self.doc.text.len() as u32),
        });
    }

    fn raw_text(&mut self, t: &str) {
        // Raw text is never entity-decoded (script, style).
        if t.is_empty() || self.full() {
            return;
        }
        let start = self.doc.text.len() as u32;
        self.doc.text.push_str(t);
        let idx = self.doc.nodes.len() as u32;
        self.doc.nodes.push(Node {
            tag: Tag::Text,
            parent: self.parent(),
            end: idx + 1,
            range: (start, self.doc.text.len() as u32),
        });
    }

    /// Closes implied elements before a start tag, as the HTML spec's tree builder would.
    fn close_implied(&mut self, tag: Tag) {
        if tag.closes_p() {
            self.close_nearest(Tag::P, |t| !is_phrasing(t));
        }
        match tag {
            Tag::Li => self.close_nearest(Tag::Li, |t| matches!(t, Tag::Ul | Tag::Ol | Tag::Menu)),
            Tag::Dt | Tag::Dd => {
                self.close_nearest(Tag::Dt, |t| t == Tag::Dl);
                self.close_nearest(Tag::Dd, |t| t == Tag::Dl);
            }
            Tag::Td | Tag::Th => {
                self.close_nearest(Tag::Td, |t| matches!(t, Tag::Tr | Tag::Table));
                self.close_nearest(Tag::Th, |t| matches!(t, Tag::Tr | Tag::Table));
            }
            Tag::Tr => self.close_nearest(Tag::Tr, |t| t == Tag::Table),
            Tag::Option => self.close_nearest(Tag::Option, |t| t == Tag::Select),
            _ => {}
        }
    }

    /// Pops up to and including the nearest open `target`, unless a `barrier` comes first.
    fn close_nearest(&mut self, target: Tag, barrier: impl Fn(Tag) -> bool) {
        for k in (1..self.stack.len()).rev() {
            let t = self.stack[k].1;
            if t == target {
                self.pop_to(k);
                return;
            }
            if barrier(t) {
                return;
            }
        }
    }

    fn pop_to(&mut self, k: usize) {
        let end = self.doc.nodes.len() as u32;
        while self.stack.len() > k {
            let (i, _) = self.stack.pop().expect("stack is longer than k");
            self.doc.nodes[i as usize].end = end;
        }
    }

    fn start(&mut self, tag: Tag, attrs: &[(&str, &str)]) -> bool {
        if self.full() {
            return false;
        }
        if tag == Tag::Body {
            if self.seen_body {
                return false;
            }
            self.seen_body = true;
        }
        // Body content closes an unclosed <head> (pages that forget </head>).
        if !matches!(
            tag,
            Tag::Meta
                | Tag::Link
                | Tag::Title
                | Tag::Style
                | Tag::Script
                | Tag::Base
                | Tag::Noscript
                | Tag::Template
        ) && self.stack.iter().any(|s| s.1 == Tag::Head)
        {
            self.close_nearest(Tag::Head, |_| false);
        }
        self.close_implied(tag);
        let a0 = self.doc.attrs.len() as u32;
        for (name, value) in attrs {
            if let Some(k) = kept_attr_index(name) {
                let start = self.doc.attr_text.len() as u32;
                if value.contains('&') {
                    self.doc
                        .attr_text
                        .push_str(&htmlize::unescape_attribute(*value));
                } else {
                    self.doc.attr_text.push_str(value);
                }
                self.doc.attrs.push(Attr {
                    name: k as u8,
                    value: (start, self.doc.attr_text.len() as u32),
                });
            }
        }
        let idx = self.doc.nodes.len() as u32;
        self.doc.nodes.push(Node {
            tag,
            parent: self.parent(),
            end: idx + 1,
            range: (a0, self.doc.attrs.len() as u32),
        });
        let open = !tag.is_void() && self.stack.len() < self.limits.max_depth;
        if open {
            self.stack.push((idx, tag));
        }
        open
    }

    /// Closes the nearest open `tag`. Unknown elements are not told apart by name:
    /// closing the nearest one keeps custom-element pages (<amp-img>, <x-article>) from
    /// nesting without end.
    fn end(&mut self, tag: Tag) {
        if matches!(tag, Tag::Body | Tag::Html) || tag.is_void() {
            return;
        }
        let inline = is_phrasing(tag);
        for k in (1..self.stack.len()).rev() {
            let t = self.stack[k].1;
            if t == tag || (tag == Tag::Script && t == Tag::ScriptTemplate) {
                self.pop_to(k);
                return;
            }
            // An inline end tag never closes a block it did not open in.
            if inline && !is_phrasing(t) {
                return;
            }
        }
    }

    /// Inside `<svg>` or `<math>`, where XML-like rules apply.
    fn in_foreign_content(&self) -> bool {
        self.stack
            .iter()
            .rev()
            .any(|s| matches!(s.1, Tag::Svg | Tag::Math))
    }

    fn finish(mut self) -> Document {
        self.pop_to(1);
        let len = self.doc.nodes.len() as u32;
        self.doc.nodes[0].end = len;
        self.doc
    }
}

fn push_decoded(out: &mut String, t: &str) {
    if t.contains('&') {
        out.push_str(&htmlize::unescape(t));
    } else {
        out.push_str(t);
    }
}

/// Inline (phrasing) elements, which an unmatched end tag must not close across.
fn is_phrasing(t: Tag) -> bool {
    use Tag::*;
    matches!(
        t,
        A | B
            | Strong
            | I
            | Em
            | U
            | Small
            | Sup
            | Sub
            | Span
            | Time
            | Cite
            | Mark
            | Abbr
            | Q
            | Code
            | Font
            | Label
            | Other
    )
}

struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Tokenizer<'a> {
    fn run(&mut self, b: &mut Builder) {
        let bytes = self.src.as_bytes();
        let mut attrs: Vec<(&'a str, &'a str)> = Vec::with_capacity(16);
        while self.pos < bytes.len() {
            if b.doc.truncated {
                return;
            }
            let Some(off) = memchr(b'<', &bytes[self.pos..]) else {
                b.text(&self.src[self.pos..]);
                return;
            };
            let lt = self.pos + off;
            b.text(&self.src[self.pos..lt]);
            self.pos = lt;
            match bytes.get(lt + 1) {
                Some(b'!') => self.skip_declaration(),
                Some(b'?') => self.skip_to_gt(lt + 1),
                Some(b'/') => match bytes.get(lt + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let (name, after) = self.read_name(lt + 2);
                        self.skip_to_gt(after);
                        b.end(tag_of(name));
                    }
                    _ => self.skip_to_gt(lt + 2),
                },
                Some(c) if c.is_ascii_alphabetic() => {
                    let (name, after) = self.read_name(lt + 1);
                    let tag = tag_of(name);
                    attrs.clear();
                    self.pos = after;
                    if !self.read_attrs(&mut attrs) {
                        return; // truncated inside a tag
                    }
                    let script_type = if tag == Tag::Script {
                        attrs
                            .iter()
                            .find(|(n, _)| n.eq_ignore_ascii_case("type"))
                            .map(|(_, v)| v.trim().to_ascii_lowercase())
                    } else {
                        None
                    };
                    // Client-side templates hold markup that scripts render as the page:
                    // read them as markup when they start with a tag.
                    if script_type
                        .as_deref()
                        .is_some_and(|t| matches!(t, "text/template" | "text/x-template"))
                    {
                        let content_start = self.pos;
                        let content = self.read_raw_text(name);
                        if content.trim_start().starts_with('<') {
                            self.pos = content_start;
                            b.start(Tag::ScriptTemplate, &attrs);
                        }
                        continue;
                    }
                    // Inside <svg> and <math> (foreign content) "<title/>" closes itself
                    // and no element reads raw text.
                    let self_closing = bytes[..self.pos].ends_with(b"/>");
                    if (self_closing || tag.is_raw_text()) && b.in_foreign_content() {
                        if b.start(tag, &attrs) && self_closing {
                            b.end(tag);
                        }
                        continue;
                    }
                    let opened = b.start(tag, &attrs);
                    if tag.is_raw_text() {
                        let content = self.read_raw_text(name);
                        match tag {
                            Tag::Title | Tag::Textarea => b.text(content),
                            Tag::Script
                                if script_type
                                    .as_deref()
                                    .is_some_and(|t| t.contains("ld+json")) =>
                            {
                                b.raw_text(content)
                            }
                            _ => {}
                        }
                        if opened {
                            b.end(tag);
                        }
                    }
                }
                _ => {
                    b.text("<");
                    self.pos = lt + 1;
                }
            }
        }
    }

    fn read_name(&self, from: usize) -> (&'a str, usize) {
        let bytes = self.src.as_bytes();
        let mut i = from;
        while i < bytes.len()
            && !matches!(
                bytes[i],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'
            )
        {
            i += 1;
        }
        (&self.src[from..i], i)
    }

    fn skip_to_gt(&mut self, from: usize) {
        self.pos = match memchr(b'>', &self.src.as_bytes()[from.min(self.src.len())..]) {
            Some(o) => from + o + 1,
            None => self.src.len(),
        };
    }

    fn skip_declaration(&mut self) {
        let rest = &self.src.as_bytes()[self.pos..];
        if rest.starts_with(b"<!--") {
            self.pos = match memmem::find(&rest[4..], b"-->") {
                Some(o) => self.pos + 4 + o + 3,
                None => self.src.len(),
            };
        } else if rest.starts_with(b"<![CDATA[") {
            self.pos = match memmem::find(rest, b"]]>") {
                Some(o) => self.pos + o + 3,
                None => self.src.len(),
            };
        } else {
            self.skip_to_gt(self.pos + 2);
        }
    }

    /// Reads attributes up to `>`; false when the input ends inside the tag.
    fn read_attrs(&mut self, attrs: &mut Vec<(&'a str, &'a str)>) -> bool {
        let bytes = self.src.as_bytes();
        let n = bytes.len();
        let mut i = self.pos;
        loop {
            while i < n && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= n {
                self.pos = n;
                return false;
            }
            if bytes[i] == b'>' {
                self.pos = i + 1;
                return true;
            }
            let name_start = i;
            i += 1;
            while i < n
                && !matches!(
                    bytes[i],
                    b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
                )
            {
                i += 1;
            }
            let name = &self.src[name_start..i];
            while i < n && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = "";
            if i < n && bytes[i] == b'=' {
                i += 1;
                while i < n && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < n && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let q = bytes[i];
                    match memchr(q, &bytes[i + 1..]) {
                        Some(o) => {
                            value = &self.src[i + 1..i + 1 + o];
                            i += o + 2;
                        }
                        None => {
                            self.pos = n;
                            return false;
                        }
                    }
                } else {
                    let vs = i;
                    while i < n && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = &self.src[vs..i];
                }
            }
            if attrs.len() < 64 {
                let lower_ok = name.bytes().all(|c| !c.is_ascii_uppercase());
                let name = if lower_ok { name } else { leak_lower(name) };
                attrs.push((name, value));
            }
        }
    }

    /// Returns the raw content of a raw-text element and moves past its end tag.
    fn read_raw_text(&mut self, name: &str) -> &'a str {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        if name.eq_ignore_ascii_case("plaintext") {
            self.pos = bytes.len();
            return &self.src[start..];
        }
        let finder = memmem::Finder::new(b"</");
        let mut from = start;
        while let Some(o) = finder.find(&bytes[from..]) {
            let at = from + o;
            let name_end = at + 2 + name.len();
            if name_end <= bytes.len()
                && bytes[at + 2..name_end].eq_ignore_ascii_case(name.as_bytes())
                && bytes.get(name_end).is_none_or(|c| {
                    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>')
                })
            {
                self.skip_to_gt(name_end);
                return &self.src[start..at];
            }
            from = at + 2;
        }
        self.pos = bytes.len();
        &self.src[start..]
    }
}

/// Index of an attribute name in [`KEPT_ATTRS`]; a `match` is much cheaper than a scan
/// for the dozens of attributes of every element.
fn kept_attr_index(name: &str) -> Option<usize> {
    let k = match name {
        "class" => 0,
        "id" => 1,
        "href" => 2,
        "src" => 3,
        "data-src" => 4,
        "data-lazy-src" => 5,
        "data-original" => 6,
        "alt" => 7,
        "content" => 8,
        "property" => 9,
        "name" => 10,
        "itemprop" => 11,
        "itemtype" => 12,
        "rel" => 13,
        "datetime" => 14,
        "hidden" => 15,
        "style" => 16,
        "role" => 17,
        "aria-hidden" => 18,
        "lang" => 19,
        "charset" => 20,
        "http-equiv" => 21,
        "type" => 22,
        "title" => 23,
        _ => return None,
    };
    debug_assert_eq!(KEPT_ATTRS[k], name);
    Some(k)
}

/// The tag of an element name in any case, without allocating.
fn tag_of(name: &str) -> Tag {
    let mut buf = [0u8; 12];
    if name.len() > buf.len() {
        return Tag::Other;
    }
    for (d, s) in buf.iter_mut().zip(name.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..name.len()]).map_or(Tag::Other, Tag::from_name)
}

/// Attribute names are almost always lower case already; the rare upper-case one is
/// matched against the kept list, so only names that are kept need an owned copy.
fn leak_lower(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    KEPT_ATTRS
        .iter()
        .find(|k| **k == lower)
        .copied()
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(doc: &Document) -> Vec<(Tag, u32)> {
        doc.nodes
            .iter()
            .skip(1)
            .map(|n| (n.tag, n.parent))
            .collect()
    }

    #[test]
    fn implied_paragraph_end() {
        let d = Document::parse("<p>one<p>two<div>x</div>", ParseLimits::default());
        assert_eq!(
            tags(&d),
            vec![
                (Tag::P, 0),
                (Tag::Text, 1),
                (Tag::P, 0),
                (Tag::Text, 3),
                (Tag::Div, 0),
                (Tag::Text, 5)
            ]
        );
    }

    #[test]
    fn raw_text_is_not_parsed() {
        let d = Document::parse(
            "<script>if (a<b) x='</p>'</script><p>t</p>",
            ParseLimits::default(),
        );
        assert_eq!(
            tags(&d),
            vec![(Tag::Script, 0), (Tag::P, 0), (Tag::Text, 2)]
        );
    }

    #[test]
    fn entities_are_decoded() {
        let d = Document::parse(
            "<p title='a&amp;b'>caf&eacute; &#233; &lt;</p>",
            ParseLimits::default(),
        );
        assert_eq!(d.node_text(2), "café é <");
        assert_eq!(d.attr(1, "title"), Some("a&b"));
    }

    #[test]
    fn deep_nesting_is_flattened_not_overflowed() {
        let html = "<div>".repeat(100_000) + "deep" + &"</div>".repeat(100_000);
        let d = Document::parse(&html, ParseLimits::default());
        assert!(d.text.contains("deep"));
    }

    #[test]
    fn truncated_tag_ends_cleanly() {
        let d = Document::parse("<p>text<a href=\"http://x", ParseLimits::default());
        assert_eq!(d.node_text(2), "text");
    }

    #[test]
    fn self_closing_title_in_svg_is_not_raw_text() {
        let d = Document::parse(
            "<a><svg><title/><path d='M0'/></svg></a><p>after</p>",
            ParseLimits::default(),
        );
        let p = d
            .nodes
            .iter()
            .position(|n| n.tag == Tag::P)
            .expect("the paragraph is parsed");
        assert_eq!(d.nodes[p].parent, 0);
        assert_eq!(d.subtree_text(p), "after");
    }

    #[test]
    fn inline_end_tag_does_not_close_block() {
        let d = Document::parse("<b><p>x</b>y</p>", ParseLimits::default());
        assert_eq!(d.nodes[2].tag, Tag::P);
        assert_eq!(d.subtree_text(2), "xy");
    }
}
