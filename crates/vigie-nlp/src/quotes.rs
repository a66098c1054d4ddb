//! Who said what: direct quotations and their speakers.
//!
//! A quotation is text between quotation marks of any press convention (« … », “ … ”,
//! „ … “, ‹ … ›, " … ") long enough to be speech rather than a quoted term (four words,
//! or any length when a verb of saying follows). Its speaker is the person named next to
//! a verb of saying in the same sentence: after the quotation ("…», a prévenu le
//! président ukrainien Volodymyr Zelensky"), or before it ("Peskov said: “…”"); with a
//! verb of saying and no name, the person last named before the quotation ("…», a-t-il
//! dit").

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::entities::{group, Entity};
use crate::fold::fold;
use crate::kb::{cue, kb};
use crate::recognize::{recognize, Kind};
use crate::token::{tokenize, TokenKind};

/// One direct quotation.
#[derive(Clone, Debug, Serialize)]
pub struct Quote {
    /// The quoted words, without the quotation marks.
    pub text: String,
    /// Who said it, when the text says so.
    pub speaker: Option<Speaker>,
    /// Byte offset of the first quoted character.
    pub start: usize,
    /// Byte offset after the last quoted character.
    pub end: usize,
}

/// The speaker of a [`Quote`]: an entity of the same text.
#[derive(Clone, Debug, Serialize)]
pub struct Speaker {
    /// The entity's canonical name.
    pub name: String,
    /// Its kind (a person, or an organisation speaking through a spokesperson).
    pub kind: Kind,
}

/// The closing mark of an opening quotation mark.
fn closing(open: char) -> Option<&'static [char]> {
    Some(match open {
        '«' => &['»'],
        '“' => &['”', '„'],
        '„' => &['“', '”'],
        '‹' => &['›'],
        '"' => &['"'],
        '»' => &['«'], // Danish and German reversed guillemets
        _ => return None,
    })
}

/// The quotations of `text` and their speakers.
pub fn quotes(text: &str, lang: &str) -> Vec<Quote> {
    let mentions = recognize(text, lang);
    let entities = group(text, lang, &mentions);
    quotes_with(text, lang, &entities)
}

/// The quotations of `text`, speakers resolved among `entities` (from [`group`]).
pub fn quotes_with(text: &str, lang: &str, entities: &[Entity]) -> Vec<Quote> {
    let spans = quoted_spans(text);
    let cues = kb().cues(lang.get(..2).unwrap_or(lang));
    let is_speech = |w: &str| cues.of(&fold(w)) & cue::SPEECH != 0;
    // Person (and organisation) mentions in text order, with their entity.
    let mut named: Vec<(usize, usize, usize)> = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        if matches!(e.kind, Kind::Person | Kind::Organisation) {
            named.extend(e.mentions.iter().map(|m| (m.start, m.end, i)));
        }
    }
    named.sort_unstable();
    let mut out = Vec::new();
    for (open, start, end, close) in spans {
        let inner = text[start..end].trim();
        if inner.is_empty() {
            continue;
        }
        let start = start + (text[start..end].len() - text[start..end].trim_start().len());
        let end = start + inner.len();
        let after = sentence_after(text, close);
        let before = sentence_before(text, open);
        // The verb of saying in the first words after the quotation, and where it ends.
        let verb_end = tokenize(&text[close..after])
            .into_iter()
            .filter(|t| t.kind == TokenKind::Word)
            .take(8)
            .find(|t| is_speech(t.text(&text[close..after])))
            .map(|t| close + t.end);
        let speech_after = verb_end.is_some();
        let speech_before = words(&text[before..open]).any(is_speech)
            || text[before..open].trim_end().ends_with(':');
        let long = inner.split_whitespace().count() >= 4;
        if !long && !speech_after {
            continue;
        }
        let in_range = |lo: usize, hi: usize| named.iter().filter(move |n| n.0 >= lo && n.1 <= hi);
        let speaker = if let Some(verb_end) = verb_end {
            // The name follows the verb closely: "a répliqué le porte-parole du Kremlin
            // Dmitri Peskov", not a name at the far end of the sentence.
            let near = verb_end + 60;
            in_range(verb_end, after)
                .filter(|n| n.0 <= near)
                .find(|n| entities[n.2].kind == Kind::Person)
                .or_else(|| in_range(verb_end, after).find(|n| n.0 <= near))
                .or_else(|| {
                    named
                        .iter()
                        .rev()
                        .find(|n| n.1 <= open && entities[n.2].kind == Kind::Person)
                })
        } else if speech_before {
            named
                .iter()
                .rev()
                .find(|n| n.0 >= before && n.1 <= open && entities[n.2].kind == Kind::Person)
        } else {
            None
        };
        out.push(Quote {
            text: inner.to_string(),
            speaker: speaker.map(|n| Speaker {
                name: entities[n.2].name.clone(),
                kind: entities[n.2].kind,
            }),
            start,
            end,
        });
    }
    out
}

fn words(s: &str) -> impl Iterator<Item = &str> + '_ {
    tokenize(s)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(move |t| t.text(s))
        .collect::<Vec<_>>()
        .into_iter()
}

/// The longest quotation looked for, in bytes.
const MAX_QUOTE_BYTES: usize = 4000;
/// How far around a quotation its sentence is looked for, in bytes.
const MAX_SENTENCE_BYTES: usize = 600;

/// The largest char boundary of `text` at or before `i`.
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The end of the sentence that continues after byte `from`.
fn sentence_after(text: &str, from: usize) -> usize {
    let limit = floor_char_boundary(text, (from + MAX_SENTENCE_BYTES).min(text.len()));
    let rest = &text[from..limit];
    rest.char_indices()
        .find(|&(_, c)| matches!(c, '.' | '!' | '?' | '\n' | '«' | '“' | '„'))
        .map_or(limit, |(i, _)| from + i)
}

/// The start of the sentence that runs up to byte `to`.
fn sentence_before(text: &str, to: usize) -> usize {
    let mut limit = to.saturating_sub(MAX_SENTENCE_BYTES);
    while !text.is_char_boundary(limit) {
        limit += 1;
    }
    text[limit..to]
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '.' | '!' | '?' | '\n' | '»' | '”'))
        .map_or(limit, |(i, c)| limit + i + c.len_utf8())
}

/// Quoted spans as (opening mark, inner start, inner end, after the closing mark).
fn quoted_spans(text: &str) -> Vec<(usize, usize, usize, usize)> {
    // Where each quotation mark and paragraph break is, once: every opening mark then
    // finds its closing mark by binary search, so unclosed marks cost no rescans.
    let mut marks: Vec<(usize, char)> = Vec::new();
    let mut at: FxHashMap<char, Vec<usize>> = FxHashMap::default();
    for (i, c) in text.char_indices() {
        if closing(c).is_some() || matches!(c, '”' | '“' | '›') {
            marks.push((i, c));
            at.entry(c).or_default().push(i);
        }
    }
    let breaks: Vec<usize> = text.match_indices("\n\n").map(|(i, _)| i).collect();
    let mut out = Vec::new();
    let mut next_free = 0;
    for &(open_at, open) in &marks {
        let Some(closers) = closing(open) else {
            continue;
        };
        if open_at < next_free {
            continue; // inside the previous quotation
        }
        let inner_start = open_at + open.len_utf8();
        // A quotation does not run past its paragraph, nor past a few thousand bytes.
        let para = breaks[breaks.partition_point(|&b| b < inner_start)..]
            .first()
            .copied()
            .unwrap_or(text.len());
        let limit = para.min(inner_start + MAX_QUOTE_BYTES);
        let close = closers
            .iter()
            .filter_map(|c| {
                let list = at.get(c)?;
                let next = *list.get(list.partition_point(|&i| i < inner_start))?;
                Some((next, *c))
            })
            .min()
            .filter(|&(i, _)| i < limit);
        if let Some((inner_end, c)) = close {
            let after = inner_end + c.len_utf8();
            out.push((open_at, inner_start, inner_end, after));
            next_free = after;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str, lang: &str) -> Vec<(String, Option<String>)> {
        quotes(text, lang)
            .into_iter()
            .map(|q| (q.text, q.speaker.map(|s| s.name)))
            .collect()
    }

    #[test]
    fn french_speaker_after_the_quotation() {
        let text = "« Nous nous préparons à tous les scénarios », a prévenu le président ukrainien Volodymyr Zelensky.";
        assert_eq!(
            said(text, "fr"),
            [(
                "Nous nous préparons à tous les scénarios".to_string(),
                Some("Volodymyr Zelensky".to_string())
            )]
        );
    }

    #[test]
    fn english_speaker_before_and_pronoun_after() {
        let text = "Dmitry Peskov said: “These are stupid and baseless claims.” Later he added “We will see what happens next,” he said.";
        let got = said(text, "en");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("Dmitry Peskov"));
        assert_eq!(got[1].1.as_deref(), Some("Dmitry Peskov"));
    }

    #[test]
    fn quoted_terms_are_not_quotations() {
        let text = "Moscou parle d'une force « défensive » et de manoeuvres « tactiques ».";
        assert!(said(text, "fr").is_empty());
    }

    #[test]
    fn russian_guillemets() {
        let text = "«Это провокация и ложь», — заявил пресс-секретарь Кремля Дмитрий Песков.";
        let got = said(text, "ru");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("Дмитрий Песков"));
    }
}
