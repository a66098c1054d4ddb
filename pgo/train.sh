#!/usr/bin/env bash
# Records pgo/vigie.profdata, the profile that optimised builds use (pgo/README.md).
#
#   pgo/train.sh            (about ten minutes: an instrumented build, then the runs)
#
# Builds Vigie instrumented (`-Cprofile-generate`, in target/pgo-generate), runs it on
# the development pages the way users run it (ingest of HTML and of scraped text,
# re-ingest, searches, show, stats, entities, quotes, reextract, reindex), and merges
# the counts with llvm-profdata (Debian: `apt-get install llvm-19`; any version that
# reads rustc's LLVM's raw profiles, LLVM_PROFDATA to choose). Run it again when the
# hot code has changed much: functions changed since are compiled without a profile.
# Afterwards `cargo clean --release` (cargo does not see the profile change).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=$(cd "${SHARED:-../shared}" && pwd)
PROFDATA=${LLVM_PROFDATA:-$(command -v llvm-profdata-19 || command -v llvm-profdata || true)}
[ -x "$PROFDATA" ] || { echo "no llvm-profdata (apt-get install llvm-19, or set LLVM_PROFDATA)" >&2; exit 1; }
for set in extraction-dev trafilatura-eval-dev stories-dev; do
  [ -d "$SHARED/data/$set" ] || { echo "no $SHARED/data/$set: the profile is recorded on the development sets" >&2; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TARGET=target/pgo-generate
RUSTFLAGS="-Cprofile-generate=$WORK/raw" CARGO_TARGET_DIR=$TARGET cargo build --release -q --bin vigie
VIGIE=$TARGET/release/vigie

# The inputs: the HTML pages of both sets, and scraped texts (the seed page and the
# news-cluster articles, title and text).
mkdir -p "$WORK/html" "$WORK/text"
find "$SHARED/data/extraction-dev" "$SHARED/data/trafilatura-eval-dev" -name '*.html' -exec cp -t "$WORK/html" {} +
cp "$SHARED"/seed/*.txt "$WORK/text/"
python3 - "$SHARED/data/stories-dev/en-hamborg-newscluster-dev.jsonl" "$WORK/text" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    with open(f"{sys.argv[2]}/{a['id']}.txt", "w", encoding="utf-8") as f:
        f.write(f"{a['title']}\n\n{a['text']}\n")
PY

store=$WORK/store
v() { "$VIGIE" --data "$store" "$@" >/dev/null; }
v ingest --json "$WORK/html"
v ingest --json "$WORK/text"
v ingest --json "$WORK/html"
queries=(
  'president' 'Poutine' 'climate change' '"prime minister"' 'title:election'
  'lang:fr gouvernement' 'lang:de Regierung' 'site:bbc.co.uk' 'economy OR market'
  '(bank OR banque) AND crisis' 'police -football' 'NOT sport war'
  'published:2019-01-01..2023-12-31 minister' 'published:>=2020-01-01 vaccine'
  'author:smith' 'entity:Paris' 'entity:"Emmanuel Macron"' 'covid'
)
for q in "${queries[@]}"; do
  v search "$q"
  v search --json --sort date --limit 20 "$q"
done
v stats
v stats --json
for id in 1 2 3 50 400 700; do
  v show "$id"
  v entities --json "$id"
  v quotes "$id"
done
v entity Paris || true
v entity Trump || true
cat "$SHARED"/data/ner-dev/*.jsonl | "$VIGIE" entities --jsonl >/dev/null
v reextract
v reindex
v compact

"$PROFDATA" merge --sparse -o pgo/vigie.profdata "$WORK"/raw/*.profraw
ls -l pgo/vigie.profdata
