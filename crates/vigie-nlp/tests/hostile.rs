//! Text no article looks like: every reader ends in linear time, without a panic or a
//! deep recursion.

use vigie_nlp::{entities, quotes, recognize};

fn repeat(piece: &str, bytes: usize) -> String {
    piece.repeat(bytes / piece.len() + 1)
}

#[test]
fn one_run_of_capitalised_words_as_long_as_the_text() {
    // Each "Jean" after a place starts a new name: once made for a recursion per name.
    let text = repeat("Paris Jean Dupont ", 500_000);
    let found = recognize(&text, "fr");
    assert!(!found.is_empty());
    let es = entities(&text, "fr");
    assert!(es.iter().any(|e| e.kind == vigie_nlp::Kind::Person));
}

#[test]
fn unclosed_quotation_marks_everywhere() {
    for piece in ["« ", "“ ", "\" ", "„ Le ", "« Paris » "] {
        let text = repeat(piece, 300_000);
        let _ = quotes(&text, "fr");
    }
}

#[test]
fn many_distinct_people() {
    // Ten thousand different full names: folding them stays near linear.
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!("Jean Dupont{} a parlé. ", to_letters(i)));
    }
    let es = entities(&text, "fr");
    assert!(es.len() > 100, "{}", es.len());
}

fn to_letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

#[test]
fn garbage_and_empty_text() {
    assert!(recognize("", "fr").is_empty());
    assert!(quotes("", "fr").is_empty());
    let garbage: String = (0..200_000u32)
        .filter_map(|i| char::from_u32(i.wrapping_mul(2_654_435_761) % 0x2_0000))
        .collect();
    let _ = entities(&garbage, "xx");
    let _ = quotes(&garbage, "ru");
    // A language code that is not one, and a one-letter one.
    let _ = recognize("Paris est belle.", "");
    let _ = recognize("Paris est belle.", "é");
}
