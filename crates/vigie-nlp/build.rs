//! Compiles the knowledge base (`data/kb.tsv.zst`, committed, built from open data by
//! `data/build_kb.py`) into finite-state maps, Bloom filters of their keys and flat
//! tables the recogniser reads in place: a process starts with no parsing and no
//! allocation for the base.
//!
//! Nothing is downloaded: the input is the committed file.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/bloom.rs"]
mod bloom;
#[allow(dead_code)]
#[path = "src/fold.rs"]
mod fold;
#[allow(dead_code)]
#[path = "src/keys.rs"]
mod keys;

use fold::fold;
use keys::{key_of, stem_key};

/// Words at least this frequent (Zipf × 10) are also listed in `frequent_words.txt`;
/// keep in step with `kb::FREQUENT_MIN_ZIPF`.
const FREQUENT_MIN_ZIPF: u64 = 50;
fn main() {
    println!("cargo:rerun-if-changed=data/kb.tsv.zst");
    println!("cargo:rerun-if-changed=src/fold.rs");
    println!("cargo:rerun-if-changed=src/keys.rs");
    println!("cargo:rerun-if-changed=src/bloom.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let file =
        std::fs::File::open("data/kb.tsv.zst").expect("data/kb.tsv.zst is in the repository");
    let mut text = String::new();
    ruzstd::decoding::StreamingDecoder::new(file)
        .expect("data/kb.tsv.zst is a zstd frame")
        .read_to_string(&mut text)
        .expect("data/kb.tsv.zst holds UTF-8 text");

    let mut places: Vec<(u64, [&str; 4])> = Vec::new(); // population, [kb_id, name, country, kind]
    let mut place_keys: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut stem_keys: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut first_names: BTreeMap<String, String> = BTreeMap::new();
    let mut surnames: BTreeMap<String, u64> = BTreeMap::new();
    let mut peoples: BTreeMap<String, u64> = BTreeMap::new();
    let mut calendar: BTreeMap<String, u64> = BTreeMap::new();
    let mut words: BTreeMap<String, u64> = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match (f[0], f.len()) {
            ("P", 7) => {
                let id = places.len() as u32;
                places.push((f[4].parse().unwrap_or(0), [f[1], f[3], f[5], f[2]]));
                for alias in f[6].split('|') {
                    let key = key_of(alias);
                    if key.is_empty() {
                        continue;
                    }
                    if let Some(stem) = stem_key(&key) {
                        stem_keys.entry(stem).or_default().push(id);
                    }
                    place_keys.entry(key).or_default().push(id);
                }
            }
            ("F", 3) => {
                first_names.insert(fold(f[1]), f[2].to_string());
            }
            ("S", 3) => {
                surnames.insert(fold(f[1]), 0);
            }
            ("L", 3) => {
                peoples.insert(format!("{}\0{}", f[1], fold(f[2])), 0);
            }
            ("C", 3) => {
                calendar.insert(fold(f[2]), 0);
            }
            ("W", 4) => {
                let z = f[3].parse::<u64>().unwrap_or(0);
                let e = words
                    .entry(format!("{}\0{}", f[1], fold(f[2])))
                    .or_default();
                *e = (*e).max(z);
            }
            _ => {}
        }
    }

    // Places: records of 8 little-endian u32 (population high/low, kb_id, name and
    // country as offset/length into one string table, kind), then id lists.
    let mut strings = Vec::new();
    let mut intern = |s: &str| {
        let off = strings.len() as u32;
        strings.extend_from_slice(s.as_bytes());
        [off, s.len() as u32]
    };
    let mut records = Vec::with_capacity(places.len() * 32);
    for (population, [kb_id, name, country, kind]) in &places {
        let kind = match *kind {
            "city" => 0u32,
            "country" => 1,
            "continent" => 2,
            _ => 3,
        };
        let [ko, kl] = intern(kb_id);
        let [no, nl] = intern(name);
        let [co, cl] = intern(country);
        for v in [
            (population >> 32) as u32,
            *population as u32,
            ko,
            kl,
            no,
            nl,
            co,
            cl,
            kind,
        ] {
            records.extend_from_slice(&v.to_le_bytes());
        }
    }
    let mut lists: Vec<u8> = Vec::new();
    let index = |keys: BTreeMap<String, Vec<u32>>, lists: &mut Vec<u8>| {
        let mut map = BTreeMap::new();
        for (key, mut ids) in keys {
            ids.sort_by_key(|&i| (std::cmp::Reverse(places[i as usize].0), i));
            ids.dedup();
            map.insert(key, lists.len() as u64);
            lists.extend_from_slice(&(ids.len() as u32).to_le_bytes());
            for id in ids {
                lists.extend_from_slice(&id.to_le_bytes());
            }
        }
        map
    };
    let place_map = index(place_keys, &mut lists);
    let stem_map = index(stem_keys, &mut lists);
    let first_map: BTreeMap<String, u64> = first_names
        .into_iter()
        .map(|(k, countries)| {
            let [o, l] = intern(&countries);
            (k, ((o as u64) << 32) | l as u64)
        })
        .collect();

    write_table(&out, "places", &place_map);
    write_table(&out, "place_stems", &stem_map);
    write_table(&out, "first_names", &first_map);
    write_table(&out, "surnames", &surnames);
    write_table(&out, "peoples", &peoples);
    write_table(&out, "calendar", &calendar);
    // Most words asked about are known: a filter would only slow the hits.
    write(&out, "words.fst", &fst_bytes(&words));
    // The most frequent words again, as "lang\0word\tzipf" lines: listing a language's
    // common words must not scan its whole word list.
    let mut frequent = String::new();
    for (k, z) in &words {
        if *z >= FREQUENT_MIN_ZIPF {
            frequent.push_str(&format!("{k}\t{z}\n"));
        }
    }
    write(&out, "frequent_words.txt", frequent.as_bytes());
    write(&out, "place_records.bin", &records);
    write(&out, "place_lists.bin", &lists);
    write(&out, "strings.bin", &strings);
}

/// Writes `map` as `NAME.fst`, and the Bloom filter of its keys as `NAME.bloom`.
fn write_table(dir: &Path, name: &str, map: &BTreeMap<String, u64>) {
    write(dir, &format!("{name}.fst"), &fst_bytes(map));
    let filter = bloom::build(map.keys().map(String::as_bytes));
    write(dir, &format!("{name}.bloom"), &filter);
}

fn fst_bytes(map: &BTreeMap<String, u64>) -> Vec<u8> {
    let mut builder = fst::MapBuilder::memory();
    for (k, v) in map {
        builder
            .insert(k, *v)
            .expect("keys come sorted and unique from a BTreeMap");
    }
    builder.into_inner().expect("fst builds in memory")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let mut f = std::fs::File::create(dir.join(name)).expect("OUT_DIR is writable");
    f.write_all(bytes).expect("OUT_DIR is writable");
}
