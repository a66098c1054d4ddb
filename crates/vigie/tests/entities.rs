//! `vigie entities` and `vigie quotes` as a user runs them.

mod common;

use common::{examples, json, vigie, vigie_stdin};

fn seed() -> String {
    examples()
        .join("les-echos-poutine-minsk.txt")
        .display()
        .to_string()
}

#[test]
fn seed_entities_fold_their_aliases() {
    let v = json(&vigie(&["entities", "--json", &seed()]));
    let entities = v["entities"].as_array().expect("an entities array");
    let find = |name: &str| {
        entities
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {entities:#?}"))
    };
    let putin = find("Vladimir Poutine");
    assert_eq!(putin["kind"], "PER");
    let aliases: Vec<&str> = putin["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert!(
        aliases.contains(&"Poutine") && aliases.contains(&"Vladmir Poutine"),
        "{aliases:?}"
    );
    for person in [
        "Alexandre Loukachenko",
        "Volodymyr Zelensky",
        "Dmitri Peskov",
    ] {
        assert_eq!(find(person)["kind"], "PER", "{person}");
    }
    assert_eq!(find("Kremlin")["kind"], "ORG");
    // Places carry their knowledge-base id; the French name is an alias.
    let moscow = find("Moscow");
    assert_eq!(moscow["kb_id"], "geonames:524901");
    assert!(moscow["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "Moscou"));
    // Every mention points at its surface, in code points of the article's text.
    let text = vigie(&["extract", "--format", "text", &seed()]);
    assert!(text.status.success());
    for m in putin["mentions"].as_array().unwrap() {
        let surface = m["surface"].as_str().unwrap();
        assert!(surface.ends_with("Poutine"), "{surface}");
        assert!(m["end"].as_u64().unwrap() > m["start"].as_u64().unwrap());
    }
}

#[test]
fn seed_quotes_have_their_speakers() {
    let v = json(&vigie(&["quotes", "--json", &seed()]));
    let quotes = v["quotes"].as_array().expect("a quotes array");
    let speaker_of = |start: &str| {
        quotes
            .iter()
            .find(|q| q["text"].as_str().unwrap_or("").starts_with(start))
            .unwrap_or_else(|| panic!("quote «{start}…» in {quotes:#?}"))["speaker"]["name"]
            .clone()
    };
    assert_eq!(speaker_of("Nous nous préparons"), "Volodymyr Zelensky");
    assert_eq!(speaker_of("Allégations stupides"), "Dmitri Peskov");
    assert_eq!(
        speaker_of("La Russie et la Biélorussie"),
        "Alexandre Loukachenko"
    );
    assert_eq!(speaker_of("La Russie n'a pas intérêt"), "Vladimir Poutine");
    // A quoted term is not a quotation.
    assert!(quotes.iter().all(|q| q["text"] != "défensive"));
}

#[test]
fn jsonl_protocol_counts_code_points() {
    let input = concat!(
        r#"{"id": "a", "text": "À Genève, Vladimir Poutine a rencontré l'ONU.", "lang": "fr"}"#,
        "\n",
        r#"{"id": 7, "text": "В Москве выступил Владимир Путин.", "lang": "ru"}"#,
        "\n"
    );
    let out = vigie_stdin(&["entities", "--jsonl"], input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["id"], 7);
    for (line, record) in lines.iter().zip(input.lines()) {
        let rec: serde_json::Value = serde_json::from_str(record).unwrap();
        let chars: Vec<char> = rec["text"].as_str().unwrap().chars().collect();
        for e in line["entities"].as_array().unwrap() {
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            let surface: String = chars[s..t].iter().collect();
            assert!(!surface.trim().is_empty());
        }
    }
    // The mentions as (surface, label), the surface cut from the input by code points.
    let labels = |i: usize| -> Vec<(String, String)> {
        let rec: serde_json::Value = serde_json::from_str(input.lines().nth(i).unwrap()).unwrap();
        let chars: Vec<char> = rec["text"].as_str().unwrap().chars().collect();
        lines[i]["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let (s, t) = (
                    e["start"].as_u64().unwrap() as usize,
                    e["end"].as_u64().unwrap() as usize,
                );
                (
                    chars[s..t].iter().collect(),
                    e["label"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    assert!(labels(0).contains(&("Genève".into(), "LOC".into())));
    assert!(labels(0).contains(&("Vladimir Poutine".into(), "PER".into())));
    assert!(labels(1).contains(&("Москве".into(), "LOC".into())));
    assert!(labels(1).contains(&("Владимир Путин".into(), "PER".into())));
    // `entity` names the entity: the base's name for a known place.
    let moscow = lines[1]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["label"] == "LOC")
        .unwrap();
    assert_eq!(moscow["entity"], "Moscow");
    assert_eq!(moscow["kb_id"], "geonames:524901");
}

#[test]
fn jsonl_names_the_bad_line() {
    let out = vigie_stdin(
        &["entities", "--jsonl"],
        "{\"id\":1,\"text\":\"Paris\",\"lang\":\"fr\"}\nnot json\n",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn an_unknown_article_id_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = vigie(&["--data", data, "ingest", &seed()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = vigie(&["--data", data, "entities", "999999"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article with id 999999"));
    // A stored article is read by its id.
    let out = vigie(&["--data", data, "entities", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Vladimir Poutine"));
}
