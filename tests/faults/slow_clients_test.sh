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
source "$(dirname "$0")/server_lib.sh"
begin_server_test

"$BUILD/indexer/talks-index" --corpus "$CORPUS" --db "$WORK/db" > /dev/null 2>&1
start_talks_server "$BUILD" "$WORK/server.log" --db "$WORK/db"
"$BUILD/tests/slow-clients" --port "$PORT" --idle 1000 --slowloris 200 \
  --seconds "$SECONDS_TO_RUN" --p99-limit-ms 100
kill -0 "$SERVER_PID" || fail "talks-server died"
