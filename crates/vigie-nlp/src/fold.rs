//! Text folding: the keys under which names are looked up and compared.
//!
//! Three levels, each coarser than the last:
//! - [`fold`]: lower case without diacritics ("Genève" → "geneve"), same script;
//! - [`translit`]: [`fold`] then Cyrillic and Greek written in Latin ("Путин" → "putin");
//! - [`name_key`]: [`translit`] then spelling variants folded (ou/u, j/y/i, -ine/-in,
//!   doubled letters), so "Poutine", "Putin" and "Путин" share one key.

use unicode_normalization::char::decompose_canonical;

/// Lower case without diacritics, in the same script. `ß` becomes `ss`, `œ` `oe`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_folded(s, &mut out);
    out
}

/// Appends the [`fold`] of `s` to `out`.
pub fn push_folded(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match c {
            // Cyrillic without diacritics: lower case by offset.
            'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            'а'..='я' | 'є' | 'і' | 'ґ' => out.push(c),
            'Є' | 'І' | 'Ґ' => out.extend(c.to_lowercase()),
            'ß' => out.push_str("ss"),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            // Ё is written Е in most Russian print; й keeps its identity (above).
            'ё' | 'Ё' => out.push('е'),
            'ї' | 'Ї' => out.push('ї'),
            '’' | 'ʼ' | '`' | '´' => out.push('\''),
            _ => {
                for l in c.to_lowercase() {
                    decompose_canonical(l, |d| {
                        if !is_combining_mark(d) {
                            out.push(d)
                        }
                    });
                }
            }
        }
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}')
}

/// [`fold`], then Cyrillic and Greek letters written in Latin (a simple, lossy
/// scheme close to the common press transliterations).
pub fn translit(s: &str) -> String {
    let folded = fold(s);
    if folded.is_ascii() {
        return folded;
    }
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        match latin_of(c) {
            Some(l) => out.push_str(l),
            None => out.push(c),
        }
    }
    out
}

fn latin_of(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' | 'є' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'і' | 'ї' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => return None,
    })
}

/// The key under which spellings of one name across languages meet: [`translit`],
/// then the variants transliteration conventions disagree on folded away.
pub fn name_key(s: &str) -> String {
    let t = translit(s);
    let mut key = String::with_capacity(t.len());
    for word in t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&word_key(word));
    }
    key
}

fn word_key(w: &str) -> String {
    // French and German spell Russian "u" as "ou" / "u", "y"/"j"/"i" vary, "kh"/"ch"/"h".
    // Each step in order, copying the word only when the step changes it (most words
    // go through unchanged, and names are keyed at every mention).
    let mut s = w.to_string();
    // Every spelling below has one of these letters: a word with none of them skips
    // the ten searches.
    let spelled = w
        .bytes()
        .any(|b| matches!(b, b'u' | b'h' | b'j' | b'y' | b'w'));
    for (from, to) in [
        ("ou", "u"),
        ("kh", "h"),
        ("ch", "h"),
        ("sh", "s"),
        ("tch", "c"),
        ("tsch", "c"),
        ("j", "i"),
        ("y", "i"),
        ("w", "v"),
        ("ph", "f"),
    ] {
        if spelled && s.contains(from) {
            s = s.replace(from, to);
        }
    }
    // French feminine-looking endings of Slavic names: Poutine, Lénine.
    if s.len() > 4 && s.ends_with("ine") {
        s.truncate(s.len() - 1);
    }
    if s.len() > 3 && s.ends_with('e') && !s.ends_with("ie") {
        s.truncate(s.len() - 1);
    }
    let mut out = String::with_capacity(s.len());
    let mut prev = None;
    for c in s.chars() {
        if Some(c) != prev {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_case_and_diacritics() {
        assert_eq!(fold("Genève"), "geneve");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Zürich"), "zurich");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Київ"), "київ");
        assert_eq!(fold("Королёв"), "королев");
    }

    #[test]
    fn translit_writes_cyrillic_and_greek_in_latin() {
        assert_eq!(translit("Путин"), "putin");
        assert_eq!(translit("Зеленський"), "zelenskiy");
        assert_eq!(translit("Αθήνα"), "athina");
    }

    #[test]
    fn name_keys_meet_across_languages_and_scripts() {
        let putin = name_key("Putin");
        assert_eq!(name_key("Poutine"), putin);
        assert_eq!(name_key("Путин"), putin);
        assert_eq!(name_key("Zelensky"), name_key("Zelenskyy"));
        assert_ne!(name_key("Paris"), name_key("Putin"));
    }
}
