//! Decoding a page's bytes: BOM, then the transport's declaration, then `<meta charset>`,
//! then valid UTF-8, then statistical detection (`chardetng`).

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

/// Where the encoding of a page came from, for `--explain` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte order mark.
    Bom,
    /// The HTTP `Content-Type` header (or the caller).
    Declared,
    /// A `<meta charset>` or `http-equiv` declaration in the page.
    Meta,
    /// The bytes are valid UTF-8.
    Utf8,
    /// Guessed from byte statistics.
    Detected,
}

/// Decodes `bytes` to text, returning the encoding used and how it was chosen.
pub fn decode<'a>(
    bytes: &'a [u8],
    declared: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding, CharsetSource) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc, CharsetSource::Bom);
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    let utf8_ok = utf8.is_some();
    let declared_enc = declared.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    let meta_enc = if declared_enc.is_none() {
        sniff_meta(bytes)
    } else {
        None
    };
    let (choice, source) = match (declared_enc, meta_enc) {
        (Some(e), _) => (Some(e), CharsetSource::Declared),
        (None, Some(e)) => (Some(e), CharsetSource::Meta),
        _ => (None, CharsetSource::Detected),
    };
    if let Some(enc) = choice {
        // A page declared in a legacy single-byte charset whose bytes are valid UTF-8 with
        // non-ASCII characters was almost surely saved as UTF-8 (a common CMS mistake).
        let enc = if enc != UTF_8 && utf8_ok && !bytes.is_ascii() && enc.is_single_byte() {
            UTF_8
        } else {
            enc
        };
        let enc = enc.output_encoding();
        if let (true, Some(text)) = (enc == UTF_8, utf8) {
            return (Cow::Borrowed(text), enc, source);
        }
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text, enc, source);
    }
    if let Some(text) = utf8 {
        return (Cow::Borrowed(text), UTF_8, CharsetSource::Utf8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&bytes[..bytes.len().min(256 * 1024)], true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text, enc, CharsetSource::Detected)
}

/// Looks for a charset declaration in the first 4 KiB, as the HTML spec's prescan does.
fn sniff_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(off) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + off;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(p) = memchr::memmem::find(tag, b"charset") {
            let mut v = &tag[p + 7..];
            while let [b' ' | b'=' | b'"' | b'\'' | b'\t' | b'\n' | b'\r', rest @ ..] = v {
                v = rest;
            }
            let label_end = v
                .iter()
                .position(|c| {
                    !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.'))
                })
                .unwrap_or(v.len());
            if let Some(enc) = Encoding::for_label(&v[..label_end]) {
                // A page that says UTF-16 in ASCII is not UTF-16 (the spec's rule).
                return Some(
                    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        UTF_8
                    } else {
                        enc
                    },
                );
            }
        }
        from = end.max(start + 5);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_meta() {
        let page =
            b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9 \x80</body></html>";
        let (text, enc, src) = decode(page, None);
        assert_eq!(enc.name(), "windows-1252");
        assert_eq!(src, CharsetSource::Meta);
        assert!(text.contains("café €"));
    }

    #[test]
    fn iso_8859_1_http_equiv() {
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><p>Num\xe9ro \xe0 Paris</p>";
        let (text, _, src) = decode(page, None);
        assert_eq!(src, CharsetSource::Meta);
        assert!(text.contains("Numéro à Paris"));
    }

    #[test]
    fn undeclared_latin1_is_detected() {
        let page =
            "<p>Le président a déclaré à la presse que l'été serait très chaud cette année.</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(page);
        let (text, _, src) = decode(&bytes, None);
        assert_eq!(src, CharsetSource::Detected);
        assert!(text.contains("président a déclaré"));
    }

    #[test]
    fn declared_header_wins_over_meta() {
        let page = b"<meta charset=utf-8><p>\xe9t\xe9</p>";
        let (text, _, src) = decode(page, Some("iso-8859-1"));
        assert_eq!(src, CharsetSource::Declared);
        assert!(text.contains("été"));
    }

    #[test]
    fn utf8_bom() {
        let (text, enc, src) = decode("\u{feff}<p>été</p>".as_bytes(), Some("windows-1252"));
        assert_eq!((enc, src), (UTF_8, CharsetSource::Bom));
        assert_eq!(text, "<p>été</p>");
    }
}
