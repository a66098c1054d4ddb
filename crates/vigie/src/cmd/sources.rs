//! `vigie sources`: the watched sources, kept in the data directory's registry
//! (`DIR/sources.sqlite`): add, list, remove, import (TOML or OPML), status.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde::Serialize;
use vigie_ingest::{
    format_interval, next_due, normalise_tags, parse_interval, parse_opml, parse_sources_toml,
    Limits, Location, SourceKind, SourceSpec,
};
use vigie_store::{SourceEntry, SourceRecord, SourceRegistry, Upserted};

/// `vigie sources …`
#[derive(clap::Subcommand)]
pub enum Command {
    /// Watch a feed, sitemap or URL list (an http(s) address), or a local file or
    /// directory. Adding a source again updates it.
    Add(AddArgs),
    /// Import sources from a TOML file or a feed reader's OPML export (told by content).
    Import(ImportArgs),
    /// List the sources.
    List(ListArgs),
    /// Stop watching a source, named by its name or its address or path.
    Remove(RemoveArgs),
    /// Each source's health: last poll, last success, last error, failures in a row,
    /// articles stored in total and per day over the last 7 days.
    Status(ListArgs),
}

/// Arguments of `vigie sources add`.
#[derive(clap::Args)]
pub struct AddArgs {
    /// The source: an http(s) address, or a file or directory.
    location: String,
    /// What to call it (default: the address without its scheme, or the file name).
    #[arg(long)]
    name: Option<String>,
    /// Time between polls: 30s, 15m, 1h, 1d (default 15m).
    #[arg(long, value_parser = parse_every)]
    every: Option<std::time::Duration>,
    /// The language of its pages (fr, en, de…).
    #[arg(long)]
    lang: Option<String>,
    /// A label; repeat for several.
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Keep it in the list without polling it.
    #[arg(long)]
    disabled: bool,
}

/// Arguments of `vigie sources import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// A TOML sources file (see examples/sources.toml) or an OPML subscription list.
    file: String,
}

/// Arguments of `vigie sources list` and `status`.
#[derive(clap::Args)]
pub struct ListArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Arguments of `vigie sources remove`.
#[derive(clap::Args)]
pub struct RemoveArgs {
    /// The source's name, address or path.
    source: String,
}

fn parse_every(s: &str) -> Result<std::time::Duration, String> {
    parse_interval(s).map_err(|e| e.to_string())
}

/// Runs the subcommand.
pub fn run(command: Command, data: &Path) -> Result<()> {
    let registry = SourceRegistry::open(data)?;
    match command {
        Command::Add(args) => add(&registry, args),
        Command::Import(args) => import(&registry, &args.file),
        Command::List(args) => list(&registry, args.json),
        Command::Remove(args) => remove(&registry, &args.source),
        Command::Status(args) => status(&registry, args.json, Utc::now()),
    }
}

/// The registry's form of a declared source.
pub fn entry_of(spec: &SourceSpec) -> SourceEntry {
    SourceEntry {
        name: spec.name.clone(),
        location: spec.location.as_stored(),
        every: spec.every,
        lang: spec.lang.clone(),
        tags: spec.tags.clone(),
        enabled: spec.enabled,
    }
}

fn add(registry: &SourceRegistry, args: AddArgs) -> Result<()> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let location = Location::parse(&args.location, &cwd)?;
    let existing = registry.find(&location.as_stored())?.into_iter().next();
    // Updating: what is not given stays as it was.
    let mut spec = match &existing {
        Some(r) => SourceSpec {
            name: r.entry.name.clone(),
            location,
            every: r.entry.every,
            lang: r.entry.lang.clone(),
            tags: r.entry.tags.clone(),
            enabled: r.entry.enabled,
        },
        None => SourceSpec::new(location),
    };
    if let Some(name) = args.name {
        let name = name.trim().to_string();
        if name.is_empty() {
            bail!("--name: the name is empty");
        }
        spec.name = name;
    }
    if let Some(every) = args.every {
        spec.every = every;
    }
    if let Some(lang) = args.lang {
        spec.lang = Some(lang.trim().to_ascii_lowercase()).filter(|l| !l.is_empty());
    }
    if !args.tags.is_empty() {
        spec.tags = normalise_tags(args.tags);
    }
    spec.enabled = !args.disabled;
    let done = registry.upsert(&entry_of(&spec), Utc::now())?;
    let verb = match done {
        Upserted::Added(_) => "added",
        Upserted::Updated(_) => "updated",
    };
    eprintln!(
        "{verb} {} ({}, every {})",
        spec.name,
        spec.location,
        format_interval(spec.every)
    );
    Ok(())
}

fn import(registry: &SourceRegistry, file: &str) -> Result<()> {
    let path = Path::new(file);
    let bytes = std::fs::read(path).with_context(|| format!("{file}: cannot read"))?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let specs = if vigie_ingest::detect(&bytes).kind == SourceKind::Opml {
        let opml = parse_opml(&bytes, None, &Limits::default()).map_err(|e| e.in_source(file))?;
        let mut specs = Vec::new();
        for s in opml.subscriptions {
            let location = Location::parse(&s.feed_url, base)
                .with_context(|| format!("{file}: a subscription"))?;
            let mut spec = SourceSpec::new(location);
            if let Some(title) = s
                .title
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
            {
                spec.name = title;
            }
            spec.tags = normalise_tags(s.categories);
            specs.push(spec);
        }
        specs
    } else {
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            anyhow::anyhow!(
                "{file}: neither an OPML file nor a TOML sources file (not UTF-8 at byte {})",
                e.valid_up_to()
            )
        })?;
        parse_sources_toml(text, file, base)?
    };
    let (mut added, mut updated) = (0, 0);
    let now = Utc::now();
    for spec in &specs {
        match registry.upsert(&entry_of(spec), now)? {
            Upserted::Added(_) => added += 1,
            Upserted::Updated(_) => updated += 1,
        }
    }
    eprintln!("{file}: {added} sources added, {updated} updated");
    Ok(())
}

fn remove(registry: &SourceRegistry, key: &str) -> Result<()> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    // An address or path in any spelling finds the source it names.
    let mut found = match Location::parse(key, &cwd) {
        Ok(l) => registry.find(&l.as_stored())?,
        Err(_) => Vec::new(),
    };
    if found.is_empty() {
        found = registry.find(key)?;
    }
    match found.as_slice() {
        [] => bail!("{key}: no such source (see `vigie sources list`)"),
        [one] => {
            registry.remove(one.id)?;
            eprintln!("removed {} ({})", one.entry.name, one.entry.location);
            Ok(())
        }
        many => bail!(
            "{key}: {} sources have this name; remove one by its address: {}",
            many.len(),
            many.iter()
                .map(|r| r.entry.location.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    every: String,
    lang: Option<&'a str>,
    tags: &'a [String],
    enabled: bool,
}

fn listed(r: &SourceRecord) -> Listed<'_> {
    let loc = r.entry.location.as_str();
    let is_url = matches!(Location::from_stored(loc), Location::Url(_));
    Listed {
        name: &r.entry.name,
        url: is_url.then_some(loc),
        path: (!is_url).then_some(loc),
        every: format_interval(r.entry.every),
        lang: r.entry.lang.as_deref(),
        tags: &r.entry.tags,
        enabled: r.entry.enabled,
    }
}

fn list(registry: &SourceRegistry, json: bool) -> Result<()> {
    let sources = registry.list()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        let all: Vec<Listed> = sources.iter().map(listed).collect();
        serde_json::to_writer_pretty(&mut out, &all)?;
        writeln!(out)?;
    } else if sources.is_empty() {
        eprintln!(
            "no sources yet: add one with `vigie sources add URL` or `vigie sources import FILE`"
        );
    } else {
        for r in &sources {
            let l = listed(r);
            let mut extra = Vec::new();
            if let Some(lang) = l.lang {
                extra.push(lang.to_string());
            }
            extra.extend(l.tags.iter().map(|t| format!("#{t}")));
            if !l.enabled {
                extra.push("disabled".into());
            }
            writeln!(
                out,
                "{}\t{}\tevery {}\t{}",
                l.name,
                r.entry.location,
                l.every,
                extra.join(" ")
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// One source's health, as `status --json` prints it.
#[derive(Serialize)]
struct Health<'a> {
    #[serde(flatten)]
    source: Listed<'a>,
    kind: Option<&'a str>,
    last_poll: Option<DateTime<Utc>>,
    last_success: Option<DateTime<Utc>>,
    last_error: Option<&'a str>,
    last_error_at: Option<DateTime<Utc>>,
    consecutive_failures: u32,
    next_poll: Option<DateTime<Utc>>,
    articles_total: u64,
    /// The last 7 days, oldest first, today included.
    articles_per_day: Vec<Day>,
}

#[derive(Serialize)]
struct Day {
    day: String,
    articles: u64,
}

fn status(registry: &SourceRegistry, json: bool, now: DateTime<Utc>) -> Result<()> {
    let sources = registry.list()?;
    let today = now.date_naive();
    let days: Vec<String> = (0..7)
        .rev()
        .map(|i| (today - ChronoDuration::days(i)).to_string())
        .collect();
    let mut health = Vec::with_capacity(sources.len());
    for r in &sources {
        let counts = registry.stored_per_day(r.id, &days[0])?;
        let articles_per_day = days
            .iter()
            .map(|d| Day {
                day: d.clone(),
                articles: counts
                    .iter()
                    .find(|(day, _)| day == d)
                    .map_or(0, |(_, n)| *n),
            })
            .collect();
        health.push(Health {
            source: listed(r),
            kind: r.kind.as_deref(),
            last_poll: r.last_poll,
            last_success: r.last_success,
            last_error: r.last_error.as_deref(),
            last_error_at: r.last_error_at,
            consecutive_failures: r.consecutive_failures,
            next_poll: r
                .entry
                .enabled
                .then(|| next_due(r.last_poll, r.entry.every, r.consecutive_failures, now)),
            articles_total: r.articles_total,
            articles_per_day,
        });
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &health)?;
        writeln!(out)?;
    } else if health.is_empty() {
        eprintln!(
            "no sources yet: add one with `vigie sources add URL` or `vigie sources import FILE`"
        );
    } else {
        for h in &health {
            let week: u64 = h.articles_per_day.iter().map(|d| d.articles).sum();
            let state = match (h.last_poll, h.last_error) {
                _ if !h.source.enabled => "disabled".to_string(),
                (None, _) => "never polled".to_string(),
                (Some(_), Some(_)) => format!("FAILING ({} in a row)", h.consecutive_failures),
                (Some(_), None) => "ok".to_string(),
            };
            writeln!(
                out,
                "{}\t{state}\tlast poll {}\tlast success {}\t{} articles ({week} in 7 days)",
                h.source.name,
                ago(h.last_poll, now),
                ago(h.last_success, now),
                h.articles_total,
            )?;
            if let Some(e) = h.last_error {
                writeln!(out, "\terror: {e}")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `5m ago`, `never`.
fn ago(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match t {
        None => "never".to_string(),
        Some(t) => {
            let secs = (now - t).num_seconds().max(0) as u64;
            if secs < 1 {
                "just now".to_string()
            } else {
                format!(
                    "{} ago",
                    format_interval(std::time::Duration::from_secs(secs))
                )
            }
        }
    }
}
