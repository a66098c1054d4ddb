//! `vigie bench watch`: a watch round against a local server farm of many hosts.
//!
//! The farm is in process: one listener per host on 127.0.0.1 (a host, for politeness,
//! is `host:port`), each serving a robots.txt, an RSS feed listing its pages, and the
//! pages (real ones from `--pages DIR`, cycled, or a small built-in article). Every
//! request is logged by the server when it arrives and when its reply is written.
//!
//! Run 1, politeness off: the throughput of a whole round (poll, fetch, extract,
//! store) beside fetching alone and extracting alone on the same pages and threads,
//! which tells which one limits it. Run 2, politeness on: the server's own log says
//! how many requests each host had in flight at once (must be 1) and the shortest gap
//! between two requests to one host (must be at least `--delay`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::Utc;
use rayon::prelude::*;
use vigie_ingest::{FetchOutcome, Validators};
use vigie_store::SourceEntry;

use super::watch::{parse_delay, NetArgs, Watcher};

/// Arguments of `vigie bench watch`.
#[derive(clap::Args)]
pub struct Args {
    /// Hosts (one local listener each).
    #[arg(long, default_value_t = 100)]
    hosts: usize,
    /// Pages per host in the run without politeness.
    #[arg(long, default_value_t = 100)]
    pages_per_host: usize,
    /// Pages per host in the polite run.
    #[arg(long, default_value_t = 10)]
    polite_pages_per_host: usize,
    /// The delay between two requests to a host in the polite run.
    #[arg(long, default_value = "50ms", value_parser = parse_delay)]
    delay: Duration,
    /// Requests in flight (and worker threads).
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// A directory of real HTML pages to serve, cycled (default: a small built-in
    /// article).
    #[arg(long)]
    pages: Option<PathBuf>,
    /// Skip the run without politeness.
    #[arg(long)]
    polite_only: bool,
    /// Skip the polite run.
    #[arg(long)]
    no_polite: bool,
}

/// Runs the benchmark.
pub fn run(args: Args, _allow_private: bool) -> Result<std::process::ExitCode> {
    if args.hosts == 0 {
        bail!("--hosts must be at least 1");
    }
    let bodies = load_pages(args.pages.as_deref())?;
    eprintln!(
        "{} hosts, {} distinct page bodies ({} KiB on average)",
        args.hosts,
        bodies.len(),
        bodies.iter().map(Vec::len).sum::<usize>() / bodies.len().max(1) / 1024
    );
    let mut verdict_ok = true;
    if !args.polite_only {
        let farm = Farm::start(args.hosts, args.pages_per_host, bodies.clone())?;
        let total = args.hosts * args.pages_per_host;
        let net = net_args(&args, false);
        // Fetching alone and extracting alone, same pages and threads.
        let pages = farm.pages();
        let fetcher = net.fetcher();
        let pool = super::worker_pool(args.concurrency)?;
        let t = Instant::now();
        let fetched = pool.install(|| {
            pages
                .par_iter()
                .filter(|(u, _)| {
                    matches!(
                        fetcher.fetch(u, &Validators::none()),
                        Ok(FetchOutcome::Fetched(_))
                    )
                })
                .count()
        });
        let fetch_secs = t.elapsed().as_secs_f64();
        if fetched != pages.len() {
            bail!("only {fetched} of {} pages could be fetched", pages.len());
        }
        let bodies = farm.bodies.clone();
        let options = vigie_extract::Options::default();
        let cores = thread::available_parallelism().map_or(1, |n| n.get());
        let extract_pool = super::worker_pool(cores)?;
        let t = Instant::now();
        let extracted = extract_pool.install(|| {
            pages
                .par_iter()
                .filter(|(u, b)| vigie_extract::extract(&bodies[*b], Some(u), &options).is_ok())
                .count()
        });
        let extract_secs = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let stored = extract_and_store(&pages, &bodies, &options, &extract_pool)?;
        let store_secs = t.elapsed().as_secs_f64();
        farm.clear_log();
        let (report, secs) = watch_round(&farm, &net)?;
        println!(
            "politeness off, {} hosts × {} pages = {total} pages, --concurrency {}, {cores} cores:",
            args.hosts, args.pages_per_host, args.concurrency
        );
        println!(
            "  fetch only:         {:>8.0} pages/s ({:.2} s)",
            total as f64 / fetch_secs,
            fetch_secs
        );
        println!(
            "  extract only:       {:>8.0} pages/s ({:.2} s, {extracted} articles, {cores} threads)",
            total as f64 / extract_secs,
            extract_secs
        );
        println!(
            "  extract + store:    {:>8.0} pages/s ({store_secs:.2} s, {stored} stored; no network, as `vigie ingest` of files)",
            total as f64 / store_secs
        );
        println!(
            "  watch round:        {:>8.0} pages/s ({secs:.2} s: {} pages, {} stored, {} unchanged, {} failed)",
            report.pages as f64 / secs,
            report.pages,
            report.stored,
            report.unchanged,
            report.failed
        );
        if report.pages as usize != total || report.failed > 0 {
            verdict_ok = false;
            println!("  FAILED: expected {total} pages without failure");
        }
    }
    if !args.no_polite {
        let farm = Farm::start(args.hosts, args.polite_pages_per_host, bodies)?;
        let net = net_args(&args, true);
        let (report, secs) = watch_round(&farm, &net)?;
        let log = farm.log();
        let requests: usize = log.values().map(Vec::len).sum();
        let (max_in_flight, min_gap) = verdict(&log);
        println!(
            "politeness on, {} hosts × {} pages, --delay {} ms, --concurrency {}:",
            args.hosts,
            args.polite_pages_per_host,
            args.delay.as_millis(),
            args.concurrency
        );
        println!(
            "  watch round:        {:>8.0} pages/s ({secs:.2} s: {} pages, {} stored, {} failed; {requests} requests seen by the server, robots.txt and feeds included)",
            report.pages as f64 / secs,
            report.pages,
            report.stored,
            report.failed
        );
        let gap_ok = min_gap.is_none_or(|g| g >= args.delay);
        println!(
            "  server log: max concurrent requests per host = {max_in_flight} ({}), min gap between requests to a host = {} ({})",
            if max_in_flight == 1 { "ok" } else { "VIOLATION" },
            min_gap.map_or("n/a".to_string(), |g| format!("{:.1} ms", g.as_secs_f64() * 1000.0)),
            if gap_ok { "ok, ≥ delay" } else { "VIOLATION" },
        );
        verdict_ok &= max_in_flight == 1 && gap_ok;
    }
    Ok(if verdict_ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}

fn net_args(args: &Args, polite: bool) -> NetArgs {
    NetArgs {
        delay: args.delay,
        concurrency: args.concurrency,
        user_agent_contact: None,
        no_politeness: !polite,
        timeout: 30,
        retries: 2,
        max_bytes: vigie_extract::Options::default().max_input_bytes,
        // The farm is on 127.0.0.1: this benchmark's own server.
        allow_private_addresses: true,
    }
}

/// One watch round over the farm's feeds into a fresh store; the round's wall time.
fn watch_round(farm: &Farm, net: &NetArgs) -> Result<(super::watch::RoundReport, f64)> {
    let dir = std::env::temp_dir().join(format!(
        "vigie-bench-watch-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let result = (|| {
        let stop = Arc::new(AtomicBool::new(false));
        let mut watcher = Watcher::open(&dir, net, stop)?;
        let now = Utc::now();
        for (i, url) in farm.feed_urls().into_iter().enumerate() {
            watcher.registry().upsert(
                &SourceEntry {
                    name: format!("host{i}"),
                    location: url,
                    every: Duration::from_secs(900),
                    lang: None,
                    tags: Vec::new(),
                    enabled: true,
                },
                now,
            )?;
        }
        let t = Instant::now();
        let report = watcher.round(false)?;
        watcher.close()?;
        let secs = t.elapsed().as_secs_f64();
        Ok((report, secs))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Extracts and stores the pages from memory into a fresh store, in chunks of 64 (the
/// watch's and ingest's chunk, writing one while extracting the next), without a network: what the round would cost with a
/// free fetcher. Returns the articles stored.
fn extract_and_store(
    pages: &[(String, usize)],
    bodies: &[Vec<u8>],
    options: &vigie_extract::Options,
    pool: &rayon::ThreadPool,
) -> Result<u64> {
    use vigie_store::{Hash, Outcome, Store};
    let dir = std::env::temp_dir().join(format!("vigie-bench-store-{}", std::process::id()));
    let result = (|| {
        let mut store = super::open_write(&dir)?;
        let mut stored = 0;
        let count = |outcomes: Vec<Outcome>| {
            outcomes
                .iter()
                .filter(|o| matches!(o, Outcome::Stored { .. }))
                .count() as u64
        };
        // As the watch does: the next chunk is extracted while the previous is written.
        let mut pending: Option<Vec<vigie_store::NewPage>> = None;
        for chunk in pages.chunks(64) {
            let previous = pending.take();
            let store = &mut store;
            let (written, ready) = pool.install(|| {
                rayon::join(
                    || previous.map(|p| store.put(p)),
                    || {
                        chunk
                            .par_iter()
                            .filter_map(|(u, b)| {
                                let fetched = crate::input::Fetched {
                                    bytes: bodies[*b].clone(),
                                    charset: None,
                                    url: Some(u.clone()),
                                    fetched_at: Some(Utc::now().fixed_offset()),
                                };
                                let hash = Hash::of(&fetched.bytes);
                                let mut p =
                                    super::ingest::new_page(&fetched, hash, u.clone(), options)
                                        .ok()?;
                                // As `vigie watch` does.
                                p.find_entities();
                                Some(p)
                            })
                            .collect::<Vec<_>>()
                    },
                )
            });
            if let Some(w) = written {
                stored += count(w?);
            }
            pending = Some(ready);
        }
        if let Some(p) = pending {
            stored += count(store.put(p)?);
        }
        store.close()?;
        Ok(stored)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Max requests in flight at once to one host (from arrival to the last byte
/// written), and the shortest gap between a reply's last byte and the next request's
/// arrival at one host, from the server's log.
fn verdict(log: &HashMap<u16, Vec<Span>>) -> (usize, Option<Duration>) {
    let mut max_in_flight = 0;
    let mut min_gap: Option<Duration> = None;
    for spans in log.values() {
        let mut spans = spans.clone();
        spans.sort();
        let mut events: Vec<(Instant, i32)> = spans
            .iter()
            .flat_map(|s| [(s.arrived, 1), (s.written, -1)])
            .collect();
        // An end before a start at the same instant: touching is not overlapping.
        events.sort_by_key(|(t, d)| (*t, *d));
        let mut now = 0i32;
        for (_, d) in events {
            now += d;
            max_in_flight = max_in_flight.max(now.max(0) as usize);
        }
        for w in spans.windows(2) {
            let gap = w[1].arrived.saturating_duration_since(w[0].sending_last);
            min_gap = Some(min_gap.map_or(gap, |g| g.min(gap)));
        }
    }
    (max_in_flight, min_gap)
}

/// Pages to serve: the HTML files of `dir` (their canonical addresses disabled, so
/// every served copy is its own article), or one built-in article.
fn load_pages(dir: Option<&Path>) -> Result<Vec<Vec<u8>>> {
    let Some(dir) = dir else {
        return Ok(vec![BUILT_IN.as_bytes().to_vec()]);
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "htm"))
        .collect();
    paths.sort();
    let mut pages = Vec::with_capacity(paths.len());
    for p in paths {
        let mut bytes =
            std::fs::read(&p).with_context(|| format!("{}: cannot read", p.display()))?;
        disable_canonical(&mut bytes);
        pages.push(bytes);
    }
    if pages.is_empty() {
        bail!("{}: no .html files", dir.display());
    }
    Ok(pages)
}

/// `rel=canonical` and `og:url` misspelt, so that the page's address is its identity.
fn disable_canonical(bytes: &mut [u8]) {
    for needle in [&b"canonical"[..], &b"og:url"[..]] {
        let mut i = 0;
        while let Some(at) = memfind(&bytes[i..], needle) {
            bytes[i + at + needle.len() - 1] = b'x';
            i += at + needle.len();
        }
    }
}

fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

const BUILT_IN: &str = r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Inondations dans le Pas-de-Calais : les habitants face à la montée des eaux</title>
<meta property="article:published_time" content="2024-01-03T08:15:00+01:00"></head>
<body><header><nav><a href="/">Accueil</a> <a href="/france">France</a></nav></header>
<article><h1>Inondations dans le Pas-de-Calais : les habitants face à la montée des eaux</h1>
<p class="byline">Par Claire Dubois</p>
<p>Pour la deuxième fois en deux mois, les communes riveraines de l'Aa voient l'eau envahir
les rues. À Arques, les pompiers ont évacué une quarantaine de personnes dans la nuit de
mardi à mercredi, tandis que la préfecture maintenait la vigilance rouge crues.</p>
<p>« On avait à peine fini de nettoyer », soupire une habitante dont le rez-de-chaussée a de
nouveau été inondé. Les assureurs estiment déjà le coût des dégâts à plusieurs centaines de
millions d'euros pour le seul département.</p>
<p>Le gouvernement a annoncé la reconnaissance de l'état de catastrophe naturelle pour plus
de deux cents communes, et promis une enveloppe d'urgence pour les agriculteurs touchés.</p>
<p>Les prévisionnistes attendent une accalmie en fin de semaine, mais les sols saturés font
craindre de nouvelles crues au moindre épisode pluvieux.</p></article>
<footer>© Journal du Nord — Tous droits réservés</footer></body></html>"#;

/// One request as the server saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Span {
    /// The request's head was read whole.
    arrived: Instant,
    /// The reply's last byte was about to be written.
    sending_last: Instant,
    /// The reply was written whole.
    written: Instant,
}

type Log = Arc<Mutex<HashMap<u16, Vec<Span>>>>;

/// The local server farm: one listener per host.
struct Farm {
    addrs: Vec<SocketAddr>,
    bodies: Arc<Vec<Vec<u8>>>,
    pages_per_host: usize,
    log: Log,
    stop: Arc<AtomicBool>,
}

impl Farm {
    fn start(hosts: usize, pages_per_host: usize, bodies: Vec<Vec<u8>>) -> Result<Farm> {
        let bodies = Arc::new(bodies);
        let log: Log = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let mut addrs = Vec::with_capacity(hosts);
        for h in 0..hosts {
            let listener =
                TcpListener::bind("127.0.0.1:0").context("cannot listen on 127.0.0.1")?;
            let addr = listener.local_addr()?;
            addrs.push(addr);
            let (bodies, log, stop) = (bodies.clone(), log.clone(), stop.clone());
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (bodies, log) = (bodies.clone(), log.clone());
                    thread::spawn(move || {
                        serve(stream, h, addr, pages_per_host, &bodies, &log);
                    });
                }
            });
        }
        Ok(Farm {
            addrs,
            bodies,
            pages_per_host,
            log,
            stop,
        })
    }

    fn feed_urls(&self) -> Vec<String> {
        self.addrs
            .iter()
            .map(|a| format!("http://{a}/feed.xml"))
            .collect()
    }

    /// Every page's URL and the index of the body served for it.
    fn pages(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for i in 0..self.pages_per_host {
            for (h, a) in self.addrs.iter().enumerate() {
                let body = (h * self.pages_per_host + i) % self.bodies.len();
                out.push((format!("http://{a}/a/{i}.html"), body));
            }
        }
        out
    }

    fn log(&self) -> HashMap<u16, Vec<Span>> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    fn clear_log(&self) {
        if let Ok(mut l) = self.log.lock() {
            l.clear();
        }
    }
}

impl Drop for Farm {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for a in &self.addrs {
            let _ = TcpStream::connect(a);
        }
    }
}

/// Serves one connection (one request: every reply closes it), logging its span.
fn serve(
    stream: TcpStream,
    host: usize,
    addr: SocketAddr,
    pages_per_host: usize,
    bodies: &[Vec<u8>],
    log: &Mutex<HashMap<u16, Vec<Span>>>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
    }
    // The request has arrived whole.
    let start = Instant::now();
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let (status, ctype, body): (u16, &str, Vec<u8>) = if path == "/robots.txt" {
        (200, "text/plain", b"User-agent: *\nAllow: /\n".to_vec())
    } else if path == "/feed.xml" {
        (
            200,
            "application/rss+xml",
            feed(addr, pages_per_host).into_bytes(),
        )
    } else if let Some(i) = path
        .strip_prefix("/a/")
        .and_then(|p| p.strip_suffix(".html"))
        .and_then(|n| n.parse::<usize>().ok())
    {
        let body = &bodies[(host * pages_per_host + i) % bodies.len()];
        (200, "text/html", body.clone())
    } else {
        (404, "text/plain", b"not found".to_vec())
    };
    let mut reply = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    reply.extend_from_slice(&body);
    let mut stream = stream;
    let _ = stream.set_nodelay(true);
    // All but the last byte, then the instant, then the last byte: the client cannot
    // have finished reading before `sending_last`, so a gap measured from it is never
    // longer than the gap the client left.
    let (most, last) = reply.split_at(reply.len() - 1);
    let _ = stream.write_all(most);
    let sending_last = Instant::now();
    let _ = stream.write_all(last);
    let _ = stream.flush();
    // And a request counts as in flight until its last byte was written.
    let written = Instant::now();
    if let Ok(mut l) = log.lock() {
        l.entry(addr.port()).or_default().push(Span {
            arrived: start,
            sending_last,
            written,
        });
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn feed(addr: SocketAddr, pages: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Host {addr}</title><link>http://{addr}/</link>"
    );
    for i in 0..pages {
        s.push_str(&format!(
            "<item><title>Article {i}</title><link>http://{addr}/a/{i}.html</link><pubDate>Wed, 03 Jan 2024 08:15:00 +0100</pubDate></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}
