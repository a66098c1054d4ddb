#!/usr/bin/env bash
# Vigie's ingest speed carried over to the machine the shared figures were measured on.
#
# The issue's ingest target (pages/s on the development pages) was set against figures
# measured on a 2-core machine "of this kind" (../shared/bench/README.md, 2026-11-27).
# The same tools run 2–3.5× slower on this VM at times, so an absolute pages/s here
# says little. This script runs, in turn and on each development set, the reference
# tools exactly as the shared benchmark times them (extract_eval.py, one process,
# one thread) and `vigie ingest` into a fresh store (startup and final commit
# included, both cores), then scales Vigie's speed by each tool's
# reference speed / speed here:
#     projected = vigie_ingest_here × reference_tool / tool_here
# On a loaded machine the one-thread tools slow down more than the two-core ingest and
# the projection reads high (826–923 in one afternoon): trust most the series whose
# tools ran nearest their reference figures (printed at the end).
#
#   bench/ingest_projected.sh [RUNS]     (default 3)
#
# VARIANTS compares ingest options against the same tool runs, as `label=args`
# separated by commas; each variant's ingest is timed right after each tool's run:
#   VARIANTS='default=,no-entities=--no-entities' bench/ingest_projected.sh 4
# A label may name another binary after `@` (an older build, say), so that two
# versions are projected from the same tool runs:
#   VARIANTS='before@/tmp/vigie-before=,after=' bench/ingest_projected.sh 5
#
# Needs the baselines' virtualenv (BENCH_VENV, default ~/.cache/vigie-bench, created by
# ../shared/bench/check.sh); dom_smoothie and trafilatura-rs are used when
# bench/rust-extractors is built (RUST_EXTRACTORS, default
# /tmp/rust-extractors-target/release/rust-extractors; see its README).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=$(cd "${SHARED:-../shared}" && pwd)
PY=${BENCH_VENV:-$HOME/.cache/vigie-bench}/bin/python
RX=${RUST_EXTRACTORS:-/tmp/rust-extractors-target/release/rust-extractors}
RUNS=${1:-3}
IFS=, read -r -a VARIANTS <<<"${VARIANTS:-default=}"
VIGIE=$PWD/target/release/vigie
[ -x "$PY" ] || { echo "no bench virtualenv at $PY (run ../shared/bench/check.sh once)" >&2; exit 1; }
[ -d "$SHARED/data/extraction-dev" ] || { echo "no development sets under $SHARED/data" >&2; exit 1; }
cargo build --release -q --bin vigie
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RESULTS=$WORK/results
: >"$RESULTS"
# Reference figures: ../shared/bench/README.md, pages/s, one process, same sets.
declare -A REF=(
  [resiliparse/extraction-dev]=985 [resiliparse/trafilatura-eval-dev]=880
  [dom_smoothie/extraction-dev]=524 [dom_smoothie/trafilatura-eval-dev]=528
  [trafilatura/extraction-dev]=266 [trafilatura/trafilatura-eval-dev]=232
)
TOOLS=(resiliparse)
[ -x "$RX" ] && TOOLS+=(dom_smoothie trafilatura)
speed() { # the pages_per_s extract_eval.py reports
  "$PY" "$SHARED/bench/extract_eval.py" "$@" 2>/dev/null |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["pages_per_s"])'
}
for set in extraction-dev trafilatura-eval-dev; do
  mkdir -p "$WORK/$set"
  find "$SHARED/data/$set" -name '*.html' -exec cp -t "$WORK/$set" {} +
done
for run in $(seq "$RUNS"); do
  for set in extraction-dev trafilatura-eval-dev; do
    pages=$WORK/$set
    n=$(find "$pages" -maxdepth 1 -name '*.html' | wc -l)
    for tool in "${TOOLS[@]}"; do
      if [ "$tool" = resiliparse ]; then
        s=$(cd "$SHARED/bench" && speed --data "$SHARED/data/$set" --extractor resiliparse)
      else
        s=$(cd "$SHARED/bench" && speed --data "$SHARED/data/$set" --batch-cmd "$RX $tool {dir}")
      fi
      for variant in "${VARIANTS[@]}"; do
        read -r -a extra <<<"${variant#*=}"
        label=${variant%%=*}
        bin=$VIGIE
        if [[ $label == *@* ]]; then
          bin=${label#*@}
          label=${label%%@*}
        fi
        rm -rf "$WORK/store"
        t0=$(date +%s.%N)
        "$bin" --data "$WORK/store" ingest --json ${extra[@]+"${extra[@]}"} "$pages" >/dev/null
        t1=$(date +%s.%N)
        echo "$run $set $tool $s ${REF[$tool/$set]} $n $t0 $t1 $label" >>"$RESULTS"
      done
    done
  done
done
python3 - "$RESULTS" <<'PY'
import collections, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
projected = collections.defaultdict(list)
factors = []
print(f"{'run':>3} {'set':<21} {'tool':<12} {'variant':<12} {'tool here':>9} {'ref':>5} {'factor':>6} {'ingest here':>11} {'projected':>9}")
for run, s, tool, here, ref, n, t0, t1, variant in rows:
    here, ref, n = float(here), float(ref), int(n)
    ingest = n / (float(t1) - float(t0))
    p = ingest * ref / here
    projected[variant].append(p)
    factors.append(ref / here)
    print(f"{run:>3} {s:<21} {tool:<12} {variant:<12} {here:>9.0f} {ref:>5.0f} {ref / here:>6.2f} {ingest:>11.0f} {p:>9.0f}")
# A loaded machine slows the one-thread tools more than the two-core ingest: the
# projection then reads high. Trust most the series whose tools ran nearest 1x.
print(f"tools here ran {min(factors):.2f}-{max(factors):.2f}x slower than their reference figures")
for variant, ps in projected.items():
    q = statistics.quantiles(ps, n=4) if len(ps) > 1 else ps * 3
    print(f"vigie ingest ({variant}) projected onto the reference machine: median "
          f"{statistics.median(ps):.0f} pages/s (quartiles {q[0]:.0f}-{q[2]:.0f}, {len(ps)} pairs)")
# Variants timed after the same tool run share its factor: their ratio does not drift
# with the machine's load as the projection does.
variants = list(projected)
for variant in variants[1:]:
    ratios = [projected[variant][i] / b for i, b in enumerate(projected[variants[0]])]
    print(f"{variant} / {variants[0]}: median ratio {statistics.median(ratios):.3f} over {len(ratios)} pairs")
PY
