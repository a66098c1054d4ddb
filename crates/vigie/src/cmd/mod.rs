//! One module per subcommand.

pub mod bench;
pub mod bench_watch;
pub mod entities;
pub mod extract;
pub mod ingest;
pub mod maintain;
pub mod search;
pub mod sources;
pub mod watch;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, FixedOffset};
use indicatif::{ProgressBar, ProgressStyle};
use vigie_extract::{InputKind, Options};
use vigie_store::{EmbeddedStore, OpenOptions};

use extract::Kind;

/// How pages are read, shared by `extract` and `ingest`.
#[derive(clap::Args)]
pub struct ReadArgs {
    /// Worker threads for many pages (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Input kind (default: detected per page).
    #[arg(long = "input", value_enum, default_value = "auto")]
    pub kind: Kind,
    /// Largest page accepted, in bytes.
    #[arg(long, default_value_t = Options::default().max_input_bytes)]
    pub max_bytes: usize,
    /// Time limit for fetching a URL, in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// When the pages were captured, in RFC 3339 (2024-03-11T14:05:00+01:00): relative
    /// datelines ("3 hours ago", "hier à 17:53") are read against it. Pages fetched
    /// over HTTP default to the time of the fetch; files have none unless given.
    #[arg(long, value_parser = parse_rfc3339)]
    pub reference_time: Option<DateTime<FixedOffset>>,
    /// Set from the global `--allow-private-addresses`.
    #[arg(skip)]
    pub allow_private_addresses: bool,
}

fn parse_rfc3339(s: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s.trim())
        .map_err(|e| format!("{e}: expected an RFC 3339 time such as 2024-03-11T14:05:00+01:00"))
}

impl ReadArgs {
    /// Extraction options from `--input`, `--max-bytes` and `--reference-time`.
    pub fn options(&self) -> Options {
        Options {
            max_input_bytes: self.max_bytes,
            reference_time: self.reference_time,
            input: match self.kind {
                Kind::Auto => InputKind::Auto,
                Kind::Html => InputKind::Html,
                Kind::Text => InputKind::Text,
            },
            ..Options::default()
        }
    }

    /// The fetcher for URL inputs: `--timeout` for each attempt, `--max-bytes` as the
    /// body cap, non-public addresses refused unless `--allow-private-addresses`.
    pub fn fetcher(&self) -> vigie_ingest::Fetcher {
        let timeout = std::time::Duration::from_secs(self.timeout);
        vigie_ingest::Fetcher::new(vigie_ingest::FetchConfig {
            connect_timeout: timeout.min(std::time::Duration::from_secs(10)),
            timeout,
            max_body_bytes: self.max_bytes as u64,
            allow_private_addresses: self.allow_private_addresses,
            ..vigie_ingest::FetchConfig::default()
        })
    }
}

/// A thread pool of `threads` workers (0: one per core).
pub fn worker_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")
}

/// Worker threads that feed a single writer thread: they run at a lower priority, so
/// that the writer (and the index's own thread), which nothing else can do in its
/// place, takes a core as soon as it has work and the chunks never queue up for it.
/// Otherwise the writer shares the cores evenly with the workers, falls behind, and
/// its backlog is written alone on one core after the last page is extracted.
pub fn feeder_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .start_handler(|_| lower_this_thread_priority())
        .build()
        .context("cannot start worker threads")
}

/// Lowers the calling thread's scheduling priority by [`FEEDER_NICENESS`] from where
/// it is (Linux: each thread has its own nice value; a process started with `nice`
/// stays below others). Best effort: where it cannot, threads keep their priority.
fn lower_this_thread_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: getpriority and setpriority take integers and act on the calling thread
    // (`who = 0`); errno is thread-local, cleared first because -1 is also a valid
    // priority.
    unsafe {
        *libc::__errno_location() = 0;
        let current = libc::getpriority(libc::PRIO_PROCESS, 0);
        if current == -1 && *libc::__errno_location() != 0 {
            return;
        }
        libc::setpriority(libc::PRIO_PROCESS, 0, (current + FEEDER_NICENESS).min(19));
    }
}

/// How much lower the feeders run (nice value added): enough for the scheduler to
/// favour the writer clearly, not so much that the feeders starve behind other work.
#[cfg(target_os = "linux")]
const FEEDER_NICENESS: libc::c_int = 5;

/// An error and its causes on one line, each cause once: a library error that
/// already says its cause ("PATH: Not a directory") is not followed by it again.
pub fn describe(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// A progress bar over `pages` inputs, on a terminal only (never in a pipe or a log).
pub fn progress_bar(pages: usize) -> ProgressBar {
    if std::io::stderr().is_terminal() && pages > 1 {
        let pb = ProgressBar::new(pages as u64);
        pb.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} pages {per_sec} eta {eta}")
                .expect("valid template"),
        );
        pb
    } else {
        ProgressBar::hidden()
    }
}

/// The data directory: `--data`, else `VIGIE_DATA` (clap reads it), else the
/// platform's data directory.
pub fn data_dir(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(d) = given {
        return Ok(d.to_path_buf());
    }
    dirs::data_dir()
        .map(|d| d.join("vigie"))
        .context("no data directory: give one with --data DIR or VIGIE_DATA")
}

/// Opens the store for reading.
pub fn open_read(dir: &Path) -> Result<EmbeddedStore> {
    Ok(EmbeddedStore::open(dir, &OpenOptions::default())?)
}

/// Opens the store for writing, creating it when absent.
pub fn open_write(dir: &Path) -> Result<EmbeddedStore> {
    Ok(EmbeddedStore::open(
        dir,
        &OpenOptions {
            write: true,
            ..OpenOptions::default()
        },
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_the_error_already_says_is_printed_once() {
        let io = || std::io::Error::new(std::io::ErrorKind::NotADirectory, "Not a directory");
        let store = vigie_store::StoreError::Io {
            path: "/tmp/data/index".into(),
            source: io(),
        };
        assert_eq!(
            describe(&anyhow::Error::new(store)),
            "/tmp/data/index: Not a directory"
        );
        // A context that does not say it keeps its cause.
        let e = anyhow::Error::new(io()).context("cannot read /tmp/page.html");
        assert_eq!(describe(&e), "cannot read /tmp/page.html: Not a directory");
    }
}
