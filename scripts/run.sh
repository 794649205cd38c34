#!/usr/bin/env bash
# Command 1: install what is missing, build (Release), index the bundled
# corpus and serve search on http://127.0.0.1:8080 (PORT=… to change).
source "$(dirname "$0")/lib.sh"

install_missing_packages "${TALKSEARCH_PACKAGES[@]}"
configure_and_build -DTALKSEARCH_BUILD_TESTS=OFF

DB_DIR="${DB_DIR:-$TALKSEARCH_ROOT/data/index}"
mkdir -p "$(dirname "$DB_DIR")"
"$BUILD_DIR/indexer/talks-index" --corpus "$TALKSEARCH_ROOT/corpus" --db "$DB_DIR"
exec "$BUILD_DIR/server/talks-server" --db "$DB_DIR" --bind "${BIND:-127.0.0.1}" \
  --port "${PORT:-8080}" --static "$TALKSEARCH_ROOT/server/static"
