//! Time zones: the site's zone, in which times written without an offset are read, and
//! the zone abbreviations datelines write after a time ("5:53 p.m. ET", "17.53 Uhr MEZ").
//!
//! The site's zone comes, in this order, from the country of the host's domain (`.de`:
//! Europe/Berlin), from the offsets of the dates the page declares for machines
//! (`2022-12-19T17:53:00-05:00`: a fixed zone five hours behind UTC, unless the
//! language's zone agrees with it), from the country of `og:locale` (`de_AT`:
//! Europe/Vienna), or from the language (the country where most of
//! its news is written). `vigie extract --explain` says which, and from what.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

use super::dates;
use super::resolve::FieldReport;

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

/// The zone of a host's country domain ("www.spiegel.de": Europe/Berlin).
fn host_zone(host: &str) -> Option<Tz> {
    country_zone(host.rsplit('.').next().unwrap_or(""))
}

/// The zone of a locale's country ("fr_FR", "de-AT"); None without a country part.
fn locale_zone(locale: &str) -> Option<Tz> {
    let country = locale.trim().split(['_', '-']).nth(1)?;
    country_zone(&country.to_ascii_lowercase())
}

/// The zone of the country where most news in a language is written.
fn language_zone(lang: &str) -> Option<Tz> {
    let country = match lang {
        "uk" => "ua",
        l @ ("fr" | "de" | "es" | "it" | "pt" | "nl" | "pl" | "ru") => l,
        _ => return None,
    };
    country_zone(country)
}

/// The most likely time zone of an article, from its site's country or its language.
pub fn zone_for(host: Option<&str>, lang: Option<&str>) -> Option<Tz> {
    host.and_then(host_zone)
        .or_else(|| lang.and_then(language_zone))
}

/// A zone that keeps one offset all year (`Etc/GMT-1` is UTC+01:00), for whole hours.
fn fixed_zone(offset_seconds: i32) -> Option<Tz> {
    if offset_seconds % 3600 != 0 {
        return None;
    }
    // The IANA names count the other way round: Etc/GMT+5 is five hours behind UTC.
    let hours = -offset_seconds / 3600;
    let name = if hours == 0 {
        "Etc/UTC".to_string()
    } else {
        format!("Etc/GMT{hours:+}")
    };
    name.parse().ok()
}

/// The zone assumed for a page, and the report of why for `--explain`.
pub fn site_zone(
    host: Option<&str>,
    locale: Option<&str>,
    lang: Option<&str>,
    declared: &[DateTime<FixedOffset>],
) -> (Option<Tz>, FieldReport) {
    let mut r = FieldReport::new("zone");
    // A date with an explicit offset other than UTC's is the site's own clock (UTC
    // says nothing: many systems write every time in UTC).
    let page = declared
        .iter()
        .find(|d| d.offset().local_minus_utc() != 0)
        .copied();
    let agrees = |tz: Tz, d: &DateTime<FixedOffset>| {
        d.with_timezone(&tz).offset().fix().local_minus_utc() == d.offset().local_minus_utc()
    };
    let mut chosen: Option<(usize, Tz)> = None;
    if let Some((h, tz)) = host.and_then(|h| Some((h, host_zone(h)?))) {
        let tld = h.rsplit('.').next().unwrap_or("");
        let i = r.push(format!("host domain .{tld}"), tz.name());
        chosen = Some((i, tz));
    }
    let from_lang = lang.and_then(|l| Some((l, language_zone(l)?)));
    if let Some(d) = page {
        let offset = d.offset().to_string();
        match from_lang {
            // The language's zone keeps its summer time: preferred when it agrees.
            Some((l, tz)) if agrees(tz, &d) => {
                let i = r.push(
                    format!("language {l}, as the page's dates ({offset})"),
                    tz.name(),
                );
                if chosen.is_none() {
                    chosen = Some((i, tz));
                }
            }
            _ => {
                if let Some(tz) = fixed_zone(d.offset().local_minus_utc()) {
                    // Shown as the offset: IANA's fixed names count backwards
                    // (Etc/GMT+5 is UTC-05:00).
                    let shown = format!("UTC{offset} (fixed)");
                    let i = r.push(format!("the page's dates ({offset})"), shown);
                    if chosen.is_none() {
                        chosen = Some((i, tz));
                    }
                }
                if let Some((l, tz)) = from_lang {
                    let i = r.push(format!("language {l}"), tz.name());
                    r.candidates[i].note = Some("differs from the page's dates");
                }
            }
        }
    }
    // og:locale "fr_FR", "de-AT": the country the site writes for, which ".com" sites
    // say nowhere else; after the page's own offsets, since many templates keep
    // their CMS's default locale.
    if let Some((l, tz)) = locale.and_then(|l| Some((l, locale_zone(l)?))) {
        let i = r.push(format!("og:locale {l}"), tz.name());
        if chosen.is_none() {
            chosen = Some((i, tz));
        }
    }
    if let (None, Some((l, tz))) = (page, from_lang) {
        let i = r.push(format!("language {l}"), tz.name());
        if chosen.is_none() {
            chosen = Some((i, tz));
        }
    }
    match chosen {
        Some((i, _)) => {
            r.winner = Some(i);
            r.candidates[i].note = Some("times written without an offset are read in it");
        }
        None => {
            let i = r.push("none known", "UTC");
            r.candidates[i].note = Some("times written without an offset are read as UTC");
            r.winner = Some(i);
        }
    }
    (chosen.map(|(_, tz)| tz), r)
}

/// Declared dates of a page, for [`site_zone`]: each value read as written (offsets
/// kept, none assumed).
pub fn declared_dates<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<DateTime<FixedOffset>> {
    values
        .into_iter()
        .filter_map(|v| dates::parse_machine(v, None))
        .collect()
}

/// Zones named after a time of day, by the abbreviation news sites print: the generic
/// US names follow the zone's summer time ("ET" is -05:00 in December, -04:00 in July),
/// the specific ones are the offset they name.
enum Abbreviation {
    Zone(Tz),
    Fixed(i32),
}

fn abbreviation(name: &str) -> Option<Abbreviation> {
    use chrono_tz::{America, Europe};
    use Abbreviation::{Fixed, Zone};
    const H: i32 = 3600;
    Some(match name {
        "ET" => Zone(America::New_York),
        "CT" => Zone(America::Chicago),
        "MT" => Zone(America::Denver),
        "PT" => Zone(America::Los_Angeles),
        "MSK" => Zone(Europe::Moscow),
        "EST" => Fixed(-5 * H),
        "EDT" => Fixed(-4 * H),
        "CST" => Fixed(-6 * H),
        "CDT" => Fixed(-5 * H),
        "MST" => Fixed(-7 * H),
        "MDT" => Fixed(-6 * H),
        "PST" => Fixed(-8 * H),
        "PDT" => Fixed(-7 * H),
        "GMT" | "UTC" | "UT" | "WET" => Fixed(0),
        "BST" | "WEST" | "CET" | "MEZ" => Fixed(H),
        "CEST" | "MESZ" | "EET" | "OEZ" => Fixed(2 * H),
        "EEST" | "OESZ" => Fixed(3 * H),
        _ => return None,
    })
}

/// The zone abbreviations [`abbreviated_offset`] knows, for building patterns.
pub const ABBREVIATIONS: &[&str] = &[
    "MESZ", "CEST", "EEST", "OESZ", "WEST", "MSK", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST",
    "PDT", "GMT", "UTC", "WET", "BST", "CET", "MEZ", "EET", "OEZ", "ET", "CT", "MT", "PT", "UT",
];

/// The moment a local time names in the zone an abbreviation stands for, with an
/// optional offset after "GMT"/"UTC" ("+1", "+01:00", "-0500"). None for an unknown
/// abbreviation, an impossible offset, or a local time the zone skips.
pub fn abbreviated_offset(
    name: &str,
    extra: Option<&str>,
    local: NaiveDateTime,
) -> Option<DateTime<FixedOffset>> {
    let mut seconds = match abbreviation(name)? {
        Abbreviation::Zone(tz) => {
            return tz
                .from_local_datetime(&local)
                .earliest()
                .map(|d| d.fixed_offset())
        }
        Abbreviation::Fixed(s) => s,
    };
    if let Some(extra) = extra {
        seconds = seconds.checked_add(offset_seconds(extra)?)?;
    }
    FixedOffset::east_opt(seconds)?
        .from_local_datetime(&local)
        .single()
}

/// "+1", "+01", "+0100", "+01:00", "-5" in seconds east of UTC.
fn offset_seconds(s: &str) -> Option<i32> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 | 4 => {
            let (h, m) = digits.split_at(digits.len() - 2);
            (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?)
        }
        _ => return None,
    };
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn local(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn abbreviations_set_the_offset() {
        let at = |name, extra, l| {
            abbreviated_offset(name, extra, l)
                .map(|d| d.to_rfc3339())
                .unwrap_or_default()
        };
        // Generic US names follow summer time.
        assert_eq!(
            at("ET", None, local(2022, 12, 19, 17, 53)),
            "2022-12-19T17:53:00-05:00"
        );
        assert_eq!(
            at("ET", None, local(2023, 7, 3, 17, 53)),
            "2023-07-03T17:53:00-04:00"
        );
        assert_eq!(
            at("PT", None, local(2023, 7, 3, 8, 0)),
            "2023-07-03T08:00:00-07:00"
        );
        assert_eq!(
            at("EDT", None, local(2023, 7, 3, 8, 0)),
            "2023-07-03T08:00:00-04:00"
        );
        assert_eq!(
            at("MESZ", None, local(2023, 7, 3, 8, 0)),
            "2023-07-03T08:00:00+02:00"
        );
        assert_eq!(
            at("MSK", None, local(2022, 12, 19, 17, 53)),
            "2022-12-19T17:53:00+03:00"
        );
        assert_eq!(
            at("GMT", Some("+1"), local(2022, 12, 19, 17, 53)),
            "2022-12-19T17:53:00+01:00"
        );
        assert_eq!(
            at("UTC", Some("+05:30"), local(2022, 12, 19, 17, 53)),
            "2022-12-19T17:53:00+05:30"
        );
        assert_eq!(at("UTC", Some("+99"), local(2022, 12, 19, 17, 53)), "");
        assert_eq!(at("XYZ", None, local(2022, 12, 19, 17, 53)), "");
        for name in ABBREVIATIONS {
            assert!(abbreviation(name).is_some(), "{name}");
        }
    }

    #[test]
    fn site_zone_says_where_it_came_from() {
        let d = |s| DateTime::parse_from_rfc3339(s).unwrap();
        // The host's country first.
        let (tz, r) = site_zone(Some("www.example.fr"), None, Some("en"), &[]);
        assert_eq!(tz, Some(chrono_tz::Europe::Paris));
        assert_eq!(r.candidates[r.winner.unwrap()].source, "host domain .fr");
        // The page's own offsets before a language whose zone they contradict.
        let (tz, r) = site_zone(
            Some("example.com"),
            None,
            Some("es"),
            &[d("2022-12-19T17:53:00-05:00")],
        );
        assert_eq!(tz.map(|t| t.name()), Some("Etc/GMT+5"));
        let winner = &r.candidates[r.winner.unwrap()];
        assert!(winner.source.starts_with("the page's dates"));
        assert_eq!(winner.value, "UTC-05:00 (fixed)");
        // A language whose zone agrees keeps its summer time.
        let (tz, _) = site_zone(None, None, Some("de"), &[d("2022-12-19T17:53:00+01:00")]);
        assert_eq!(tz, Some(chrono_tz::Europe::Berlin));
        // UTC dates say nothing; nothing known means UTC, and says so.
        let (tz, r) = site_zone(None, None, Some("en"), &[d("2022-12-19T17:53:00Z")]);
        assert_eq!(tz, None);
        assert_eq!(r.candidates[r.winner.unwrap()].value, "UTC");
        // A ".com" site that writes for Austria says so in og:locale.
        let (tz, r) = site_zone(Some("www.example.com"), Some("de_AT"), Some("de"), &[]);
        assert_eq!(tz, Some(chrono_tz::Europe::Vienna));
        assert_eq!(r.candidates[r.winner.unwrap()].source, "og:locale de_AT");
        // A locale without a country, or of a country with several zones, says nothing.
        let (tz, _) = site_zone(None, Some("en_US"), Some("en"), &[]);
        assert_eq!(tz, None);
        let (tz, _) = site_zone(None, Some("fr"), Some("fr"), &[]);
        assert_eq!(tz, Some(chrono_tz::Europe::Paris));
    }
}
