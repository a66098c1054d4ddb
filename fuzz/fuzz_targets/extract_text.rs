#![no_main]
//! Fuzzes `vigie_extract::extract_text` with arbitrary bytes, converted to text with
//! `String::from_utf8_lossy`.
//!
//! The first byte of the input picks the options, the rest is the text:
//! - bit 7 set: small limits, `max_depth` = bits 0-3 (0..=15),
//!   `max_nodes` = 1 + bits 0-5 (1..=64); clear: the defaults;
//! - bit 6 set (with bit 7): `max_input_bytes` = 16 * bits 0-5 (0..=1008), so
//!   `TooLarge` is reached.
//!
//! A first byte of 0x00 means "defaults": seed files are copied into the corpus
//! with a 0x00 byte in front.

use libfuzzer_sys::fuzz_target;
use vigie_extract::{extract_text, Options};

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else { return };
    let mut options = Options::default();
    if ctl & 0x80 != 0 {
        options.max_depth = usize::from(ctl & 0x0f);
        options.max_nodes = 1 + usize::from(ctl & 0x3f);
        if ctl & 0x40 != 0 {
            options.max_input_bytes = 16 * usize::from(ctl & 0x3f);
        }
    }
    let text = String::from_utf8_lossy(rest);
    let _ = extract_text(&text, &options);
});
