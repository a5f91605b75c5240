#!/usr/bin/env bash
# test_cppcheck.sh - cppcheck (warning, style, performance, portability) finds nothing in
# the C files (all, or those a branch changed, see c_files.sh), read with leanon's include
# paths and jansson's macros (.cppcheck/jansson.cfg) so that no file is left unread.
# Fails naming each file:line:column. Skips (77) without cppcheck, fails with CI=true.
# Usage: test_cppcheck.sh SOURCE_ROOT BUILD_ROOT
set -uo pipefail
root=$1 build=$2
here=$(dirname "$0")
command -v cppcheck >/dev/null || {
    echo "cppcheck is not installed (bash .ci/setup installs it)"
    [ "${CI:-}" = true ] && exit 1 || exit 77
}
mapfile -t files < <(bash "$here/c_files.sh" "$root" | grep '\.c$')
cd "$root" || exit 1
echo "cppcheck on ${#files[@]} files"
((${#files[@]})) || exit 0
cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
    --std=c11 --library=posix --library=.cppcheck/jansson.cfg \
    --suppressions-list=.cppcheck/suppressions.txt --inline-suppr \
    -I include -I src -I "$build" -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
    --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
    -j "$(nproc)" "${files[@]}"
