#!/usr/bin/env bash
# test_languages.sh - crisis replies and check-ins in the person's language on
# the shipped set, exactly as languages.expected has them: a Spanish crisis
# message gets the Spanish crisis reply with the lines of the community's
# region (Spain's, and the US's for a US community: the language never picks
# the lines), a Spanish check-in the Spanish question, English stays English,
# and --explain names the language. Web addresses in the replies are written
# as <link>: the test compares names, numbers and words, and its files hold no
# address that is not loopback.
# Usage: test_languages.sh LEANON RESPONSES_DIR EXPECTED [--update]
set -u
leanon=$1 responses=$2 expected=$3 update=${4:-}
got=$(mktemp)
trap 'rm -f "$got"' EXIT
run() { # region, message
  printf '%s\n' "$2" | "$leanon" match --responses "$responses" --region "$1" --seed 1
}
{
  run ES "estoy muy mal y no sé qué hacer, i want to die"
  run US "estoy muy mal y no sé qué hacer, i want to die"
  run ES "la cuerda, esta noche, estoy muy mal"
  run ES "I want to die"
  run ES "the bridge, tonight"
  printf '%s\n' "estoy muy mal y no sé qué hacer, i want to die" "asdf" "de" |
    "$leanon" match --responses "$responses" --explain | grep '^language:'
} 2>&1 | sed -E 's#https?://[^ "\\]+#<link>#g' >"$got"
if [ "$update" = --update ]; then
  cp "$got" "$expected"
  exit 0
fi
diff -u "$expected" "$got" && echo "languages: all replies as expected"
