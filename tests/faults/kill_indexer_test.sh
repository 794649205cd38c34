#!/usr/bin/env bash
# Crash safety: `kill -9` of talks-index in the middle of a run leaves the
# previous index whole and served; the next run completes.
#
#   kill_indexer_test.sh BUILD_DIR CORPUS_DIR
set -euo pipefail
BUILD="$1"
CORPUS="$2"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/corpus"
cp "$CORPUS/seminar.md" "$WORK/corpus/"

fail() { echo "FAIL: $*" >&2; exit 1; }
stats() { "$BUILD/query/talks-search" --db "$WORK/db" --stats; }
count_of() { "$BUILD/query/talks-search" --db "$WORK/db" --json "$1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p'; }

"$BUILD/indexer/talks-index" --corpus "$WORK/corpus" --db "$WORK/db" > /dev/null
before="$(stats)"
before_hits="$(count_of 拡散モデル)"
[ -n "$before_hits" ] && [ "$before_hits" -gt 0 ] || fail "no hits for 拡散モデル to compare: '$before_hits'"
echo "before: $before, 拡散モデル: $before_hits hits"

# A corpus big enough that indexing takes several seconds.
"$BUILD/bench/talks-generate" --corpus "$CORPUS" --count 4000 > "$WORK/corpus/generated.jsonl"
"$BUILD/indexer/talks-index" --corpus "$WORK/corpus" --db "$WORK/db" > "$WORK/index.log" 2>&1 &
pid=$!
# Killed once it is writing: its first "indexing: N/M talks" line comes
# after a tenth of the talks are in the database's open transaction.
for _ in $(seq 600); do
  grep -q "^indexing: " "$WORK/index.log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
grep -q "^indexing: " "$WORK/index.log" || fail "the indexer never reported writing: $(cat "$WORK/index.log")"
kill -0 "$pid" 2>/dev/null || fail "the indexer finished before it could be killed; make the corpus bigger"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
echo "killed talks-index (pid $pid) mid-run"

after="$(stats)"
[ "$after" = "$before" ] || fail "index changed by a killed run: $before -> $after"
[ "$(count_of 拡散モデル)" = "$before_hits" ] || fail "search results changed after the crash"
echo "after the crash: $after, still served"

"$BUILD/indexer/talks-index" --corpus "$WORK/corpus" --db "$WORK/db" > "$WORK/index2.log" 2>&1 ||
  fail "the next run failed: $(cat "$WORK/index2.log")"
final="$(stats)"
documents="$(echo "$final" | sed -n 's/.*"documents": \([0-9]*\).*/\1/p')"
[ "$documents" -eq 4081 ] || fail "expected 4081 documents after the next run, got $final"
echo "next run completed: $final"
