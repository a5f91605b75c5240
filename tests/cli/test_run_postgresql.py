#!/usr/bin/env python3
"""test_run_postgresql.py - two `leanon run` processes sharing one real PostgreSQL
("store": "postgresql"), as docs/hosting.md sets them up, all on loopback: this test starts the
server (tests/bot/pg_server.sh: initdb in a temporary folder), then two bots with the same
config and LEANON_PG_DSN. A "stop" from a browser id on one bot is honoured by the other within
one second (the time is printed); the server is stopped and a crisis message still gets its
crisis reply at once, a "stop" said during the outage is confirmed (queued), and once the
server is back it reaches the other bot and the server. The connection string, which holds a
password here, is never in either bot's log. Exit 77 without the server binaries (not in CI).
Usage: test_run_postgresql.py LEANON RESPONSES PG_SERVER_SH"""
import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from checks import check, finish

leanon, responses, pg_server = sys.argv[1], sys.argv[2], sys.argv[3]
SECRET = "not-logged-secret"


def server(cmd, folder):
    return subprocess.run(["bash", pg_server, cmd, folder]).returncode


class Bot:
    """A leanon run process; its log lines are collected as they come."""

    def __init__(self, config, env):
        self.proc = subprocess.Popen([leanon, "run", "--config", config], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line)

    def wait_for(self, pattern, seconds, start=0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in self.lines[start:]:
                m = re.search(pattern, line)
                if m:
                    return m
            time.sleep(0.02)
        return None


def ws_open(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /chat HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: leanon-chat\r\n"
                  f"Origin: http://127.0.0.1:{port}\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert b" 101 " in head.split(b"\r\n", 1)[0], head
    return sock


def ws_send(sock, obj):
    payload = json.dumps(obj).encode()
    assert len(payload) < 126
    mask = os.urandom(4)
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask +
                 bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def ws_read(sock, seconds):
    """The next text frame as JSON, or None after seconds."""
    sock.settimeout(seconds)
    try:
        b0, b1 = recv_exact(sock, 2)
    except socket.timeout:
        return None
    length = b1 & 0x7F
    if length == 126:
        length = int.from_bytes(recv_exact(sock, 2), "big")
    elif length == 127:
        length = int.from_bytes(recv_exact(sock, 8), "big")
    return json.loads(recv_exact(sock, length).decode())


def say(port, browser, text, seconds=5):
    """Sends text as browser on a new tab; the frames that came within seconds, each with the
    monotonic time it arrived at as "_at"."""
    sock = ws_open(port)
    ws_send(sock, {"type": "message", "text": text, "browser": browser})
    frames = []
    while True:
        frame = ws_read(sock, seconds if not frames else 0.3)
        if frame is None:
            break
        frame["_at"] = time.monotonic()
        frames.append(frame)
    sock.close()
    return frames


def opted_out(frames):
    return any(f.get("type") == "opted_out" for f in frames)


def replied(frames):
    return any(f.get("type") == "reply" for f in frames)


folder = tempfile.mkdtemp(prefix="leanon-pg-")
made = server("init", folder)
if made != 0:
    subprocess.run(["rm", "-rf", folder])
    sys.exit(made)
bots = []
try:
    check(server("start", folder) == 0, "the PostgreSQL server did not start")
    port = open(os.path.join(folder, "port")).read().strip()
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "run.json")
        with open(config, "w") as f:
            json.dump({"store": "postgresql", "listen": "127.0.0.1:0"}, f)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEANON_")}
        env["LEANON_RESPONSES"] = responses
        env["LEANON_PG_DSN"] = (f"host=127.0.0.1 port={port} user=leanon dbname=postgres "
                                f"password={SECRET} sslmode=disable gssencmode=disable")
        bots = [Bot(config, env), Bot(config, env)]
        ports = []
        for bot in bots:
            m = bot.wait_for(r"event=listening .*port=(\d+)", 90)
            check(m is not None, "a bot did not log its port")
            ports.append(int(m.group(1)) if m else 0)
            check(bot.wait_for(r"event=optout\.pg\.connected", 30) is not None,
                  "a bot did not connect to PostgreSQL")
        one, two = ports
        browser = os.urandom(8).hex()
        check(replied(say(two, browser, "hello")) and not opted_out(say(two, browser, "hi")),
              "the other bot answers before the stop")
        frames = say(one, browser, "stop")
        check(replied(frames), "the stop on the first bot was not answered")
        said = frames[0]["_at"] if frames else time.monotonic()  # its reply: the stop is set
        honoured = None
        while time.monotonic() - said < 5 and honoured is None:
            frames = say(two, browser, "hello again", 2)
            if opted_out(frames):
                honoured = [f["_at"] for f in frames if f.get("type") == "opted_out"][0] - said
        check(honoured is not None and honoured < 1.0,
              f"the stop reached the other process in {honoured} s (want under 1 s)")
        print(f"a stop on one process was honoured by the other after {honoured * 1000:.0f} ms "
              "(from the stop's reply to the other's opted_out frame)" if honoured else "the stop never arrived")

        check(server("stop", folder) == 0, "the PostgreSQL server did not stop")
        for bot in bots:
            check(bot.wait_for(r"event=optout\.pg\.unavailable", 10) is not None,
                  "a bot did not notice the outage")
        start = time.monotonic()
        frames = say(two, os.urandom(8).hex(), "I want to kill myself")
        took = (frames[0]["_at"] if frames else time.monotonic()) - start
        check(any(f.get("type") == "reply" and f.get("crisis") for f in frames),
              f"no crisis reply during the outage: {frames}")
        check(took < 1.0, f"the crisis reply took {took:.2f} s during the outage")
        print(f"during the outage: a crisis reply in {took * 1000:.0f} ms")
        later = os.urandom(8).hex()
        frames = say(one, later, "stop")
        check(replied(frames), "a stop during the outage was not answered")
        check(not any("not saved" in f.get("text", "").lower() or
                      "couldn't" in f.get("text", "").lower() for f in frames),
              f"a queued stop was not confirmed: {frames}")
        check(opted_out(say(one, later, "hello")), "the queued stop is not honoured at once")
        mark = len(bots[1].lines)
        check(server("start", folder) == 0, "the PostgreSQL server did not start again")
        check(bots[1].wait_for(r"event=optout\.pg\.connected", 30, mark) is not None,
              "the other bot did not reconnect")
        deadline = time.monotonic() + 20
        arrived = False
        while time.monotonic() < deadline and not arrived:
            arrived = opted_out(say(two, later, "hello", 2))
        check(arrived, "the stop said during the outage never reached the other process")
        print("after the outage: the stop said during it is honoured by the other process"
              if arrived else "after the outage: the stop was lost")
        for bot in bots:
            bot.proc.send_signal(signal.SIGTERM)
            check(bot.proc.wait(timeout=30) == 0, "a bot did not stop cleanly")
        for bot in bots:
            log = "".join(bot.lines)
            check(SECRET not in log and "password=" not in log,
                  "the connection string is in a bot's log")
finally:
    for bot in bots:
        if bot.proc.poll() is None:
            bot.proc.kill()
    server("stop", folder)
    subprocess.run(["rm", "-rf", folder])
finish("test_run_postgresql")
