#!/usr/bin/env python3
"""known_words.py - writes responses/normalise/known-words-fr.json and -de.json.

Lists the real French and German words (Debian's wfrench and wngerman word lists,
accents stripped, 'ß' as 'ss') that are one letter away from a word of a positive
crisis signal (signals.json, signals-fr.json, signals-de.json) and are neither a
signal word nor an English word. leanon reads a message word it knows as itself,
never as a typo, so listing these keeps "getrunken" from being read as "betrunken".

    apt-get install wfrench wngerman
    python3 tools/known_words.py responses
"""
import collections
import json
import sys
import unicodedata

DICTS = {"fr": ("French", "wfrench", "/usr/share/dict/french"),
         "de": ("German", "wngerman", "/usr/share/dict/ngerman")}
ENGLISH = ["/usr/share/dict/american-english", "/usr/share/dict/british-english"]


def fold(w):
    w = unicodedata.normalize("NFKD", w.lower().replace("ß", "ss"))
    return "".join(c for c in w if not unicodedata.combining(c))


def signal_words(path):
    out = {}
    for sig in json.load(open(path))["signals"].values():
        for e in sig["words"]:
            for w in e.lstrip("=").replace("'", "").replace("-", " ").split():
                out.setdefault(w, set()).add(sig["weight"])
    return out


def dictionary(path):
    return {fold(l.strip()) for l in open(path, encoding="utf-8", errors="ignore")
            if l.strip() and "'" not in l}


def one_edit(a, b):
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def deletions(w):
    return {w} | {w[:i] + w[i + 1:] for i in range(len(w))}


def main(responses):
    words = {}
    for name in ("signals.json", "signals-fr.json", "signals-de.json"):
        for w, weights in signal_words(f"{responses}/safety/{name}").items():
            words.setdefault(w, set()).update(weights)
    targets = {w for w, ws in words.items() if any(x > 0 for x in ws) and len(w) >= 5}
    index = collections.defaultdict(set)
    for w in targets:
        for k in deletions(w):
            index[k].add(w)
    english = set().union(*(dictionary(p) for p in ENGLISH))
    for lang, (lname, package, path) in DICTS.items():
        keep = sorted(c for c in dictionary(path)
                      if len(c) >= 4 and c.isalpha() and c not in words and c not in english
                      and any(one_edit(c, w) for k in deletions(c) for w in index.get(k, ())))
        lines, line = [], ""
        for i, w in enumerate(keep):
            item = json.dumps(w, ensure_ascii=False) + ("," if i < len(keep) - 1 else "")
            cand = f"{line} {item}" if line else item
            if len(cand) > 92 and line:
                lines.append(line)
                line = item
            else:
                line = cand
        lines.append(line)
        comment = (f"Real {lname} words one letter away from a crisis signal word (from Debian's "
                   f"{package} word list, accents stripped). Listing them makes them known words, so "
                   "a message word like these is read as itself and never as a typo of the signal word "
                   "(as real English words never are). No pattern uses this list. Regenerate it when "
                   "signal words change (tools/known_words.py); see responses/safety/README.md, "
                   "'Other languages'.")
        text = ('{\n  "comment": ' + json.dumps(comment) + ',\n  "concepts": {\n    "known-words-'
                + lang + '": [\n      ' + "\n      ".join(lines) + "\n    ]\n  }\n}\n")
        json.loads(text)
        with open(f"{responses}/normalise/known-words-{lang}.json", "w") as f:
            f.write(text)
        print(f"{lang}: {len(keep)} words")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "responses")
