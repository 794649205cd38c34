#!/usr/bin/env bash
# Instruction counts (valgrind's callgrind) of indexing generated talks and
# of searching them with the judged queries. Counts do not vary from run to
# run as times do, so two builds compare without timing noise; perf shows
# where the cycles go (bench/README.md has both kinds of findings).
#
#   bench/callgrind.sh [BUILD_DIR] [TALKS]     default: the build, 1000 talks
#
# Prints each run's total and the functions with the most instructions,
# inclusive of what they call. libxapian, libmecab and zlib are stripped in
# Debian: their functions show as addresses. Callgrind counts a `rep stos`
# (memset) per byte, so zlib's deflateReset looks far costlier than perf
# finds it.
source "$(dirname "$0")/../scripts/lib.sh"
BUILD="${1:-$BUILD_DIR}"
TALKS="${2:-1000}"
install_missing_packages valgrind

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/corpus"
"$BUILD/bench/talks-generate" --corpus "$TALKSEARCH_ROOT/corpus" --count "$TALKS" \
  > "$WORK/corpus/generated.jsonl"
touch "$WORK/corpus/seminar.md"  # generated talks only

top() {  # top OUT_FILE: the 25 costliest functions, inclusive
  callgrind_annotate --inclusive=yes "$1" 2>/dev/null |
    awk '/PROGRAM TOTALS/ {print; next} /^ *[0-9,]+ \(/ && n++ < 25 {print}' | cut -c1-160
}

echo "== indexing $TALKS talks"
valgrind --tool=callgrind --callgrind-out-file="$WORK/index.out" \
  "$BUILD/indexer/talks-index" --corpus "$WORK/corpus" --db "$WORK/db" > /dev/null 2>&1
top "$WORK/index.out"

echo "== the judged queries, twice each (the second time warm), searches only"
valgrind --tool=callgrind --callgrind-out-file="$WORK/query.out" \
  --toggle-collect='talksearch::Searcher::Search*' \
  "$BUILD/bench/talks-eval" --db "$WORK/db" \
  --queries "$TALKSEARCH_ROOT/tests/judged/shared_queries.tsv" \
  --queries "$TALKSEARCH_ROOT/tests/judged/talks_queries.tsv" --latency 2 > /dev/null 2>&1
top "$WORK/query.out"
