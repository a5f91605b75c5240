#!/usr/bin/env bash
# test_run_damaged_store.sh - `leanon run` with an opt-out store whose pages are
# damaged (issue 10) exits 1 before serving, with a message naming the file and
# what to do, and leaves the file as it was.
# usage: test_run_damaged_store.sh LEANON RESPONSES_DIR DAMAGED_STORE
set -euo pipefail
leanon=$1 responses=$2 damaged=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$damaged" "$tmp/optout.sqlite"
chmod u+w "$tmp/optout.sqlite"
printf '{"optout_db": "%s/optout.sqlite"}\n' "$tmp" > "$tmp/leanon.json"
rc=0
timeout 20 "$leanon" run --config "$tmp/leanon.json" --responses "$responses" \
  --listen 127.0.0.1:0 2> "$tmp/stderr" || rc=$?
cat "$tmp/stderr"
[ "$rc" -eq 1 ] || { echo "expected exit 1, got $rc"; exit 1; }
grep -qF "leanon run: opt-out store $tmp/optout.sqlite is damaged" "$tmp/stderr" \
  || { echo "the message does not name the damaged file"; exit 1; }
grep -qF "Move it aside (mv '$tmp/optout.sqlite' '$tmp/optout.sqlite.damaged')" "$tmp/stderr" \
  || { echo "the message does not say what to do"; exit 1; }
if grep -q "event=listening" "$tmp/stderr"; then echo "it started serving"; exit 1; fi
cmp -s "$damaged" "$tmp/optout.sqlite" || { echo "the damaged file was changed"; exit 1; }
echo "run: damaged opt-out store refused, exit 1"
