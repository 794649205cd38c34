#!/usr/bin/env bash
# Command 2: install what is missing, build, and run the whole suite through
# ctest, ending with ctest's summary.
source "$(dirname "$0")/lib.sh"

install_missing_packages "${TALKSEARCH_PACKAGES[@]}"
configure_and_build -DTALKSEARCH_BUILD_TESTS=ON
cd "$BUILD_DIR"
exec ctest --output-on-failure -j "$JOBS" --timeout 600
