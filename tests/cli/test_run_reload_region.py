#!/usr/bin/env python3
"""test_run_reload_region.py - a reload may not drop a region the config uses: `leanon run` with
LEANON_REGION=US on a copy of the fixture set; the copy is edited to remove "US" and SIGHUP
sent: the reload is refused (responses.refused naming the unknown region, reload.refused
kept=last_good_set) and the process keeps serving; with "US" back, the next SIGHUP reloads.
Usage: test_run_reload_region.py LEANON FIXTURE_SET"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from checks import check, finish

leanon, fixture = sys.argv[1], sys.argv[2]


def wait_for(proc, text, seconds):
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return line, seen
    return None, seen


with tempfile.TemporaryDirectory() as tmp:
    responses = os.path.join(tmp, "set")
    shutil.copytree(fixture, responses)
    safety_path = os.path.join(responses, "safety.json")
    with open(safety_path) as f:
        safety = json.load(f)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEANON_")}
    env.update(LEANON_REGION="US", XDG_STATE_HOME=os.path.join(tmp, "state"))
    proc = subprocess.Popen([leanon, "run", "--listen", "127.0.0.1:0", "--responses", responses],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line, _ = wait_for(proc, "event=listening", 90)
    check(line is not None, "leanon run did not start")
    # the watcher may also see the edit; either way the reload must be refused
    without_us = dict(safety, regions={k: v for k, v in safety["regions"].items() if k != "US"})
    with open(safety_path + ".new", "w") as f:
        json.dump(without_us, f)
    os.replace(safety_path + ".new", safety_path)
    time.sleep(0.5)
    proc.send_signal(signal.SIGHUP)
    line, seen = wait_for(proc, "event=reload.refused", 60)
    check(line is not None and "kept=last_good_set" in line, f"no reload.refused: {seen}")
    refused = [l for l in seen if "event=responses.refused" in l]
    check(refused and 'LEANON_REGION: error: unknown region \\"US\\"' in refused[0],
          f"responses.refused does not name the region: {refused}")
    check(proc.poll() is None, "leanon run stopped after a refused reload")
    with open(safety_path + ".new", "w") as f:
        json.dump(safety, f)
    os.replace(safety_path + ".new", safety_path)
    time.sleep(0.5)
    proc.send_signal(signal.SIGHUP)
    line, seen = wait_for(proc, "event=reload.ok", 60)
    check(line is not None, f"no reload.ok once US is back: {seen}")
    proc.send_signal(signal.SIGTERM)
    check(proc.wait(timeout=30) == 0, "exit after SIGTERM is not 0")
finish("reload and regions")
