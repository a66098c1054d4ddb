//! The polite fetcher against local servers: robots.txt, and per-host gates proved by
//! the trace.

mod support;

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use support::{Reply, Server};
use vigie_ingest::{
    FetchConfig, FetchError, Fetcher, PoliteConfig, PoliteFetcher, RequestSpan, Validators,
};

fn polite(config: PoliteConfig) -> PoliteFetcher {
    let fetcher = Fetcher::new(FetchConfig {
        allow_private_addresses: true,
        max_attempts: 1,
        timeout: Duration::from_secs(5),
        ..FetchConfig::default()
    });
    PoliteFetcher::new(
        fetcher,
        PoliteConfig {
            min_delay: Duration::from_millis(10),
            trace: true,
            ..config
        },
    )
}

#[test]
fn robots_disallow_refuses_without_fetching() {
    let server = Server::start(|r| {
        match r.path.as_str() {
        "/robots.txt" => Reply::ok(
            "User-agent: *\nDisallow: /\n\nUser-agent: vigie\nDisallow: /private\nAllow: /private/ok$\n",
        ),
        _ => Reply::ok("page"),
    }
    });
    let p = polite(PoliteConfig::default());
    let v = Validators::none();
    assert!(p.fetch(&server.url("/news/1"), &v).is_ok());
    let url = server.url("/private/x?id=2");
    assert_eq!(
        p.fetch(&url, &v).unwrap_err(),
        FetchError::DisallowedByRobots {
            url: url.clone(),
            robots_url: server.url("/robots.txt"),
        }
    );
    assert!(p.fetch(&server.url("/private/ok"), &v).is_ok());
    assert_eq!(server.count("/private/x?id=2"), 0, "never requested");
    assert_eq!(server.count("/robots.txt"), 1, "fetched once, then cached");
    assert_eq!(server.count("/news/1"), 1);
}

#[test]
fn robots_missing_allows_and_unreachable_disallows() {
    let missing = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => Reply::new(404),
        _ => Reply::ok("page"),
    });
    let broken = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => Reply::new(503),
        _ => Reply::ok("page"),
    });
    let p = polite(PoliteConfig::default());
    let v = Validators::none();
    assert!(p.fetch(&missing.url("/anything"), &v).is_ok());
    let err = p.fetch(&broken.url("/anything"), &v).unwrap_err();
    assert!(
        matches!(err, FetchError::RobotsUnreachable { .. }),
        "{err:?}"
    );
    // The message says the file could not be read, not that the site forbids it.
    let message = err.to_string();
    assert!(message.contains("could not be read"), "{message}");
    assert_eq!(broken.count("/anything"), 0);

    // With robots.txt ignored, the page is fetched.
    let p = polite(PoliteConfig {
        respect_robots: false,
        ..PoliteConfig::default()
    });
    assert!(p.fetch(&broken.url("/anything"), &v).is_ok());
}

/// No two spans of a host overlap, and each starts at least `gap` after the previous
/// one ended.
fn assert_polite(host: &str, spans: &[RequestSpan], gap: Duration) {
    for w in spans.windows(2) {
        assert!(
            w[1].start >= w[0].end + gap,
            "{host}: {} started {:?} after {} ended (want ≥ {gap:?})",
            w[1].url,
            w[1].start.saturating_duration_since(w[0].end),
            w[0].url,
        );
    }
}

#[test]
fn per_host_gates_hold_while_hosts_run_in_parallel() {
    let servers: Vec<Server> = (0..3)
        .map(|_| Server::start(|_| Reply::ok("page").delay(Duration::from_millis(15))))
        .collect();
    let delay = Duration::from_millis(50);
    let p = Arc::new(polite(PoliteConfig {
        max_in_flight: 8,
        ..PoliteConfig::default()
    }));
    // The polite() helper sets 10 ms; this test wants 50.
    let p = Arc::new(PoliteFetcher::new(
        p.fetcher().clone(),
        PoliteConfig {
            min_delay: delay,
            ..p.config().clone()
        },
    ));
    let pages_per_host = 6;
    let urls: Vec<String> = (0..pages_per_host)
        .flat_map(|i| servers.iter().map(move |s| s.url(&format!("/page/{i}"))))
        .collect();
    let start = Instant::now();
    let workers: Vec<_> = (0..6)
        .map(|w| {
            let p = p.clone();
            let mine: Vec<String> = urls.iter().skip(w).step_by(6).cloned().collect();
            thread::spawn(move || {
                for u in mine {
                    p.fetch(&u, &Validators::none()).unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let elapsed = start.elapsed();

    let trace = p.trace();
    assert_eq!(trace.len(), 3);
    let mut all: Vec<(String, RequestSpan)> = Vec::new();
    for (host, spans) in &trace {
        // robots.txt and the pages.
        assert_eq!(spans.len(), pages_per_host + 1, "{host}");
        assert!(spans[0].url.ends_with("/robots.txt"));
        assert_polite(host, spans, delay);
        all.extend(spans.iter().map(|s| (host.clone(), s.clone())));
    }
    // Different hosts overlapped: some span of one host intersects one of another.
    let overlapping = all.iter().any(|(h1, a)| {
        all.iter()
            .any(|(h2, b)| h1 != h2 && a.start < b.end && b.start < a.end)
    });
    assert!(overlapping, "hosts should be fetched in parallel");
    // One host alone needs 7 requests and 6 gaps: ≥ 7·15 + 6·50 = 405 ms. Three hosts
    // in sequence would need three times that.
    assert!(elapsed < Duration::from_millis(3 * 405), "{elapsed:?}");
    for s in &servers {
        assert_eq!(s.count("/robots.txt"), 1);
    }
}

#[test]
fn crawl_delay_stretches_the_gap() {
    let server = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => Reply::ok("User-agent: *\nCrawl-delay: 0.2\n"),
        _ => Reply::ok("page"),
    });
    let p = Arc::new(polite(PoliteConfig::default()));
    let workers: Vec<_> = (0..3)
        .map(|i| {
            let (p, url) = (p.clone(), server.url(&format!("/{i}")));
            thread::spawn(move || p.fetch(&url, &Validators::none()).unwrap())
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let trace = p.trace();
    let (host, spans) = trace.iter().next().unwrap();
    assert_eq!(spans.len(), 4);
    assert_polite(host, spans, Duration::from_millis(200));
}

#[test]
fn without_per_host_politeness_requests_overlap() {
    let server = Server::start(|_| Reply::ok("page").delay(Duration::from_millis(100)));
    let p = Arc::new(polite(PoliteConfig {
        per_host: false,
        respect_robots: false,
        ..PoliteConfig::default()
    }));
    let workers: Vec<_> = (0..3)
        .map(|i| {
            let (p, url) = (p.clone(), server.url(&format!("/{i}")));
            thread::spawn(move || p.fetch(&url, &Validators::none()).unwrap())
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let trace = p.trace();
    let spans = trace.values().next().unwrap();
    assert_eq!(spans.len(), 3);
    assert!(
        spans.windows(2).any(|w| w[1].start < w[0].end),
        "the trace should show overlap when gates are off"
    );
}
