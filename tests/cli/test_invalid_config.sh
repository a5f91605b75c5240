#!/usr/bin/env bash
# test_invalid_config.sh - each mistake in a run config is a folder under invalid-config/:
# `leanon run --config` on its input.json must refuse it before any socket opens or anything
# connects: exit 1, nothing on stdout, and exactly the lines of expected on stderr (the file
# written as CONFIG): "CONFIG:line:column: error: what to do", at the key for an unknown or
# secret key, at the value for a wrong one. userinfo, gateway-userinfo, shard-id, max-sessions
# and escaped-key are the defects found from outside (issue 10).
# Usage: test_invalid_config.sh LEANON CASES_DIR [--update]
set -uo pipefail
leanon=$1 cases=$2 update=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="$tmp/state" LEANON_DISCORD_TOKEN=not-a-real-token
failed=0 total=0
for dir in "$cases"/*/; do
  name=$(basename "$dir")
  cp "$dir/input.json" "$tmp/config.json"
  timeout 10 "$leanon" run --config "$tmp/config.json" --listen 127.0.0.1:0 >"$tmp/out" 2>"$tmp/err"
  rc=$?
  sed "s|$tmp/config.json|CONFIG|g" "$tmp/err" >"$tmp/got"
  total=$((total + 1))
  if [ "$update" = --update ]; then
    cp "$tmp/got" "$dir/expected"
    continue
  fi
  if [ "$rc" -ne 1 ] || ! diff -u "$dir/expected" "$tmp/got" || [ -s "$tmp/out" ]; then
    echo "FAIL $name: exit $rc (want 1), stdout $(wc -c <"$tmp/out") bytes (want 0)"
    failed=$((failed + 1))
  fi
done
echo "$total config cases, $failed failed"
[ "$failed" -eq 0 ]
