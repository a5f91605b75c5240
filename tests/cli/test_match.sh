#!/usr/bin/env bash
# test_match.sh - `leanon match` as the batch interface: 100,000 lines in,
# exactly 100,000 JSON lines out, the same for the same seed, crisis flagged.
# usage: test_match.sh LEANON RESPONSES_DIR
set -euo pipefail
leanon=$1 responses=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 20000); do
  printf 'hi\nI feel so lonely tonight\nI want to die\n\nkms %s\n' "$i"
done > "$tmp/in.txt"
"$leanon" match --responses "$responses" --seed 7 < "$tmp/in.txt" > "$tmp/a.txt"
"$leanon" match --responses "$responses" --seed 7 < "$tmp/in.txt" > "$tmp/b.txt"
lines=$(wc -l < "$tmp/a.txt")
[ "$lines" -eq 100000 ] || { echo "expected 100000 lines, got $lines"; exit 1; }
cmp -s "$tmp/a.txt" "$tmp/b.txt" || { echo "same seed gave different output"; exit 1; }
crisis=$(grep -c '"crisis":true' "$tmp/a.txt")
[ "$crisis" -eq 40000 ] || { echo "expected 40000 crisis lines, got $crisis"; exit 1; }
sed -n 3p "$tmp/a.txt" | grep -q '"category":"crisis-suicide"' || { echo "line 3 not crisis-suicide"; exit 1; }
sed -n 1p "$tmp/a.txt" | grep -q '"rule":"greeting"' || { echo "line 1 not greeting"; exit 1; }
echo "match: 100000 lines, deterministic, 40000 crisis"
