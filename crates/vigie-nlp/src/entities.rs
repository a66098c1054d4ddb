//! Mentions folded into entities: every form an article uses for one person, place or
//! organisation under one canonical name.
//!
//! Within an article:
//! - a place the knowledge base knows is one entity whatever the language of the name
//!   ("Kiev", "Kyiv", "Київ"), named by the base;
//! - a person's full names fold when the surnames share a [`name_key`] and the first
//!   names agree up to a typo ("Vladimir Poutine", "Vladmir Poutine"); different first
//!   names stay different people ("Joe Biden", "Hunter Biden");
//! - a surname alone joins the person named in full with it ("Poutine");
//! - other names fold by [`name_key`].

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::fold::{fold, name_key};
use crate::kb::{cue, kb};
use crate::recognize::{recognize, Kind, Mention};

/// One entity of a text.
#[derive(Clone, Debug, Serialize)]
pub struct Entity {
    /// The canonical name: the base's name of a known place, the fullest form of a
    /// person's name, the most frequent form otherwise.
    pub name: String,
    /// Person, place, organisation or other.
    pub kind: Kind,
    /// The knowledge-base id (`geonames:…`, `iso3166:…`) when the base knows the entity.
    pub kb_id: Option<String>,
    /// Every other form the text uses, in order of first use.
    pub aliases: Vec<String>,
    /// Every mention, in text order.
    pub mentions: Vec<EntityMention>,
}

/// One mention of an [`Entity`].
#[derive(Clone, Debug, Serialize)]
pub struct EntityMention {
    /// The text as written (a title such as "M." included when the recogniser kept it).
    pub surface: String,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
}

/// The entities of `text`, in order of first mention.
pub fn entities(text: &str, lang: &str) -> Vec<Entity> {
    group(text, lang, &recognize(text, lang))
}

/// The words of a person's name without the titles before it ("M.", "Herr", "Dr.").
fn name_words<'a>(surface: &'a str, lang: &str) -> Vec<&'a str> {
    let cues = kb().cues(lang.get(..2).unwrap_or(lang));
    let words: Vec<&str> = surface.split_whitespace().collect();
    let skip = words
        .iter()
        .take_while(|w| cues.of(&fold(w.trim_end_matches('.'))) & cue::TITLE != 0)
        .count();
    words[skip.min(words.len().saturating_sub(1))..].to_vec()
}

/// Two first names of one person: equal keys, one an initial of the other, or one typo
/// apart in names of five letters or more ("Vladimir", "Vladmir", "V.").
pub fn same_first_name(a: &str, b: &str) -> bool {
    let (ka, kb) = (name_key(a), name_key(b));
    if ka == kb {
        return true;
    }
    let initial = |x: &str, full: &str| {
        x.trim_end_matches('.').chars().count() == 1 && full.starts_with(x.trim_end_matches('.'))
    };
    if initial(&ka, &kb) || initial(&kb, &ka) {
        return true;
    }
    ka.chars().count() >= 5 && one_edit_apart(&ka, &kb)
}

/// Whether two strings are at most one edit apart (one character, not byte, replaced,
/// inserted or deleted): Levenshtein distance ≤ 1, without its table. Past their
/// common start, the rests must agree once the first character of one or both is
/// dropped.
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    let common: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    fn rest(s: &str) -> &str {
        s.chars().next().map_or(s, |c| &s[c.len_utf8()..])
    }
    let (a, b) = (&a[common..], &b[common..]);
    a == b || rest(a) == rest(b) || rest(a) == b || a == rest(b)
}

/// Beyond this many persons in one text, surnames one typo apart are not compared
/// (the comparison is quadratic; a text naming thousands of people is not an article).
const MAX_FUZZY_PERSONS: usize = 500;

struct Person {
    first: Option<String>,
    surname_key: String,
    entity: usize,
}

/// Folds recognised mentions of `text` into entities.
pub fn group(text: &str, lang: &str, mentions: &[Mention]) -> Vec<Entity> {
    let kb = kb();
    let mut out: Vec<Entity> = Vec::new();
    let mut persons: Vec<Person> = Vec::new();
    let mut by_place: FxHashMap<&str, usize> = FxHashMap::default();
    let mut by_key: FxHashMap<(Kind, String), usize> = FxHashMap::default();
    let mut by_surname: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut order: Vec<&Mention> = mentions.iter().collect();
    // Full names first, so that a surname met before its full name still joins it.
    order.sort_by_key(|m| {
        let words = text[m.start..m.end].split_whitespace().count();
        (m.kind != Kind::Person || words < 2, m.start)
    });
    for m in order {
        let surface = &text[m.start..m.end];
        let mention = EntityMention {
            surface: surface.to_string(),
            start: m.start,
            end: m.end,
        };
        let target = match m.kind {
            Kind::Location if m.place.is_some() => {
                let place = kb.place(m.place.unwrap_or_default());
                *by_place.entry(place.kb_id).or_insert_with(|| {
                    out.push(new_entity(place.name, Kind::Location, Some(place.kb_id)));
                    out.len() - 1
                })
            }
            Kind::Person => {
                let words = name_words(surface, lang);
                let last = words.last().copied().unwrap_or(surface);
                let surname_key = name_key(last);
                let first = (words.len() >= 2).then(|| words[0].to_string());
                let compatible = |p: &Person| match (&p.first, &first) {
                    (Some(a), Some(b)) => same_first_name(a, b),
                    _ => true,
                };
                // Same surname key first (a map), then one typo away among the few
                // persons of an ordinary article.
                let found = by_surname
                    .get(&surname_key)
                    .and_then(|ids| ids.iter().copied().find(|&i| compatible(&persons[i])))
                    .or_else(|| {
                        if surname_key.chars().count() < 6 || persons.len() > MAX_FUZZY_PERSONS {
                            return None;
                        }
                        persons.iter().position(|p| {
                            one_edit_apart(&p.surname_key, &surname_key) && compatible(p)
                        })
                    });
                match found {
                    Some(i) => persons[i].entity,
                    None => {
                        out.push(new_entity(&words.join(" "), Kind::Person, None));
                        by_surname
                            .entry(surname_key.clone())
                            .or_default()
                            .push(persons.len());
                        persons.push(Person {
                            first,
                            surname_key,
                            entity: out.len() - 1,
                        });
                        out.len() - 1
                    }
                }
            }
            kind => {
                let key = name_key(surface);
                match by_key.get(&(kind, key.clone())) {
                    Some(&i) => i,
                    None => {
                        out.push(new_entity(surface, kind, None));
                        by_key.insert((kind, key), out.len() - 1);
                        out.len() - 1
                    }
                }
            }
        };
        out[target].mentions.push(mention);
    }
    for e in &mut out {
        e.mentions.sort_by_key(|m| m.start);
        if e.kind == Kind::Person {
            // The fullest form, titles left out, is the name; among equals, the one
            // whose first name the base knows (not the typo), then the most used, then
            // the first.
            let forms: Vec<String> = e
                .mentions
                .iter()
                .map(|m| name_words(&m.surface, lang).join(" "))
                .collect();
            let mut uses: FxHashMap<&str, usize> = FxHashMap::default();
            for f in &forms {
                *uses.entry(f.as_str()).or_default() += 1;
            }
            let score = |i: usize| {
                let f = &forms[i];
                let words = f.split(' ').count();
                let known = words > 1
                    && f.split(' ')
                        .next()
                        .is_some_and(|w| kb.first_name(&fold(w)).is_some());
                let used = uses.get(f.as_str()).copied().unwrap_or(0);
                (words, known, used, std::cmp::Reverse(i))
            };
            if let Some(best) = (0..forms.len()).max_by_key(|&i| score(i)) {
                e.name = forms[best].clone();
            }
        }
        let mut aliases: Vec<String> = Vec::new();
        let mut seen: rustc_hash::FxHashSet<String> = rustc_hash::FxHashSet::default();
        for m in &e.mentions {
            let bare = if e.kind == Kind::Person {
                name_words(&m.surface, lang).join(" ")
            } else {
                m.surface.clone()
            };
            if bare != e.name && seen.insert(bare.clone()) {
                aliases.push(bare);
            }
        }
        // The surname alone is how the press names a person the second time, written
        // here or not ("Loukachenko").
        if e.kind == Kind::Person {
            if let Some(surname) = e.name.rsplit(' ').next().filter(|_| e.name.contains(' ')) {
                if !aliases.iter().any(|a| a == surname) {
                    aliases.push(surname.to_string());
                }
            }
        }
        e.aliases = aliases;
    }
    out.sort_by_key(|e| e.mentions.first().map_or(0, |m| m.start));
    out
}

fn new_entity(name: &str, kind: Kind, kb_id: Option<&str>) -> Entity {
    Entity {
        name: name.to_string(),
        kind,
        kb_id: kb_id.map(str::to_string),
        aliases: Vec::new(),
        mentions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart_is_a_levenshtein_distance_of_at_most_one() {
        // Every pair of strings of up to four letters from an alphabet with a letter
        // of two bytes: the same answer as the full distance.
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = words
                .iter()
                .filter(|w| w.chars().count() == words.last().unwrap().chars().count())
                .flat_map(|w| ["a", "b", "é"].map(|c| format!("{w}{c}")))
                .collect();
            words.extend(longer);
        }
        assert_eq!(words.len(), 1 + 3 + 9 + 27 + 81);
        for a in &words {
            for b in &words {
                assert_eq!(
                    one_edit_apart(a, b),
                    strsim::levenshtein(a, b) <= 1,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn surnames_and_typos_fold_into_the_full_name() {
        let text =
            "Vladimir Poutine est à Minsk. Poutine a parlé. Plus tard, Vladmir Poutine a souri.";
        let es = entities(text, "fr");
        let putin: Vec<&Entity> = es.iter().filter(|e| e.kind == Kind::Person).collect();
        assert_eq!(putin.len(), 1, "{es:?}");
        assert_eq!(putin[0].name, "Vladimir Poutine");
        assert_eq!(putin[0].aliases, ["Poutine", "Vladmir Poutine"]);
        let es = entities("Alexandre Loukachenko est arrivé.", "fr");
        assert_eq!(es[0].aliases, ["Loukachenko"], "the surname is an alias");
        assert_eq!(putin[0].mentions.len(), 3);
    }

    #[test]
    fn different_first_names_stay_different_people() {
        let text = "Joe Biden a reçu Hunter Biden à Washington.";
        let people: Vec<String> = entities(text, "fr")
            .into_iter()
            .filter(|e| e.kind == Kind::Person)
            .map(|e| e.name)
            .collect();
        assert_eq!(people, ["Joe Biden", "Hunter Biden"]);
    }

    #[test]
    fn place_names_in_several_scripts_are_one_place() {
        let text = "Kiev est bombardée. À Kyiv, l'alerte sonne. Київ résiste.";
        let places: Vec<Entity> = entities(text, "fr")
            .into_iter()
            .filter(|e| e.kind == Kind::Location)
            .collect();
        assert_eq!(places.len(), 1, "{places:?}");
        assert_eq!(places[0].mentions.len(), 3);
        assert!(places[0]
            .kb_id
            .as_deref()
            .is_some_and(|id| id.starts_with("geonames:")));
    }
}
