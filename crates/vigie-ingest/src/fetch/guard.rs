//! What the fetcher may connect to: URLs checked before each hop, addresses checked
//! after DNS and before each connection.
//!
//! Checking the host name is not enough: `internal.example.com` may resolve to
//! `10.0.0.5`, and a name may resolve to a public address when checked and to a private
//! one a second later (DNS rebinding). So the check sits in the resolver ureq connects
//! through: the addresses checked are the addresses used.

use std::fmt;
use std::net::IpAddr;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;
use url::Url;

use crate::{is_public_ip, refuse_reason, Refusal};

/// Parses `s` and checks it is a URL the fetcher may ask for: http(s), a host, no
/// credentials, and, unless `allow_private`, no IP-literal host outside the public
/// internet.
pub(crate) fn check_url(s: &str, allow_private: bool) -> Result<Url, Refusal> {
    match refuse_reason(s) {
        None => {}
        Some(Refusal::NonPublicAddress(_)) if allow_private => {}
        Some(r) => return Err(r),
    }
    // Cannot fail: refuse_reason parsed it already.
    Url::parse(s.trim()).map_err(|e| Refusal::NotAUrl(e.to_string()))
}

/// The error the resolver hands back through ureq when a host resolves to a
/// non-public address; the fetcher finds it again by downcasting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NonPublic {
    pub host: String,
    pub ip: IpAddr,
}

impl fmt::Display for NonPublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} resolves to the non-public address {}",
            self.host, self.ip
        )
    }
}

impl std::error::Error for NonPublic {}

/// ureq's resolver, then a check of every address: if any is outside the public
/// internet the connection is refused. (Refusing rather than dropping the bad
/// addresses: a news site's name has no business resolving to `127.0.0.1`, and a name
/// that mixes public and private answers is more likely an attack than a mistake.)
#[derive(Debug, Default)]
pub(crate) struct PublicOnlyResolver {
    inner: DefaultResolver,
}

impl Resolver for PublicOnlyResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if let Some(bad) = addrs.iter().find(|a| !is_public_ip(a.ip())) {
            return Err(ureq::Error::Other(Box::new(NonPublic {
                host: uri.host().unwrap_or_default().to_string(),
                ip: bad.ip(),
            })));
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(check_url("https://example.org/a", false).is_ok());
        assert_eq!(
            check_url("ftp://example.org/", false),
            Err(Refusal::Scheme("ftp".into()))
        );
        assert_eq!(
            check_url("file:///etc/passwd", true),
            Err(Refusal::Scheme("file".into()))
        );
        assert_eq!(
            check_url("http://a:b@example.org/", true),
            Err(Refusal::Credentials)
        );
        assert!(matches!(
            check_url("http://169.254.169.254/latest/meta-data", false),
            Err(Refusal::NonPublicAddress(_))
        ));
        assert!(matches!(
            check_url("http://[fd00::1]/", false),
            Err(Refusal::NonPublicAddress(_))
        ));
        assert!(check_url("http://127.0.0.1:8080/", true).is_ok());
    }

    #[test]
    fn resolver_refuses_loopback_names() {
        let uri: Uri = "http://localhost:9/".parse().unwrap();
        let config = Config::default();
        let err = PublicOnlyResolver::default()
            .resolve(&uri, &config, NextTimeout::default())
            .unwrap_err();
        let ureq::Error::Other(e) = err else {
            panic!("expected a NonPublic error, got {err:?}")
        };
        let np = e.downcast_ref::<NonPublic>().unwrap();
        assert_eq!(np.host, "localhost");
        assert!(np.ip.is_loopback());
    }
}
