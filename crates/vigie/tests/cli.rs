//! The `vigie` command as a user runs it.

mod common;

use common::{examples, stderr, stdout, vigie, vigie_stdin};

#[test]
fn extract_prints_the_article_as_json() {
    let page = examples().join("les-echos-poutine-minsk.txt");
    let out = vigie(&["extract", page.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(a["authors"][0], "Benjamin Quénelle");
    assert_eq!(a["published"], "2022-12-19T17:53:00+01:00");
    for field in [
        "url",
        "canonical_url",
        "site",
        "lang",
        "title",
        "lead",
        "authors",
        "published",
        "updated",
        "section",
        "keywords",
        "body",
        "text",
        "images",
    ] {
        assert!(a.get(field).is_some(), "missing field {field}");
    }
    assert_eq!(a["body"][2]["kind"], "heading");
}

#[test]
fn extract_formats_text_and_markdown() {
    let page = examples().join("harbour-bridge.html");
    let text = stdout(&vigie(&[
        "extract",
        "--format",
        "text",
        page.to_str().unwrap(),
    ]));
    assert!(text.starts_with("Harbour bridge reopens after two years of repairs\n"));
    assert!(!text.contains("Share on Facebook"));
    let md = stdout(&vigie(&[
        "extract",
        "--format",
        "markdown",
        page.to_str().unwrap(),
    ]));
    assert!(md.starts_with("# Harbour bridge reopens"));
    assert!(md.contains("\n## Delays blamed on steel shortages\n"));
    assert!(md.contains("\n> “People have been very patient"));
}

#[test]
fn extract_reads_standard_input_with_a_forced_kind() {
    let out = vigie_stdin(
        &["extract", "--input", "html", "--format", "text", "-"],
        "<p>A paragraph of article text that arrives on standard input, long enough.</p>",
    );
    assert!(stdout(&out).contains("arrives on standard input"));
}

#[test]
fn jsonl_batch_reports_bad_inputs_and_goes_on() {
    let dir = std::env::temp_dir().join(format!("vigie-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(examples().join("harbour-bridge.html"), dir.join("a.html")).unwrap();
    std::fs::write(dir.join("b-empty.html"), b"").unwrap();
    std::fs::copy(
        examples().join("les-echos-poutine-minsk.txt"),
        dir.join("c.txt"),
    )
    .unwrap();
    let out = vigie(&[
        "extract",
        "--jsonl",
        "--threads",
        "2",
        dir.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["path"].as_str().unwrap().ends_with("a.html"));
    assert!(lines[1]["path"].as_str().unwrap().ends_with("c.txt"));
    let err = stderr(&out);
    assert!(
        err.contains("b-empty.html") && err.contains("empty"),
        "{err}"
    );
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = vigie(&["extract", "/nonexistent/page.html"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("/nonexistent/page.html: no such file or directory"));
}

#[test]
fn oversized_file_is_refused_by_name() {
    let page = examples().join("harbour-bridge.html");
    let out = vigie(&["extract", "--max-bytes", "100", page.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("harbour-bridge.html") && err.contains("100-byte limit"),
        "{err}"
    );
}

#[test]
fn reference_time_reads_relative_datelines() {
    let page = "<html lang=\"fr\"><head><title>Le budget adopté</title></head><body><article>\
<h1>Le budget adopté</h1><p>Publié il y a 3 heures</p>\
<p>Le conseil municipal s'est réuni lundi soir pour discuter du nouveau budget de l'année prochaine, et plusieurs membres ont exprimé leur inquiétude.</p>\
<p>Après un long débat, la proposition a été adoptée à une courte majorité, avec deux abstentions et un membre absent de la séance.</p>\
</article></body></html>";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html");
    std::fs::write(&path, page).unwrap();
    let path = path.to_str().unwrap();
    let out = vigie(&["extract", "--reference-time", "2022-12-19T17:30:00Z", path]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(a["published"], "2022-12-19T15:30:00+01:00");
    // A file has no capture time of its own: no relative date without the flag.
    let out = vigie(&["extract", path]);
    let a: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(a["published"], serde_json::Value::Null);
    // --explain shows the relative candidate and the zone assumed.
    let out = vigie(&[
        "extract",
        "--explain",
        "--reference-time",
        "2022-12-19T17:30:00Z",
        path,
    ]);
    let explained = stderr(&out);
    assert!(
        explained.contains("visible dateline (relative)"),
        "{explained}"
    );
    assert!(explained.contains("zone:"), "{explained}");
    // A malformed time is refused by name.
    let out = vigie(&["extract", "--reference-time", "yesterday", path]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("RFC 3339"), "{}", stderr(&out));
}

/// Serves `page` as text/html to each connection on 127.0.0.1 until the test ends.
fn serve(page: &'static [u8]) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                page.len()
            );
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(page);
        }
    });
    format!("http://{addr}/article")
}

#[test]
fn urls_on_private_addresses_are_refused_unless_allowed() {
    let url = serve(
        b"<html><head><title>R\xe9union du conseil</title></head><body><article><h1>R\xe9union du conseil</h1>\
          <p>Le conseil municipal s'est r\xe9uni lundi soir pour voter le budget de l'ann\xe9e prochaine.</p>\
          <p>Les \xe9lus ont adopt\xe9 le texte apr\xe8s trois heures de d\xe9bat.</p></article></body></html>",
    );
    let refused = vigie(&["extract", &url]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("127.0.0.1"),
        "{}",
        stderr(&refused)
    );
    let allowed = vigie(&["--allow-private-addresses", "extract", &url]);
    assert!(allowed.status.success(), "{}", stderr(&allowed));
    let article: serde_json::Value = serde_json::from_str(&stdout(&allowed)).unwrap();
    // The charset came from the HTTP header, the address from the fetch.
    assert_eq!(article["title"], "Réunion du conseil");
    assert_eq!(article["url"], url.as_str());
}
