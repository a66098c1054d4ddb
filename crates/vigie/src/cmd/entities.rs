//! `vigie entities`, `vigie entity` and `vigie quotes`: who and where an article names,
//! what the store knows of one of them, and who said what.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use vigie_core::Article;
use vigie_nlp::{Entity, Quote};
use vigie_store::Store;

use crate::input;

/// Arguments of `vigie entities`.
#[derive(clap::Args)]
pub struct Args {
    /// A page (file, URL, `-`) or the id of a stored article.
    pub input: Option<String>,
    /// Print JSON: `{"entities": [{"name", "kind", "kb_id", "aliases", "mentions":
    /// [{"surface", "start", "end"}]}]}`, offsets in Unicode code points of the article's
    /// text (title, lead, body and captions separated by blank lines).
    #[arg(long)]
    pub json: bool,
    /// Read JSON lines `{"id","text","lang"}` on stdin and write
    /// `{"id","entities":[{"start","end","label","entity","kb_id"}]}` per line (`entity`
    /// the canonical name of the mention's entity), offsets in Unicode code points.
    #[arg(long, conflicts_with = "input")]
    pub jsonl: bool,
    /// The language of the text, when the page does not say (ISO 639-1).
    #[arg(long)]
    pub lang: Option<String>,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

/// Arguments of `vigie quotes`.
#[derive(clap::Args)]
pub struct QuotesArgs {
    /// A page (file, URL, `-`) or the id of a stored article.
    pub input: String,
    /// Print JSON: `{"quotes": [{"text", "speaker": {"name", "kind"} | null, "start",
    /// "end"}]}`, offsets in Unicode code points of the article's text.
    #[arg(long)]
    pub json: bool,
    /// The language of the text, when the page does not say (ISO 639-1).
    #[arg(long)]
    pub lang: Option<String>,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

/// Arguments of `vigie entity`.
#[derive(clap::Args)]
pub struct EntityArgs {
    /// The name, in any language or script ("Poutine", "Putin", "Путин"), or a
    /// knowledge-base id (geonames:703448).
    #[arg(required = true)]
    pub name: Vec<String>,
    /// Print JSON: {"name", "kind", "kb_id", "aliases": {"fr": [..], ..}, "days":
    /// {"2022-12-19": 3, ..}, "cooccurs": [{"name", "kind", "articles"}], "mentions",
    /// "articles"}.
    #[arg(long)]
    pub json: bool,
    /// Co-occurring entities to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
}

/// Runs `vigie entity`: exits with failure when no stored article names the entity.
pub fn entity(args: EntityArgs, data: &Path) -> Result<ExitCode> {
    let store = super::open_read(data)?;
    let name = args.name.join(" ");
    let Some(report) = store.entity(&name, args.limit)? else {
        bail!(
            "no stored article names '{name}' (articles stored before entities were kept \
             need `vigie reextract`)"
        );
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let kb = report
        .kb_id
        .as_deref()
        .map(|k| format!(" [{k}]"))
        .unwrap_or_default();
    writeln!(
        out,
        "{} ({}){kb}: {} mentions in {} articles",
        report.name, report.kind, report.mentions, report.articles
    )?;
    for (lang, forms) in &report.aliases {
        writeln!(out, "  {lang}: {}", forms.join(", "))?;
    }
    if !report.days.is_empty() {
        writeln!(out, "mentions per day:")?;
        for (day, n) in &report.days {
            writeln!(out, "  {day}  {n}")?;
        }
    }
    if !report.cooccurs.is_empty() {
        writeln!(out, "named beside it:")?;
        for c in &report.cooccurs {
            writeln!(out, "  {:<4} {}  ({} articles)", c.kind, c.name, c.articles)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Deserialize)]
struct Record {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    lang: String,
}

#[derive(Serialize)]
struct LineMention<'a> {
    start: usize,
    end: usize,
    label: &'static str,
    /// The canonical name of the entity the mention belongs to.
    entity: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kb_id: Option<&'a str>,
}

#[derive(Serialize)]
struct LineOut<'a> {
    id: &'a serde_json::Value,
    entities: Vec<LineMention<'a>>,
}

/// Runs `vigie entities`.
pub fn run(args: Args, data: &dyn Fn() -> Result<std::path::PathBuf>) -> Result<()> {
    if args.jsonl {
        return jsonl();
    }
    let Some(input) = &args.input else {
        bail!("give a page, an article id, or --jsonl")
    };
    let (text, lang) = article_text(input, args.lang.as_deref(), &args.read, data)?;
    let entities = vigie_nlp::entities(&text, &lang);
    let chars = CharOffsets::new(&text);
    let mut out = std::io::stdout().lock();
    if args.json {
        let shaped: Vec<Entity> = entities.into_iter().map(|e| in_chars(e, &chars)).collect();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "entities": shaped }))?;
        writeln!(out)?;
        return Ok(());
    }
    for e in &entities {
        let kb = e
            .kb_id
            .as_deref()
            .map(|k| format!(" [{k}]"))
            .unwrap_or_default();
        write!(
            out,
            "{:<4} {}{} ×{}",
            e.kind.label(),
            e.name,
            kb,
            e.mentions.len()
        )?;
        if !e.aliases.is_empty() {
            write!(out, "  (also: {})", e.aliases.join(", "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Runs `vigie quotes`.
pub fn quotes(args: QuotesArgs, data: &dyn Fn() -> Result<std::path::PathBuf>) -> Result<()> {
    let (text, lang) = article_text(&args.input, args.lang.as_deref(), &args.read, data)?;
    let found = vigie_nlp::quotes(&text, &lang);
    let chars = CharOffsets::new(&text);
    let mut out = std::io::stdout().lock();
    if args.json {
        let shaped: Vec<Quote> = found
            .into_iter()
            .map(|q| Quote {
                start: chars.of(q.start),
                end: chars.of(q.end),
                ..q
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "quotes": shaped }))?;
        writeln!(out)?;
        return Ok(());
    }
    for q in &found {
        let who = q.speaker.as_ref().map_or("(unknown)", |s| s.name.as_str());
        writeln!(out, "{who}: « {} »", q.text)?;
    }
    Ok(())
}

fn in_chars(mut e: Entity, chars: &CharOffsets) -> Entity {
    for m in &mut e.mentions {
        m.start = chars.of(m.start);
        m.end = chars.of(m.end);
    }
    e
}

/// The text and language of a page or a stored article. A number that is not the name
/// of a file is an article id.
fn article_text(
    input: &str,
    lang: Option<&str>,
    read: &super::ReadArgs,
    data: &dyn Fn() -> Result<std::path::PathBuf>,
) -> Result<(String, String)> {
    let article: Article = match input.parse::<u64>() {
        Ok(id) if !Path::new(input).exists() => {
            let dir = data()?;
            let store = super::open_read(&dir)?;
            match store.get(id)? {
                Some(stored) => stored.article,
                None => bail!("no article with id {id} in {}", dir.display()),
            }
        }
        _ => {
            let sources = input::expand(&[input.to_string()])?;
            let Some(source) = sources.first() else {
                bail!("{input}: no page to read")
            };
            super::extract::extract_one(source, None, &read.options(), &read.fetcher())?
        }
    };
    let lang = lang
        .map(str::to_string)
        .or_else(|| article.lang.clone())
        .unwrap_or_else(|| "en".to_string());
    Ok((vigie_nlp::article_text(&article), lang))
}

fn jsonl() -> Result<()> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lines().enumerate() {
        let line = line.context("cannot read standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: Record = serde_json::from_str(&line)
            .with_context(|| format!("standard input, line {}: not a JSON record", n + 1))?;
        let found = vigie_nlp::entities(&rec.text, &rec.lang);
        let chars = CharOffsets::new(&rec.text);
        let mut entities: Vec<LineMention> = found
            .iter()
            .flat_map(|e| {
                e.mentions.iter().map(|m| LineMention {
                    start: chars.of(m.start),
                    end: chars.of(m.end),
                    label: e.kind.label(),
                    entity: &e.name,
                    kb_id: e.kb_id.as_deref(),
                })
            })
            .collect();
        entities.sort_by_key(|m| m.start);
        serde_json::to_writer(
            &mut out,
            &LineOut {
                id: &rec.id,
                entities,
            },
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Byte offsets to code-point offsets, for texts that are not ASCII.
struct CharOffsets {
    ascii: bool,
    starts: Vec<usize>,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        if text.is_ascii() {
            return CharOffsets {
                ascii: true,
                starts: Vec::new(),
            };
        }
        CharOffsets {
            ascii: false,
            starts: text.char_indices().map(|(b, _)| b).collect(),
        }
    }

    fn of(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        self.starts.partition_point(|&b| b < byte)
    }
}
