//! Why a fetch failed: one variant per problem, each naming the URL.

use std::net::IpAddr;
use std::time::Duration;

use thiserror::Error;

use crate::Refusal;

/// Why a fetch failed.
///
/// Every message starts with the URL that was asked for; problems met on a redirect
/// hop also name the hop. Variants that come from a limit name the
/// [`FetchConfig`](crate::FetchConfig) field that sets it.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The URL is not one Vigie fetches: not a URL, not http(s), credentials, or an IP
    /// address outside the public internet.
    #[error("{url}: refused: {reason}")]
    Refused {
        /// The URL as given.
        url: String,
        /// Why.
        reason: Refusal,
    },
    /// A redirect points to a URL Vigie does not fetch.
    #[error("{url}: refused the redirect to {location}: {reason}")]
    RedirectRefused {
        /// The URL first asked for.
        url: String,
        /// Where the redirect points (resolved against the hop that sent it).
        location: String,
        /// Why it is refused.
        reason: Refusal,
    },
    /// The host name resolves to an address outside the public internet (loopback,
    /// private, link-local…): checked after DNS, on every connection, redirects included.
    #[error("{url}: refused: the host {host} resolves to {ip}, which is not a public internet address (FetchConfig::allow_private_addresses)")]
    NonPublicAddress {
        /// The URL first asked for.
        url: String,
        /// The host name that was resolved.
        host: String,
        /// The address it resolved to.
        ip: IpAddr,
    },
    /// The host name does not resolve.
    #[error("{url}: the host name {host} does not resolve")]
    HostNotFound {
        /// The URL first asked for.
        url: String,
        /// The host name.
        host: String,
    },
    /// Connecting or talking to the server failed (refused, reset, TLS, malformed HTTP).
    #[error("{url}: {message} (after {attempts} attempts)")]
    Connection {
        /// The URL first asked for.
        url: String,
        /// What went wrong.
        message: String,
        /// Attempts made (retries included).
        attempts: u32,
    },
    /// A time limit ran out.
    #[error("{url}: no answer within {limit:?} ({what}; FetchConfig::{option})")]
    Timeout {
        /// The URL first asked for.
        url: String,
        /// Which step ran out of time ("connecting", "the whole transfer").
        what: &'static str,
        /// The limit in force.
        limit: Duration,
        /// The [`FetchConfig`](crate::FetchConfig) field that sets it.
        option: &'static str,
    },
    /// The body (after decompression) is larger than the cap.
    #[error("{url}: the body is larger than the {limit}-byte cap (FetchConfig::max_body_bytes)")]
    TooLarge {
        /// The URL first asked for.
        url: String,
        /// The cap in force.
        limit: u64,
    },
    /// The server answered with an error status (4xx, 5xx, or a 3xx that is not a
    /// redirect); 429 and 5xx only after the retries ran out.
    #[error("{url}: the server answered HTTP {status} (after {attempts} attempts)")]
    Status {
        /// The URL first asked for.
        url: String,
        /// The final status.
        status: u16,
        /// Attempts made (retries included).
        attempts: u32,
    },
    /// More redirects than allowed.
    #[error("{url}: more than {limit} redirects (FetchConfig::max_redirects)")]
    TooManyRedirects {
        /// The URL first asked for.
        url: String,
        /// The limit in force.
        limit: u32,
    },
    /// A redirect leads back to a URL already visited in this fetch.
    #[error("{url}: redirect loop: {}", chain.join(" -> "))]
    RedirectLoop {
        /// The URL first asked for.
        url: String,
        /// Every URL visited, ending with the repeated one.
        chain: Vec<String>,
    },
    /// A redirect without a usable `Location`.
    #[error("{url}: HTTP {status} redirect with {problem}")]
    BadRedirect {
        /// The URL first asked for.
        url: String,
        /// The redirect status.
        status: u16,
        /// What is wrong with the `Location` header.
        problem: String,
    },
    /// robots.txt disallows the URL for Vigie's user agent.
    #[error("{url}: disallowed by {robots_url}")]
    DisallowedByRobots {
        /// The URL asked for.
        url: String,
        /// The robots.txt that forbids it.
        robots_url: String,
    },
    /// The site's robots.txt could not be read, so the whole site is off limits for a
    /// while, as RFC 9309 asks (a network down says so here, not "disallowed").
    #[error("{url}: {robots_url} could not be read ({reason}); the site is not fetched until it can be (RFC 9309)")]
    RobotsUnreachable {
        /// The URL asked for.
        url: String,
        /// The robots.txt that could not be read.
        robots_url: String,
        /// Why it could not be read.
        reason: String,
    },
}

impl FetchError {
    /// The HTTP status, for [`FetchError::Status`].
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The URL that was asked for.
    pub fn url(&self) -> &str {
        match self {
            FetchError::Refused { url, .. }
            | FetchError::RedirectRefused { url, .. }
            | FetchError::NonPublicAddress { url, .. }
            | FetchError::HostNotFound { url, .. }
            | FetchError::Connection { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::RedirectLoop { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::DisallowedByRobots { url, .. }
            | FetchError::RobotsUnreachable { url, .. } => url,
        }
    }
}
