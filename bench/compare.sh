#!/usr/bin/env bash
# Side-by-side extraction benchmark: Vigie and the tools users would pick instead, one run,
# same machine, same pages, scored by ../shared/bench/extract_eval.py.
#   bench/compare.sh [DATA_DIR...]      (default: both development sets)
# Needs the baselines' virtualenv (BENCH_VENV, default ~/.cache/vigie-bench, created by
# ../shared/bench/check.sh) and, for the Rust crates, bench/rust-extractors built into
# RUST_EXTRACTORS (default /tmp/rust-extractors-target/release/rust-extractors).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
PY=${BENCH_VENV:-$HOME/.cache/vigie-bench}/bin/python
RX=${RUST_EXTRACTORS:-/tmp/rust-extractors-target/release/rust-extractors}
EVAL=$SHARED/bench/extract_eval.py
OUT=$(mktemp -d)
cargo build --release -q --bin vigie
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=("$SHARED/data/extraction-dev" "$SHARED/data/trafilatura-eval-dev")
for d in "${dirs[@]}"; do
  name=$(basename "$d")
  "$PY" "$EVAL" --data "$d" --batch-cmd "target/release/vigie extract --jsonl --threads 1 {dir}" --name vigie --json-out "$OUT/$name.jsonl" >/dev/null
  for x in trafilatura readability-lxml resiliparse; do
    "$PY" "$EVAL" --data "$d" --extractor "$x" --json-out "$OUT/$name.jsonl" >/dev/null 2>&1
  done
  if [ -x "$RX" ]; then
    for x in trafilatura rs-trafilatura dom_smoothie; do
      label=$x; [ "$x" = trafilatura ] && label=trafilatura-rs
      "$PY" "$EVAL" --data "$d" --batch-cmd "$RX $x {dir}" --name "$label" --json-out "$OUT/$name.jsonl" >/dev/null
    done
  fi
  python3 - "$OUT/$name.jsonl" "$name" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cols = [("body_p", "body P"), ("body_r", "body R"), ("body_f1", "body F1"), ("snip_p", "snip P"), ("snip_r", "snip R"), ("snip_f1", "snip F1"),
        ("title_exact_acc", "title"), ("author_exact_acc", "author"), ("date_acc", "date"), ("pages_per_s", "pages/s"), ("empty", "empty")]
cols = [c for c in cols if any(r.get(c[0]) is not None for r in rows)]
print(f"\n{sys.argv[2]}\n")
print("| tool | " + " | ".join(h for _, h in cols) + " |")
print("|---|" + "---|" * len(cols))
for r in rows:
    cells = []
    for k, _ in cols:
        v = r.get(k)
        cells.append("–" if v is None else (f"{v:.0f}" if k in ("pages_per_s", "empty") else f"{v:.3f}"))
    print(f"| {r['name']} {r.get('version') or ''} | " + " | ".join(cells) + " |")
PY
done
rm -rf "$OUT"
