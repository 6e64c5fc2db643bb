#!/usr/bin/env bash
# Browser tests: serve dist/ on 127.0.0.1 and drive Debian's chromium through playwright-core.
# Prerequisites: bash scripts/setup.sh; then build the app:
#   PATH="$PWD/node_modules/.bin:$PATH" trunk build --release && node scripts/gen-sw.mjs
# Screenshots and the request log go to tests/artifacts/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-8765}
[ -f dist/index.html ] || { echo "dist/ missing: build the app first (see the header of this script)" >&2; exit 1; }
# The precache list must be generated after every trunk build (the template is recognisable).
if grep -q __FORLOP_SW_FILES__ dist/sw.js; then node scripts/gen-sw.mjs dist; fi
# The reference numbers come from the CLI on the same files.
cargo build -q -p forlop-cli
export FORLOP_BIN="$PWD/target/debug/forlop"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
export BASE_URL="http://127.0.0.1:$PORT/"
node --test --test-concurrency=1 --test-reporter=spec "${@:-tests/e2e/}"
