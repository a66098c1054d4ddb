//! `vigie watch`: poll every source on its interval, fetch the new article pages,
//! extract and store them.
//!
//! A round: the sources due are polled in parallel (a 304 means nothing new); the
//! pages they list that the store already holds (by address) or that failed too often
//! are dropped; the rest are fetched politely, in an order alternating between hosts,
//! extracted and stored in chunks. A source's validators and a directory's file list
//! are saved only once all its pages were processed, so an interrupted round is
//! resumed by the next. Errors of one source or page never stop the round: they go to
//! the registry's health record and to standard error.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;
use rayon::prelude::*;
use serde::Serialize;
use vigie_extract::Options;
use vigie_ingest::{
    host_of, interleave_by_host, is_due, next_due, poll_file, poll_url, scan_dir, FetchConfig,
    FetchError, FetchOutcome, Fetcher, FileStamp, Listing, Location, PoliteConfig, PoliteFetcher,
    PollConfig, Validators,
};
use vigie_store::{EmbeddedStore, Hash, Outcome, SeenFile, SourceRecord, SourceRegistry, Store};

use crate::input::{self, Fetched};

/// Arguments of `vigie watch`.
#[derive(clap::Args)]
pub struct Args {
    /// Poll every enabled source once, whether due or not, then exit (for cron and
    /// tests).
    #[arg(long)]
    once: bool,
    #[command(flatten)]
    pub net: NetArgs,
    /// Print one JSON summary per round on standard output.
    #[arg(long)]
    json: bool,
}

/// How the watch fetches.
#[derive(clap::Args, Clone)]
pub struct NetArgs {
    /// Least time between the end of a request to a host and the start of the next
    /// (a robots.txt Crawl-delay, if longer, wins): 500ms, 1s, 2s.
    #[arg(long, default_value = "1s", value_parser = parse_delay)]
    pub delay: Duration,
    /// Requests in flight at once, all hosts together; also the worker threads.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// A page that tells site owners who runs this crawler, sent in the User-Agent as
    /// `Vigie/VERSION (+URL)`.
    #[arg(long, value_name = "URL")]
    pub user_agent_contact: Option<String>,
    /// Disable robots.txt, per-host limits and delays. For benchmarks against your own
    /// servers only, never for the open web.
    #[arg(long)]
    pub no_politeness: bool,
    /// Time limit for one request, in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Retries of a request that failed with 429, 5xx or a connection error (with
    /// exponential backoff from 1 s, or the server's Retry-After).
    #[arg(long, default_value_t = 2)]
    pub retries: u32,
    /// Largest page or feed accepted, in bytes.
    #[arg(long, default_value_t = Options::default().max_input_bytes)]
    pub max_bytes: usize,
    /// Set from the global `--allow-private-addresses`.
    #[arg(skip)]
    pub allow_private_addresses: bool,
}

/// `500ms`, `2s`, `0`, or a bare number of seconds.
pub fn parse_delay(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let bad = || format!("{s:?} is not a delay (write e.g. 0, 250ms, 1s or 2.5s)");
    let (num, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else {
        (t, 1.0)
    };
    let v: f64 = num.trim().parse().map_err(|_| bad())?;
    if !v.is_finite() || v < 0.0 || v * scale > 3600.0 {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(v * scale))
}

impl NetArgs {
    /// The polite fetcher these flags describe.
    pub fn fetcher(&self) -> PoliteFetcher {
        let timeout = Duration::from_secs(self.timeout.max(1));
        let fetcher = Fetcher::new(FetchConfig {
            connect_timeout: timeout.min(Duration::from_secs(10)),
            timeout,
            max_body_bytes: self.max_bytes as u64,
            contact_url: self.user_agent_contact.clone(),
            max_attempts: self.retries.saturating_add(1),
            allow_private_addresses: self.allow_private_addresses,
            ..FetchConfig::default()
        });
        let polite = !self.no_politeness;
        PoliteFetcher::new(
            fetcher,
            PoliteConfig {
                per_host: polite,
                min_delay: if polite { self.delay } else { Duration::ZERO },
                respect_robots: polite,
                max_in_flight: self.concurrency.max(1),
                ..PoliteConfig::default()
            },
        )
    }
}

/// Pages fetched and extracted together, then stored in one transaction.
const CHUNK: usize = 64;
/// How often the index is committed during a round, making new articles searchable.
const INDEX_COMMIT_EVERY: Duration = Duration::from_secs(5);
/// A page that failed this many times is no longer fetched.
const MAX_PAGE_FAILURES: u32 = 3;
/// Files of one watched directory.
const MAX_DIR_FILES: usize = 100_000;
/// Longest sleep between rounds: sources added meanwhile are seen this soon.
const MAX_SLEEP: Duration = Duration::from_secs(30);

/// Runs the subcommand.
pub fn run(args: Args, data: &Path) -> Result<ExitCode> {
    let stop = Arc::new(AtomicBool::new(false));
    install_interrupt(&stop)?;
    let mut watcher = Watcher::open(data, &args.net, stop.clone())?;
    let stdout = std::io::stdout();
    loop {
        if watcher.registry.list()?.iter().all(|s| !s.entry.enabled) {
            eprintln!("vigie: no sources to watch: add one with `vigie sources add URL` or `vigie sources import FILE`");
            if args.once {
                break;
            }
        } else {
            let report = watcher.round(!args.once)?;
            if report.polled > 0 || args.once {
                report.print_summary();
                if args.json {
                    let mut out = stdout.lock();
                    serde_json::to_writer(&mut out, &report)?;
                    use std::io::Write;
                    writeln!(out)?;
                }
            }
        }
        if args.once || stop.load(Ordering::SeqCst) {
            break;
        }
        watcher.sleep_until_due()?;
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    watcher.close()?;
    if stop.load(Ordering::SeqCst) {
        eprintln!("vigie: stopped");
    }
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C (and SIGTERM) set `stop`: the pages in flight finish, the round stops and
/// the store is closed. A second one exits at once.
fn install_interrupt(stop: &Arc<AtomicBool>) -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for sig in [SIGINT, SIGTERM] {
        // Registered first, so it sees the flag as it was before this signal.
        signal_hook::flag::register_conditional_shutdown(sig, 130, stop.clone())
            .context("cannot install the Ctrl-C handler")?;
        signal_hook::flag::register(sig, stop.clone())
            .context("cannot install the Ctrl-C handler")?;
    }
    Ok(())
}

/// What one round did, per source and in total.
#[derive(Debug, Default, Serialize)]
pub struct RoundReport {
    /// Sources polled.
    pub polled: u64,
    /// Sources whose poll failed.
    pub failed_sources: u64,
    /// Sources that answered 304.
    pub not_modified: u64,
    /// Pages listed by the sources polled.
    pub listed: u64,
    /// Listed pages skipped: already stored, or failed too often.
    pub skipped: u64,
    /// Pages fetched (or read) and processed.
    pub pages: u64,
    /// New articles or new versions.
    pub stored: u64,
    /// Pages whose article was already stored as is.
    pub unchanged: u64,
    /// Pages that could not be fetched, extracted or stored.
    pub failed: u64,
    /// Pages not fetched because the site's robots.txt disallows them.
    pub disallowed: u64,
    /// Stopped by Ctrl-C before every page was processed.
    pub interrupted: bool,
    /// Wall time of the round, in seconds.
    pub seconds: f64,
    /// Per source.
    pub sources: Vec<SourceReport>,
}

/// One source's part of a round.
#[derive(Debug, Default, Serialize)]
pub struct SourceReport {
    /// Its name.
    pub name: String,
    /// `ok`, `not_modified` or `error`.
    pub status: &'static str,
    /// Pages it listed.
    pub listed: u64,
    /// Pages of it fetched.
    pub fetched: u64,
    /// Articles stored from it.
    pub stored: u64,
    /// Its pages that failed.
    pub failed: u64,
    /// Its pages that robots.txt disallows.
    pub disallowed: u64,
    /// The poll's error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Notes of the poll (child sitemaps unread, entries skipped).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl RoundReport {
    fn print_summary(&self) {
        for s in &self.sources {
            match s.status {
                "error" => eprintln!(
                    "vigie: {}: {}",
                    s.name,
                    s.error.as_deref().unwrap_or("failed")
                ),
                "not_modified" => eprintln!("{}: not modified", s.name),
                _ => eprintln!(
                    "{}: {} listed, {} fetched, {} stored, {} failed{}",
                    s.name,
                    s.listed,
                    s.fetched,
                    s.stored,
                    s.failed,
                    if s.disallowed > 0 {
                        format!(", {} disallowed by robots.txt", s.disallowed)
                    } else {
                        String::new()
                    }
                ),
            }
        }
        eprintln!(
            "round: {} sources polled ({} failed, {} not modified), {} pages fetched, {} stored, {} unchanged, {} failed in {:.1}s{}",
            self.polled,
            self.failed_sources,
            self.not_modified,
            self.pages,
            self.stored,
            self.unchanged,
            self.failed,
            self.seconds,
            if self.interrupted { " (interrupted)" } else { "" }
        );
    }
}

/// What to fetch or read.
#[derive(Debug, Clone)]
enum Target {
    Url(String),
    File(PathBuf),
}

impl Target {
    fn name(&self) -> String {
        match self {
            Target::Url(u) => u.clone(),
            Target::File(p) => p.display().to_string(),
        }
    }
}

/// A source's poll, done.
struct Found {
    kind: Option<String>,
    targets: Vec<Target>,
    /// Validators to save once its pages are processed (none: keep the old ones).
    validators: Option<Validators>,
    /// A directory's files now.
    files: Option<HashMap<PathBuf, FileStamp>>,
    notes: Vec<String>,
}

/// A page to process, and the source (index in the round) it is for.
struct Job {
    source: usize,
    target: Target,
}

/// A page once processed.
enum Done {
    Skipped,
    Disallowed,
    Failed(String),
    Ready(Box<vigie_store::NewPage>),
}

/// The watch's state between rounds: registry, store, fetcher, workers.
pub struct Watcher {
    registry: SourceRegistry,
    store: EmbeddedStore,
    fetcher: PoliteFetcher,
    pool: rayon::ThreadPool,
    options: Options,
    poll: PollConfig,
    stop: Arc<AtomicBool>,
    max_bytes: usize,
    last_commit: Instant,
}

impl Watcher {
    /// Opens the registry and the store of `data` for a watch with these flags.
    pub fn open(data: &Path, net: &NetArgs, stop: Arc<AtomicBool>) -> Result<Watcher> {
        let registry = SourceRegistry::open(data)?;
        let store = super::open_write(data)?;
        // Workers mostly wait on the network or on a host's turn: one per request in
        // flight, however many cores.
        let pool = super::worker_pool(net.concurrency.max(1))?;
        Ok(Watcher {
            registry,
            store,
            fetcher: net.fetcher(),
            pool,
            options: Options {
                max_input_bytes: net.max_bytes,
                ..Options::default()
            },
            poll: PollConfig::default(),
            stop,
            max_bytes: net.max_bytes,
            last_commit: Instant::now(),
        })
    }

    /// The registry of sources.
    pub fn registry(&self) -> &SourceRegistry {
        &self.registry
    }

    /// Commits the index and closes the store.
    pub fn close(self) -> Result<()> {
        self.store.close()?;
        Ok(())
    }

    /// Sleeps until a source is due (at most [`MAX_SLEEP`]), waking on Ctrl-C.
    fn sleep_until_due(&self) -> Result<()> {
        let now = Utc::now();
        let next = self
            .registry
            .list()?
            .iter()
            .filter(|s| s.entry.enabled)
            .map(|s| next_due(s.last_poll, s.entry.every, s.consecutive_failures, now))
            .min();
        let wait = next
            .map(|t| (t - now).to_std().unwrap_or(Duration::ZERO))
            .unwrap_or(MAX_SLEEP)
            .min(MAX_SLEEP);
        let until = Instant::now() + wait;
        while Instant::now() < until && !self.stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100).min(until - Instant::now()));
        }
        Ok(())
    }

    /// One round over the sources due (or all enabled ones when `only_due` is false).
    pub fn round(&mut self, only_due: bool) -> Result<RoundReport> {
        let started = Instant::now();
        let now = Utc::now();
        let sources: Vec<SourceRecord> = self
            .registry
            .list()?
            .into_iter()
            .filter(|s| s.entry.enabled)
            .filter(|s| {
                !only_due || is_due(s.last_poll, s.entry.every, s.consecutive_failures, now)
            })
            .collect();
        let mut report = RoundReport {
            polled: sources.len() as u64,
            sources: sources
                .iter()
                .map(|s| SourceReport {
                    name: s.entry.name.clone(),
                    status: "ok",
                    ..SourceReport::default()
                })
                .collect(),
            ..RoundReport::default()
        };
        if sources.is_empty() {
            return Ok(report);
        }

        // 1. Poll, in parallel (the fetcher keeps each host's turn).
        let mut known_files = Vec::with_capacity(sources.len());
        for s in &sources {
            known_files.push(match Location::from_stored(&s.entry.location) {
                Location::Path(p) if p.is_dir() => Some(
                    self.registry
                        .files(s.id)?
                        .into_iter()
                        .map(|f| {
                            let stamp = FileStamp {
                                mtime_ns: f.mtime_ns,
                                size: f.size,
                            };
                            (f.path, stamp)
                        })
                        .collect::<HashMap<_, _>>(),
                ),
                _ => None,
            });
        }
        let (fetcher, poll, stop) = (&self.fetcher, &self.poll, &self.stop);
        let polled: Vec<Result<Found, String>> = self.pool.install(|| {
            sources
                .par_iter()
                .zip(known_files.par_iter())
                .map(|(s, known)| {
                    if stop.load(Ordering::SeqCst) {
                        return Err("not polled: interrupted".to_string());
                    }
                    poll_source(fetcher, poll, s, known.as_ref())
                })
                .collect()
        });

        // 2. Drop the pages known or hopeless; record failed polls.
        let mut jobs = Vec::new();
        let mut found: Vec<Option<Found>> = Vec::with_capacity(sources.len());
        let mut seen = HashSet::new();
        for (i, (s, result)) in sources.iter().zip(polled).enumerate() {
            let r = &mut report.sources[i];
            match result {
                Err(e) => {
                    if !self.stop.load(Ordering::SeqCst) {
                        self.registry.record_failure(s.id, now, &e)?;
                        report.failed_sources += 1;
                    }
                    r.status = "error";
                    r.error = Some(e);
                    found.push(None);
                }
                Ok(f) => {
                    if f.kind.is_none() && f.files.is_none() {
                        r.status = "not_modified";
                        report.not_modified += 1;
                    }
                    r.listed = f.targets.len() as u64;
                    r.notes = f.notes.clone();
                    report.listed += r.listed;
                    let urls: Vec<String> = f
                        .targets
                        .iter()
                        .filter_map(|t| match t {
                            Target::Url(u) => Some(u.clone()),
                            Target::File(_) => None,
                        })
                        .collect();
                    let known = self.store.known_urls(&urls)?;
                    let failures = self.registry.page_failures(&urls)?;
                    let mut skip = urls
                        .iter()
                        .zip(known.iter().zip(&failures))
                        .filter(|(_, (k, n))| **k || **n >= MAX_PAGE_FAILURES)
                        .map(|(u, _)| u.as_str())
                        .collect::<HashSet<_>>();
                    for t in &f.targets {
                        let name = t.name();
                        if skip.remove(name.as_str()) || !seen.insert(name) {
                            report.skipped += 1;
                            continue;
                        }
                        jobs.push(Job {
                            source: i,
                            target: t.clone(),
                        });
                    }
                    found.push(Some(f));
                }
            }
        }

        // 3. Fetch, extract and store, hosts alternating.
        let jobs = interleave_by_host(jobs, |j| match &j.target {
            Target::Url(u) => host_of(u),
            Target::File(_) => String::new(),
        });
        let mut unprocessed = vec![0u64; sources.len()];
        let progress = super::progress_bar(jobs.len());
        let day = Utc::now().date_naive().to_string();
        let mut jobs = jobs.into_iter().peekable();
        // The chunk extracted while the previous one is written: (pages, their sources).
        let mut pending: Option<(Vec<vigie_store::NewPage>, Vec<usize>)> = None;
        loop {
            let chunk: Vec<Job> = jobs.by_ref().take(CHUNK).collect();
            if chunk.is_empty() && pending.is_none() {
                break;
            }
            let (fetcher, options, max_bytes) = (&self.fetcher, &self.options, self.max_bytes);
            let store = &mut self.store;
            let previous = pending.take();
            let (written, done) = self.pool.install(|| {
                rayon::join(
                    || previous.map(|(pages, owners)| store.put(pages).map(|o| (o, owners))),
                    || {
                        chunk
                            .par_iter()
                            .map(|j| process(fetcher, &j.target, options, max_bytes, stop))
                            .collect::<Vec<Done>>()
                    },
                )
            });
            if let Some(written) = written {
                let (outcomes, owners) = written?;
                let mut per_source = vec![0u64; sources.len()];
                for (o, owner) in outcomes.iter().zip(owners) {
                    match o {
                        Outcome::Stored { .. } => {
                            report.stored += 1;
                            report.sources[owner].stored += 1;
                            per_source[owner] += 1;
                        }
                        Outcome::Unchanged { .. } => report.unchanged += 1,
                    }
                    progress.inc(1);
                }
                for (i, n) in per_source.into_iter().enumerate() {
                    self.registry.add_stored(sources[i].id, &day, n)?;
                }
            }
            let mut pages = Vec::new();
            let mut owners = Vec::new();
            for (job, d) in chunk.iter().zip(done) {
                let r = &mut report.sources[job.source];
                match d {
                    Done::Skipped => unprocessed[job.source] += 1,
                    Done::Disallowed => {
                        report.disallowed += 1;
                        r.disallowed += 1;
                        progress.inc(1);
                    }
                    Done::Failed(e) => {
                        report.pages += 1;
                        report.failed += 1;
                        r.fetched += 1;
                        r.failed += 1;
                        progress.inc(1);
                        eprintln!("vigie: {}: {e}", r.name);
                        if let Target::Url(u) = &job.target {
                            self.registry.record_page_failure(u, &e, Utc::now())?;
                        }
                    }
                    Done::Ready(p) => {
                        report.pages += 1;
                        r.fetched += 1;
                        pages.push(*p);
                        owners.push(job.source);
                    }
                }
            }
            if !pages.is_empty() {
                pending = Some((pages, owners));
            }
            if self.last_commit.elapsed() >= INDEX_COMMIT_EVERY {
                self.store.commit()?;
                self.last_commit = Instant::now();
            }
        }
        progress.finish_and_clear();
        self.store.commit()?;
        self.last_commit = Instant::now();

        // 4. Health, and the state to resume from.
        for (i, f) in found.into_iter().enumerate() {
            let Some(f) = f else { continue };
            let id = sources[i].id;
            if unprocessed[i] > 0 {
                report.interrupted = true;
                // Polled, but not all pages taken: poll again from the same state.
                self.registry
                    .record_success(id, now, f.kind.as_deref(), None)?;
                continue;
            }
            let validators = f
                .validators
                .as_ref()
                .map(|v| (v.etag.as_deref(), v.last_modified.as_deref()));
            self.registry
                .record_success(id, now, f.kind.as_deref(), validators)?;
            if let Some(files) = f.files {
                let seen: Vec<SeenFile> = files
                    .into_iter()
                    .map(|(path, s)| SeenFile {
                        path,
                        mtime_ns: s.mtime_ns,
                        size: s.size,
                    })
                    .collect();
                self.registry.replace_files(id, &seen)?;
            }
        }
        report.interrupted |= self.stop.load(Ordering::SeqCst);
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }
}

/// Polls one source: an address, a file listing pages, or a directory of pages.
fn poll_source(
    fetcher: &PoliteFetcher,
    poll: &PollConfig,
    source: &SourceRecord,
    known_files: Option<&HashMap<PathBuf, FileStamp>>,
) -> Result<Found, String> {
    match Location::from_stored(&source.entry.location) {
        Location::Url(url) => {
            let validators = Validators {
                etag: source.etag.clone(),
                last_modified: source.last_modified.clone(),
            };
            match poll_url(fetcher, &url, &validators, poll).map_err(|e| e.to_string())? {
                Listing::NotModified => Ok(Found {
                    kind: None,
                    targets: Vec::new(),
                    validators: None,
                    files: None,
                    notes: Vec::new(),
                }),
                Listing::Listed(l) => Ok(Found {
                    kind: Some(l.kind.to_string()),
                    targets: l.pages.into_iter().map(|p| Target::Url(p.url)).collect(),
                    validators: Some(l.validators),
                    files: None,
                    notes: l.notes,
                }),
            }
        }
        Location::Path(path) if path.is_dir() => {
            let empty = HashMap::new();
            let scan = scan_dir(&path, known_files.unwrap_or(&empty), MAX_DIR_FILES)
                .map_err(|e| e.to_string())?;
            Ok(Found {
                kind: Some("a directory".to_string()),
                targets: scan.changed.into_iter().map(Target::File).collect(),
                validators: None,
                files: Some(scan.files),
                notes: Vec::new(),
            })
        }
        Location::Path(path) => {
            let l = poll_file(&path, poll).map_err(|e| e.to_string())?;
            Ok(Found {
                kind: Some(l.kind.to_string()),
                targets: l.pages.into_iter().map(|p| Target::Url(p.url)).collect(),
                validators: None,
                files: None,
                notes: l.notes,
            })
        }
    }
}

/// Fetches (or reads) and extracts one page, unless the watch is stopping.
fn process(
    fetcher: &PoliteFetcher,
    target: &Target,
    options: &Options,
    max_bytes: usize,
    stop: &AtomicBool,
) -> Done {
    if stop.load(Ordering::SeqCst) {
        return Done::Skipped;
    }
    let fetched = match target {
        Target::Url(url) => match fetcher.fetch(url, &Validators::none()) {
            Ok(FetchOutcome::Fetched(page)) => Fetched {
                bytes: page.body,
                charset: page.charset,
                url: Some(page.final_url),
                // "3 hours ago" on the page counts from the fetch.
                fetched_at: Some(page.fetched_at.fixed_offset()),
            },
            Ok(FetchOutcome::NotModified { .. }) => {
                return Done::Failed(format!(
                    "{url}: the server answered 304 Not Modified to an unconditional request"
                ))
            }
            Err(FetchError::DisallowedByRobots { .. } | FetchError::RobotsUnreachable { .. }) => {
                return Done::Disallowed
            }
            Err(e) => return Done::Failed(e.to_string()),
        },
        Target::File(path) => {
            match input::read(
                &input::Source::File(path.clone()),
                max_bytes,
                fetcher.fetcher(),
            ) {
                Ok(f) => f,
                Err(e) => return Done::Failed(super::describe(&e)),
            }
        }
    };
    let hash = Hash::of(&fetched.bytes);
    match super::ingest::new_page(&fetched, hash, target.name(), options) {
        Ok(mut p) => {
            p.find_entities();
            Done::Ready(Box::new(p))
        }
        Err(e) => Done::Failed(format!("{}: {e}", target.name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays() {
        assert_eq!(parse_delay("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_delay("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_delay("0"), Ok(Duration::ZERO));
        assert_eq!(parse_delay("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_delay("-1s").is_err());
        assert!(parse_delay("fast").is_err());
    }
}
