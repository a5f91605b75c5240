#!/usr/bin/env bash
# setup.sh - installs discord.js (pinned in package-lock.json) for the check that the fake
# Discord speaks real Discord. Idempotent: does nothing when the pinned version is installed.
set -euo pipefail
cd "$(dirname "$0")"
want=$(node -p "require('./package.json').dependencies['discord.js']")
have=$(node -p "try { require('./node_modules/discord.js/package.json').version } catch (e) { '' }")
if [ "$have" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
