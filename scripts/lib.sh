# Shared by scripts/run.sh and scripts/test.sh. Source it; do not run it.
set -euo pipefail

TALKSEARCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$TALKSEARCH_ROOT/build}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

# Every dependency is a Debian package; nothing is downloaded at build time.
TALKSEARCH_PACKAGES=(
  g++ cmake make pkg-config
  libxapian-dev libmecab-dev mecab-ipadic mecab-ipadic-utf8 mecab-utils libicu-dev
  nlohmann-json3-dev libcpp-httplib-dev libjemalloc-dev libzstd-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  iproute2
)
# Only the tests need these: the widget's end-to-end tests in Debian's
# Chromium (never a downloaded browser), with a Japanese font for screenshots;
# xapian-tcpsrv (xapian-tools) serves shards in the shard tests; valgrind
# checks a search for leaks; dpkg-shlibdeps (dpkg-dev) computes the Debian
# package's Depends.
TALKSEARCH_TEST_PACKAGES=(chromium fonts-ipafont-gothic wrk curl clang-14 libclang-rt-14-dev xapian-tools
                          valgrind dpkg-dev)

# Node.js and npm: Debian's, unless the machine already has them (a nodejs
# package that bundles npm conflicts with Debian's npm package).
install_node_if_missing() {
  if command -v node >/dev/null && command -v npm >/dev/null; then return 0; fi
  install_missing_packages nodejs npm
}

install_missing_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "talksearch: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

configure_and_build() {
  cmake -S "$TALKSEARCH_ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release "$@"
  cmake --build "$BUILD_DIR" -j "$JOBS"
}
