#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] - builds the libFuzzer harnesses (build-fuzz, clang, ASan+UBSan)
# and runs each for SECONDS (default 30) on a temp copy of its seeds: tests/fuzz/corpus/<name>
# plus what shipped_seeds.py takes from responses/ and deploy/. Prints one line per harness,
# "PASS fuzz_<name>: N runs" or "FAIL fuzz_<name>: ...", and exits non-zero on any crash, leak,
# timeout or out-of-memory. Crash inputs are kept in $FUZZ_BUILDDIR/fuzz-artifacts.
# Env: FUZZ_BUILDDIR (default build-fuzz), FUZZ_JOBS (harnesses at once, default 2),
# FUZZ_ONLY (space-separated names to run, default all).
set -euo pipefail
seconds=${1:-30}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
builddir=${FUZZ_BUILDDIR:-$root/build-fuzz}
max_jobs=${FUZZ_JOBS:-2}
harnesses=(${FUZZ_ONLY:-load content message config discord_gateway discord_event discord_rest ratelimit webchat})

work=$(mktemp -d "${TMPDIR:-/tmp}/leanon-fuzz-run-XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" "$root" -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false >"$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }
fi
ninja -C "$builddir" "${harnesses[@]/#/tests/fuzz/fuzz_}" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; exit 1; }
artifacts="$builddir/fuzz-artifacts"
mkdir -p "$artifacts"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# Runs one harness; its whole output goes to $work/<name>.log.
run_one() {
  local name=$1 corpus="$work/$1.corpus" extra=()
  mkdir -p "$corpus"
  [ -d "$here/corpus/$name" ] && cp "$here/corpus/$name"/* "$corpus"/
  python3 "$here/shipped_seeds.py" "$name" "$corpus"
  # A message may be a long one: the web chat takes 4,000 bytes, JSON escapes make more.
  [ "$name" = message ] && extra+=(-max_len=16384)
  "$builddir/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/$name-" -print_final_stats=1 "${extra[@]}" "$corpus" \
    >"$work/$name.log" 2>&1
}

pids=()
for name in "${harnesses[@]}"; do
  while (( $(jobs -rp | wc -l) >= max_jobs )); do wait -n || true; done
  run_one "$name" & pids+=($!)
done
failed=0
for i in "${!harnesses[@]}"; do
  name=${harnesses[$i]}
  if wait "${pids[$i]}"; then
    echo "PASS fuzz_$name: $(grep -Eo 'Done [0-9]+ runs' "$work/$name.log" | awk '{print $2}') runs in ${seconds} s"
  else
    failed=$((failed + 1))
    echo "FAIL fuzz_$name: $(grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant broken|ALARM|.*deadly signal)' "$work/$name.log" | head -3 | tr '\n' ' ')"
    grep -E 'Test unit written to' "$work/$name.log" || true
    tail -n 60 "$work/$name.log"
  fi
done
exit $(( failed > 0 ))
