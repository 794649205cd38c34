#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang and runs each for SECONDS
# (default 10; the documented long run is 600). Exits non-zero on a crash,
# leaving the reproducer in OUT_DIR.
#
#   tests/fuzz/run.sh [SECONDS] [OUT_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SECONDS_PER_TARGET="${1:-10}"
OUT="${2:-$ROOT/build/fuzz}"
CXX="$(command -v clang++-14 || command -v clang++)"
mkdir -p "$OUT"

FLAGS=(-std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
  -I"$ROOT/dict/src" -I"$ROOT/query/src" -I"$ROOT/indexer/src"
  -DTALKSEARCH_MECAB_DICDIR=\"/var/lib/mecab/dic/ipadic-utf8\"
  -DTALKSEARCH_USERDIC_PATH=\"none\" -DTALKSEARCH_USERDIC_SOURCE=\"none\"
  -DTALKSEARCH_GLOSSARY_PATH=\"none\"
  $(pkg-config --cflags xapian-core icu-uc icu-i18n))
LIBS=($(pkg-config --libs xapian-core icu-uc icu-i18n) -lmecab -lzstd)
# The whole analysis module, so a file added to it needs no change here.
ANALYSIS=("$ROOT"/dict/src/talksearch/*.cc)

build() {  # build NAME SOURCES...
  local name="$1"; shift
  if [ ! -x "$OUT/$name" ] || [ -n "$(find "$ROOT"/{dict,query,indexer}/src "$ROOT/tests/fuzz" -newer "$OUT/$name" -name '*.cc' -o -newer "$OUT/$name" -name '*.h' | head -1)" ]; then
    echo "building $name"
    "$CXX" "${FLAGS[@]}" "$@" "${LIBS[@]}" -o "$OUT/$name"
  fi
}
build query_fuzzer "$ROOT/tests/fuzz/query_fuzzer.cc" "${ANALYSIS[@]}" \
  "$ROOT"/query/src/talksearch/{query_parser,query_builder}.cc
build corpus_fuzzer "$ROOT/tests/fuzz/corpus_fuzzer.cc" "${ANALYSIS[@]}" \
  "$ROOT"/indexer/src/talksearch/corpus.cc "$ROOT"/indexer/src/talksearch/seminar_*.cc

# Seed corpora: the judged queries; slices of the seminar page and sources.
mkdir -p "$OUT/seeds/query" "$OUT/seeds/corpus"
i=0
grep -hv '^#' "$ROOT"/tests/judged/*.tsv | cut -f1 | while IFS= read -r q; do
  i=$((i + 1)); printf '%s' "$q" > "$OUT/seeds/query/q$i"
done
printf '%s' '"neural network" -画像 title:拡散 OR speaker:橋本 year:2023 lang:ja' > "$OUT/seeds/query/syntax"
split -l 40 -d "$ROOT/corpus/seminar.md" "$OUT/seeds/corpus/page-"
head -c 4000 "$ROOT/corpus/hub-talks.jsonl" > "$OUT/seeds/corpus/jsonl"

status=0
for target in query_fuzzer corpus_fuzzer; do
  seeds="$OUT/seeds/${target%_fuzzer}"
  echo "fuzzing $target for ${SECONDS_PER_TARGET}s"
  "$OUT/$target" -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 \
    -timeout=10 -artifact_prefix="$OUT/$target-" -print_final_stats=1 "$seeds" \
    > "$OUT/$target.log" 2>&1 || { status=1; tail -40 "$OUT/$target.log"; }
  grep -E "stat::number_of_executed_units|Done" "$OUT/$target.log" | tail -2
done
exit $status
