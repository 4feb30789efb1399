#!/usr/bin/env bash
# The differential suite (issue 14): tokenlint's node-oidc-provider profile
# against the real server. Installs the pinned oidc-provider (npm ci, into
# tests/differential/node_modules), starts it on 127.0.0.1, runs the cases,
# and stops the server whatever happens. Fails loudly when node, npm or the
# install is missing: it never skips.
#
#   bash tests/differential/run.sh            # from the repository root
#   TOKENLINT=path/to/tokenlint bash tests/differential/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

die() { echo "differential: $*" >&2; exit 1; }

command -v node >/dev/null || die "node is not installed (apt-get install nodejs npm)"
command -v npm >/dev/null || die "npm is not installed (apt-get install npm)"
# oidc-provider 9 calls crypto.hash (Node.js 20.12 and later).
node -e 'process.exit(typeof require("node:crypto").hash === "function" ? 0 : 1)' \
  || die "node $(node --version) is too old: oidc-provider 9 needs Node.js 20.12 or later"

# The pinned server, exactly as package-lock.json says; nothing else.
# node_modules/.diff-lock is the lock file the last `npm ci` installed.
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.diff-lock" 2>/dev/null; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  cp "$here/package-lock.json" "$here/node_modules/.diff-lock"
fi
(cd "$here" && node --input-type=module -e 'await import("oidc-provider")') \
  || die "oidc-provider does not load after npm ci"

if [ -z "${TOKENLINT:-}" ]; then
  (cd "$root" && cargo build --locked --quiet) || die "cargo build failed"
  TOKENLINT="${CARGO_TARGET_DIR:-$root/target}/debug/tokenlint"
fi
[ -x "$TOKENLINT" ] || die "no tokenlint binary at $TOKENLINT"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/tokenlint-differential.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -z "${DIFF_KEEP:-}" ]; then rm -rf "$scratch"; else echo "differential: captures kept in $scratch" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The server prints one JSON line with its ports once it listens.
(cd "$here" && exec node server.mjs >"$scratch/servers.json" 2>"$scratch/server.log") &
server_pid=$!
for _ in $(seq 1 100); do
  [ -s "$scratch/servers.json" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/server.log" >&2; die "the server exited before listening"; }
  sleep 0.1
done
[ -s "$scratch/servers.json" ] || { cat "$scratch/server.log" >&2; die "the server did not listen within 10 s"; }

DIFF_SERVERS="$(head -n1 "$scratch/servers.json")" TOKENLINT="$TOKENLINT" \
  DIFF_OUT="$scratch/out" DIFF_KNOWN="$here/known.toml" \
  timeout 170 node "$here/suite.mjs"
