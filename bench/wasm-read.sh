#!/usr/bin/env bash
# The browser worker's read and analyse in V8, outside the browser, beside the same code native
# (bench/wasm-read/src/main.rs). Not part of CI. Prints one JSON line per run.
#
#   bash bench/wasm-read.sh [DATA_DIR]        # default: the perf test's 1 M-row extract
#
# Environment:
#   ROUNDS=3        runs of each build, interleaved (report the best)
#   BUILDS="native wasm wasm-opt"   which builds to run
#   PROFILE=1       one more run of the wasm build without wasm-opt under `node --cpu-prof`
#                   (the name section is kept: functions have their Rust names); the profile is
#                   written to $OUT and summarised by bench/cpuprofile-top.mjs
#   OUT=/tmp/forlop-wasm-read   where the extract, the optimised wasm and profiles go
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
OUT=${OUT:-/tmp/forlop-wasm-read}
ROUNDS=${ROUNDS:-3}
BUILDS=${BUILDS:-native wasm wasm-opt}
mkdir -p "$OUT"

# The data: the perf test's 1 M-row upload (tests/e2e/perf.test.mjs), 59.2 MB in 6 files.
DATA=${1:-}
if [ -z "$DATA" ]; then
  DATA=$OUT/m1
  if [ ! -f "$DATA/episodes.csv" ]; then
    cargo build -q --release -p forlop-cli
    target/release/forlop synth --out "$DATA" --persons 27000 --seed 11 --year 2024
  fi
fi

# The target, only when missing (rustup is the project's toolchain manager, TOOLCHAIN.md).
if ! rustup target list --installed | grep -qx wasm32-wasip1; then
  rustup target add wasm32-wasip1
fi

# The worker's flags: profile wasm-worker (opt-level 3, LTO, one codegen unit, panic=abort) and
# simd128 (.cargo/config.toml sets it for wasm32-unknown-unknown only).
CARGO_TARGET_WASM32_WASIP1_RUSTFLAGS="-C target-feature=+simd128" \
  cargo build -q --profile wasm-worker --target wasm32-wasip1 -p forlop-wasm-read
WASM=target/wasm32-wasip1/wasm-worker/forlop-wasm-read.wasm
# As Trunk does for the worker (data-wasm-opt="3"), with the features rustc emits.
if [[ " $BUILDS " == *" wasm-opt "* ]]; then
  wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types \
    "$WASM" -o "$OUT/forlop-wasm-read.opt.wasm"
fi
if [[ " $BUILDS " == *" native "* ]]; then
  cargo build -q --release -p forlop-wasm-read
fi

echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD)$(git diff --quiet || echo +dirty) data=$DATA load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
  for b in $BUILDS; do
    case $b in
      native) line=$(target/release/forlop-wasm-read "$DATA") ;;
      wasm) line=$(node --no-warnings --no-incremental-marking bench/wasm-read.mjs "$WASM" "$DATA") ;;
      wasm-opt) line=$(node --no-warnings --no-incremental-marking bench/wasm-read.mjs "$OUT/forlop-wasm-read.opt.wasm" "$DATA") ;;
    esac
    echo "{\"build\":\"$b\",\"round\":$r,${line#\{}"
  done
done
echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${PROFILE:-}" = 1 ]; then
  rm -f "$OUT"/*.cpuprofile
  node --no-warnings --no-incremental-marking --cpu-prof --cpu-prof-dir="$OUT" --cpu-prof-interval 100 bench/wasm-read.mjs "$WASM" "$DATA"
  node bench/cpuprofile-top.mjs "$OUT"/*.cpuprofile
fi
