#!/usr/bin/env bash
# talks-index as maintainers use it: --check names file:line for each problem
# and exits 1 without writing; a reindex reports what changed, with ids.
#
#   index_cli_test.sh BUILD_DIR CORPUS_DIR
set -euo pipefail
BUILD="$1"
CORPUS="$2"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
INDEX="$BUILD/indexer/talks-index"

mkdir "$WORK/corpus"
cp "$CORPUS"/seminar.md "$CORPUS"/*.jsonl "$WORK/corpus/"
"$INDEX" --corpus "$WORK/corpus" --check > "$WORK/check.out" 2>&1 || fail "the shipped corpus does not pass --check: $(cat "$WORK/check.out")"

# Break it the ways maintainers do: a missing title, a bad date, a repeated
# id, a session without speaker.
page="$WORK/corpus/seminar.md"
sed -i '0,/^発表題目: 近年の深層学習について<br>$/{/^発表題目: 近年の深層学習について<br>$/d}' "$page"
sed -i 's/^日時: 9月7日10:30-11:30(JST)<br>$/日時: 秋ごろ<br>/' "$page"
sed -i 's/^発表者: 坂田綾香　氏 (統計数理研究所) <br>$//' "$page"
echo '{"id": "jps-1", "title": "同じ id の講演"}' >> "$WORK/corpus/extra.jsonl"
status=0
"$INDEX" --corpus "$WORK/corpus" --check > "$WORK/check.out" 2> "$WORK/check.err" || status=$?
[ "$status" -eq 1 ] || fail "--check should exit 1 on problems, got $status"
[ ! -e "$WORK/db" ] || fail "--check wrote an index"
line_of() { grep -n "^# $1\$" "$page" | cut -d: -f1; }
grep -q "seminar.md:$(line_of 第51回): section 第51回 has no title" "$WORK/check.err" || fail "missing title not reported: $(cat "$WORK/check.err")"
grep -q "seminar.md:[0-9]*: section 第52回 has no readable date" "$WORK/check.err" || fail "bad date not reported: $(cat "$WORK/check.err")"
grep -q "seminar.md:$(line_of 第49回): section 第49回 has no speaker" "$WORK/check.err" || fail "missing speaker not reported: $(cat "$WORK/check.err")"
grep -Eq "jsonl:1: duplicate id jps-1 \(first at .*jsonl:1" "$WORK/check.err" || fail "duplicate id not reported: $(cat "$WORK/check.err")"

# Reindexing reports ids: add one talk, change one, remove one.
cp "$CORPUS/seminar.md" "$page"
rm "$WORK/corpus/extra.jsonl"
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" > "$WORK/first.out" 2>&1
# A first index lists 20 ids and counts the rest.
grep -Eq "^added: ([^ ]+ ){20}… and [0-9]+ more \(--verbose lists all\)$" "$WORK/first.out" ||
  fail "long id list not cut: $(grep '^added' "$WORK/first.out" | cut -c1-200)"
echo '{"id": "new-talk", "title": "新しい講演"}' > "$WORK/corpus/extra.jsonl"
sed -i 's/^発表題目: 近年の深層学習について<br>$/発表題目: 近年の深層学習について（改訂）<br>/' "$page"
sed -i '/"id": "hub-2020-06-17"/d' "$WORK/corpus/hub-talks.jsonl"
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" --verbose > "$WORK/reindex.out" 2>&1 || fail "reindex failed"
grep -q "1 added, 1 changed, 1 removed" "$WORK/reindex.out" || fail "wrong summary: $(head -1 "$WORK/reindex.out")"
grep -q "^added: new-talk (no date) 新しい講演$" "$WORK/reindex.out" || fail "added talk missing: $(cat "$WORK/reindex.out")"
grep -q "^changed: dlap-051 2023-06-01 近年の深層学習について（改訂）$" "$WORK/reindex.out" || fail "changed talk missing"
grep -q "^removed: hub-2020-06-17$" "$WORK/reindex.out" || fail "removed id missing"
grep -q "^unchanged: .*dlap-077" "$WORK/reindex.out" || fail "unchanged ids missing with --verbose"

# A corpus read with problems removes nothing: a talk whose entry, or whole
# file, cannot be read is absent from it, not gone from the seminar.
docs() { "$BUILD/query/talks-search" --db "$WORK/db" --stats | sed 's/.*"documents": \([0-9]*\).*/\1/'; }
docs_before="$(docs)"
status=0
"$INDEX" --corpus "$WORK/corpus-typo" --db "$WORK/db" > "$WORK/typo.out" 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "a missing corpus directory should exit 2, got $status"
grep -q "corpus directory .*corpus-typo not found (nothing written)" "$WORK/typo.out" ||
  fail "unclear error: $(cat "$WORK/typo.out")"
mv "$page" "$WORK/seminar.md.away"
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" > "$WORK/away.out" 2>&1 || fail "reindex without the page failed"
grep -q "seminar.md: cannot read the seminar page" "$WORK/away.out" || fail "missing page not reported"
grep -q " 0 removed" "$WORK/away.out" || fail "talks removed without the page: $(head -1 "$WORK/away.out")"
grep -Eq "^kept: dlap-[0-9]+.* … and [0-9]+ more" "$WORK/away.out" || fail "kept talks not listed"
mv "$WORK/seminar.md.away" "$page"
sed -i 's/^発表題目: 近年の深層学習について（改訂）<br>$//' "$page"
sed -i '/"id": "hub-2020-06-03"/d' "$WORK/corpus/hub-talks.jsonl"
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" > "$WORK/broken.out" 2>&1 || fail "reindex of a broken page failed"
grep -q "section 第51回 has no title" "$WORK/broken.out" || fail "broken section not reported"
grep -q "^kept: dlap-051 hub-2020-06-03 (not in the corpus, but it has problems" "$WORK/broken.out" ||
  fail "broken and deleted talks not kept: $(grep -v '^added' "$WORK/broken.out")"
[ "$(docs)" = "$docs_before" ] || fail "documents $docs_before -> $(docs) with problems in the corpus"
cp "$CORPUS/seminar.md" "$page"
sed -i 's/^発表題目: 近年の深層学習について<br>$/発表題目: 近年の深層学習について（改訂）<br>/' "$page"
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" --verbose > "$WORK/fixed.out" 2>&1 || fail "reindex of the mended page failed"
grep -q "0 added, 0 changed, 1 removed" "$WORK/fixed.out" || fail "wrong summary once mended: $(head -1 "$WORK/fixed.out")"
grep -q "^removed: hub-2020-06-03$" "$WORK/fixed.out" || fail "deleted talk not removed once the corpus is mended"

# What no parser sees: a stray "<!--" closed by a later comment's "-->"
# hides the sessions between them and moves the dates of those above. It is
# a problem at its line, --check with --db lists the redated talks, and the
# update is refused (nothing written) without --allow-removals.
cp "$page" "$WORK/seminar.md.good"
first_hidden="$(grep -n '^# 第15回学習物理領域セミナー' "$page" | cut -d: -f1)"
sed -i "${first_hidden}i <!--" "$page"
docs_before="$(docs)"
status=0
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" --check > "$WORK/stray.out" 2> "$WORK/stray.err" || status=$?
[ "$status" -eq 1 ] || fail "--check of a page with a stray <!-- should exit 1, got $status"
grep -q "seminar.md:$first_hidden: this <!-- hides [0-9]* session headings" "$WORK/stray.err" ||
  fail "stray comment not reported at its line: $(cat "$WORK/stray.err")"
grep -q "^redate: dlap-077 2026-01-29 .* -> 2024-01-29$" "$WORK/stray.out" ||
  fail "--check does not list the redated talks: $(cat "$WORK/stray.out")"
grep -q "^keep: dlap-067 " "$WORK/stray.out" || fail "--check does not list the hidden talks as kept"
status=0
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" > "$WORK/stray-update.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "an update that redates talks should exit 1 without --allow-removals, got $status"
grep -q "Nothing was written: if that is meant, rerun with --allow-removals" "$WORK/stray-update.out" ||
  fail "unclear refusal: $(cat "$WORK/stray-update.out")"
[ "$(docs)" = "$docs_before" ] || fail "the refused update changed the index"
"$BUILD/query/talks-search" --db "$WORK/db" --json 'What can PINN do' | grep -q '"date":"2026-01-29"' ||
  fail "the refused update moved dlap-077's date"
cp "$WORK/seminar.md.good" "$page"

# Removing more than two talks at once (here: a whole file gone) needs
# --allow-removals too.
mv "$WORK/corpus/jps-symposium.jsonl" "$WORK/jps-symposium.jsonl.away"
removed_count="$(grep -c '"id"' "$WORK/jps-symposium.jsonl.away")"
[ "$removed_count" -gt 2 ] || fail "the test needs a file of more than two talks"
status=0
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" > "$WORK/mass.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "removing $removed_count talks should exit 1 without --allow-removals, got $status"
grep -q "^remove: jps-" "$WORK/mass.out" || fail "the talks to remove are not listed: $(cat "$WORK/mass.out")"
[ "$(docs)" = "$docs_before" ] || fail "the refused removal changed the index"
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" --allow-removals > "$WORK/allowed.out" 2>&1 ||
  fail "--allow-removals did not go ahead: $(cat "$WORK/allowed.out")"
grep -q "0 added, 0 changed, $removed_count removed" "$WORK/allowed.out" ||
  fail "wrong summary with --allow-removals: $(grep indexed "$WORK/allowed.out")"
mv "$WORK/jps-symposium.jsonl.away" "$WORK/corpus/jps-symposium.jsonl"

# --no-termlists builds a new, smaller index that cannot be updated in place:
# both ways round, talks-index says so and changes nothing.
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/slim" --no-termlists > "$WORK/slim.out" 2>&1 ||
  fail "--no-termlists failed: $(cat "$WORK/slim.out")"
[ ! -e "$WORK/slim/termlist.glass" ] || fail "--no-termlists kept the termlists"
"$BUILD/query/talks-search" --db "$WORK/slim" --json PINN | grep -q '"id":"dlap-077"' ||
  fail "the index without termlists does not find PINN"
status=0
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/slim" > "$WORK/update.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "updating an index without termlists should exit 1, got $status"
grep -q "without termlists.*new directory" "$WORK/update.out" || fail "unclear refusal: $(cat "$WORK/update.out")"
before="$(ls -l "$WORK/db")"
status=0
"$INDEX" --corpus "$WORK/corpus" --db "$WORK/db" --no-termlists > "$WORK/drop.out" 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "--no-termlists on an existing index should exit 2, got $status"
grep -q "builds a new index.*new directory" "$WORK/drop.out" || fail "unclear refusal: $(cat "$WORK/drop.out")"
[ "$(ls -l "$WORK/db")" = "$before" ] || fail "the refused run changed the index"
# One configuration for every program: talks-index and talks-search with no
# flags use the configured corpus and index; a flag typed wins.
cat > "$WORK/talksearch.conf" <<CONF
# as /etc/talksearch/talksearch.conf on the server
corpus = $WORK/corpus
db = $WORK/configured
port = 8080
CONF
TALKSEARCH_CONFIG="$WORK/talksearch.conf" "$INDEX" > "$WORK/configured.out" 2>&1 ||
  fail "talks-index with the configuration and no flags failed: $(cat "$WORK/configured.out")"
grep -q "into $WORK/configured in" "$WORK/configured.out" || fail "not indexed where configured: $(head -1 "$WORK/configured.out")"
TALKSEARCH_CONFIG="$WORK/talksearch.conf" "$BUILD/query/talks-search" --json PINN | grep -q '"id":"dlap-077"' ||
  fail "talks-search does not search the configured index"
mkdir "$WORK/tiny-corpus"
echo '{"id": "tiny-1", "title": "一つだけの講演"}' > "$WORK/tiny-corpus/tiny.jsonl"
"$INDEX" --config none --corpus "$WORK/tiny-corpus" --db "$WORK/tiny" > /dev/null 2>&1 || fail "tiny index failed"
"$BUILD/query/talks-search" --config "$WORK/talksearch.conf" --db "$WORK/tiny" --stats | grep -q '"documents": 1[,}]' ||
  fail "a --db typed on the command line does not replace the configured one: $("$BUILD/query/talks-search" --config "$WORK/talksearch.conf" --db "$WORK/tiny" --stats)"
echo "db /no/equals/sign" > "$WORK/bad.conf"
status=0
"$INDEX" --config "$WORK/bad.conf" > "$WORK/badconf.out" 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "a bad configuration line should exit 2, got $status"
grep -q "bad.conf:1: want \"key = value\"" "$WORK/badconf.out" || fail "unclear configuration error: $(cat "$WORK/badconf.out")"

echo "PASS: --check reports file:line and exits 1; reindex reports ids; a corpus with problems removes nothing; a stray comment or a mass removal is refused without --allow-removals; --no-termlists refusals; one configuration file"
