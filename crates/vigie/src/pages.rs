//! The pages of a run, in order: one per file, URL or standard input, and one per HTML
//! response of each web archive (WARC, detected from its content), read as a stream so
//! an archive of any size needs the memory of a few chunks.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use vigie_ingest::{Limits, SourceKind, WarcReader};

use crate::input::{Fetched, Source};

/// One page to process.
pub enum Page {
    /// To be read (in parallel with the others of its chunk).
    Source(Source),
    /// Already read, from an archive.
    Read(Box<Fetched>),
    /// What could not be read, and why.
    Failed(String),
}

/// A page and the name it is reported under.
pub struct Named {
    /// The file, URL or archived page's address.
    pub name: String,
    /// The page.
    pub page: Page,
}

/// Iterates over the pages of a list of sources, opening archives on the way.
pub struct Pages {
    sources: VecDeque<Source>,
    archive: Option<(PathBuf, WarcReader<File>)>,
    limits: Limits,
    yielded: u64,
}

impl Pages {
    /// The pages of `sources`.
    pub fn new(sources: Vec<Source>) -> Pages {
        Pages {
            sources: sources.into(),
            archive: None,
            limits: Limits::default(),
            yielded: 0,
        }
    }

    /// Pages so far plus the sources left (an archive counts as one until read): the
    /// length of a progress bar.
    pub fn expected(&self) -> u64 {
        self.yielded + self.sources.len() as u64 + u64::from(self.archive.is_some())
    }

    fn next_archived(&mut self) -> Option<Named> {
        let (path, reader) = self.archive.as_mut()?;
        match reader.next() {
            Some(Ok(p)) => Some(Named {
                name: p.target_uri.clone(),
                page: Page::Read(Box::new(Fetched {
                    bytes: p.payload,
                    charset: p.charset,
                    url: Some(p.target_uri),
                    fetched_at: p.date,
                })),
            }),
            // The pages before the damage were read; report it under the archive's name.
            Some(Err(e)) => {
                let name = path.display().to_string();
                self.archive = None;
                Some(Named {
                    name,
                    page: Page::Failed(e.to_string()),
                })
            }
            None => {
                self.archive = None;
                None
            }
        }
    }
}

impl Iterator for Pages {
    type Item = Named;

    fn next(&mut self) -> Option<Named> {
        let next = self.next_page();
        self.yielded += u64::from(next.is_some());
        next
    }
}

impl Pages {
    fn next_page(&mut self) -> Option<Named> {
        loop {
            if let Some(p) = self.next_archived() {
                return Some(p);
            }
            let source = self.sources.pop_front()?;
            if let Source::File(path) = &source {
                match open_archive(path, &self.limits) {
                    Ok(Some(reader)) => {
                        self.archive = Some((path.clone(), reader));
                        continue;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        return Some(Named {
                            name: path.display().to_string(),
                            page: Page::Failed(e),
                        })
                    }
                }
            }
            return Some(Named {
                name: source.name(),
                page: Page::Source(source),
            });
        }
    }
}

/// Opens `path` as a web archive when its content is one (plain or gzip).
fn open_archive(path: &Path, limits: &Limits) -> Result<Option<WarcReader<File>>, String> {
    let cannot = |e: std::io::Error| format!("{}: cannot read: {e}", path.display());
    let mut head = Vec::new();
    File::open(path)
        .and_then(|f| f.take(8).read_to_end(&mut head))
        .map_err(cannot)?;
    // Only gzip or "WARC/" can start an archive: other pages are not read twice.
    let maybe = head.starts_with(b"WARC/") || vigie_ingest::is_gzip(&head);
    if !maybe {
        return Ok(None);
    }
    let mut sniff = Vec::new();
    File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut sniff))
        .map_err(cannot)?;
    if vigie_ingest::detect(&sniff).kind != SourceKind::Warc {
        return Ok(None);
    }
    let file = File::open(path).map_err(cannot)?;
    WarcReader::new(file, limits)
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
}
