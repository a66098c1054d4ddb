//! A streaming WARC 1.0/1.1 reader that yields the HTML pages an archive holds.
//!
//! Why not the `warc` crate (0.4): it reads a header or body line with an unbounded
//! `read_until` (a record without line breaks grows memory without limit), loads every
//! record body whole whatever its size, returns a clean end of iteration when an
//! archive is cut inside a record's header (a truncated archive looks complete), and
//! leaves the HTTP message inside `response` records unparsed, which is most of the work
//! here. It also brings `nom` 7, `libflate` and an old `uuid`. This reader is ~300 lines:
//! bounded header reads, bodies over [`Limits::max_warc_record_bytes`] skipped without
//! buffering, a truncation error after the good records, and HTTP handled with
//! `httparse`.
//!
//! Input is a plain archive or gzip with one member per record (`.warc.gz`, which is a
//! multi-member gzip stream), told apart by the magic bytes. Yielded: `response` records
//! whose HTTP status is 200 and whose content type is HTML, with the HTTP headers
//! stripped, chunked transfer-encoding and gzip/deflate content-encoding undone. Other
//! records (`warcinfo`, `request`, `metadata`, redirects, images, a malformed HTTP
//! message in a well-framed record) are skipped and counted in [`WarcStats`].

use std::io::{self, BufRead, BufReader, Read};

use chrono::{DateTime, FixedOffset};
use flate2::bufread::MultiGzDecoder;

use crate::kind::is_gzip;
use crate::{dates, IngestError, Limits};

/// An HTML page read from a WARC `response` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcPage {
    /// The page's address (`WARC-Target-URI`).
    pub target_uri: String,
    /// When it was captured (`WARC-Date`): the reference time for relative dates.
    pub date: Option<DateTime<FixedOffset>>,
    /// The record's `WARC-Record-ID`.
    pub record_id: Option<String>,
    /// The charset of the HTTP `Content-Type` header, when it names one.
    pub charset: Option<String>,
    /// The HTTP body: the page's bytes.
    pub payload: Vec<u8>,
}

/// What a reader has seen so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WarcStats {
    /// Records read completely.
    pub records: u64,
    /// HTML pages yielded.
    pub pages: u64,
    /// Records skipped: not a response, not HTTP 200, not HTML, too large, malformed
    /// HTTP, unknown content encoding.
    pub skipped: u64,
}

/// The uncompressed byte stream, plain or gzip.
enum Input<R: Read> {
    Plain(BufReader<R>),
    Gzip(BufReader<MultiGzDecoder<BufReader<R>>>),
}

impl<R: Read> Input<R> {
    fn buf(&mut self) -> &mut dyn BufRead {
        match self {
            Input::Plain(r) => r,
            Input::Gzip(r) => r,
        }
    }
}

/// Iterates over the HTML pages of a WARC archive read from any [`Read`]; see the
/// module documentation. After an error (a malformed or truncated archive) the
/// iterator ends.
pub struct WarcReader<R: Read> {
    input: Input<R>,
    limits: Limits,
    offset: u64,
    stats: WarcStats,
    done: bool,
}

/// A record's WARC header fields that matter here.
#[derive(Default)]
struct RecordHeader {
    kind: String,
    target_uri: Option<String>,
    date: Option<String>,
    record_id: Option<String>,
    content_type: String,
    content_length: Option<u64>,
}

impl<R: Read> WarcReader<R> {
    /// Opens an archive, detecting gzip from its first bytes.
    pub fn new(reader: R, limits: &Limits) -> Result<Self, IngestError> {
        let mut buffered = BufReader::with_capacity(64 * 1024, reader);
        let head = buffered.fill_buf().map_err(|e| IngestError::Io {
            input: "WARC archive",
            message: e.to_string(),
        })?;
        let input = if is_gzip(head) {
            Input::Gzip(BufReader::with_capacity(
                64 * 1024,
                MultiGzDecoder::new(buffered),
            ))
        } else {
            Input::Plain(buffered)
        };
        Ok(WarcReader {
            input,
            limits: limits.clone(),
            offset: 0,
            stats: WarcStats::default(),
            done: false,
        })
    }

    /// Counts of records read, pages yielded and records skipped so far.
    pub fn stats(&self) -> WarcStats {
        self.stats
    }

    /// Reads records until the next HTML page, the end, or an error.
    fn next_page(&mut self) -> Result<Option<WarcPage>, IngestError> {
        loop {
            let start = self.offset;
            let record = self.stats.records + 1;
            let Some(header) = self.read_header(record, start)? else {
                return Ok(None);
            };
            let err = |message: String| IngestError::Warc {
                record,
                offset: start,
                message,
            };
            let Some(len) = header.content_length else {
                return Err(err("no valid Content-Length field".into()));
            };
            let wanted = header.kind.eq_ignore_ascii_case("response")
                && header
                    .content_type
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/http");
            let block = if wanted && len <= self.limits.max_warc_record_bytes as u64 {
                let mut block = vec![0; len as usize];
                self.read_exact(&mut block, record, start)?;
                Some(block)
            } else {
                self.skip(len, record, start)?;
                None
            };
            self.stats.records += 1;
            let page = block.and_then(|b| http_page(&b, &self.limits));
            match page {
                Some((payload, charset)) => {
                    self.stats.pages += 1;
                    let target = header
                        .target_uri
                        .map(|u| {
                            u.trim()
                                .trim_start_matches('<')
                                .trim_end_matches('>')
                                .to_string()
                        })
                        .unwrap_or_default();
                    return Ok(Some(WarcPage {
                        target_uri: target,
                        date: header.date.as_deref().and_then(dates::parse_iso),
                        record_id: header.record_id,
                        charset,
                        payload,
                    }));
                }
                None => self.stats.skipped += 1,
            }
        }
    }

    /// Reads a record's version line and header fields. `None` at a clean end of input.
    fn read_header(
        &mut self,
        record: u64,
        start: u64,
    ) -> Result<Option<RecordHeader>, IngestError> {
        let max = self.limits.max_warc_header_bytes;
        let mut line = Vec::new();
        // Blank lines between records (the `\r\n\r\n` after each block).
        let mut skipped_blank = 0;
        loop {
            line.clear();
            let n = self.read_line(&mut line, max, record, start)?;
            if n == 0 {
                return Ok(None);
            }
            if !line.trim_ascii().is_empty() {
                break;
            }
            skipped_blank += n;
            if skipped_blank > max {
                return Err(self.error(record, start, "too many blank lines between records"));
            }
        }
        let version = String::from_utf8_lossy(line.trim_ascii());
        if !version.starts_with("WARC/") {
            let shown: String = version.chars().take(40).collect();
            return Err(self.error(
                record,
                start,
                &format!("expected a version line such as WARC/1.1, found {shown:?}"),
            ));
        }
        let mut header = RecordHeader::default();
        let mut total = line.len();
        loop {
            line.clear();
            let n = self.read_line(&mut line, max, record, start)?;
            if n == 0 {
                return Err(self.truncated(record, start));
            }
            total += n;
            if total > max {
                return Err(self.error(
                    record,
                    start,
                    &format!(
                        "the header is longer than {max} bytes (Limits::max_warc_header_bytes)"
                    ),
                ));
            }
            let text = String::from_utf8_lossy(&line);
            if text.trim().is_empty() {
                break;
            }
            // A continuation line belongs to the previous field; none that matter here
            // are long enough to fold, so it is ignored.
            if text.starts_with([' ', '\t']) {
                continue;
            }
            let Some((name, value)) = text.split_once(':') else {
                continue;
            };
            let value = value.trim().to_string();
            let name = name.trim().to_ascii_lowercase();
            match name.as_str() {
                "warc-type" => header.kind = value,
                "warc-target-uri" => header.target_uri = Some(value),
                "warc-date" => header.date = Some(value),
                "warc-record-id" => header.record_id = Some(value),
                "content-type" => header.content_type = value,
                "content-length" => header.content_length = value.parse().ok(),
                _ => {}
            }
        }
        Ok(Some(header))
    }

    /// Reads one line (up to and including `\n`) into `out`, at most `max` bytes.
    fn read_line(
        &mut self,
        out: &mut Vec<u8>,
        max: usize,
        record: u64,
        start: u64,
    ) -> Result<usize, IngestError> {
        let mut read = 0;
        loop {
            let buf = match self.input.buf().fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io_error(e, record, start)),
            };
            if buf.is_empty() {
                if read > 0 && !out.trim_ascii().is_empty() {
                    return Err(self.truncated(record, start));
                }
                return Ok(read);
            }
            let (take, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            out.extend_from_slice(&buf[..take]);
            self.input.buf().consume(take);
            self.offset += take as u64;
            read += take;
            if done {
                return Ok(read);
            }
            if read > max {
                return Err(self.error(
                    record,
                    start,
                    &format!(
                        "a header line is longer than {max} bytes (Limits::max_warc_header_bytes)"
                    ),
                ));
            }
        }
    }

    fn read_exact(&mut self, out: &mut [u8], record: u64, start: u64) -> Result<(), IngestError> {
        match self.input.buf().read_exact(out) {
            Ok(()) => {
                self.offset += out.len() as u64;
                Ok(())
            }
            Err(e) => Err(self.io_error(e, record, start)),
        }
    }

    fn skip(&mut self, len: u64, record: u64, start: u64) -> Result<(), IngestError> {
        let copied = io::copy(&mut self.input.buf().take(len), &mut io::sink())
            .map_err(|e| self.io_error(e, record, start))?;
        self.offset += copied;
        if copied < len {
            return Err(self.truncated(record, start));
        }
        Ok(())
    }

    fn io_error(&self, e: io::Error, record: u64, start: u64) -> IngestError {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            return self.truncated(record, start);
        }
        IngestError::Io {
            input: "WARC archive",
            message: format!("record {record} (byte {start}): {e}"),
        }
    }

    fn truncated(&self, record: u64, start: u64) -> IngestError {
        IngestError::WarcTruncated {
            record,
            offset: start,
            good: self.stats.records,
        }
    }

    fn error(&self, record: u64, start: u64, message: &str) -> IngestError {
        IngestError::Warc {
            record,
            offset: start,
            message: message.to_string(),
        }
    }
}

impl<R: Read> Iterator for WarcReader<R> {
    type Item = Result<WarcPage, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_page() {
            Ok(Some(page)) => Some(Ok(page)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// The HTML body and charset of an HTTP response block, or `None` when the block is not
/// a 200 HTML response or cannot be decoded.
fn http_page(block: &[u8], limits: &Limits) -> Option<(Vec<u8>, Option<String>)> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut response = httparse::Response::new(&mut headers);
    let mut config = httparse::ParserConfig::default();
    config
        .allow_spaces_after_header_name_in_responses(true)
        .allow_obsolete_multiline_headers_in_responses(true)
        .allow_multiple_spaces_in_response_status_delimiters(true)
        .ignore_invalid_headers_in_responses(true);
    let head_len = match config.parse_response(&mut response, block) {
        Ok(httparse::Status::Complete(n)) => n,
        _ => return None,
    };
    if response.code != Some(200) {
        return None;
    }
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
    };
    let content_type = header("content-type")?;
    let (media, params) = content_type.split_once(';').unwrap_or((&content_type, ""));
    if !matches!(media.trim(), "text/html" | "application/xhtml+xml") {
        return None;
    }
    let charset = params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == "charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    });
    let mut body = block[head_len..].to_vec();
    if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body);
    }
    match header("content-encoding").as_deref() {
        None | Some("") | Some("identity") | Some("none") => {}
        Some("gzip") | Some("x-gzip") => {
            body = inflate(MultiGzDecoder::new(&body[..]), limits)?;
        }
        Some("deflate") => {
            body = inflate(flate2::bufread::ZlibDecoder::new(&body[..]), limits)
                .or_else(|| inflate(flate2::bufread::DeflateDecoder::new(&body[..]), limits))?;
        }
        Some(_) => return None,
    }
    Some((body, charset))
}

/// Decompresses a content-encoded body, capped at the record size limit.
fn inflate(decoder: impl Read, limits: &Limits) -> Option<Vec<u8>> {
    let cap = limits.max_warc_record_bytes;
    let mut out = Vec::new();
    decoder.take(cap as u64 + 1).read_to_end(&mut out).ok()?;
    (out.len() <= cap).then_some(out)
}

/// Undoes chunked transfer-encoding. A body that does not start with a chunk-size line
/// was already decoded by the archiver (which kept the header): it is returned as is.
/// A chunk stream cut short keeps the chunks read.
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut first = true;
    loop {
        let (consumed, size) = match httparse::parse_chunk_size(rest) {
            Ok(httparse::Status::Complete(c)) => c,
            _ if first => return body.to_vec(),
            _ => return out,
        };
        first = false;
        if size == 0 {
            return out;
        }
        rest = &rest[consumed..];
        let take = (size.min(rest.len() as u64)) as usize;
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        if take < size as usize {
            return out;
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_are_decoded() {
        assert_eq!(
            dechunk(b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"),
            b"hello world"
        );
        // Already decoded by the archiver.
        assert_eq!(dechunk(b"<html>x</html>"), b"<html>x</html>");
        // Cut short.
        assert_eq!(dechunk(b"5\r\nhello\r\n10\r\nabc"), b"helloabc");
    }

    #[test]
    fn http_head_is_stripped_and_charset_read() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"ISO-8859-1\"\r\nContent-Length: 4\r\n\r\nbody";
        let (body, charset) = http_page(block, &Limits::default()).unwrap();
        assert_eq!(body, b"body");
        assert_eq!(charset.as_deref(), Some("iso-8859-1"));
    }

    #[test]
    fn non_html_and_non_200_are_skipped() {
        let l = Limits::default();
        assert!(http_page(b"HTTP/1.1 301 Moved\r\nContent-Type: text/html\r\n\r\n", &l).is_none());
        assert!(http_page(
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
            &l
        )
        .is_none());
        assert!(http_page(b"HTTP/1.1 200 OK\r\n\r\nno type", &l).is_none());
        assert!(http_page(b"garbage", &l).is_none());
    }
}
