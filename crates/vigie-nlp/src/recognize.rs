//! Finding names in text and telling persons, places, organisations and other names
//! apart, from the knowledge base and cues around the name.
//!
//! The steps, per text:
//! 1. tokens, and the lines written in capitals (headlines), where case says nothing;
//! 2. runs of capitalised words, joined by particles ("de", "von", "of");
//! 3. each run trimmed of sentence-initial function words, titles and roles (kept as
//!    evidence), then typed: a place of the knowledge base, a people's name, an
//!    organisation head word, a street word, a person cue (title or role before, first
//!    name or initial first), a place preposition before;
//! 4. a document pass: a lone word that is the surname of a person named in full
//!    earlier is that person.

use std::cell::Cell;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::fold::{fold, push_folded};
use crate::kb::{cue, kb, Cues, Kb, PlaceKind};
use crate::token::{tokenize, Token, TokenKind};

/// The kind of an entity, with the labels of CoNLL-style evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Kind {
    /// A person.
    #[serde(rename = "PER")]
    Person,
    /// A place.
    #[serde(rename = "LOC")]
    Location,
    /// An organisation.
    #[serde(rename = "ORG")]
    Organisation,
    /// Another name: a people, an event, a newspaper, a product.
    #[serde(rename = "MISC")]
    Misc,
}

impl Kind {
    /// The label: `PER`, `LOC`, `ORG` or `MISC`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Person => "PER",
            Kind::Location => "LOC",
            Kind::Organisation => "ORG",
            Kind::Misc => "MISC",
        }
    }
}

/// One name found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// What the name names.
    pub kind: Kind,
    /// The knowledge-base place, for places the base knows.
    pub place: Option<u32>,
    /// How sure the recogniser is: cues and knowledge agree (true) or a guess (false).
    pub sure: bool,
}

/// A Zipf frequency (×10) from which a capitalised word opening a sentence is taken for
/// an ordinary word rather than a name.
const COMMON_AT_START: u8 = 40;
/// The same, for a capitalised word inside a sentence in a language that capitalises
/// only names. Not lower: the people the press names most are as frequent as common
/// nouns (Trump 4.9, Macron 4.9, Poutine 4.2), and a lone surname must stay a name.
const COMMON_INSIDE: u8 = 50;
/// The same, in a language that capitalises every noun (German).
const COMMON_NOUN: u8 = 33;
/// A place name one word long that is this frequent as a word is taken for the word
/// ("Union", "Tour"), unless it is a country.
const COMMON_PLACE: u8 = 45;

struct Doc<'t> {
    text: &'t str,
    lang: &'t str,
    kb: &'static Kb,
    cues: &'static Cues,
    tokens: Vec<Token>,
    folded: Folded,
    shouting: Vec<bool>,
    nouns_capitalised: bool,
    /// Per token, the first token folded the same: what depends on the word alone is
    /// looked up once per word, however often the text repeats it.
    word_of: Vec<u32>,
    /// Per word (indexed by [`Doc::word_of`]), computed once when first asked (most
    /// words never are): cue bits, the Zipf frequency (`UNKNOWN` until asked), whether
    /// it is a first name, a people's name in the language, a month or weekday, a
    /// demonym (0 unknown, 1 no, 2 yes), and the place its name alone may be.
    cues_of: Vec<Cell<Option<u16>>>,
    zipf_of: Vec<Cell<u8>>,
    first_of: Vec<Cell<u8>>,
    people_of: Vec<Cell<u8>>,
    calendar_of: Vec<Cell<u8>>,
    demonym_of: Vec<Cell<u8>>,
    named_place_of: Vec<Cell<Option<Option<u32>>>>,
    /// Per token: the place the word alone names there.
    place_of: Vec<Cell<Option<Option<u32>>>>,
    /// Folded words this text writes capitalised inside sentences at least twice and
    /// never in lower case: names here, however common the word is elsewhere.
    named_here: rustc_hash::FxHashSet<String>,
}

/// The folded tokens of a text, one after the other in one buffer (a text has
/// thousands of tokens; a string each was as many allocations).
struct Folded {
    buf: String,
    /// Where each token's folded form ends in `buf`.
    ends: Vec<usize>,
}

impl Folded {
    fn new(tokens: &[Token], text: &str) -> Folded {
        let mut buf = String::with_capacity(text.len());
        let ends = tokens
            .iter()
            .map(|t| {
                push_folded(t.text(text), &mut buf);
                buf.len()
            })
            .collect();
        Folded { buf, ends }
    }
}

impl std::ops::Index<usize> for Folded {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }
}

/// Per token, the first token folded the same (itself when not a word); and the
/// folded words `tokens` write capitalised inside sentences at least twice and never
/// in lower case ("Trump", "Putin" in an article about them).
fn words_of(tokens: &[Token], folded: &Folded) -> (Vec<u32>, rustc_hash::FxHashSet<String>) {
    // Per folded word: its first token, and how often it is written capitalised inside
    // a sentence and in lower case.
    let mut seen: FxHashMap<&str, (u32, u32, u32)> = FxHashMap::default();
    let mut word_of = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != TokenKind::Word {
            word_of.push(i as u32);
            continue;
        }
        let c = seen.entry(&folded[i]).or_insert((i as u32, 0, 0));
        word_of.push(c.0);
        if t.letters < 3 {
            continue;
        }
        if !t.cap {
            c.2 += 1;
        } else if !t.sent_start && !t.upper {
            c.1 += 1;
        }
    }
    let named = seen
        .into_iter()
        .filter(|&(_, (_, cap, lower))| cap >= 2 && lower == 0)
        .map(|(f, _)| f.to_string())
        .collect();
    (word_of, named)
}

/// Not yet looked up, in [`Doc::zipf_of`].
const UNKNOWN: u8 = u8::MAX;

/// A yes or no computed once: `slot` holds 0 until then, then 1 for no, 2 for yes.
fn memo(slot: &Cell<u8>, compute: impl FnOnce() -> bool) -> bool {
    match slot.get() {
        1 => false,
        2 => true,
        _ => {
            let yes = compute();
            slot.set(if yes { 2 } else { 1 });
            yes
        }
    }
}

/// The names in `text`, written in language `lang` (ISO 639-1; others are read with
/// the cues shared by every language), in text order, not overlapping.
pub fn recognize(text: &str, lang: &str) -> Vec<Mention> {
    let kb = kb();
    let lang = lang.get(..2).unwrap_or(lang);
    let tokens = tokenize(text);
    let folded = Folded::new(&tokens, text);
    let shouting = shouting(&tokens, text);
    let n = tokens.len();
    let (word_of, named_here) = words_of(&tokens, &folded);
    let doc = Doc {
        named_here,
        word_of,
        cues_of: vec![Cell::new(None); n],
        zipf_of: vec![Cell::new(UNKNOWN); n],
        first_of: vec![Cell::new(0); n],
        people_of: vec![Cell::new(0); n],
        calendar_of: vec![Cell::new(0); n],
        demonym_of: vec![Cell::new(0); n],
        named_place_of: vec![Cell::new(None); n],
        place_of: vec![Cell::new(None); n],
        text,
        lang,
        kb,
        cues: kb.cues(lang),
        tokens,
        folded,
        shouting,
        nouns_capitalised: matches!(lang, "de" | "lb"),
    };
    let mut mentions = Vec::new();
    let n = doc.tokens.len();
    let mut i = 0;
    while i < n {
        if !doc.namey(i) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            if j < n && doc.namey(j) && !doc.tokens[j].sent_start && !doc.is_title(j) {
                j += 1;
                continue;
            }
            if j + 1 < n
                && doc.tokens[j].kind == TokenKind::Word
                && !doc.tokens[j].cap
                && doc.cues.of(&doc.folded[j]) & cue::JOIN != 0
                && doc.namey(j + 1)
                && !doc.is_title(j + 1)
            {
                j += 2;
                continue;
            }
            break;
        }
        // A run of words in capitals inside ordinary text is a shouted phrase
        // ("MEETS OLD FRIEND IN ROME") unless it is one acronym.
        let shouted_run = (i..j).filter(|&k| doc.tokens[k].upper).count() >= 2;
        if doc.shouting[i] || shouted_run {
            // In a headline every word is capitalised: names are what the base knows.
            doc.split_shouting(i, j, &mut mentions);
        } else {
            doc.classify(i, j, &mut mentions);
        }
        i = j;
    }
    doc.resolve_surnames(&mut mentions);
    mentions.retain(|m| m.sure || m.place != Some(GUESS_ONLY));
    place_in_context(text, &mut mentions);
    mentions
}

/// "Moscow, Idaho", "Paris (Texas)": a place followed by the region or country it is
/// in is the place of that name there, not the most populous one.
fn place_in_context(text: &str, mentions: &mut [Mention]) {
    let kb = kb();
    for k in 0..mentions.len().saturating_sub(1) {
        let (Some(city), Some(area)) = (mentions[k].place, mentions[k + 1].place) else {
            continue;
        };
        let between = &text[mentions[k].end..mentions[k + 1].start];
        if !matches!(between.trim(), "," | "(") {
            continue;
        }
        let area = kb.place(area);
        if kb.place(city).kind != PlaceKind::City || area.kind == PlaceKind::City {
            continue;
        }
        // The area's country: itself for a country, its country for a region.
        let country = area.country;
        if country.is_empty() || kb.place(city).country == country {
            continue;
        }
        let key = crate::keys::key_of(&text[mentions[k].start..mentions[k].end]);
        if let Some(there) = kb
            .places_named(&key)
            .iter()
            .find(|&id| kb.place(id).kind == PlaceKind::City && kb.place(id).country == country)
        {
            mentions[k].place = Some(there);
        }
    }
}

/// Marks a guess kept only if the document confirms it (in [`Mention::place`] while
/// recognising; never returned).
const GUESS_ONLY: u32 = u32::MAX;

/// French, Italian, Spanish and Portuguese adjective endings.
fn is_romance_adjective(folded: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "al", "ale", "aux", "ales", "el", "elle", "ien", "ienne", "ais", "aise", "ique", "iste",
        "ois", "oise", "aire", "if", "ive", "ain", "aine", "ano", "ana", "ico", "ica", "ese",
        "ense", "iano", "iana", "ario", "aria", "ral", "nal",
    ];
    folded.len() > 4 && ENDINGS.iter().any(|e| folded.ends_with(e))
}

/// Marks tokens on lines where most words are written in capitals.
fn shouting(tokens: &[Token], text: &str) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    let mut line_start = 0;
    for i in 0..=tokens.len() {
        let new_line = i == tokens.len()
            || (i > line_start && text[tokens[i - 1].end..tokens[i].start].contains('\n'));
        if !new_line {
            continue;
        }
        let words: Vec<&Token> = tokens[line_start..i]
            .iter()
            .filter(|t| t.kind == TokenKind::Word && t.end - t.start > 1)
            .collect();
        let upper = words.iter().filter(|t| t.upper).count();
        if words.len() >= 2 && upper * 10 >= words.len() * 6 {
            out[line_start..i].iter_mut().for_each(|s| *s = true);
        }
        line_start = i;
    }
    out
}

impl Doc<'_> {
    fn word(&self, i: usize) -> &str {
        self.tokens[i].text(self.text)
    }

    fn namey(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        if t.kind != TokenKind::Word || !(t.cap || (self.shouting[i] && t.upper)) {
            return false;
        }
        let w = self.word(i);
        // "L'" and "D'" (elisions), a lone capital without a dot.
        if w.ends_with(['\'', '’']) || (w.chars().count() == 1) {
            return false;
        }
        // A month or weekday next to a number is a date.
        if self.calendar(i) {
            let number = |k: usize| {
                self.tokens
                    .get(k)
                    .is_some_and(|t| t.kind == TokenKind::Number)
            };
            return !(number(i + 1) || (i > 0 && number(i - 1)));
        }
        true
    }

    fn is_title(&self, i: usize) -> bool {
        self.cue(i) & cue::TITLE != 0
    }

    fn cue(&self, i: usize) -> u16 {
        let w = self.word_of[i] as usize;
        if let Some(bits) = self.cues_of[w].get() {
            return bits;
        }
        let bits = self.cues.of(self.folded[w].trim_end_matches('.'));
        self.cues_of[w].set(Some(bits));
        bits
    }

    fn zipf(&self, i: usize) -> u8 {
        let w = self.word_of[i] as usize;
        let z = self.zipf_of[w].get();
        if z != UNKNOWN {
            return z;
        }
        let z = self.kb.zipf(self.lang, &self.folded[w]).min(UNKNOWN - 1);
        self.zipf_of[w].set(z);
        z
    }

    fn first_name(&self, i: usize) -> bool {
        let w = self.word_of[i] as usize;
        memo(&self.first_of[w], || {
            self.kb.first_name(&self.folded[w]).is_some()
        })
    }

    /// Whether the word is a month or weekday name.
    fn calendar(&self, i: usize) -> bool {
        let w = self.word_of[i] as usize;
        memo(&self.calendar_of[w], || {
            self.kb.is_calendar(self.folded[w].trim_end_matches('.'))
        })
    }

    /// The place the word's name alone may be, most populous first, unless the word
    /// is too short or a month or weekday.
    fn named_place(&self, i: usize) -> Option<u32> {
        let w = self.word_of[i] as usize;
        if let Some(known) = self.named_place_of[w].get() {
            return known;
        }
        let found = if self.calendar(i) {
            None
        } else {
            self.kb.places_named(&self.folded[w]).first()
        };
        self.named_place_of[w].set(Some(found));
        found
    }

    /// The word is a name the knowledge base knows: a place or a first name.
    fn known_name(&self, i: usize) -> bool {
        self.first_name(i) || self.single_place(i).is_some()
    }

    /// The place one word names, unless the word is more often an ordinary word.
    fn single_place(&self, i: usize) -> Option<u32> {
        if let Some(known) = self.place_of[i].get() {
            return known;
        }
        let found = self.find_single_place(i);
        self.place_of[i].set(Some(found));
        found
    }

    fn find_single_place(&self, i: usize) -> Option<u32> {
        let f = &self.folded[i];
        if self.tokens[i].letters < 3 {
            return None;
        }
        let id = self.named_place(i)?;
        let place = self.kb.place(id);
        // A village's name is more often a word or a surname: only rare words count.
        if place.kind == PlaceKind::City
            && place.population < 15_000
            && (self.tokens[i].sent_start || self.zipf(i) >= 25 || self.kb.is_surname(f))
        {
            return None;
        }
        let big = matches!(place.kind, PlaceKind::Country | PlaceKind::Continent)
            || place.population >= 300_000;
        // A capitalised word inside a sentence naming a city of some size is the city,
        // however often the press writes it ("Genève").
        let town = place.population >= 100_000
            && !self.tokens[i].sent_start
            && !self.tokens[i].upper
            && !self.shouting[i];
        if big || (town && !self.nouns_capitalised) {
            return Some(id);
        }
        let limit = if self.tokens[i].sent_start {
            COMMON_AT_START
        } else {
            COMMON_PLACE
        };
        (self.zipf(i) < limit).then_some(id)
    }

    /// A people's name: a language name, or a place name with a demonym ending
    /// ("Israeli", "Americans", "European", "Turkish").
    fn people(&self, i: usize) -> bool {
        let w = self.word_of[i] as usize;
        let f = &self.folded[w];
        if memo(&self.people_of[w], || self.kb.is_people(self.lang, f)) {
            return true;
        }
        self.tokens[i].cap && memo(&self.demonym_of[w], || self.demonym(f))
    }

    /// Whether a folded word written capitalised names a people by a place's name.
    fn demonym(&self, f: &str) -> bool {
        let f = f.strip_suffix('s').unwrap_or(f);
        if self.country_named(f) && self.lang != "en" {
            return true; // "les Suisses"
        }
        for (ending, restore) in [
            ("ois", &["", "e"][..]),
            ("ais", &["", "e"][..]),
            ("ien", &["", "ie", "e"][..]),
            ("ienne", &["", "ie", "e"][..]),
            ("er", &["", "en"][..]),
            ("e", &["ie"][..]),
            ("ian", &["ia", "", "e", "y"][..]),
            ("ean", &["e", "ea"][..]),
            ("an", &["a", "", "e", "o"][..]),
            ("ese", &["", "a", "on", "e"][..]),
            ("ish", &["", "ey", "land", "en"][..]),
            ("i", &["", "istan", "ia"][..]),
            ("ic", &["ia", "y", ""][..]),
        ] {
            let Some(stem) = f.strip_suffix(ending) else {
                continue;
            };
            if stem.len() < 3 {
                continue;
            }
            if restore
                .iter()
                .any(|r| self.country_named(&format!("{stem}{r}")))
            {
                return true;
            }
        }
        false
    }

    /// A country, continent or region of that folded name, or a city of over 300,000.
    fn country_named(&self, key: &str) -> bool {
        self.kb.places_named(key).iter().any(|id| {
            let p = self.kb.place(id);
            !matches!(p.kind, PlaceKind::City) || p.population >= 300_000
        })
    }

    fn is_initial(&self, i: usize) -> bool {
        let w = self.word(i);
        w.ends_with('.') && self.tokens[i].letters == 1
    }

    fn key(&self, a: usize, b: usize) -> String {
        let mut k = String::new();
        for i in a..b {
            if !k.is_empty() {
                k.push(' ');
            }
            k.push_str(&self.folded[i]);
        }
        k
    }

    fn place(&self, a: usize, b: usize) -> Option<u32> {
        if b == a + 1 {
            return self.single_place(a);
        }
        self.kb.places_named(&self.key(a, b)).first()
    }

    fn push(&self, out: &mut Vec<Mention>, a: usize, b: usize, kind: Kind, sure: bool) {
        let place = if kind == Kind::Location {
            self.place(a, b)
        } else {
            None
        };
        out.push(Mention {
            start: self.tokens[a].start,
            end: self.tokens[b - 1].end,
            kind,
            place,
            sure,
        });
    }

    /// A person cue just before token `a`: a title or role, possibly with one or two
    /// adjectives between ("le président ukrainien Volodymyr Zelensky"), never across
    /// a preposition or punctuation ("l'ambassadeur à Paris").
    fn person_cue_before(&self, a: usize) -> bool {
        let mut k = a;
        let mut skipped = 0;
        while k > 0 && skipped <= 2 {
            k -= 1;
            let t = &self.tokens[k];
            if t.kind != TokenKind::Word {
                return false;
            }
            let c = self.cue(k);
            if c & (cue::TITLE | cue::ROLE) != 0 {
                return true;
            }
            if t.cap || c & (cue::LOC_PREP | cue::JOIN) != 0 || self.zipf(k) >= 50 {
                return false;
            }
            skipped += 1;
        }
        false
    }

    fn split_shouting(&self, a: usize, b: usize, out: &mut Vec<Mention>) {
        let mut i = a;
        while i < b {
            // The longest place, or a first name and the next word.
            let longest = (i + 1..=b.min(i + self.kb.max_place_words))
                .rev()
                .find(|&e| self.place(i, e).is_some());
            if let Some(e) = longest {
                {
                    self.push(out, i, e, Kind::Location, true);
                    i = e;
                    continue;
                }
            }
            if self.people(i) {
                if self.lang == "en" {
                    self.push(out, i, i + 1, Kind::Misc, true);
                }
            } else if i + 1 < b
                && self.first_name(i)
                && self.zipf(i) < COMMON_AT_START
                && self.zipf(i + 1) < COMMON_AT_START
            {
                self.push(out, i, i + 2, Kind::Person, true);
                i += 2;
                continue;
            }
            i += 1;
        }
    }

    fn classify(&self, a: usize, b: usize, out: &mut Vec<Mention>) {
        // Two names side by side: "du Kremlin Dmitri Peskov", "КНР Ху Цзиньтао".
        // A loop, not recursion: a run can be as long as the text.
        let mut from = a;
        while let Some(k) = (from + 1..b.saturating_sub(1)).find(|&k| self.starts_full_name(k)) {
            self.classify_part(from, k, out);
            from = k;
        }
        self.classify_part(from, b, out);
    }

    fn classify_part(&self, mut a: usize, mut b: usize, out: &mut Vec<Mention>) {
        // 1. Sentence-initial function words and roles are not part of the name; a title
        //    is ("M. Dupont", "Mr. Bigelow"), but never a name alone.
        let mut person_cue = false;
        let mut title_at = None;
        while a < b {
            if b - a <= self.kb.max_place_words && self.place(a, b).is_some() {
                break;
            }
            let c = self.cue(a);
            if c & (cue::TITLE | cue::ROLE) != 0 {
                person_cue = true;
                if c & cue::TITLE != 0 && title_at.is_none() {
                    title_at = Some(a);
                }
                a += 1;
                continue;
            }
            let start = self.tokens[a].sent_start;
            if c & cue::NOT_NAME != 0
                || (start
                    && self.zipf(a) >= COMMON_AT_START
                    && !self.known_name(a)
                    && !self.acronym(a)
                    && b - a > 1)
            {
                a += 1;
                continue;
            }
            break;
        }
        // A trailing particle left by the trimming ("of"), and a role that introduces
        // the next name ("US President | Donald Trump").
        while b > a && (!self.tokens[b - 1].cap || self.cue(b - 1) & cue::ROLE != 0) {
            b -= 1;
        }
        if a >= b {
            return;
        }
        person_cue |= self.person_cue_before(a);
        let name_start = title_at.unwrap_or(a);
        // 2. The whole run is a known place or people.
        // A title makes a person ("M. Paris"); a role does not ("Президент России").
        if b - a <= self.kb.max_place_words && self.place(a, b).is_some() && title_at.is_none() {
            return self.push(out, a, b, Kind::Location, true);
        }
        if b - a == 1 && self.calendar(a) {
            return;
        }
        if b - a == 1 && self.people(a) {
            // CoNLL-style English counts peoples as names; elsewhere they are adjectives
            // and nouns of the language.
            if self.lang == "en" {
                self.push(out, a, b, Kind::Misc, true);
            }
            return;
        }
        // 3. Organisations known by name, then head words.
        if b - a == 1 && self.cue(a) & cue::ORG != 0 {
            return self.push(out, a, b, Kind::Organisation, true);
        }
        if let Some(h) = (a..b).find(|&i| self.cue(i) & cue::ORG_HEAD != 0) {
            let b = self.org_complement(b);
            // A head word alone is a common noun ("le Conseil", "die Kommission").
            if b - a == 1 && h == a && self.cue(a) & cue::ORG_HEAD != 0 && self.zipf(a) >= 30 {
                return;
            }
            return self.push(out, a, b, Kind::Organisation, true);
        }
        if self.cue(a) & cue::LOC_WORD != 0 || self.cue(b - 1) & cue::LOC_WORD != 0 {
            if b - a == 1 && self.zipf(a) >= 30 {
                return;
            }
            return self.push(out, a, b, Kind::Location, true);
        }
        // 4. Persons.
        let first_name = self.first_name(a) && b - a >= 2;
        let initial = self.is_initial(a) && b - a >= 2;
        if b - a == 1 && self.is_initial(a) {
            return;
        }
        if person_cue || first_name || initial {
            return self.push(out, name_start, b, Kind::Person, true);
        }
        // 5. What is left: drop ordinary words at the edges, then guess.
        let common = |i: usize| {
            let limit = if self.nouns_capitalised {
                COMMON_NOUN
            } else {
                COMMON_INSIDE
            };
            let limit = if self.tokens[i].sent_start {
                COMMON_AT_START
            } else {
                limit
            };
            let singular = self.folded[i]
                .strip_suffix('s')
                .map_or(0, |w| self.kb.zipf(self.lang, w));
            // "Etat-major": a compound of ordinary words.
            let compound = self.folded[i].contains('-')
                && self.folded[i]
                    .split('-')
                    .all(|p| self.kb.zipf(self.lang, p) >= COMMON_AT_START);
            // "Democrats", "Trustees": the plural of an ordinary noun.
            let plural =
                !self.nouns_capitalised && singular >= 35 && !self.kb.is_surname(&self.folded[i]);
            (compound || plural || self.zipf(i).max(singular) >= limit)
                && !self.named_here.contains(&self.folded[i])
                && !self.known_name(i)
                && !self.acronym(i)
        };
        while a < b && common(a) {
            a += 1;
        }
        while b > a && common(b - 1) {
            b -= 1;
        }
        while b > a && !self.tokens[b - 1].cap {
            b -= 1;
        }
        while a < b && !self.tokens[a].cap {
            a += 1;
        }
        if a >= b {
            return;
        }
        if self.place(a, b).is_some() {
            return self.push(out, a, b, Kind::Location, true);
        }
        if b - a == 1 && self.acronym(a) {
            return self.push(out, a, b, Kind::Organisation, false);
        }
        if b - a == 1 && a > 0 && self.cue(a - 1) & cue::LOC_PREP != 0 {
            return self.push(out, a, b, Kind::Location, false);
        }
        // An unknown word opening a sentence, or any unknown word in a language that
        // capitalises nouns, is a name only if the document names it elsewhere.
        let guess_only = self.nouns_capitalised || (b - a == 1 && self.tokens[a].sent_start);
        out.push(Mention {
            start: self.tokens[a].start,
            end: self.tokens[b - 1].end,
            kind: Kind::Person,
            place: None,
            sure: false,
        });
        if guess_only {
            if let Some(m) = out.last_mut() {
                m.place = Some(GUESS_ONLY);
            }
        }
    }

    /// A first name after a word that is neither a first name nor an initial nor a
    /// title, followed by a capitalised word: the start of a second name in a run.
    fn starts_full_name(&self, k: usize) -> bool {
        self.first_name(k)
            && !self.first_name(k - 1)
            && !self.is_initial(k - 1)
            && self.cue(k - 1) & cue::TITLE == 0
            && self.tokens[k - 1].cap
            && self.tokens[k + 1].cap
            && (self.zipf(k - 1) < 50
                || self.cue(k - 1) & (cue::ORG | cue::ROLE) != 0
                || self.single_place(k - 1).is_some())
            && self.kb.places_named(&self.key(k - 1, k + 1)).is_empty()
    }

    /// An acronym: two to six capitals, outside a headline.
    fn acronym(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        let w = self.word(i);
        let letters = t.letters as usize;
        let roman = w
            .chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'));
        t.upper && !self.shouting[i] && (2..=6).contains(&letters) && !roman
    }

    /// The end of an organisation name whose head ends at `b`, extended over the
    /// lower-case adjectives that follow it in Romance languages ("Conseil fédéral",
    /// "Assemblée nationale", "Banco Central").
    fn org_complement(&self, b: usize) -> usize {
        if !matches!(self.lang, "fr" | "it" | "es" | "pt") {
            return b;
        }
        let mut e = b;
        while e < self.tokens.len() && e < b + 2 {
            let t = &self.tokens[e];
            let f = &self.folded[e];
            if t.kind != TokenKind::Word || t.cap || !is_romance_adjective(f) {
                break;
            }
            e += 1;
        }
        e
    }

    /// A lone word that is the last word of a person named earlier is that person.
    fn resolve_surnames(&self, mentions: &mut Vec<Mention>) {
        let mut surnames: FxHashMap<String, Kind> = FxHashMap::default();
        for m in mentions.iter() {
            let s = &self.text[m.start..m.end];
            if m.kind == Kind::Person && m.sure && s.contains(' ') {
                if let Some(last) = s.rsplit(' ').next() {
                    surnames.insert(fold(last), Kind::Person);
                }
            }
        }
        for m in mentions.iter_mut() {
            if m.sure {
                continue;
            }
            let s = fold(&self.text[m.start..m.end]);
            if let Some(k) = surnames.get(&s) {
                m.kind = *k;
                m.sure = true;
                m.place = None;
            }
        }
        if surnames.is_empty() {
            return;
        }
        // Surnames the first pass dropped as ordinary words ("Poutine a dit" opens a
        // sentence, and the word is frequent because the press names him so often).
        let mut added = Vec::new();
        let mut covered = mentions.iter().map(|m| (m.start, m.end)).peekable();
        for (i, t) in self.tokens.iter().enumerate() {
            while covered.next_if(|&(_, e)| e <= t.start).is_some() {}
            if covered.peek().is_some_and(|&(s, _)| s <= t.start) {
                continue;
            }
            if t.cap && surnames.contains_key(&self.folded[i]) {
                added.push(Mention {
                    start: t.start,
                    end: t.end,
                    kind: Kind::Person,
                    place: None,
                    sure: true,
                });
            }
        }
        if !added.is_empty() {
            mentions.extend(added);
            mentions.sort_by_key(|m| m.start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str, lang: &str) -> Vec<(String, &'static str)> {
        recognize(text, lang)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.kind.label()))
            .collect()
    }

    #[test]
    fn persons_places_and_organisations_in_french() {
        let got = labels(
            "Le président ukrainien Volodymyr Zelensky a rencontré à Kiev le ministère des Affaires étrangères.",
            "fr",
        );
        assert_eq!(
            got,
            [("Volodymyr Zelensky".into(), "PER"), ("Kiev".into(), "LOC"),]
        );
    }

    #[test]
    fn headline_capitals_use_the_knowledge_base() {
        let got = labels(
            "SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .",
            "en",
        );
        assert_eq!(got, [("JAPAN".into(), "LOC"), ("CHINA".into(), "LOC")]);
    }

    #[test]
    fn a_common_word_written_as_a_name_throughout_is_a_name() {
        let text = "Trump arrive. Les électeurs de Trump votent. Selon Trump, tout va bien.";
        let got = labels(text, "fr");
        assert!(got.contains(&("Trump".into(), "PER")), "{got:?}");
        let text = "La Maison reste fermée. Une maison vide.";
        assert!(labels(text, "fr").is_empty());
    }

    #[test]
    fn a_famous_surname_alone_is_a_name() {
        let got = labels("Mercredi, Poutine a parlé devant les députés.", "fr");
        assert_eq!(got, [("Poutine".into(), "PER")]);
        let got = labels("Yesterday Trump spoke in Ohio.", "en");
        assert!(got.contains(&("Trump".into(), "PER")), "{got:?}");
    }

    #[test]
    fn the_context_picks_the_place() {
        let kb = kb();
        let moscow = |text: &str| {
            let m = recognize(text, "en");
            kb.place(m[0].place.expect("a known place")).country
        };
        assert_eq!(moscow("Moscow is cold."), "RU");
        assert_eq!(moscow("Moscow, Idaho, is a college town."), "US");
    }

    #[test]
    fn a_role_between_two_names_belongs_to_neither() {
        let got = labels(
            "US President Donald Trump met German Chancellor Olaf Scholz.",
            "en",
        );
        assert!(got.contains(&("Donald Trump".into(), "PER")), "{got:?}");
        assert!(got.contains(&("Olaf Scholz".into(), "PER")), "{got:?}");
        assert!(
            got.iter()
                .all(|(s, _)| !s.contains("President") && !s.contains("Chancellor")),
            "{got:?}"
        );
        let got = labels("Президент России Владимир Путин провёл переговоры.", "ru");
        assert!(got.contains(&("России".into(), "LOC")), "{got:?}");
        assert!(got.contains(&("Владимир Путин".into(), "PER")), "{got:?}");
    }

    #[test]
    fn inflected_russian_places() {
        let got = labels("Акция прошла в Москве у здания мэрии.", "ru");
        assert_eq!(got, [("Москве".into(), "LOC")]);
    }
}
