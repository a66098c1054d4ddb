//! Where pages come from: files, directories, standard input, or a URL.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, FixedOffset, Utc};
use vigie_extract::Options;

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

/// Reads a source, refusing more than `max_bytes`.
pub fn read(source: &Source, max_bytes: usize, timeout: Duration) -> Result<Fetched> {
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
            let mut buf = Vec::new();
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
        Source::Url(u) => return fetch(u, max_bytes, timeout),
    };
    Ok(Fetched {
        bytes,
        charset: None,
        url: None,
        fetched_at: None,
    })
}

fn fetch(url: &str, max_bytes: usize, timeout: Duration) -> Result<Fetched> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(5)
        .user_agent(concat!(
            "Vigie/",
            env!("CARGO_PKG_VERSION"),
            " (news reader)"
        ))
        .build()
        .into();
    let mut resp = agent
        .get(url)
        .call()
        .with_context(|| format!("{url}: fetch failed"))?;
    // The page as it is now: "3 hours ago" on it counts from this moment.
    let fetched_at = Utc::now().fixed_offset();
    let charset = resp.body().charset().map(str::to_string);
    let bytes = resp
        .body_mut()
        .with_config()
        .limit(max_bytes as u64 + 1)
        .read_to_vec()
        .with_context(|| format!("{url}: reading the response failed"))?;
    Ok(Fetched {
        bytes,
        charset,
        url: Some(url.to_string()),
        fetched_at: Some(fetched_at),
    })
}
