//! What a source is, told from its content (never its name or extension), and gzip.
//!
//! Sources arrive as `feed.xml` that is really HTML, `sitemap.xml.gz`, `index.php` that is
//! RSS, or `crawl.warc.gz`. [`detect`] reads the first 64 KiB (decompressing that much of
//! gzip input) and names the kind; [`decompress`] expands gzip input with a size cap, so
//! that a 10 KB gzip bomb cannot become 10 GB in memory.

use std::borrow::Cow;
use std::fmt;
use std::io::Read;

use flate2::read::MultiGzDecoder;

use crate::{IngestError, Limits};

/// How many bytes of a source [`detect`] looks at.
const SNIFF_BYTES: usize = 64 * 1024;

/// The RSS dialects, which differ in structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RssVersion {
    /// RSS 0.90–0.94 (`<rss version="0.91">`).
    V09,
    /// RSS 1.0, an RDF document (`<rdf:RDF>`).
    V1,
    /// RSS 2.0 (`<rss version="2.0">`, or no version).
    V2,
}

/// The kind of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// An RSS feed.
    Rss(RssVersion),
    /// An Atom feed (`<feed>`).
    Atom,
    /// A JSON Feed (`"version": "https://jsonfeed.org/version/1.1"`).
    JsonFeed,
    /// An XML sitemap (`<urlset>`); `news` when it uses the Google News extension.
    Sitemap {
        /// Declares the `sitemap-news` namespace.
        news: bool,
    },
    /// A sitemap index (`<sitemapindex>`) listing other sitemaps.
    SitemapIndex,
    /// An OPML subscription list.
    Opml,
    /// Plain text whose first line (past comments and blank lines) is an http(s) URL.
    UrlList,
    /// An HTML page.
    Html,
    /// A WARC archive.
    Warc,
    /// XML of another kind; the root element's name.
    OtherXml(String),
    /// JSON that is not a JSON Feed.
    OtherJson,
    /// Text of no recognised kind.
    Text,
    /// Binary data.
    Binary,
    /// Nothing but white space.
    Empty,
}

impl SourceKind {
    /// A feed that [`parse_feed`](crate::parse_feed) reads.
    pub fn is_feed(&self) -> bool {
        matches!(
            self,
            SourceKind::Rss(_) | SourceKind::Atom | SourceKind::JsonFeed
        )
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceKind::Rss(RssVersion::V09) => f.write_str("an RSS 0.9x feed"),
            SourceKind::Rss(RssVersion::V1) => f.write_str("an RSS 1.0 (RDF) feed"),
            SourceKind::Rss(RssVersion::V2) => f.write_str("an RSS 2.0 feed"),
            SourceKind::Atom => f.write_str("an Atom feed"),
            SourceKind::JsonFeed => f.write_str("a JSON Feed"),
            SourceKind::Sitemap { news: false } => f.write_str("an XML sitemap"),
            SourceKind::Sitemap { news: true } => f.write_str("a Google News sitemap"),
            SourceKind::SitemapIndex => f.write_str("a sitemap index"),
            SourceKind::Opml => f.write_str("an OPML file"),
            SourceKind::UrlList => f.write_str("a list of URLs"),
            SourceKind::Html => f.write_str("an HTML page"),
            SourceKind::Warc => f.write_str("a WARC archive"),
            SourceKind::OtherXml(root) => write!(f, "XML of another kind (root element <{root}>)"),
            SourceKind::OtherJson => f.write_str("JSON that is not a JSON Feed"),
            SourceKind::Text => f.write_str("text of no known kind"),
            SourceKind::Binary => f.write_str("binary data"),
            SourceKind::Empty => f.write_str("empty input"),
        }
    }
}

/// A source's kind and whether it came gzip-compressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// What the (decompressed) content is.
    pub kind: SourceKind,
    /// The bytes are gzip data.
    pub gzip: bool,
}

/// Whether `bytes` start with the gzip magic number and the deflate method.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b, 0x08])
}

/// Tells a source's kind from its first 64 KiB, decompressing gzip input first.
pub fn detect(bytes: &[u8]) -> Detected {
    if is_gzip(bytes) {
        let mut prefix = Vec::new();
        let ok = MultiGzDecoder::new(bytes)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut prefix);
        let kind = match ok {
            // A corrupt stream still shows its kind if its start decompressed.
            Err(_) if prefix.is_empty() => SourceKind::Binary,
            _ => detect_plain(&prefix),
        };
        return Detected { kind, gzip: true };
    }
    Detected {
        kind: detect_plain(&bytes[..bytes.len().min(SNIFF_BYTES)]),
        gzip: false,
    }
}

/// Decompresses gzip input (all members of a multi-member stream), refusing to expand
/// past [`Limits::max_decompressed_bytes`]; other input is returned as is.
pub fn decompress<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Cow<'a, [u8]>, IngestError> {
    if !is_gzip(bytes) {
        return Ok(Cow::Borrowed(bytes));
    }
    let limit = limits.max_decompressed_bytes;
    let mut out = Vec::new();
    MultiGzDecoder::new(bytes)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| IngestError::Gzip {
            message: e.to_string(),
        })?;
    if out.len() > limit {
        return Err(IngestError::DecompressedTooLarge { limit });
    }
    Ok(Cow::Owned(out))
}

fn detect_plain(prefix: &[u8]) -> SourceKind {
    let text: Cow<'_, str> = match encoding_rs::Encoding::for_bom(prefix) {
        Some((enc, bom)) => enc.decode_without_bom_handling(&prefix[bom..]).0,
        None => String::from_utf8_lossy(prefix),
    };
    let t = text.trim_start();
    // WARC records carry binary payloads: the signature decides before the bytes do.
    if t.starts_with("WARC/") {
        return SourceKind::Warc;
    }
    if looks_binary(&text) {
        return SourceKind::Binary;
    }
    if t.is_empty() {
        return SourceKind::Empty;
    }
    if t.starts_with('{') {
        return if t.contains("jsonfeed.org/version") {
            SourceKind::JsonFeed
        } else {
            SourceKind::OtherJson
        };
    }
    if t.starts_with('[') {
        return SourceKind::OtherJson;
    }
    if t.starts_with('<') {
        return xml_kind(t);
    }
    let first_line = t
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    if first_line.is_some_and(|l| {
        let l = l.as_bytes();
        l.len() > 8
            && (l[..7].eq_ignore_ascii_case(b"http://") || l[..8].eq_ignore_ascii_case(b"https://"))
    }) {
        return SourceKind::UrlList;
    }
    if t.to_ascii_lowercase().contains("<html") {
        return SourceKind::Html;
    }
    SourceKind::Text
}

/// NUL bytes, or many control characters or replacement characters, mean binary data.
fn looks_binary(text: &str) -> bool {
    let mut odd = 0usize;
    let mut total = 0usize;
    for c in text.chars().take(4096) {
        total += 1;
        if c == '\0' {
            return true;
        }
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')) || c == '\u{fffd}' {
            odd += 1;
        }
    }
    total > 0 && odd * 10 > total
}

/// Kind of an XML (or HTML) document from its root element.
fn xml_kind(t: &str) -> SourceKind {
    let mut rest = t;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            let Some(end) = r.find("?>") else {
                return SourceKind::Text;
            };
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            let Some(end) = r.find("-->") else {
                return SourceKind::Text;
            };
            rest = &r[end + 3..];
        } else if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case("<!doctype") {
            let decl = rest[9..].trim_start();
            if decl.len() >= 4 && decl[..4].eq_ignore_ascii_case("html") {
                return SourceKind::Html;
            }
            // Skip an internal subset `[ … ]` before the closing `>`.
            let end = match (decl.find('['), decl.find('>')) {
                (Some(b), Some(g)) if b < g => decl.find("]>").map(|e| e + 2),
                (_, Some(g)) => Some(g + 1),
                _ => None,
            };
            let Some(end) = end else {
                return SourceKind::Text;
            };
            rest = &decl[end..];
        } else {
            break;
        }
    }
    let Some(tag) = rest.strip_prefix('<') else {
        return SourceKind::Text;
    };
    let name_len = tag
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(tag.len());
    let name = &tag[..name_len];
    let local = name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase();
    let head = &tag[..tag.find('>').unwrap_or(tag.len())];
    match local.as_str() {
        "rss" => SourceKind::Rss(match attr(head, "version").as_deref() {
            Some(v) if v.starts_with("0.9") => RssVersion::V09,
            _ => RssVersion::V2,
        }),
        "rdf" => SourceKind::Rss(RssVersion::V1),
        "feed" => SourceKind::Atom,
        "urlset" => SourceKind::Sitemap {
            news: t.contains("google.com/schemas/sitemap-news"),
        },
        "sitemapindex" => SourceKind::SitemapIndex,
        "opml" => SourceKind::Opml,
        "html" | "head" | "body" | "meta" | "title" | "div" | "p" | "script" | "link" | "style"
        | "table" => SourceKind::Html,
        "" => SourceKind::Text,
        _ => SourceKind::OtherXml(name.chars().take(64).collect()),
    }
}

/// The value of attribute `name` in a start tag's text.
fn attr(head: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = head[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || head.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = head[from..].trim_start();
        if !before_ok {
            continue;
        }
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let value = &rest[1..];
        return value.find(quote).map(|e| value[..e].trim().to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn kind(s: &str) -> SourceKind {
        detect(s.as_bytes()).kind
    }

    #[test]
    fn feeds() {
        assert_eq!(
            kind("<?xml version=\"1.0\"?>\n<!-- hi -->\n<rss version=\"2.0\"><channel/></rss>"),
            SourceKind::Rss(RssVersion::V2)
        );
        assert_eq!(
            kind("<rss version='0.91'><channel/></rss>"),
            SourceKind::Rss(RssVersion::V09)
        );
        assert_eq!(
            kind("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"></rdf:RDF>"),
            SourceKind::Rss(RssVersion::V1)
        );
        assert_eq!(
            kind("\u{feff}<feed xmlns=\"http://www.w3.org/2005/Atom\"/>"),
            SourceKind::Atom
        );
        assert_eq!(
            kind("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}"),
            SourceKind::JsonFeed
        );
        assert_eq!(kind("{\"a\": 1}"), SourceKind::OtherJson);
    }

    #[test]
    fn sitemaps_opml_and_others() {
        assert_eq!(
            kind("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>"),
            SourceKind::Sitemap { news: false }
        );
        assert_eq!(
            kind("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"/>"),
            SourceKind::Sitemap { news: true }
        );
        assert_eq!(
            kind("<sm:sitemapindex xmlns:sm=\"x\"/>"),
            SourceKind::SitemapIndex
        );
        assert_eq!(
            kind("<opml version=\"2.0\"><body/></opml>"),
            SourceKind::Opml
        );
        assert_eq!(kind("<!DOCTYPE html><html><p>x</html>"), SourceKind::Html);
        assert_eq!(kind("<HTML><BODY>x"), SourceKind::Html);
        assert_eq!(
            kind("WARC/1.1\r\nWARC-Type: warcinfo\r\n"),
            SourceKind::Warc
        );
        assert_eq!(
            kind("# my sources\n\nhttps://example.org/a\n"),
            SourceKind::UrlList
        );
        assert_eq!(
            kind("<!DOCTYPE x [ <!ENTITY a \"b\"> ]><x/>"),
            SourceKind::OtherXml("x".into())
        );
        assert_eq!(kind("hello world"), SourceKind::Text);
        assert_eq!(kind("  \n "), SourceKind::Empty);
        assert_eq!(kind(""), SourceKind::Empty);
        assert_eq!(detect(b"\x00\x01\x02\x03binary").kind, SourceKind::Binary);
        assert_eq!(detect(&[0xff; 100]).kind, SourceKind::Binary);
    }

    #[test]
    fn kind_is_read_from_content_not_name() {
        // An HTML error page served as "feed.xml" is still HTML.
        assert_eq!(
            kind("\n\n<!doctype html>\n<title>404</title>"),
            SourceKind::Html
        );
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_is_detected_and_decompressed() {
        let xml = b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"></urlset>";
        let z = gz(xml);
        assert_eq!(
            detect(&z),
            Detected {
                kind: SourceKind::Sitemap { news: false },
                gzip: true
            }
        );
        assert_eq!(&*decompress(&z, &Limits::default()).unwrap(), xml);
        assert_eq!(&*decompress(xml, &Limits::default()).unwrap(), xml);
    }

    #[test]
    fn multi_member_gzip_is_read_whole() {
        let mut z = gz(b"WARC/1.0\r\n");
        z.extend(gz(b"second member"));
        assert_eq!(
            &*decompress(&z, &Limits::default()).unwrap(),
            b"WARC/1.0\r\nsecond member"
        );
    }

    #[test]
    fn gzip_bomb_is_refused() {
        let z = gz(&vec![b' '; 8 * 1024 * 1024]);
        assert!(z.len() < 64 * 1024, "{}", z.len());
        let limits = Limits {
            max_decompressed_bytes: 1024 * 1024,
            ..Limits::default()
        };
        assert_eq!(
            decompress(&z, &limits),
            Err(IngestError::DecompressedTooLarge { limit: 1024 * 1024 })
        );
        // Detection reads only a prefix.
        assert_eq!(detect(&z).kind, SourceKind::Empty);
    }

    #[test]
    fn corrupt_gzip_is_an_error() {
        let mut z = gz(b"<rss version=\"2.0\"></rss>");
        let n = z.len();
        z.truncate(n - 6);
        assert!(matches!(
            decompress(&z, &Limits::default()),
            Err(IngestError::Gzip { .. })
        ));
    }
}
