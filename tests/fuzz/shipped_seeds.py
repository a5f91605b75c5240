#!/usr/bin/env python3
"""shipped_seeds.py HARNESS OUTDIR - adds the seeds a fuzz harness takes from the shipped files
(so they are never copied into tests/fuzz/corpus and never go stale):
  load     every response file under responses/ (not the transcripts in tests/)
  content  responses/normalise/*.json and responses/safety/helplines.json, each alone and all
           merged into one file (the one the fixture set loads with)
  config   deploy/*.json
  message  each rule's examples and non-examples, one conversation per rule
Other harnesses take none."""
import json
import pathlib
import shutil
import sys

root = pathlib.Path(__file__).resolve().parents[2]
responses = root / "responses"


def response_files():
    return sorted(p for p in responses.rglob("*.json") if "tests" not in p.relative_to(responses).parts)


def copy(paths, out):
    for p in paths:
        shutil.copyfile(p, out / ("shipped-" + "-".join(p.relative_to(root).parts)))


def conversations(out):
    for p in response_files():
        doc = json.loads(p.read_text(encoding="utf-8"))
        for key in ("rules", "guards", "flows"):
            items = doc.get(key)
            for i, rule in enumerate(items if isinstance(items, list) else []):
                lines = [m for m in rule.get("examples", []) + rule.get("not", []) if isinstance(m, str)]
                if lines:
                    name = f"shipped-{p.stem}-{key}-{rule.get('id', i)}.txt"
                    (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def merged(paths, out):
    doc = {}
    for p in paths:
        for key, value in json.loads(p.read_text(encoding="utf-8")).items():
            if isinstance(value, dict) and isinstance(doc.get(key), dict):
                doc[key].update(value)
            else:
                doc[key] = value
    (out / "shipped-content-merged.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1),
                                                     encoding="utf-8")


def main():
    harness, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    if harness == "load":
        copy(response_files(), out)
    elif harness == "content":
        tables = sorted((responses / "normalise").glob("*.json")) + [responses / "safety" / "helplines.json"]
        copy(tables, out)
        merged(tables, out)
    elif harness == "config":
        copy(sorted((root / "deploy").glob("*.json")), out)
    elif harness == "message":
        conversations(out)


main()
