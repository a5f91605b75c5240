#!/usr/bin/env python3
"""test_run_notify.py - `leanon run` under systemd's Type=notify protocol, with the socket this
test opens as NOTIFY_SOCKET: READY=1 arrives once it serves (after the "listening" log line),
WATCHDOG=1 arrives every half WATCHDOG_USEC while it runs (and never without WATCHDOG_USEC),
SIGHUP gives RELOADING=1 (with MONOTONIC_USEC) then READY=1, SIGTERM gives STOPPING=1 and exit 0.
Usage: test_run_notify.py LEANON RESPONSES"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

from checks import check, finish

leanon, responses = sys.argv[1], sys.argv[2]


def receive(sock, until, want=None):
    """Datagrams until `want` is in one or the deadline passes; returns them all."""
    got = []
    while time.monotonic() < until:
        sock.settimeout(max(0.01, until - time.monotonic()))
        try:
            got.append(sock.recv(4096).decode())
        except socket.timeout:
            break
        if want and want in got[-1]:
            break
    return got


def start(tmp, watchdog_usec):
    path = os.path.join(tmp, f"notify-{watchdog_usec}")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEANON_", "WATCHDOG_"))}
    env.update(NOTIFY_SOCKET=path, LEANON_RESPONSES=responses,
               XDG_STATE_HOME=os.path.join(tmp, "state"))
    if watchdog_usec:
        env["WATCHDOG_USEC"] = str(watchdog_usec)
    proc = subprocess.Popen([leanon, "run", "--listen", "127.0.0.1:0"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return sock, proc


def stop(sock, proc):
    proc.send_signal(signal.SIGTERM)
    got = receive(sock, time.monotonic() + 20, "STOPPING=1")
    check(any("STOPPING=1" in m for m in got), f"no STOPPING=1 after SIGTERM: {got}")
    rc = proc.wait(timeout=30)
    check(rc == 0, f"exit {rc} after SIGTERM")
    return proc.stderr.read()


with tempfile.TemporaryDirectory() as tmp:
    # with a watchdog of 0.4 s: pings every 0.2 s
    sock, proc = start(tmp, 400000)
    got = receive(sock, time.monotonic() + 90, "READY=1")
    check(got and got[-1].startswith("READY=1\nSTATUS=serving on 127.0.0.1:"),
          f"no READY=1 with a status: {got}")
    pings = [m for m in receive(sock, time.monotonic() + 1.5) if m == "WATCHDOG=1"]
    check(4 <= len(pings) <= 12, f"{len(pings)} WATCHDOG=1 in 1.5 s, want about 7")
    proc.send_signal(signal.SIGHUP)
    got = [m for m in receive(sock, time.monotonic() + 60, "READY=1") if m != "WATCHDOG=1"]
    check(len(got) == 2 and got[0].startswith("RELOADING=1\nMONOTONIC_USEC=") and
          got[1] == "READY=1", f"SIGHUP sent {got}, want RELOADING=1 then READY=1")
    log = stop(sock, proc)
    check("event=watchdog.on ping_ms=200" in log, "no watchdog.on log line with ping_ms=200")
    check(log.index("event=listening") < log.index("event=watchdog.on"),
          "the watchdog started before listening")
    sock.close()

    # without WATCHDOG_USEC: READY=1 and no pings
    sock, proc = start(tmp, 0)
    got = receive(sock, time.monotonic() + 90, "READY=1")
    check(got and got[-1].startswith("READY=1"), f"no READY=1 without a watchdog: {got}")
    later = receive(sock, time.monotonic() + 1.0)
    check(later == [], f"without WATCHDOG_USEC it sent {later}")
    stop(sock, proc)
    sock.close()
finish("sd_notify")
