#!/usr/bin/env bash
# Builds the Debian package talksearch_<version>_<arch>.deb and prints its
# path: a Release build without tests or benchmarks in build-package
# (PACKAGE_BUILD_DIR=… to change), for /usr, packed by CPack
# (cmake/Packaging.cmake). Downloads nothing: it needs the build packages
# scripts/run.sh installs, and dpkg-shlibdeps (dpkg-dev) for the Depends.
# Install it with: sudo apt install ./talksearch_*.deb
BUILD_DIR="${PACKAGE_BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build-package}"
source "$(dirname "$0")/lib.sh"

command -v dpkg-shlibdeps >/dev/null ||
  { echo "package.sh: dpkg-shlibdeps is missing (sudo apt-get install dpkg-dev)" >&2; exit 1; }
# The programs' default dictionaries and glossary are the installed ones.
configure_and_build -DTALKSEARCH_BUILD_TESTS=OFF -DTALKSEARCH_BUILD_BENCH=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr -DTALKSEARCH_INSTALLED_DEFAULTS=ON >&2
rm -f "$BUILD_DIR"/package/talksearch_*.deb
(cd "$BUILD_DIR" && cpack -G DEB -B "$BUILD_DIR/package" >&2)
ls "$BUILD_DIR"/package/talksearch_*.deb
