#!/usr/bin/env bash
# Hostile inputs at two sizes: does time and memory grow at most linearly?
# (a benchmark, not a test; tests/it/growth.rs checks the worst offenders'
# growth ratio in CI).
#
#   bench/hostile.sh [CASE...]        default: every case
#
# For each case of issue 13, writes the input at size N and at 4N
# (bench/hostile_gen.py), runs tokenlint on each, and prints the wall time and
# peak RSS of both and the growth ratio of the time. Verdicts:
#   growth  time(4N) / time(N) <= 5 (linear is 4; under 50 ms both sizes
#           count as flat, since start-up dominates)
#   budget  4N under 1 s and 128 MiB
#   rss-growth  peak RSS(4N) / RSS(N) > 5 (past 32 MiB: start-up dominates below)
# The exit status is 1 when a case misses either.
#
# BIN=path/to/tokenlint skips the release build (e.g. BIN=target/debug/tokenlint
# for a quick look; its times are not the release figures). TIMEOUT (seconds,
# default 60) stops a run that takes too long; it counts as a miss.
set -euo pipefail

cd "$(dirname "$0")/.."

# name        N (the issue's size is 4N)
CASES=(
  "unknown-keys 12500"
  "duplicate-fields 2000"
  "duplicate-fields-pretty 8000"
  "http-obs-fold 2500"
  "cert-path 200"
  "config-globs 25000"
  "config-long-glob 750000"
  "rsa-pem-proof 18500"
  "rsa-jwk-dpop 18500"
  "har-requests 500"
  "har-dpop 500"
  "http-requests 2500"
  "findings-flood 262144"
  "json-properties 7500000"
  "toon-inputs 5000"
  "stdin-stream 134217728"
)

TIMEOUT="${TIMEOUT:-60}"
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --bin tokenlint ${CARGO_FLAGS:-}
  BIN="${CARGO_TARGET_DIR:-target}/release/tokenlint"
fi
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tokenlint-hostile.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Runs one case at size $2; prints "seconds peak_MiB" ("timeout MiB" when
# TIMEOUT passed).
measure() {
  local name=$1 n=$2 dir="$WORK/$1-$2"
  mkdir -p "$dir"
  local args=()
  mapfile -t args < <(python3 bench/hostile_gen.py "$name" "$n" "$dir")
  # A first argument `<PATH` is the file to send to stdin.
  local input=/dev/null
  if [ "${args[0]:0:1}" = "<" ]; then
    input=${args[0]:1}
    args=("${args[@]:1}")
  fi
  local s e rc=0
  s=$(date +%s%N)
  /usr/bin/time -o "$dir/rusage" -f '%M' timeout "$TIMEOUT" "$BIN" "${args[@]}" \
    <"$input" >"$dir/out" 2>"$dir/err" || rc=$?
  e=$(date +%s%N)
  local kib
  kib=$(tail -1 "$dir/rusage" | grep -o '^[0-9]*$' || echo 0)
  if [ "$rc" = 124 ]; then
    printf 'timeout %.1f\n' "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
  else
    awk -v ns=$((e - s)) -v k="$kib" 'BEGIN { printf "%.3f %.1f\n", ns / 1e9, k / 1024 }'
  fi
  rm -rf "$dir"
}

if [ $# -gt 0 ]; then
  selected=()
  for want in "$@"; do
    found=""
    for c in "${CASES[@]}"; do
      if [ "${c%% *}" = "$want" ]; then selected+=("$c"); found=1; fi
    done
    [ -n "$found" ] || { echo "unknown case $want" >&2; exit 2; }
  done
else
  selected=("${CASES[@]}")
fi

echo "tokenlint: $BIN; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-24s %9s %8s %8s %9s %8s %8s %7s  %s\n' \
  case N 'time s' 'RSS MiB' 4N 'time s' 'RSS MiB' growth verdict
misses=0
for c in "${selected[@]}"; do
  name=${c%% *}
  n=${c##* }
  read -r t1 m1 < <(measure "$name" "$n")
  read -r t4 m4 < <(measure "$name" $((4 * n)))
  verdict=$(awk -v t1="$t1" -v t4="$t4" -v m1="$m1" -v m4="$m4" 'BEGIN {
    if (t1 == "timeout" || t4 == "timeout") { print "MISS (timeout) -"; exit }
    g = (t1 > 0) ? t4 / t1 : 0
    flat = (t4 < 0.05)
    v = ""
    if (!flat && g > 5) v = v " growth"
    if (t4 >= 1) v = v " time"
    if (m4 >= 128) v = v " memory"
    # Peak RSS growing faster than the input (past the ~10 MiB a run starts at).
    if (m1 > 0 && m4 >= 32 && m4 / m1 > 5) v = v " rss-growth"
    printf "%s %s\n", (v == "") ? "ok" : "MISS" v, flat ? "flat" : sprintf("%.1fx", g)
  }')
  growth=${verdict##* }
  verdict=${verdict% *}
  case "$verdict" in MISS*) misses=$((misses + 1)) ;; esac
  printf '%-24s %9s %8s %8s %9s %8s %8s %7s  %s\n' \
    "$name" "$n" "$t1" "$m1" $((4 * n)) "$t4" "$m4" "$growth" "$verdict"
done
[ "$misses" = 0 ]
