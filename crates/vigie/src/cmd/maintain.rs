//! `vigie reindex`, `vigie reextract` and `vigie compact`: keeping the store up with
//! the code and fast.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use rayon::prelude::*;
use vigie_extract::{InputKind, Options};
use vigie_store::{RawKind, Reading, Store};

use super::ingest::EXTRACTOR;

/// Runs `vigie reindex`: rebuilds the search index from the records.
pub fn reindex(data: &Path) -> Result<ExitCode> {
    let mut store = super::open_write(data)?;
    let n = store.reindex()?;
    eprintln!("{n} articles indexed in {}", data.display());
    Ok(ExitCode::SUCCESS)
}

/// Runs `vigie compact`: merges the index's segments.
pub fn compact(data: &Path) -> Result<ExitCode> {
    let mut store = super::open_write(data)?;
    let c = store.compact()?;
    eprintln!(
        "index of {} compacted: {} segments, now {}",
        data.display(),
        c.segments_before,
        c.segments_after
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `vigie reextract`: reads every stored raw page again with this version's
/// extractor and keeps the new reading where it differs; finds every article's entities
/// again (which also gives entities to articles stored before they were kept).
pub fn reextract(data: &Path) -> Result<ExitCode> {
    let mut store = super::open_write(data)?;
    let ids = store.raw_page_ids()?;
    let (mut changed, mut failed) = (0u64, 0u64);
    for chunk in ids.chunks(256) {
        let raws = chunk
            .iter()
            .map(|id| store.raw_page(*id))
            .collect::<Result<Vec<_>, _>>()?;
        let results: Vec<_> = raws
            .into_par_iter()
            .flatten()
            .map(|raw| {
                // A page fetched over HTTP was captured when it was fetched: its
                // relative datelines count from then, as they did at ingest.
                let fetched = raw
                    .source
                    .as_deref()
                    .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://"));
                let options = Options {
                    input: match raw.kind {
                        RawKind::Text => InputKind::Text,
                        RawKind::Html => InputKind::Html,
                    },
                    reference_time: fetched.then(|| raw.fetched_at.fixed_offset()),
                    ..Options::default()
                };
                let url = raw.url.clone().filter(|u| u.starts_with("http"));
                let article = vigie_extract::extract(&raw.bytes, url.as_deref(), &options)
                    .map_err(|e| format!("article {}: {e}", raw.id))?;
                Reading::new(article, raw.fetched_at, EXTRACTOR)
                    .map(|mut p| {
                        p.find_entities();
                        (raw.id, p)
                    })
                    .map_err(|e| format!("article {}: {e}", raw.id))
            })
            .collect();
        let mut pages = Vec::new();
        for r in results {
            match r {
                Ok(p) => pages.push(p),
                Err(e) => {
                    failed += 1;
                    eprintln!("vigie: {e}");
                }
            }
        }
        changed += store.replace_readings(pages)?;
    }
    store.commit()?;
    eprintln!(
        "{} articles read again: {changed} changed, {failed} failed",
        ids.len()
    );
    Ok(ExitCode::SUCCESS)
}
