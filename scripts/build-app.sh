#!/usr/bin/env bash
# Release build of the browser app into dist/, then the offline precache list.
set -euo pipefail
cd "$(dirname "$0")/.."
# npm's binaryen (wasm-opt 132) must come before Debian's older one (TOOLCHAIN.md).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
if [ -f scripts/gen-sw.mjs ]; then
  node scripts/gen-sw.mjs dist
elif [ -f scripts/gen-sw.py ]; then
  python3 scripts/gen-sw.py dist
fi
