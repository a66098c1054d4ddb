//! Each test pins a bug found on a real page, reduced to the markup that triggered it.

use vigie_extract::{explain_html, extract_html, Options};

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

#[test]
fn article_split_over_page_builder_rows_is_read_whole() {
    // Page builders put each part of one article in its own row and column: the parts
    // are cousins, and the largest alone is not the article.
    let row = |text: &str| {
        format!("<div class=\"row\"><div class=\"column\"><div class=\"wrapper\">{text}</div></div></div>")
    };
    let intro = row("<p>The town council voted on Tuesday to rebuild the old river bridge, after two years of debate about its cost and about the traffic it would bring to the centre.</p>");
    let main = row(PARAGRAPHS);
    let outro = row("<p>Work on the new bridge should start next spring and last about eighteen months, during which a ferry will carry pedestrians across the river for free.</p>");
    let page = format!("<body><nav><a href=/>Home</a></nav><div class=\"post\"><h1>Bridge</h1><div class=\"builder\">{intro}{main}{outro}</div></div><footer>Contact</footer></body>");
    let text = body_of(&page);
    assert!(
        text.contains("river bridge") && text.contains("Colorado") && text.contains("ferry"),
        "{text}"
    );
}

#[test]
fn short_lines_of_a_body_are_kept_when_a_copyright_line_closes_it() {
    // A body of headings and short lines has no "paragraph" to anchor its span; a
    // copyright line inside the same wrapper must not become that anchor.
    let page = "<body><div class=\"entry-content\"><h3>Locations</h3><p>Anna: Japan.</p><p>Ben: Germany.</p><h3>Film</h3><p>Grainy 400 colour.</p><h3>Cameras</h3><p>Anna: panorama camera.</p><p>Copyright © 2018. All Rights Reserved.</p></div></body>";
    let text = body_of(page);
    assert!(
        text.contains("Grainy 400 colour.")
            && text.contains("Cameras")
            && !text.contains("Copyright"),
        "{text}"
    );
}

#[test]
fn a_round_up_of_linked_sentences_is_the_article_not_a_link_list() {
    // Each line links its source inside the sentence: half link text, still prose.
    let items: String = (0..8).map(|i| format!("<li>Story number {i} about the market: <a href=/s{i}>the regulator opened an inquiry into the company</a> after months of complaints from customers and staff.</li>")).collect();
    let page = format!("<body><div class=\"menu\"><ul><li><a href=/a>News</a></li><li><a href=/b>Sport</a></li></ul></div><div><h1>Ten things to know today</h1><p>Good morning, here is the news.</p><ol>{items}</ol></div></body>");
    let text = body_of(&page);
    assert!(
        text.contains("Story number 0") && text.contains("Story number 7"),
        "{text}"
    );
}

#[test]
fn text_printed_twice_does_not_pull_the_body_toward_it() {
    // A sidebar widget repeated per item outweighed a short post; its copies are the
    // template's, not evidence of an article.
    let warning = "Notice: the widget could not be loaded because of a configuration problem on the server; please contact the administrator of this site.";
    let items: String = (0..4).map(|_| format!("<li>{warning}</li>")).collect();
    let page = format!("<body><div class=\"post\"><p>It has been a while since our first child was born, and a few days ago the second one arrived at home.</p><p>This is how it looked when the elder brother saw the newcomer for the very first time.</p></div><div class=\"side\"><ul>{items}</ul></div></body>");
    let text = body_of(&page);
    assert!(text.contains("second one arrived"), "{text}");
}

#[test]
fn a_section_whose_bem_modifier_names_ads_is_not_an_ad() {
    // "Report__Section--Ads": the block is a section of the report; the modifier says
    // that this variant carries ad slots beside its text.
    let page = format!("<body><main><article class=\"Report\"><h1>A grill on test</h1><section class=\"Report__Section Report__Section--Ads\">{PARAGRAPHS}</section><div class=\"ad-slot--top\">Buy a grill now and save fifty percent on every order this week only.</div></article></main></body>");
    let text = body_of(&page);
    assert!(
        text.contains("Colorado") && !text.contains("fifty percent"),
        "{text}"
    );
}

#[test]
fn an_about_the_author_heading_closes_the_article() {
    let page = format!("<body><div class=\"entry-content\">{PARAGRAPHS}<h3>About the author</h3><p>Jane writes about the outdoors and has lived in the mountains for many years with her dogs.</p></div></body>");
    let text = body_of(&page);
    assert!(
        text.contains("teenager")
            && !text.contains("About the author")
            && !text.contains("Jane writes"),
        "{text}"
    );
    // A "see also" box in the middle of an article is followed by more of the article.
    let page = format!("<body><div class=\"entry-content\"><p>The first paragraph of the story is long enough to count as running text of the article.</p><h3>See also</h3><h3>Related articles</h3>{PARAGRAPHS}</div></body>");
    let text = body_of(&page);
    assert!(text.contains("teenager"), "{text}");
}

#[test]
fn an_element_named_for_printing_that_holds_text_is_content() {
    // Recipe and how-to pages name their printable steps "print-step"; a print button
    // or a print-only header is small, or says so ("print-only", "print-header").
    let steps: String = (1..=4).map(|i| format!("<div class=\"tip-print-step\">Step {i}: cut the cabbage in quarters and remove the hard stalk with a sharp knife before you slice it.</div>")).collect();
    let page = format!("<body><div class=\"print-header\">This copy is for your personal, non-commercial use only, and may not be distributed.</div><div class=\"tips\"><h1>How to cut a cabbage</h1>{steps}<a class=\"print-button\" href=\"/print\">Print</a></div></body>");
    let text = body_of(&page);
    assert!(
        text.contains("Step 1: cut")
            && text.contains("Step 4: cut")
            && !text.contains("personal, non-commercial"),
        "{text}"
    );
}

#[test]
fn list_items_before_the_first_paragraph_are_not_bylines() {
    // An ingredient list or a specification list opens the body with short lines.
    let page = format!("<body><div class=\"recipe\"><h1>Mole cake</h1><ul><li>200 g flour</li><li>3 eggs</li><li>Cocoa</li></ul>{PARAGRAPHS}</div></body>");
    let text = body_of(&page);
    assert!(
        text.contains("3 eggs") && text.contains("Cocoa") && text.contains("Colorado"),
        "{text}"
    );
}

const MORE_PARAGRAPHS: &str = "<p>The trail climbs steadily through pine forest for the first three miles before it opens onto the ridge.</p><p>From the ridge the views stretch across the valley, and on a clear day you can see the snow on the far peaks.</p>";

#[test]
fn caption_named_by_its_class_is_not_body_text() {
    let page = format!("<body><div class=\"entry-content\">{PARAGRAPHS}<div class=\"wp-caption\"><img src=a.jpg alt=\"\"><p class=\"wp-caption-text\">Hikers on the ridge above the lake, early in the morning.</p></div>{MORE_PARAGRAPHS}</div></body>");
    let text = body_of(&page);
    assert!(
        text.contains("Colorado") && text.contains("far peaks"),
        "{text}"
    );
    assert!(!text.contains("Hikers on the ridge"), "{text}");
}

#[test]
fn caption_word_in_a_page_wrapper_class_hides_nothing() {
    // Sites put feature flags ("f_caption_muted_videos_on") on `body` or a wrapper.
    let page = format!("<body class=\"f_caption_muted_videos_on\"><div class=\"caption-theme\"><div>{PARAGRAPHS}{MORE_PARAGRAPHS}</div></div></body>");
    assert!(body_of(&page).contains("Colorado"));
}

#[test]
fn line_repeating_an_image_description_is_its_caption() {
    let page = format!("<body><div>{PARAGRAPHS}<div><img src=a.jpg alt=\"A hiker resting above the lake at dawn\"><p>A hiker resting above the lake at dawn (Photo: Jane Doe)</p></div>{MORE_PARAGRAPHS}</div></body>");
    let text = body_of(&page);
    assert!(
        text.contains("Colorado") && text.contains("far peaks"),
        "{text}"
    );
    assert!(!text.contains("A hiker resting"), "{text}");
}

#[test]
fn closing_invitation_to_the_sites_app_is_not_article_text() {
    let page = format!("<body><div>{PARAGRAPHS}{MORE_PARAGRAPHS}<p>For the latest stories download the Trail News apps for iOS and Android.</p></div></body>");
    let text = body_of(&page);
    assert!(
        text.contains("far peaks") && !text.contains("Trail News apps"),
        "{text}"
    );
}

#[test]
fn inline_read_also_link_does_not_end_the_article() {
    // "Related articles: <a title>" is one inline link; a heading alone would open
    // the page's own section.
    let page = format!("<body><div>{PARAGRAPHS}<p>Related articles: <a href=/x>Hikers rescued on the ridge</a></p><p>The trail climbs steadily through pine forest for the first three miles before it opens onto the ridge.</p></div></body>");
    let text = body_of(&page);
    assert!(text.contains("climbs steadily"), "{text}");
    assert!(!text.contains("Hikers rescued"), "{text}");
}

#[test]
fn closing_paragraph_presenting_the_author_is_an_author_box() {
    let page = format!("<head><meta name=\"author\" content=\"Jane Doe\"></head><body><div>{PARAGRAPHS}{MORE_PARAGRAPHS}<p>Jane Doe is a travel writer based in Denver who has hiked every fourteener in the state.</p></div></body>");
    let text = body_of(&page);
    assert!(text.contains("far peaks"), "{text}");
    assert!(!text.contains("travel writer"), "{text}");
}

#[test]
fn explain_marks_the_author_box_as_left_out() {
    // `--explain` showed the author box as kept: it is dropped after the body is chosen,
    // once the metadata has named the author.
    let page = format!("<head><meta name=\"author\" content=\"Jane Doe\"></head><body><div>{PARAGRAPHS}{MORE_PARAGRAPHS}<p>Jane Doe is a travel writer based in Denver who has hiked every fourteener in the state.</p></div></body>");
    let report = explain_html(page.as_bytes(), &Options::default()).unwrap();
    let line = |needle: &str| {
        report
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no block with {needle:?} in\n{report}"))
            .to_string()
    };
    let author = line("travel writer");
    assert!(
        author.starts_with('-') && author.ends_with("(author box)"),
        "{author}"
    );
    assert!(line("Colorado").starts_with('+'), "{report}");
}

#[test]
fn picture_credits_server_errors_and_a_closing_dateline_are_dropped() {
    let page = format!("<body><div>{PARAGRAPHS}<p>Foto: Jane Doe</p><p>Warning: Creating default object from empty value in /www/htdocs/wp-includes/a.php on line 12</p>{MORE_PARAGRAPHS}<p>Aktualisiert am 17.01.2021.</p></div></body>");
    let text = body_of(&page);
    assert!(
        text.contains("Colorado") && text.contains("far peaks"),
        "{text}"
    );
    for furniture in ["Foto:", "Warning:", "Aktualisiert"] {
        assert!(!text.contains(furniture), "{furniture}: {text}");
    }
}

#[test]
fn layout_class_counting_sidebars_does_not_prune_the_article() {
    // Drupal's "one-sidebar" and "two-sidebars" describe the layout around the content
    // ("sidebar-two" is a sidebar). The wrapper holds less than half of the page's text
    // here, so only its name decides.
    let furniture =
        "Latest headlines from around the region, updated every hour of the day. ".repeat(4);
    let page = format!("<body><div class=\"panel-display zen-one-sidebar-second\"><div class=\"view-content\">{PARAGRAPHS}</div></div><div class=\"sidebar-two\"><p>{furniture}</p></div><div class=\"related-posts\"><p>{furniture}</p></div></body>");
    assert!(body_of(&page).contains("Colorado"));
}

#[test]
fn server_warnings_printed_in_a_sidebar_do_not_win_the_page() {
    // PHP warnings are long lines without links: they must not outweigh a short post.
    let warnings: String = ["comments", "trackbacks", "pings", "replies", "likes", "shares", "views", "votes"]
        .iter()
        .enumerate()
        .map(|(n, c)| format!("<li>Warning: Use of undefined constant {c} - assumed '{c}' (this will throw an Error in a future version of PHP) in /www/htdocs/w00/wp-content/themes/x/functions.php on line {n}</li>"))
        .collect();
    let page = format!("<body><div class=\"post\"><h1>Number two</h1><p>It has been some time since our first son was born, and a few days ago the second one arrived at home.</p><p>This is how it looked when the elder brother saw the newcomer for the first time and talked to him.</p></div><div><h2>Latest comments</h2><ul>{warnings}</ul></div></body>");
    let text = body_of(&page);
    assert!(text.contains("second one arrived"), "{text}");
    assert!(!text.contains("Warning:"), "{text}");
}
