//! Dates as pages write them: machine forms (ISO 8601, RFC 2822) and datelines in many
//! languages ("19 déc. 2022 à 17:53", "19. Dezember 2022, 17.53 Uhr", "Dec. 19, 2022 5:53 p.m.").
//! A zone written after the time ("5:53 p.m. ET", "17.53 Uhr MEZ") sets the offset;
//! without one, the site's zone does ([`super::zone`]).

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use regex::Regex;

use super::zone;

/// Month names and abbreviations, by month, across the languages Vigie reads.
/// Sources: Unicode CLDR month names (format and stand-alone, wide and abbreviated).
const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "jan",
        "janvier",
        "janv",
        "januar",
        "jänner",
        "jän",
        "enero",
        "ene",
        "gennaio",
        "gen",
        "janeiro",
        "januari",
        "stycznia",
        "styczeń",
        "sty",
        "января",
        "январь",
        "янв",
        "січня",
        "січень",
        "січ",
    ],
    &[
        "february",
        "feb",
        "février",
        "fevrier",
        "févr",
        "fév",
        "februar",
        "febrero",
        "febbraio",
        "fevereiro",
        "fev",
        "februari",
        "lutego",
        "luty",
        "lut",
        "февраля",
        "февраль",
        "фев",
        "лютого",
        "лютий",
        "лют",
    ],
    &[
        "march",
        "mar",
        "mars",
        "märz",
        "mär",
        "mrz",
        "marzo",
        "março",
        "marco",
        "maart",
        "mrt",
        "marca",
        "marzec",
        "марта",
        "март",
        "мар",
        "березня",
        "березень",
        "бер",
    ],
    &[
        "april",
        "apr",
        "avril",
        "avr",
        "abril",
        "abr",
        "aprile",
        "kwietnia",
        "kwiecień",
        "kwi",
        "апреля",
        "апрель",
        "апр",
        "квітня",
        "квітень",
        "кві",
    ],
    &[
        "may",
        "mai",
        "mayo",
        "maggio",
        "mag",
        "maio",
        "mei",
        "maja",
        "maj",
        "мая",
        "май",
        "травня",
        "травень",
        "тра",
    ],
    &[
        "june",
        "jun",
        "juin",
        "juni",
        "junio",
        "giugno",
        "giu",
        "junho",
        "czerwca",
        "czerwiec",
        "cze",
        "июня",
        "июнь",
        "июн",
        "червня",
        "червень",
        "чер",
    ],
    &[
        "july",
        "jul",
        "juillet",
        "juil",
        "juli",
        "julio",
        "luglio",
        "lug",
        "julho",
        "lipca",
        "lipiec",
        "lip",
        "июля",
        "июль",
        "июл",
        "липня",
        "липень",
        "лип",
    ],
    &[
        "august",
        "aug",
        "août",
        "aout",
        "agosto",
        "ago",
        "augustus",
        "sierpnia",
        "sierpień",
        "sie",
        "августа",
        "август",
        "авг",
        "серпня",
        "серпень",
        "сер",
    ],
    &[
        "september",
        "sept",
        "sep",
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "set",
        "setembro",
        "września",
        "wrzesień",
        "wrz",
        "сентября",
        "сентябрь",
        "сен",
        "вересня",
        "вересень",
        "вер",
    ],
    &[
        "october",
        "oct",
        "octobre",
        "oktober",
        "okt",
        "octubre",
        "ottobre",
        "ott",
        "outubro",
        "out",
        "października",
        "październik",
        "paź",
        "октября",
        "октябрь",
        "окт",
        "жовтня",
        "жовтень",
        "жов",
    ],
    &[
        "november",
        "nov",
        "novembre",
        "noviembre",
        "novembro",
        "listopada",
        "listopad",
        "lis",
        "ноября",
        "ноябрь",
        "ноя",
        "листопада",
        "листопад",
        "лис",
    ],
    &[
        "december",
        "dec",
        "décembre",
        "decembre",
        "déc",
        "dezember",
        "dez",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
        "grudnia",
        "grudzień",
        "gru",
        "декабря",
        "декабрь",
        "дек",
        "грудня",
        "грудень",
        "гру",
    ],
];

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_lowercase();
    let lower = lower.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|names| names.contains(&lower))
        .map(|i| i as u32 + 1)
}

// Digits are ASCII `[0-9]` in these patterns: the numbers are read with `str::parse`,
// which reads no other, and Unicode's `\d` (some seven hundred digits) made building
// the dateline regex, once per process, cost as much as extracting forty pages.
static DATELINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&dateline_pattern()).expect("valid dateline regex"));

/// A looser `DATELINE`: any run of letters for a month name, no word boundaries, no time
/// of day. It matches wherever a `DATELINE` match starts (and in more places), and,
/// small and without look-around, the regex crate runs it with its lazy DFA on any
/// text, cheaply. A window where it finds nothing holds no dateline.
static DATELINE_LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:[0-9]{1,2}(?:er|\.|º|°)?\s*(?:de\s+)?\pL+\.?,?\s*(?:de\s+)?(?:19|20)[0-9]{2}|\pL+\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)[0-9]{2}|(?:19|20)[0-9]{2}-[0-9]{1,2}-[0-9]{1,2}|\pL?[0-9]{1,2}[./-][0-9]{1,2}[./-](?:19|20)[0-9]{2})",
    )
    .expect("valid loose dateline regex")
});

fn dateline_pattern() -> String {
    let mut names: Vec<&str> = MONTHS.iter().flat_map(|m| m.iter().copied()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let months = names.join("|");
    // A zone abbreviation after the time ("5:53 p.m. ET", "17.53 Uhr MEZ", "(GMT+1)"),
    // in capitals only: "et" is a French word.
    let zones = zone::ABBREVIATIONS.join("|");
    let time = format!(
        r"(?:\s*(?:,|à|a las|a la|um|at|alle|às|as|om|o|в|о|-|–|—|\||/)?\s*(?P<h>[0-9]{{1,2}})\s*(?::|h|\.)\s*(?P<mi>[0-9]{{2}})(?:[:.][0-9]{{2}})?(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?(?:\s*uhr)?(?:\s*\(?(?-i:(?P<tz>{zones}))(?P<tzo>[+-][0-9]{{1,2}}(?::?[0-9]{{2}})?)?\b)?)?"
    );
    // A numeric date may touch the words around it, as text glued from adjacent
    // elements reads ("Karrasch3.11.2023", "27.01.2022MineralölINFO"); a digit
    // after the year is checked in code (the regex crate has no look-around).
    format!(
        r"(?i)(?:\b(?P<d1>[0-9]{{1,2}})(?:er|\.|º|°)?\s*(?:de\s+)?(?P<m1>{months})\b\.?,?\s*(?:de\s+)?(?P<y1>(?:19|20)[0-9]{{2}})\b(?:\s*(?:г|р)\.)?|\b(?P<m2>{months})\b\.?\s+(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)[0-9]{{2}})\b|\b(?P<y3>(?:19|20)[0-9]{{2}})-(?P<mo3>[0-9]{{1,2}})-(?P<d3>[0-9]{{1,2}})\b|(?:\b|\pL)(?P<d4>[0-9]{{1,2}})[./-](?P<mo4>[0-9]{{1,2}})[./-](?P<y4>(?:19|20)[0-9]{{2}})){time}"
    )
}

/// The longest month name, in characters.
const LONGEST_MONTH: usize = {
    let mut longest = 0;
    let mut m = 0;
    while m < MONTHS.len() {
        let mut i = 0;
        while i < MONTHS[m].len() {
            // Characters, counted as UTF-8 lead bytes.
            let bytes = MONTHS[m][i].as_bytes();
            let mut chars = 0;
            let mut b = 0;
            while b < bytes.len() {
                if bytes[b] & 0xC0 != 0x80 {
                    chars += 1;
                }
                b += 1;
            }
            if chars > longest {
                longest = chars;
            }
            i += 1;
        }
        m += 1;
    }
    longest
};

/// The same matches as `DATELINE.captures_iter(text)`, found without running the regex
/// over the whole text (its Unicode word boundaries make the regex crate fall back to
/// its slowest engines on non-ASCII text, at a cost of thousands of instructions a byte).
///
/// Every match holds a year, `19` or `20` and two digits, and is bounded in length
/// around it: at most `before` bytes precede the year and `after` bytes follow its
/// start (every character at most 4 bytes, every run of white space at most the text's
/// longest). The regex runs only on windows around each `19`/`20`, merged when they
/// overlap or nearly touch; a window ends a character past any match it can hold, so
/// the word boundary after a match sees what it would in the whole text, and the
/// search starts with `captures_at`, which sees the text before the window.
fn dateline_captures(text: &str) -> Vec<regex::Captures<'_>> {
    let bytes = text.as_bytes();
    // The longest run of white space (in bytes) bounds every `\s*` and `\s+`.
    let mut ws = 0;
    let mut run = 0;
    let mut years = Vec::new();
    let mut prev = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            run += c.len_utf8();
            ws = ws.max(run);
        } else {
            run = 0;
        }
        if ((c == '1' && bytes.get(i + 1) == Some(&b'9'))
            || (c == '2' && bytes.get(i + 1) == Some(&b'0')))
            && is_year_at(text, i, prev)
        {
            years.push(i);
        }
        prev = Some(c);
    }
    let mut out = Vec::new();
    if years.is_empty() {
        return out;
    }
    // Day, suffix, "de", month, punctuation and "de" before a year (four runs of white
    // space); the year, "г."/"р." (Russian, Ukrainian: "year"), "-mm-dd", the time of
    // day with its words, "uhr" and a zone ("(", a name, "+01:00") after it (ten runs),
    // and one character of look-ahead.
    let before = 2 * 4 + 2 * 4 + 2 * 4 + LONGEST_MONTH * 4 + 2 + 2 * 4 + 4 * ws + 16;
    let after = 4 * 4
        + 2
        + 1
        + 1
        + 2 * 4
        + 1
        + 2 * 4
        + 5 * 4
        + 2 * 4
        + 4
        + 3 * 4
        + 3 * 4
        + 3 * 4
        + 3 * 4
        + 1
        + 4
        + 6
        + 10 * ws
        + 4
        + 16;
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for y in years {
        let start = y.saturating_sub(before);
        let end = (y + after).min(text.len());
        match windows.last_mut() {
            Some(last) if start <= last.1 + 4 => last.1 = last.1.max(end),
            _ => windows.push((start, end)),
        }
    }
    let mut pos = 0;
    for (start, end) in windows {
        let start = floor_char_boundary(text, start).max(pos);
        let end = ceil_char_boundary(text, end);
        let hay = &text[..end];
        let mut at = start;
        while at < end {
            // Every dateline in the window starts at or after the first loose match.
            let Some(loose) = DATELINE_LOOSE.find(&hay[at..]) else {
                break;
            };
            at += loose.start();
            let Some(c) = DATELINE.captures_at(hay, at) else {
                break;
            };
            let whole = c.get(0).expect("group 0 always matches");
            at = if whole.end() > whole.start() {
                whole.end()
            } else {
                whole.end() + 1
            };
            pos = whole.end();
            out.push(c);
        }
    }
    out
}

/// Whether the `19`/`20` at `i` (after `prev`) can be the year of a dateline: two
/// digits follow (`is_numeric` takes in the regex's `[0-9]` and more), and either a
/// dash follows them (`2022-12-19`) or the year follows white space or `,./-`, as it
/// does after a month name, a day or "de" (`19 déc. 2022`, `Dec 19, 2022`,
/// `19.12.2022`). Prose numbers ("2019er", "(2020)", "12345") are not.
fn is_year_at(text: &str, i: usize, prev: Option<char>) -> bool {
    let mut rest = text[i + 2..].chars();
    if !(rest.next().is_some_and(char::is_numeric) && rest.next().is_some_and(char::is_numeric)) {
        return false;
    }
    rest.next() == Some('-')
        || prev.is_some_and(|p| p.is_whitespace() || matches!(p, ',' | '.' | '/' | '-'))
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A date found in text, with where it was and what it said.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundDate {
    /// Byte offset of the match in the text.
    pub start: usize,
    /// Byte offset just past the match.
    pub end: usize,
    /// The time, in the zone given (or UTC when none).
    pub value: DateTime<FixedOffset>,
    /// The text gave a time of day, not just a day.
    pub has_time: bool,
}

/// Finds every dateline in `text`. Times without an offset are read in `zone` (UTC if none);
/// numeric day/month order follows `lang` ("en": month first unless impossible).
pub fn find_in_text(text: &str, lang: Option<&str>, zone: Option<Tz>) -> Vec<FoundDate> {
    let mut out = Vec::new();
    for c in dateline_captures(text) {
        let g = |n: &str| c.name(n).map(|m| m.as_str());
        let num = |n: &str| g(n).and_then(|s| s.parse::<u32>().ok());
        let (y, m, d) = if let Some(y) = num("y1") {
            (y, g("m1").and_then(month_number), num("d1"))
        } else if let Some(y) = num("y2") {
            (y, g("m2").and_then(month_number), num("d2"))
        } else if let Some(y) = num("y3") {
            (y, num("mo3"), num("d3"))
        } else if let Some(y) = num("y4") {
            let after_year = c.name("y4").map_or(0, |m| m.end());
            if text[after_year..].starts_with(|ch: char| ch.is_ascii_digit()) {
                continue;
            }
            let (a, b) = (num("d4"), num("mo4"));
            if lang == Some("en") && b.is_some_and(|b| b <= 12) && a.is_some_and(|a| a <= 12) {
                (y, a, b)
            } else {
                (y, b, a)
            }
        } else {
            continue;
        };
        let (Some(m), Some(d)) = (m, d) else { continue };
        let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) else {
            continue;
        };
        let clock = match (num("h"), num("mi")) {
            (Some(h), Some(mi)) => time_of_day(h, mi, g("ap")),
            _ => None,
        };
        let has_time = clock.is_some();
        let time = clock.unwrap_or(NaiveTime::MIN);
        let whole = c.get(0).expect("group 0 always matches");
        // A letter glued before a numeric date is not part of it.
        let start = c
            .name("d4")
            .map_or(whole.start(), |d| d.start().min(whole.end()));
        let end = if has_time {
            whole.end()
        } else {
            c.name("y1")
                .or(c.name("y2"))
                .or(c.name("d3"))
                .or(c.name("y4"))
                .map_or(whole.end(), |m| m.end())
        };
        // A zone written after the time beats the site's.
        let value = match g("tz").filter(|_| has_time) {
            Some(tz) => zone::abbreviated_offset(tz, g("tzo"), date.and_time(time)),
            None => localize(date.and_time(time), zone),
        };
        if let Some(value) = value {
            out.push(FoundDate {
                start,
                end,
                value,
                has_time,
            });
        }
    }
    out
}

/// A time of day from an hour, a minute and "a"/"p" (a.m., p.m.) when the clock has 12 hours.
pub(crate) fn time_of_day(mut h: u32, mi: u32, ap: Option<&str>) -> Option<NaiveTime> {
    match ap.map(|s| s.to_ascii_lowercase()).as_deref() {
        Some("p") if h < 12 => h += 12,
        Some("a") if h == 12 => h = 0,
        _ => {}
    }
    NaiveTime::from_hms_opt(h, mi, 0)
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)[0-9]{2})[/-]([0-9]{1,2})[/-]([0-9]{1,2})(?:/|-|$)")
        .expect("valid URL date regex")
});

static URL_DATE_DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/([0-9]{2})-([0-9]{2})-((?:19|20)[0-9]{2})(?:/|-|\.|$)")
        .expect("valid URL date regex")
});

/// The day a URL path gives (`/2022/12/19/`, `/2022-12-19-`, day first as European
/// sites write it: `/meldungen/29-10-2021`), at midnight in `zone`.
pub fn find_in_url(url: &str, zone: Option<Tz>) -> Option<DateTime<FixedOffset>> {
    let (y, m, d) = if let Some(c) = URL_DATE.captures(url) {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        (num(1)?, num(2)?, num(3)?)
    } else {
        let c = URL_DATE_DMY.captures(url)?;
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        (num(3)?, num(2)?, num(1)?)
    };
    let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
    localize(date.and_time(NaiveTime::MIN), zone).filter(plausible)
}

/// A time given in UTC, shown in the site's zone when it is known: the same instant, on
/// the calendar day the publication's readers saw (23:04Z is the next day in Berlin).
pub fn to_site_zone(d: DateTime<FixedOffset>, zone: Option<Tz>) -> DateTime<FixedOffset> {
    match zone {
        Some(tz) if d.offset().local_minus_utc() == 0 => d.with_timezone(&tz).fixed_offset(),
        _ => d,
    }
}

/// A publication date news can have: from 1990 to a day after now.
pub fn plausible(d: &DateTime<FixedOffset>) -> bool {
    let year = d.format("%Y").to_string().parse::<i32>().unwrap_or(0);
    year >= 1990 && *d <= chrono::Utc::now().fixed_offset() + chrono::Duration::days(1)
}

/// Reads a naive time in `zone` (UTC when unknown).
pub fn localize(naive: NaiveDateTime, zone: Option<Tz>) -> Option<DateTime<FixedOffset>> {
    match zone {
        Some(tz) => tz
            .from_local_datetime(&naive)
            .earliest()
            .map(|d| d.fixed_offset()),
        None => Some(naive.and_utc().fixed_offset()),
    }
}

/// Parses a machine-written date (ISO 8601 / RFC 3339 variants, RFC 2822, a bare day,
/// or a textual dateline as a last resort).
pub fn parse_machine(s: &str, zone: Option<Tz>) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%.f %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    let t = s.trim_end_matches('Z');
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y%m%dT%H%M%S",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            let zone = if s.ends_with('Z') { None } else { zone };
            return localize(n, zone);
        }
    }
    // Day-first with dashes ("06-08-2009T14:12:32+0200", "01-11-2023 10:29"), and
    // slashes month-first: machine-written slash dates come from US-locale defaults
    // (.NET, JavaScript), "11/01/2023 12:43:42" is the 1st of November.
    for fmt in ["%d-%m-%YT%H:%M:%S%z", "%d-%m-%YT%H:%M:%S%:z"] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    for fmt in [
        "%d-%m-%YT%H:%M:%S",
        "%d-%m-%Y %H:%M:%S",
        "%d-%m-%Y %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            return localize(n, zone);
        }
    }
    for fmt in [
        "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d.%m.%Y", "%d-%m-%Y", "%m/%d/%Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
            return localize(d.and_time(NaiveTime::MIN), zone);
        }
    }
    broken_iso(s, zone).or_else(|| {
        find_in_text(s, None, zone)
            .into_iter()
            .next()
            .map(|f| f.value)
    })
}

static BROKEN_ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:19|20)[0-9]{2})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2}))?")
        .expect("valid ISO prefix regex")
});

/// Builds this module's regular expressions now (see [`crate::warm_up`]).
pub(crate) fn warm_up() {
    for re in [
        &DATELINE,
        &DATELINE_LOOSE,
        &URL_DATE,
        &URL_DATE_DMY,
        &BROKEN_ISO,
    ] {
        LazyLock::force(re);
    }
}

/// An ISO date whose tail is malformed ("2022-01-10T22:06:08:684Z"): the day and the
/// minute it starts with are still right.
fn broken_iso(s: &str, zone: Option<Tz>) -> Option<DateTime<FixedOffset>> {
    let c = BROKEN_ISO.captures(s)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(num(1)? as i32, num(2)?, num(3)?)?;
    let time = match (num(4), num(5)) {
        (Some(h), Some(m)) => NaiveTime::from_hms_opt(h, m, 0)?,
        _ => NaiveTime::MIN,
    };
    let zone = if s.ends_with('Z') { None } else { zone };
    localize(date.and_time(time), zone)
}

/// Words that say a nearby date is an update, not the first publication.
const UPDATE_MARKERS: &[&str] = &[
    "mis à jour",
    "mise à jour",
    "actualisé",
    "modifié",
    "updated",
    "update",
    "last modified",
    "aktualisiert",
    "zuletzt geändert",
    "actualizado",
    "actualización",
    "aggiornato",
    "aggiornamento",
    "atualizado",
    "atualização",
    "bijgewerkt",
    "gewijzigd",
    "zaktualizowano",
    "aktualizacja",
    "обновлено",
    "обновлен",
    "оновлено",
];

/// True when the words just before a date mark it as an update time.
pub fn is_update_context(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = tail.to_lowercase();
    // The marker must be the last one before the date: "Publié le X Mis à jour le Y".
    let last_update = UPDATE_MARKERS.iter().filter_map(|m| tail.rfind(m)).max();
    let last_publish = [
        "publié",
        "published",
        "veröffentlicht",
        "publicado",
        "pubblicato",
        "gepubliceerd",
        "opublikowano",
        "опубликовано",
        "опубліковано",
        "posted",
    ]
    .iter()
    .filter_map(|m| tail.rfind(m))
    .max();
    match (last_update, last_publish) {
        (Some(u), Some(p)) => u > p,
        (Some(_), None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str, lang: &str) -> String {
        let zone = zone::zone_for(None, Some(lang));
        find_in_text(text, Some(lang), zone)
            .first()
            .map(|f| f.value.to_rfc3339())
            .unwrap_or_default()
    }

    #[test]
    fn datelines_in_many_languages() {
        // Les Echos, 2022 (the seed page).
        assert_eq!(
            first("Publié le 19 déc. 2022 à 17:53", "fr"),
            "2022-12-19T17:53:00+01:00"
        );
        // Süddeutsche-style German dateline.
        assert_eq!(
            first("19. Dezember 2022, 17.53 Uhr", "de"),
            "2022-12-19T17:53:00+01:00"
        );
        // AP-style English dateline; "ET" is New York's time (winter: -05:00).
        assert_eq!(
            first("Dec. 19, 2022 5:53 p.m. ET", "en"),
            "2022-12-19T17:53:00-05:00"
        );
        // Soy502 (Guatemala): "21 de abril de 2022, 14:32" (trafilatura-eval-dev page
        // 0030); in the site's zone when it names none (es: Madrid).
        assert_eq!(
            first("21 de abril de 2022, 14:32", "es"),
            "2022-04-21T14:32:00+02:00"
        );
        // El Mundo: "Actualizado Lunes, 19 diciembre 2022 - 17:53", the time after a dash.
        assert_eq!(
            first("Actualizado Lunes, 19 diciembre 2022 - 17:53", "es"),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            first("19 de diciembre de 2022 - 17:53", "es"),
            "2022-12-19T17:53:00+01:00"
        );
        // El Tiempo (Colombia): "04 de mayo 2022, 12:00 A. M." (page 0618): midnight.
        assert_eq!(
            first("04 de mayo 2022, 12:00 A. M.", "es"),
            "2022-05-04T00:00:00+02:00"
        );
        // Il Fatto Quotidiano: "Giustizia & Impunità - 8 Agosto 2024" (a day, no time).
        assert_eq!(
            first("Giustizia & Impunità - 8 Agosto 2024", "it"),
            "2024-08-08T00:00:00+02:00"
        );
        // Italian WordPress sites: post and comment dates "%1$s alle %2$s"
        // (the it_IT translation of "%1$s at %2$s").
        assert_eq!(
            first("19 dicembre 2022 alle 17:53", "it"),
            "2022-12-19T17:53:00+01:00"
        );
        // Energetyka24: "11 maja 2021, 11:49" (trafilatura-eval-dev page 0203).
        assert_eq!(
            first("11 maja 2021, 11:49", "pl"),
            "2021-05-11T11:49:00+02:00"
        );
        assert_eq!(
            first("19 grudnia 2022, 17:53", "pl"),
            "2022-12-19T17:53:00+01:00"
        );
        // moment.js "ru" long format "D MMMM YYYY г., H:mm" (dates that sites format in
        // the browser), and the same without "г.".
        assert_eq!(
            first("19 декабря 2022 г., 17:53", "ru"),
            "2022-12-19T17:53:00+03:00"
        );
        assert_eq!(
            first("19 декабря 2022, 17:53", "ru"),
            "2022-12-19T17:53:00+03:00"
        );
        // moment.js "uk": long format "D MMMM YYYY р., HH:mm"; "о" before the hour, as
        // its calendar strings write it ("Вчора о 17:53").
        assert_eq!(
            first("19 грудня 2022 р., 17:53", "uk"),
            "2022-12-19T17:53:00+02:00"
        );
        assert_eq!(
            first("19 грудня 2022 о 17:53", "uk"),
            "2022-12-19T17:53:00+02:00"
        );
        assert_eq!(first("19/12/2022", "fr"), "2022-12-19T00:00:00+01:00");
        // Summer time in Paris.
        assert_eq!(
            first("3 juillet 2023 à 08h15", "fr"),
            "2023-07-03T08:15:00+02:00"
        );
    }

    #[test]
    fn zone_abbreviations_after_the_time() {
        // US sites (AP style) name the zone: "ET" follows New York's summer time.
        assert_eq!(
            first("Dec. 19, 2022 5:53 p.m. ET", "en"),
            "2022-12-19T17:53:00-05:00"
        );
        assert_eq!(
            first("July 3, 2023 5:53 p.m. ET", "en"),
            "2023-07-03T17:53:00-04:00"
        );
        assert_eq!(
            first("Updated 7:02 AM EST, December 20, 2022", "en"),
            "2022-12-20T00:00:00+00:00"
        );
        assert_eq!(
            first("December 20, 2022 7:02 AM EST", "en"),
            "2022-12-20T07:02:00-05:00"
        );
        assert_eq!(
            first("July 3, 2023 at 8:15 a.m. PT", "en"),
            "2023-07-03T08:15:00-07:00"
        );
        assert_eq!(
            first("July 3, 2023, 8:15 CT", "en"),
            "2023-07-03T08:15:00-05:00"
        );
        // The zone beats the site's: a German page quoting UK or Moscow time.
        assert_eq!(
            first("19. Dezember 2022, 17:53 Uhr GMT", "de"),
            "2022-12-19T17:53:00+00:00"
        );
        assert_eq!(
            first("19. Dezember 2022, 17:53 UTC", "de"),
            "2022-12-19T17:53:00+00:00"
        );
        assert_eq!(
            first("3. Juli 2023, 17:53 Uhr MESZ", "de"),
            "2023-07-03T17:53:00+02:00"
        );
        assert_eq!(
            first("19.12.2022 17:53 MEZ", "fr"),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            first("3 July 2023, 17:53 BST", "en"),
            "2023-07-03T17:53:00+01:00"
        );
        assert_eq!(
            first("19 декабря 2022, 17:53 MSK", "uk"),
            "2022-12-19T17:53:00+03:00"
        );
        assert_eq!(
            first("19 dic 2022 - 17:53 CET", "en"),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            first("19 dic 2022 - 17:53 (GMT+2)", "en"),
            "2022-12-19T17:53:00+02:00"
        );
        assert_eq!(
            first("3 juillet 2023 à 17:53 CEST", "fr"),
            "2023-07-03T17:53:00+02:00"
        );
        // Lower case is a word, not a zone ("et" is French for "and"); a zone with
        // letters glued after it is not one either.
        assert_eq!(
            first("19 déc. 2022 à 17:53 et mis à jour", "fr"),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            first("19 déc. 2022 à 17:53 ETAT", "fr"),
            "2022-12-19T17:53:00+01:00"
        );
    }

    #[test]
    fn more_dateline_forms() {
        // WordPress German default ("16. Mai 2019"), with a weekday (Cicero-style
        // "Di, 21. April 2020 - 16:40").
        assert_eq!(
            first("Di, 21. April 2020 - 16:40", "de"),
            "2020-04-21T16:40:00+02:00"
        );
        // English WordPress default ("September 17, 2019").
        assert_eq!(
            first("September 17, 2019", "en"),
            "2019-09-17T00:00:00+00:00"
        );
        // Dutch (NOS-style "19 december 2022, 17:53").
        assert_eq!(
            first("19 december 2022, 17:53", "nl"),
            "2022-12-19T17:53:00+01:00"
        );
        // Portuguese (Público-style "19 de dezembro de 2022, 17:53").
        assert_eq!(
            first("19 de dezembro de 2022, 17:53", "pt"),
            "2022-12-19T17:53:00+00:00"
        );
        // Day-first with dashes, and numeric dates glued to neighbouring text, as text
        // from adjacent <span>s reads ("Autorin3.11.2023", "27.01.2022Meldung").
        assert_eq!(first("01-11-2023 10:29", "de"), "2023-11-01T10:29:00+01:00");
        assert_eq!(
            first("Karrasch3.11.2023", "de"),
            "2023-11-03T00:00:00+01:00"
        );
        assert_eq!(
            first("27.01.2022Meldung", "de"),
            "2022-01-27T00:00:00+01:00"
        );
        assert_eq!(first("Ref. 27.01.20223", "de"), "");
    }

    #[test]
    fn windows_find_what_the_whole_text_finds() {
        let texts = [
            "Publié le 19 déc. 2022 à 17:53 Mis à jour le 20 déc. 2022 à 08:01",
            "Von Anna am 3.11.2023   um  14 : 05   Uhr, 2020 2019-05-06 1920",
            "Karrasch3.11.2023 27.01.2022Meldung Ref. 27.01.20223 20202020 19",
            "Dec.\u{a0}\u{a0}19,\u{2003}2022 \u{a0} 5:53  p. m. ET, сентября 2021, 5 сентября 2021 в 10:15",
            "19 грудня 2022\u{2003}р.,\u{a0} 17:53\u{2003}\u{2003}(GMT+01:00) 2022-12-19 17:53 MESZ 19.12.2022 17.53 Uhr UTC-5 1.1.2020 ETAT",
            "20",
            "",
            "(2019-05-06) x2019-05-06 _2019-05-06 ²2019-05-06 2019-05-06",
            "am 3. März 2020 um 12.30 Uhr, Dezember 2019, 12/05/2019, 12.2019, 12,2019",
            "DÉCEMBRE 19, 2022 ſeptember 5, 2021 5 СЕНТЯБРЯ 2021 В 10:15 Mai,2020 Mai.2020",
        ];
        let long = format!(
            "{} 19 décembre 2022 {} Mai 20, 2021 {}",
            "é ".repeat(300),
            "x".repeat(500),
            "Ü".repeat(40)
        );
        for t in texts.iter().copied().chain([long.as_str()]) {
            let whole: Vec<_> = DATELINE
                .captures_iter(t)
                .map(|c| format!("{c:?}"))
                .collect();
            let windows: Vec<_> = dateline_captures(t)
                .iter()
                .map(|c| format!("{c:?}"))
                .collect();
            assert_eq!(whole, windows, "{t}");
        }
    }

    #[test]
    fn dates_in_urls() {
        // Day-first path segments (German association and ministry sites).
        let d = find_in_url("https://example.de/meldungen/29-10-2021", None).unwrap();
        assert_eq!(d.to_rfc3339(), "2021-10-29T00:00:00+00:00");
        let d = find_in_url(
            "https://www.latimes.com/business/story/2019-11-19/disney-plus",
            None,
        )
        .unwrap();
        assert_eq!(d.to_rfc3339(), "2019-11-19T00:00:00+00:00");
        assert!(find_in_url("https://example.com/2019/11/19/story.html", None).is_some());
        assert!(find_in_url("https://example.com/3019/11/19/", None).is_none());
        assert!(find_in_url("https://example.com/a/b", None).is_none());
    }

    #[test]
    fn update_markers() {
        assert!(is_update_context(
            "Publié le 19 déc. 2022 à 17:53Mis à jour le "
        ));
        assert!(!is_update_context("Publié le "));
        assert!(is_update_context("Aktualisiert am "));
    }

    #[test]
    fn machine_dates() {
        assert_eq!(
            parse_machine("2022-12-19T17:53:00+01:00", None)
                .unwrap()
                .to_rfc3339(),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            parse_machine("2022-12-19T16:53:00.000Z", None)
                .unwrap()
                .to_rfc3339(),
            "2022-12-19T16:53:00+00:00"
        );
        assert_eq!(
            parse_machine("Mon, 19 Dec 2022 17:53:00 +0100", None)
                .unwrap()
                .to_rfc3339(),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            parse_machine("2022-12-19", Some(chrono_tz::Europe::Paris))
                .unwrap()
                .to_rfc3339(),
            "2022-12-19T00:00:00+01:00"
        );
        assert!(parse_machine("not a date", None).is_none());
        // Slash dates in machine fields come from US-locale defaults: month first.
        assert_eq!(
            parse_machine("11/01/2023 12:43:42", None)
                .unwrap()
                .to_rfc3339(),
            "2023-11-01T12:43:42+00:00"
        );
        // hAtom titles with the day first, and an ISO time with a broken tail.
        assert_eq!(
            parse_machine("06-08-2009T14:12:32+0200", None)
                .unwrap()
                .to_rfc3339(),
            "2009-08-06T14:12:32+02:00"
        );
        assert_eq!(
            parse_machine("2022-01-10T22:06:08:684Z", None)
                .unwrap()
                .to_rfc3339(),
            "2022-01-10T22:06:00+00:00"
        );
    }

    #[test]
    fn utc_times_shown_in_the_site_zone() {
        let d = parse_machine("2019-10-18T22:04:00Z", None).unwrap();
        assert_eq!(
            to_site_zone(d, Some(chrono_tz::Europe::Berlin)).to_rfc3339(),
            "2019-10-19T00:04:00+02:00"
        );
        assert_eq!(to_site_zone(d, None), d);
        // A time with its own offset is the site's statement and stays as written.
        let d = parse_machine("2019-10-18T22:04:00-04:00", None).unwrap();
        assert_eq!(to_site_zone(d, Some(chrono_tz::Europe::Berlin)), d);
    }
}
