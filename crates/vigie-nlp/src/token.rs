//! Words, numbers and punctuation with their byte spans, and where sentences start.

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (with inner hyphens, apostrophes and dots of abbreviations).
    Word,
    /// Digits (with inner separators).
    Number,
    /// Anything else, one character per token.
    Punct,
}

/// One token of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// Word, number or punctuation.
    pub kind: TokenKind,
    /// The first letter is upper case.
    pub cap: bool,
    /// Every letter is upper case, and there are at least two.
    pub upper: bool,
    /// How many letters the token has (up to 255).
    pub letters: u8,
    /// The token opens a sentence (or a line, or follows an opening quote that does).
    pub sent_start: bool,
}

impl Token {
    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// French and Italian elided articles and prepositions, split from the word they
/// precede: "l'Élysée" is "l'" + "Élysée".
fn is_elision(prefix: &str) -> bool {
    matches!(
        prefix.to_lowercase().as_str(),
        "l" | "d"
            | "j"
            | "m"
            | "n"
            | "s"
            | "t"
            | "c"
            | "qu"
            | "jusqu"
            | "lorsqu"
            | "puisqu"
            | "dell"
            | "all"
            | "dall"
            | "nell"
            | "sull"
            | "un"
            | "dell’"
    )
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let mut sent_start = true;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            if c == '\n' {
                sent_start = true;
            }
            i += 1;
            continue;
        }
        if is_word_char(c) {
            let numeric = !is_letter(c);
            let mut j = i + 1;
            while j < chars.len() {
                let d = chars[j].1;
                if is_word_char(d) || is_mark(d) {
                    j += 1;
                    continue;
                }
                let next_alnum = chars.get(j + 1).is_some_and(|(_, n)| is_word_char(*n));
                if next_alnum && (d == '-' || d == '‐') {
                    j += 1;
                    continue;
                }
                if next_alnum && numeric && (d == '.' || d == ',') {
                    j += 1;
                    continue;
                }
                if next_alnum && is_apostrophe(d) && !numeric {
                    let prefix = &text[start..chars[j].0];
                    if is_elision(prefix) {
                        // "l'" is its own token, apostrophe included.
                        j += 1;
                        break;
                    }
                    let rest: String = chars[j + 1..]
                        .iter()
                        .take_while(|(_, c)| is_word_char(*c))
                        .map(|(_, c)| *c)
                        .collect();
                    if rest == "s" || rest == "S" {
                        break; // possessive: "Reuters' ", "Putin's"
                    }
                    j += 1;
                    continue;
                }
                break;
            }
            let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
            let word = &text[start..end];
            // "U.S." and "F." keep their dots: abbreviations and initials.
            let mut end = end;
            let mut k = j;
            if !numeric && chars.get(k).is_some_and(|(_, c)| *c == '.') && is_abbreviation(word) {
                end = chars[k].0 + 1;
                k += 1;
                // More initials: "U.S.A.", "N. Z. Z." stays separate tokens.
                while k + 1 < chars.len() && chars[k].1.is_uppercase() && chars[k + 1].1 == '.' {
                    end = chars[k + 1].0 + 1;
                    k += 2;
                }
            }
            push(&mut tokens, text, start, end, numeric, sent_start);
            sent_start = false;
            i = k.max(j);
            continue;
        }
        // Punctuation, one character.
        let end = chars.get(i + 1).map_or(text.len(), |(b, _)| *b);
        tokens.push(Token {
            start,
            end,
            kind: TokenKind::Punct,
            cap: false,
            upper: false,
            letters: 0,
            sent_start,
        });
        match c {
            '.' | '!' | '?' | '…' | ';' => sent_start = true,
            // An opening quote or dash keeps a sentence start for the word after it.
            '«' | '"' | '“' | '„' | '(' | '[' | '—' | '–' | '-' | '\'' | '‘' | '*' | '•' =>
                {}
            ':' => sent_start = true,
            _ => sent_start = false,
        }
        i += 1;
    }
    tokens
}

/// `char::is_alphabetic` with the scripts Vigie reads most answered without the
/// general Unicode table (a fifth of the recogniser's time on Cyrillic text).
#[inline]
pub fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7f => c.is_ascii_alphabetic(),
        0xc0..=0x24f => c != '×' && c != '÷',
        0x410..=0x44f => true,
        0x400..=0x40f | 0x450..=0x481 | 0x48a..=0x52f => true,
        _ => c.is_alphabetic(),
    }
}

#[inline]
fn is_word_char(c: char) -> bool {
    is_letter(c) || c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// A word whose following dot is part of it: an initial ("F."), a known abbreviation
/// ("Dr.", "Mme.", "Corp.").
fn is_abbreviation(word: &str) -> bool {
    let mut chars = word.chars();
    let (Some(first), rest) = (chars.next(), chars.as_str()) else {
        return false;
    };
    if rest.is_empty() {
        return first.is_uppercase();
    }
    matches!(
        word.to_lowercase().as_str(),
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "st"
            | "prof"
            | "gen"
            | "col"
            | "capt"
            | "lt"
            | "sgt"
            | "rev"
            | "sen"
            | "rep"
            | "gov"
            | "jr"
            | "sr"
            | "sra"
            | "co"
            | "corp"
            | "inc"
            | "ltd"
            | "bros"
            | "mm"
            | "mme"
            | "mlle"
            | "mgr"
            | "hr"
            | "hrn"
            | "frl"
            | "sig"
            | "dhr"
            | "mevr"
            | "vs"
            | "no"
            | "nr"
            | "vol"
            | "ste"
            | "av"
            | "bd"
            | "vgl"
            | "bzw"
            | "ca"
            | "etc"
    )
}

fn push(tokens: &mut Vec<Token>, text: &str, start: usize, end: usize, numeric: bool, s: bool) {
    let word = &text[start..end];
    let mut letters = 0;
    let mut uppers = 0;
    for c in word.chars().filter(|c| is_letter(*c)) {
        letters += 1;
        if c.is_uppercase() {
            uppers += 1;
        }
    }
    let cap = !numeric && word.chars().next().is_some_and(char::is_uppercase);
    tokens.push(Token {
        start,
        end,
        kind: if numeric {
            TokenKind::Number
        } else {
            TokenKind::Word
        },
        cap,
        upper: letters >= 2 && uppers == letters,
        letters: letters.min(255) as u8,
        sent_start: s,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn splits_elisions_and_possessives() {
        assert_eq!(words("l'Élysée"), ["l'", "Élysée"]);
        assert_eq!(words("d’Orléans"), ["d’", "Orléans"]);
        assert_eq!(words("O'Brien's"), ["O'Brien", "'", "s"]);
    }

    #[test]
    fn keeps_initials_abbreviations_and_hyphens() {
        assert_eq!(words("F. Ody"), ["F.", "Ody"]);
        assert_eq!(words("the U.S. team"), ["the", "U.S.", "team"]);
        assert_eq!(
            words("Mr. Smith in Rome."),
            ["Mr.", "Smith", "in", "Rome", "."]
        );
        assert_eq!(words("Jean-Pierre 3.5"), ["Jean-Pierre", "3.5"]);
    }

    #[test]
    fn marks_sentence_starts() {
        let text = "He left. Paris «Elle» vient";
        let t = tokenize(text);
        let starts: Vec<&str> = t
            .iter()
            .filter(|t| t.sent_start)
            .map(|t| t.text(text))
            .collect();
        assert_eq!(starts, ["He", "Paris"]);
    }
}
