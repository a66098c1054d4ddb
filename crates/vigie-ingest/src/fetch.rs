//! A safe HTTP fetcher: one GET, with the checks a crawler that reads addresses from
//! the open web needs.
//!
//! - **Only the public web.** http(s) only, no credentials in URLs, and no address
//!   outside the public internet, checked on the literal host, then after DNS on every
//!   connection (see `guard`), then again on every redirect hop. Redirects are followed
//!   here, not by ureq, so that each hop is checked, counted and compared with the hops
//!   before it (a loop ends with [`FetchError::RedirectLoop`]).
//! - **Bounded.** Connect and whole-transfer timeouts, a cap on the body *after*
//!   decompression (gzip and brotli are accepted), a cap on redirects.
//! - **Retries that do not hammer.** 429, 5xx and connection failures are retried with
//!   exponential backoff and jitter, or after the server's `Retry-After` (capped).
//! - **Conditional.** [`Validators`] from the last fetch become `If-None-Match` and
//!   `If-Modified-Since`; a 304 is [`FetchOutcome::NotModified`].
//!
//! Politeness (robots.txt, one request at a time per host, delays) is
//! [`PoliteFetcher`](crate::PoliteFetcher)'s job, on top of this one.
//!
//! A [`Fetcher`] is `Send + Sync` and cheap to share: worker threads call
//! [`Fetcher::fetch`] on one instance, and share its connection pool.

mod error;
mod guard;
mod retry;

use std::time::Duration;

use chrono::{DateTime, Utc};
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::DefaultConnector;
use url::Url;

pub use error::FetchError;
pub(crate) use guard::check_url;
use guard::{NonPublic, PublicOnlyResolver};
use retry::{backoff, is_retryable_status, parse_retry_after};

/// How the fetcher behaves; every limit has a default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    /// Time to resolve the host and open the connection (TLS included) (default 10 s).
    pub connect_timeout: Duration,
    /// Time for one whole attempt: resolve, connect, request, response head and body
    /// (default 30 s). A slow server that drips its body is cut off here.
    pub timeout: Duration,
    /// Bodies larger than this after decompression are refused (default 32 MiB, the
    /// size of the largest feeds; news pages weigh a few MiB at most).
    pub max_body_bytes: u64,
    /// Redirects followed before giving up (default 5).
    pub max_redirects: u32,
    /// Attempts at each request, the first included, when the server answers 429 or
    /// 5xx or the connection fails (default 3; 1 disables retries).
    pub max_attempts: u32,
    /// The first backoff; it doubles at each retry, with jitter (default 1 s).
    pub retry_base_delay: Duration,
    /// The longest wait before a retry, whatever the backoff or `Retry-After` says
    /// (default 60 s).
    pub max_retry_wait: Duration,
    /// The product token and version sent as `User-Agent` (default `Vigie/<version>`).
    pub user_agent: String,
    /// A page that tells site owners who runs this crawler, added to the user agent as
    /// `(+URL)` (default none).
    pub contact_url: Option<String>,
    /// Allows loopback, private, link-local and other non-public addresses (default
    /// false). For tests against a local server and for intranet deployments only:
    /// with it, a feed can make Vigie read internal services.
    pub allow_private_addresses: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 32 << 20,
            max_redirects: 5,
            max_attempts: 3,
            retry_base_delay: Duration::from_secs(1),
            max_retry_wait: Duration::from_secs(60),
            user_agent: concat!("Vigie/", env!("CARGO_PKG_VERSION")).to_string(),
            contact_url: None,
            allow_private_addresses: false,
        }
    }
}

impl FetchConfig {
    /// The `User-Agent` header: `Vigie/0.1.0`, or `Vigie/0.1.0 (+https://…)` with a
    /// contact URL.
    pub fn user_agent_header(&self) -> String {
        match &self.contact_url {
            Some(c) => format!("{} (+{c})", self.user_agent),
            None => self.user_agent.clone(),
        }
    }
}

/// What the last fetch of a URL said about its version, sent back to ask "has it
/// changed?".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header, as received (quotes and `W/` included); sent as
    /// `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` header, as received; sent back verbatim as
    /// `If-Modified-Since` (as RFC 9110 recommends, rather than a date of our own).
    pub last_modified: Option<String>,
}

impl Validators {
    /// No validators: an unconditional request.
    pub fn none() -> Validators {
        Validators::default()
    }
}

/// A page as fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The URL the body came from, after redirects.
    pub final_url: String,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The body, decompressed.
    pub body: Vec<u8>,
    /// The charset named in `Content-Type`, as written.
    pub charset: Option<String>,
    /// The media type from `Content-Type` (`text/html`), without parameters.
    pub content_type: Option<String>,
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
    /// When the response head arrived: the page's capture time.
    pub fetched_at: DateTime<Utc>,
}

impl Page {
    /// The validators to send on the next fetch of this URL.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

/// The result of a successful fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchOutcome {
    /// A 2xx response with its body.
    Fetched(Page),
    /// 304: the page has not changed since the [`Validators`] sent.
    NotModified {
        /// The URL that answered 304, after redirects.
        final_url: String,
    },
}

/// A blocking, thread-safe HTTP GET client with the checks of the module
/// documentation. Build one per configuration and share it.
#[derive(Debug, Clone)]
pub struct Fetcher {
    agent: ureq::Agent,
    config: FetchConfig,
}

/// How one request (one hop) ended.
enum Hop {
    Done(FetchOutcome),
    Redirect {
        status: u16,
        location: Option<String>,
    },
}

/// A failed attempt: the error to report if no attempt is left, and whether another
/// attempt may help (and when).
struct Failure {
    error: FetchError,
    retryable: bool,
    retry_after: Option<Duration>,
}

impl Failure {
    fn fatal(error: FetchError) -> Failure {
        Failure {
            error,
            retryable: false,
            retry_after: None,
        }
    }
}

impl Fetcher {
    /// A fetcher with its own connection pool.
    pub fn new(config: FetchConfig) -> Fetcher {
        let agent_config = ureq::Agent::config_builder()
            // Statuses and redirects are handled here: every hop is checked.
            .http_status_as_error(false)
            .max_redirects(0)
            // A proxy would resolve names itself, out of reach of the address check.
            .proxy(None)
            .user_agent(config.user_agent_header())
            .timeout_resolve(Some(config.connect_timeout))
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.timeout))
            .build();
        let agent = if config.allow_private_addresses {
            ureq::Agent::with_parts(
                agent_config,
                DefaultConnector::new(),
                DefaultResolver::default(),
            )
        } else {
            ureq::Agent::with_parts(
                agent_config,
                DefaultConnector::new(),
                PublicOnlyResolver::default(),
            )
        };
        Fetcher { agent, config }
    }

    /// The configuration in force.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// GETs `url`, following redirects, retrying what is worth retrying.
    ///
    /// `Ok` is a 2xx page or a 304; any other final status is
    /// [`FetchError::Status`]. Blocks for at most about
    /// `max_attempts × (timeout + max_retry_wait)` per hop.
    pub fn fetch(&self, url: &str, validators: &Validators) -> Result<FetchOutcome, FetchError> {
        let allow_private = self.config.allow_private_addresses;
        let mut current = check_url(url, allow_private).map_err(|reason| FetchError::Refused {
            url: url.to_string(),
            reason,
        })?;
        let mut visited = vec![current.to_string()];
        loop {
            let (status, location) = match self.hop(url, &current, validators)? {
                Hop::Done(outcome) => return Ok(outcome),
                Hop::Redirect { status, location } => (status, location),
            };
            let location = location.ok_or_else(|| FetchError::BadRedirect {
                url: url.to_string(),
                status,
                problem: "no Location header".to_string(),
            })?;
            let next = current
                .join(&location)
                .map_err(|e| FetchError::BadRedirect {
                    url: url.to_string(),
                    status,
                    problem: format!("the Location {location:?}, which is not a URL ({e})"),
                })?;
            let next = check_url(next.as_str(), allow_private).map_err(|reason| {
                FetchError::RedirectRefused {
                    url: url.to_string(),
                    location: next.to_string(),
                    reason,
                }
            })?;
            let next_str = next.to_string();
            if visited.contains(&next_str) {
                visited.push(next_str);
                return Err(FetchError::RedirectLoop {
                    url: url.to_string(),
                    chain: visited,
                });
            }
            if visited.len() > self.config.max_redirects as usize {
                return Err(FetchError::TooManyRedirects {
                    url: url.to_string(),
                    limit: self.config.max_redirects,
                });
            }
            visited.push(next_str);
            current = next;
        }
    }

    /// One hop, with its retries.
    fn hop(&self, original: &str, url: &Url, validators: &Validators) -> Result<Hop, FetchError> {
        let max_attempts = self.config.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            let failure = match self.attempt(original, url, validators, attempt) {
                Ok(hop) => return Ok(hop),
                Err(f) => f,
            };
            if !failure.retryable || attempt >= max_attempts {
                return Err(failure.error);
            }
            let wait = match failure.retry_after {
                Some(w) => w.min(self.config.max_retry_wait),
                None => backoff(
                    self.config.retry_base_delay,
                    attempt,
                    self.config.max_retry_wait,
                ),
            };
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    /// One request.
    fn attempt(
        &self,
        original: &str,
        url: &Url,
        validators: &Validators,
        attempt: u32,
    ) -> Result<Hop, Failure> {
        let mut request = self.agent.get(url.as_str());
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header("If-Modified-Since", date);
        }
        let mut response = request
            .call()
            .map_err(|e| self.failure(original, url, e, attempt))?;
        let fetched_at = Utc::now();
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
        };
        match status {
            200..=299 => {}
            304 => {
                return Ok(Hop::Done(FetchOutcome::NotModified {
                    final_url: url.to_string(),
                }))
            }
            301 | 302 | 303 | 307 | 308 => {
                return Ok(Hop::Redirect {
                    status,
                    location: header("location"),
                })
            }
            _ => {
                let error = FetchError::Status {
                    url: original.to_string(),
                    status,
                    attempts: attempt,
                };
                if !is_retryable_status(status) {
                    return Err(Failure::fatal(error));
                }
                return Err(Failure {
                    error,
                    retryable: true,
                    retry_after: header("retry-after")
                        .and_then(|v| parse_retry_after(&v, Utc::now())),
                });
            }
        }
        let limit = self.config.max_body_bytes;
        let too_large = || {
            Failure::fatal(FetchError::TooLarge {
                url: original.to_string(),
                limit,
            })
        };
        // Refuse early what the server announces as too large (only when the body is
        // not compressed: the cap is on decompressed bytes).
        if header("content-encoding").is_none()
            && response.body().content_length().is_some_and(|n| n > limit)
        {
            return Err(too_large());
        }
        let etag = header("etag");
        let last_modified = header("last-modified");
        let charset = response.body().charset().map(str::to_string);
        let content_type = response.body().mime_type().map(str::to_string);
        let body = response
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| self.failure(original, url, e, attempt))?;
        Ok(Hop::Done(FetchOutcome::Fetched(Page {
            final_url: url.to_string(),
            status,
            body,
            charset,
            content_type,
            etag,
            last_modified,
            fetched_at,
        })))
    }

    /// What a ureq error means for the fetch: which [`FetchError`], and whether to retry.
    fn failure(&self, original: &str, url: &Url, error: ureq::Error, attempt: u32) -> Failure {
        let url_s = original.to_string();
        let host = url.host_str().unwrap_or_default().to_string();
        let connect_timeout = || FetchError::Timeout {
            url: url_s.clone(),
            what: "connecting",
            limit: self.config.connect_timeout,
            option: "connect_timeout",
        };
        let transfer_timeout = || FetchError::Timeout {
            url: url_s.clone(),
            what: "the whole transfer",
            limit: self.config.timeout,
            option: "timeout",
        };
        let connection = |message: String| Failure {
            error: FetchError::Connection {
                url: url_s.clone(),
                message,
                attempts: attempt,
            },
            retryable: true,
            retry_after: None,
        };
        match error {
            ureq::Error::Other(e) => match e.downcast::<NonPublic>() {
                Ok(np) => Failure::fatal(FetchError::NonPublicAddress {
                    url: url_s,
                    host: np.host,
                    ip: np.ip,
                }),
                Err(e) => Failure::fatal(FetchError::Connection {
                    url: url_s,
                    message: e.to_string(),
                    attempts: attempt,
                }),
            },
            ureq::Error::HostNotFound => {
                Failure::fatal(FetchError::HostNotFound { url: url_s, host })
            }
            ureq::Error::BodyExceedsLimit(limit) => {
                Failure::fatal(FetchError::TooLarge { url: url_s, limit })
            }
            // A server that does not connect may be restarting: retry. One that
            // connects and then is slow is not helped by being asked again.
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => Failure {
                retryable: true,
                ..Failure::fatal(connect_timeout())
            },
            ureq::Error::Timeout(_) => Failure::fatal(transfer_timeout()),
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                Failure::fatal(transfer_timeout())
            }
            ureq::Error::Io(e) => connection(format!("connection failed: {e}")),
            ureq::Error::ConnectionFailed => connection("connection failed".to_string()),
            other => Failure::fatal(FetchError::Connection {
                url: url_s,
                message: other.to_string(),
                attempts: attempt,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent() {
        let mut c = FetchConfig::default();
        assert!(c.user_agent_header().starts_with("Vigie/0."));
        c.contact_url = Some("https://vigie.example/bot".into());
        assert!(c
            .user_agent_header()
            .ends_with(" (+https://vigie.example/bot)"));
    }

    #[test]
    fn fetcher_is_shareable() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Fetcher>();
    }

    #[test]
    fn refused_before_any_connection() {
        let f = Fetcher::new(FetchConfig::default());
        for (url, needle) in [
            ("ftp://example.org/a", "scheme"),
            ("file:///etc/passwd", "scheme"),
            ("http://u:p@example.org/", "user name or password"),
            ("http://10.0.0.1/", "not a public"),
            ("http://[::1]:8080/", "not a public"),
            ("not a url", "not an absolute URL"),
        ] {
            let e = f.fetch(url, &Validators::none()).unwrap_err();
            assert!(matches!(e, FetchError::Refused { .. }), "{url}: {e}");
            let msg = e.to_string();
            assert!(msg.starts_with(url) && msg.contains(needle), "{msg}");
        }
    }
}
