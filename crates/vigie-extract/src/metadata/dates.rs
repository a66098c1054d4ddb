//! Dates as pages write them: machine forms (ISO 8601, RFC 2822) and datelines in many
//! languages ("19 déc. 2022 à 17:53", "19. Dezember 2022, 17.53 Uhr", "Dec. 19, 2022 5:53 p.m.").

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use regex::Regex;

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

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let mut names: Vec<&str> = MONTHS.iter().flat_map(|m| m.iter().copied()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let months = names.join("|");
    let time = r"(?:\s*(?:,|à|a las|a la|um|at|alle|às|as|om|o|в|о|-|–|—|\||/)?\s*(?P<h>\d{1,2})\s*(?::|h|\.)\s*(?P<mi>\d{2})(?:[:.]\d{2})?(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?(?:\s*uhr)?)?";
    Regex::new(&format!(
        r"(?i)(?:\b(?P<d1>\d{{1,2}})(?:er|\.|º|°)?\s*(?:de\s+)?(?P<m1>{months})\b\.?,?\s*(?:de\s+)?(?P<y1>(?:19|20)\d{{2}})\b|\b(?P<m2>{months})\b\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d{{2}})\b|\b(?P<y3>(?:19|20)\d{{2}})-(?P<mo3>\d{{1,2}})-(?P<d3>\d{{1,2}})\b|\b(?P<d4>\d{{1,2}})[./](?P<mo4>\d{{1,2}})[./](?P<y4>(?:19|20)\d{{2}})\b){time}"
    ))
    .expect("valid dateline regex")
});

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
    for c in DATELINE.captures_iter(text) {
        let g = |n: &str| c.name(n).map(|m| m.as_str());
        let num = |n: &str| g(n).and_then(|s| s.parse::<u32>().ok());
        let (y, m, d) = if let Some(y) = num("y1") {
            (y, g("m1").and_then(month_number), num("d1"))
        } else if let Some(y) = num("y2") {
            (y, g("m2").and_then(month_number), num("d2"))
        } else if let Some(y) = num("y3") {
            (y, num("mo3"), num("d3"))
        } else if let Some(y) = num("y4") {
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
        let mut has_time = false;
        let mut time = NaiveTime::MIN;
        if let (Some(mut h), Some(mi)) = (num("h"), num("mi")) {
            match g("ap").map(|s| s.to_ascii_lowercase()) {
                Some(ap) if ap == "p" && h < 12 => h += 12,
                Some(ap) if ap == "a" && h == 12 => h = 0,
                _ => {}
            }
            if let Some(t) = NaiveTime::from_hms_opt(h, mi, 0) {
                time = t;
                has_time = true;
            }
        }
        let whole = c.get(0).expect("group 0 always matches");
        let end = if has_time {
            whole.end()
        } else {
            c.name("y1")
                .or(c.name("y2"))
                .or(c.name("d3"))
                .or(c.name("y4"))
                .map_or(whole.end(), |m| m.end())
        };
        if let Some(value) = localize(date.and_time(time), zone) {
            out.push(FoundDate {
                start: whole.start(),
                end,
                value,
                has_time,
            });
        }
    }
    out
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
        .expect("valid URL date regex")
});

/// The day a URL path gives (`/2022/12/19/`, `/2022-12-19-`), at midnight in `zone`.
pub fn find_in_url(url: &str, zone: Option<Tz>) -> Option<DateTime<FixedOffset>> {
    let c = URL_DATE.captures(url)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(num(1)? as i32, num(2)?, num(3)?)?;
    localize(date.and_time(NaiveTime::MIN), zone).filter(plausible)
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
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt) {
            return localize(d.and_time(NaiveTime::MIN), zone);
        }
    }
    find_in_text(s, None, zone)
        .into_iter()
        .next()
        .map(|f| f.value)
}

/// The most likely time zone of an article, from its site's country or its language.
pub fn zone_for(host: Option<&str>, lang: Option<&str>) -> Option<Tz> {
    let from_host = host.and_then(|h| country_zone(h.rsplit('.').next().unwrap_or("")));
    // A language names the country where most of its news is written.
    let from_lang = || {
        let country = match lang? {
            "uk" => "ua",
            l @ ("fr" | "de" | "es" | "it" | "pt" | "nl" | "pl" | "ru") => l,
            _ => return None,
        };
        country_zone(country)
    };
    from_host.or_else(from_lang)
}

/// The main time zone of a country, by its top-level domain.
fn country_zone(tld: &str) -> Option<Tz> {
    use chrono_tz::{America, Europe};
    Some(match tld {
        "fr" => Europe::Paris,
        "de" => Europe::Berlin,
        "at" => Europe::Vienna,
        "ch" => Europe::Zurich,
        "be" => Europe::Brussels,
        "es" => Europe::Madrid,
        "it" => Europe::Rome,
        "pt" => Europe::Lisbon,
        "nl" => Europe::Amsterdam,
        "pl" => Europe::Warsaw,
        "ru" => Europe::Moscow,
        "ua" => Europe::Kyiv,
        "uk" => Europe::London,
        "ie" => Europe::Dublin,
        "br" => America::Sao_Paulo,
        "mx" => America::Mexico_City,
        "ar" => America::Argentina::Buenos_Aires,
        _ => return None,
    })
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
        let zone = zone_for(None, Some(lang));
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
        // AP-style English dateline.
        assert_eq!(
            first("Dec. 19, 2022 5:53 p.m. ET", "en"),
            "2022-12-19T17:53:00+00:00"
        );
        assert_eq!(
            first("19 de diciembre de 2022 - 17:53", "es"),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            first("19 dicembre 2022 alle 17:53", "it"),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            first("19 grudnia 2022, 17:53", "pl"),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            first("19 декабря 2022, 17:53", "ru"),
            "2022-12-19T17:53:00+03:00"
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
    fn dates_in_urls() {
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
    }
}
