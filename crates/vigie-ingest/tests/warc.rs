//! WARC archives built here record by record: plain, gzip per record, truncated, hostile.

use std::io::Write;

use vigie_ingest::{detect, IngestError, Limits, SourceKind, WarcPage, WarcReader, WarcStats};

fn record(version: &str, kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "{version}\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-05T10:15:30Z\r\n\
         WARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-000000000000>\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len(),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn response(uri: &str, head: &str, body: &[u8]) -> Vec<u8> {
    let mut block = head.replace('\n', "\r\n").into_bytes();
    block.extend_from_slice(b"\r\n\r\n");
    block.extend_from_slice(body);
    record(
        "WARC/1.1",
        "response",
        uri,
        "application/http; msgtype=response",
        &block,
    )
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

const PAGE_FR: &[u8] =
    b"<!DOCTYPE html><html lang=fr><title>Tramway T9</title><p>Les travaux commenceront.</p></html>";
const PAGE_EN: &[u8] =
    b"<html><head><title>Flood plan</title></head><body><p>3,000 homes.</p></body></html>";

/// A small crawl: info, request, and responses of every sort, each record a string of
/// bytes.
fn records() -> Vec<Vec<u8>> {
    let mut chunked = b"1f\r\n".to_vec();
    chunked.extend_from_slice(&PAGE_EN[..31]);
    chunked.extend_from_slice(b"\r\n");
    chunked.extend_from_slice(format!("{:x}\r\n", PAGE_EN.len() - 31).as_bytes());
    chunked.extend_from_slice(&PAGE_EN[31..]);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    vec![
        record(
            "WARC/1.1",
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: vigie-test\r\nformat: WARC File Format 1.1\r\n",
        ),
        record(
            "WARC/1.1",
            "request",
            "https://www.gazette-rhone.example/tram",
            "application/http; msgtype=request",
            b"GET /tram HTTP/1.1\r\nHost: www.gazette-rhone.example\r\n\r\n",
        ),
        response(
            "https://www.gazette-rhone.example/tram",
            "HTTP/1.1 200 OK\nContent-Type: text/html; charset=UTF-8\nContent-Length: 92",
            PAGE_FR,
        ),
        response(
            "https://www.gazette-rhone.example/missing",
            "HTTP/1.1 404 Not Found\nContent-Type: text/html",
            b"<html>not found</html>",
        ),
        response(
            "https://img.gazette-rhone.example/6120.jpg",
            "HTTP/1.1 200 OK\nContent-Type: image/jpeg",
            b"\xff\xd8\xff\xe0JFIF",
        ),
        response(
            "https://northern-ledger.example/flood",
            "HTTP/1.1 200 OK\nContent-Type: text/html\nTransfer-Encoding: chunked",
            &chunked,
        ),
        response(
            "http://northern-ledger.example/",
            "HTTP/1.1 301 Moved Permanently\nLocation: https://northern-ledger.example/\nContent-Type: text/html",
            b"",
        ),
        record(
            "WARC/1.1",
            "metadata",
            "https://northern-ledger.example/flood",
            "application/warc-fields",
            b"fetchTimeMs: 120\r\n",
        ),
        response(
            "https://harbour-times.example/ferry",
            "HTTP/1.1 200 OK\nContent-Type: application/xhtml+xml; charset=windows-1252\nContent-Encoding: gzip",
            &gz(b"<html><p>Caf\xe9</p></html>"),
        ),
    ]
}

fn read_all(bytes: &[u8], limits: &Limits) -> (Vec<WarcPage>, Option<IngestError>, WarcStats) {
    let mut reader = WarcReader::new(bytes, limits).unwrap();
    let mut pages = Vec::new();
    let mut error = None;
    for item in reader.by_ref() {
        match item {
            Ok(p) => pages.push(p),
            Err(e) => error = Some(e),
        }
    }
    (pages, error, reader.stats())
}

fn check_crawl(pages: &[WarcPage], stats: WarcStats) {
    let uris: Vec<&str> = pages.iter().map(|p| p.target_uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "https://www.gazette-rhone.example/tram",
            "https://northern-ledger.example/flood",
            "https://harbour-times.example/ferry"
        ]
    );
    assert_eq!(pages[0].payload, PAGE_FR);
    assert_eq!(pages[0].charset.as_deref(), Some("utf-8"));
    assert_eq!(
        pages[0].date.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-03-05T10:15:30+00:00")
    );
    assert!(pages[0]
        .record_id
        .as_deref()
        .unwrap()
        .starts_with("<urn:uuid:"));
    assert_eq!(pages[1].payload, PAGE_EN, "chunked encoding undone");
    assert_eq!(pages[1].charset, None);
    assert_eq!(
        pages[2].payload, b"<html><p>Caf\xe9</p></html>",
        "gzip undone"
    );
    assert_eq!(pages[2].charset.as_deref(), Some("windows-1252"));
    assert_eq!(
        stats,
        WarcStats {
            records: 9,
            pages: 3,
            skipped: 6
        }
    );
}

#[test]
fn plain_archive() {
    let archive: Vec<u8> = records().concat();
    assert_eq!(detect(&archive).kind, SourceKind::Warc);
    let (pages, error, stats) = read_all(&archive, &Limits::default());
    assert_eq!(error, None);
    check_crawl(&pages, stats);
}

#[test]
fn gzip_per_record_archive() {
    let archive: Vec<u8> = records().iter().map(|r| gz(r)).collect::<Vec<_>>().concat();
    let detected = detect(&archive);
    assert_eq!(detected.kind, SourceKind::Warc);
    assert!(detected.gzip);
    let (pages, error, stats) = read_all(&archive, &Limits::default());
    assert_eq!(error, None);
    check_crawl(&pages, stats);
}

#[test]
fn whole_file_gzip_archive() {
    let archive = gz(&records().concat());
    let (pages, error, stats) = read_all(&archive, &Limits::default());
    assert_eq!(error, None);
    check_crawl(&pages, stats);
}

#[test]
fn warc_1_0_with_bracketed_uri_and_lf_only_http_head() {
    let block = b"HTTP/1.0 200 OK\nContent-Type: text/html\n\n<html>old</html>";
    let archive = record(
        "WARC/1.0",
        "response",
        "<http://crier.example.net/stories/library.html>",
        "application/http;msgtype=response",
        block,
    );
    let (pages, error, _) = read_all(&archive, &Limits::default());
    assert_eq!(error, None);
    assert_eq!(pages.len(), 1);
    assert_eq!(
        pages[0].target_uri,
        "http://crier.example.net/stories/library.html"
    );
    assert_eq!(pages[0].payload, b"<html>old</html>");
}

#[test]
fn truncated_plain_archive_keeps_the_good_records() {
    let archive: Vec<u8> = records().concat();
    let last = records().last().unwrap().len();
    let cut = &archive[..archive.len() - last / 2];
    let (pages, error, stats) = read_all(cut, &Limits::default());
    assert_eq!(pages.len(), 2);
    let error = error.expect("a truncation error");
    assert!(matches!(
        error,
        IngestError::WarcTruncated {
            record: 9,
            good: 8,
            ..
        }
    ));
    assert!(error.to_string().contains("truncated"), "{error}");
    assert_eq!(stats.records, 8);
}

#[test]
fn truncated_inside_a_header_is_an_error_not_a_clean_end() {
    let mut archive: Vec<u8> = records()[..3].concat();
    archive.extend_from_slice(b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Targ");
    let (pages, error, _) = read_all(&archive, &Limits::default());
    assert_eq!(pages.len(), 1);
    assert!(matches!(
        error,
        Some(IngestError::WarcTruncated {
            record: 4,
            good: 3,
            ..
        })
    ));
}

#[test]
fn truncated_gzip_archive_keeps_the_good_records() {
    let archive: Vec<u8> = records().iter().map(|r| gz(r)).collect::<Vec<_>>().concat();
    let cut = &archive[..archive.len() - 20];
    let (pages, error, _) = read_all(cut, &Limits::default());
    assert_eq!(pages.len(), 2);
    assert!(
        matches!(
            error,
            Some(IngestError::WarcTruncated { .. }) | Some(IngestError::Io { .. })
        ),
        "{error:?}"
    );
}

#[test]
fn oversized_records_are_skipped_unread() {
    let big = vec![b'x'; 100_000];
    let mut archive = response(
        "https://example.org/huge",
        "HTTP/1.1 200 OK\nContent-Type: text/html",
        &big,
    );
    archive.extend(response(
        "https://example.org/small",
        "HTTP/1.1 200 OK\nContent-Type: text/html",
        b"<p>small</p>",
    ));
    let limits = Limits {
        max_warc_record_bytes: 10_000,
        ..Limits::default()
    };
    let (pages, error, stats) = read_all(&archive, &limits);
    assert_eq!(error, None);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].target_uri, "https://example.org/small");
    assert_eq!(stats.skipped, 1);
}

#[test]
fn garbage_and_endless_lines_are_errors() {
    let (pages, error, _) = read_all(b"this is not a WARC file\r\n\r\n", &Limits::default());
    assert!(pages.is_empty());
    assert!(
        matches!(error, Some(IngestError::Warc { record: 1, .. })),
        "{error:?}"
    );

    // A 10 MB "header" with no line break stops at the header limit.
    let mut endless = b"WARC/1.1\r\nWARC-Type: ".to_vec();
    endless.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    let (_, error, _) = read_all(&endless, &Limits::default());
    let error = error.unwrap();
    assert!(
        error.to_string().contains("max_warc_header_bytes"),
        "{error}"
    );

    let no_length = b"WARC/1.1\r\nWARC-Type: response\r\n\r\n";
    let (_, error, _) = read_all(no_length, &Limits::default());
    assert!(error.unwrap().to_string().contains("Content-Length"));

    // Random bytes (not gzip) and empty input.
    let noise: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let (pages, _, _) = read_all(&noise, &Limits::default());
    assert!(pages.is_empty());
    let (pages, error, _) = read_all(b"", &Limits::default());
    assert!(pages.is_empty() && error.is_none());
}
