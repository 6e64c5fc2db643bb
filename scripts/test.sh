#!/usr/bin/env bash
# Runs every check and test of Forløp: formatting, lints, native tests, the wasm32 build of the
# engine, generated docs, the fuzz target's build, the browser app's build and its tests in
# headless Chromium. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "toolchain (installs only what is missing)"
bash scripts/setup.sh

step "format"
cargo fmt --all --check

step "lints (native and wasm32)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p forlop-app --target wasm32-unknown-unknown --locked -- -D warnings

step "API docs build without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc -q -p forlop-core -p forlop-synth -p forlop-cli --no-deps --locked

step "engine and generator build for wasm32-unknown-unknown"
cargo build -p forlop-core -p forlop-synth --target wasm32-unknown-unknown --locked

step "generated docs are current"
cargo run -q -p forlop-cli --locked -- docs indicators > target/indicators.md
diff -u docs/indicators.md target/indicators.md

step "fuzz target builds"
cargo check -q --manifest-path fuzz/Cargo.toml

step "native tests (unit, golden fixtures, properties, CLI)"
cargo test --workspace --locked

step "browser app: release build"
bash scripts/build-app.sh

step "browser tests (headless Chromium)"
bash tests/e2e/run.sh
