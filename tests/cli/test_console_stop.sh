#!/usr/bin/env bash
# test_console_stop.sh - stop, opt out and a crisis while opted out, and the asks about the
# bot (why, a person, a region's lines), through `leanon console` with the shipped responses,
# as a moderator tries them: stop inside the reflect questions ends only the questions; stop
# outside them opts out, confirmed with the console's undo word; a crisis message then gets
# the crisis reply saying the bot stays, and it answers again (the 30 minutes themselves are
# tested on an injected clock in tests/bot/test_stop_and_crisis.c); opt out silences it again.
# usage: test_console_stop.sh LEANON RESPONSES_DIR
set -euo pipefail
leanon=$1 responses=$2
fail=0
categories() { grep -o '^leanon \[rule [^],]*, category [a-z-]*\]\|^(no reply' | sed 's/.*category \(.*\)\]/\1/; s/^(no reply/quiet/' | tr '\n' ' '; }
expect() { # name, got, want
  if [ "$2" != "$3" ]; then echo "FAIL $1: got '$2', want '$3'"; fail=1; else echo "ok $1"; fi
}
has() { # name, text, output
  if grep -qF -- "$2" <<<"$3"; then echo "ok $1"; else echo "FAIL $1: no '$2' in:"; echo "$3"; fail=1; fi
}
out=$(printf '%s\n' reflect stop hello stop hello "I want to kill myself" hello "opt out" hello \
  | "$leanon" console --responses "$responses")
expect "stop in a flow, then outside it, a crisis, opt out" "$(categories <<<"$out")" \
  "reflect reflect greeting command-stop quiet crisis-suicide greeting command-stop quiet "
has "the flow's leave answer" "Thank you for the time you gave this" "$out"
has "the opt-out says what it means and how to undo it here" \
  'Okay, you have opted out: I will not reply to you any more, here or anywhere else I am, until you write "start".' "$out"
has "the crisis reply says the bot stays" \
  "Because you reached out, I will stay with you here and answer you for the next 30 minutes" "$out"

asks=$(printf '%s\n' hello "why did you say that?" "I want to talk to a real person" "helpline uk" \
  "helpline narnia" | "$leanon" console --responses "$responses")
expect "why, a person, a region's lines" "$(categories <<<"$asks")" "greeting why human helpline helpline "
has "why names the kind of message" "You greeted me, so I said hello back." "$asks"
has "no people_contact: honest, with the lines" "I can't bring a person" "$asks"
has "helpline uk: the UK's lines" "Samaritans: call 116 123" "$asks"
has "an unknown region lists the known ones" 'I do not have lines for "narnia". The regions I know are: US (United States)' "$asks"
exit $fail
