#!/usr/bin/env bash
# The maintainer's path end to end: a local git repository stands in for the
# seminar site, deploy/site/talksearch.yml's step runs as GitHub Actions
# would run it (its `run:` line, with the event's expressions filled in),
# against a real talks-server with --corpus and an admin token.
#
#   site_sync_test.sh BUILD_DIR CORPUS_DIR SOURCE_DIR
set -euo pipefail
BUILD="$1"
CORPUS="$2"
SOURCE="$3"
source "$(dirname "$0")/server_lib.sh"
begin_server_test

mkdir "$WORK/corpus"
cp "$CORPUS"/seminar.md "$CORPUS"/*.jsonl "$WORK/corpus/"
"$BUILD/indexer/talks-index" --config none --corpus "$WORK/corpus" --db "$WORK/db" > /dev/null 2>&1
echo "site-sync-token" > "$WORK/token"
start_talks_server "$BUILD" "$WORK/server.log" --db "$WORK/db" \
  --corpus "$WORK/corpus" --admin-token-file "$WORK/token"
BASE="http://127.0.0.1:$PORT"

# The site repository, with the workflow and its script where the workflow's
# comment says to put them.
SITE="$WORK/site"
mkdir -p "$SITE/.github/workflows"
cp "$CORPUS/seminar.md" "$SITE/"
cp "$SOURCE/deploy/site/talksearch.yml" "$SOURCE/deploy/site/talksearch-sync.sh" "$SITE/.github/workflows/"
git -C "$SITE" init -q -b main
git -C "$SITE" -c user.name=t -c user.email=t@example.org add -A
git -C "$SITE" -c user.name=t -c user.email=t@example.org commit -qm "the site"

# The workflow's step for an event, as the runner runs it in the checkout.
run_step() {  # run_step pull_request|push
  local event="$1" command
  command="$(sed -n 's/^ *run: //p' "$SITE/.github/workflows/talksearch.yml")"
  [ -n "$command" ] || fail "no run: step in the workflow"
  command="${command//\$\{\{ github.event_name == \'pull_request\' && \'check\' || \'publish\' \}\}/$([ "$event" = pull_request ] && echo check || echo publish)}"
  (cd "$SITE" && TALKSEARCH_URL="$BASE" TALKSEARCH_TOKEN="site-sync-token" \
     TALKSEARCH_ALLOW_REMOVALS=false bash -c "$command")
}
talk_status() { curl -s -o /dev/null -w '%{http_code}' "$BASE/api/talks/$1"; }

new_session() {  # new_session DATE: the page with a new session on top
  awk -v date="$1" 'done == 0 && /^# 第/ {
      print "# 第26回学習物理領域セミナー＋第78回DLAP"
      print "日時: " date " 10:30-11:30(JST)<br>"
      print "発表者: 試験 花子 氏 (どこか大学)<br>"
      print "発表題目: サイトから届いた講演<br>"
      print "概要: プルリクエストで追加した講演。<br>"
      print ""
      done = 1
    } { print }' "$CORPUS/seminar.md" > "$SITE/seminar.md"
}

# A pull request with a typo: the check fails with an annotation at the
# line, and nothing reaches the index.
git -C "$SITE" checkout -q -b new-talk
new_session "2月30日"
typo_line="$(grep -n '^日時: 2月30日' "$SITE/seminar.md" | cut -d: -f1)"
status=0
run_step pull_request > "$WORK/pr1.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "the check of a page with a typo should fail, got $status: $(cat "$WORK/pr1.out")"
grep -q "^::error file=seminar.md,line=$typo_line::.*2月30日" "$WORK/pr1.out" ||
  fail "no annotation at line $typo_line: $(cat "$WORK/pr1.out")"
[ "$(talk_status dlap-078)" = 404 ] || fail "a check changed the index"

# Mended: the check passes and names the talk it would add.
new_session "2026年2月12日"
run_step pull_request > "$WORK/pr2.out" 2>&1 || fail "the check of a good page failed: $(cat "$WORK/pr2.out")"
grep -q "^::notice::added dlap-078 2026-02-12 サイトから届いた講演" "$WORK/pr2.out" ||
  fail "the check does not say what it would add: $(cat "$WORK/pr2.out")"
[ "$(talk_status dlap-078)" = 404 ] || fail "a check changed the index"

# Merged and pushed: published, indexed, served at once.
git -C "$SITE" -c user.name=t -c user.email=t@example.org commit -qam "第78回"
git -C "$SITE" checkout -q main && git -C "$SITE" merge -q new-talk
run_step push > "$WORK/push.out" 2>&1 || fail "publishing failed: $(cat "$WORK/push.out")"
grep -q "talksearch: reindexed" "$WORK/push.out" || fail "no reindex reported: $(cat "$WORK/push.out")"
[ "$(talk_status dlap-078)" = 200 ] || fail "the published talk is not served"
cmp -s "$SITE/seminar.md" "$WORK/corpus/seminar.md" || fail "the server's corpus is not the pushed page"

# A push that would hide sessions (a stray <!--) is refused: the workflow
# fails and the server keeps what it had.
sed -i '0,/^# 第15回学習物理領域セミナー/s//<!--\n&/' "$SITE/seminar.md"
status=0
run_step push > "$WORK/stray.out" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "a refused update should fail the workflow, got $status"
grep -q "answered 409" "$WORK/stray.out" || fail "unclear refusal: $(cat "$WORK/stray.out")"
grep -q "^::error::the update would remove 0 and redate" "$WORK/stray.out" || fail "the refusal does not say why"
cmp -s "$SITE/seminar.md" "$WORK/corpus/seminar.md" && fail "the refused page was written"
[ "$(talk_status dlap-078)" = 200 ] || fail "the refused update lost a talk"
echo "PASS: a pull request's check annotates problems at their line and writes nothing; a push publishes, reindexes and serves at once; a push that would hide sessions fails the workflow and changes nothing"
