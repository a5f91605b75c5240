#!/usr/bin/env bash
# test_circles.sh - the dependency-circle check finds a planted circle (exit 1,
# naming both files and the function that closes it), then the tree has none.
# Usage: test_circles.sh CHECKER SOURCE_ROOT
set -u
checker=$1 root=$2
out=$(python3 "$checker" "$root/tests/house/circle"); rc=$?
[ "$rc" -eq 1 ] || { echo "planted circle: exit $rc, want 1"; exit 1; }
grep -qx 'circle: a.c b.c' <<<"$out" || { echo "planted circle not named: $out"; exit 1; }
grep -q 'a.c -> b.c: lo_b' <<<"$out" || { echo "closing function not named: $out"; exit 1; }
out=$(python3 "$checker" "$root"/src/*/); rc=$?
echo "$out"
[ "$rc" -eq 0 ] || { echo "the tree has dependency circles (exit $rc)"; exit 1; }
echo "ok: planted circle found, none in src/"
