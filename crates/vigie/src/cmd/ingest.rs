//! `vigie ingest`: read pages, extract them and keep them in the store.
//!
//! Pages (files, URLs, standard input, and the HTML responses of web archives) go
//! through in chunks: read and hash in parallel, skip the bytes already
//! stored, extract in parallel (two chunks at once, so no worker waits for another's
//! last page), and hand the chunks in order to the writer thread, which stores each
//! while the next are extracted (the two never wait for each other but when one is a
//! whole chunk ahead). A chunk is reported only once its transaction
//! is committed, so what is reported stored survives a crash.

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
    let sources = input::expand(&args.inputs)?;
    let pages = Pages::new(sources);
    let store = super::open_write(data)?;
    let lookup = store.raw_lookup()?;
    let progress = super::progress_bar(pages.expected() as usize);
    let jsonl = args.jsonl;
    let summary = std::thread::scope(|scope| -> Result<Summary> {
        // One extracted chunk may wait for the writer while the next is extracted.
        let (to_writer, chunks) = mpsc::sync_channel::<Extracted>(1);
        let writer = {
            let progress = progress.clone();
            scope.spawn(move || write_all(store, chunks, jsonl, &progress))
        };
        // On an error here, `to_writer` is dropped: the writer stores what it was
        // given and closes the store.
        let extracted = extract_all(pages, &args, lookup, &progress, &to_writer);
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
    lookup: vigie_store::RawLookup,
    progress: &ProgressBar,
    to_writer: &mpsc::SyncSender<Extracted>,
) -> Result<()> {
    let options = args.read.options();
    let fetcher = args.read.fetcher();
    let pool = super::feeder_pool(args.read.threads.unwrap_or(0))?;
    // The lookup's connection serves one chunk at a time.
    let lookup = std::sync::Mutex::new(lookup);
    let (done, results) = mpsc::channel::<(u64, Result<Extracted>)>();
    pool.in_place_scope(|scope| -> Result<()> {
        let mut waiting = std::collections::BTreeMap::new();
        let (mut started, mut next) = (0u64, 0u64);
        let mut exhausted = false;
        loop {
            while !exhausted && started - next < CHUNKS_IN_FLIGHT as u64 {
                let chunk: Vec<Named> = pages.by_ref().take(CHUNK).collect();
                if chunk.is_empty() {
                    exhausted = true;
                    break;
                }
                progress.set_length(pages.expected());
                let (seq, done) = (started, done.clone());
                let (options, fetcher, lookup) = (&options, &fetcher, &lookup);
                let entities = !args.no_entities;
                scope.spawn(move |_| {
                    // Every chunk answers, even one whose extraction panicked: the loop
                    // below waits for each in turn.
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        extract_chunk(chunk, options, fetcher, lookup, entities)
                    }))
                    .unwrap_or_else(|_| Err(anyhow!("a worker panicked")));
                    // The receiver outlives the scope.
                    let _ = done.send((seq, r));
                });
                started += 1;
            }
            if next == started {
                return Ok(());
            }
            // In order: a chunk goes to the writer once every earlier one has.
            let chunk = loop {
                if let Some(r) = waiting.remove(&next) {
                    break r?;
                }
                let (seq, r) = results.recv().map_err(|_| anyhow!("a worker stopped"))?;
                waiting.insert(seq, r);
            };
            next += 1;
            if to_writer.send(chunk).is_err() {
                // The writer stopped on an error, which it returns.
                return Ok(());
            }
        }
    })
}

/// Reads, hashes and extracts one chunk, its pages in parallel; the pages whose exact
/// bytes are stored already are not extracted again.
fn extract_chunk(
    chunk: Vec<Named>,
    options: &Options,
    fetcher: &vigie_ingest::Fetcher,
    lookup: &std::sync::Mutex<vigie_store::RawLookup>,
    entities: bool,
) -> Result<Extracted> {
    let names: Vec<String> = chunk.iter().map(|p| p.name.clone()).collect();
    let mut items: Vec<Item> = chunk
        .into_par_iter()
        .map(|p| {
            let read = match p.page {
                Page::Source(s) => input::read(&s, options.max_input_bytes, fetcher),
                Page::Read(f) => Ok(*f),
                Page::Failed(e) => return Item::Failed(e),
            };
            match read {
                Ok(f) => {
                    let h = Hash::of(&f.bytes);
                    Item::Read(f, h)
                }
                Err(e) => Item::Failed(format!("{e:#}")),
            }
        })
        .collect();
    let hashes: Vec<Hash> = items
        .iter()
        .filter_map(|i| match i {
            Item::Read(_, h) => Some(*h),
            _ => None,
        })
        .collect();
    let known = lookup
        .lock()
        .map_err(|_| anyhow!("a worker panicked"))?
        .known(&hashes)?;
    let mut known = known.into_iter();
    for item in &mut items {
        if let Item::Read(..) = item {
            if let Some(Some(id)) = known.next() {
                *item = Item::Known(id);
            }
        }
    }
    let prepared = items
        .into_par_iter()
        .zip(names.par_iter())
        .map(|(item, name)| prepare(item, name, options, entities))
        .collect::<Vec<Prepared>>();
    Ok((names, prepared))
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
