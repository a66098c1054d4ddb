//! Quality floors on the project's development sets (read from `../shared/data`, skipped
//! when absent). The figures that matter are measured by `../shared/bench/check.sh`;
//! these floors only catch a change that breaks extraction on real pages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use vigie_extract::{extract_html, Options};

fn data(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

fn pages(dir: &Path) -> Vec<(PathBuf, serde_json::Value)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let gold =
                serde_json::from_str(&std::fs::read_to_string(p.with_extension("json")).unwrap())
                    .unwrap();
            (p, gold)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn shingles<'a>(t: &'a str, words: &Regex) -> HashMap<Vec<&'a str>, i64> {
    let toks: Vec<&str> = words.find_iter(t).map(|m| m.as_str()).collect();
    let mut counts: HashMap<Vec<&str>, i64> = HashMap::new();
    for i in 0..toks.len().saturating_sub(3).max(1) {
        let s = toks[i..(i + 4).min(toks.len())].to_vec();
        if !s.is_empty() {
            *counts.entry(s).or_default() += 1;
        }
    }
    counts
}

/// The scrapinghub benchmark's metric: 4-token shingles of `\w+` tokens, per-page
/// precision and recall, averaged, F1 of the means.
fn shingle_prf(gold: &str, pred: &str, words: &Regex) -> (f64, f64) {
    let (g, p) = (shingles(gold, words), shingles(pred, words));
    let (mut tp, mut fp, mut fneg) = (0i64, 0i64, 0i64);
    for (k, &gc) in &g {
        let pc = p.get(k).copied().unwrap_or(0);
        tp += gc.min(pc);
        fneg += (gc - pc).max(0);
    }
    for (k, &pc) in &p {
        fp += (pc - g.get(k).copied().unwrap_or(0)).max(0);
    }
    let prec = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let rec = if tp + fneg == 0 {
        1.0
    } else {
        tp as f64 / (tp + fneg) as f64
    };
    (prec, rec)
}

#[test]
fn extraction_dev_body_f1_floor() {
    let Some(dir) = data("extraction-dev") else {
        return;
    };
    let words = Regex::new(r"\w+").unwrap();
    let (mut ps, mut rs) = (Vec::new(), Vec::new());
    for (page, gold) in pages(&dir) {
        let html = std::fs::read(&page).unwrap();
        let text = extract_html(&html, gold["url"].as_str(), &Options::default())
            .map(|a| a.text)
            .unwrap_or_default();
        let (p, r) = shingle_prf(gold["body"].as_str().unwrap_or(""), &text, &words);
        if !text.trim().is_empty() {
            ps.push(p);
        }
        rs.push(r);
    }
    let p = ps.iter().sum::<f64>() / ps.len() as f64;
    let r = rs.iter().sum::<f64>() / rs.len() as f64;
    let f1 = 2.0 * p * r / (p + r);
    eprintln!(
        "extraction-dev: P {p:.3} R {r:.3} F1 {f1:.3} over {} pages",
        rs.len()
    );
    assert!(f1 >= 0.95, "body F1 fell to {f1:.3}");
}

#[test]
fn trafilatura_eval_dev_snippet_f1_floor() {
    let Some(dir) = data("trafilatura-eval-dev") else {
        return;
    };
    let ws = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for (page, gold) in pages(&dir) {
        let html = std::fs::read(&page).unwrap();
        let text = ws(&extract_html(&html, None, &Options::default())
            .map(|a| a.text)
            .unwrap_or_default());
        let snippets = |k: &str| gold[k].as_array().cloned().unwrap_or_default();
        for w in snippets("with") {
            if !text.is_empty() && text.contains(&ws(w.as_str().unwrap_or(""))) {
                tp += 1;
            } else {
                fneg += 1;
            }
        }
        for w in snippets("without") {
            if !text.is_empty() && text.contains(&ws(w.as_str().unwrap_or(""))) {
                fp += 1;
            }
        }
    }
    let f1 = 2.0 * tp as f64 / (2 * tp + fp + fneg) as f64;
    eprintln!("trafilatura-eval-dev: snippet F1 {f1:.3} (tp {tp}, fp {fp}, fn {fneg})");
    assert!(f1 >= 0.88, "snippet F1 fell to {f1:.3}");
}
