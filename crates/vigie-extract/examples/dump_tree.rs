//! Prints a page's element tree as Vigie reads it, with pruned subtrees marked:
//! `cargo run --example dump_tree -- PAGE.html [MAX_DEPTH]`.

use vigie_extract::content::blocks;
use vigie_extract::html::{Document, ParseLimits, Tag};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: dump_tree PAGE.html [MAX_DEPTH]");
        std::process::exit(2);
    };
    let max_depth: usize = args.next().and_then(|d| d.parse().ok()).unwrap_or(8);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let (text, _, _) = vigie_extract::charset::decode(&bytes, None);
    let doc = Document::parse(&text, ParseLimits::default());
    let marks = blocks::mark(&doc);
    let found = blocks::collect(&doc, &marks);
    println!("{} nodes, {} text blocks", doc.nodes.len(), found.len());
    if std::env::var_os("DUMP_NODES").is_some() {
        for (i, n) in doc.nodes.iter().enumerate().take(12) {
            println!(
                "node {i}: {:?} parent={} end={} pruned={}",
                n.tag, n.parent, n.end, marks.pruned[i]
            );
        }
    }
    let mut depth = vec![0usize; doc.nodes.len()];
    for i in 1..doc.nodes.len() {
        let node = &doc.nodes[i];
        depth[i] = depth[node.parent as usize] + 1;
        if node.tag == Tag::Text || depth[i] > max_depth {
            continue;
        }
        let text_len: usize = (i..node.end as usize).map(|j| doc.node_text(j).len()).sum();
        println!(
            "{}{:?} #{i} class={:?} id={:?} text={text_len}{}",
            "  ".repeat(depth[i] - 1),
            node.tag,
            doc.attr(i, "class").unwrap_or(""),
            doc.attr(i, "id").unwrap_or(""),
            if marks.pruned[i] { " PRUNED" } else { "" }
        );
    }
}
