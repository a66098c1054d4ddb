//! Pages in legacy encodings read as their authors wrote them.

use vigie_extract::{extract_html, Options};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .expect("fixture exists")
}

#[test]
fn windows_1252_french_page() {
    let a = extract_html(
        &fixture("greve-windows-1252.html"),
        None,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        a.title.as_deref(),
        Some("Grève des contrôleurs : le trafic aérien perturbé")
    );
    assert!(
        a.text.contains("l’annulation de près d’un vol sur trois"),
        "{}",
        a.text
    );
    assert!(a.text.contains("« Nous demandons simplement"));
    assert_eq!(a.lang.as_deref(), Some("fr"));
}

#[test]
fn iso_8859_1_french_page() {
    let a = extract_html(&fixture("greve-iso-8859-1.html"), None, &Options::default()).unwrap();
    assert!(
        a.text.contains("entraînant l'annulation de près d'un vol"),
        "{}",
        a.text
    );
    assert!(a.text.contains("Coût estimé : 2 millions d'euros."));
    assert!(!a.text.contains('\u{fffd}'));
}

#[test]
fn transport_charset_beats_a_wrong_meta() {
    // The bytes are windows-1252 but the page claims UTF-8: the HTTP header knows better.
    let bytes = fixture("greve-windows-1252.html");
    let at = bytes
        .windows(12)
        .position(|w| w == b"windows-1252")
        .expect("the fixture declares its charset");
    let relabelled = [&bytes[..at], b"utf-8", &bytes[at + 12..]].concat();
    let options = Options {
        declared_charset: Some("windows-1252".into()),
        ..Options::default()
    };
    let a = extract_html(&relabelled, None, &options).unwrap();
    assert!(a.text.contains("près d"), "{}", a.text);
}
