//! robots.txt, as RFC 9309 defines it: parsing, and whether a path is allowed for a
//! crawler's product token.
//!
//! - **Groups.** One or more `User-agent` lines followed by rules. The groups whose
//!   product token equals the crawler's (case-insensitively) apply, combined; only if
//!   none does, the `*` groups apply; with neither, everything is allowed.
//! - **Rules.** `Allow` and `Disallow` patterns match a prefix of the path and query;
//!   `*` matches any run of characters and a final `$` anchors the end. The longest
//!   matching pattern wins, and `Allow` wins a tie. `Disallow:` with no path is no rule.
//! - **Encoding.** Patterns and paths are compared in one percent-encoded form:
//!   unreserved characters decoded, other escapes upper-cased, non-ASCII encoded, and
//!   `*`/`$` in the path encoded (a pattern spells a literal star `%2A`).
//! - **Crawl-delay** (not in the RFC, widely used) is read per group, in seconds.
//! - `/robots.txt` itself is always allowed; only the first 500 KiB are parsed (the RFC
//!   asks for at least that much).
//!
//! Why not a crate: `texting_robots`, the most thorough one, has not been released
//! since 2022 and pulls older majors of `thiserror` and `bstr`, plus `nom` and `regex`;
//! the format needs about as much code as its glue would.
//!
//! The per-site cache with its RFC 9309 error rules lives in the `cache` submodule.

mod cache;

use std::time::Duration;

pub use cache::{RobotsCache, RobotsConfig, RobotsSource, SiteRobots};

/// The most of a robots.txt that is parsed.
pub const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// A parsed robots.txt: its groups and its sitemaps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    groups: Vec<Group>,
    sitemaps: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Group {
    /// Product tokens, lower-cased; `*` for the wildcard group.
    agents: Vec<String>,
    rules: Vec<Rule>,
    crawl_delay: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    allow: bool,
    /// The normalised pattern; its length in bytes is its precedence.
    pattern: String,
}

impl Robots {
    /// Parses a robots.txt (any bytes: invalid UTF-8 is replaced, lines that are not
    /// `key: value` are skipped; nothing fails).
    pub fn parse(bytes: &[u8]) -> Robots {
        let bytes = &bytes[..bytes.len().min(MAX_ROBOTS_BYTES)];
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut robots = Robots::default();
        // Whether the current group is still collecting User-agent lines.
        let mut collecting_agents = false;
        for line in text.split(['\n', '\r']) {
            let line = line.split('#').next().unwrap_or_default().trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" | "useragent" | "user agent" => {
                    if !collecting_agents {
                        robots.groups.push(Group::default());
                        collecting_agents = true;
                    }
                    if let Some(g) = robots.groups.last_mut() {
                        g.agents.push(product_token(value));
                    }
                }
                "allow" | "disallow" | "dissallow" | "disalow" => {
                    collecting_agents = false;
                    // Rules before any User-agent line belong to no group.
                    if let (Some(g), false) = (robots.groups.last_mut(), value.is_empty()) {
                        g.rules.push(Rule {
                            allow: key == "allow",
                            pattern: normalise_pattern(value),
                        });
                    }
                }
                "crawl-delay" | "crawldelay" | "crawl delay" => {
                    collecting_agents = false;
                    let delay = value
                        .parse::<f64>()
                        .ok()
                        .filter(|d| d.is_finite() && *d >= 0.0);
                    if let (Some(g), Some(d)) = (robots.groups.last_mut(), delay) {
                        g.crawl_delay = Some(d);
                    }
                }
                "sitemap" | "site-map" if !value.is_empty() => {
                    robots.sitemaps.push(value.to_string());
                }
                _ => {}
            }
        }
        robots
    }

    /// The `Sitemap:` URLs, as written.
    pub fn sitemaps(&self) -> &[String] {
        &self.sitemaps
    }

    /// The rules that apply to a crawler whose product token is `token` ("Vigie"):
    /// its own groups combined, else the `*` groups combined, else none.
    pub fn for_agent(&self, token: &str) -> AgentRules {
        let token = token.to_ascii_lowercase();
        let pick = |want: &str| -> Vec<&Group> {
            self.groups
                .iter()
                .filter(|g| g.agents.iter().any(|a| a == want))
                .collect()
        };
        let mut groups = pick(&token);
        if groups.is_empty() {
            groups = pick("*");
        }
        AgentRules {
            rules: groups
                .iter()
                .flat_map(|g| g.rules.iter().cloned())
                .collect(),
            crawl_delay: groups
                .iter()
                .filter_map(|g| g.crawl_delay)
                .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))))
                .map(|d| Duration::from_secs_f64(d.min(86_400.0))),
        }
    }
}

/// The rules of a robots.txt that apply to one crawler.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentRules {
    rules: Vec<Rule>,
    crawl_delay: Option<Duration>,
}

impl AgentRules {
    /// Everything allowed (no robots.txt, or one that is "unavailable": 4xx).
    pub fn allow_all() -> AgentRules {
        AgentRules {
            rules: Vec::new(),
            crawl_delay: None,
        }
    }

    /// Nothing allowed (a robots.txt that is "unreachable": 5xx, network errors).
    pub fn disallow_all() -> AgentRules {
        AgentRules {
            rules: vec![Rule {
                allow: false,
                pattern: "/".to_string(),
            }],
            crawl_delay: None,
        }
    }

    /// Whether `path` (path and query, `/a/b?c=d`) may be fetched.
    pub fn is_allowed(&self, path: &str) -> bool {
        if path == "/robots.txt" {
            return true;
        }
        let path = normalise(path, true);
        let mut best: Option<&Rule> = None;
        for rule in &self.rules {
            if !matches(&rule.pattern, &path) {
                continue;
            }
            best = match best {
                Some(b)
                    if b.pattern.len() > rule.pattern.len()
                        || (b.pattern.len() == rule.pattern.len() && b.allow) =>
                {
                    Some(b)
                }
                _ => Some(rule),
            };
        }
        best.is_none_or(|r| r.allow)
    }

    /// The `Crawl-delay`, if the applicable groups set one (the largest of them).
    pub fn crawl_delay(&self) -> Option<Duration> {
        self.crawl_delay
    }
}

/// The product token of a `User-agent` value: its leading letters, `-` and `_`,
/// lower-cased (`Googlebot/2.1` → `googlebot`); `*` stays `*`.
fn product_token(value: &str) -> String {
    if value.starts_with('*') {
        return "*".to_string();
    }
    value
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '-' || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A pattern in the comparison form, `*` and a final `$` kept as operators.
fn normalise_pattern(p: &str) -> String {
    let p = if p.starts_with('/') || p.starts_with('*') {
        p.to_string()
    } else {
        // Patterns should start with "/"; "page.html" means "/page.html".
        format!("/{p}")
    };
    normalise(&p, false)
}

/// The comparison form of a path or pattern (see the module documentation). In a
/// path (`escape_operators`), `*` and `$` are literal and so encoded.
fn normalise(s: &str, escape_operators: bool) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let escaped = match (b.get(i + 1), b.get(i + 2)) {
            (Some(&h), Some(&l)) if c == b'%' => hex(h).zip(hex(l)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        if let Some(v) = escaped {
            if v.is_ascii_alphanumeric() || matches!(v, b'-' | b'.' | b'_' | b'~') {
                out.push(v as char);
            } else {
                push_escape(&mut out, v);
            }
            i += 3;
            continue;
        }
        if c <= b' ' || c >= 0x7f || (escape_operators && (c == b'*' || c == b'$')) {
            push_escape(&mut out, c);
        } else {
            out.push(c as char);
        }
        i += 1;
    }
    out
}

fn push_escape(out: &mut String, v: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[usize::from(v >> 4)] as char);
    out.push(HEX[usize::from(v & 15)] as char);
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Whether `pattern` (with `*` wildcards and an optional final `$`) matches a prefix of
/// `path`, or all of it when anchored. Greedy matching with backtracking to the last
/// star: linear on ordinary patterns, at worst `pattern × path`, never recursive.
fn matches(pattern: &str, path: &str) -> bool {
    let (pat, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p.as_bytes(), true),
        None => (pattern.as_bytes(), false),
    };
    let s = path.as_bytes();
    let (mut p, mut i) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if p == pat.len() {
            if !anchored || i == s.len() {
                return true;
            }
        } else if pat[p] == b'*' {
            star = Some((p, i));
            p += 1;
            continue;
        } else if i < s.len() && pat[p] == s[i] {
            p += 1;
            i += 1;
            continue;
        }
        // Mismatch (or an anchored pattern ended early): let the last star eat one more.
        match star {
            Some((sp, si)) if si < s.len() => {
                star = Some((sp, si + 1));
                p = sp + 1;
                i = si + 1;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9309 section 5.1.
    const RFC_EXAMPLE: &str = "User-Agent: *\nDisallow: *.gif$\nDisallow: /example/\nAllow: /publications/\n\nUser-Agent: foobot\nDisallow:/\nAllow:/example/page.html\nAllow:/example/allowed.gif\n\nUser-Agent: barbot\nUser-Agent: bazbot\nDisallow: /example/page.html\n\nUser-Agent: quxbot\n";

    #[test]
    fn rfc_example_groups() {
        let r = Robots::parse(RFC_EXAMPLE.as_bytes());
        let foo = r.for_agent("FooBot");
        assert!(foo.is_allowed("/example/page.html"));
        assert!(foo.is_allowed("/example/allowed.gif"));
        assert!(!foo.is_allowed("/publications/"));
        assert!(!foo.is_allowed("/"));
        for bot in ["barbot", "bazbot"] {
            let g = r.for_agent(bot);
            assert!(!g.is_allowed("/example/page.html"), "{bot}");
            assert!(
                g.is_allowed("/example/other.gif"),
                "{bot}: * rules do not apply"
            );
            assert!(g.is_allowed("/example/"));
        }
        let qux = r.for_agent("quxbot");
        assert!(qux.is_allowed("/example/page.html"));
        let other = r.for_agent("vigie");
        assert!(!other.is_allowed("/a/b.gif"));
        assert!(other.is_allowed("/a/b.gif?x=1"), "$ anchors the end");
        assert!(!other.is_allowed("/example/x"));
        assert!(other.is_allowed("/publications/x"));
        assert!(other.is_allowed("/robots.txt"));
    }

    /// RFC 9309 section 5.2: the longest match wins.
    #[test]
    fn longest_match() {
        let r = Robots::parse(
            b"User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n",
        )
        .for_agent("foobot");
        assert!(r.is_allowed("/example/page/"));
        assert!(r.is_allowed("/example/page/x.gif"));
        assert!(!r.is_allowed("/example/page/disallowed.gif"));
        // Equal length: allow wins.
        let r = Robots::parse(b"User-agent: *\nDisallow: /page\nAllow: /page\n").for_agent("x");
        assert!(r.is_allowed("/page"));
        // Longer pattern by wildcards counts its octets.
        let r = Robots::parse(b"User-agent: *\nAllow: /\nDisallow: /*.php\n").for_agent("x");
        assert!(!r.is_allowed("/index.php"));
        assert!(r.is_allowed("/index.html"));
    }

    /// RFC 9309 section 2.2.2/2.2.3: encodings and special characters.
    #[test]
    fn encodings_and_special_characters() {
        let cases: &[(&str, &str, bool)] = &[
            ("/foo/bar?baz=quz", "/foo/bar?baz=quz", true),
            ("/foo/bar/ツ", "/foo/bar/%E3%83%84", true),
            ("/foo/bar/%E3%83%84", "/foo/bar/%E3%83%84", true),
            ("/foo/bar/%62%61%7A", "/foo/bar/baz", true),
            (
                "/path/file-with-a-%2A.html",
                "/path/file-with-a-*.html",
                true,
            ),
            ("/path/foo-%24", "/path/foo-$", true),
            (
                "/path/file-with-a-%2A.html",
                "/path/file-with-a-x.html",
                false,
            ),
            ("/this/*/exactly$", "/this/path/exactly", true),
            ("/this/*/exactly$", "/this/path/exactly/not", false),
            ("/fish*", "/fish.html", true),
            ("/fish*", "/Fish.asp", false),
            ("/*.php$", "/filename.php", true),
            ("/*.php$", "/filename.php?parameters", false),
            ("/fish*.php", "/fishheads/catfish.php?parameters", true),
            ("/", "/anything", true),
            ("/$", "/", true),
            ("/$", "/page", false),
            ("*", "/x", true),
            ("/a**b", "/axxb", true),
        ];
        for (pattern, path, want) in cases {
            let r = Robots::parse(format!("User-agent: *\nDisallow: {pattern}\n").as_bytes())
                .for_agent("vigie");
            assert_eq!(!r.is_allowed(path), *want, "{pattern} vs {path}");
        }
    }

    #[test]
    fn agents_comments_and_oddities() {
        let txt = "\u{feff}# comment\r\nDisallow: /nobody\r\nUser-agent: Vigie/0.1 # us\r\nCrawl-delay: 2.5\r\nDisallow: /private # trailing\r\nSitemap: https://example.org/s.xml\r\nuser-AGENT: *\r\nDisallow: /\r\n";
        let r = Robots::parse(txt.as_bytes());
        let us = r.for_agent("vigie");
        assert!(!us.is_allowed("/private/x"));
        assert!(us.is_allowed("/nobody"));
        assert!(us.is_allowed("/"));
        assert_eq!(us.crawl_delay(), Some(Duration::from_millis(2500)));
        assert_eq!(r.sitemaps(), ["https://example.org/s.xml"]);
        assert!(!r.for_agent("otherbot").is_allowed("/x"));
        // Empty Disallow: no rule.
        let r = Robots::parse(b"User-agent: *\nDisallow:\n").for_agent("vigie");
        assert!(r.is_allowed("/x"));
        // Nothing at all, and binary junk.
        assert!(Robots::parse(b"").for_agent("vigie").is_allowed("/x"));
        assert!(Robots::parse(&[0xff, 0xfe, 0, 1, 2])
            .for_agent("vigie")
            .is_allowed("/x"));
        assert!(!AgentRules::disallow_all().is_allowed("/"));
        assert!(AgentRules::disallow_all().is_allowed("/robots.txt"));
        assert!(AgentRules::allow_all().is_allowed("/x"));
    }

    #[test]
    fn combined_groups_and_huge_files() {
        let r = Robots::parse(
            b"User-agent: vigie\nDisallow: /a\nCrawl-delay: 1\n\nUser-agent: other\nDisallow: /c\n\nUser-agent: Vigie\nDisallow: /b\nCrawl-delay: 3\n",
        )
        .for_agent("Vigie");
        assert!(!r.is_allowed("/a") && !r.is_allowed("/b") && r.is_allowed("/c"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(3)));
        // Past 500 KiB, lines are not read.
        let mut big = b"User-agent: *\n".to_vec();
        big.extend(std::iter::repeat_n(b'#', MAX_ROBOTS_BYTES));
        big.extend(b"\nDisallow: /\n");
        assert!(Robots::parse(&big).for_agent("vigie").is_allowed("/x"));
    }

    #[test]
    fn pathological_pattern_is_not_exponential() {
        let pattern = "/".to_string() + &"*a".repeat(50) + "$";
        let path = "/".to_string() + &"a".repeat(5000) + "b";
        let r = Robots::parse(format!("User-agent: *\nDisallow: {pattern}\n").as_bytes())
            .for_agent("v");
        assert!(r.is_allowed(&path));
    }
}
