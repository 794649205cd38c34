#!/usr/bin/env bash
# Sends the seminar page to talks-server's POST /api/admin/corpus, for the
# site repository's GitHub Actions workflow (talksearch.yml here).
#
#   talksearch-sync.sh check PAGE     the server checks PAGE against the index
#                                     and writes nothing (pull requests)
#   talksearch-sync.sh publish PAGE   the server writes, reindexes and reloads
#                                     (pushes to the default branch)
#
# Environment: TALKSEARCH_URL (https://search.example.org), TALKSEARCH_TOKEN
# (the admin token), TALKSEARCH_ALLOW_REMOVALS=true to let an update remove
# or redate more than two talks. Prints the server's report as workflow
# commands, so each problem shows as an annotation at its line of PAGE.
# Exits 1 when the server refuses or fails, and, for a check, when the page
# has problems.
set -euo pipefail
mode="${1:-}"
page="${2:-}"
case "$mode" in check|publish) ;; *) echo "usage: $0 check|publish PAGE" >&2; exit 2 ;; esac
[ -f "$page" ] || { echo "talksearch-sync: no page at $page" >&2; exit 2; }
: "${TALKSEARCH_URL:?set TALKSEARCH_URL to the talks-server address}"
: "${TALKSEARCH_TOKEN:?set TALKSEARCH_TOKEN to the admin token (a repository secret)}"

query="format=github"
[ "$mode" = check ] && query="$query&check=true"
[ "${TALKSEARCH_ALLOW_REMOVALS:-}" = true ] && query="$query&allow_removals=true"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status="$(curl --silent --show-error --max-time 300 --output "$report" --write-out '%{http_code}' \
  -X POST -H "Authorization: Bearer $TALKSEARCH_TOKEN" -H 'Content-Type: text/markdown' \
  --data-binary @"$page" "$TALKSEARCH_URL/api/admin/corpus?$query")" || {
  echo "::error::talksearch-sync: cannot reach $TALKSEARCH_URL"
  exit 1
}
# The server names the file seminar.md; annotations need its path here.
sed "s|::error file=seminar.md,|::error file=$page,|" "$report"
echo
if [ "$status" != 200 ]; then
  echo "::error::talksearch-sync: the server answered $status"
  exit 1
fi
if [ "$mode" = check ] && grep -q '^::error' "$report"; then exit 1; fi
exit 0
