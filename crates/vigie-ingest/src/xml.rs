//! Shared helpers over `quick-xml` for the readers that walk XML events themselves
//! (sitemaps, OPML) and the feed reader's pre-check.
//!
//! Every walk is a loop over events with an explicit depth counter, never recursion, so
//! 100,000 nested elements cost a counter, not the stack.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::IngestError;

/// A reader over decoded text, lenient where real documents are sloppy: a bare `&` in a
/// URL reads as text.
pub(crate) fn reader(text: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_str(text);
    r.config_mut().allow_dangling_amp = true;
    r
}

/// Maps a `quick-xml` error at the reader's position.
pub(crate) fn xml_error(
    input: &'static str,
    reader: &Reader<&[u8]>,
    err: impl std::fmt::Display,
) -> IngestError {
    IngestError::Xml {
        input,
        position: reader.error_position(),
        message: err.to_string(),
    }
}

/// The error for a document that ends inside an element.
pub(crate) fn truncated(input: &'static str, reader: &Reader<&[u8]>, open: &str) -> IngestError {
    IngestError::Xml {
        input,
        position: reader.buffer_position(),
        message: format!("the document ends inside <{open}> (truncated?)"),
    }
}

/// Checks that no element nests deeper than `max_depth` and that the document does not
/// end inside an element. Other XML errors are left to the caller's parser, which may
/// tolerate them.
pub(crate) fn check_structure(
    text: &str,
    input: &'static str,
    max_depth: usize,
) -> Result<(), IngestError> {
    let mut r = reader(text);
    r.config_mut().check_end_names = false;
    let mut depth = 0usize;
    loop {
        match r.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > max_depth {
                    return Err(IngestError::TooDeep {
                        input,
                        limit: max_depth,
                    });
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) if depth > 0 => {
                return Err(IngestError::Xml {
                    input,
                    position: r.buffer_position(),
                    message: format!(
                        "the document ends inside {depth} open element(s) (truncated?)"
                    ),
                })
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// The local name of an element (`news:title` → `title`), as a string.
pub(crate) fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

/// Appends the text a reference stands for: character references, the five XML
/// entities, then HTML's (feeds and sitemaps use `&nbsp;` without declaring it);
/// anything else is kept as written.
pub(crate) fn push_ref(buf: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        buf.push(c);
        return;
    }
    let name = r.xml10_content();
    if let Some(s) = resolve_predefined_entity(&name) {
        buf.push_str(s);
        return;
    }
    let written = format!("&{name};");
    buf.push_str(&htmlize::unescape(written.as_str()));
}

/// The value of an attribute matched case-insensitively by local name, unescaped.
pub(crate) fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.local_name();
        if !key.as_ref().eq_ignore_ascii_case(name) {
            return None;
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.to_string());
        Some(value)
    })
}

/// Appends the text of a text-like event to `buf`; `false` for other events.
pub(crate) fn push_text(buf: &mut String, event: &Event<'_>) -> bool {
    match event {
        Event::Text(t) => buf.push_str(&t.xml10_content()),
        Event::CData(c) => buf.push_str(c.as_ref()),
        Event::GeneralRef(r) => push_ref(buf, r),
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let doc = "<a>".repeat(100_000);
        assert_eq!(
            check_structure(&doc, "feed", 128),
            Err(IngestError::TooDeep {
                input: "feed",
                limit: 128
            })
        );
    }

    #[test]
    fn truncation_is_reported() {
        let err = check_structure("<rss><channel><item><title>Cut", "feed", 128).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
        assert_eq!(check_structure("<rss></rss>", "feed", 128), Ok(()));
    }

    #[test]
    fn text_with_references() {
        let mut r = reader("<t>a &amp; b &#233; &nbsp;c &bogus; d & e<![CDATA[ <x> ]]></t>");
        let mut buf = String::new();
        loop {
            match r.read_event().unwrap() {
                Event::Eof => break,
                e => {
                    push_text(&mut buf, &e);
                }
            }
        }
        assert_eq!(buf, "a & b é \u{a0}c &bogus; d & e <x> ");
    }
}
