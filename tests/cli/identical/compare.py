#!/usr/bin/env python3
"""compare.py - leanon match output must not change by accident.

Runs `leanon match --seed 7`, and `leanon match --explain --json`, on every line of
the labelled corpora, and `leanon match` on 100,000 realistic lines made from them
(one or two corpus lines joined, in a fixed order), and compares a hash of each output
line with expected.txt. A refactor must leave every hash as it was; a deliberate change
of the response set or of matching is recorded with --update, and the commit says why.

Usage: compare.py LEANON RESPONSES EXPECTED [--update]
"""
import hashlib, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CORPORA = sorted((ROOT / "tests" / "safety").glob("*.tsv")) + [ROOT / "tests/content/messages.tsv"]


def corpus_lines():
    out = []
    for path in CORPORA:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "\t" in line:
                out.append(line.split("\t", 1)[1])
    return out


def realistic(lines, count=100_000):
    n = len(lines)
    made = []
    for i in range(count):
        a = lines[(i * 7919) % n]
        made.append(a if i % 3 else a + " " + lines[(i * 104729 + 13) % n])
    return made


def run(leanon, responses, args, lines):
    text = "".join(line.replace("\n", " ") + "\n" for line in lines)
    res = subprocess.run([leanon, "match", "--responses", responses, *args], input=text.encode(),
                         capture_output=True, timeout=600)
    if res.returncode != 0:
        sys.exit(f"leanon match {' '.join(args)} exited {res.returncode}: {res.stderr.decode()[:500]}")
    out = res.stdout.decode().splitlines()
    if len(out) != len(lines):
        sys.exit(f"leanon match {' '.join(args)}: {len(out)} output lines for {len(lines)} inputs")
    return out


def digest(s):
    return hashlib.sha256(s.encode()).hexdigest()[:16]


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    leanon, responses, expected = sys.argv[1:4]
    lines = corpus_lines()
    got = {}
    for name, args in (("match", ["--seed", "7"]), ("explain", ["--explain", "--json"])):
        for i, out in enumerate(run(leanon, responses, args, lines)):
            got[f"{name} {i + 1}"] = digest(out)
    big = run(leanon, responses, ["--seed", "7"], realistic(lines))
    got["match-100k all"] = digest("\n".join(big))
    if sys.argv[4:] == ["--update"]:
        Path(expected).write_text("".join(f"{k} {v}\n" for k, v in got.items()))
        print(f"recorded {len(got)} hashes in {expected}")
        return
    want = dict(l.rsplit(" ", 1) for l in Path(expected).read_text().splitlines())
    changed = [k for k in got if want.get(k) != got[k]] + [k for k in want if k not in got]
    for k in changed[:20]:
        kind, idx = k.split(" ")
        hint = lines[int(idx) - 1] if idx.isdigit() and int(idx) <= len(lines) else ""
        print(f"CHANGED {k}: {hint[:100]}")
    print(f"{len(got) - len(changed)} of {len(got)} outputs identical, {len(changed)} changed")
    sys.exit(1 if changed else 0)


main()
