//! robots.txt per site, fetched once and kept for a while, with RFC 9309's rules for
//! a robots.txt that cannot be read.
//!
//! | the fetch of `/robots.txt` | means | kept for |
//! |---|---|---|
//! | 2xx | its rules | `ttl` (24 h: the RFC's "SHOULD NOT use a cached version for more than 24 hours") |
//! | 4xx but 429 ("unavailable") | everything allowed | `ttl` |
//! | 429, 5xx, network error, refused ("unreachable") | everything disallowed, or the last rules read if there are some | `unreachable_ttl`, then tried again |
//!
//! Redirects are followed by the [`Fetcher`] (five by default, as the RFC asks).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use url::Url;

use super::{AgentRules, Robots};
use crate::{FetchError, FetchOutcome, Fetcher, Validators};

/// How robots.txt files are read and kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotsConfig {
    /// The product token matched against `User-agent` lines (default `Vigie`).
    pub agent: String,
    /// How long a robots.txt that was read (or found missing) is kept (default 24 h).
    pub ttl: Duration,
    /// How long an unreachable robots.txt disallows its site before it is tried again
    /// (default 10 min).
    pub unreachable_ttl: Duration,
}

impl Default for RobotsConfig {
    fn default() -> Self {
        RobotsConfig {
            agent: "Vigie".to_string(),
            ttl: Duration::from_secs(24 * 3600),
            unreachable_ttl: Duration::from_secs(600),
        }
    }
}

/// Where a site's rules came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RobotsSource {
    /// A robots.txt was read.
    Parsed,
    /// The robots.txt is "unavailable" (this 4xx status): everything is allowed.
    Unavailable(u16),
    /// The robots.txt is "unreachable" (this error): everything is disallowed, unless
    /// rules read earlier are still at hand.
    Unreachable(String),
}

/// A site's rules for Vigie, as cached.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRobots {
    /// The robots.txt address.
    pub robots_url: String,
    /// The rules that apply to Vigie.
    pub rules: Arc<AgentRules>,
    /// Where they came from.
    pub source: RobotsSource,
}

#[derive(Debug)]
struct Entry {
    site: SiteRobots,
    expires: Instant,
    /// The rules of the last robots.txt read, kept through failures.
    last_parsed: Option<Arc<AgentRules>>,
}

/// A thread-safe cache of robots.txt rules, keyed by robots.txt URL (one per scheme,
/// host and port).
#[derive(Debug)]
pub struct RobotsCache {
    config: RobotsConfig,
    entries: Mutex<HashMap<String, Entry>>,
}

/// Entries kept before expired ones are swept.
const SWEEP_AT: usize = 10_000;

impl RobotsCache {
    /// An empty cache.
    pub fn new(config: RobotsConfig) -> RobotsCache {
        RobotsCache {
            config,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &RobotsConfig {
        &self.config
    }

    /// The robots.txt URL for a page URL: same scheme, host and port.
    pub fn robots_url(page: &Url) -> Option<String> {
        let host = page.host_str()?;
        Some(match page.port() {
            Some(p) => format!("{}://{host}:{p}/robots.txt", page.scheme()),
            None => format!("{}://{host}/robots.txt", page.scheme()),
        })
    }

    /// The cached rules for a robots.txt URL, if still fresh.
    pub fn get(&self, robots_url: &str) -> Option<SiteRobots> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .get(robots_url)
            .filter(|e| e.expires > Instant::now())
            .map(|e| e.site.clone())
    }

    /// Fetches a robots.txt with `fetcher`, caches and returns what it means.
    pub fn load(&self, fetcher: &Fetcher, robots_url: &str) -> SiteRobots {
        let result = fetcher.fetch(robots_url, &Validators::none());
        self.insert(robots_url, &result)
    }

    /// Caches what the fetch of a robots.txt means (see the module documentation).
    pub fn insert(
        &self,
        robots_url: &str,
        result: &Result<FetchOutcome, FetchError>,
    ) -> SiteRobots {
        let (rules, source) = match result {
            Ok(FetchOutcome::Fetched(page)) => (
                Robots::parse(&page.body).for_agent(&self.config.agent),
                RobotsSource::Parsed,
            ),
            // No validators were sent: a 304 is the server's confusion; take it as
            // "nothing to say".
            Ok(FetchOutcome::NotModified { .. }) => {
                (AgentRules::allow_all(), RobotsSource::Unavailable(304))
            }
            Err(FetchError::Status { status, .. })
                if (400..500).contains(status) && *status != 429 =>
            {
                (AgentRules::allow_all(), RobotsSource::Unavailable(*status))
            }
            Err(e) => (
                AgentRules::disallow_all(),
                RobotsSource::Unreachable(e.to_string()),
            ),
        };
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let previous = entries.get(robots_url).and_then(|e| e.last_parsed.clone());
        let (rules, ttl, last_parsed) = match &source {
            RobotsSource::Parsed => {
                let rules = Arc::new(rules);
                (rules.clone(), self.config.ttl, Some(rules))
            }
            // The last rules read, even stale, beat disallowing everything.
            RobotsSource::Unreachable(_) => (
                previous.clone().unwrap_or_else(|| Arc::new(rules)),
                self.config.unreachable_ttl,
                previous,
            ),
            RobotsSource::Unavailable(_) => (Arc::new(rules), self.config.ttl, None),
        };
        let site = SiteRobots {
            robots_url: robots_url.to_string(),
            rules,
            source,
        };
        if entries.len() >= SWEEP_AT {
            entries.retain(|_, e| e.expires > now);
        }
        entries.insert(
            robots_url.to_string(),
            Entry {
                site: site.clone(),
                expires: now + ttl,
                last_parsed,
            },
        );
        site
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::Page;

    fn page(body: &str) -> Result<FetchOutcome, FetchError> {
        Ok(FetchOutcome::Fetched(Page {
            final_url: "https://example.org/robots.txt".into(),
            status: 200,
            body: body.as_bytes().to_vec(),
            charset: None,
            content_type: Some("text/plain".into()),
            etag: None,
            last_modified: None,
            fetched_at: Utc::now(),
        }))
    }

    fn status(status: u16) -> Result<FetchOutcome, FetchError> {
        Err(FetchError::Status {
            url: "https://example.org/robots.txt".into(),
            status,
            attempts: 1,
        })
    }

    #[test]
    fn robots_urls() {
        let u = |s: &str| RobotsCache::robots_url(&Url::parse(s).unwrap()).unwrap();
        assert_eq!(
            u("https://Example.org/a/b?c#d"),
            "https://example.org/robots.txt"
        );
        assert_eq!(
            u("http://example.org:8080/a"),
            "http://example.org:8080/robots.txt"
        );
        assert_eq!(
            u("https://example.org:443/a"),
            "https://example.org/robots.txt"
        );
    }

    #[test]
    fn rfc_9309_status_rules() {
        let cache = RobotsCache::new(RobotsConfig::default());
        let key = "https://example.org/robots.txt";
        let s = cache.insert(key, &page("User-agent: vigie\nDisallow: /x\n"));
        assert_eq!(s.source, RobotsSource::Parsed);
        assert!(!s.rules.is_allowed("/x") && s.rules.is_allowed("/y"));
        assert_eq!(cache.get(key), Some(s));

        for code in [401, 403, 404, 410] {
            let s = cache.insert("https://a.example/robots.txt", &status(code));
            assert_eq!(s.source, RobotsSource::Unavailable(code));
            assert!(s.rules.is_allowed("/anything"));
        }
        for code in [429, 500, 503] {
            let s = cache.insert("https://b.example/robots.txt", &status(code));
            assert!(matches!(s.source, RobotsSource::Unreachable(_)), "{code}");
            assert!(!s.rules.is_allowed("/anything"));
        }
    }

    #[test]
    fn unreachable_keeps_last_rules_then_expires() {
        let cache = RobotsCache::new(RobotsConfig {
            unreachable_ttl: Duration::ZERO,
            ..RobotsConfig::default()
        });
        let key = "https://example.org/robots.txt";
        cache.insert(key, &page("User-agent: *\nDisallow: /x\n"));
        let s = cache.insert(key, &status(503));
        assert!(matches!(s.source, RobotsSource::Unreachable(_)));
        assert!(s.rules.is_allowed("/y"), "the last rules read still apply");
        assert!(!s.rules.is_allowed("/x"));
        let s = cache.insert(key, &status(500));
        assert!(s.rules.is_allowed("/y"), "and still after a second failure");
        // A zero TTL: already expired.
        assert_eq!(cache.get(key), None);
    }
}
