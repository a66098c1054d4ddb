//! `vigie search`, `vigie show` and `vigie stats`: reading the store.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use clap::ValueEnum;
use vigie_store::{SearchRequest, Sort, Store};

/// Result order.
#[derive(Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Newest first.
    Date,
}

/// Arguments of `vigie search`.
#[derive(clap::Args)]
pub struct SearchArgs {
    /// The query (words are joined): words, "exact phrases", AND/OR/NOT, -word,
    /// parentheses, title: author: site: lang: published:2022-12-01..2022-12-31 entity:
    #[arg(required = true)]
    query: Vec<String>,
    /// Order of the results.
    #[arg(long, value_enum, default_value = "relevance")]
    sort: SortArg,
    /// Results to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Results to skip first.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Print JSON: {"total", "hits": [...], "facets": {"site", "lang", "day"}}.
    #[arg(long)]
    json: bool,
}

/// Runs `vigie search`.
pub fn search(args: SearchArgs, data: &Path) -> Result<ExitCode> {
    let store = super::open_read(data)?;
    let started = Instant::now();
    let results = store.search(&SearchRequest {
        query: args.query.join(" "),
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        },
        limit: args.limit,
        offset: args.offset,
        now: None,
    })?;
    let took = started.elapsed();
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &results)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let bold = std::io::stdout().is_terminal();
    writeln!(
        out,
        "{} article{} match ({:.1} ms)",
        results.total,
        if results.total == 1 { "" } else { "s" },
        took.as_secs_f64() * 1e3
    )?;
    for (i, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{:>3}. {}",
            args.offset + i + 1,
            hit.title.as_deref().unwrap_or("(untitled)")
        )?;
        let mut line = Vec::new();
        if let Some(s) = &hit.site {
            line.push(s.clone());
        }
        if let Some(p) = &hit.published {
            line.push(p.get(..10).unwrap_or(p).to_string());
        }
        if let Some(l) = &hit.lang {
            line.push(l.clone());
        }
        line.push(format!("id {}", hit.id));
        writeln!(out, "     {}", line.join(" · "))?;
        if let Some(u) = &hit.url {
            writeln!(out, "     {u}")?;
        }
        writeln!(out, "     {}", render_snippet(&hit.snippet, bold))?;
    }
    let top = |m: &std::collections::BTreeMap<String, u64>| {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .take(5)
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if results.total > 0 {
        writeln!(out)?;
        for (name, facet) in [
            ("sites", &results.facets.site),
            ("languages", &results.facets.lang),
        ] {
            if !facet.is_empty() {
                writeln!(out, "{name}: {}", top(facet))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The snippet's `<b>` marks as terminal bold (or `*…*` in a pipe), entities unescaped.
fn render_snippet(s: &str, bold: bool) -> String {
    let (on, off) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("*", "*")
    };
    s.replace("<b>", on)
        .replace("</b>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Output of `vigie show`.
#[derive(Clone, Copy, ValueEnum)]
pub enum ShowFormat {
    /// Title, metadata and body as plain text.
    Text,
    /// Title and body as Markdown.
    Markdown,
    /// The article and its versions as JSON.
    Json,
}

/// Arguments of `vigie show`.
#[derive(clap::Args)]
pub struct ShowArgs {
    /// The article's id (as printed by `vigie search`).
    id: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: ShowFormat,
    /// Same as --format json.
    #[arg(long)]
    json: bool,
}

/// Runs `vigie show`.
pub fn show(args: ShowArgs, data: &Path) -> Result<ExitCode> {
    let store = super::open_read(data)?;
    let Some(stored) = store.get(args.id)? else {
        bail!("no article with id {} in {}", args.id, data.display());
    };
    let mut out = std::io::stdout().lock();
    let format = if args.json {
        ShowFormat::Json
    } else {
        args.format
    };
    match format {
        ShowFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &stored)?;
            writeln!(out)?;
        }
        ShowFormat::Markdown => super::extract::write_markdown(&mut out, &stored.article)?,
        ShowFormat::Text => {
            let a = &stored.article;
            let mut meta = Vec::new();
            if let Some(s) = &a.site {
                meta.push(s.clone());
            }
            if !a.authors.is_empty() {
                meta.push(a.authors.join(", "));
            }
            if let Some(p) = a.published {
                meta.push(p.to_rfc3339());
            }
            if let Some(l) = &a.lang {
                meta.push(l.clone());
            }
            writeln!(out, "[{}] {}", stored.id, meta.join(" · "))?;
            if let Some(u) = a.canonical_url.as_ref().or(a.url.as_ref()) {
                writeln!(out, "{u}")?;
            }
            writeln!(
                out,
                "{} version{}, last seen {}\n",
                stored.versions.len(),
                if stored.versions.len() == 1 { "" } else { "s" },
                stored.last_seen.to_rfc3339()
            )?;
            super::extract::write_text(&mut out, a)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `vigie stats`.
#[derive(clap::Args)]
pub struct StatsArgs {
    /// Print JSON: {"articles", "sites", "langs", "days"}.
    #[arg(long)]
    json: bool,
}

/// Runs `vigie stats`.
pub fn stats(args: StatsArgs, data: &Path) -> Result<ExitCode> {
    let store = super::open_read(data)?;
    let stats = store.stats()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{} articles in {}", stats.articles, data.display())?;
    writeln!(out, "{:.1} MB on disk", store.disk_usage() as f64 / 1e6)?;
    let table = |out: &mut dyn Write,
                 title: &str,
                 m: &std::collections::BTreeMap<String, u64>,
                 sort_by_count: bool|
     -> Result<()> {
        writeln!(out, "\n{title}")?;
        let mut v: Vec<_> = m.iter().collect();
        if sort_by_count {
            v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        }
        for (k, n) in v {
            writeln!(out, "  {n:>8}  {k}")?;
        }
        Ok(())
    };
    table(&mut out, "sites", &stats.sites, true)?;
    table(&mut out, "languages", &stats.langs, true)?;
    table(&mut out, "days", &stats.days, false)?;
    Ok(ExitCode::SUCCESS)
}
