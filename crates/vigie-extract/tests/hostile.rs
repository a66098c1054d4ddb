//! Hostile input ends in a clear error or a sane result, never a panic or a stack overflow.

use vigie_extract::{extract_html, extract_text, ExtractError, Options};

#[test]
fn empty_page_is_a_clear_error() {
    assert_eq!(
        extract_html(b"", None, &Options::default()),
        Err(ExtractError::Empty)
    );
    assert_eq!(
        extract_html(b" \n\t ", None, &Options::default()),
        Err(ExtractError::Empty)
    );
    assert_eq!(
        extract_text("", &Options::default()),
        Err(ExtractError::Empty)
    );
}

#[test]
fn binary_garbage_is_refused() {
    // A deterministic pseudo-random byte stream (xorshift), like a misnamed image or archive.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    assert_eq!(
        extract_html(&bytes, None, &Options::default()),
        Err(ExtractError::NotText)
    );
}

#[test]
fn page_over_the_size_limit_is_refused_with_both_numbers() {
    let options = Options {
        max_input_bytes: 1000,
        ..Options::default()
    };
    let err = extract_html(&vec![b'a'; 2000], None, &options).unwrap_err();
    assert_eq!(
        err,
        ExtractError::TooLarge {
            size: 2000,
            limit: 1000
        }
    );
    assert!(err.to_string().contains("2000") && err.to_string().contains("1000"));
}

#[test]
fn fifty_megabyte_page_is_read() {
    let paragraph = "<p>A long day of talks ended without agreement, the delegates said on Friday evening.</p>\n";
    let mut page = String::from("<html><body><article>");
    while page.len() < 50 * 1024 * 1024 {
        page.push_str(paragraph);
    }
    page.push_str("</article></body></html>");
    let a = extract_html(page.as_bytes(), None, &Options::default())
        .expect("a large page is still a page");
    assert!(a.body.len() > 100_000);
}

#[test]
fn hundred_thousand_nested_elements_do_not_overflow() {
    let depth = 100_000;
    let page = format!("<html><body>{}<p>The innermost paragraph holds the article text, which is long enough to count.</p>{}</body></html>", "<div>".repeat(depth), "</div>".repeat(depth));
    let a = extract_html(page.as_bytes(), None, &Options::default()).unwrap();
    assert!(a.text.contains("innermost paragraph"));
    // Unclosed nesting too, with inline elements.
    let page = "<span><b><i>".repeat(depth) + "deep text";
    extract_html(page.as_bytes(), None, &Options::default()).unwrap();
}

#[test]
fn truncated_markup_keeps_what_was_read() {
    let page = "<html><head><title>Cut short</title></head><body><article><p>The first paragraph arrived whole before the connection dropped, as they do.</p><p>The second was cut in the mid";
    let a = extract_html(page.as_bytes(), None, &Options::default()).unwrap();
    assert!(a.text.contains("The first paragraph arrived whole"));
    for cut in [
        "<p class=\"x",
        "<!-- never closed",
        "<script>var a = 1;",
        "<p>text &am",
        "<a href='x",
    ] {
        let page = format!(
            "<html><body><p>Some article text that should survive the cut, long enough.</p>{cut}"
        );
        extract_html(page.as_bytes(), None, &Options::default()).unwrap();
    }
}

#[test]
fn node_limit_cuts_the_page_without_failing() {
    let options = Options {
        max_nodes: 1000,
        ..Options::default()
    };
    let page = "<p>Paragraph of article text, repeated many times to pass the node limit.</p>"
        .repeat(10_000);
    let a = extract_html(page.as_bytes(), None, &options).unwrap();
    assert!(a.body.len() < 1000);
}

#[test]
fn malformed_json_ld_is_ignored() {
    let page = r#"<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Broken" , {{{</script></head><body><p>Article text that stands on its own, long enough to be kept by the reader.</p></body></html>"#;
    let a = extract_html(page.as_bytes(), None, &Options::default()).unwrap();
    assert!(a.text.contains("Article text that stands on its own"));
}

#[test]
fn long_lines_of_near_relative_dates_stay_fast() {
    // Relative forms glued to words (never a dateline) and absurd counts, in one long
    // line under the headline, read against a capture time: every candidate is tried
    // and refused, in time linear in the text.
    let junk =
        "xil y a 3 heuresx vor 99999999999 Tagen il y a 99999999 jours hier à 99:99 3 hours agox "
            .repeat(20_000);
    let page = format!(
        "<html lang=\"fr\"><body><article><h1>Titre</h1><p>{junk}</p></article></body></html>"
    );
    let options = Options {
        reference_time: Some(chrono::DateTime::parse_from_rfc3339("2022-12-19T17:30:00Z").unwrap()),
        ..Options::default()
    };
    let start = std::time::Instant::now();
    let a = extract_html(page.as_bytes(), None, &options).unwrap();
    assert!(a.published.is_none());
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}
