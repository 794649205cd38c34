#!/usr/bin/env bash
# Side-by-side ranking quality: talksearch vs Groonga 13 (TokenMecab,
# NormalizerNFKC150, title*10 speaker*5, default AND) vs Xapian's CJK n-gram
# mode (title x10, speaker x5, default OR), on the same corpus and the same
# judged queries. Prints a Markdown table of nDCG@10, MRR and recall@10.
#
#   bench/compare_relevance.sh [BUILD_DIR]     (after scripts/test.sh or run.sh)
source "$(dirname "$0")/../scripts/lib.sh"
BUILD="${1:-$BUILD_DIR}"
install_missing_packages groonga-bin groonga-tokenizer-mecab python3

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
QUERY_FILES=("$TALKSEARCH_ROOT/tests/judged/shared_queries.tsv" "$TALKSEARCH_ROOT/tests/judged/talks_queries.tsv")
QUERY_ARGS=()
for f in "${QUERY_FILES[@]}"; do QUERY_ARGS+=(--queries "$f"); done

"$BUILD/indexer/talks-index" --corpus "$TALKSEARCH_ROOT/corpus" --db "$WORK/talksearch" > /dev/null 2>&1
"$BUILD/indexer/talks-index" --corpus "$TALKSEARCH_ROOT/corpus" --dump > "$WORK/talks.jsonl"
python3 "$TALKSEARCH_ROOT/bench/groonga_rankings.py" --talks "$WORK/talks.jsonl" \
  --db "$WORK/groonga/db" "${QUERY_ARGS[@]}" > "$WORK/groonga.tsv"
"$BUILD/bench/xapian-ngram-baseline" --talks "$WORK/talks.jsonl" --db "$WORK/ngram" \
  "${QUERY_ARGS[@]}" > "$WORK/ngram.tsv"

metrics() {  # metrics SYSTEM_ARGS... -> "nDCG MRR R@10" per query file
  "$BUILD/bench/talks-eval" --db "$WORK/talksearch" "${QUERY_ARGS[@]}" "$@" |
    awk '{printf "| %s | %s | %s ", $5, $7, $9}'
}
echo "| system | shared nDCG@10 | MRR | recall@10 | own nDCG@10 | MRR | recall@10 |"
echo "|---|---|---|---|---|---|---|"
echo "| talksearch $(metrics)|"
echo "| Groonga $(groonga --version | head -1 | cut -d' ' -f2) TokenMecab $(metrics --rankings "$WORK/groonga.tsv")|"
echo "| Xapian $(pkg-config --modversion xapian-core) CJK n-gram $(metrics --rankings "$WORK/ngram.tsv")|"
echo
echo "shared = $(grep -vc '^#' "${QUERY_FILES[0]}") queries from ../shared/eval/queries.tsv; own = $(grep -vc '^#' "${QUERY_FILES[1]}") queries in tests/judged/talks_queries.tsv"
