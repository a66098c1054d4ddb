//! `vigie bench store`: search latency on a large store, side by side with SQLite FTS5.
//!
//! The articles are generated from real ones: each takes a title, a site and 4–12
//! paragraphs drawn (with a fixed seed) from the articles of one language in a corpus
//! of `vigie extract --jsonl` output, and a publication time spread over two years.
//! Queries are drawn from the same paragraphs: two words, a two-word phrase, and a
//! word with a language filter, so that every query has matches.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use rusqlite::params;
use vigie_core::{Article, Block, BlockKind};
use vigie_store::{NewPage, RawKind, SearchRequest, Sort, Store};

/// Arguments of `vigie bench store`.
#[derive(clap::Args)]
pub struct StoreArgs {
    /// JSON lines of extracted articles (`vigie extract --jsonl DIR`), the paragraphs to recombine.
    #[arg(long)]
    corpus: PathBuf,
    /// Articles to generate.
    #[arg(long, default_value_t = 1_000_000)]
    articles: usize,
    /// Where to build the stores (reused when already built with as many articles).
    #[arg(long)]
    dir: PathBuf,
    /// Queries to time, per kind.
    #[arg(long, default_value_t = 200)]
    queries: usize,
    /// Skip the FTS5 comparison.
    #[arg(long)]
    no_fts5: bool,
}

/// A tiny deterministic generator (xorshift64*), so every run builds the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[derive(Default)]
struct Pool {
    titles: Vec<String>,
    sites: Vec<String>,
    authors: Vec<String>,
    paragraphs: Vec<String>,
}

fn load_corpus(path: &Path) -> Result<BTreeMap<String, Pool>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut pools: BTreeMap<String, Pool> = BTreeMap::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        let Ok(a) = serde_json::from_str::<Article>(&line) else {
            continue;
        };
        let Some(lang) = a.lang.clone() else { continue };
        let pool = pools.entry(lang).or_default();
        if let Some(t) = a.title.filter(|t| t.len() > 10) {
            pool.titles.push(t);
        }
        if let Some(s) = a.site {
            pool.sites.push(s);
        }
        pool.authors.extend(a.authors);
        pool.paragraphs
            .extend(a.body.into_iter().map(|b| b.text).filter(|t| t.len() >= 80));
    }
    pools.retain(|_, p| p.paragraphs.len() >= 20 && !p.titles.is_empty());
    if pools.is_empty() {
        bail!(
            "{}: no usable articles (need JSON lines from `vigie extract --jsonl`)",
            path.display()
        );
    }
    for p in pools.values_mut() {
        if p.sites.is_empty() {
            p.sites.push("Example".into());
        }
    }
    Ok(pools)
}

struct Generator<'a> {
    langs: Vec<(&'a str, &'a Pool)>,
    weights: Vec<usize>,
    rng: Rng,
}

impl<'a> Generator<'a> {
    fn new(pools: &'a BTreeMap<String, Pool>, seed: u64) -> Self {
        let langs: Vec<(&str, &Pool)> = pools.iter().map(|(l, p)| (l.as_str(), p)).collect();
        let mut acc = 0;
        let weights = langs
            .iter()
            .map(|(_, p)| {
                acc += p.paragraphs.len();
                acc
            })
            .collect();
        Generator {
            langs,
            weights,
            rng: Rng(seed),
        }
    }

    fn lang(&mut self) -> (&'a str, &'a Pool) {
        let total = *self.weights.last().expect("non-empty");
        let x = self.rng.below(total);
        let i = self.weights.partition_point(|&w| w <= x);
        self.langs[i]
    }

    fn article(&mut self, i: usize) -> Article {
        let (lang, pool) = self.lang();
        let r = &mut self.rng;
        let site = pool.sites[r.below(pool.sites.len())].clone();
        let n = 4 + r.below(9);
        let body: Vec<Block> = (0..n)
            .map(|_| Block {
                kind: BlockKind::Paragraph,
                text: pool.paragraphs[r.below(pool.paragraphs.len())].clone(),
            })
            .collect();
        let offset = FixedOffset::east_opt(3600).expect("valid");
        let start = Utc
            .with_ymd_and_hms(2021, 1, 1, 0, 0, 0)
            .unwrap()
            .timestamp();
        let published: DateTime<FixedOffset> = offset
            .timestamp_opt(start + r.below(2 * 365 * 86_400) as i64, 0)
            .single()
            .expect("valid");
        let host: String = site
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let mut a = Article {
            url: Some(format!("https://{host}.example/bench/{i}")),
            site: Some(site),
            lang: Some(lang.to_string()),
            title: Some(pool.titles[r.below(pool.titles.len())].clone()),
            authors: if pool.authors.is_empty() {
                Vec::new()
            } else {
                vec![pool.authors[r.below(pool.authors.len())].clone()]
            },
            published: Some(published),
            body,
            ..Article::default()
        };
        a.refresh_text();
        a
    }

    /// A query of each kind, drawn from a random paragraph.
    fn queries(&mut self) -> Option<[(String, String); 3]> {
        let (lang, pool) = self.lang();
        let p = &pool.paragraphs[self.rng.below(pool.paragraphs.len())];
        let words: Vec<&str> = p
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
            .collect();
        if words.len() < 4 {
            return None;
        }
        let a = words[self.rng.below(words.len())].to_lowercase();
        let b = words[self.rng.below(words.len())].to_lowercase();
        let i = self.rng.below(words.len() - 1);
        let (p1, p2) = (words[i].to_lowercase(), words[i + 1].to_lowercase());
        Some([
            (format!("{a} {b}"), format!("\"{a}\" \"{b}\"")),
            (format!("\"{p1} {p2}\""), format!("\"{p1} {p2}\"")),
            (format!("{a} lang:{lang}"), format!("\"{a}\"\u{1}{lang}")),
        ])
    }
}

/// Runs `vigie bench store`.
pub fn store(args: StoreArgs) -> Result<std::process::ExitCode> {
    let pools = load_corpus(&args.corpus)?;
    let vigie_dir = args.dir.join("vigie");
    let fts_path = args.dir.join("fts5.sqlite");
    std::fs::create_dir_all(&args.dir)?;
    let n = args.articles;

    let mut store = super::open_write(&vigie_dir)?;
    let have = store.article_count()? as usize;
    if have < n {
        eprintln!("building the Vigie store: {n} articles…");
        let started = Instant::now();
        let mut gen = Generator::new(&pools, 42);
        for _ in 0..have {
            gen.article(0);
        }
        let mut batch = Vec::new();
        for i in have..n {
            let a = gen.article(i);
            batch.push(a);
            if batch.len() == 4096 || i + 1 == n {
                let pages = prepare(std::mem::take(&mut batch))?;
                store.put(pages)?;
                if (i + 1) % 200_000 < 4096 || i + 1 == n {
                    store.commit()?;
                    eprintln!(
                        "  {} articles, {:.0} s",
                        i + 1,
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        }
        store.commit()?;
        eprintln!(
            "built in {:.0} s ({:.0} articles/s)",
            started.elapsed().as_secs_f64(),
            (n - have) as f64 / started.elapsed().as_secs_f64()
        );
    }
    // As after `vigie compact`, the documented step after a large ingest.
    let c = store.compact()?;
    if c.segments_before > 1 {
        eprintln!(
            "index compacted: {} segments, now {}",
            c.segments_before, c.segments_after
        );
    }
    store.close()?;
    let store = super::open_read(&vigie_dir)?;
    let vigie_bytes = store.disk_usage();

    if !args.no_fts5 {
        build_fts5(&fts_path, &pools, n)?;
    }

    let mut gen = Generator::new(&pools, 7);
    let mut queries = Vec::new();
    while queries.len() < args.queries {
        if let Some(q) = gen.queries() {
            queries.push(q);
        }
    }
    let kinds = ["two words", "phrase", "word + lang filter"];
    let mut table = Vec::new();
    // Timed warm, as a serving store runs: one untimed pass loads the index and
    // records pages that the queries touch.
    for q in &queries {
        for (text, _) in q {
            store.search(&SearchRequest {
                query: text.clone(),
                sort: Sort::Relevance,
                limit: 10,
                offset: 0,
                now: None,
            })?;
        }
    }
    for (k, kind) in kinds.iter().enumerate() {
        let mut vigie_times = Vec::new();
        let mut totals = Vec::new();
        let mut total_hits = 0u64;
        for q in &queries {
            let t = Instant::now();
            let r = store.search(&SearchRequest {
                query: q[k].0.clone(),
                sort: Sort::Relevance,
                limit: 10,
                offset: 0,
                now: None,
            })?;
            vigie_times.push(t.elapsed());
            total_hits += r.total;
            totals.push(r.total);
        }
        if let Some((i, d)) = vigie_times.iter().enumerate().max_by_key(|(_, d)| **d) {
            eprintln!(
                "{kind}: slowest {:.1} ms, `{}` ({} matches)",
                d.as_secs_f64() * 1e3,
                queries[i][k].0,
                totals[i]
            );
        }
        let mut row = vec![
            kind.to_string(),
            format!("{}", total_hits / queries.len() as u64),
            stats(&mut vigie_times),
        ];
        if !args.no_fts5 {
            let conn = rusqlite::Connection::open_with_flags(
                &fts_path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )?;
            let mut top_times = Vec::new();
            let mut full_times = Vec::new();
            for q in &queries {
                let (fts_query, lang) = match q[k].1.split_once('\u{1}') {
                    Some((a, l)) => (a.to_string(), Some(l.to_string())),
                    None => (q[k].1.clone(), None),
                };
                let t = Instant::now();
                fts5_top(&conn, &fts_query, lang.as_deref())?;
                top_times.push(t.elapsed());
                let t = Instant::now();
                fts5_top(&conn, &fts_query, lang.as_deref())?;
                fts5_counts(&conn, &fts_query, lang.as_deref())?;
                full_times.push(t.elapsed());
            }
            row.push(stats(&mut top_times));
            row.push(stats(&mut full_times));
        }
        table.push(row);
    }
    let fts_bytes = std::fs::metadata(&fts_path).map(|m| m.len()).unwrap_or(0);
    println!(
        "{n} articles, {} queries per kind, one thread, latency p50 / p99 in ms",
        queries.len()
    );
    println!();
    if args.no_fts5 {
        println!("| query | matches (mean) | Vigie (top 10 + total + facets + snippets) |");
        println!("|---|---|---|");
    } else {
        println!("| query | matches (mean) | Vigie (top 10 + total + facets + snippets) | FTS5 top 10 | FTS5 top 10 + total + facets |");
        println!("|---|---|---|---|---|");
    }
    for row in table {
        println!("| {} |", row.join(" | "));
    }
    println!();
    println!(
        "Vigie store: {:.2} GB, {:.0} bytes per article (records with raw page and article compressed, plus index)",
        vigie_bytes as f64 / 1e9,
        vigie_bytes as f64 / n as f64
    );
    if !args.no_fts5 {
        println!(
            "FTS5 database: {:.2} GB, {:.0} bytes per article (text and index only, no raw page)",
            fts_bytes as f64 / 1e9,
            fts_bytes as f64 / n as f64
        );
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn prepare(articles: Vec<Article>) -> Result<Vec<NewPage>> {
    use rayon::prelude::*;
    let now = Utc::now();
    articles
        .into_par_iter()
        .map(|a| {
            let raw = a.text.clone();
            NewPage::new(
                a.url.clone(),
                raw.as_bytes(),
                RawKind::Text,
                a,
                now,
                "bench",
            )
            .map_err(Into::into)
        })
        .collect()
}

fn stats(times: &mut [Duration]) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    format!(
        "{:.2} / {:.2}",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3
    )
}

fn build_fts5(path: &Path, pools: &BTreeMap<String, Pool>, n: usize) -> Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY, site TEXT, lang TEXT, day TEXT);
         CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, body, content='',
             tokenize='unicode61 remove_diacritics 2');
         CREATE INDEX IF NOT EXISTS docs_lang ON docs(lang);",
    )?;
    let have: i64 = conn.query_row("SELECT count(*) FROM docs", [], |r| r.get(0))?;
    if have as usize >= n {
        return Ok(());
    }
    eprintln!("building the FTS5 database: {n} articles…");
    let started = Instant::now();
    conn.execute_batch("DELETE FROM docs; INSERT INTO fts(fts) VALUES('delete-all');")?;
    let mut gen = Generator::new(pools, 42);
    let tx = conn.unchecked_transaction()?;
    {
        let mut doc =
            tx.prepare("INSERT INTO docs(id, site, lang, day) VALUES (?1, ?2, ?3, ?4)")?;
        let mut fts = tx.prepare("INSERT INTO fts(rowid, title, body) VALUES (?1, ?2, ?3)")?;
        for i in 0..n {
            let a = gen.article(i);
            let day = a.published.map(|p| p.date_naive().to_string());
            doc.execute(params![i as i64 + 1, a.site, a.lang, day])?;
            fts.execute(params![i as i64 + 1, a.title, a.text])?;
        }
    }
    tx.commit()?;
    conn.execute_batch("INSERT INTO fts(fts) VALUES('optimize');")?;
    eprintln!("FTS5 built in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// FTS5's best ten by BM25. With `content=''` the text is not stored, so FTS5
/// cannot make snippets; Vigie's latency includes making them.
fn fts5_top(conn: &rusqlite::Connection, q: &str, lang: Option<&str>) -> Result<()> {
    let sql = match lang {
        Some(_) => {
            "SELECT fts.rowid FROM fts JOIN docs ON docs.id = fts.rowid
                    WHERE fts MATCH ?1 AND docs.lang = ?2 ORDER BY rank LIMIT 10"
        }
        None => "SELECT rowid FROM fts WHERE fts MATCH ?1 AND ?2 IS NULL ORDER BY rank LIMIT 10",
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows: Vec<i64> = stmt
        .query_map(params![q, lang], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    std::hint::black_box(rows);
    Ok(())
}

/// The total and the site, language and day counts Vigie returns with every search.
fn fts5_counts(conn: &rusqlite::Connection, q: &str, lang: Option<&str>) -> Result<()> {
    for col in ["site", "lang", "day"] {
        let sql = format!(
            "SELECT docs.{col}, count(*) FROM fts JOIN docs ON docs.id = fts.rowid
             WHERE fts MATCH ?1 AND (?2 IS NULL OR docs.lang = ?2) GROUP BY docs.{col}"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows: Vec<(Option<String>, i64)> = stmt
            .query_map(params![q, lang], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(rows);
    }
    Ok(())
}
