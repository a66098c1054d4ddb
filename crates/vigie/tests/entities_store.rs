//! Entities kept by `vigie ingest`, found by `vigie search 'entity:…'` and told by
//! `vigie entity`, as a user runs them: three short articles about one person in
//! French, English and Russian.

use std::path::{Path, PathBuf};

mod common;

use common::{json, vigie_in as vigie};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/entities")
}

fn ingested() -> tempfile::TempDir {
    let (data, out) = common::ingested(&fixtures());
    assert_eq!(out["stored"], 3, "{out}");
    data
}

fn total(data: &Path, query: &str) -> u64 {
    json(&vigie(data, &["search", "--json", query]))["total"]
        .as_u64()
        .unwrap()
}

#[test]
fn an_entity_query_finds_every_spelling() {
    let data = ingested();
    let d = data.path();
    assert_eq!(total(d, "entity:\"Vladimir Poutine\""), 3);
    assert_eq!(total(d, "entity:Путин"), 3);
    assert_eq!(total(d, "entity:Minsk"), 3);
    // Lukashenko is named in French and English only.
    assert_eq!(total(d, "entity:Loukachenko"), 2);
    assert_eq!(total(d, "entity:Putin AND NOT lang:ru"), 2);
}

#[test]
fn vigie_entity_tells_names_days_and_company() {
    let data = ingested();
    let e = json(&vigie(data.path(), &["entity", "Putin", "--json"]));
    assert_eq!(e["kind"], "PER", "{e}");
    assert!(e["kb_id"].is_null());
    let aliases = e["aliases"].as_object().unwrap();
    for (lang, form) in [
        ("fr", "Vladimir Poutine"),
        ("en", "Vladimir Putin"),
        ("ru", "Владимир Путин"),
    ] {
        let forms = aliases[lang].as_array().unwrap();
        assert!(forms.iter().any(|f| f == form), "{lang}: {forms:?}");
    }
    let days = e["days"].as_object().unwrap();
    assert!(
        days.contains_key("2022-12-19") && days.contains_key("2022-12-20"),
        "{e}"
    );
    let cooccurs = e["cooccurs"].as_array().unwrap();
    let minsk = cooccurs
        .iter()
        .find(|c| c["name"] == "Minsk")
        .expect("Minsk beside Putin");
    assert_eq!(minsk["kind"], "LOC");
    assert_eq!(minsk["articles"], 3);
    assert_eq!(cooccurs[0]["name"], "Minsk", "most shared first: {e}");
    // Any spelling, and --limit.
    let ru = json(&vigie(
        data.path(),
        &["entity", "Путин", "--json", "--limit", "1"],
    ));
    assert_eq!(ru["name"], e["name"]);
    assert_eq!(ru["cooccurs"].as_array().unwrap().len(), 1);
    let text = vigie(data.path(), &["entity", "Poutine"]);
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains("Minsk"));
}

#[test]
fn an_unknown_name_is_an_error() {
    let data = ingested();
    let out = vigie(data.path(), &["entity", "Nobody", "--json"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no stored article names 'Nobody'"), "{err}");
}

#[test]
fn ingesting_again_reextracting_and_reindexing_keep_one_set_of_mentions() {
    let data = ingested();
    let d = data.path();
    let mentions = |d: &Path| json(&vigie(d, &["entity", "Putin", "--json"]))["mentions"].clone();
    let before = mentions(d);
    let again = json(&vigie(
        d,
        &["ingest", "--json", fixtures().to_str().unwrap()],
    ));
    assert_eq!(again["unchanged"], 3, "{again}");
    assert_eq!(mentions(d), before);
    // The same page under another name is the same article, unchanged.
    let copy = tempfile::tempdir().unwrap();
    let renamed = copy.path().join("copie.html");
    let mut bytes = std::fs::read(fixtures().join("fr.html")).unwrap();
    bytes.extend_from_slice(b"\n<!-- a comment changes the bytes, not the article -->\n");
    std::fs::write(&renamed, bytes).unwrap();
    let out = json(&vigie(d, &["ingest", "--json", renamed.to_str().unwrap()]));
    assert_eq!(out["unchanged"], 1, "{out}");
    assert_eq!(mentions(d), before);
    assert!(vigie(d, &["reextract"]).status.success());
    assert_eq!(mentions(d), before);
    assert!(vigie(d, &["reindex"]).status.success());
    assert_eq!(total(d, "entity:\"Vladimir Poutine\""), 3);
}

#[test]
fn ingest_without_entities_keeps_none() {
    let data = tempfile::tempdir().unwrap();
    let out = json(&vigie(
        data.path(),
        &[
            "ingest",
            "--json",
            "--no-entities",
            fixtures().to_str().unwrap(),
        ],
    ));
    assert_eq!(out["stored"], 3);
    assert_eq!(total(data.path(), "entity:Putin"), 0);
    assert!(!vigie(data.path(), &["entity", "Putin"]).status.success());
    // Re-extraction finds them.
    assert!(vigie(data.path(), &["reextract"]).status.success());
    assert_eq!(total(data.path(), "entity:Putin"), 3);
}
