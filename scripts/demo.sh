#!/usr/bin/env bash
# Builds the browser app and serves it on 127.0.0.1, opening it on the demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8080}
bash scripts/setup.sh
bash scripts/build-app.sh
URL="http://127.0.0.1:$PORT/?demo=1"
echo
echo "Forløp is served at $URL  (Ctrl-C stops it)"
command -v xdg-open >/dev/null && xdg-open "$URL" >/dev/null 2>&1 || true
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
