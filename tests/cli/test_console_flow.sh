#!/usr/bin/env bash
# test_console_flow.sh - drives the shipped `reflect` flow through `leanon
# console`, as a moderator would: every answer kind, skip, pause and resume,
# a crisis in the middle, the affirmation and tips, the finish; then leaving
# early. usage: test_console_flow.sh LEANON RESPONSES_DIR
set -euo pipefail
leanon=$1 responses=$2
fail=0
categories() { grep -o '^leanon \[rule [^],]*, category [a-z-]*\]' | sed 's/.*category \(.*\)\]/\1/' | tr '\n' ' '; }
expect() { # name, got, want
  if [ "$2" != "$3" ]; then echo "FAIL $1: got '$2', want '$3'"; fail=1; else echo "ok $1"; fi
}
full=$(printf '%s\n' reflect yes skip later resume "I want to die" resume no "not sure" \
  "I always have to be strong on my own" "I deserve deep relationships" maybe yes \
  "I want to try" | "$leanon" console --responses "$responses" --region GB)
expect "full flow" "$(categories <<<"$full")" \
  "reflect reflect reflect reflect reflect crisis-suicide reflect reflect reflect affirmation tips tips tips reflect "
grep -q '(1 of 5) Do you have the temptation to hunker down and handle it yourself?' <<<"$full" \
  || { echo "FAIL: question 1 missing"; fail=1; }
grep -q 'I deserve deep relationships. I deserve to be cared for and nurtured.' <<<"$full" \
  || { echo "FAIL: the affirmation missing"; fail=1; }
grep -q '116 123' <<<"$full" || { echo "FAIL: GB crisis line missing"; fail=1; }
grep -q 'Tip 3 of 3' <<<"$full" || { echo "FAIL: tip 3 missing"; fail=1; }
leave=$(printf '%s\n' reflect done "hi" | "$leanon" console --responses "$responses")
expect "leave early" "$(categories <<<"$leave")" "reflect reflect greeting "
exit $fail
