//! Dates as feeds and sitemaps write them, keeping the offset they were written in.
//!
//! Two families: W3C/RFC 3339 (`2024-03-05T10:00:00+01:00`, Atom, JSON Feed,
//! sitemaps) and RFC 822/2822 (`Tue, 05 Mar 2024 10:00:00 +0100`, RSS). Both are read
//! leniently, as feeds write them: offsets without a colon, a space instead of `T`,
//! missing seconds, long month names, a wrong or missing weekday, `UTC`/`Z`, common zone
//! abbreviations. A date with no offset at all is taken as UTC (both specifications
//! require one; UTC is the reading feed readers share). A date that cannot be read is
//! `None`, never a guess.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

/// Reads a date in either family.
pub(crate) fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.len() >= 10 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        parse_iso(s)
    } else {
        parse_rfc822(s)
    }
}

/// W3C datetime / RFC 3339, leniently. A date alone is midnight UTC.
pub(crate) fn parse_iso(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = &s[10..];
    if rest.trim().is_empty() {
        return Some(date.and_time(NaiveTime::MIN).and_utc().fixed_offset());
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let time_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let time = parse_time(&rest[..time_len])?;
    let offset = parse_zone(rest[time_len..].trim())?;
    local(date.and_time(time), offset)
}

/// RFC 822/2822 as RSS feeds write it, leniently.
pub(crate) fn parse_rfc822(s: &str) -> Option<DateTime<FixedOffset>> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let mut i = 0;
    // A weekday, right or wrong, in any spelling: skipped.
    if tokens
        .first()
        .is_some_and(|t| t.chars().all(char::is_alphabetic) && month(t).is_none())
    {
        i = 1;
    }
    let (day, mon) = match month(tokens.get(i)?) {
        Some(m) => (number(tokens.get(i + 1)?)?, m),
        None => (number(tokens.get(i)?)?, month(tokens.get(i + 1)?)?),
    };
    let mut year = number(tokens.get(i + 2)?)?;
    if year < 100 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, mon, day)?;
    let (time, zone) = match tokens.get(i + 3) {
        Some(t) if t.contains(':') => (parse_time(t)?, tokens.get(i + 4).copied()),
        Some(_) => return None,
        None => (NaiveTime::MIN, None),
    };
    let offset = parse_zone(zone.unwrap_or(""))?;
    local(date.and_time(time), offset)
}

fn local(naive: NaiveDateTime, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    naive.and_local_timezone(offset).single()
}

fn number(s: &str) -> Option<u32> {
    let digits = s.trim_end_matches(['.', 'h']);
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `H:MM`, `HH:MM:SS`, `HH:MM:SS.fff`; hour 24 (seen in feeds) reads as 0.
fn parse_time(s: &str) -> Option<NaiveTime> {
    let mut parts = s.split(':');
    let h = number(parts.next()?)?;
    let m = number(parts.next()?)?;
    let (sec, nanos) = match parts.next() {
        Some(sec) => {
            let (whole, frac) = sec.split_once(['.', ',']).unwrap_or((sec, ""));
            let frac: String = frac.chars().take(9).collect();
            let nanos = if frac.is_empty() {
                0
            } else {
                frac.parse::<u32>().ok()? * 10u32.pow(9 - frac.len() as u32)
            };
            (number(whole)?, nanos)
        }
        None => (0, 0),
    };
    if parts.next().is_some() {
        return None;
    }
    NaiveTime::from_hms_nano_opt(if h == 24 { 0 } else { h }, m, sec.min(59), nanos)
}

/// `Z`, `+01:00`, `+0100`, `+01`, `GMT`, `UTC`, US and a few European and Asian zone
/// abbreviations; empty means UTC. Anything else is `None`.
fn parse_zone(z: &str) -> Option<FixedOffset> {
    let z = z.trim();
    let named = match z.to_ascii_uppercase().as_str() {
        "" | "Z" | "UT" | "UTC" | "GMT" | "WET" | "-0000" | "+0000" | "+00:00" => Some(0),
        "EDT" => Some(-4),
        "EST" | "CDT" => Some(-5),
        "CST" | "MDT" => Some(-6),
        "MST" | "PDT" => Some(-7),
        "PST" => Some(-8),
        "BST" | "CET" | "WEST" => Some(1),
        "CEST" | "EET" => Some(2),
        "EEST" | "MSK" => Some(3),
        "JST" | "KST" => Some(9),
        "AEST" => Some(10),
        "AEDT" => Some(11),
        _ => None,
    };
    if let Some(h) = named {
        return FixedOffset::east_opt(h * 3600);
    }
    let z = z
        .strip_prefix("GMT")
        .or_else(|| z.strip_prefix("UTC"))
        .unwrap_or(z);
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = z[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn month(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.');
    if s.len() < 3 || !s.is_char_boundary(3) {
        return None;
    }
    let m = match s[..3].to_ascii_lowercase().as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        parse_date(s).map(|d| d.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn rfc3339_and_w3c() {
        assert_eq!(d("2024-03-05T10:00:00+01:00"), "2024-03-05T10:00:00+01:00");
        assert_eq!(
            d("2024-03-05T10:00:00.250Z"),
            "2024-03-05T10:00:00.250+00:00"
        );
        assert_eq!(d("2024-03-05T10:00+01:00"), "2024-03-05T10:00:00+01:00");
        assert_eq!(d("2024-03-05 10:00:00 +0100"), "2024-03-05T10:00:00+01:00");
        assert_eq!(d("2024-03-05T10:00:00"), "2024-03-05T10:00:00+00:00");
        assert_eq!(d("2024-03-05"), "2024-03-05T00:00:00+00:00");
    }

    #[test]
    fn rfc822_as_feeds_write_it() {
        assert_eq!(
            d("Tue, 05 Mar 2024 10:00:00 +0100"),
            "2024-03-05T10:00:00+01:00"
        );
        assert_eq!(
            d("Tue, 5 Mar 2024 9:00:00 GMT"),
            "2024-03-05T09:00:00+00:00"
        );
        // Wrong weekday, long names, abbreviation.
        assert_eq!(
            d("Thursday, 5 March 2024 10:00 EST"),
            "2024-03-05T10:00:00-05:00"
        );
        assert_eq!(d("Mar 5 2024 10:00:00 +0200"), "2024-03-05T10:00:00+02:00");
        assert_eq!(d("05 Mar 24 10:00:00 CEST"), "2024-03-05T10:00:00+02:00");
        assert_eq!(
            d("Tue, 05 Mar 2024 24:10:00 UTC"),
            "2024-03-05T00:10:00+00:00"
        );
    }

    #[test]
    fn garbage_is_none() {
        for s in [
            "",
            "yesterday",
            "32 Mar 2024 10:00:00 GMT",
            "2024-13-01",
            "Tue, 05 Mar 2024 10:00:00 +9999",
            "2024-03-05T25:00:00Z",
            "ééé 5 Mar",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }
}
