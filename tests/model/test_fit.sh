#!/usr/bin/env bash
# test_fit.sh - the fitting tool: fitting twice on a fixture gives byte-identical
# models the engine reads back (--evaluate), a list naming a heldout file is
# refused with exit 2 and the exact message, and a bad label names its line;
# the same for the topic score (--topics).
# Usage: test_fit.sh FIT_RISK_MODEL (run in tests/model)
set -u
fit=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
check() { if [ "$2" != "$3" ]; then echo "$1: got [$2], want [$3]"; failed=1; fi; }

"$fit" --training data/TRAINING --out "$tmp/a.json" --bits 12 >"$tmp/a.out"; check "first fit" $? 0
"$fit" --training data/TRAINING --out "$tmp/b.json" --bits 12 >"$tmp/b.out"; check "second fit" $? 0
cmp -s "$tmp/a.json" "$tmp/b.json"; check "the two models are identical" $? 0
check "what the fit prints" "$(head -1 "$tmp/a.out")" \
  "training: 12 lines (6 crisis, 6 none) from 1 files, 12 hash bits"
grep -q '"hash_bits": 12' "$tmp/a.json"; check "hash_bits written" $? 0
[ -e "$tmp/a.json.tmp" ]; check "no temporary file left" $? 1

"$fit" --evaluate data/small.tsv --model "$tmp/a.json" >"$tmp/eval.out"; check "evaluate" $? 0
check "evaluate's first line" "$(head -1 "$tmp/eval.out")" \
  "$tmp/a.json on data/small.tsv: 12 lines (6 crisis, 6 none)"
check "evaluate's thresholds" "$(awk 'NR>2 && NR<8 {print $1}' "$tmp/eval.out" | tr '\n' ' ')" \
  "0.5 0.6 0.7 0.8 0.9 "

err=$("$fit" --training data/TRAINING-heldout --out "$tmp/c.json" --bits 12 2>&1 >/dev/null)
check "heldout exit status" $? 2
check "heldout message" "$err" "fit_risk_model: data/TRAINING-heldout: ../safety/heldout.tsv is held out for measuring and is never training data; take it out of the list"
[ -e "$tmp/c.json" ]; check "no model written after a refusal" $? 1

printf 'crisis-overdose\tpills\nmaybe\tnot a label\n' >"$tmp/bad.tsv"
echo "$tmp/bad.tsv" >"$tmp/LIST"
err=$("$fit" --training "$tmp/LIST" --out "$tmp/d.json" --bits 12 2>&1 >/dev/null)
check "bad label exit status" $? 2
check "bad label message" "$err" "fit_risk_model: $tmp/bad.tsv:2: a line must be label<TAB>message, the label \"none\" or \"crisis-...\""

# the topic score: deterministic, the rules' examples read from the set, other labels skipped
"$fit" --topics --training data/TOPICS --rules ../engine/data/set --out "$tmp/t1.json" \
  --bits 12 >"$tmp/t1.out"; check "first topic fit" $? 0
"$fit" --topics --training data/TOPICS --rules ../engine/data/set --out "$tmp/t2.json" \
  --bits 12 >"$tmp/t2.out"; check "second topic fit" $? 0
cmp -s "$tmp/t1.json" "$tmp/t2.json"; check "the two topic models are identical" $? 0
check "what the topic fit prints" "$(head -1 "$tmp/t1.out")" \
  "training: 17 lines in 2 classes (the examples of ../engine/data/set and 1 files; 2 lines of other labels skipped), 12 hash bits"
check "the topic classes" "$(grep -o '^      "[a-z-]*": {' "$tmp/t1.json" | tr -d ' {:"' | tr '\n' ' ')" \
  "fallback greeting "
err=$("$fit" --topics --training data/TOPICS-heldout --rules ../engine/data/set \
  --out "$tmp/t3.json" --bits 12 2>&1 >/dev/null)
check "topic heldout exit status" $? 2
check "topic heldout message" "$err" "fit_risk_model: data/TOPICS-heldout: ../content/heldout-topics.tsv is held out for measuring and is never training data; take it out of the list"

[ "$failed" -eq 0 ] && echo "ok: deterministic, read back, heldout and bad labels refused"
exit "$failed"
