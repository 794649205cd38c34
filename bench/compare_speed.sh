#!/usr/bin/env bash
# Speed side by side, in one run, on the same generated corpus and the same
# judged queries: talksearch (one database, 2 shards written in parallel, and
# one database built --no-termlists)
# vs Groonga 13 (TokenMecab, NormalizerNFKC150, title*10||speaker*5||abstract;
# also like for like: counting the same facets and returning highlighted titles
# and snippets, as talksearch's API does) vs SQLite FTS5 (trigram). Measures index time (docs/s), disk size, peak
# memory of the indexer, query p50/p99/mean (each system in-process, warm),
# and HTTP searches/s with wrk (-t2 -c32) on the real corpus against
# talks-server (response cache on and off) and Groonga's HTTP server.
# Writes bench/RESULTS.md and bench/latency.png (gnuplot).
#
#   bench/compare_speed.sh [BUILD_DIR] [SIZES...]     default sizes: 10000 100000
#
# Run after scripts/run.sh or scripts/test.sh (it needs the build). 100,000
# talks take about 15 minutes on 2 cores; 1000000 is accepted but takes hours.
source "$(dirname "$0")/../scripts/lib.sh"
BUILD="${1:-$BUILD_DIR}"
shift || true
SIZES=("${@:-10000 100000}")
read -r -a SIZES <<< "${SIZES[*]}"
install_missing_packages groonga-bin groonga-tokenizer-mecab python3 gnuplot-nox wrk time curl bc

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$WORK/groonga.pid" ]; then kill -9 "$(cat "$WORK/groonga.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
HERE="$TALKSEARCH_ROOT/bench"
QUERIES=(--queries "$TALKSEARCH_ROOT/tests/judged/shared_queries.tsv"
         --queries "$TALKSEARCH_ROOT/tests/judged/talks_queries.tsv")
ROUNDS=3
TIME_FMT="%e %M"  # wall seconds, peak resident KB

timed() {  # timed OUT_FILE CMD... -> "seconds peak_kb" in OUT_FILE
  local out="$1"; shift
  /usr/bin/time -f "$TIME_FMT" -o "$out" "$@" > /dev/null 2>"$out.log" || {
    echo "failed: $* ($(tail -3 "$out.log"))" >&2; exit 1; }
}
latency() { sed -n 's/.*p50 \([0-9.]*\) ms  p99 \([0-9.]*\) ms  mean \([0-9.]*\) ms.*/\1 \2 \3/p'; }
disk_mb() { du -sk "$@" | awk '{s += $1} END {printf "%.1f", s / 1024}'; }

ROWS="$WORK/rows.md"
: > "$ROWS"
PLOT="$WORK/latency.dat"
echo "# size ts_p50 ts_p99 groonga_p50 groonga_p99 sqlite_p50 sqlite_p99" > "$PLOT"
for N in "${SIZES[@]}"; do
  echo "== $N talks" >&2
  mkdir -p "$WORK/$N/corpus"
  "$BUILD/bench/talks-generate" --corpus "$TALKSEARCH_ROOT/corpus" --count "$N" \
    > "$WORK/$N/corpus/generated.jsonl"
  touch "$WORK/$N/corpus/seminar.md"  # generated talks only
  MB=$(disk_mb "$WORK/$N/corpus/generated.jsonl")

  timed "$WORK/$N/ts.time" "$BUILD/indexer/talks-index" --corpus "$WORK/$N/corpus" --db "$WORK/$N/ts"
  timed "$WORK/$N/ts2.time" "$BUILD/indexer/talks-index" --corpus "$WORK/$N/corpus" \
    --db "$WORK/$N/ts2" --shards 2
  timed "$WORK/$N/tsr.time" "$BUILD/indexer/talks-index" --corpus "$WORK/$N/corpus" \
    --db "$WORK/$N/tsr" --no-termlists
  read -r ts_p50 ts_p99 ts_mean < <("$BUILD/bench/talks-eval" --db "$WORK/$N/ts" "${QUERIES[@]}" \
    --latency "$ROUNDS" | latency)
  read -r ts2_p50 ts2_p99 ts2_mean < <("$BUILD/bench/talks-eval" --db "$WORK/$N/ts2" "${QUERIES[@]}" \
    --latency "$ROUNDS" | latency)
  read -r tsr_p50 tsr_p99 tsr_mean < <("$BUILD/bench/talks-eval" --db "$WORK/$N/tsr" "${QUERIES[@]}" \
    --latency "$ROUNDS" | latency)

  timed "$WORK/$N/gr.time" python3 "$HERE/speed_baselines.py" groonga-load \
    --talks "$WORK/$N/corpus/generated.jsonl" --db "$WORK/$N/groonga/db"
  read -r gr_p50 gr_p99 gr_mean < <(python3 "$HERE/speed_baselines.py" groonga-latency \
    --db "$WORK/$N/groonga/db" "${QUERIES[@]}" --rounds "$ROUNDS" --no-cache | latency)
  # Like for like: the same facets counted, titles and speakers highlighted, a snippet.
  timed "$WORK/$N/grf.time" python3 "$HERE/speed_baselines.py" groonga-load --facets \
    --talks "$WORK/$N/corpus/generated.jsonl" --db "$WORK/$N/groonga-facets/db"
  read -r grf_p50 grf_p99 grf_mean < <(python3 "$HERE/speed_baselines.py" groonga-latency \
    --db "$WORK/$N/groonga-facets/db" "${QUERIES[@]}" --rounds "$ROUNDS" --no-cache --facets | latency)

  timed "$WORK/$N/sq.time" python3 "$HERE/speed_baselines.py" sqlite-load \
    --talks "$WORK/$N/corpus/generated.jsonl" --db "$WORK/$N/fts5.db"
  read -r sq_p50 sq_p99 sq_mean < <(python3 "$HERE/speed_baselines.py" sqlite-latency \
    --db "$WORK/$N/fts5.db" "${QUERIES[@]}" --rounds "$ROUNDS" | latency)

  row() {  # row NAME TIME_FILE DISK_MB P50 P99 MEAN
    read -r secs peak_kb < "$2"
    printf "| %s | %s | %.0f | %.1f | %s | %.0f | %s | %s | %s |\n" "$N" "$1" \
      "$(echo "$N / $secs" | bc -l)" "$secs" "$3" "$(echo "$peak_kb / 1024" | bc -l)" "$4" "$5" "$6" >> "$ROWS"
  }
  row "talksearch" "$WORK/$N/ts.time" "$(disk_mb "$WORK/$N/ts")" "$ts_p50" "$ts_p99" "$ts_mean"
  row "talksearch, 2 shards" "$WORK/$N/ts2.time" "$(disk_mb "$WORK/$N/ts2")" "$ts2_p50" "$ts2_p99" "$ts2_mean"
  row "talksearch, no termlists" "$WORK/$N/tsr.time" "$(disk_mb "$WORK/$N/tsr")" "$tsr_p50" "$tsr_p99" "$tsr_mean"
  row "Groonga TokenMecab" "$WORK/$N/gr.time" "$(disk_mb "$WORK/$N/groonga")" "$gr_p50" "$gr_p99" "$gr_mean"
  row "Groonga, with facets and snippets" "$WORK/$N/grf.time" "$(disk_mb "$WORK/$N/groonga-facets")" \
    "$grf_p50" "$grf_p99" "$grf_mean"
  row "SQLite FTS5 trigram" "$WORK/$N/sq.time" "$(disk_mb "$WORK/$N/fts5.db")" "$sq_p50" "$sq_p99" "$sq_mean"
  echo "$N $ts_p50 $ts_p99 $gr_p50 $gr_p99 $sq_p50 $sq_p99" >> "$PLOT"
  echo "  ($MB MB of JSON Lines)" >&2
done

# HTTP on the real corpus: wrk -t2 -c32 for 10 s per server, cycling through the
# judged queries.
echo "== HTTP" >&2
"$BUILD/indexer/talks-index" --corpus "$TALKSEARCH_ROOT/corpus" --db "$WORK/real-ts" > /dev/null 2>&1
"$BUILD/indexer/talks-index" --corpus "$TALKSEARCH_ROOT/corpus" --dump > "$WORK/real.jsonl" 2>/dev/null
python3 "$HERE/speed_baselines.py" groonga-load --facets \
  --talks <(grep '"collection":"talks"' "$WORK/real.jsonl") --db "$WORK/real-groonga/db"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
python3 "$HERE/speed_baselines.py" talksearch-paths "${QUERIES[@]}" > "$WORK/ts-paths.txt"
python3 "$HERE/speed_baselines.py" groonga-paths "${QUERIES[@]}" > "$WORK/gr-paths.txt"
python3 "$HERE/speed_baselines.py" groonga-paths --facets "${QUERIES[@]}" > "$WORK/grf-paths.txt"
rps() {  # rps PATHS_FILE BASE_URL -> "requests/s errors" (wrk's error lines, or "none")
  WRK_PATHS="$1" wrk -t2 -c32 -d10s -s "$HERE/wrk_paths.lua" "$2" > "$WORK/wrk.txt" 2>&1
  local errors
  errors="$({ grep "Non-2xx\|Socket errors" "$WORK/wrk.txt" || true; } | sed 's/^ *//' | paste -sd ';' -)"
  echo "$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/wrk.txt") ${errors:-none}"
}
HTTP_ROWS="$WORK/http.md"
: > "$HTTP_ROWS"
for cache in 4096 0; do
  PORT=$(free_port)
  "$BUILD/server/talks-server" --db "$WORK/real-ts" --port "$PORT" --quiet --cache-entries "$cache" \
    2> "$WORK/server.log" &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$PORT/api/health"
  read -r r errors < <(rps "$WORK/ts-paths.txt" "http://127.0.0.1:$PORT")
  label="talks-server ($([ "$cache" = 0 ] && echo "no response cache" || echo "1 s response cache"))"
  printf "| %s | %.0f | %s |\n" "$label" "$r" "$errors" >> "$HTTP_ROWS"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
done
PORT=$(free_port)
groonga -s --protocol http --bind-address 127.0.0.1 --port "$PORT" --pid-path "$WORK/groonga.pid" \
  "$WORK/real-groonga/db" &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT/d/status"
# Groonga's query cache keeps 100 results by default: fewer than the judged
# queries, so cycling through them would miss every time. Measure it with a
# cache that holds every query (beside talks-server's cache) and with none
# (beside talks-server without one).
# Then like for like: the selects also count the facets and return highlights
# and snippets, as talks-server's searches do.
for paths in gr grf; do
  for limit in 1000 0; do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/d/cache_limit?max=$limit"
    read -r r errors < <(rps "$WORK/$paths-paths.txt" "http://127.0.0.1:$PORT")
    label="groonga -s --protocol http ($([ "$limit" = 0 ] && echo "no query cache" || echo "query cache of $limit"))"
    [ "$paths" = grf ] && label="$label, with facets and snippets"
    printf "| %s | %.0f | %s |\n" "$label" "$r" "$errors" >> "$HTTP_ROWS"
  done
done
# Groonga's server ignores SIGTERM; it stops on its shutdown command.
curl -s -o /dev/null "http://127.0.0.1:$PORT/d/shutdown" || true

gnuplot <<GP
set terminal pngcairo size 900,520
set output "$HERE/latency.png"
set title "Judged-query latency against corpus size (2 cores, warm)"
set xlabel "talks"; set ylabel "ms per search"
set logscale xy; set key top left; set grid
plot "$PLOT" using 1:2 with linespoints title "talksearch p50", \
     "$PLOT" using 1:3 with linespoints title "talksearch p99", \
     "$PLOT" using 1:4 with linespoints title "Groonga p50", \
     "$PLOT" using 1:5 with linespoints title "Groonga p99", \
     "$PLOT" using 1:6 with linespoints title "SQLite FTS5 p50", \
     "$PLOT" using 1:7 with linespoints title "SQLite FTS5 p99"
GP

{
  echo "# Speed: talksearch vs Groonga vs SQLite FTS5"
  echo
  echo "Written by \`bench/compare_speed.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)."
  echo "Generated corpora (\`talks-generate\`, sentences of the real talks recombined); the"
  echo "$(grep -vc '^#' "$TALKSEARCH_ROOT/tests/judged/shared_queries.tsv") + $(grep -vc '^#' "$TALKSEARCH_ROOT/tests/judged/talks_queries.tsv") judged queries, $ROUNDS warm rounds each. Query times are in-process:"
  echo "talksearch's full API search (top 10 with glossary widening, facets, snippets, did-you-mean),"
  echo "Groonga's own elapsed time per \`select\` (top 10, query cache off; \"with facets and"
  echo "snippets\": also counting year, language, series, speakers and collection, and returning the"
  echo "title and speaker highlighted and an abstract snippet, like for like with talksearch's API),"
  echo "SQLite's wall time per MATCH (top 10 by bm25). Peak memory is the indexing process's."
  echo "The speed targets are ratios to the plain Groonga row."
  echo
  echo "| talks | system | docs/s | index s | disk MB | peak MB | p50 ms | p99 ms | mean ms |"
  echo "|---|---|---|---|---|---|---|---|---|"
  cat "$ROWS"
  echo
  echo "HTTP searches/s, real corpus, \`wrk -t2 -c32 -d10s\` cycling through the judged queries:"
  echo
  echo "| server | searches/s | errors |"
  echo "|---|---|---|"
  cat "$HTTP_ROWS"
  echo
  echo "![latency against corpus size](latency.png)"
} > "$WORK/results.md"
# The targets, from the tables above (read whole before RESULTS.md is written).
python3 "$HERE/speed_baselines.py" targets --results "$WORK/results.md" > "$WORK/targets.md"
{
  cat "$WORK/results.md"
  echo
  cat "$WORK/targets.md"
  echo
  echo "What the profiles showed, and what was tried: \`bench/README.md\`."
} > "$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
