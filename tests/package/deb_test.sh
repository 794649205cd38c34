#!/usr/bin/env bash
# The Debian package (cmake/Packaging.cmake) packed by CPack from this build
# tree into a temp dir: its files, control fields, conffiles and maintainer
# scripts; then its programs, extracted, index its corpus and serve
# /api/health, searches, the widget and the admin API, configured by its own
# /etc/talksearch/talksearch.conf with the paths moved into the extracted
# tree. Nothing is installed: the machine's /etc, users and services are
# left alone (the maintainer scripts are checked, not run).
#
#   deb_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD="$1"
SOURCE="$2"
source "$SOURCE/tests/faults/server_lib.sh"
begin_server_test
for tool in dpkg-deb dpkg-shlibdeps cpack curl readelf; do
  command -v "$tool" > /dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done

# --- the package ------------------------------------------------------------
cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$WORK/out" > "$WORK/cpack.log" 2>&1 ||
  fail "cpack failed: $(cat "$WORK/cpack.log")"
version="$(sed -n 's/^project(talksearch VERSION \([0-9.]*\).*/\1/p' "$SOURCE/CMakeLists.txt")"
DEB="$WORK/out/talksearch_${version}_$(dpkg --print-architecture).deb"
[ -f "$DEB" ] || fail "no $DEB: $(ls "$WORK/out")"

# Every file the service needs, at its place.
dpkg-deb -c "$DEB" | awk '{print $NF}' | sed 's|^\./|/|' > "$WORK/files"
expected=(/usr/bin/talks-index /usr/bin/talks-search /usr/bin/talks-server
          /usr/share/talksearch/dict/talksearch-user.dic /usr/share/talksearch/dict/glossary.tsv
          /usr/share/talksearch/dict/userdic.tsv
          /usr/share/talksearch/static/index.html /usr/share/talksearch/static/talksearch-widget.js
          /lib/systemd/system/talksearch.service /etc/talksearch/talksearch.conf
          /usr/share/talksearch/corpus/seminar.md)
for jsonl in "$SOURCE"/corpus/*.jsonl; do expected+=("/usr/share/talksearch/corpus/$(basename "$jsonl")"); done
for file in "${expected[@]}"; do
  grep -qx "$file" "$WORK/files" || fail "$file is not in the package"
done
# Nothing else: no headers, libraries, tests or benchmarks.
stray="$(grep -v '/$' "$WORK/files" |
         grep -Ev '^(/usr/bin/talks-(index|search|server)|/usr/share/talksearch/.*|/lib/systemd/system/talksearch.service|/etc/talksearch/talksearch.conf)$' || true)"
[ -z "$stray" ] || fail "unexpected files in the package: $stray"

# Control: name, version, Depends with MeCab's dictionary, adduser and the
# package of every library the server links.
dpkg-deb -f "$DEB" Package Version Depends Section Maintainer > "$WORK/control"
grep -qx "Package: talksearch" "$WORK/control" || fail "package name: $(cat "$WORK/control")"
grep -qx "Version: $version" "$WORK/control" || fail "version is not $version: $(cat "$WORK/control")"
grep -q "^Maintainer: ." "$WORK/control" || fail "no maintainer"
depends="$(sed -n 's/^Depends: //p' "$WORK/control")"
for package in mecab-ipadic-utf8 adduser; do
  [[ ", $depends," == *", $package"[\ ,]* ]] || fail "Depends lacks $package: $depends"
done
# (The libraries it names itself, as dpkg-shlibdeps reads them, not their own.)
for name in $(readelf -d "$BUILD/server/talks-server" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  lib="$(ldd "$BUILD/server/talks-server" | sed -n "s|^[[:space:]]*$name => \(/[^ ]*\) .*|\1|p")"
  [ -n "$lib" ] || fail "ldd does not find $name"
  real="$(readlink -f "$lib")"
  owner="$(dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || dpkg -S "$lib" 2>/dev/null)" ||
    fail "no Debian package holds $lib"
  package="${owner%%:*}"
  [[ ", $depends," == *", $package"[\ ,]* ]] || fail "Depends lacks $package (for $lib): $depends"
done

# The configuration is a conffile; the maintainer scripts are there, parse,
# and do what docs/operations.md says.
dpkg-deb -e "$DEB" "$WORK/control.d"
grep -qx /etc/talksearch/talksearch.conf "$WORK/control.d/conffiles" ||
  fail "the configuration is not a conffile: $(cat "$WORK/control.d/conffiles" 2>&1)"
for script in postinst prerm postrm; do
  [ -x "$WORK/control.d/$script" ] || fail "no executable $script"
  sh -n "$WORK/control.d/$script" || fail "$script does not parse"
  grep -q '^set -e$' "$WORK/control.d/$script" || fail "$script does not stop on errors"
done
grep -q 'adduser --system --group' "$WORK/control.d/postinst" || fail "postinst creates no system user"
grep -q 'urandom' "$WORK/control.d/postinst" || fail "postinst makes no admin token"
grep -q 'runuser -u talksearch -- /usr/bin/talks-index' "$WORK/control.d/postinst" || fail "postinst builds no index as talksearch"
grep -q '\[ -d /run/systemd/system \]' "$WORK/control.d/postinst" || fail "postinst starts the service without systemd"
grep -q 'deb-systemd-invoke stop talksearch.service' "$WORK/control.d/prerm" || fail "prerm does not stop the service"
grep -q 'rm -rf /var/lib/talksearch' "$WORK/control.d/postrm" || fail "postrm purge keeps /var/lib/talksearch"

# --- its programs, extracted -------------------------------------------------
ROOT="$WORK/root"
dpkg-deb -x "$DEB" "$ROOT"
# The shipped configuration names files the package has.
for path in $(sed -n 's|^[a-z-]* = \(/usr/.*\)|\1|p' "$ROOT/etc/talksearch/talksearch.conf"); do
  [ -e "$ROOT$path" ] || fail "talksearch.conf names $path, which the package lacks"
done
grep -q '^mecab-userdic = /usr/share/talksearch/dict/' "$ROOT/etc/talksearch/talksearch.conf" ||
  fail "talksearch.conf does not name the installed user dictionary"
grep -q '^ExecStart=/usr/bin/talks-server$' "$ROOT/lib/systemd/system/talksearch.service" ||
  fail "the unit does not run the installed talks-server"
# As postinst sets it up, in $WORK: the corpus copied, a token, the index
# built by talks-index from the configuration alone.
sed -e "s|/usr/share/talksearch|$ROOT/usr/share/talksearch|g" -e "s|/var/lib/talksearch|$WORK/var|g" \
    -e "s|/etc/talksearch|$WORK/etc|g" "$ROOT/etc/talksearch/talksearch.conf" > "$WORK/talksearch.conf"
mkdir -p "$WORK/var" "$WORK/etc"
cp -r "$ROOT/usr/share/talksearch/corpus" "$WORK/var/corpus"
echo "deb-test-token" > "$WORK/etc/admin-token"
"$ROOT/usr/bin/talks-index" --config "$WORK/talksearch.conf" > "$WORK/index.out" 2>&1 ||
  fail "the extracted talks-index failed: $(cat "$WORK/index.out")"
grep -q "into $WORK/var/index in" "$WORK/index.out" || fail "not indexed where configured: $(head -3 "$WORK/index.out")"
TALKS_SERVER="$ROOT/usr/bin/talks-server" TALKS_SERVER_CONFIG="$WORK/talksearch.conf" \
  start_talks_server "$BUILD" "$WORK/server.log"
BASE="http://127.0.0.1:$PORT"

health="$(curl -sS "$BASE/api/health")"
[[ "$health" == *'"status":"ok"'* ]] || fail "/api/health: $health"
[[ "$health" =~ \"documents\":[1-9] ]] || fail "/api/health counts no documents: $health"
[[ "$health" != *restart_needed* ]] || fail "index and server disagree on the dictionaries: $health"
search() { curl -sS -G --data-urlencode "q=$1" "$BASE/api/search"; }
found="$(search 拡散モデル)"
[[ "$found" =~ \"total\":[1-9] ]] || fail "q=拡散モデル finds nothing: ${found:0:300}"
[[ "$found" == *'"hits":[{'* && "$found" == *'"id":"'* ]] || fail "q=拡散モデル has no hits: ${found:0:300}"
found="$(search 坂田綾香)"
[[ "$found" == *'"speaker":"坂田綾香'* ]] || fail "the speaker 坂田綾香 is not found: ${found:0:300}"
curl -sS -o "$WORK/widget.js" "$BASE/talksearch-widget.js"
cmp -s "$WORK/widget.js" "$ROOT/usr/share/talksearch/static/talksearch-widget.js" ||
  fail "the widget served is not the package's: $(head -c 200 "$WORK/widget.js")"
curl -sS "$BASE/" | grep -q "talksearch-widget.js" || fail "the search page is not served at /"
status="$(curl -s -o /dev/null -w '%{http_code}' -d '' -H "Authorization: Bearer deb-test-token" \
          "$BASE/api/admin/reload")"
[ "$status" = 200 ] || fail "the admin reload with the configured token file answers $status"

echo "PASS: $(basename "$DEB") ($(du -k "$DEB" | cut -f1) KB) holds the programs, dictionaries," \
     "widget, unit, conffile, corpus and maintainer scripts; Depends: $depends;" \
     "its extracted programs index the corpus and serve health, searches, the widget and the admin API"
