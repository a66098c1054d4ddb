//! URL canonicalisation: one spelling per page, so that the same article reached from
//! a feed, a sitemap and a share link is fetched and stored once.
//!
//! What changes: scheme and host case, IDNA hosts (to their ASCII form), a trailing dot
//! on the host, default ports, `.`/`..` path segments, percent-encoding (all by the `url`
//! crate's WHATWG parser), the fragment (never sent to the server), tracking parameters
//! (`utm_*`, `fbclid`, `gclid`, …), and a query left empty. What does not: the order of
//! the remaining parameters and their spelling (sorting or re-encoding them can change
//! what a server returns), the path's case, a trailing slash.
//!
//! Also here: which URLs Vigie refuses to fetch ([`refuse_reason`]) and the pure
//! classification of IP addresses ([`is_public_ip`]); checking the addresses a host
//! name resolves to is the fetcher's job.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use crate::IngestError;

/// Query parameters dropped by name (compared lower-cased).
const TRACKING_PARAMS: &[&str] = &[
    // Ad and social click identifiers.
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "igshid",
    "igsh",
    "yclid",
    "ysclid",
    "rb_clickid",
    "wickedid",
    // Analytics and mailing tools.
    "_ga",
    "_gl",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "__hssc",
    "__hstc",
    "__hsfp",
    "hsctatracking",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "vero_conv",
    "s_cid",
    // News-site campaign tags (AT Internet, comScore, Yahoo, MSN, NYT shares).
    "xtor",
    "at_medium",
    "at_campaign",
    "at_source",
    "ns_campaign",
    "ns_mchannel",
    "ns_source",
    "ns_linkname",
    "ns_fee",
    "ncid",
    "ocid",
    "smid",
];

/// Query parameters dropped by prefix: Google Analytics (`utm_`), Matomo (`pk_`, `mtm_`),
/// HubSpot ads (`hsa_`).
const TRACKING_PREFIXES: &[&str] = &["utm_", "pk_", "mtm_", "hsa_"];

/// Whether a query parameter name is a known tracking parameter.
pub fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    TRACKING_PARAMS.contains(&name.as_str())
        || TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The canonical form of an http(s) URL (see the module documentation for what
/// changes). Errors name the URL and why it is refused: not a URL, another scheme, no
/// host.
pub fn canonicalize(input: &str) -> Result<Url, IngestError> {
    let trimmed = input.trim();
    let mut url = Url::parse(trimmed).map_err(|e| IngestError::Url {
        url: input.to_string(),
        reason: e.to_string(),
    })?;
    if let Some(reason) = scheme_or_host_refusal(&url) {
        return Err(IngestError::Url {
            url: input.to_string(),
            reason: reason.to_string(),
        });
    }
    url.set_fragment(None);
    if let Some(Host::Domain(d)) = url.host() {
        if d.ends_with('.') && d.len() > 1 {
            let d = d.trim_end_matches('.').to_string();
            // Cannot fail: a domain minus its trailing dots is still a domain.
            let _ = url.set_host(Some(&d));
        }
    }
    if let Some(query) = url.query() {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter(|p| {
                let key = url::form_urlencoded::parse(p.as_bytes())
                    .next()
                    .map(|(k, _)| k.into_owned())
                    .unwrap_or_default();
                !is_tracking_param(&key)
            })
            .collect();
        let kept = kept.join("&");
        url.set_query((!kept.is_empty()).then_some(kept.as_str()));
    }
    Ok(url)
}

/// Whether `s` is an absolute http or https URL with a host.
pub fn is_http_url(s: &str) -> bool {
    Url::parse(s.trim()).is_ok_and(|u| scheme_or_host_refusal(&u).is_none())
}

/// Why Vigie will not fetch a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The string does not parse as an absolute URL.
    NotAUrl(String),
    /// The scheme is not http or https (`ftp:`, `file:`, `javascript:`, `data:`…).
    Scheme(String),
    /// No host (`http:///path`).
    NoHost,
    /// User name or password in the URL: credentials do not belong in a source list.
    Credentials,
    /// The host is an IP address outside the public internet (loopback, private,
    /// link-local…).
    NonPublicAddress(IpAddr),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotAUrl(e) => write!(f, "not an absolute URL ({e})"),
            Refusal::Scheme(s) => write!(f, "the scheme {s:?} is not http or https"),
            Refusal::NoHost => f.write_str("the URL has no host"),
            Refusal::Credentials => f.write_str("the URL carries a user name or password"),
            Refusal::NonPublicAddress(ip) => {
                write!(f, "the host {ip} is not a public internet address")
            }
        }
    }
}

/// Why a URL is refused, or `None` when Vigie may fetch it: an absolute http(s) URL
/// with a host, no credentials, and no IP-literal host outside the public internet.
/// Host names are not resolved here.
pub fn refuse_reason(s: &str) -> Option<Refusal> {
    let url = match Url::parse(s.trim()) {
        Ok(u) => u,
        Err(e) => return Some(Refusal::NotAUrl(e.to_string())),
    };
    if let Some(r) = scheme_or_host_refusal(&url) {
        return Some(r);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Some(Refusal::Credentials);
    }
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    match ip {
        Some(ip) if !is_public_ip(ip) => Some(Refusal::NonPublicAddress(ip)),
        _ => None,
    }
}

fn scheme_or_host_refusal(url: &Url) -> Option<Refusal> {
    if !matches!(url.scheme(), "http" | "https") {
        return Some(Refusal::Scheme(url.scheme().to_string()));
    }
    match url.host_str() {
        None | Some("") => Some(Refusal::NoHost),
        _ => None,
    }
}

/// Whether an address belongs to the public internet: `false` for unspecified,
/// loopback, private (RFC 1918), shared/CGNAT (100.64.0.0/10), link-local, multicast,
/// broadcast, reserved, benchmarking and documentation ranges, IPv6 unique-local
/// (fc00::/7) and site-local, and for IPv6 forms that embed a non-public IPv4 address
/// (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4). IPv6 is public only inside
/// global unicast (2000::/3).
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let in_net = |net: [u8; 4], bits: u32| {
        let mask = if bits == 0 {
            0
        } else {
            u32::MAX << (32 - bits)
        };
        u32::from(ip) & mask == u32::from(Ipv4Addr::from(net)) & mask
    };
    !(a == 0 // "this network", 0.0.0.0/8
        || a == 10
        || a == 127
        || in_net([100, 64, 0, 0], 10) // shared address space (CGNAT)
        || (a == 169 && b == 254) // link-local
        || in_net([172, 16, 0, 0], 12)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168)
        || in_net([198, 18, 0, 0], 15) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224) // multicast 224/4, reserved 240/4, broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    // IPv4-mapped ::ffff:a.b.c.d reaches the IPv4 address. (IPv4-compatible ::a.b.c.d,
    // deprecated, falls outside 2000::/3 below.)
    if s[..6] == [0, 0, 0, 0, 0, 0xffff] {
        return is_public_v4(embedded(s[6], s[7]));
    }
    // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 address.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded(s[6], s[7]));
    }
    // Outside global unicast 2000::/3: ULA fc00::/7, link-local fe80::/10, site-local,
    // multicast ff00::/8, discard 100::/64, NAT64 local-use 64:ff9b:1::/48, …
    if s[0] & 0xe000 != 0x2000 {
        return false;
    }
    // 6to4 2002::/16 embeds an IPv4 address.
    if s[0] == 0x2002 {
        return is_public_v4(embedded(s[1], s[2]));
    }
    // Documentation 3fff::/20.
    if s[0] & 0xfff0 == 0x3ff0 {
        return false;
    }
    if s[0] != 0x2001 {
        return true;
    }
    let special = s[1] == 0 // Teredo 2001::/32
        || s[1] == 0x0db8 // documentation 2001:db8::/32
        || (s[1] == 2 && s[2] == 0) // benchmarking 2001:2::/48
        || s[1] & 0xfff0 == 0x0010 // ORCHID 2001:10::/28
        || s[1] & 0xfff0 == 0x0020; // ORCHIDv2 2001:20::/28
    !special
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonicalize(s).unwrap().to_string()
    }

    #[test]
    fn case_ports_fragments() {
        assert_eq!(
            canon("HTTPS://WWW.Example.COM:443/Path/Page.html#comments"),
            "https://www.example.com/Path/Page.html"
        );
        assert_eq!(canon("http://example.com:80"), "http://example.com/");
        assert_eq!(
            canon("http://example.com:8080/a"),
            "http://example.com:8080/a"
        );
        assert_eq!(
            canon("https://example.com./a/../b"),
            "https://example.com/b"
        );
    }

    #[test]
    fn tracking_parameters_go_order_stays() {
        assert_eq!(
            canon(
                "https://example.com/a?utm_source=rss&id=3&UTM_Medium=x&fbclid=abc&b=2&a=1&gclid=z"
            ),
            "https://example.com/a?id=3&b=2&a=1"
        );
        assert_eq!(
            canon("https://example.com/a?utm_source=twitter&utm_campaign=x"),
            "https://example.com/a"
        );
        assert_eq!(canon("https://example.com/a?"), "https://example.com/a");
        assert_eq!(
            canon("https://www.example.fr/article?xtor=RSS-3208&mc_cid=1&mc_eid=2&igshid=3&yclid=4&_ga=5"),
            "https://www.example.fr/article"
        );
        // Spelling of kept parameters is untouched (no + / %20 rewriting).
        assert_eq!(
            canon("https://example.com/s?q=a%20b&r=c+d&&utm_x=1"),
            "https://example.com/s?q=a%20b&r=c+d"
        );
    }

    #[test]
    fn idna_hosts_become_ascii() {
        assert_eq!(
            canon("https://Bücher.Example/"),
            "https://xn--bcher-kva.example/"
        );
        assert_eq!(
            canon("http://中国.example/x"),
            "http://xn--fiqs8s.example/x"
        );
    }

    #[test]
    fn refusals() {
        assert!(is_http_url("https://example.org"));
        assert!(!is_http_url("ftp://example.org"));
        assert!(!is_http_url("/relative"));
        assert_eq!(refuse_reason("https://example.org/a"), None);
        assert_eq!(
            refuse_reason("javascript:alert(1)"),
            Some(Refusal::Scheme("javascript".into()))
        );
        assert_eq!(
            refuse_reason("file:///etc/passwd"),
            Some(Refusal::Scheme("file".into()))
        );
        assert!(matches!(
            refuse_reason("example.org"),
            Some(Refusal::NotAUrl(_))
        ));
        assert_eq!(
            refuse_reason("http://user:pw@example.org/"),
            Some(Refusal::Credentials)
        );
        assert!(matches!(
            refuse_reason("http://127.0.0.1:8080/admin"),
            Some(Refusal::NonPublicAddress(_))
        ));
        assert!(matches!(
            refuse_reason("http://[::ffff:10.0.0.1]/"),
            Some(Refusal::NonPublicAddress(_))
        ));
        assert!(canonicalize("mailto:a@example.org")
            .unwrap_err()
            .to_string()
            .contains("mailto"));
    }

    #[test]
    fn ip_classification() {
        let public = [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "192.0.3.1",
            "2606:4700:4700::1111",
            "2a00:1450:4007:80e::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ];
        let private = [
            "0.0.0.0",
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "224.0.0.1",
            "239.255.255.250",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456:789a::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:192.168.0.1",
            "::ffff:100.64.0.1",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:a00:1::1",
            "2001:db8::1",
            "2001::1",
            "3fff::1",
            "100::1",
        ];
        for ip in public {
            assert!(is_public_ip(ip.parse().unwrap()), "{ip} should be public");
        }
        for ip in private {
            assert!(
                !is_public_ip(ip.parse().unwrap()),
                "{ip} should not be public"
            );
        }
    }
}
