//! Finding the article's text in a page.
//!
//! 1. [`blocks::mark`] prunes subtrees that never hold article text (scripts, hidden
//!    elements, navigation, ad slots named as such).
//! 2. [`blocks::collect`] turns the rest into text blocks with their statistics.
//! 3. [`select_root`] picks the element whose subtree holds the most article-like text
//!    net of link lists and short fragments: a maximum over the tree, computed bottom-up.
//! 4. [`clean`] keeps that element's blocks, in order, minus the furniture inside it.

pub mod blocks;

use vigie_core::{Block, BlockKind};

use crate::boilerplate;
use crate::html::{Document, Tag};
use blocks::{Marks, Role, TextBlock};

/// How much a block says "article text" (positive) or "furniture" (negative).
fn block_value(b: &TextBlock) -> f32 {
    // A server's warning printed into the page can be long: it is no evidence either.
    if b.role == Role::Caption || boilerplate::is_server_error(&b.text) {
        return 0.0;
    }
    let ld = b.link_density();
    let nonlink = (b.chars - b.link_chars) as f32;
    if b.chars >= 40 && ld < 0.35 && (b.chars > 160 || !boilerplate::is_furniture(&b.text)) {
        let mut v = nonlink;
        if b.weak_boilerplate {
            v *= 0.5;
        }
        v
    } else if b.chars >= 100 && ld < 0.6 {
        // Long sentences with links inside them (a news round-up, a linked source per
        // line) are prose, not a link list: a link list's lines are links end to end.
        nonlink - 0.5 * b.link_chars as f32
    } else if ld < 0.35 && b.chars >= 10 {
        // Short plain lines (list items, table rows, subheadings) count at half weight,
        // less a constant, so that labels and dates stay slightly negative.
        0.5 * nonlink - 4.0 - b.link_chars as f32
    } else {
        // Link lists cost their link text; fragments cost a little.
        -(b.link_chars as f32) - 4.0
    }
}

/// Picks the elements whose subtrees make the article body: a main element plus the
/// siblings that carry article text too.
///
/// The main element maximises a decayed score (Readability's insight): a block counts
/// fully for its element and parent, half for the grandparent and less further up, so
/// that a page-wide ancestor collecting teaser cards from far below does not outscore
/// the element that directly holds the article's paragraphs.
pub fn select_roots(
    doc: &Document,
    marks: &Marks,
    blocks: &[TextBlock],
    declared_body: Option<&str>,
) -> Vec<usize> {
    let n = doc.nodes.len();
    let mut value = vec![0f32; n];
    let mut local = vec![0f32; n];
    let mut positive = vec![0f32; n];
    let mut running = vec![0f32; n];
    let repeated = repeated_blocks(blocks);
    for (b, &rep) in blocks.iter().zip(&repeated) {
        // Text a page prints twice (a dek echoed as a caption, a widget per column)
        // is a template's: its copies are not evidence of the article.
        let v = if rep == Repeat::Again {
            block_value(b).min(0.0)
        } else {
            block_value(b)
        };
        value[b.owner] += v;
        positive[b.owner] += v.max(0.0);
        if rep == Repeat::Unique && is_running_text(b) {
            running[b.owner] += (b.chars - b.link_chars) as f32;
        }
        let mut a = b.owner;
        for divider in [1.0, 1.0, 2.0, 6.0, 9.0, 12.0] {
            local[a] += v / divider;
            if a == 0 {
                break;
            }
            a = doc.nodes[a].parent as usize;
        }
    }
    for i in (1..n).rev() {
        let p = doc.nodes[i].parent as usize;
        value[p] += value[i];
        positive[p] += positive[i];
        running[p] += running[i];
    }
    let mut best = 0;
    let mut best_local = f32::MIN;
    let mut best_strong = None;
    let mut best_strong_value = 0.0;
    for i in 0..n {
        let node = &doc.nodes[i];
        if node.tag == Tag::Text || marks.pruned[i] {
            continue;
        }
        let mut v = local[i];
        let h = marks.hints[i];
        if v > 0.0 && (h.content || node.tag == Tag::Article) {
            v *= 1.1;
        }
        if v > best_local {
            best_local = v;
            best = i;
        }
        if h.strong_content && value[i] >= best_strong_value && value[i] > 0.0 {
            best_strong_value = value[i];
            best_strong = Some(i);
        }
    }
    // An element the page names as the article body ("article-body", itemprop=articleBody)
    // wins when it holds most of the text: what lies around it is usually teasers.
    let heuristic = match best_strong {
        Some(s)
            if best_strong_value >= 0.6 * value[best]
                && (contains(doc, s, best) || contains(doc, best, s)) =>
        {
            s
        }
        _ => best,
    };
    // The JSON-LD body is evidence, not truth: some pages declare only an excerpt.
    let root = match declared_body.and_then(|b| select_by_declared_body(doc, marks, blocks, b)) {
        Some(d) if contains(doc, d, heuristic) => return vec![d],
        Some(d) if value[d] >= 0.6 * value[heuristic] => return vec![d],
        _ => heuristic,
    };
    if root == 0 {
        return vec![0];
    }
    let root = climb_to_split_body(doc, marks, &value, &positive, &running, root);
    // Siblings holding a good share of article text belong to it (bodies split in parts).
    let parent = doc.nodes[root].parent as usize;
    let threshold = (0.2 * value[root]).clamp(60.0, 200.0);
    let mut roots = Vec::new();
    for c in doc.children(parent) {
        if c == root || (doc.nodes[c].tag != Tag::Text && !marks.pruned[c] && value[c] >= threshold)
        {
            roots.push(c);
        }
    }
    widen_fragmented(doc, &value, &positive, roots)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Unique,
    First,
    Again,
}

/// For each block, whether its text (40 characters or more) occurs in another block, and
/// whether this is its first occurrence. Responsive pages print their content twice,
/// so the first copy keeps its value.
fn repeated_blocks(blocks: &[TextBlock]) -> Vec<Repeat> {
    let mut seen: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
    for b in blocks.iter().filter(|b| b.chars >= 40) {
        *seen.entry(b.text.as_str()).or_default() += 1;
    }
    let mut first_done: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    blocks
        .iter()
        .map(|b| {
            if b.chars < 40 || seen.get(b.text.as_str()).is_none_or(|&c| c < 2) {
                Repeat::Unique
            } else if first_done.insert(b.text.as_str()) {
                Repeat::First
            } else {
                Repeat::Again
            }
        })
        .collect()
}

/// A paragraph of running text: long enough, few links, not a caption or a list item
/// (teaser lists hold items of text under a linked title).
fn is_running_text(b: &TextBlock) -> bool {
    matches!(b.role, Role::Text | Role::Quote | Role::Heading(_))
        && b.chars >= 80
        && b.link_density() < 0.1
}

/// Page builders (and some CMS templates) split one article over several rows or
/// columns, so its paragraphs are cousins, not siblings, of the element that holds the
/// most of them. Climb while the parent adds paragraphs of running text and little
/// furniture (link lists, fragments); stop at an element that names itself the article.
fn climb_to_split_body(
    doc: &Document,
    marks: &Marks,
    value: &[f32],
    positive: &[f32],
    running: &[f32],
    root: usize,
) -> usize {
    let names_article = |i: usize| {
        matches!(doc.nodes[i].tag, Tag::Article | Tag::Main) || marks.hints[i].strong_content
    };
    // The element holding the article's title is as high as an article goes.
    let title = (1..doc.nodes.len()).find(|&i| doc.nodes[i].tag == Tag::H1 && !marks.pruned[i]);
    let mut cur = root;
    let mut a = root;
    // Wrappers that add nothing are passed through; a few levels at most.
    for _ in 0..8 {
        if names_article(cur) || a == 0 || title.is_some_and(|t| contains(doc, cur, t)) {
            break;
        }
        a = doc.nodes[a].parent as usize;
        if a == 0 || matches!(doc.nodes[a].tag, Tag::Body | Tag::Html) || marks.pruned[a] {
            break;
        }
        let added_running = running[a] - running[cur];
        let added_furniture = (positive[a] - value[a]) - (positive[cur] - value[cur]);
        // Furniture is weighed against the text it comes with, and a table of contents
        // or a share bar is small beside a long article.
        let allowed = (CLIMB_NEG * added_running.max(CLIMB_MIN)).max(0.1 * running[cur]);
        if added_furniture > allowed {
            break;
        }
        let holds_title = title.is_some_and(|t| contains(doc, a, t));
        if added_running >= CLIMB_MIN.max(CLIMB_SHARE * running[cur]) {
            cur = a;
        }
        if holds_title {
            break;
        }
    }
    cur
}

/// Climbing needs this much more running text (characters), and a tenth of what the
/// element holds; the furniture it brings may be a third of that text.
const CLIMB_MIN: f32 = 150.0;
const CLIMB_SHARE: f32 = 0.1;
const CLIMB_NEG: f32 = 0.35;

/// Pages built of many small sections (landing pages, product pages) spread their text
/// over cousins, not siblings. When the selection holds less than half of the page's
/// article-like text, climb to the nearest ancestor that holds most of it, provided the
/// climb adds more text than furniture.
/// `value` and `positive` are subtree sums of the block values and of their positive parts.
fn widen_fragmented(
    doc: &Document,
    value: &[f32],
    positive: &[f32],
    roots: Vec<usize>,
) -> Vec<usize> {
    let total = positive[0];
    let selected: f32 = roots.iter().map(|&r| positive[r]).sum();
    let selected_value: f32 = roots.iter().map(|&r| value[r]).sum();
    if total <= 0.0 || selected >= 0.5 * total {
        return roots;
    }
    let mut a = doc.nodes[roots[0]].parent as usize;
    loop {
        if positive[a] >= 0.8 * total {
            return if value[a] > selected_value {
                vec![a]
            } else {
                roots
            };
        }
        if a == 0 {
            return roots;
        }
        a = doc.nodes[a].parent as usize;
    }
}

fn contains(doc: &Document, ancestor: usize, node: usize) -> bool {
    ancestor <= node && node < doc.nodes[ancestor].end as usize
}

/// Picks the element whose text best matches the body the page declares in JSON-LD
/// (`articleBody`): F-measure of shared characters, computed bottom-up like the value.
fn select_by_declared_body(
    doc: &Document,
    marks: &Marks,
    blocks: &[TextBlock],
    declared: &str,
) -> Option<usize> {
    let declared = normalize_for_match(declared);
    if declared.len() < 400 {
        return None;
    }
    let n = doc.nodes.len();
    let mut matched = vec![0f32; n];
    let mut total = vec![0f32; n];
    let finder_text = declared.as_bytes();
    for b in blocks {
        let t = normalize_for_match(&b.text);
        let len = t.len() as f32;
        total[b.owner] += len;
        if t.len() >= 20 && memchr::memmem::find(finder_text, t.as_bytes()).is_some() {
            matched[b.owner] += len;
        }
    }
    for i in (1..n).rev() {
        let p = doc.nodes[i].parent as usize;
        matched[p] += matched[i];
        total[p] += total[i];
    }
    let body_len = declared.len() as f32;
    let mut best = None;
    let mut best_f = 0.0;
    for i in 0..n {
        if doc.nodes[i].tag == Tag::Text || marks.pruned[i] || matched[i] == 0.0 {
            continue;
        }
        let p = matched[i] / total[i];
        let r = (matched[i] / body_len).min(1.0);
        let f = 2.0 * p * r / (p + r);
        if f >= best_f {
            best_f = f;
            best = Some(i);
        }
    }
    best.filter(|_| best_f >= 0.5)
}

/// Short lines that sit above an article's first paragraph without being part of it.
fn looks_like_dateline_or_byline(t: &str) -> bool {
    let n = t.chars().count();
    if n > 150 {
        return false;
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    digits >= 4 || crate::metadata::authors::parse_byline(t).is_some() || n < 25
}

/// Lower-case words separated by single spaces, for comparing texts across markup.
fn normalize_for_match(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The article body: the blocks under `root`, furniture removed, lists grouped.
pub fn clean(doc: &Document, roots: &[usize], blocks: &[TextBlock]) -> (Vec<Block>, Vec<String>) {
    let inside: Vec<&TextBlock> = blocks
        .iter()
        .filter(|b| roots.iter().any(|&r| contains(doc, r, b.owner)))
        .collect();
    let mut captions = Vec::new();
    // A copyright line or a sales pitch is no paragraph of the article: the article's
    // span must not stretch to reach it.
    let is_good = |b: &TextBlock| {
        b.chars >= 30
            && b.link_density() < 0.3
            && (b.chars >= 80 || b.text.contains(['.', '!', '?', ',', '。', ':']))
            && !boilerplate::is_tail_furniture(&b.text)
    };
    let first_good = inside
        .iter()
        .position(|b| is_good(b) && b.role != Role::Caption);
    let last_good = inside
        .iter()
        .rposition(|b| is_good(b) && b.role != Role::Caption);
    // A body of short lines only (a results table, a list): keep all of it.
    let (first, mut last) = match (first_good, last_good) {
        (Some(f), Some(l)) => (f, l),
        _ if !inside.is_empty() => (0, inside.len() - 1),
        _ => return (Vec::new(), captions),
    };
    // A heading announcing the author's bio or related reading closes the article when
    // what follows it is short beside the article; a "see also" box set in the middle of
    // the article is followed by more of the article than precedes it.
    let good_chars = |r: std::ops::Range<usize>| -> usize {
        inside[r]
            .iter()
            .filter(|b| is_good(b))
            .map(|b| b.chars)
            .sum()
    };
    // A line that reads "Read also: <a title>" is one inline link, dropped on its own.
    if let Some(end) = (first + 1..=last).find(|&k| {
        let b = inside[k];
        let heads_section = (matches!(b.role, Role::Heading(_))
            || (b.chars <= 60 && b.link_density() < 0.5))
            && boilerplate::is_section_end_heading(&b.text);
        heads_section && good_chars(k + 1..last + 1) * 2 < good_chars(first..k)
    }) {
        last = (first..end)
            .rev()
            .find(|&k| inside[k].role != Role::Caption)
            .unwrap_or(first);
    }
    // A table or list that ends the article is part of it, though its lines are short.
    while let Some(next) = inside.get(last + 1) {
        let structured =
            matches!(next.role, Role::ListItem(_)) || doc.nodes[next.owner].tag == Tag::Tr;
        if !structured || next.link_density() >= 0.3 {
            break;
        }
        last += 1;
    }
    let mut out: Vec<Block> = Vec::new();
    let mut last_list: Option<u32> = None;
    for (k, b) in inside.iter().enumerate() {
        if b.role == Role::Caption || b.describes_image {
            captions.push(b.text.clone());
            continue;
        }
        // Leading lines that are not bylines or dates belong to the body too.
        // Items of a list or rows of a table ahead of the first paragraph (ingredients,
        // specifications, opening hours) are short by nature, not bylines.
        let structured = matches!(b.role, Role::ListItem(_)) || doc.nodes[b.owner].tag == Tag::Tr;
        let lead_in = k < first
            && b.link_density() < 0.3
            && ((structured && b.chars >= 3) || !looks_like_dateline_or_byline(&b.text));
        let in_range = (k >= first || lead_in) && k <= last;
        // A subheading right before the first paragraph belongs to the body.
        let heading_before = k + 1 == first && matches!(b.role, Role::Heading(l) if l > 1);
        if !in_range && !heading_before {
            continue;
        }
        if matches!(b.role, Role::Heading(1)) {
            continue;
        }
        let ld = b.link_density();
        if ld > 0.5 || (ld > 0.3 && b.chars < 100) {
            continue;
        }
        if boilerplate::is_furniture(&b.text) {
            continue;
        }
        let text = b.text.trim().to_string();
        match b.role {
            Role::ListItem(list) => {
                if last_list == Some(list) {
                    if let Some(prev) = out.last_mut() {
                        prev.text.push('\n');
                        prev.text.push_str(&text);
                        continue;
                    }
                }
                last_list = Some(list);
                out.push(Block {
                    kind: BlockKind::List,
                    text,
                });
                continue;
            }
            Role::Heading(_) => out.push(Block {
                kind: BlockKind::Heading,
                text,
            }),
            Role::Quote => out.push(Block {
                kind: BlockKind::Quote,
                text,
            }),
            _ => out.push(Block {
                kind: BlockKind::Paragraph,
                text,
            }),
        }
        last_list = None;
    }
    // Prompts, disclaimers and author boxes that close the page, not the article.
    // So is one date line under it (when the page was created, updated); a table's
    // rows are no such lines, however many numbers they hold.
    let mut dated = false;
    while let Some(b) = out.last() {
        if boilerplate::is_tail_furniture(&b.text) {
            out.pop();
        } else if !dated && b.kind == BlockKind::Paragraph && boilerplate::is_page_dateline(&b.text)
        {
            dated = true;
            out.pop();
        } else {
            break;
        }
    }
    (out, captions)
}
