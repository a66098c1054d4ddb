//! The keys under which the knowledge base stores names: shared by the build script,
//! which writes the base, and the recogniser, which reads it.

use crate::fold::push_folded;

/// Case endings stripped from Russian and Ukrainian words before lookup, longest first.
const CYRILLIC_ENDINGS: &[&str] = &[
    "ами", "ями", "ого", "его", "ому", "ему", "ой", "ей", "ий", "ый", "ая", "яя", "ую", "юю", "ов",
    "ев", "ом", "ем", "ах", "ях", "ия", "ии", "ию", "ів", "ою", "ею", "а", "я", "у", "ю", "е", "ы",
    "и", "і", "ї", "й", "ь", "о",
];

/// The stem of a folded Cyrillic word, or `None` for other words.
pub fn cyrillic_stem(folded: &str) -> Option<&str> {
    let last = folded.chars().last()?;
    if !('\u{400}'..='\u{4ff}').contains(&last) {
        return None;
    }
    for e in CYRILLIC_ENDINGS {
        if let Some(stem) = folded.strip_suffix(e) {
            if stem.chars().count() >= 3 {
                return Some(stem);
            }
        }
    }
    Some(folded)
}

/// The stemmed key of a folded phrase: every Cyrillic word stemmed.
pub fn stem_key(folded: &str) -> Option<String> {
    if folded.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(folded.len());
    let mut any = false;
    for w in folded.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        match cyrillic_stem(w) {
            Some(s) => {
                any = true;
                out.push_str(s)
            }
            None => out.push_str(w),
        }
    }
    any.then_some(out)
}

/// The folded, single-spaced key of a name.
pub fn key_of(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        push_folded(w, &mut out);
    }
    out
}
