#!/usr/bin/env bash
# test_invalid.sh - every mistake a moderator can make in a response file, one
# folder each under invalid/: input.json is added to the valid fixture set as
# case.json, and `leanon check` must exit 1 with exactly the lines in expected on
# stderr (the set's folder written as SET), and nothing on stdout, or, for a
# mistake found by running the examples, exactly the lines in expected-stdout
# (and the explain command each such line gives must run and explain). `leanon run` on the first case must refuse
# to start, exit 1, and say what to do; a mistyped option is exit 2, not 1.
# Usage: test_invalid.sh LEANON FIXTURE_SET INVALID_DIR [--update]
set -u
leanon=$1 fixture=$2 cases=$3 update=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin_dir=$(cd "$(dirname "$leanon")" && pwd)
failed=0 total=0
for dir in "$cases"/*/; do
  name=$(basename "$dir")
  set_dir="$work/$name"
  cp -r "$fixture" "$set_dir"
  cp "$dir/input.json" "$set_dir/case.json"
  "$leanon" check --responses "$set_dir" >"$work/out" 2>"$work/err"
  rc=$?
  sed "s|$set_dir|SET|g" "$work/err" >"$work/got"
  sed "s|$set_dir|SET|g" "$work/out" >"$work/got_out"
  total=$((total + 1))
  if [ "$update" = --update ]; then
    cp "$work/got" "$dir/expected"
    [ -e "$dir/expected-stdout" ] && cp "$work/got_out" "$dir/expected-stdout"
    continue
  fi
  want_out=/dev/null
  [ -e "$dir/expected-stdout" ] && want_out="$dir/expected-stdout"
  if [ "$rc" -ne 1 ] || ! diff -u "$dir/expected" "$work/got" ||
    ! diff -u "$want_out" "$work/got_out"; then
    echo "FAIL $name: exit $rc (want 1), stdout $(wc -c <"$work/out") bytes"
    failed=$((failed + 1))
  fi
  # the command an "example ... instead" line gives runs as written and explains
  while IFS= read -r line; do
    command=${line#*see why with: }
    [ "$command" = "$line" ] && continue
    got=$(PATH="$bin_dir:$PATH" bash -c "$command" 2>&1)
    rc=$?
    total=$((total + 1))
    if [ "$rc" -ne 0 ] || ! grep -q '^answer: ' <<<"$got"; then
      echo "FAIL $name, the command in \"$line\": exit $rc, $(head -c 300 <<<"$got")"
      failed=$((failed + 1))
    fi
  done <"$work/out"
done
first=$(ls -d "$work"/*/ | head -1)
"$leanon" run --responses "$first" --listen 127.0.0.1:0 >/dev/null 2>"$work/run_err"
rc=$?
if [ "$rc" -ne 1 ] || ! tail -1 "$work/run_err" | grep -qF "has errors; run \`leanon check\`"; then
  echo "FAIL leanon run on a broken set: exit $rc (want 1): $(tail -1 "$work/run_err")"
  failed=$((failed + 1))
fi
"$leanon" check --responsez "$first" >/dev/null 2>"$work/opt_err"
rc=$?
if [ "$rc" -ne 2 ] || ! grep -qF 'unknown or incomplete option "--responsez"' "$work/opt_err"; then
  echo "FAIL a mistyped option: exit $rc (want 2): $(cat "$work/opt_err")"
  failed=$((failed + 1))
fi
echo "$total cases, $failed failed"
[ "$failed" -eq 0 ]
