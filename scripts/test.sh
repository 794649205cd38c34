#!/usr/bin/env bash
# Command 2: install what is missing, build, and run the whole suite through
# ctest, ending with ctest's summary.
source "$(dirname "$0")/lib.sh"

install_missing_packages "${TALKSEARCH_PACKAGES[@]}" "${TALKSEARCH_TEST_PACKAGES[@]}"
install_node_if_missing
# The browser tests' npm packages (playwright-core, axe-core, swagger-parser, ajv),
# pinned by tests/e2e/package-lock.json.
(cd "$TALKSEARCH_ROOT/tests/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
configure_and_build -DTALKSEARCH_BUILD_TESTS=ON
cd "$BUILD_DIR"
exec ctest --output-on-failure -j "$JOBS" --timeout 600
