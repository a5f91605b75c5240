#!/usr/bin/env bash
# test_invalid.sh - the one runner for the jansson-style mistake folders: each case is a folder
# holding input.json and expected (the exact stderr lines), and leanon must refuse it with exit 1,
# exactly those lines, and nothing else on stdout.
#
#   test_invalid.sh responses LEANON FIXTURE_SET CASES [--update]
#     every mistake a moderator can make in a response file (invalid/): input.json is added to
#     the valid fixture set as case.json and `leanon check` runs on it (the set's folder written
#     as SET). A mistake found by running the examples is on stdout instead, exactly the lines of
#     expected-stdout, and the explain command each such line gives must run and explain.
#     `leanon run` on the first case must refuse to start, exit 1, and say what to do; a
#     mistyped option is exit 2, not 1.
#   test_invalid.sh config LEANON CASES [--update]
#     each mistake in a run config (invalid-config/): `leanon run --config` must refuse it before
#     any socket opens or anything connects, at the key for an unknown or secret key, at the
#     value for a wrong one (the file written as CONFIG, the user of "install -d -o USER" as
#     USER). A case may also hold `env` (NAME=VALUE lines) and `args` (more options on one line):
#     the same errors from the environment and the command line. Each case runs twice, as
#     `leanon run` and `leanon run --check`. userinfo, gateway-userinfo, shard-id, max-sessions
#     and escaped-key are the defects found from outside (issue 10).
#
# --update rewrites each case's expected files from what leanon printed.
set -uo pipefail
kind=$1
shift
updating=false
[ "${*: -1}" = --update ] && updating=true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 total=0

fail() {
  echo "FAIL $*"
  failed=$((failed + 1))
}

# expect NAME RC WANT_ERR WANT_OUT: the last command exited RC and printed $work/got (stderr,
# placeholders in) and $work/got_out (stdout); it must be exit 1 with exactly the wanted lines.
expect() {
  total=$((total + 1))
  if [ "$2" -ne 1 ] || ! diff -u "$3" "$work/got" || ! diff -u "$4" "$work/got_out"; then
    fail "$1: exit $2 (want 1), stdout $(wc -c <"$work/got_out") bytes (a difference is shown above)"
  fi
}

responses_cases() {
  local leanon=$1 fixture=$2 cases=$3 update=${4:-}
  local bin_dir
  bin_dir=$(cd "$(dirname "$leanon")" && pwd)
  for dir in "$cases"/*/; do
    local name set_dir rc want_out line command got
    name=$(basename "$dir")
    set_dir="$work/$name"
    cp -r "$fixture" "$set_dir"
    cp "$dir/input.json" "$set_dir/case.json"
    "$leanon" check --responses "$set_dir" >"$work/out" 2>"$work/err"
    rc=$?
    sed "s|$set_dir|SET|g" "$work/err" >"$work/got"
    sed "s|$set_dir|SET|g" "$work/out" >"$work/got_out"
    if [ "$update" = --update ]; then
      cp "$work/got" "$dir/expected"
      [ -e "$dir/expected-stdout" ] && cp "$work/got_out" "$dir/expected-stdout"
      continue
    fi
    want_out=/dev/null
    [ -e "$dir/expected-stdout" ] && want_out="$dir/expected-stdout"
    expect "$name" "$rc" "$dir/expected" "$want_out"
    # the command an "example ... instead" line gives runs as written and explains
    while IFS= read -r line; do
      command=${line#*see why with: }
      [ "$command" = "$line" ] && continue
      got=$(PATH="$bin_dir:$PATH" bash -c "$command" 2>&1)
      rc=$?
      total=$((total + 1))
      if [ "$rc" -ne 0 ] || ! grep -q '^answer: ' <<<"$got"; then
        fail "$name, the command in \"$line\": exit $rc, $(head -c 300 <<<"$got")"
      fi
    done <"$work/out"
  done
  [ "$update" = --update ] && return
  local first rc
  first=$(ls -d "$work"/*/ | head -1)
  "$leanon" run --responses "$first" --listen 127.0.0.1:0 >/dev/null 2>"$work/run_err"
  rc=$?
  total=$((total + 1))
  if [ "$rc" -ne 1 ] || ! tail -1 "$work/run_err" | grep -qF "has errors; run \`leanon check\`"; then
    fail "leanon run on a broken set: exit $rc (want 1): $(tail -1 "$work/run_err")"
  fi
  "$leanon" check --responsez "$first" >/dev/null 2>"$work/opt_err"
  rc=$?
  total=$((total + 1))
  if [ "$rc" -ne 2 ] || ! grep -qF 'unknown or incomplete option "--responsez"' "$work/opt_err"; then
    fail "a mistyped option: exit $rc (want 2): $(cat "$work/opt_err")"
  fi
}

config_cases() {
  local leanon=$1 cases=$2 update=${3:-}
  # the small fixture set (its regions: "international", "US"), which loads in a fraction of a second
  export LEANON_RESPONSES="$cases/../../engine/data/set"
  export XDG_STATE_HOME="$work/state" LEANON_DISCORD_TOKEN=not-a-real-token
  unset LEANON_REGION LEANON_LOG_FORMAT LEANON_LOG_LEVEL LEANON_OPTOUT_DB LEANON_CONFIG \
    LEANON_PG_DSN LEANON_PG_DSN_FILE CREDENTIALS_DIRECTORY \
    LEANON_DISCORD_SHARD_ID
  local user
  user=$(id -un)
  for dir in "$cases"/*/; do
    local name rc mode case_env case_args extra
    name=$(basename "$dir")
    cp "$dir/input.json" "$work/config.json"
    case_env=(LEANON_LISTEN=127.0.0.1:0)
    [ -f "$dir/env" ] && mapfile -t -O 1 case_env <"$dir/env"
    case_args=()
    [ -f "$dir/args" ] && read -r -a case_args <"$dir/args"
    for mode in run check; do
      extra=()
      [ "$mode" = check ] && extra=(--check)
      env "${case_env[@]}" timeout 10 "$leanon" run --config "$work/config.json" \
        "${case_args[@]}" "${extra[@]}" >"$work/got_out" 2>"$work/err"
      rc=$?
      sed -e "s|$work/config.json|CONFIG|g" -e "s|-o $user |-o USER |g" "$work/err" >"$work/got"
      if [ "$update" = --update ]; then
        [ "$mode" = run ] && cp "$work/got" "$dir/expected"
        continue
      fi
      expect "$name ($mode)" "$rc" "$dir/expected" /dev/null
    done
  done
}

case $kind in
responses) responses_cases "$@" ;;
config) config_cases "$@" ;;
*)
  echo "usage: test_invalid.sh responses|config LEANON ..." >&2
  exit 2
  ;;
esac
echo "$total checks, $failed failed"
[ "$failed" -eq 0 ] && { [ "$total" -gt 0 ] || $updating; }
