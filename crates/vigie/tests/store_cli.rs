//! `vigie ingest`, `search`, `show`, `stats`, `reindex`, `reextract`, `compact` as a user
//! runs them.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

mod common;

use common::{examples as pages, json, vigie_in as vigie};

use vigie_store::{EmbeddedStore, OpenOptions, Store};

/// The store in `dir`, opened for writing as `vigie ingest` opens it.
fn open_for_writing(dir: &Path) -> EmbeddedStore {
    EmbeddedStore::open(
        dir,
        &OpenOptions {
            write: true,
            ..OpenOptions::default()
        },
    )
    .unwrap()
}

fn ingested() -> tempfile::TempDir {
    let (data, out) = common::ingested(&pages());
    assert_eq!(out["stored"], 2, "{out}");
    assert_eq!(out["failed"], 0, "{out}");
    data
}

#[test]
fn ingesting_again_stores_nothing_new() {
    let data = ingested();
    let again = json(&vigie(
        data.path(),
        &["ingest", "--json", pages().to_str().unwrap()],
    ));
    assert_eq!(again["stored"], 0);
    assert_eq!(again["unchanged"], 2);
    assert_eq!(again["failed"], 0);
}

#[test]
fn an_ingest_while_another_process_writes_says_so_and_changes_nothing() {
    let data = ingested();
    let writer = open_for_writing(data.path());
    let out = vigie(data.path(), &["ingest", pages().to_str().unwrap()]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(err.contains("another vigie process is writing"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    drop(writer);
    let stats = json(&vigie(data.path(), &["stats", "--json"]));
    assert_eq!(stats["articles"], 2, "{stats}");
}

#[test]
fn an_ingest_into_a_data_directory_that_is_a_file_says_so() {
    // A new store's first pages are extracted while the store opens: the error of the
    // opening is the one reported.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data");
    std::fs::write(&file, "not a directory").unwrap();
    let out = vigie(&file, &["ingest", pages().to_str().unwrap()]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(err.contains(file.to_str().unwrap()), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("could not be opened"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a directory");
}

#[test]
fn search_json_has_hits_and_facets() {
    let data = ingested();
    let r = json(&vigie(
        data.path(),
        &["search", "--json", "poutine", "minsk"],
    ));
    assert_eq!(r["total"], 1);
    let hit = &r["hits"][0];
    for field in [
        "id",
        "url",
        "title",
        "site",
        "lang",
        "published",
        "score",
        "snippet",
    ] {
        assert!(hit.get(field).is_some(), "hit lacks {field}: {hit}");
    }
    assert_eq!(hit["lang"], "fr");
    assert_eq!(hit["published"], "2022-12-19T17:53:00+01:00");
    assert!(hit["snippet"].as_str().unwrap().contains("<b>"), "{hit}");
    assert_eq!(r["facets"]["lang"]["fr"], 1);
    assert_eq!(r["facets"]["day"]["2022-12-19"], 1);
    let bridge = json(&vigie(data.path(), &["search", "--json", "bridge"]));
    assert_eq!(bridge["facets"]["site"]["The Coastal Courier"], 1);
}

#[test]
fn search_folds_accents_filters_and_sorts() {
    let data = ingested();
    let both = json(&vigie(
        data.path(),
        &["search", "--json", "--sort", "date", "poutine OR bridge"],
    ));
    assert_eq!(both["total"], 2);
    // Newest first: the bridge (2024) before Minsk (2022).
    assert!(both["hits"][0]["title"]
        .as_str()
        .unwrap()
        .contains("bridge"));
    let fr = json(&vigie(
        data.path(),
        &["search", "--json", "lang:fr", "kremlin"],
    ));
    assert_eq!(fr["total"], 1);
    let dated = json(&vigie(
        data.path(),
        &["search", "--json", "published:2024-03"],
    ));
    assert_eq!(dated["total"], 1);
    let paged = json(&vigie(
        data.path(),
        &[
            "search",
            "--json",
            "--limit",
            "1",
            "--offset",
            "1",
            "poutine OR bridge",
        ],
    ));
    assert_eq!(paged["total"], 2);
    assert_eq!(paged["hits"].as_array().unwrap().len(), 1);
}

#[test]
fn a_malformed_query_points_at_the_problem() {
    let data = ingested();
    let out = vigie(data.path(), &["search", "poutine AND (minsk"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("never closed") && err.contains('^'), "{err}");
}

#[test]
fn show_and_stats() {
    let data = ingested();
    let r = json(&vigie(data.path(), &["search", "--json", "bridge"]));
    let id = r["hits"][0]["id"].to_string();
    let shown = json(&vigie(data.path(), &["show", "--json", &id]));
    assert_eq!(shown["article"]["authors"][0], "Ellen Marsh");
    assert_eq!(shown["versions"].as_array().unwrap().len(), 1);
    let text = vigie(data.path(), &["show", &id]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Harbour bridge reopens"));
    let missing = vigie(data.path(), &["show", "999999"]);
    assert!(!missing.status.success());
    let stats = json(&vigie(data.path(), &["stats", "--json"]));
    assert_eq!(stats["articles"], 2);
    assert_eq!(stats["langs"]["fr"], 1);
    assert_eq!(stats["langs"]["en"], 1);
    assert_eq!(stats["days"]["2022-12-19"], 1);
    // The scraped seed names no site; the HTML page does.
    assert_eq!(stats["sites"]["The Coastal Courier"], 1);
}

#[test]
fn the_data_directory_comes_from_vigie_data_too() {
    let data = ingested();
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .env("VIGIE_DATA", data.path())
        .args(["stats", "--json"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["articles"], 2);
}

#[test]
fn searching_before_any_ingest_says_what_to_do() {
    let data = tempfile::tempdir().unwrap();
    let out = vigie(&data.path().join("none"), &["search", "minsk"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("vigie ingest"));
}

#[test]
fn reindex_reextract_and_compact_keep_the_answers() {
    let data = ingested();
    assert!(vigie(data.path(), &["reindex"]).status.success());
    assert_eq!(
        json(&vigie(data.path(), &["search", "--json", "minsk"]))["total"],
        1
    );
    let out = vigie(data.path(), &["reextract"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 failed"));
    assert_eq!(
        json(&vigie(data.path(), &["search", "--json", "minsk"]))["total"],
        1
    );
    let out = vigie(data.path(), &["compact"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("now 1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        json(&vigie(data.path(), &["search", "--json", "minsk"]))["total"],
        1
    );
}

/// A WARC 1.1 record, gzip-compressed on its own as crawlers write them.
fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2024-03-11T09:30:00Z\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&r).unwrap();
    gz.finish().unwrap()
}

fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut b = format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
    b.extend_from_slice(body);
    b
}

#[test]
fn web_archives_are_ingested_page_by_page() {
    let page = std::fs::read_to_string(pages().join("harbour-bridge.html")).unwrap();
    // Another article: its own canonical address and a paragraph of its own.
    let other = page
        .replace(
            "https://courier.example/news/2024/03/11/harbour-bridge-reopens",
            "https://courier.example/b",
        )
        .replace(
            "<p>The harbour swing bridge reopened",
            "<p>A second bulletin of the harbour series, filed by the port office.</p><p>The harbour swing bridge reopened",
        );
    let mut archive = Vec::new();
    for (uri, response) in [
        (
            "https://courier.example/a",
            http_response("200 OK", "text/html; charset=utf-8", page.as_bytes()),
        ),
        (
            "https://courier.example/missing",
            http_response("404 Not Found", "text/html", b"<p>gone</p>"),
        ),
        (
            "https://courier.example/logo.png",
            http_response("200 OK", "image/png", b"\x89PNG"),
        ),
        (
            "https://courier.example/b",
            http_response("200 OK", "text/html", other.as_bytes()),
        ),
    ] {
        archive.extend(warc_record("response", uri, &response));
    }
    // A crawl cut short: the last record stops in its middle.
    let cut = warc_record(
        "response",
        "https://courier.example/c",
        &http_response("200 OK", "text/html", page.as_bytes()),
    );
    archive.extend(&cut[..cut.len() / 2]);
    let dir = tempfile::tempdir().unwrap();
    // Detected from the content, whatever the name.
    let path = dir.path().join("crawl.bin");
    std::fs::write(&path, &archive).unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = vigie(data.path(), &["ingest", "--jsonl", path.to_str().unwrap()]);
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let stored: Vec<&str> = lines
        .iter()
        .filter(|l| l["status"] == "stored")
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        stored,
        ["https://courier.example/a", "https://courier.example/b"]
    );
    let failed: Vec<_> = lines.iter().filter(|l| l["status"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{lines:?}");
    assert_eq!(failed[0]["path"], path.to_str().unwrap());
    assert!(failed[0]["error"].as_str().unwrap().contains("WARC"));
    let found = json(&vigie(data.path(), &["search", "--json", "harbour"]));
    assert_eq!(found["total"], 2);
}

/// Writes `n` distinct real-looking pages: the example page with its own address,
/// headline and a paragraph of its own.
fn many_pages(dir: &Path, n: usize) {
    let page = std::fs::read_to_string(pages().join("harbour-bridge.html")).unwrap();
    for i in 0..n {
        let p = page
            .replace(
                "https://courier.example/news/2024/03/11/harbour-bridge-reopens",
                &format!("https://courier.example/news/{i}"),
            )
            .replace(
                "<p>The harbour swing bridge reopened",
                &format!("<p>Bulletin number {i} of the harbour series, filed for the archive by the port office.</p><p>The harbour swing bridge reopened"),
            );
        std::fs::write(dir.join(format!("{i:05}.html")), p).unwrap();
    }
}

#[test]
fn an_ingest_reports_its_pages_in_the_order_it_was_given_them() {
    // Several chunks are extracted at once; the first holds long pages, so a later
    // chunk is ready first and must wait its turn.
    let pages_dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let n = 200;
    many_pages(pages_dir.path(), n);
    let long = "<p>The port office keeps a log of every crossing, every closure and every repair of the swing bridge since it opened.</p>".repeat(400);
    for i in 0..64 {
        let p = pages_dir.path().join(format!("{i:05}.html"));
        let page = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            page.replacen(
                "<p>The harbour swing bridge",
                &format!("{long}<p>The harbour swing bridge"),
                1,
            ),
        )
        .unwrap();
    }
    let out = vigie(
        data.path(),
        &[
            "ingest",
            "--jsonl",
            "--threads",
            "2",
            pages_dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    let paths: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["status"], "stored", "{l}");
            v["path"].as_str().unwrap().to_string()
        })
        .collect();
    let expected: Vec<String> = (0..n)
        .map(|i| {
            pages_dir
                .path()
                .join(format!("{i:05}.html"))
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(paths, expected);
}

#[test]
fn killing_an_ingest_loses_nothing_reported_and_it_resumes() {
    let pages_dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let n = 2000;
    many_pages(pages_dir.path(), n);
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("--data")
        .arg(data.path())
        .args(["ingest", "--jsonl", "--threads", "2"])
        .arg(pages_dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reported = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        if v["status"] == "stored" {
            reported.push(v["id"].as_u64().unwrap());
        }
        if reported.len() >= 500 {
            break;
        }
    }
    // SIGKILL: no chance to finish anything.
    child.kill().unwrap();
    child.wait().unwrap();
    // Lines already written before the kill were reported too.
    for line in lines.map_while(Result::ok) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
            if v["status"] == "stored" {
                reported.push(v["id"].as_u64().unwrap());
            }
        }
    }
    assert!(reported.len() >= 500);
    assert!(
        reported.len() < n,
        "the ingest finished before it was killed"
    );

    // Reopening for writing repairs the index; every reported article is there.
    {
        let store = open_for_writing(data.path());
        for id in &reported {
            assert!(store.get(*id).unwrap().is_some(), "article {id} was lost");
        }
        let stored = store.stats().unwrap().articles;
        let found = json(&vigie(
            data.path(),
            &["search", "--json", "--limit", "1", "harbour"],
        ));
        assert_eq!(
            found["total"].as_u64().unwrap(),
            stored,
            "index and records disagree"
        );
    }

    // The ingest resumes: everything ends up stored once.
    let out = json(&vigie(
        data.path(),
        &["ingest", "--json", pages_dir.path().to_str().unwrap()],
    ));
    let stored = out["stored"].as_u64().unwrap();
    let unchanged = out["unchanged"].as_u64().unwrap();
    assert_eq!(stored + unchanged, n as u64, "{out}");
    assert!(unchanged >= reported.len() as u64);
    let stats = json(&vigie(data.path(), &["stats", "--json"]));
    assert_eq!(stats["articles"], n as u64);
    let found = json(&vigie(data.path(), &["search", "--json", "harbour"]));
    assert_eq!(found["total"], n as u64);
}
