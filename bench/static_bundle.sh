#!/usr/bin/env bash
# The static search bundle of the bundled corpus: its size (files, bytes as
# served: gzip chunks), the time to the first result on a cold page (headless
# Chromium, files on loopback: tests/e2e/static.test.mjs), and Pagefind's
# bundle for the same talks as the comparison (pagefind, pinned, installed
# from the npm registry into bench/.pagefind; skipped when npm cannot), and
# the bytes one search fetches on a cold page from each, over the public
# judged queries (bench/static_search_bytes.mjs).
#
#   bench/static_bundle.sh [BUILD_DIR]    (default: build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
PAGEFIND_VERSION=1.6.0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BUILD/indexer/talks-index" --corpus "$ROOT/corpus" --db "$WORK/db" --static-out "$WORK/bundle" >/dev/null
files=$(find "$WORK/bundle" -type f | wc -l)
bytes=$(find "$WORK/bundle" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
raw=$(for f in $(find "$WORK/bundle" -type f); do case $f in *.gz) zcat "$f" | wc -c ;; *) wc -c < "$f" ;; esac; done |
      awk '{s+=$1} END {print s}')
talks=$(grep -o '"doc_count":[0-9]*' "$WORK/bundle/meta.json" | cut -d: -f2)
echo "talksearch static bundle: $talks talks, $files files, $bytes bytes served (gzip), $raw bytes uncompressed"

if command -v node >/dev/null && [ -d "$ROOT/tests/e2e/node_modules/playwright-core" ] && [ -x /usr/bin/chromium ]; then
  (cd "$ROOT/tests/e2e" && node static.test.mjs --talks-index "$BUILD/indexer/talks-index" \
     --corpus "$ROOT/corpus" --static "$ROOT/server/static") | grep 'first result' | sed 's/^/talksearch static: /'
else
  echo "time to first result: skipped (needs node, chromium and tests/e2e's npm packages)"
fi

# Pagefind indexes HTML: one page per talk with the fields a result shows.
PF="$ROOT/bench/.pagefind"
if [ ! -x "$PF/node_modules/.bin/pagefind" ]; then
  mkdir -p "$PF"
  npm install --prefix "$PF" --no-audit --no-fund "pagefind@$PAGEFIND_VERSION" >/dev/null 2>&1 ||
    { echo "pagefind: not installable from the npm registry here; no comparison"; exit 0; }
fi
node -e '
  const fs = require("fs"), zlib = require("zlib"), path = require("path");
  const [bundle, site] = process.argv.slice(1);
  const esc = (s) => String(s || "").replace(/[&<>]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;"}[c]));
  for (const f of fs.readdirSync(path.join(bundle, "docs"))) {
    for (const d of JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(bundle, "docs", f))))) {
      fs.mkdirSync(site, { recursive: true });
      fs.writeFileSync(path.join(site, d.id + ".html"), `<!doctype html><html lang="${d.language || "ja"}"><head>` +
        `<meta charset="utf-8"><title>${esc(d.title)}</title></head><body data-pagefind-body><h1>${esc(d.title)}</h1>` +
        `<p>${esc(d.speakers.join(", "))} ${esc(d.date)}</p><p>${esc(d.abstract)}</p></body></html>`);
    }
  }' "$WORK/bundle" "$WORK/site"
"$PF/node_modules/.bin/pagefind" --site "$WORK/site" >/dev/null
pf_files=$(find "$WORK/site/pagefind" -type f | wc -l)
pf_bytes=$(find "$WORK/site/pagefind" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "pagefind $PAGEFIND_VERSION bundle: $pf_files files, $pf_bytes bytes (its own compression; all languages' UI and wasm included)"

# Bytes per cold search, both served side by side (needs Chromium and
# tests/e2e's npm packages, as the time to the first result does).
if command -v node >/dev/null && [ -d "$ROOT/tests/e2e/node_modules/playwright-core" ] && [ -x /usr/bin/chromium ]; then
  mkdir -p "$WORK/both"
  cp -r "$WORK/bundle" "$WORK/both/search"
  cp -r "$WORK/site/pagefind" "$WORK/both/pagefind"
  cp "$ROOT/server/static/talksearch-static.js" "$WORK/both/"
  node "$ROOT/bench/static_search_bytes.mjs" --site "$WORK/both" --queries "$ROOT/tests/judged/shared_queries.tsv"
else
  echo "bytes per search: skipped (needs node, chromium and tests/e2e's npm packages)"
fi
