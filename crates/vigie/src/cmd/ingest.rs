//! `vigie ingest`: read pages, extract them and keep them in the store.
//!
//! Pages (files, URLs, standard input, and the HTML responses of web archives) go
//! through in chunks. Each page is read, hashed, skipped when its bytes are stored
//! already, else extracted, the pages in parallel (two chunks at once, so no worker
//! waits for another's last page); the chunks go in order to the writer thread, which
//! stores each while the next are extracted (the two never wait for each other but
//! when one is a whole chunk ahead). The writer opens the store while the first pages are read. A
//! chunk is reported only once its transaction is committed, so what is reported
//! stored survives a crash.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use chrono::Utc;
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;
use vigie_extract::{InputKind, Options};
use vigie_store::{Hash, NewPage, Outcome, RawKind, Store};

use crate::cmd::extract::escape_line_separators;
use crate::input;
use crate::pages::{Named, Page, Pages};

/// Arguments of `vigie ingest`.
#[derive(clap::Args)]
pub struct Args {
    /// Pages to store: files (HTML, scraped text, or WARC web archives, plain or gzip),
    /// directories, `-` for standard input, or http(s) URLs.
    #[arg(required = true)]
    inputs: Vec<String>,
    #[command(flatten)]
    pub read: super::ReadArgs,
    /// Print the summary as JSON: {"stored", "unchanged", "failed"}.
    #[arg(long)]
    json: bool,
    /// Print one JSON line per input once it is safely stored: {"path", "status", "id"…}.
    #[arg(long)]
    jsonl: bool,
    /// Do not look for the people, places and organisations of the articles (faster;
    /// `vigie entity` and `entity:` searches then miss these articles until
    /// `vigie reextract`).
    #[arg(long)]
    no_entities: bool,
}

/// Pages per transaction: large enough to amortise the commit, small enough to keep
/// memory low and reports frequent.
const CHUNK: usize = 64;

/// How often the index is committed, making new articles searchable.
const INDEX_COMMIT_EVERY: Duration = Duration::from_secs(5);

#[derive(Default, Serialize)]
struct Summary {
    stored: u64,
    unchanged: u64,
    failed: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<Failure>,
}

#[derive(Serialize)]
struct Failure {
    path: String,
    error: String,
}

#[derive(Serialize)]
struct Report<'a> {
    path: &'a str,
    #[serde(flatten)]
    outcome: Option<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// One input once read: its bytes, or why not, or the article they are already in.
enum Item {
    Failed(String),
    Known(u64),
    Read(input::Fetched, Hash),
}

/// One input once extracted, ready for the store.
enum Prepared {
    Failed(String),
    Known(u64),
    Ready(Box<NewPage>),
}

/// A chunk on its way to the writer: each input's name and what came of it.
type Extracted = (Vec<String>, Vec<Prepared>);

/// Runs the subcommand.
pub fn run(args: Args, data: &Path) -> Result<ExitCode> {
    // The extractor's tables take milliseconds to build, and the first pages wait for
    // them: build them on a thread of their own while the store opens.
    let entities = !args.no_entities;
    std::thread::spawn(move || {
        vigie_extract::warm_up();
        if entities {
            vigie_nlp::kb::kb();
        }
    });
    let sources = input::expand(&args.inputs)?;
    let pages = Pages::new(sources);
    let progress = super::progress_bar(pages.expected() as usize);
    let jsonl = args.jsonl;
    let (opened, lookup) = Lookup::opening(vigie_store::EmbeddedStore::is_new(data));
    let summary = std::thread::scope(|scope| -> Result<Summary> {
        // One extracted chunk may wait for the writer while the next is extracted.
        let (to_writer, chunks) = mpsc::sync_channel::<Extracted>(1);
        // The writer opens the store while the first pages are read.
        let writer = {
            let progress = progress.clone();
            scope.spawn(move || -> Result<Summary> {
                let store = super::open_write(data)?;
                let _ = opened.send(store.raw_lookup()?);
                write_all(store, chunks, jsonl, &progress)
            })
        };
        // On an error here, `to_writer` is dropped: the writer stores what it was
        // given and closes the store.
        let extracted = extract_all(pages, &args, &lookup, &progress, &to_writer);
        drop(to_writer);
        let written = writer
            .join()
            .map_err(|_| anyhow!("the writer thread panicked"))?;
        // The writer's error first: it is why the extraction could not hand it more.
        let summary = written?;
        extracted?;
        Ok(summary)
    })?;
    progress.finish_and_clear();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        for f in &summary.errors {
            eprintln!("vigie: {}: {}", f.path, f.error);
        }
        eprintln!(
            "{} stored, {} unchanged, {} failed ({} in {})",
            summary.stored,
            summary.unchanged,
            summary.failed,
            summary.stored + summary.unchanged + summary.failed,
            data.display()
        );
    }
    out.flush()?;
    let all_failed = summary.failed > 0 && summary.stored + summary.unchanged == 0;
    Ok(if all_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The writer thread: stores each chunk, reports it, commits the index now and then,
/// and closes the store once the chunks end.
fn write_all(
    mut store: vigie_store::EmbeddedStore,
    chunks: mpsc::Receiver<Extracted>,
    jsonl: bool,
    progress: &ProgressBar,
) -> Result<Summary> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    let mut last_commit = Instant::now();
    for (names, items) in chunks {
        let written = write_chunk(&mut store, names, items)?;
        report(written, &mut summary, &mut out, jsonl, progress)?;
        if last_commit.elapsed() >= INDEX_COMMIT_EVERY {
            store.commit()?;
            last_commit = Instant::now();
        }
    }
    store.close()?;
    out.flush()?;
    Ok(summary)
}

/// Chunks extracted at once. With two, a worker done with its share of one chunk
/// takes pages of the next instead of waiting for the other worker's last page.
const CHUNKS_IN_FLIGHT: usize = 2;

/// Reads, hashes and extracts the pages chunk by chunk on the worker pool, and hands
/// the chunks to the writer in order. Stops early when the writer has stopped.
fn extract_all(
    mut pages: Pages,
    args: &Args,
    lookup: &Lookup,
    progress: &ProgressBar,
    to_writer: &mpsc::SyncSender<Extracted>,
) -> Result<()> {
    let options = args.read.options();
    let fetcher = args.read.fetcher();
    let pool = super::feeder_pool(args.read.threads.unwrap_or(0))?;
    let entities = !args.no_entities;
    let next_chunk = || {
        let chunk: Vec<Named> = pages.by_ref().take(CHUNK).collect();
        progress.set_length(pages.expected());
        (!chunk.is_empty()).then_some(chunk)
    };
    let extract = |chunk| extract_chunk(chunk, &options, &fetcher, lookup, entities);
    // The writer stopped on an error when the send fails: it returns that error.
    in_order(&pool, next_chunk, extract, |chunk| {
        to_writer.send(chunk).is_ok()
    })
}

/// Runs `work` over the items `next` gives, [`CHUNKS_IN_FLIGHT`] at once on `pool`,
/// and hands the results to `deliver` in the items' order until it returns false.
/// An item whose work fails or panics ends the run with an error once the items
/// before it are delivered.
fn in_order<I: Send, R: Send>(
    pool: &rayon::ThreadPool,
    mut next: impl FnMut() -> Option<I>,
    work: impl Fn(I) -> Result<R> + Sync,
    mut deliver: impl FnMut(R) -> bool,
) -> Result<()> {
    let (done, results) = mpsc::channel::<(u64, Result<R>)>();
    let work = &work;
    pool.in_place_scope(|scope| -> Result<()> {
        let mut waiting = std::collections::BTreeMap::new();
        let (mut started, mut delivered) = (0u64, 0u64);
        let mut exhausted = false;
        loop {
            while !exhausted && started - delivered < CHUNKS_IN_FLIGHT as u64 {
                let Some(item) = next() else {
                    exhausted = true;
                    break;
                };
                let (seq, done) = (started, done.clone());
                scope.spawn(move |_| {
                    // Every item answers, even one whose work panicked: the loop below
                    // waits for each in turn.
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(item)))
                        .unwrap_or_else(|_| Err(anyhow!("a worker panicked")));
                    // The receiver outlives the scope.
                    let _ = done.send((seq, r));
                });
                started += 1;
            }
            if delivered == started {
                return Ok(());
            }
            let result = loop {
                if let Some(r) = waiting.remove(&delivered) {
                    break r?;
                }
                let (seq, r) = results.recv().map_err(|_| anyhow!("a worker stopped"))?;
                waiting.insert(seq, r);
            };
            delivered += 1;
            if !deliver(result) {
                return Ok(());
            }
        }
    })
}

/// Reads, hashes and extracts one chunk, its pages in parallel, each page as soon as it
/// is read: a chunk's pages are never all in memory at once, and each is extracted
/// while its bytes are still in the cache. A page whose exact bytes are stored already
/// is not extracted again.
fn extract_chunk(
    chunk: Vec<Named>,
    options: &Options,
    fetcher: &vigie_ingest::Fetcher,
    lookup: &Lookup,
    entities: bool,
) -> Result<Extracted> {
    let names: Vec<String> = chunk.iter().map(|p| p.name.clone()).collect();
    let read = |p: Named| -> Result<Item> {
        let read = match p.page {
            Page::Source(s) => input::read(&s, options.max_input_bytes, fetcher),
            Page::Read(f) => Ok(*f),
            Page::Failed(e) => return Ok(Item::Failed(e)),
        };
        let f = match read {
            Ok(f) => f,
            Err(e) => return Ok(Item::Failed(super::describe(&e))),
        };
        let h = Hash::of(&f.bytes);
        Ok(match lookup.known(&h)? {
            Some(id) => Item::Known(id),
            None => Item::Read(f, h),
        })
    };
    let prepared = chunk
        .into_par_iter()
        .zip(names.par_iter())
        .map(|(p, name)| Ok(prepare(read(p)?, name, options, entities)))
        .collect::<Result<Vec<Prepared>>>()?;
    Ok((names, prepared))
}

/// The raw pages the store holds, so that pages read before are not extracted again.
/// The store opens on the writer thread while the first pages are read, and the
/// lookup waits for it; but a new store knows no page until it has stored some, so
/// the first chunks of an ingest into a new store are extracted meanwhile.
struct Lookup {
    new_store: bool,
    /// One page at a time: the lookup's connection is not shared.
    state: std::sync::Mutex<LookupState>,
}

enum LookupState {
    Opening(mpsc::Receiver<vigie_store::RawLookup>),
    Open(vigie_store::RawLookup),
    /// The writer could not open the store; it reports why.
    Failed,
}

impl Lookup {
    /// A lookup the writer sends once it has opened the store.
    fn opening(new_store: bool) -> (mpsc::SyncSender<vigie_store::RawLookup>, Lookup) {
        let (opened, open) = mpsc::sync_channel(1);
        let state = std::sync::Mutex::new(LookupState::Opening(open));
        (opened, Lookup { new_store, state })
    }

    /// The article of a stored page with exactly the bytes of this hash.
    fn known(&self, hash: &Hash) -> Result<Option<u64>> {
        let mut state = self
            .state
            .lock()
            .map_err(|_| anyhow!("a worker panicked"))?;
        if let LookupState::Opening(open) = &*state {
            let opened = if self.new_store {
                match open.try_recv() {
                    Ok(lookup) => Some(lookup),
                    Err(mpsc::TryRecvError::Empty) => return Ok(None),
                    Err(mpsc::TryRecvError::Disconnected) => None,
                }
            } else {
                open.recv().ok()
            };
            *state = opened.map_or(LookupState::Failed, LookupState::Open);
        }
        match &*state {
            LookupState::Open(lookup) => Ok(lookup.known(hash)?),
            _ => Err(anyhow!("the store could not be opened")),
        }
    }
}

fn prepare(item: Item, name: &str, options: &Options, entities: bool) -> Prepared {
    let (fetched, raw_hash) = match item {
        Item::Read(f, h) => (f, h),
        Item::Failed(e) => return Prepared::Failed(e),
        Item::Known(id) => return Prepared::Known(id),
    };
    let source = fetched.url.clone().unwrap_or_else(|| name.to_string());
    match new_page(&fetched, raw_hash, source, options) {
        Ok(mut p) => {
            if entities {
                p.find_entities();
            }
            Prepared::Ready(Box::new(p))
        }
        Err(e) => Prepared::Failed(e),
    }
}

/// Extracts a page read from `source` (a path or the address read) into what the store
/// keeps: the transport's charset and capture time go to the extractor.
pub fn new_page(
    fetched: &input::Fetched,
    raw_hash: Hash,
    source: String,
    options: &Options,
) -> Result<NewPage, String> {
    let mut opts = fetched.options(options);
    let kind = match opts.input {
        InputKind::Auto => vigie_extract::detect_kind(&fetched.bytes),
        k => k,
    };
    opts.input = kind;
    let article = vigie_extract::extract(&fetched.bytes, fetched.url.as_deref(), &opts)
        .map_err(|e| e.to_string())?;
    let raw_kind = match kind {
        InputKind::Text => RawKind::Text,
        _ => RawKind::Html,
    };
    NewPage::with_raw_hash(
        Some(source),
        &fetched.bytes,
        raw_hash,
        raw_kind,
        article,
        Utc::now(),
        EXTRACTOR,
    )
    .map_err(|e| e.to_string())
}

/// Names the extractor that read a version, so stale readings can be found.
pub const EXTRACTOR: &str = concat!("vigie-extract ", env!("CARGO_PKG_VERSION"));

/// Per input: the outcome, or why it failed.
type Written = Vec<(String, Result<Outcome, String>)>;

fn write_chunk(
    store: &mut vigie_store::EmbeddedStore,
    names: Vec<String>,
    items: Vec<Prepared>,
) -> Result<Written> {
    let mut pages = Vec::new();
    let mut slots = Vec::with_capacity(items.len());
    for item in items {
        slots.push(match item {
            Prepared::Ready(p) => {
                pages.push(*p);
                None
            }
            Prepared::Known(id) => Some(Ok(Outcome::Unchanged { id })),
            Prepared::Failed(e) => Some(Err(e)),
        });
    }
    let mut outcomes = store.put(pages)?.into_iter();
    Ok(names
        .into_iter()
        .zip(slots)
        .map(|(name, slot)| {
            let r = slot.unwrap_or_else(|| {
                outcomes
                    .next()
                    .ok_or_else(|| "the store returned no outcome".to_string())
            });
            (name, r)
        })
        .collect())
}

fn report(
    written: Written,
    summary: &mut Summary,
    out: &mut impl Write,
    jsonl: bool,
    progress: &ProgressBar,
) -> Result<()> {
    for (path, r) in &written {
        match r {
            Ok(Outcome::Stored { .. }) => summary.stored += 1,
            Ok(Outcome::Unchanged { .. }) => summary.unchanged += 1,
            Err(e) => {
                summary.failed += 1;
                summary.errors.push(Failure {
                    path: path.clone(),
                    error: e.clone(),
                });
            }
        }
        if jsonl {
            let line = serde_json::to_string(&Report {
                path,
                outcome: r.as_ref().ok().copied(),
                status: r.as_ref().err().map(|_| "failed"),
                error: r.as_ref().err().map(String::as_str),
            })?;
            out.write_all(escape_line_separators(&line).as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    if jsonl {
        // Reported means durable: flush so a watcher sees it before a crash.
        out.flush()?;
    }
    progress.inc(written.len() as u64);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `work` over the items 0..n on two threads, the writer taking at most
    /// `take` results: what the run returned and what the writer got, in order.
    fn run(
        n: u64,
        take: usize,
        work: impl Fn(u64) -> Result<u64> + Sync,
    ) -> (Result<()>, Vec<u64>, std::ops::Range<u64>) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let mut items = 0..n;
        let mut delivered = Vec::new();
        let r = in_order(
            &pool,
            || items.next(),
            work,
            |i| {
                delivered.push(i);
                delivered.len() < take
            },
        );
        (r, delivered, items)
    }

    #[test]
    fn chunks_reach_the_writer_in_order_even_when_a_later_one_is_ready_first() {
        let (r, delivered, _) = run(6, usize::MAX, |i| {
            // Each chunk takes longer than the one after it.
            std::thread::sleep(Duration::from_millis(20 * (6 - i)));
            Ok(i)
        });
        r.unwrap();
        assert_eq!(delivered, vec![0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn a_panicking_chunk_ends_the_run_with_an_error_instead_of_a_hang() {
        let (r, delivered, _) = run(6, usize::MAX, |i| {
            if i == 2 {
                panic!("extraction bug");
            }
            Ok(i)
        });
        let e = r.expect_err("a panic is an error");
        assert!(e.to_string().contains("panicked"), "{e}");
        assert_eq!(delivered, vec![0, 1], "the chunks before it are delivered");
    }

    #[test]
    fn a_stopped_writer_stops_the_run() {
        let (r, delivered, mut left) = run(100, 3, Ok);
        r.unwrap();
        assert_eq!(delivered, vec![0, 1, 2]);
        assert!(left.next().is_some_and(|i| i < 10), "no more items read");
    }
}
