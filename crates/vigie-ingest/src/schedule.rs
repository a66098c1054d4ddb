//! When sources are polled, and in which order their pages are fetched.
//!
//! A source is due `every` after its last poll; after failures the wait doubles per
//! consecutive failure (at most 16 × `every`, never more than a day beyond `every`),
//! so a feed that is down is not hammered. Pages are fetched in an order that
//! alternates between hosts, so that workers waiting on one host's delay do not idle
//! while other hosts are free.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, Utc};

/// When a source is next due.
///
/// `last_poll` none: now. Otherwise `last_poll + every × 2^min(failures, 4)`, the
/// backoff part capped at a day.
pub fn next_due(
    last_poll: Option<DateTime<Utc>>,
    every: Duration,
    consecutive_failures: u32,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let Some(last) = last_poll else {
        return now;
    };
    let factor = 1u32 << consecutive_failures.min(4);
    let wait = every.saturating_mul(factor);
    let wait = wait.min(every.saturating_add(Duration::from_secs(86_400)));
    last + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::days(30))
}

/// Whether a source is due at `now`.
pub fn is_due(
    last_poll: Option<DateTime<Utc>>,
    every: Duration,
    consecutive_failures: u32,
    now: DateTime<Utc>,
) -> bool {
    next_due(last_poll, every, consecutive_failures, now) <= now
}

/// Orders items so that consecutive ones belong to different hosts where possible:
/// round-robin over hosts in the order they first appear, each host's items in their
/// order. `host` names an item's host (anything comparable; `host:port` for URLs).
pub fn interleave_by_host<T>(items: Vec<T>, host: impl Fn(&T) -> String) -> Vec<T> {
    let mut order: Vec<String> = Vec::new();
    let mut queues: HashMap<String, VecDeque<T>> = HashMap::new();
    for item in items {
        let h = host(&item);
        queues
            .entry(h.clone())
            .or_insert_with(|| {
                order.push(h);
                VecDeque::new()
            })
            .push_back(item);
    }
    let mut out = Vec::new();
    loop {
        let mut any = false;
        for h in &order {
            if let Some(item) = queues.get_mut(h).and_then(VecDeque::pop_front) {
                out.push(item);
                any = true;
            }
        }
        if !any {
            return out;
        }
    }
}

/// `host:port` of a URL (the unit of politeness), or the whole string when it is not a
/// URL.
pub fn host_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!(
            "{}:{}",
            u.host_str().unwrap_or_default(),
            u.port_or_known_default().unwrap_or_default()
        ),
        Err(_) => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_with_backoff() {
        let now = Utc::now();
        let every = Duration::from_secs(600);
        assert!(is_due(None, every, 0, now));
        let last = now - chrono::Duration::seconds(700);
        assert!(is_due(Some(last), every, 0, now));
        assert!(!is_due(Some(last), every, 1, now));
        assert_eq!(
            next_due(Some(last), every, 9, now),
            last + chrono::Duration::seconds(9600)
        );
        let daily = Duration::from_secs(86_400);
        assert_eq!(
            next_due(Some(last), daily, 9, now),
            last + chrono::Duration::days(2)
        );
    }

    #[test]
    fn interleaves_hosts() {
        let urls = vec![
            "http://a/1",
            "http://a/2",
            "http://a/3",
            "http://b/1",
            "http://c/1",
            "http://b/2",
        ];
        let out = interleave_by_host(urls, |u| host_of(u));
        assert_eq!(
            out,
            [
                "http://a/1",
                "http://b/1",
                "http://c/1",
                "http://a/2",
                "http://b/2",
                "http://a/3"
            ]
        );
        assert_eq!(host_of("https://Example.org/x"), "example.org:443");
    }
}
