//! `vigie extract`: one page to stdout, or many as JSON lines.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use rayon::prelude::*;
use serde::Serialize;
use vigie_extract::{Article, BlockKind, Options};
use vigie_ingest::Fetcher;

use crate::input::{self, Source};

/// Output format for a single page.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// The article as a JSON object.
    Json,
    /// Title and body as plain text.
    Text,
    /// Title and body as Markdown.
    Markdown,
}

/// Input kind, as given on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Detect from the content.
    Auto,
    /// An HTML page.
    Html,
    /// Text already scraped from a page.
    Text,
}

/// Arguments of `vigie extract`.
#[derive(clap::Args)]
pub struct Args {
    /// Pages to read: files, directories, `-` for standard input, or http(s) URLs.
    #[arg(required = true)]
    inputs: Vec<String>,
    #[command(flatten)]
    pub read: super::ReadArgs,
    /// Output format for a single page.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write one JSON object per page and line, each with its input `path`.
    #[arg(long)]
    jsonl: bool,
    /// The page's address, to resolve links and guess the site's time zone.
    #[arg(long)]
    url: Option<String>,
    /// Print, on stderr, how the body was chosen (every text block, kept or left out)
    /// and, for each metadata field, the candidates by source and the one chosen.
    #[arg(long)]
    explain: bool,
}

#[derive(Serialize)]
struct Line<'a> {
    path: String,
    #[serde(flatten)]
    article: &'a Article,
}

/// Runs the subcommand.
pub fn run(args: Args) -> Result<ExitCode> {
    let sources = input::expand(&args.inputs)?;
    let options = args.read.options();
    let fetcher = args.read.fetcher();
    if args.jsonl || sources.len() > 1 {
        return run_batch(&args, &sources, &options, &fetcher);
    }
    let Some(source) = sources.first() else {
        bail!("no input page")
    };
    if args.explain {
        let fetched = input::read(source, options.max_input_bytes, &fetcher)?;
        let opts = fetched.options(&options);
        eprint!(
            "{}",
            vigie_extract::explain_html_at(
                &fetched.bytes,
                args.url.as_deref().or(fetched.url.as_deref()),
                &opts
            )
            .with_context(|| source.name())?
        );
    }
    let article = extract_one(source, args.url.as_deref(), &options, &fetcher)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &article)?;
            writeln!(out)?;
        }
        Format::Text => write_text(&mut out, &article)?,
        Format::Markdown => write_markdown(&mut out, &article)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn extract_one(
    source: &Source,
    url: Option<&str>,
    options: &Options,
    fetcher: &Fetcher,
) -> Result<Article> {
    let fetched = input::read(source, options.max_input_bytes, fetcher)?;
    let opts = fetched.options(options);
    let url = url.or(fetched.url.as_deref());
    vigie_extract::extract(&fetched.bytes, url, &opts).with_context(|| source.name())
}

fn run_batch(
    args: &Args,
    sources: &[Source],
    options: &Options,
    fetcher: &Fetcher,
) -> Result<ExitCode> {
    let threads = args.read.threads.unwrap_or(0);
    let pool = super::worker_pool(threads)?;
    let progress = super::progress_bar(sources.len());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    // Chunks keep memory bounded and output in input order.
    for chunk in sources.chunks(256) {
        let results: Vec<(String, Result<Article>)> = pool.install(|| {
            chunk
                .par_iter()
                .map(|s| {
                    let r = extract_one(s, args.url.as_deref(), options, fetcher);
                    progress.inc(1);
                    (s.name(), r)
                })
                .collect()
        });
        for (path, result) in results {
            match result {
                Ok(article) => {
                    let line = serde_json::to_string(&Line {
                        path,
                        article: &article,
                    })?;
                    out.write_all(escape_line_separators(&line).as_bytes())?;
                    out.write_all(b"\n")?;
                }
                Err(e) => {
                    failed += 1;
                    progress.suspend(|| eprintln!("vigie: {}", super::describe(&e)));
                }
            }
        }
    }
    out.flush()?;
    progress.finish_and_clear();
    if failed > 0 {
        eprintln!(
            "vigie: {failed} of {} inputs could not be read",
            sources.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// JSON allows U+2028, U+2029 and U+0085 raw inside strings, but many line readers
/// (Python's `splitlines`, JavaScript) break lines there: escape them in JSON lines.
pub(crate) fn escape_line_separators(line: &str) -> std::borrow::Cow<'_, str> {
    if line.contains(['\u{2028}', '\u{2029}', '\u{85}']) {
        line.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
            .replace('\u{85}', "\\u0085")
            .into()
    } else {
        line.into()
    }
}

pub(crate) fn write_text(out: &mut impl Write, a: &Article) -> Result<()> {
    if let Some(t) = &a.title {
        writeln!(out, "{t}\n")?;
    }
    if let Some(l) = &a.lead {
        writeln!(out, "{l}\n")?;
    }
    writeln!(out, "{}", a.text)?;
    Ok(())
}

pub(crate) fn write_markdown(out: &mut impl Write, a: &Article) -> Result<()> {
    if let Some(t) = &a.title {
        writeln!(out, "# {t}\n")?;
    }
    if let Some(l) = &a.lead {
        writeln!(out, "*{l}*\n")?;
    }
    for b in &a.body {
        match b.kind {
            BlockKind::Heading => writeln!(out, "## {}\n", b.text)?,
            BlockKind::Quote => writeln!(out, "> {}\n", b.text.replace('\n', "\n> "))?,
            BlockKind::List => {
                for item in b.text.lines() {
                    writeln!(out, "- {item}")?;
                }
                writeln!(out)?;
            }
            BlockKind::Paragraph => writeln!(out, "{}\n", b.text)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_separators_are_escaped_in_json_lines() {
        let line =
            serde_json::to_string(&serde_json::json!({"text": "a\u{2028}b\u{85}c"})).unwrap();
        let escaped = super::escape_line_separators(&line);
        assert_eq!(escaped, r#"{"text":"a\u2028b\u0085c"}"#);
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["text"], "a\u{2028}b\u{85}c");
    }
}
