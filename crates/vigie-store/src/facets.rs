//! Facet counts (site, language, day) of every match, read from fast fields, and the
//! per-segment columns they and the hits read.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The fast-field columns of one segment that searches read.
pub struct SegmentColumns {
    /// Article ids.
    pub id: Column<u64>,
    site: Option<StrColumn>,
    lang: Option<StrColumn>,
    day: Column<i64>,
}

/// Columns opened once per segment. Opening a column parses its block index, which
/// on a million-article segment cost as much as a search's scoring.
#[derive(Default)]
pub struct ColumnCache(Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>);

impl ColumnCache {
    /// The columns of `reader`'s segment.
    pub fn columns(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        let id = reader.segment_id();
        let lock = || self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = lock().get(&id) {
            return Ok(Arc::clone(c));
        }
        let ff = reader.fast_fields();
        let columns = Arc::new(SegmentColumns {
            id: ff.u64("id")?,
            site: ff.str("site")?,
            lang: ff.str("lang")?,
            day: ff.i64("day")?,
        });
        let mut map = lock();
        // Merges retire segments: forget them rather than track each reload.
        if map.len() >= 64 {
            map.clear();
        }
        map.insert(id, Arc::clone(&columns));
        Ok(columns)
    }
}

/// Counts of matching articles per site, language and day.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FacetCounts {
    /// Matching articles in all.
    pub total: u64,
    /// Per site label.
    pub site: BTreeMap<String, u64>,
    /// Per language code.
    pub lang: BTreeMap<String, u64>,
    /// Per publication day (days since 1970-01-01).
    pub day: BTreeMap<i64, u64>,
}

/// Collects [`FacetCounts`] from fast fields, without scoring.
pub struct FacetCollector<'a> {
    /// Where the columns come from.
    pub columns: &'a ColumnCache,
}

/// Per-segment state of [`FacetCollector`].
pub struct FacetSegment {
    columns: Arc<SegmentColumns>,
    total: u64,
    site_counts: Vec<u64>,
    lang_counts: Vec<u64>,
    /// Counts per day, indexed from the segment's first day (a map per document
    /// was the costliest part of counting large result sets).
    day_counts: Vec<u64>,
    first_day: i64,
}

impl Collector for FacetCollector<'_> {
    type Fruit = FacetCounts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let columns = self.columns.columns(reader)?;
        let (first_day, last_day) = (columns.day.min_value(), columns.day.max_value());
        // Days span a few thousand values; guard against absurd ranges all the same.
        let span = if last_day >= first_day && last_day - first_day < 200_000 {
            (last_day - first_day + 1) as usize
        } else {
            0
        };
        let terms = |c: &Option<StrColumn>| c.as_ref().map_or(0, |c| c.num_terms());
        Ok(FacetSegment {
            site_counts: vec![0; terms(&columns.site)],
            lang_counts: vec![0; terms(&columns.lang)],
            columns,
            total: 0,
            day_counts: vec![0; span],
            first_day,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut fruits = fruits.into_iter();
        let mut all = fruits.next().unwrap_or_default();
        for f in fruits {
            all.total += f.total;
            for (k, v) in f.site {
                *all.site.entry(k).or_default() += v;
            }
            for (k, v) in f.lang {
                *all.lang.entry(k).or_default() += v;
            }
            for (k, v) in f.day {
                *all.day.entry(k).or_default() += v;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        let c = &*self.columns;
        if let Some(o) = c.site.as_ref().and_then(|s| s.ords().first(doc)) {
            self.site_counts[o as usize] += 1;
        }
        if let Some(o) = c.lang.as_ref().and_then(|s| s.ords().first(doc)) {
            self.lang_counts[o as usize] += 1;
        }
        if let Some(d) = c.day.first(doc) {
            if let Some(n) = self.day_counts.get_mut((d - self.first_day) as usize) {
                *n += 1;
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        // One ordered pass over the dictionary: looking each ordinal up alone rescans
        // its block every time, which dominated searches with many matches.
        let names = |col: &Option<StrColumn>, counts: Vec<u64>| {
            let mut out = BTreeMap::new();
            if let Some(c) = col {
                let ords: Vec<u64> = (0..counts.len() as u64)
                    .filter(|&o| counts[o as usize] > 0)
                    .collect();
                let mut i = 0;
                let _ = c.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    if let Ok(name) = std::str::from_utf8(bytes) {
                        out.insert(name.to_string(), counts[ords[i] as usize]);
                    }
                    i += 1;
                });
            }
            out
        };
        FacetCounts {
            total: self.total,
            site: names(&self.columns.site, self.site_counts),
            lang: names(&self.columns.lang, self.lang_counts),
            day: self
                .day_counts
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(i, &n)| (self.first_day + i as i64, n))
                .collect(),
        }
    }
}
