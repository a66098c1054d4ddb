//! `cargo bench -p vigie-extract`: extraction throughput on the example pages and, when
//! present, on the development set (`../shared/data/extraction-dev`).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use vigie_extract::{extract_html, extract_text, Options};

fn load_dev_pages() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/extraction-dev");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "development set absent ({}): benchmarking the examples only",
            dir.display()
        );
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn bench(c: &mut Criterion) {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pages");
    let html = std::fs::read(examples.join("harbour-bridge.html")).expect("example page");
    let text = std::fs::read_to_string(examples.join("les-echos-poutine-minsk.txt")).expect("seed");
    let options = Options::default();

    let mut g = c.benchmark_group("example");
    g.throughput(Throughput::Bytes(html.len() as u64));
    g.bench_function("html", |b| {
        b.iter(|| extract_html(&html, None, &options).unwrap())
    });
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("scraped_text", |b| {
        b.iter(|| extract_text(&text, &options).unwrap())
    });
    g.finish();

    let pages = load_dev_pages();
    if !pages.is_empty() {
        let mut g = c.benchmark_group("extraction-dev");
        g.sample_size(10);
        g.throughput(Throughput::Elements(pages.len() as u64));
        g.bench_function("all_pages", |b| {
            b.iter(|| {
                for p in &pages {
                    let _ = extract_html(p, None, &options);
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
