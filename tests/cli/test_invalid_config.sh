#!/usr/bin/env bash
# test_invalid_config.sh - each mistake in a run config is a folder under invalid-config/:
# `leanon run --config` on its input.json must refuse it before any socket opens or anything
# connects: exit 1, nothing on stdout, and exactly the lines of expected on stderr (the file
# written as CONFIG): "CONFIG:line:column: error: what to do", at the key for an unknown or
# secret key, at the value for a wrong one. userinfo, gateway-userinfo, shard-id, max-sessions
# and escaped-key are the defects found from outside (issue 10).
# A case may also hold `env` (NAME=VALUE lines set for the run) and `args` (more options on one
# line): the same errors from the environment and the command line. Each case is run twice, as
# `leanon run` and as `leanon run --check`: both exit 1 with the same lines. The user name in
# "install -d -o USER" is written as USER. The response set is tests/engine/data/set.
# Usage: test_invalid_config.sh LEANON CASES_DIR [--update]
set -uo pipefail
leanon=$1 cases=$2 update=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the small fixture set (its regions: "international", "US"), which loads in a fraction of a second
export LEANON_RESPONSES="$cases/../../engine/data/set"
export XDG_STATE_HOME="$tmp/state" LEANON_DISCORD_TOKEN=not-a-real-token
unset LEANON_REGION LEANON_LOG_FORMAT LEANON_LOG_LEVEL LEANON_OPTOUT_DB LEANON_CONFIG LEANON_DISCORD_SHARD_ID
user=$(id -un)
failed=0 total=0
for dir in "$cases"/*/; do
  name=$(basename "$dir")
  cp "$dir/input.json" "$tmp/config.json"
  case_env=(LEANON_LISTEN=127.0.0.1:0)
  [ -f "$dir/env" ] && mapfile -t -O 1 case_env <"$dir/env"
  case_args=()
  [ -f "$dir/args" ] && read -r -a case_args <"$dir/args"
  for mode in run check; do
    extra=()
    [ "$mode" = check ] && extra=(--check)
    env "${case_env[@]}" timeout 10 "$leanon" run --config "$tmp/config.json" "${case_args[@]}" \
      "${extra[@]}" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    sed -e "s|$tmp/config.json|CONFIG|g" -e "s|-o $user |-o USER |g" "$tmp/err" >"$tmp/got"
    total=$((total + 1))
    if [ "$update" = --update ]; then
      [ "$mode" = run ] && cp "$tmp/got" "$dir/expected"
      continue
    fi
    if [ "$rc" -ne 1 ] || ! diff -u "$dir/expected" "$tmp/got" || [ -s "$tmp/out" ]; then
      echo "FAIL $name ($mode): exit $rc (want 1), stdout $(wc -c <"$tmp/out") bytes (want 0)"
      failed=$((failed + 1))
    fi
  done
done
echo "$total config runs, $failed failed"
[ "$failed" -eq 0 ]
