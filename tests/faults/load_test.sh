#!/usr/bin/env bash
# Load and hot reload: wrk saturates a real talks-server on loopback for
# DURATION seconds with the judged queries (plus suggest and talk requests);
# a third of the way in, a talk is added to the corpus, reindexed and the
# server told to reload. Passes when wrk saw 0 socket errors and 0 non-2xx
# responses, and the new talk is found.
#
#   load_test.sh BUILD_DIR CORPUS_DIR [DURATION=60] [CONNECTIONS=32]
set -euo pipefail
BUILD="$1"
CORPUS="$2"
DURATION="${3:-60}"
CONNECTIONS="${4:-32}"
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/server_lib.sh"
begin_server_test
command -v wrk >/dev/null || fail "wrk is not installed (Debian package wrk)"

mkdir "$WORK/corpus"
cp "$CORPUS"/seminar.md "$CORPUS"/*.jsonl "$WORK/corpus/"
"$BUILD/indexer/talks-index" --corpus "$WORK/corpus" --db "$WORK/db" > /dev/null 2>&1
echo "load-test-token" > "$WORK/token"

start_talks_server "$BUILD" "$WORK/server.log" --db "$WORK/db" --admin-token-file "$WORK/token"
BASE="http://127.0.0.1:$PORT"
NEW_WORD="%E3%83%AD%E3%83%BC%E3%83%89%E8%A9%A6%E9%A8%93%E8%AC%9B%E6%BC%94"  # ロード試験講演

wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/search_queries.lua" "$BASE" \
  > "$WORK/wrk.txt" 2>&1 &
WRK_PID=$!

sleep $(( DURATION / 3 ))
echo '{"id": "load-test-talk", "title": "ロード試験講演", "abstract": "負荷をかけながら追加した講演。", "speakers": [{"name": "試験 太郎"}], "date": "2026-03-01"}' \
  >> "$WORK/corpus/extra.jsonl"
"$BUILD/indexer/talks-index" --corpus "$WORK/corpus" --db "$WORK/db" > "$WORK/reindex.log" 2>&1 ||
  fail "reindex under load failed: $(cat "$WORK/reindex.log")"
reload="$(curl -sS -d '' -H "Authorization: Bearer load-test-token" "$BASE/api/admin/reload")"
echo "$reload" | grep -q '"status":"reloaded"' || fail "admin reload failed: $reload"
echo "reindexed and reloaded under load: $reload"
found="$(curl -sS "$BASE/api/search?q=$NEW_WORD")"
echo "$found" | grep -q '"id":"load-test-talk"' || fail "the new talk is not found after reload: $found"

wait "$WRK_PID" || fail "wrk failed: $(cat "$WORK/wrk.txt")"
cat "$WORK/wrk.txt"
grep -q "Socket errors" "$WORK/wrk.txt" && fail "socket errors under load"
grep -q "Non-2xx or 3xx responses" "$WORK/wrk.txt" && fail "non-2xx responses under load"
requests="$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$WORK/wrk.txt")"
[ -n "$requests" ] && [ "$requests" -gt 0 ] || fail "wrk made no requests"
kill -0 "$SERVER_PID" || fail "talks-server died"
echo "PASS: $requests requests, 0 errors, 0 non-2xx; the talk added under load was found"
