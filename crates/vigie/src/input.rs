//! Where pages come from: files, directories, standard input, or a URL.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, FixedOffset};
use vigie_extract::Options;
use vigie_ingest::{FetchOutcome, Fetcher, Validators};

/// One page to read.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// An http(s) address.
    Url(String),
}

impl Source {
    /// How the source is named in output and error messages.
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "-".to_string(),
            Source::Url(u) => u.clone(),
        }
    }
}

/// Expands command-line arguments into sources; directories are walked (sorted, hidden
/// entries skipped).
pub fn expand(args: &[String]) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for a in args {
        if a == "-" {
            out.push(Source::Stdin);
        } else if a.starts_with("http://") || a.starts_with("https://") {
            out.push(Source::Url(a.clone()));
        } else if a.contains("://") && !Path::new(a).exists() {
            bail!("{a}: only http and https addresses are read (or files, directories, -)");
        } else {
            let p = Path::new(a);
            if p.is_dir() {
                walk(p, &mut out).with_context(|| format!("cannot read directory {a}"))?;
            } else if p.exists() {
                out.push(Source::File(p.to_path_buf()));
            } else {
                bail!("{a}: no such file or directory");
            }
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Source>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(Source::File(p));
        }
    }
    Ok(())
}

/// A page's bytes and what the transport said about them.
pub struct Fetched {
    /// The raw bytes.
    pub bytes: Vec<u8>,
    /// Charset from the `Content-Type` header.
    pub charset: Option<String>,
    /// The address the page came from.
    pub url: Option<String>,
    /// When the page was fetched over HTTP (none for files and standard input, whose
    /// capture time is unknown).
    pub fetched_at: Option<DateTime<FixedOffset>>,
}

impl Fetched {
    /// Extraction options for this page: the transport's charset, and as the reference
    /// time for relative datelines the one given, else the fetch time.
    pub fn options(&self, options: &Options) -> Options {
        Options {
            declared_charset: self.charset.clone(),
            reference_time: options.reference_time.or(self.fetched_at),
            ..options.clone()
        }
    }
}

/// Reads a source, refusing more than `max_bytes`; URLs go through `fetcher` (its
/// address checks, redirects, retries and caps).
pub fn read(source: &Source, max_bytes: usize, fetcher: &Fetcher) -> Result<Fetched> {
    let limit = max_bytes as u64 + 1;
    let bytes = match source {
        Source::File(p) => {
            let size = std::fs::metadata(p)
                .with_context(|| format!("{}: cannot open", p.display()))?
                .len();
            if size > max_bytes as u64 {
                bail!("{}: the page is {size} bytes, over the {max_bytes}-byte limit (raise it with --max-bytes)", p.display());
            }
            let f =
                std::fs::File::open(p).with_context(|| format!("{}: cannot open", p.display()))?;
            // Sized from the start: grown by doubling, a page was copied again at
            // every step.
            let mut buf = Vec::with_capacity(size as usize + 1);
            f.take(limit)
                .read_to_end(&mut buf)
                .with_context(|| format!("{}: cannot read", p.display()))?;
            buf
        }
        Source::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(limit)
                .read_to_end(&mut buf)
                .context("cannot read standard input")?;
            buf
        }
        Source::Url(u) => return fetch(u, fetcher),
    };
    Ok(Fetched {
        bytes,
        charset: None,
        url: None,
        fetched_at: None,
    })
}

fn fetch(url: &str, fetcher: &Fetcher) -> Result<Fetched> {
    match fetcher.fetch(url, &Validators::none())? {
        FetchOutcome::Fetched(page) => Ok(Fetched {
            bytes: page.body,
            charset: page.charset,
            url: Some(page.final_url),
            // The page as it is now: "3 hours ago" on it counts from this moment.
            fetched_at: Some(page.fetched_at.fixed_offset()),
        }),
        FetchOutcome::NotModified { .. } => {
            bail!("{url}: the server answered 304 Not Modified to an unconditional request")
        }
    }
}
