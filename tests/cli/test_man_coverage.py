#!/usr/bin/env python3
"""test_man_coverage.py - the manual page (doc/leanon.1.scd) names every command of the binary,
every config key the run config and its platform sections accept, and every environment
variable the code reads, so that a new key or variable cannot ship undocumented.
Usage: test_man_coverage.py SOURCE_ROOT"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
man = (root / "doc/leanon.1.scd").read_text()


def key_arrays(path):
    """Every string in the C arrays named *_keys[] = {...} of a file."""
    text = (root / path).read_text()
    keys = []
    for body in re.findall(r"_keys\[\]\s*=\s*\{(.*?)\};", text, re.S):
        keys += re.findall(r'"([a-z_]+)"', body)
    return keys


commands = re.findall(r'strcmp\(argv\[1\], "([a-z]+)"\) == 0\)\s*return lo_cmd_',
                      (root / "src/app/main.c").read_text())
keys = key_arrays("src/app/config.c") + key_arrays("src/platforms/discord_config.c")
env = set()
for source in list((root / "src").rglob("*.c")) + list((root / "src").rglob("*.h")):
    text = source.read_text()
    env.update(re.findall(r'getenv\("([A-Z_]+)"\)', text))
    env.update(re.findall(r'"(LEANON_[A-Z_]+)"', text))  # variables named as string literals

missing = []
for cmd in commands:
    if not re.search(r"^## " + cmd + r"$", man, re.M):
        missing.append(f"command {cmd} (a '## {cmd}' section)")
for key in keys:
    if f"*{key}*" not in man:
        missing.append(f"config key {key}")
for name in sorted(env):
    if f"*{name}*" not in man and f"*${name}*" not in man:
        missing.append(f"environment variable {name}")
if len(commands) < 4 or len(keys) < 30:
    missing.append(f"the scan itself: {len(commands)} commands, {len(keys)} keys found")
for m in missing:
    print("the manual page does not describe", m)
print(f"{len(commands)} commands, {len(keys)} config keys, {len(env)} environment variables: "
      f"{len(missing)} missing")
sys.exit(1 if missing else 0)
