#!/usr/bin/env bash
# Builds halves_ranker_test with ThreadSanitizer in its own build directory
# and runs it; fails on any data race TSan reports. HalvesRanker is the one
# place where a search runs on two threads (a helper thread per searcher,
# handing work over under a mutex), and a race there would not show in the
# results until a server had run for a long time. Debian's Xapian, MeCab and
# ICU are not instrumented: what is checked is talksearch's own code.
#
#   tests/tsan/run.sh SOURCE_DIR BUILD_DIR    (builds in BUILD_DIR/tsan)
set -euo pipefail
SRC="$1"
OUT="$2/tsan"
cmake -S "$SRC" -B "$OUT" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" > /dev/null
cmake --build "$OUT" --target halves_ranker_test -j 2 > "$OUT/build.log" 2>&1 ||
  { tail -40 "$OUT/build.log"; exit 1; }
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$OUT/tests/halves_ranker_test"
