#![no_main]
//! Fuzzes `vigie_extract::extract_html` with arbitrary bytes.
//!
//! The first byte of the input picks the options, the rest is the page:
//! - bit 7 set: small limits, `max_depth` = bits 0-3 (0..=15) and
//!   `max_nodes` = 1 + bits 0-5 (1..=64), so the parser's limit paths are exercised;
//!   clear: the default limits;
//! - bits 4-5: declared charset (none, utf-8, windows-1252, shift_jis);
//! - bit 6: with or without a base URL.
//!
//! A first byte of 0x00 means "defaults, no charset, no base URL": seed files are
//! copied into the corpus with a 0x00 byte in front.

use libfuzzer_sys::fuzz_target;
use vigie_extract::{extract_html, Options};

const CHARSETS: [Option<&str>; 4] = [None, Some("utf-8"), Some("windows-1252"), Some("shift_jis")];

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, page)) = data.split_first() else { return };
    let mut options = Options::default();
    if ctl & 0x80 != 0 {
        options.max_depth = usize::from(ctl & 0x0f);
        options.max_nodes = 1 + usize::from(ctl & 0x3f);
    }
    options.declared_charset = CHARSETS[usize::from((ctl >> 4) & 0x03)].map(str::to_string);
    let base = (ctl & 0x40 != 0).then_some("https://news.example.com/section/article.html");
    let _ = extract_html(page, base, &options);
});
