//! The sources a newsroom watches, as declared: where the source is (a feed, sitemap or
//! URL list address, or a local file or directory), how often to poll it, its
//! language and tags; and the TOML file that declares many at once.
//!
//! ```toml
//! [[source]]
//! name = "Le Monde"                          # default: the address without its scheme
//! url = "https://www.lemonde.fr/rss/une.xml" # or path = "inbox/" (relative to the file)
//! every = "15m"                              # 30s, 15m, 1h, 1d, 1h30m (default 15m)
//! lang = "fr"                                # optional
//! tags = ["france", "une"]                   # or tag = "france"
//! enabled = true                             # default true
//! ```
//!
//! A source is identified by its [`Location`]: the canonical URL, or the absolute
//! path. Declaring it again updates it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use thiserror::Error;

use crate::canonicalize;

/// How often a source is polled when its declaration does not say.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(15 * 60);

/// The longest polling interval accepted (30 days).
pub const MAX_EVERY: Duration = Duration::from_secs(30 * 86_400);

/// Where a source is: a canonical http(s) URL or an absolute path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    /// An address, canonical ([`canonicalize`]).
    Url(String),
    /// A local file or directory, absolute.
    Path(PathBuf),
}

impl Location {
    /// Reads a location as a user writes it: an http(s) URL (canonicalised), else a
    /// path, relative to `base`, that must exist.
    pub fn parse(input: &str, base: &Path) -> Result<Location, SourcesError> {
        let input = input.trim();
        let bad = |problem: String| SourcesError::Location {
            input: input.to_string(),
            problem,
        };
        if input.is_empty() {
            return Err(bad("an empty location".to_string()));
        }
        let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let url = canonicalize(input).map_err(|e| bad(e.to_string()))?;
            return Ok(Location::Url(url.to_string()));
        }
        if input.contains("://") {
            return Err(bad(
                "only http and https addresses, files and directories are sources".to_string(),
            ));
        }
        let path = base.join(input);
        let path = std::fs::canonicalize(&path)
            .map_err(|e| bad(format!("cannot open {}: {e}", path.display())))?;
        Ok(Location::Path(path))
    }

    /// The location as it is kept: the URL, or the path.
    pub fn as_stored(&self) -> String {
        match self {
            Location::Url(u) => u.clone(),
            Location::Path(p) => p.display().to_string(),
        }
    }

    /// Reads back what [`Location::as_stored`] wrote.
    pub fn from_stored(stored: &str) -> Location {
        if stored.starts_with("http://") || stored.starts_with("https://") {
            Location::Url(stored.to_string())
        } else {
            Location::Path(PathBuf::from(stored))
        }
    }

    /// A short name: the address without its scheme, or the file name.
    pub fn default_name(&self) -> String {
        match self {
            Location::Url(u) => u
                .split_once("://")
                .map(|(_, rest)| rest)
                .unwrap_or(u)
                .trim_end_matches('/')
                .to_string(),
            Location::Path(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_stored())
    }
}

/// A source as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpec {
    /// What the user calls it (unique names make `remove NAME` unambiguous).
    pub name: String,
    /// Where it is; its identity.
    pub location: Location,
    /// Time between polls.
    pub every: Duration,
    /// The language of its pages, when known (an ISO 639-1 code, `fr`).
    pub lang: Option<String>,
    /// Free labels.
    pub tags: Vec<String>,
    /// Polled by `watch` (default true).
    pub enabled: bool,
}

impl SourceSpec {
    /// A source at `location` with the defaults: its default name, every 15 minutes,
    /// no language, no tags, enabled.
    pub fn new(location: Location) -> SourceSpec {
        SourceSpec {
            name: location.default_name(),
            location,
            every: DEFAULT_EVERY,
            lang: None,
            tags: Vec::new(),
            enabled: true,
        }
    }
}

/// Why a source declaration is refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SourcesError {
    /// A sources file that is not valid TOML, or holds unknown keys or wrong types.
    #[error("{file}:{line}:{column}: {message}")]
    Toml {
        /// The file.
        file: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A `[[source]]` entry that is valid TOML but not a valid source.
    #[error("{file}:{line}: {problem}")]
    Entry {
        /// The file.
        file: String,
        /// 1-based line where the entry starts.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// An interval that cannot be read.
    #[error("{input:?} is not an interval: {problem} (write e.g. 30s, 15m, 1h, 1d or 1h30m)")]
    Interval {
        /// The text as given.
        input: String,
        /// What is wrong.
        problem: String,
    },
    /// A location that is neither a usable URL nor an existing path.
    #[error("{input}: {problem}")]
    Location {
        /// The text as given.
        input: String,
        /// What is wrong.
        problem: String,
    },
}

/// Reads an interval: a sequence of numbers with units `s`, `m`, `h`, `d` (`30s`,
/// `15m`, `1h30m`, `1d`), more than zero and at most [`MAX_EVERY`].
pub fn parse_interval(input: &str) -> Result<Duration, SourcesError> {
    let bad = |problem: &str| SourcesError::Interval {
        input: input.to_string(),
        problem: problem.to_string(),
    };
    let s = input.trim();
    if s.is_empty() {
        return Err(bad("it is empty"));
    }
    let mut total: u64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad("expected a number"));
        }
        let n: u64 = rest[..digits]
            .parse()
            .map_err(|_| bad("the number is too large"))?;
        rest = rest[digits..].trim_start();
        let unit_len = rest.chars().take_while(char::is_ascii_alphabetic).count();
        let seconds = match &rest[..unit_len] {
            "s" | "sec" => 1,
            "m" | "min" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "" => return Err(bad("a number without a unit (s, m, h or d)")),
            _ => return Err(bad("an unknown unit (use s, m, h or d)")),
        };
        rest = rest[unit_len..].trim_start();
        total = n
            .checked_mul(seconds)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| bad("the number is too large"))?;
    }
    let d = Duration::from_secs(total);
    if d.is_zero() {
        return Err(bad("it must be more than zero"));
    }
    if d > MAX_EVERY {
        return Err(bad("it must be at most 30d"));
    }
    Ok(d)
}

/// Writes an interval the way [`parse_interval`] reads it: `15m`, `1h30m`, `1d`.
pub fn format_interval(d: Duration) -> String {
    let mut s = d.as_secs();
    if s == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if s >= size {
            out.push_str(&format!("{}{unit}", s / size));
            s %= size;
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default, rename = "source", alias = "sources")]
    sources: Vec<toml::Spanned<EntryToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryToml {
    name: Option<String>,
    url: Option<String>,
    path: Option<String>,
    every: Option<toml::Spanned<String>>,
    lang: Option<String>,
    tag: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    enabled: Option<bool>,
}

/// Reads a sources file (see the module documentation). `file` names it in errors;
/// relative paths are read against `base` (the file's directory).
pub fn parse_sources_toml(
    text: &str,
    file: &str,
    base: &Path,
) -> Result<Vec<SourceSpec>, SourcesError> {
    let parsed: FileToml = toml::from_str(text).map_err(|e| {
        let (line, column) = line_column(text, e.span().map_or(0, |s| s.start));
        SourcesError::Toml {
            file: file.to_string(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let mut out = Vec::with_capacity(parsed.sources.len());
    for spanned in parsed.sources {
        let line = line_column(text, spanned.span().start).0;
        let entry = spanned.into_inner();
        let err = |problem: String| SourcesError::Entry {
            file: file.to_string(),
            line,
            problem,
        };
        let location = match (&entry.url, &entry.path) {
            (Some(u), None) => {
                let lower = u.trim().get(..8).unwrap_or(u).to_ascii_lowercase();
                if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                    return Err(err(format!("url = {u:?} is not an http(s) address")));
                }
                Location::parse(u, base).map_err(|e| err(e.to_string()))?
            }
            (None, Some(p)) => Location::parse(p, base).map_err(|e| err(e.to_string()))?,
            (Some(_), Some(_)) => return Err(err("a source has a url or a path, not both".into())),
            (None, None) => return Err(err("a source needs a url or a path".into())),
        };
        let mut spec = SourceSpec::new(location);
        if let Some(name) = entry.name.map(|n| n.trim().to_string()) {
            if name.is_empty() {
                return Err(err("the name is empty".into()));
            }
            spec.name = name;
        }
        if let Some(every) = &entry.every {
            spec.every = parse_interval(every.get_ref()).map_err(|e| SourcesError::Entry {
                file: file.to_string(),
                line: line_column(text, every.span().start).0,
                problem: format!("every: {e}"),
            })?;
        }
        spec.lang = entry
            .lang
            .map(|l| l.trim().to_ascii_lowercase())
            .filter(|l| !l.is_empty());
        spec.tags = entry.tag.into_iter().chain(entry.tags).collect();
        spec.tags = normalise_tags(spec.tags);
        spec.enabled = entry.enabled.unwrap_or(true);
        out.push(spec);
    }
    Ok(out)
}

/// Tags trimmed, empty ones dropped, duplicates removed (first kept).
pub fn normalise_tags(tags: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for t in tags {
        let t = t.trim().to_string();
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, l)| l)
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        let p = |s| parse_interval(s).map(|d| d.as_secs());
        assert_eq!(p("30s"), Ok(30));
        assert_eq!(p("15m"), Ok(900));
        assert_eq!(p(" 1h "), Ok(3600));
        assert_eq!(p("1d"), Ok(86_400));
        assert_eq!(p("1h30m"), Ok(5400));
        assert_eq!(p("2 min"), Ok(120));
        for bad in [
            "",
            "15",
            "m",
            "15x",
            "0m",
            "-5m",
            "31d",
            "99999999999999999999s",
        ] {
            let e = parse_interval(bad).unwrap_err().to_string();
            assert!(e.contains("is not an interval"), "{bad}: {e}");
        }
        assert_eq!(format_interval(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_interval(DEFAULT_EVERY), "15m");
    }

    #[test]
    fn locations() {
        let base = std::env::temp_dir();
        assert_eq!(
            Location::parse("HTTPS://Example.org/rss?utm_source=x", &base).unwrap(),
            Location::Url("https://example.org/rss".into())
        );
        assert!(Location::parse("ftp://example.org/x", &base).is_err());
        let e = Location::parse("no/such/dir-vigie", &base).unwrap_err();
        assert!(
            e.to_string().starts_with("no/such/dir-vigie: cannot open"),
            "{e}"
        );
        let here = Location::parse(".", &base).unwrap();
        assert!(matches!(here, Location::Path(ref p) if p.is_absolute()));
        assert_eq!(Location::from_stored(&here.as_stored()), here);
        assert_eq!(
            Location::Url("https://feeds.bbci.co.uk/news/rss.xml".into()).default_name(),
            "feeds.bbci.co.uk/news/rss.xml"
        );
    }

    #[test]
    fn toml_file() {
        let text = r#"
# comment
[[source]]
name = "Le Monde"
url = "https://www.lemonde.fr/rss/une.xml"
every = "30m"
lang = "FR"
tags = ["france", " une ", "france"]

[[source]]
url = "https://feeds.bbci.co.uk/news/rss.xml"
tag = "uk"
enabled = false
"#;
        let s = parse_sources_toml(text, "s.toml", Path::new("/")).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "Le Monde");
        assert_eq!(s[0].every, Duration::from_secs(1800));
        assert_eq!(s[0].lang.as_deref(), Some("fr"));
        assert_eq!(s[0].tags, ["france", "une"]);
        assert!(s[0].enabled);
        assert_eq!(s[1].name, "feeds.bbci.co.uk/news/rss.xml");
        assert_eq!(s[1].every, DEFAULT_EVERY);
        assert_eq!(s[1].tags, ["uk"]);
        assert!(!s[1].enabled);
    }

    #[test]
    fn toml_errors_name_file_and_line() {
        let e = |t: &str| {
            parse_sources_toml(t, "s.toml", Path::new("/"))
                .unwrap_err()
                .to_string()
        };
        let syntax = e("[[source]]\nurl = \"https://a.example/\"\nevery = 15m\n");
        assert!(syntax.starts_with("s.toml:3:"), "{syntax}");
        let unknown = e("[[source]]\nurl = \"https://a.example/\"\nintervall = \"15m\"\n");
        assert!(unknown.starts_with("s.toml:3:"), "{unknown}");
        assert!(unknown.contains("intervall"), "{unknown}");
        let interval = e("[[source]]\nurl = \"https://a.example/\"\n\n[[source]]\nurl = \"https://b.example/\"\nevery = \"15x\"\n");
        assert!(interval.starts_with("s.toml:6: every:"), "{interval}");
        let neither = e("[[source]]\nname = \"x\"\n");
        assert!(neither.contains("needs a url or a path"), "{neither}");
        let not_http = e("[[source]]\nurl = \"feeds/x.xml\"\n");
        assert!(not_http.contains("not an http(s) address"), "{not_http}");
    }
}
