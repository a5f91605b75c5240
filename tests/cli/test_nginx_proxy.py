#!/usr/bin/env python3
"""test_nginx_proxy.py - the web chat behind a real nginx with TLS, as docs/hosting.md sets it
up, all on loopback: this test makes a self-signed certificate (openssl), starts `leanon run`
with a config it writes and nginx in front of it, then checks through nginx over TLS: the page
(200, the chat's HTML), /healthz ("ok"), /metrics refused by nginx (404, while leanon itself
serves it on its private port), and a websocket exchange on /chat (upgrade headers passed on,
the Origin accepted as the page's own): a message gets a reply frame. With nginx as the trusted
proxy, the per-address tab cap counts the address nginx saw (X-Forwarded-For), not nginx's own
and not what a client forged. A websocket from another origin is refused by leanon through the
proxy.
Usage: test_nginx_proxy.py LEANON RESPONSES"""
import base64
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

from checks import check, failures, finish

leanon, responses = sys.argv[1], sys.argv[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ws_open(context, port, origin, source="127.0.0.1", extra=""):
    """A TLS websocket to nginx's /chat from the loopback address source, with extra header
    lines; returns (socket, status line)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=20, source_address=(source, 0))
    tls = context.wrap_socket(raw, server_hostname="localhost")
    key = base64.b64encode(os.urandom(16)).decode()
    tls.sendall((f"GET /chat HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                 f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                 f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: leanon-chat\r\n"
                 f"Origin: {origin}\r\n{extra}\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = tls.recv(1)
        if not chunk:
            break
        head += chunk
    return tls, head.split(b"\r\n", 1)[0].decode(errors="replace")


def ws_send_text(tls, text):
    payload = text.encode()
    mask = os.urandom(4)
    assert len(payload) < 126
    frame = bytes([0x81, 0x80 | len(payload)]) + mask
    frame += bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    tls.sendall(frame)


def recv_exact(tls, n):
    data = b""
    while len(data) < n:
        chunk = tls.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def ws_read_text(tls):
    b0, b1 = recv_exact(tls, 2)
    length = b1 & 0x7F
    if length == 126:
        length = int.from_bytes(recv_exact(tls, 2), "big")
    elif length == 127:
        length = int.from_bytes(recv_exact(tls, 8), "big")
    return b0 & 0x0F, recv_exact(tls, length).decode()


nginx = shutil.which("nginx") or "/usr/sbin/nginx"
if not os.path.exists(nginx) or not shutil.which("openssl"):
    print("FAIL nginx and openssl are needed (Debian packages nginx, openssl; see .ci/setup)")
    sys.exit(1)

with tempfile.TemporaryDirectory() as tmp:
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    config = os.path.join(tmp, "leanon.json")
    with open(config, "w") as f:
        json.dump({"listen": "127.0.0.1:0", "optout_db": os.path.join(tmp, "optout.sqlite"),
                   "platforms": {"webchat": {"max_tabs_per_address": 2,
                                             "trusted_proxies": ["127.0.0.1"]}}}, f)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEANON_")}
    env["LEANON_RESPONSES"] = responses
    bot = subprocess.Popen([leanon, "run", "--config", config], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    bot_port = None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and bot_port is None:
        line = bot.stderr.readline()
        if not line:
            break
        m = re.search(r"event=listening .*port=(\d+)", line)
        bot_port = int(m.group(1)) if m else None
    check(bot_port is not None, "leanon run did not log its port")
    proxy_port = free_port()
    user = "user root;\n" if os.geteuid() == 0 else ""
    with open(os.path.join(tmp, "nginx.conf"), "w") as f:
        f.write(f"""{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    limit_conn_zone $binary_remote_addr zone=leanon_tabs:1m;
    server {{
        listen 127.0.0.1:{proxy_port} ssl;
        server_name localhost;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location = /metrics {{ return 404; }}
        location = /chat {{
            proxy_pass http://127.0.0.1:{bot_port};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $http_host;
            proxy_set_header Origin $http_origin;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 660s;
            limit_conn leanon_tabs 16;
        }}
        location / {{
            proxy_pass http://127.0.0.1:{bot_port};
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
        }}
    }}
}}
""")
    proxy = subprocess.Popen([nginx, "-p", tmp, "-e", os.path.join(tmp, "error.log"), "-c",
                              os.path.join(tmp, "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    context = ssl.create_default_context(cafile=cert)
    base = f"https://localhost:{proxy_port}"
    try:
        for _ in range(100):  # nginx listening
            try:
                socket.create_connection(("127.0.0.1", proxy_port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        def get(path, url=None):
            request = urllib.request.Request(url or base + path,
                                             headers={"Host": f"127.0.0.1:{proxy_port}"})
            try:
                with urllib.request.urlopen(request, context=context, timeout=20) as r:
                    return r.status, r.read().decode(errors="replace")
            except urllib.error.HTTPError as e:
                return e.code, e.read().decode(errors="replace")

        status, body = get("/")
        check(status == 200 and "<html" in body.lower() and "/chat" in body + get("/app.js")[1],
              f"the page through nginx: {status} {body[:80]!r}")
        status, body = get("/healthz")
        check((status, body.strip()) == (200, "ok"), f"/healthz through nginx: {status} {body!r}")
        status, _ = get("/metrics")
        check(status == 404, f"/metrics through nginx: {status}, want 404 (kept private)")
        with urllib.request.urlopen(f"http://127.0.0.1:{bot_port}/metrics", timeout=20) as r:
            check("leanon_" in r.read().decode(), "leanon's own /metrics has no leanon_ metric")

        tls, status_line = ws_open(context, proxy_port, f"https://127.0.0.1:{proxy_port}")
        check(" 101 " in status_line, f"websocket upgrade through nginx: {status_line!r}")
        if " 101 " in status_line:
            ws_send_text(tls, json.dumps({"type": "message", "text": "hello"}))
            opcode, text = ws_read_text(tls)
            reply = json.loads(text) if opcode == 1 else {}
            check(reply.get("type") == "reply" and reply.get("text"),
                  f"no reply frame through nginx: opcode {opcode} {text[:120]!r}")
        tls.close()
        # leanon trusts nginx (127.0.0.1), so its per-address cap (2) counts the address nginx
        # saw, whatever a client forges in its own X-Forwarded-For
        page = f"https://127.0.0.1:{proxy_port}"
        forged = "X-Forwarded-For: 203.0.113.1\r\n"
        tabs = [ws_open(context, proxy_port, page, "127.0.0.2", forged) for _ in range(2)]
        check(all(" 101 " in line for _, line in tabs),
              f"two tabs from 127.0.0.2 through nginx: {[line for _, line in tabs]}")
        third, status_line = ws_open(context, proxy_port, page, "127.0.0.2",
                                     "X-Forwarded-For: 203.0.113.2\r\n")
        check(" 101 " not in status_line,
              f"a third tab from 127.0.0.2 (forged header) passed the cap: {status_line!r}")
        other, status_line = ws_open(context, proxy_port, page, "127.0.0.3", forged)
        check(" 101 " in status_line, f"a tab from 127.0.0.3 was refused: {status_line!r}")
        for tab in [t for t, _ in tabs] + [third, other]:
            tab.close()
        tls, status_line = ws_open(context, proxy_port, "https://127.0.0.9")
        check(" 101 " not in status_line,
              f"a websocket from another origin was accepted: {status_line!r}")
        tls.close()
    finally:
        proxy.send_signal(signal.SIGQUIT)
        proxy.wait(timeout=20)
        bot.send_signal(signal.SIGTERM)
        rc = bot.wait(timeout=30)
        check(rc == 0, f"leanon run exit {rc} after SIGTERM")
        if failures and os.path.exists(os.path.join(tmp, "error.log")):
            print(open(os.path.join(tmp, "error.log")).read()[-2000:])
finish("nginx in front of leanon")
