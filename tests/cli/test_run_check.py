#!/usr/bin/env python3
"""test_run_check.py - `leanon run --check` validates the config, the responses and every
platform section, then exits 0 without connecting anywhere or opening anything: its listen port
is held by this test (so a bind would fail), Discord's URLs point at a loopback socket that
counts connections (none may arrive), and the opt-out store is not created. The environment
overrides the config (LEANON_CONFIG, LEANON_LISTEN, LEANON_OPTOUT_DB) and the command line
overrides the environment. A missing token is exit 1.
Usage: test_run_check.py LEANON RESPONSES"""
import json
import os
import socket
import subprocess
import sys
import tempfile

from checks import check, finish

leanon, responses = sys.argv[1], sys.argv[2]


with tempfile.TemporaryDirectory() as tmp:
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen(1)
    held_port = held.getsockname()[1]
    counter = socket.socket()
    counter.bind(("127.0.0.1", 0))
    counter.listen(8)
    counter.setblocking(False)
    counter_port = counter.getsockname()[1]
    config = os.path.join(tmp, "leanon.json")
    store = os.path.join(tmp, "state", "optout.sqlite")
    os.mkdir(os.path.join(tmp, "state"))
    with open(config, "w") as f:
        json.dump({"listen": f"127.0.0.1:{held_port}", "optout_db": store,
                   "defaults": {"region": "US", "alert_channel": "123456789012345678"},
                   "platforms": {"webchat": {}, "discord": {
                       "api_base": f"http://127.0.0.1:{counter_port}/api/v10",
                       "gateway_url": f"ws://127.0.0.1:{counter_port}"}}}, f)
    base = {k: v for k, v in os.environ.items() if not k.startswith("LEANON_")}
    base.update(LEANON_RESPONSES=responses, LEANON_DISCORD_TOKEN="not-a-real-token",
                XDG_STATE_HOME=os.path.join(tmp, "xdg"))

    def run(args, **env):
        e = dict(base)
        e.update(env)
        return subprocess.run([leanon, "run", *args], env=e, capture_output=True, text=True,
                              timeout=60)

    p = run(["--config", config, "--check"])
    check(p.returncode == 0, f"--check on a good config: exit {p.returncode} ({p.stderr!r})")
    check(p.stderr == "", f"--check wrote to stderr: {p.stderr!r}")
    want = (f"leanon run --check: {config} is valid: ")
    check(p.stdout.startswith(want), f"--check says {p.stdout!r}")
    check(f"listen 127.0.0.1:{held_port}, opt-out store {store}, platforms: webchat discord;"
          " nothing was started\n" in p.stdout, f"--check summary {p.stdout!r}")
    try:
        counter.accept()
        check(False, "--check connected to the Discord URL")
    except BlockingIOError:
        pass
    check(not os.path.exists(store), "--check created the opt-out store")

    p = run(["--check"], LEANON_CONFIG=config, LEANON_LISTEN="127.0.0.1:4321",
            LEANON_OPTOUT_DB=os.path.join(tmp, "state", "other.sqlite"))
    check(p.returncode == 0 and f"{config} is valid" in p.stdout and
          "listen 127.0.0.1:4321," in p.stdout and "other.sqlite, platforms" in p.stdout,
          f"LEANON_CONFIG/LEANON_LISTEN/LEANON_OPTOUT_DB not used: {p.stdout!r} {p.stderr!r}")
    p = run(["--check", "--listen", "127.0.0.1:4322"], LEANON_CONFIG=config,
            LEANON_LISTEN="127.0.0.1:4321")
    check(p.returncode == 0 and "listen 127.0.0.1:4322," in p.stdout,
          f"--listen does not beat LEANON_LISTEN: {p.stdout!r} {p.stderr!r}")

    env = dict(base)
    del env["LEANON_DISCORD_TOKEN"]
    p = subprocess.run([leanon, "run", "--config", config, "--check"], env=env,
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 1 and p.stdout == "" and p.stderr ==
          "leanon run: discord: set the environment variable LEANON_DISCORD_TOKEN, or "
          "LEANON_DISCORD_TOKEN_FILE to a file holding the secret (under systemd: "
          "LoadCredential=LEANON_DISCORD_TOKEN:/path/to/file) (see docs/discord.md)\n",
          f"--check without a token: exit {p.returncode} {p.stderr!r}")
finish("leanon run --check")
