//! Benchmark-only harness: runs one third-party Rust extractor over every `*.html` file of a
//! directory (sorted, single-threaded) and prints one JSON line per page:
//! `{"path", "title", "author", "date", "text"}` — the `--batch-cmd` protocol of
//! `shared/bench/extract_eval.py`. A page whose extraction errors or panics gets a line with
//! empty text (and an "error" field) and the run continues.

use std::io::{self, BufWriter, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use serde_json::{Value, json};

#[derive(Clone, Copy)]
enum Tool {
    Trafilatura,
    RsTrafilatura,
    DomSmoothie,
}

impl Tool {
    fn parse(s: &str) -> Option<Tool> {
        match s {
            "trafilatura" => Some(Tool::Trafilatura),
            "rs-trafilatura" => Some(Tool::RsTrafilatura),
            "dom_smoothie" => Some(Tool::DomSmoothie),
            _ => None,
        }
    }
}

/// What every extractor returns; `author` is already a JSON string, list or null.
struct Extracted {
    title: Option<String>,
    author: Value,
    date: Option<String>,
    text: String,
}

/// Same decoding as `decode_html` in extract_eval.py (used for its built-in Python baselines):
/// UTF-8 if valid, else the `<meta … charset=…>` found in the first 4096 bytes, else windows-1252.
fn decode_html(raw: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(raw) {
        return s.to_owned();
    }
    static META_CHARSET: OnceLock<regex::bytes::Regex> = OnceLock::new();
    let re = META_CHARSET.get_or_init(|| {
        regex::bytes::Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)"#)
            .expect("valid regex")
    });
    let head = &raw[..raw.len().min(4096)];
    let enc = re
        .captures(head)
        .and_then(|c| encoding_rs::Encoding::for_label(c.get(1)?.as_bytes()))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    let (s, _, _) = enc.decode(raw);
    s.into_owned()
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// trafilatura-style author strings join several names with "; ".
fn authors_value(s: Option<&str>) -> Value {
    let names: Vec<String> = s.unwrap_or("").split("; ").filter_map(non_empty).collect();
    match names.len() {
        0 => Value::Null,
        1 => Value::String(names.into_iter().next().unwrap_or_default()),
        _ => Value::from(names),
    }
}

fn run_trafilatura(html: &str) -> Result<Extracted, String> {
    // Default options; metadata is always extracted by this crate.
    static OPTS: OnceLock<trafilatura::Options> = OnceLock::new();
    let opts = OPTS.get_or_init(trafilatura::Options::default);
    let r = trafilatura::extract(html, opts).map_err(|e| e.to_string())?;
    let m = &r.metadata;
    Ok(Extracted {
        title: non_empty(&m.title),
        author: authors_value(Some(&m.author)),
        date: m.date.map(|d| d.format("%Y-%m-%d").to_string()),
        text: r.content_text,
    })
}

fn run_rs_trafilatura(html: &str) -> Result<Extracted, String> {
    // `extract` = `extract_with_options(html, &Options::default())`; metadata is always extracted.
    let r = rs_trafilatura::extract(html).map_err(|e| e.to_string())?;
    let m = &r.metadata;
    Ok(Extracted {
        title: m.title.as_deref().and_then(non_empty),
        author: authors_value(m.author.as_deref()),
        date: m.date.map(|d| d.to_rfc3339()),
        text: r.content_text,
    })
}

fn run_dom_smoothie(html: &str) -> Result<Extracted, String> {
    // Default Config (JSON-LD metadata enabled, TextMode::Raw); no document URL.
    let mut rd = dom_smoothie::Readability::new(html, None, None).map_err(|e| e.to_string())?;
    let a = rd.parse().map_err(|e| e.to_string())?;
    Ok(Extracted {
        title: non_empty(&a.title),
        author: a
            .byline
            .as_deref()
            .and_then(non_empty)
            .map_or(Value::Null, Value::String),
        date: a.published_time.as_deref().and_then(non_empty),
        text: a.text_content.to_string(),
    })
}

fn extract_page(tool: Tool, path: &Path) -> Result<Extracted, String> {
    let raw = std::fs::read(path).map_err(|e| format!("read: {e}"))?;
    let html = decode_html(&raw);
    match panic::catch_unwind(AssertUnwindSafe(|| match tool {
        Tool::Trafilatura => run_trafilatura(&html),
        Tool::RsTrafilatura => run_rs_trafilatura(&html),
        Tool::DomSmoothie => run_dom_smoothie(&html),
    })) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(format!("panic: {msg}"))
        }
    }
}

/// Serialises one output line. serde_json leaves U+0085, U+2028 and U+2029 unescaped (valid
/// JSON), but Python's `str.splitlines()`, which the eval script uses to split the output, breaks
/// lines on them; they can only occur inside JSON strings, so escape them there.
fn json_line(v: &Value) -> String {
    let s = v.to_string();
    if !s.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        return s;
    }
    s.replace('\u{85}', "\\u0085")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: rust-extractors <trafilatura|rs-trafilatura|dom_smoothie> DIR";
    let (Some(tool), Some(dir)) = (args.get(1).and_then(|s| Tool::parse(s)), args.get(2)) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    if args.len() != 3 {
        eprintln!("{usage}");
        return ExitCode::from(2);
    }
    let mut pages: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "html"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {dir}: {e}");
            return ExitCode::from(1);
        }
    };
    pages.sort();

    // Keep panic messages on stderr short: one line per panicking page.
    panic::set_hook(Box::new(|info| {
        eprintln!("panic: {info}");
    }));

    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for path in &pages {
        let path_str = path.to_string_lossy();
        let line = match extract_page(tool, path) {
            Ok(e) => json!({
                "path": path_str,
                "title": e.title,
                "author": e.author,
                "date": e.date,
                "text": e.text,
            }),
            Err(err) => {
                eprintln!("{path_str}: {err}");
                json!({
                    "path": path_str,
                    "title": null,
                    "author": null,
                    "date": null,
                    "text": "",
                    "error": err,
                })
            }
        };
        if writeln!(out, "{}", json_line(&line)).is_err() {
            return ExitCode::from(1);
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
