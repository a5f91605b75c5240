#!/usr/bin/env bash
# test_run_descriptors.sh - `leanon run` raises the soft descriptor limit to the
# hard one (each web chat tab holds three descriptors), logs it, and derives
# max_connections from the raised limit.
# usage: test_run_descriptors.sh LEANON RESPONSES_DIR
set -euo pipefail
leanon=$1 responses=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then hard=$(python3 -c 'import resource; print(resource.RLIM_INFINITY)'); fi
[ "$hard" -gt 256 ] || { echo "the hard limit $hard leaves nothing to raise"; exit 1; }
printf '{"optout_db": "%s/optout.sqlite"}\n' "$tmp" > "$tmp/leanon.json"
( ulimit -Sn 256; exec "$leanon" run --config "$tmp/leanon.json" --responses "$responses" \
    --listen 127.0.0.1:0 ) 2> "$tmp/stderr" &
pid=$!
for _ in $(seq 100); do grep -q "event=listening" "$tmp/stderr" && break; sleep 0.1; done
cat "$tmp/stderr"
grep -qF "event=descriptors.raised from=256 to=$hard" "$tmp/stderr" \
  || { echo "no descriptors.raised line from 256 to $hard"; exit 1; }
want=$(( (hard - 64) / 3 ))
[ "$want" -gt 1000000 ] || [ "$want" -lt 0 ] && want=1000000
grep -q "max_connections=$want\b" "$tmp/stderr" \
  || { echo "max_connections is not ($hard - 64) / 3 = $want"; exit 1; }
echo "run: descriptor limit raised from 256 to $hard, max_connections=$want"
