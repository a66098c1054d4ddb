//! Bytes to UTF-8 text for XML sources, and HTML fragments to plain text.
//!
//! Feeds lie about their encoding: a prolog that says `ISO-8859-1` over UTF-8 bytes, or
//! no declaration over windows-1252 bytes. The readers decode every XML source here
//! first, in this order: byte order mark; the prolog's declaration, unless the bytes are
//! valid UTF-8 with non-ASCII characters and the declaration names a single-byte charset
//! (the file was saved as UTF-8 by a CMS that kept a stale prolog); valid UTF-8; else a
//! statistical guess (`chardetng`), which names windows-1252 for Western feeds.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

/// Decodes an XML document's bytes to text.
pub(crate) fn decode_xml(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0;
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    // A declaration read as ASCII cannot honestly name an ASCII-incompatible encoding
    // (UTF-16 without a BOM would not have been readable here).
    let declared = declared_encoding(bytes).filter(|e| e.is_ascii_compatible());
    match (declared, utf8) {
        (Some(enc), Some(text)) if enc == UTF_8 || bytes.is_ascii() || enc.is_single_byte() => {
            Cow::Borrowed(text)
        }
        (Some(enc), _) if enc != UTF_8 => enc.decode_without_bom_handling(bytes).0,
        (_, Some(text)) => Cow::Borrowed(text),
        (_, None) => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(&bytes[..bytes.len().min(256 * 1024)], true);
            let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
            enc.decode_without_bom_handling(bytes).0
        }
    }
}

/// The encoding named by an `<?xml … encoding="…"?>` prolog, if any.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let start = memchr::memmem::find(head, b"<?xml")?;
    let end = start + memchr::memmem::find(&head[start..], b"?>")?;
    let decl = &head[start..end];
    let at = memchr::memmem::find(decl, b"encoding")? + b"encoding".len();
    let rest = decl[at..]
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let len = memchr::memchr(quote, value)?;
    Encoding::for_label(value[..len].trim_ascii())
}

/// Replaces the XML prolog, if any, with one that declares UTF-8, so that a parser
/// reading the decoded text does not decode it a second time.
pub(crate) fn with_utf8_prolog(text: &str) -> Cow<'_, str> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with("<?xml") {
        return Cow::Borrowed(text);
    }
    let Some(end) = trimmed.find("?>") else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    out.push_str(&trimmed[end + 2..]);
    Cow::Owned(out)
}

/// An HTML fragment (a title or summary as feeds write them) to plain text: tags
/// dropped (block-level ones leave a space), script and style contents dropped,
/// character references decoded, white space collapsed.
pub(crate) fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return collapse_ws(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let starts_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !starts_tag {
            out.push('<');
            rest = after;
            continue;
        }
        let Some(gt) = after.find('>') else {
            // An unclosed tag at the end: drop it.
            rest = "";
            break;
        };
        let tag = &after[..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        rest = &after[gt + 1..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            rest = match find_ascii_ci(rest, &close) {
                Some(i) => rest[i..].find('>').map_or("", |g| &rest[i + g + 1..]),
                None => "",
            };
            out.push(' ');
        } else if is_block(&name) {
            out.push(' ');
        }
    }
    out.push_str(rest);
    let decoded = htmlize::unescape(out.as_str());
    collapse_ws(&decoded)
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "br" | "p"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "figure"
            | "figcaption"
            | "hr"
            | "section"
            | "article"
            | "img"
    )
}

/// Collapses runs of white space to one space and trims the ends.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `Some(text)` unless the text is empty after trimming.
pub(crate) fn non_empty(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bytes_under_a_latin1_prolog_stay_utf8() {
        let doc = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>Été</t>";
        assert_eq!(decode_xml(doc.as_bytes()), doc);
    }

    #[test]
    fn windows_1252_bytes_without_declaration_are_detected() {
        let mut doc = b"<?xml version=\"1.0\"?><t>".to_vec();
        doc.extend_from_slice(b"L\xe9gislatives : le \x93second tour\x94 d\xe9cid\xe9 \xe0 Paris");
        doc.extend_from_slice(b"</t>");
        let text = decode_xml(&doc);
        assert!(text.contains("Législatives"), "{text}");
        assert!(text.contains("“second tour”"), "{text}");
    }

    #[test]
    fn declared_windows_1252_is_honoured() {
        let doc = b"<?xml version='1.0' encoding='windows-1252'?><t>caf\xe9 \x80</t>";
        assert_eq!(
            decode_xml(doc),
            "<?xml version='1.0' encoding='windows-1252'?><t>café €</t>"
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut doc = vec![0xFF, 0xFE];
        for u in "<t>é</t>".encode_utf16() {
            doc.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_xml(&doc), "<t>é</t>");
    }

    #[test]
    fn prolog_is_rewritten_to_utf8() {
        let doc = "  <?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<rss/>";
        assert_eq!(
            with_utf8_prolog(doc),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss/>"
        );
        assert_eq!(with_utf8_prolog("<rss/>"), "<rss/>");
    }

    #[test]
    fn html_is_stripped_to_text() {
        assert_eq!(
            html_to_text("<b>Breaking:</b> rates &amp; <i>prices</i> rise"),
            "Breaking: rates & prices rise"
        );
        assert_eq!(html_to_text("one<br/>two<p>three</p>"), "one two three");
        assert_eq!(html_to_text("a<script>alert('x')</script>b"), "a b");
        assert_eq!(html_to_text("3 < 4 &lt; 5"), "3 < 4 < 5");
        assert_eq!(html_to_text("cut <a href"), "cut");
        assert_eq!(html_to_text("  plain\n text "), "plain text");
    }
}
