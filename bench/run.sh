#!/usr/bin/env bash
# End-to-end benchmark of the tokenlint binary (a benchmark, not a test).
#
#   bench/run.sh [N]        N = corpus size (default 10000)
#
# 1. builds the release binary and the fixture generator;
# 2. writes N parameter-only fixtures to bench/out/corpus (gitignored);
# 3. measures the median wall time of one `tokenlint check` of one fixture
#    (hyperfine if installed, else a loop timed with `date +%s%N`);
# 4. measures fixtures per second for one `tokenlint check` over the corpus;
# and prints the figures. For the in-process numbers: cargo bench --bench lint
set -euo pipefail

cd "$(dirname "$0")/.."
N="${1:-10000}"
RUNS="${RUNS:-200}"
OUT=bench/out
# CARGO_FLAGS=--no-default-features measures a build on the system's OpenSSL;
# CARGO_TARGET_DIR is honoured.
BIN="${CARGO_TARGET_DIR:-target}/release/tokenlint"
FIXTURE=testdata/good/authorization-code-pkce.json
NOW=1767225600

echo "== building (release)"
cargo build --release --quiet --bin tokenlint ${CARGO_FLAGS:-}
cargo build --release --quiet --package xtask
XTASK="${CARGO_TARGET_DIR:-target}/release/xtask"
mkdir -p "$OUT"
rm -rf "$OUT/corpus"
"$XTASK" testdata --corpus "$OUT/corpus" "$N" >/dev/null
[ -f "$FIXTURE" ] || "$XTASK" testdata >/dev/null

CHECK=("$BIN" check --no-config --now "$NOW" -o json)

# Sanity: the fixture lints clean, the corpus lints at all.
"${CHECK[@]}" "$FIXTURE" >/dev/null

median_ms() { # reads nanoseconds, one per line; prints the median in ms
  sort -n | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print "n/a"; exit }
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "%.3f", m / 1e6 }'
}

# Median wall time of a command over $RUNS runs: hyperfine if installed
# (Debian: apt-get install hyperfine), else a loop timed with `date +%s%N`
# (which adds the cost of starting `date` twice a run).
median_run_ms() {
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$OUT/median.json" "$*" >/dev/null
    grep -o '"median": *[0-9.e-]*' "$OUT/median.json" | head -1 |
      awk -F: '{ printf "%.3f", $2 * 1000 }'
  else
    for _ in $(seq 20); do "$@" >/dev/null; done
    for _ in $(seq "$RUNS"); do
      s=$(date +%s%N)
      "$@" >/dev/null
      e=$(date +%s%N)
      echo $((e - s))
    done | median_ms
  fi
}
if command -v hyperfine >/dev/null 2>&1; then HOW="hyperfine"; else HOW="date +%s%N loop"; fi

echo "== one fixture: tokenlint check $FIXTURE ($RUNS runs)"
ONE_MS=$(median_run_ms "${CHECK[@]}" "$FIXTURE")
# As a hook runs it: the repository's tokenlint.toml found and applied.
CONFIG_MS=$(median_run_ms "$BIN" check "$FIXTURE")
# The floors on this machine right now: starting the binary and doing
# nothing, and starting a process at all (a loaded machine inflates every
# figure alike; compare them as ratios).
FLOOR_MS=$(median_run_ms "$BIN" --version)
TRUE_MS=$(median_run_ms "$(command -v true)")

echo "== corpus: tokenlint check over $N parameter-only fixtures (median of 5)"
CORPUS_NS=$(for _ in 1 2 3 4 5; do
  s=$(date +%s%N)
  "${CHECK[@]}" "$OUT/corpus" >"$OUT/corpus.json" || true
  e=$(date +%s%N)
  echo $((e - s))
done | sort -n | sed -n 3p)
INPUTS=$(grep -o '"inputs": *[0-9]*' "$OUT/corpus.json" | grep -o '[0-9]*$')
[ "$INPUTS" = "$N" ] || { echo "expected $N inputs in the report, got $INPUTS" >&2; exit 1; }
WITH_ERRORS=$(grep -o '"inputs_with_errors": *[0-9]*' "$OUT/corpus.json" | grep -o '[0-9]*$')
PER_SEC=$(awk -v n="$N" -v ns="$CORPUS_NS" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
CORPUS_MS=$(awk -v ns="$CORPUS_NS" 'BEGIN { printf "%.1f", ns / 1e6 }')

echo
echo "tokenlint $("$BIN" --version | awk '{ print $2 }') on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
printf '  one check of one fixture:  median %s ms over %s runs (%s; --no-config)\n' \
  "$ONE_MS" "$RUNS" "$HOW"
printf '  ... with tokenlint.toml:   median %s ms (the repository'"'"'s configuration applied; goal <= 3 ms)\n' "$CONFIG_MS"
printf '  process start floor:       median %s ms (`tokenlint --version`), %s ms (`true`)\n' "$FLOOR_MS" "$TRUE_MS"
printf '  %s fixtures, one process:  %s ms = %s fixtures/s (%s with errors)\n' \
  "$N" "$CORPUS_MS" "$PER_SEC" "$WITH_ERRORS"
