//! Snapshots of whole extractions: a change in output shows up as a reviewable diff.

use vigie_extract::{extract, Options};

fn example(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/pages")
            .join(name),
    )
    .expect("example exists")
}

#[test]
fn harbour_bridge_page() {
    let a = extract(
        &example("harbour-bridge.html"),
        Some("https://courier.example/news/2024/03/11/harbour-bridge-reopens"),
        &Options::default(),
    )
    .unwrap();
    insta::assert_json_snapshot!(a);
}

#[test]
fn les_echos_seed_text() {
    let a = extract(
        &example("les-echos-poutine-minsk.txt"),
        None,
        &Options::default(),
    )
    .unwrap();
    insta::assert_json_snapshot!(a);
}
