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
    if b.role == Role::Caption {
        return 0.0;
    }
    let ld = b.link_density();
    let nonlink = (b.chars - b.link_chars) as f32;
    if b.chars >= 40 && ld < 0.35 && !boilerplate::is_furniture(&b.text) {
        let mut v = nonlink;
        if b.weak_boilerplate {
            v *= 0.5;
        }
        v
    } else {
        // Link lists cost their link text; short plain fragments (labels, cells, dates)
        // cost a little, so that a long run of them outweighs a paragraph.
        -(b.link_chars as f32) - 4.0
    }
}

/// Picks the element whose subtree is the article body.
pub fn select_root(doc: &Document, marks: &Marks, blocks: &[TextBlock]) -> usize {
    let n = doc.nodes.len();
    let mut value = vec![0f32; n];
    for b in blocks {
        value[b.owner] += block_value(b);
    }
    for i in (1..n).rev() {
        let p = doc.nodes[i].parent as usize;
        value[p] += value[i];
    }
    let mut best = 0;
    let mut best_value = f32::MIN;
    for i in 0..n {
        let node = &doc.nodes[i];
        if node.tag == Tag::Text || marks.pruned[i] {
            continue;
        }
        let mut v = value[i];
        if v > 0.0 {
            let h = marks.hints[i];
            if h.content || node.tag == Tag::Article || doc.attr(i, "itemprop").is_some_and(|p| p.eq_ignore_ascii_case("articleBody")) {
                v *= 1.1;
            }
        }
        // Ties go to the descendant: it holds the same text with less around it.
        if v >= best_value {
            best_value = v;
            best = i;
        }
    }
    best
}

/// The article body: the blocks under `root`, furniture removed, lists grouped.
pub fn clean(doc: &Document, root: usize, blocks: &[TextBlock]) -> (Vec<Block>, Vec<String>) {
    let end = doc.nodes[root].end as usize;
    let inside: Vec<&TextBlock> = blocks.iter().filter(|b| b.owner >= root && b.owner < end).collect();
    let mut captions = Vec::new();
    let is_good = |b: &TextBlock| b.chars >= 30 && b.link_density() < 0.3 && (b.chars >= 80 || b.text.contains(['.', '!', '?', ',', '。', ':']));
    let first_good = inside.iter().position(|b| is_good(b) && b.role != Role::Caption);
    let last_good = inside.iter().rposition(|b| is_good(b) && b.role != Role::Caption);
    let (Some(first), Some(last)) = (first_good, last_good) else {
        return (Vec::new(), captions);
    };
    let mut out: Vec<Block> = Vec::new();
    let mut last_list: Option<u32> = None;
    for (k, b) in inside.iter().enumerate() {
        if b.role == Role::Caption {
            captions.push(b.text.clone());
            continue;
        }
        let in_range = k >= first && k <= last;
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
                out.push(Block { kind: BlockKind::List, text });
                continue;
            }
            Role::Heading(_) => out.push(Block { kind: BlockKind::Heading, text }),
            Role::Quote => out.push(Block { kind: BlockKind::Quote, text }),
            _ => out.push(Block { kind: BlockKind::Paragraph, text }),
        }
        last_list = None;
    }
    (out, captions)
}
