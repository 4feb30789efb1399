#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds from testdata/ (the corpus is not
# committed: run this once, then `cargo +nightly fuzz run <target>`).
# Safe to re-run: seeds are named by their content hash.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
td="$root/testdata"
corpus="$root/fuzz/corpus"

# seed <target> <file>...: copies each file in under its SHA-1.
seed() {
    local target="$1"
    shift
    mkdir -p "$corpus/$target"
    local f
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$corpus/$target/$(sha1sum "$f" | cut -c1-40)"
    done
}

# seed_text <target>: one seed per line of stdin.
seed_text() {
    local target="$1" line h
    mkdir -p "$corpus/$target"
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        h="$(printf '%s' "$line" | sha1sum | cut -c1-40)"
        printf '%s' "$line" >"$corpus/$target/$h"
    done
}

# Files over 64 KiB (the size-limit fixtures) only slow the fuzzer down.
mapfile -t json < <(find "$td/" -name '*.json' -size -65k | sort)
mapfile -t http < <(find "$td/" -name '*.http' | sort)
mapfile -t har < <(find "$td/" -name '*.har' | sort)
mapfile -t curl < <(find "$td/" -name '*.curl' | sort)
mapfile -t pem < <(find "$td/" -name '*.pem' | sort)
mapfile -t jwk < <(find "$td/" -name '*.jwk' -o -name '*.jwks.json' | sort)

seed lint "${json[@]}"
seed json "${json[@]}"
seed http "${http[@]}"
seed har "${har[@]}"
seed curl "${curl[@]}"
seed pem "${pem[@]}"
seed jwk "${jwk[@]}"

# Compact JWS (DPoP proofs, client assertions, attestations) in the fixtures.
jws="$(cat "${json[@]}" "${http[@]}" "${har[@]}" "${curl[@]}" |
    grep -aoE 'eyJ[A-Za-z0-9_=+/-]*\.[A-Za-z0-9_=+/-]*\.[A-Za-z0-9_=+/-]*' |
    sort -u | head -n 200 || true)"
printf '%s\n' "$jws" | seed_text jws

# The embedded `jwk` of each JWS header is a JWK seed too.
base64url_decode() {
    local s="${1//-/+}"
    s="${s//_//}"
    case $((${#s} % 4)) in 2) s="$s==" ;; 3) s="$s=" ;; esac
    printf '%s' "$s" | base64 -d 2>/dev/null || true
}
while IFS= read -r j; do
    base64url_decode "${j%%.*}"
    echo
done <<<"$jws" | grep -aoE '"jwk" *: *\{[^}]*\}' | sed -E 's/^"jwk" *: *//' | sort -u | seed_text jwk

# `parameters` strings from the fixtures and bodies from the captures.
cat "${json[@]}" | grep -aoE '"parameters" *: *"[^"]*"' |
    sed -E 's/^"parameters" *: *"(.*)"$/\1/' | sort -u | head -n 300 | seed_text form
for f in "${http[@]}"; do
    sed -n '/^\r\{0,1\}$/,$p' "$f" | tr -d '\r' | grep -av '^$' || true
done | sort -u | seed_text form

# Certificates as raw DER too (the pem target also reads its input as DER).
if command -v openssl >/dev/null; then
    for f in "${pem[@]}"; do
        grep -q 'BEGIN CERTIFICATE' "$f" || continue
        openssl x509 -in "$f" -outform der -out "$corpus/pem/der-$(basename "$f" .pem)" 2>/dev/null || true
    done
fi

for t in "$corpus"/*/; do
    printf '%-6s %5d seeds\n' "$(basename "$t")" "$(find "$t" -type f | wc -l)"
done
