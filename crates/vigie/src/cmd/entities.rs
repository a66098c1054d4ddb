//! `vigie entities`: the people, places and organisations of a text.

use std::io::{BufRead, Write};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// Arguments of `vigie entities`.
#[derive(clap::Args)]
pub struct Args {
    /// Read JSON lines `{"id","text","lang"}` on stdin and write
    /// `{"id","entities":[{"start","end","label","entity"}]}` per line, offsets in
    /// Unicode code points.
    #[arg(long)]
    pub jsonl: bool,
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
    entity: &'a str,
}

#[derive(Serialize)]
struct LineOut<'a> {
    id: &'a serde_json::Value,
    entities: Vec<LineMention<'a>>,
}

/// Runs `vigie entities`.
pub fn run(args: Args) -> Result<()> {
    if args.jsonl {
        return jsonl();
    }
    anyhow::bail!("give --jsonl (reading articles by path or id comes with the store integration)")
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
        let mentions = vigie_nlp::recognize(&rec.text, &rec.lang);
        let chars = CharOffsets::new(&rec.text);
        let entities = mentions
            .iter()
            .map(|m| LineMention {
                start: chars.of(m.start),
                end: chars.of(m.end),
                label: m.kind.label(),
                entity: &rec.text[m.start..m.end],
            })
            .collect();
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
