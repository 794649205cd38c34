#!/usr/bin/env bash
# Slow and idle clients against a real talks-server on loopback, with no
# proxy in front: 1,000 idle and 200 slowloris connections for SECONDS while
# a normal client searches; its p99 must stay under 100 ms with 0 errors
# (tests/faults/slow_clients.cc).
#
#   slow_clients_test.sh BUILD_DIR CORPUS_DIR [SECONDS=20]
set -euo pipefail
BUILD="$1"
CORPUS="$2"
SECONDS_TO_RUN="${3:-20}"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$BUILD/indexer/talks-index" --corpus "$CORPUS" --db "$WORK/db" > /dev/null 2>&1
"$BUILD/server/talks-server" --db "$WORK/db" --port 0 --quiet 2> "$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 100); do
  PORT="$(sed -n 's|.*on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/server.log")"
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "${PORT:-}" ] || fail "talks-server did not start: $(cat "$WORK/server.log")"
"$BUILD/tests/slow-clients" --port "$PORT" --idle 1000 --slowloris 200 \
  --seconds "$SECONDS_TO_RUN" --p99-limit-ms 100
kill -0 "$SERVER_PID" || fail "talks-server died"
