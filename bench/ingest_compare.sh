#!/usr/bin/env bash
# Ingest throughput beside the fastest extractor, in one run on the same pages:
#   resiliparse    extraction alone, one thread (the issue's speed reference: 985 and 880
#                  pages/s on the reference machine)
#   vigie extract  extraction alone, both cores
#   vigie ingest   extraction, entities, records, raw pages (zstd) and the full-text
#                  index, into a fresh store, both cores, final commit included
#   bench/ingest_compare.sh [DIR] [RUNS]   (default: the pages of both development sets)
# Needs the baselines' virtualenv (BENCH_VENV, default ~/.cache/vigie-bench, created by
# ../shared/bench/check.sh). Ratios are what carry across machines.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
PY=${BENCH_VENV:-$HOME/.cache/vigie-bench}/bin/python
DIR=${1:-}
RUNS=${2:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -z "$DIR" ]; then
  DIR=$WORK/pages
  mkdir -p "$DIR"
  for d in "$SHARED/data/extraction-dev" "$SHARED/data/trafilatura-eval-dev"; do
    find "$d" -name '*.html' -exec cp -t "$DIR" {} + 2>/dev/null || true
  done
fi
n=$(find "$DIR" -maxdepth 1 -type f | wc -l)
[ "$n" -gt 0 ] || { echo "no pages in $DIR" >&2; exit 1; }
cargo build --release -q --bin vigie
now() { date +%s.%N; }
for run in $(seq "$RUNS"); do
  r=$("$PY" - "$DIR" "$SHARED/bench" <<'PY'
import os, sys, time
sys.path.insert(0, sys.argv[2])
from extract_eval import decode_html  # the decoding the extraction benchmark uses
from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree
d = sys.argv[1]
pages = [decode_html(open(os.path.join(d, f), "rb").read()) for f in sorted(os.listdir(d))]
t = time.perf_counter()
for html in pages:
    extract_plain_text(HTMLTree.parse(html), main_content=True)
print(len(pages) / (time.perf_counter() - t))
PY
)
  t0=$(now); target/release/vigie extract --jsonl "$DIR" >/dev/null 2>&1; t1=$(now)
  rm -rf "$WORK/store"
  target/release/vigie --data "$WORK/store" ingest --json "$DIR" >/dev/null; t2=$(now)
  python3 - "$n" "$r" "$t0" "$t1" "$t2" "$run" <<'PY'
import sys
n, r, t0, t1, t2, run = sys.argv[1:]
n, r, t0, t1, t2 = int(n), float(r), float(t0), float(t1), float(t2)
x, i = n / (t1 - t0), n / (t2 - t1)
print(f"run {run}: {n} pages; resiliparse (1 thread, extraction) {r:.0f} p/s; "
      f"vigie extract (2 cores) {x:.0f} p/s; vigie ingest (2 cores, all) {i:.0f} p/s; "
      f"ingest / resiliparse x{i / r:.2f}")
PY
done
