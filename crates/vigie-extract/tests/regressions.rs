//! Each test pins a bug found on a real page, reduced to the markup that triggered it.

use vigie_extract::{extract_html, Options};

fn body_of(page: &str) -> String {
    extract_html(page.as_bytes(), None, &Options::default())
        .unwrap()
        .text
}

const PARAGRAPHS: &str = "<p>When you live in a state as beautiful as Colorado it is impossible to stay inside, and we moved here two years ago.</p><p>Whether you are out exploring or just hanging around the house, water is a must here, and we learned that early.</p><p>Our hiking survival kit is really very simple, and it fits in a small bag that a teenager can carry up a mountain.</p>";

#[test]
fn layout_class_naming_a_sidebar_does_not_prune_the_article() {
    // WordPress themes put "penci_sidebar" or "two-col-sidebar-right" on the page wrapper.
    let page = format!("<body><div class=\"container penci_sidebar\"><div class=\"entry-content\">{PARAGRAPHS}</div><aside>Recent posts</aside></div></body>");
    assert!(body_of(&page).contains("Colorado"));
    let page = format!("<body><div class=\"panel-display panel-two-col-sidebar-right-mix\"><div class=\"description\">{PARAGRAPHS}</div></div></body>");
    assert!(body_of(&page).contains("Colorado"));
}

#[test]
fn table_cells_read_as_rows_not_fragments() {
    let rows: String = (1..=30)
        .map(|i| {
            format!(
                "<tr><td>{i}</td><td>Driver number {i}</td><td>{}</td></tr>",
                5000 - i
            )
        })
        .collect();
    let page = format!("<body><div class=\"menu\"><a href=/>Home</a></div><div><p>Standings after the final race of the season:</p><table>{rows}</table></div><div class=\"note\">Comments that are unintelligible will not be approved by the moderator of this site.</div></body>");
    let text = body_of(&page);
    assert!(text.contains("1 Driver number 1 4999"), "{text}");
}

#[test]
fn unclosed_head_does_not_swallow_the_body() {
    let page = format!("<html><head><title>T</title><meta charset=utf-8><body><div>{PARAGRAPHS}</div></body></html>");
    assert!(body_of(&page).contains("Colorado"));
}

#[test]
fn text_of_a_closing_block_belongs_to_that_block() {
    // A flush after popping the element credited the text to its parent.
    let page = format!("<body><div class=\"teasers\"><a href=/a>Other story</a></div><div>{PARAGRAPHS}</div></body>");
    let text = body_of(&page);
    assert!(
        text.contains("Colorado") && !text.contains("Other story"),
        "{text}"
    );
}

#[test]
fn script_template_with_markup_is_read_but_json_template_is_not() {
    let page = format!("<body><script type=\"text/template\">{PARAGRAPHS}</script></body>");
    assert!(body_of(&page).contains("Colorado"));
    let page = format!("<body><div>{PARAGRAPHS}</div><script type=\"text/template\">{{\"type\":\"Image\",\"data\":\"<p>caption</p>\"}}</script></body>");
    assert!(!body_of(&page).contains("Image"));
}

#[test]
fn teaser_cards_next_to_the_article_stay_out() {
    let cards: String = (0..6).map(|i| format!("<article class=\"card\"><h3><a href=/s{i}>Story {i} headline</a></h3><div><p>A one-line summary of another story that the site wants you to read next.</p></div></article>")).collect();
    let page = format!("<body><section><article class=\"single-story\"><div class=\"content\">{PARAGRAPHS}{PARAGRAPHS}</div></article></section><section>{cards}</section></body>");
    let text = body_of(&page);
    assert!(
        text.contains("Colorado") && !text.contains("summary of another story"),
        "{text}"
    );
}
