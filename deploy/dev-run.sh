#!/usr/bin/env bash
# dev-run.sh - one command for a fresh Debian machine: installs what leanon
# needs, builds it, and runs the bot with its built-in web chat on
# http://127.0.0.1:8080 (no account or token needed). Extra arguments go to
# `leanon run` (e.g. --listen 127.0.0.1:9090, --config FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup
[ -d build ] || meson setup build
meson compile -C build
echo "leanon: open http://127.0.0.1:8080 in a browser (Ctrl+C stops it)"
exec ./build/src/app/leanon run "$@"
