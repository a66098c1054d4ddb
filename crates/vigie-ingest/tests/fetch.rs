//! The fetcher against a local server: statuses, bodies, validators, caps, timeouts,
//! retries, redirects and the address checks.

mod support;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use flate2::write::GzEncoder;
use flate2::Compression;
use support::{Reply, Server};
use vigie_ingest::{FetchConfig, FetchError, FetchOutcome, Fetcher, Page, Refusal, Validators};

/// A fetcher for tests: local addresses allowed, short waits.
fn config() -> FetchConfig {
    FetchConfig {
        allow_private_addresses: true,
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(5),
        retry_base_delay: Duration::from_millis(50),
        max_retry_wait: Duration::from_secs(2),
        ..FetchConfig::default()
    }
}

fn fetch(f: &Fetcher, url: &str) -> Result<FetchOutcome, FetchError> {
    f.fetch(url, &Validators::none())
}

fn page(outcome: FetchOutcome) -> Page {
    match outcome {
        FetchOutcome::Fetched(p) => p,
        other => panic!("expected a page, got {other:?}"),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn ok_page_with_charset_and_headers() {
    let server = Server::start(|_| {
        Reply::ok(b"<p>caf\xe9</p>".to_vec())
            .header("Content-Type", "text/html; charset=ISO-8859-1")
            .header("ETag", "\"v1\"")
            .header("Last-Modified", "Tue, 05 Mar 2024 10:00:00 GMT")
    });
    let f = Fetcher::new(FetchConfig {
        contact_url: Some("https://vigie.example/bot".into()),
        ..config()
    });
    let before = chrono::Utc::now();
    let p = page(fetch(&f, &server.url("/a?x=1")).unwrap());
    assert_eq!(p.status, 200);
    assert_eq!(p.body, b"<p>caf\xe9</p>");
    assert_eq!(p.charset.as_deref(), Some("ISO-8859-1"));
    assert_eq!(p.content_type.as_deref(), Some("text/html"));
    assert_eq!(p.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        p.last_modified.as_deref(),
        Some("Tue, 05 Mar 2024 10:00:00 GMT")
    );
    assert_eq!(p.final_url, server.url("/a?x=1"));
    assert!(p.fetched_at >= before);

    let req = &server.requests()[0];
    assert_eq!(req.method, "GET");
    assert_eq!(req.path, "/a?x=1");
    let ua = req.header("user-agent").unwrap();
    assert!(
        ua.starts_with("Vigie/") && ua.ends_with("(+https://vigie.example/bot)"),
        "{ua}"
    );
    let ae = req.header("accept-encoding").unwrap();
    assert!(ae.contains("gzip") && ae.contains("br"), "{ae}");
    assert!(req.header("if-none-match").is_none());
}

#[test]
fn gzip_body_is_decompressed() {
    let text = "<html><body>".to_string() + &"Nouvelles. ".repeat(500) + "</body></html>";
    let body = gzip(text.as_bytes());
    let server = Server::start(move |_| {
        Reply::ok(body.clone())
            .header("Content-Type", "text/html")
            .header("Content-Encoding", "gzip")
    });
    let p = page(fetch(&Fetcher::new(config()), &server.url("/")).unwrap());
    assert_eq!(p.body, text.as_bytes());
}

#[test]
fn conditional_request_gets_not_modified() {
    let server = Server::start(|r| {
        let fresh = r.header("if-none-match") == Some("\"v7\"")
            || r.header("if-modified-since") == Some("Tue, 05 Mar 2024 10:00:00 GMT");
        if fresh {
            Reply::new(304).header("ETag", "\"v7\"")
        } else {
            Reply::ok("page")
                .header("ETag", "\"v7\"")
                .header("Last-Modified", "Tue, 05 Mar 2024 10:00:00 GMT")
        }
    });
    let f = Fetcher::new(config());
    let first = page(fetch(&f, &server.url("/feed")).unwrap());
    let second = f.fetch(&server.url("/feed"), &first.validators()).unwrap();
    assert_eq!(
        second,
        FetchOutcome::NotModified {
            final_url: server.url("/feed")
        }
    );
    let reqs = server.requests();
    assert_eq!(reqs[1].header("if-none-match"), Some("\"v7\""));
    assert_eq!(
        reqs[1].header("if-modified-since"),
        Some("Tue, 05 Mar 2024 10:00:00 GMT")
    );
    // Last-Modified alone works too.
    let only_date = Validators {
        etag: None,
        last_modified: first.last_modified.clone(),
    };
    assert!(matches!(
        f.fetch(&server.url("/feed"), &only_date).unwrap(),
        FetchOutcome::NotModified { .. }
    ));
}

#[test]
fn body_size_cap() {
    let big = vec![b'a'; 10_000];
    let bomb = gzip(&vec![0u8; 1 << 20]);
    let server = Server::start(move |r| match r.path.as_str() {
        "/announced" => Reply::ok(big.clone()),
        "/streamed" => Reply::ok(big.clone()).close_delimited(),
        "/bomb" => Reply::ok(bomb.clone()).header("Content-Encoding", "gzip"),
        _ => Reply::ok(vec![b'a'; 1000]),
    });
    let f = Fetcher::new(FetchConfig {
        max_body_bytes: 1000,
        ..config()
    });
    // Exactly at the cap is fine.
    assert_eq!(
        page(fetch(&f, &server.url("/exact")).unwrap()).body.len(),
        1000
    );
    for path in ["/announced", "/streamed", "/bomb"] {
        let url = server.url(path);
        let e = fetch(&f, &url).unwrap_err();
        assert_eq!(
            e,
            FetchError::TooLarge {
                url: url.clone(),
                limit: 1000
            },
            "{path}"
        );
        let msg = e.to_string();
        assert!(
            msg.contains("1000-byte cap") && msg.contains("max_body_bytes"),
            "{msg}"
        );
    }
    // Too large is not worth a retry.
    assert_eq!(server.count("/announced"), 1);
}

#[test]
fn slow_response_times_out_without_retry() {
    let server = Server::start(|_| Reply::ok("late").delay(Duration::from_secs(3)));
    let f = Fetcher::new(FetchConfig {
        timeout: Duration::from_millis(300),
        ..config()
    });
    let start = Instant::now();
    let e = fetch(&f, &server.url("/slow")).unwrap_err();
    assert!(
        matches!(
            e,
            FetchError::Timeout {
                option: "timeout",
                ..
            }
        ),
        "{e}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.count("/slow"), 1);
}

#[test]
fn too_many_requests_honours_retry_after() {
    let hits = AtomicUsize::new(0);
    let server = Server::start(move |r| {
        if r.path == "/capped" {
            return Reply::new(429).header("Retry-After", "3600");
        }
        if hits.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::new(429).header("Retry-After", "1")
        } else {
            Reply::ok("finally")
        }
    });
    let f = Fetcher::new(config());
    let start = Instant::now();
    let p = page(fetch(&f, &server.url("/busy")).unwrap());
    assert_eq!(p.body, b"finally");
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.count("/busy"), 2);

    // An hour is capped at max_retry_wait.
    let f = Fetcher::new(FetchConfig {
        max_retry_wait: Duration::from_millis(100),
        max_attempts: 2,
        ..config()
    });
    let start = Instant::now();
    let e = fetch(&f, &server.url("/capped")).unwrap_err();
    assert_eq!(e.status(), Some(429));
    assert!(e.to_string().contains("after 2 attempts"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn server_errors_are_retried_with_backoff() {
    let hits = AtomicUsize::new(0);
    let server = Server::start(move |r| match r.path.as_str() {
        "/flaky" if hits.fetch_add(1, Ordering::SeqCst) < 2 => Reply::new(503),
        "/flaky" => Reply::ok("up"),
        "/down" => Reply::new(500),
        _ => Reply::new(404),
    });
    let f = Fetcher::new(config());
    let start = Instant::now();
    assert_eq!(page(fetch(&f, &server.url("/flaky")).unwrap()).body, b"up");
    // Backoff 50 ms then 100 ms, each at least halved by jitter.
    assert!(start.elapsed() >= Duration::from_millis(75));
    assert_eq!(server.count("/flaky"), 3);

    let url = server.url("/down");
    assert_eq!(
        fetch(&f, &url).unwrap_err(),
        FetchError::Status {
            url: url.clone(),
            status: 500,
            attempts: 3
        }
    );
    assert_eq!(server.count("/down"), 3);

    // A 404 is final.
    assert_eq!(
        fetch(&f, &server.url("/gone")).unwrap_err().status(),
        Some(404)
    );
    assert_eq!(server.count("/gone"), 1);
}

#[test]
fn connection_refused_is_retried_then_reported() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let f = Fetcher::new(FetchConfig {
        max_attempts: 2,
        ..config()
    });
    let url = format!("http://127.0.0.1:{port}/");
    let e = fetch(&f, &url).unwrap_err();
    assert!(
        matches!(&e, FetchError::Connection { attempts: 2, .. }),
        "{e:?}"
    );
    assert!(e.to_string().starts_with(&url));
}

#[test]
fn redirects_are_followed_and_bounded() {
    let server = Server::start(|r| {
        let path = r.path.as_str();
        if let Some(n) = path.strip_prefix("/hop/") {
            let n: u32 = n.parse().unwrap();
            return Reply::redirect(302, &format!("/hop/{}", n + 1));
        }
        match path {
            "/a" => Reply::redirect(301, "b"),
            "/b" => Reply::redirect(307, "/c?from=b"),
            "/c?from=b" => Reply::redirect(308, "/final"),
            "/final" => Reply::ok("landed"),
            "/loop1" => Reply::redirect(302, "/loop2"),
            "/loop2" => Reply::redirect(303, "/loop1"),
            "/nowhere" => Reply::new(302),
            _ => Reply::new(404),
        }
    });
    let f = Fetcher::new(config());
    let p = page(fetch(&f, &server.url("/a")).unwrap());
    assert_eq!(p.body, b"landed");
    assert_eq!(p.final_url, server.url("/final"));

    let url = server.url("/hop/0");
    assert_eq!(
        fetch(&f, &url).unwrap_err(),
        FetchError::TooManyRedirects {
            url: url.clone(),
            limit: 5
        }
    );
    // The first request and five redirects followed, no more.
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/hop/"))
            .count(),
        6
    );

    let e = fetch(&f, &server.url("/loop1")).unwrap_err();
    let FetchError::RedirectLoop { chain, .. } = &e else {
        panic!("expected a loop, got {e:?}")
    };
    assert_eq!(
        chain,
        &[
            server.url("/loop1"),
            server.url("/loop2"),
            server.url("/loop1")
        ]
    );
    assert!(e.to_string().contains("redirect loop"), "{e}");

    let e = fetch(&f, &server.url("/nowhere")).unwrap_err();
    assert!(e.to_string().contains("no Location header"), "{e}");
}

#[test]
fn redirects_to_refused_urls_are_not_followed() {
    let server = Server::start(|r| match r.path.as_str() {
        "/ftp" => Reply::redirect(301, "ftp://example.org/file"),
        "/file" => Reply::redirect(302, "file:///etc/passwd"),
        "/creds" => Reply::redirect(302, "http://admin:secret@example.org/"),
        _ => Reply::new(404),
    });
    let f = Fetcher::new(config());
    for (path, reason) in [
        ("/ftp", Refusal::Scheme("ftp".into())),
        ("/file", Refusal::Scheme("file".into())),
        ("/creds", Refusal::Credentials),
    ] {
        let e = fetch(&f, &server.url(path)).unwrap_err();
        let FetchError::RedirectRefused { reason: got, .. } = &e else {
            panic!("{path}: expected a refused redirect, got {e:?}")
        };
        assert_eq!(got, &reason, "{path}");
    }
}

#[test]
fn default_config_refuses_local_and_odd_urls() {
    let server = Server::start(|_| Reply::ok("secret"));
    let f = Fetcher::new(FetchConfig::default());
    let literal = server.url("/admin");
    assert!(matches!(
        fetch(&f, &literal).unwrap_err(),
        FetchError::Refused {
            reason: Refusal::NonPublicAddress(_),
            ..
        }
    ));
    // A name that resolves to loopback is caught after DNS.
    let named = format!("http://localhost:{}/admin", server.port());
    let e = fetch(&f, &named).unwrap_err();
    let FetchError::NonPublicAddress { host, ip, .. } = &e else {
        panic!("expected a non-public address, got {e:?}")
    };
    assert_eq!(host, "localhost");
    assert!(ip.is_loopback());
    assert!(e.to_string().contains("allow_private_addresses"), "{e}");
    for url in ["file:///etc/passwd", "ftp://example.org/pub/x"] {
        assert!(matches!(
            fetch(&f, url).unwrap_err(),
            FetchError::Refused {
                reason: Refusal::Scheme(_),
                ..
            }
        ));
    }
    assert!(server.requests().is_empty(), "nothing reached the server");
}
