#!/usr/bin/env bash
# dev-run.sh - one command for a fresh Debian machine: installs what leanon
# needs, builds it, and starts it talking to you in this terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup
[ -d build ] || meson setup build
meson compile -C build
exec ./build/src/app/leanon console "$@"
