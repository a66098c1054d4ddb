//! The seed page (text a scraper pulled out of a Les Echos article) must read exactly as
//! its expected reading says: the canonical example of Vigie's scraped-text reader.

use std::path::PathBuf;

use vigie_extract::{extract, Article, BlockKind, Options};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn seed() -> Article {
    let bytes = std::fs::read(workspace().join("examples/pages/les-echos-poutine-minsk.txt"))
        .expect("the seed ships in examples/");
    extract(&bytes, None, &Options::default()).expect("the seed extracts")
}

#[test]
fn seed_metadata_is_exact() {
    let a = seed();
    assert_eq!(
        a.title.as_deref(),
        Some("Ukraine\u{a0}: Poutine laisse craindre une attaque coordonnée avec la Biélorussie")
    );
    assert_eq!(
        a.lead.as_deref(),
        Some("C'est le premier voyage du président russe chez son homologue et allié biélorusse depuis plus de trois ans. Le projet d'union entre les deux pays est à nouveau sur la table. Leur coordination militaire s'intensifie d'ores et déjà.")
    );
    assert_eq!(a.authors, vec!["Benjamin Quénelle"]);
    assert_eq!(a.lang.as_deref(), Some("fr"));
    assert_eq!(
        a.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2022-12-19T17:53:00+01:00")
    );
    assert_eq!(
        a.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2022-12-19T19:51:00+01:00")
    );
    assert_eq!(a.images.len(), 1);
    assert_eq!(
        a.images[0].caption.as_deref(),
        Some("Vladimir Poutine et Alexandre Loukachenko à Minsk ce lundi.")
    );
    assert_eq!(
        a.images[0].credit.as_deref(),
        Some("Sputnik/Konstantin Zavrazhin/Pool via REUTERS")
    );
}

#[test]
fn seed_body_has_its_blocks_in_order_and_no_furniture() {
    let a = seed();
    let headings: Vec<&str> = a
        .body
        .iter()
        .filter(|b| b.kind == BlockKind::Heading)
        .map(|b| b.text.as_str())
        .collect();
    assert_eq!(
        headings,
        vec!["Un relais pour bombarder l'Ukraine", "Relations complexes"]
    );
    assert_eq!(a.body.len(), 10, "8 paragraphs and 2 subheadings");
    assert!(a.body[0]
        .text
        .starts_with("Nouvel assaut de drones sur Kiev"));
    assert!(a.body[9].text.ends_with("Et de son président."));
    for furniture in [
        "Publicité",
        "MicrosoftTeams-image.png",
        "Nos Vidéos",
        "Je découvre les offres",
        "offres PREMIUM",
        "xx0urmq-O.jpg",
        "SNCF : la concurrence",
        "Correspondant à Moscou",
    ] {
        assert!(
            !a.text.contains(furniture),
            "furniture {furniture:?} leaked into the body"
        );
    }
}

/// With the project's shared data present, check every block and boilerplate line of the
/// expected reading, as `../shared/bench/check_seed.py` does.
#[test]
fn seed_matches_expected_reading() {
    let expected = workspace().join("../shared/seed/000_e4ff04f71ee459b7.expected.json");
    let Ok(raw) = std::fs::read_to_string(&expected) else {
        eprintln!("skipped: {} is absent", expected.display());
        return;
    };
    let exp: serde_json::Value = serde_json::from_str(&raw).expect("expected reading is JSON");
    let a = seed();
    let mut pos = 0;
    for block in exp["body"].as_array().expect("body blocks") {
        let block = block.as_str().expect("block text");
        let at = a.text[pos..]
            .find(block)
            .unwrap_or_else(|| panic!("missing or out of order: {block:.60}"));
        pos += at + block.len();
    }
    for line in exp["boilerplate"].as_array().expect("boilerplate lines") {
        let line = line.as_str().expect("line").trim();
        assert!(!a.text.contains(line), "boilerplate leaked: {line:.60}");
    }
    assert_eq!(a.title.as_deref(), exp["title"].as_str());
    assert_eq!(a.lead.as_deref(), exp["lead"].as_str());
}
