//! Plain lists of URLs: one per line, `#` comments, blank lines, any line ending, a BOM.
//!
//! A line that is not an http(s) URL does not spoil the list: it is reported with its
//! line number and reason, and the other lines are read.

use serde::{Deserialize, Serialize};

use crate::canonical::refuse_reason;
use crate::kind::{detect, SourceKind};
use crate::text::decode_xml;
use crate::{IngestError, Limits};

/// Lines longer than this are reported as invalid rather than parsed.
const MAX_LINE_BYTES: usize = 8 * 1024;

/// A line that is not a usable URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidLine {
    /// 1-based line number.
    pub line: usize,
    /// The line as written (trimmed, cut to 200 characters).
    pub text: String,
    /// Why it is refused.
    pub reason: String,
}

/// A URL list read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlList {
    /// The URLs, parsed and serialised (`HTTPS://Example.org` → `https://example.org/`),
    /// in file order, duplicates kept.
    pub urls: Vec<String>,
    /// Lines that are not http(s) URLs.
    pub invalid: Vec<InvalidLine>,
}

/// Reads a URL list (gzip-compressed or not). Errors: empty input, binary data, input
/// over [`Limits::max_document_bytes`], more than [`Limits::max_entries`] URLs.
pub fn parse_url_list(bytes: &[u8], limits: &Limits) -> Result<UrlList, IngestError> {
    let bytes = crate::limits::document("URL list", bytes, limits)?;
    match detect(&bytes).kind {
        SourceKind::Empty => return Err(IngestError::Empty { input: "URL list" }),
        k @ SourceKind::Binary => {
            return Err(IngestError::WrongKind {
                expected: "URL list",
                found: k.to_string(),
            })
        }
        _ => {}
    }
    let text = decode_xml(&bytes);
    let mut out = UrlList::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        // A comment: a whole line, or after white space (a `#` inside a URL is its fragment).
        let line = match line.find(" #").or_else(|| line.find("\t#")) {
            Some(at) => line[..at].trim_end(),
            None => line,
        };
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let invalid = |reason: String| InvalidLine {
            line: i + 1,
            text: line.chars().take(200).collect(),
            reason,
        };
        if line.len() > MAX_LINE_BYTES {
            out.invalid.push(invalid(format!(
                "the line is longer than {MAX_LINE_BYTES} bytes"
            )));
            continue;
        }
        match refuse_reason(line) {
            Some(reason) => out.invalid.push(invalid(reason.to_string())),
            None => {
                if let Ok(u) = url::Url::parse(line) {
                    out.urls.push(u.to_string());
                }
                if out.urls.len() > limits.max_entries {
                    return Err(IngestError::TooManyEntries {
                        input: "URL list",
                        limit: limits.max_entries,
                        option: "max_entries",
                    });
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_bom_and_crlf() {
        let list = parse_url_list(
            "\u{feff}# sources\r\n\r\nhttps://Example.org/a#top\r\n  http://example.com/b   # the b page\r\n".as_bytes(),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            list.urls,
            ["https://example.org/a#top", "http://example.com/b"]
        );
        assert!(list.invalid.is_empty());
    }

    #[test]
    fn invalid_lines_have_numbers() {
        let list = parse_url_list(
            b"https://example.org/\nwww.example.org/no-scheme\nftp://example.org/file\nhttps://\n",
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(list.urls.len(), 1);
        let lines: Vec<usize> = list.invalid.iter().map(|l| l.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert!(
            list.invalid[1].reason.contains("ftp"),
            "{:?}",
            list.invalid[1]
        );
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert_eq!(
            parse_url_list(b" \n\n", &Limits::default()),
            Err(IngestError::Empty { input: "URL list" })
        );
        assert!(matches!(
            parse_url_list(b"\x00\x01\x02garbage", &Limits::default()),
            Err(IngestError::WrongKind { .. })
        ));
    }
}
