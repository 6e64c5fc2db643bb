#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh machine, skipping what is present.
# Only package registries are used (crates.io, npm, Debian); nothing else is downloaded.
# Versions and traps: ../shared/TOOLCHAIN.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen crate pinned in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock 2>/dev/null || true)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

log() { printf '[setup] %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ ! -x /usr/bin/chromium ]; then
  log "installing Debian chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! command -v trunk >/dev/null || ! trunk --version | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (takes ~9 min on 2 cores)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lock file names a webpki-roots version the registry lacks (TOOLCHAIN.md).
  cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

if [ -f package-lock.json ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  log "installing npm packages (echarts, binaryen, playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if command -v python3 >/dev/null && ! python3 -c "import duckdb" 2>/dev/null; then
  log "installing Python duckdb (the SQL equivalence test, tests/it/sql.rs)"
  python3 -m pip install --quiet duckdb
fi

# PySpark (about 0.3 GB): one extract of the Spark equivalence test runs in the default test
# command, the other three with --ignored. FORLOP_SPARK=0 skips it (the test then fails, saying so).
if [ "${FORLOP_SPARK:-1}" = 1 ] && command -v python3 >/dev/null && ! python3 -c "import pyspark" 2>/dev/null; then
  log "installing Python pyspark (the Spark equivalence test, tests/it/sql.rs)"
  python3 -m pip install --quiet pyspark
fi

if [ -f Cargo.lock ]; then
  # Trunk runs cargo with --offline, so every crate must be in the local registry cache.
  cargo fetch -q
fi
log "toolchain ready"
