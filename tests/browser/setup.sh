#!/usr/bin/env bash
# setup.sh - installs playwright-core (pinned in package-lock.json) for the browser test.
# Idempotent: does nothing when the pinned version is already in node_modules.
set -euo pipefail
cd "$(dirname "$0")"
want=$(node -p "require('./package.json').dependencies['playwright-core']")
have=$(node -p "try { require('./node_modules/playwright-core/package.json').version } catch (e) { '' }")
if [ "$have" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
