#!/usr/bin/env bash
# test_clang_tidy.sh - clang-tidy (.clang-tidy: bugprone, the static analyser, cognitive
# complexity at most 25) finds nothing in the .c files of the build's compile_commands.json
# (all of them, or those a branch changed, see c_files.sh; a changed header checks every
# file), the headers they include with them. Fails naming each file:line:column.
# Skips (77) without clang-tidy, fails with CI=true.
# Usage: test_clang_tidy.sh SOURCE_ROOT BUILD_ROOT
set -uo pipefail
root=$1 build=$2
here=$(dirname "$0")
tool=$(command -v clang-tidy-14 || command -v clang-tidy) || {
    echo "clang-tidy is not installed (bash .ci/setup installs it)"
    [ "${CI:-}" = true ] && exit 1 || exit 77
}
mapfile -t changed < <(bash "$here/c_files.sh" "$root")
# the .c files the build compiles (the fuzz harnesses only in a -Dfuzz=true build)
mapfile -t compiled < <(python3 -c '
import json, os, sys
for e in json.load(open(sys.argv[1])):
    print(os.path.relpath(os.path.join(e["directory"], e["file"]), sys.argv[2]))
' "$build/compile_commands.json" "$root" | sort -u)
files=()
if printf '%s\n' "${changed[@]}" | grep -q '\.h$'; then
    files=("${compiled[@]}")
else
    mapfile -t files < <(comm -12 <(printf '%s\n' "${changed[@]}" | sort) \
                                  <(printf '%s\n' "${compiled[@]}"))
fi
cd "$root" || exit 1
echo "$tool on ${#files[@]} files"
((${#files[@]})) || exit 0
mapfile -t files < <(ls -S "${files[@]}") # the largest (slowest) first: a shorter tail
out=$(printf '%s\0' "${files[@]}" |
      xargs -0 -n 1 -P "$(nproc)" "$tool" -p "$build" --quiet 2>/dev/null)
rc=$?
# one line per finding, file:line:column first (the notes that explain a finding follow it)
grep -E '^[^ ].*:[0-9]+:[0-9]+: (error|warning):' <<<"$out" | sed "s#^$build/\.\./##; s#^\.\./##" | sort -u
[ "$rc" -eq 0 ] || { echo "clang-tidy found the above (exit $rc); see .clang-tidy"; exit 1; }
