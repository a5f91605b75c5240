#!/usr/bin/env bash
# c_files.sh - the C files (.c and .h, relative to SOURCE_ROOT) that the house checks read,
# one a line. With CI=true, LEANON_HOUSE_ALL=1, outside git or with no merge-base with
# main: every C file of the tree. Otherwise the files changed since the merge-base with main
# (committed, staged, unstaged or new), so a local run checks what a branch changed.
# Usage: c_files.sh SOURCE_ROOT
set -euo pipefail
cd "$1"
pathspec=('*.c' '*.h')
all() {
    if git rev-parse --git-dir >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard -- "${pathspec[@]}"
    else
        find src include tests tools bench -name '*.[ch]' | sort
    fi
}
if [ "${CI:-}" = true ] || [ "${LEANON_HOUSE_ALL:-}" = 1 ] ||
   ! base=$(git merge-base HEAD main 2>/dev/null); then
    all
    exit 0
fi
{ git diff --name-only --diff-filter=d "$base" -- "${pathspec[@]}"
  git ls-files --others --exclude-standard -- "${pathspec[@]}"; } | sort -u
