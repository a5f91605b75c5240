#!/usr/bin/env bash
# test_help.sh - `leanon --version`, `leanon --help` and `leanon COMMAND --help` for every
# command exit 0 with the usage on stdout and nothing on stderr; a wrong option or command exits
# 2 with what was wrong and the usage on stderr and nothing on stdout.
# Usage: test_help.sh LEANON VERSION
set -uo pipefail
leanon=$1 version=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
# expect NAME WANT_EXIT STDOUT_PATTERN STDERR_PATTERN -- ARGS...: an empty pattern means empty
expect() {
  local name=$1 want=$2 out_re=$3 err_re=$4
  shift 5
  "$leanon" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  local ok=1
  [ "$rc" -eq "$want" ] || ok=0
  if [ -z "$out_re" ]; then [ -s "$tmp/out" ] && ok=0; else grep -qE -- "$out_re" "$tmp/out" || ok=0; fi
  if [ -z "$err_re" ]; then [ -s "$tmp/err" ] && ok=0; else grep -qE -- "$err_re" "$tmp/err" || ok=0; fi
  if [ "$ok" -eq 0 ]; then
    echo "FAIL $name: exit $rc (want $want)"
    sed 's/^/  stdout: /' "$tmp/out"
    sed 's/^/  stderr: /' "$tmp/err"
    failed=$((failed + 1))
  fi
}
expect version 0 "^leanon ${version//./\\.}$" "" -- --version
[ "$(wc -l <"$tmp/out")" -eq 1 ] || { echo "FAIL --version prints more than one line"; failed=$((failed + 1)); }
expect top-help 0 "^usage: leanon <command>" "" -- --help
expect top-h 0 "^usage: leanon <command>" "" -- -h
expect no-command 2 "" "^usage: leanon <command>" --
expect unknown-command 2 "" '^leanon: unknown command "frob"' -- frob
expect unknown-top-option 2 "" '^leanon: unknown option "--frob"' -- --frob
for cmd in check match console run; do
  expect "$cmd-help" 0 "^usage: leanon $cmd( |$)" "" -- "$cmd" --help
  expect "$cmd-h" 0 "^usage: leanon $cmd( |$)" "" -- "$cmd" -h
  expect "$cmd-unknown-option" 2 "" "usage: leanon $cmd( |$)" -- "$cmd" --frobnicate
  grep -q -- '"--frobnicate"' "$tmp/err" || { echo "FAIL $cmd: the wrong option is not named"; failed=$((failed + 1)); }
done
# an option that needs a value, given none
expect match-seed-missing 2 "" 'incomplete option "--seed"' -- match --seed
expect run-config-missing 2 "" 'missing value after "--config"' -- run --config
echo "help and version: $failed failed"
[ "$failed" -eq 0 ]
