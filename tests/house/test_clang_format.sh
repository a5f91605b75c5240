#!/usr/bin/env bash
# test_clang_format.sh - every C file (or each one a branch changed, see c_files.sh) is
# formatted as .clang-format says; fails naming each file:line clang-format would change.
# Fix with: clang-format -i FILE. Skips (77) without clang-format, fails with CI=true.
# Usage: test_clang_format.sh SOURCE_ROOT
set -uo pipefail
root=$1
here=$(dirname "$0")
tool=$(command -v clang-format-14 || command -v clang-format) || {
    echo "clang-format is not installed (bash .ci/setup installs it)"
    [ "${CI:-}" = true ] && exit 1 || exit 77
}
mapfile -t files < <(bash "$here/c_files.sh" "$root")
cd "$root" || exit 1
echo "$tool on ${#files[@]} files"
((${#files[@]})) || exit 0
printf '%s\0' "${files[@]}" | xargs -0 -n 20 -P "$(nproc)" "$tool" --style=file --dry-run --Werror
