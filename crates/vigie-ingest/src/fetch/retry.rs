//! When to try again: exponential backoff with jitter, and the server's `Retry-After`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Whether a status is worth another attempt: 429 (too many requests), and the 5xx
/// that say "not now" rather than "never" (500, 502, 503, 504 and the rest of 5xx
/// except 501 Not Implemented and 505 HTTP Version Not Supported).
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || ((500..600).contains(&status) && status != 501 && status != 505)
}

/// The wait before attempt `failed + 1`, after `failed` failed attempts (1-based):
/// `base · 2^(failed-1)`, scaled by a random factor in [0.5, 1] so that many workers
/// failing together do not come back together, and capped at `max`.
pub(crate) fn backoff(base: Duration, failed: u32, max: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << failed.saturating_sub(1).min(16));
    exp.mul_f64(0.5 + 0.5 * random_fraction()).min(max)
}

/// A `Retry-After` value: delay-seconds or an HTTP date, as a wait from `now` (zero for
/// a date in the past); `None` when it is neither.
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is RFC 2822 with the zone "GMT".
    let when = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (when.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// A number in [0, 1) from the standard library's randomly keyed hasher: enough for
/// jitter, without a random-number crate.
fn random_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable() {
        for s in [429, 500, 502, 503, 504, 599] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [200, 304, 400, 403, 404, 410, 501, 505] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_cap() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(10);
        for failed in 1..=4 {
            let full = base * (1 << (failed - 1));
            for _ in 0..50 {
                let d = backoff(base, failed, max);
                assert!(d >= full / 2 && d <= full, "{failed}: {d:?}");
            }
        }
        assert_eq!(backoff(base, 30, max), max);
        // Not all equal: there is jitter.
        let waits: Vec<_> = (0..20).map(|_| backoff(base, 3, max)).collect();
        assert!(waits.iter().any(|w| *w != waits[0]));
    }

    #[test]
    fn retry_after_forms() {
        let now = DateTime::parse_from_rfc3339("2024-03-05T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Tue, 05 Mar 2024 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Tue, 05 Mar 2024 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
