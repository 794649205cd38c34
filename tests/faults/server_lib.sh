# Sourced by the tests that run a talks-server: a scratch directory removed
# with the server at exit, and a server on an ephemeral port of 127.0.0.1.
#
#   begin_server_test                               sets WORK, SERVER_PID; defines fail
#   start_talks_server BUILD_DIR LOG_FILE ARGS...   sets SERVER_PID and PORT
# TALKS_SERVER names another talks-server than BUILD_DIR's, TALKS_SERVER_CONFIG
# a configuration file for it (default none: a test never reads the
# machine's /etc/talksearch).
begin_server_test() {
  WORK="$(mktemp -d)"
  SERVER_PID=""
  trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
}
fail() { echo "FAIL: $*" >&2; exit 1; }

start_talks_server() {
  local build="$1" log="$2"
  shift 2
  "${TALKS_SERVER:-$build/server/talks-server}" --config "${TALKS_SERVER_CONFIG:-none}" \
    --port 0 --quiet "$@" 2> "$log" &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 100); do
    PORT="$(sed -n 's|.*on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$log")"
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  echo "FAIL: talks-server did not start: $(cat "$log")" >&2
  exit 1
}
