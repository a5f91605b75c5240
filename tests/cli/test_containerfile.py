#!/usr/bin/env python3
"""test_containerfile.py - a static check of deploy/container/Containerfile (no container
engine runs on the test machine, and building would pull images from a registry): two stages
on debian:bookworm-slim, the first named and copied from; every -dev library .ci/setup builds
with is installed in the build stage, with its runtime package in the final one; the final
stage runs as a non-root user, keeps state and responses in volumes (LEANON_RESPONSES names
the responses volume), listens on the port it exposes, checks /healthz on that port, sets no
secret, and runs `leanon run --check` before `leanon run`.
Usage: test_containerfile.py SOURCE_ROOT"""
import pathlib
import re
import sys

from checks import check, finish

root = pathlib.Path(sys.argv[1])
text = (root / "deploy/container/Containerfile").read_text()


# instructions, with continuation lines joined and comments dropped
lines = []
for raw in re.sub(r"\\\n", " ", text).splitlines():
    if raw.strip() and not raw.lstrip().startswith("#"):
        lines.append(raw.strip())
stages = []
for line in lines:
    if line.upper().startswith("FROM "):
        stages.append([line])
    elif stages:
        stages[-1].append(line)
check(len(stages) == 2, f"{len(stages)} stages, want 2 (build and run)")
if len(stages) != 2:
    sys.exit(1)
build, final = stages
froms = [s[0].split() for s in stages]
check(all(f[1] == "debian:bookworm-slim" for f in froms), f"base images: {froms}")
name = froms[0][3] if len(froms[0]) == 4 and froms[0][2].upper() == "AS" else None
check(name is not None, "the build stage has no name (FROM ... AS build)")
check(all(f"--from={name}" in l for l in final if l.startswith("COPY")),
      "the final stage copies from something other than the build stage")


def installed(stage):
    pkgs = set()
    for line in stage:
        if "apt-get install" in line:
            pkgs.update(w for w in line.split("apt-get install", 1)[1].split()
                        if re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", w))
    return pkgs


setup = (root / ".ci/setup").read_text()
build_libs = set(re.findall(r"\b(lib[a-z0-9-]+-dev|libwebsockets-evlib-uv)\b",
                            setup.split("# the fuzzers")[0] + "libsystemd-dev"))
check(len(build_libs) >= 10, f"only {sorted(build_libs)} read from .ci/setup")
build_pkgs, final_pkgs = installed(build), installed(final)
for lib in sorted(build_libs):
    check(lib in build_pkgs, f"the build stage does not install {lib} (.ci/setup builds with it)")
runtime = {"libjansson-dev": "libjansson4", "libutf8proc-dev": "libutf8proc2",
           "libcurl4-openssl-dev": "libcurl4", "libwebsockets-dev": "libwebsockets17",
           "libwebsockets-evlib-uv": "libwebsockets-evlib-uv", "libuv1-dev": "libuv1",
           "libssl-dev": "libssl3", "libsqlite3-dev": "libsqlite3-0",
           "liblinear-dev": "liblinear4", "libsystemd-dev": "libsystemd0"}
for dev, lib in runtime.items():
    check(lib in final_pkgs, f"the final stage lacks {lib}, the runtime of {dev}")
check(not any(p.endswith("-dev") for p in final_pkgs), "a -dev package in the final stage")

users = [l.split()[1] for l in final if l.upper().startswith("USER ")]
check(users and users[-1] not in ("root", "0"), f"the final stage runs as {users or 'root'}")
volumes = " ".join(l for l in final if l.upper().startswith("VOLUME"))
env = " ".join(l for l in final if l.upper().startswith("ENV"))
check("/var/lib/leanon" in volumes and "/responses" in volumes, f"volumes: {volumes!r}")
check("LEANON_RESPONSES=/responses" in env, "LEANON_RESPONSES does not name the volume")
check("LEANON_OPTOUT_DB=/var/lib/leanon/" in env, "the opt-out store is not in the state volume")
check(not re.search(r"TOKEN=|SECRET|PASSWORD", env), "a secret in ENV")
listen = re.search(r"LEANON_LISTEN=[0-9.]+:(\d+)", env)
expose = [l.split()[1] for l in final if l.upper().startswith("EXPOSE")]
health = [l for l in final if l.upper().startswith("HEALTHCHECK")]
check(listen and expose == [listen.group(1)], f"listens on {listen and listen.group(1)}, "
      f"exposes {expose}")
check(len(health) == 1 and listen and f"127.0.0.1:{listen.group(1)}/healthz" in health[0],
      f"HEALTHCHECK is not on /healthz of the listen port: {health}")
check(any(l.startswith("COPY") and l.split()[-1] == "/usr/share/leanon" for l in final),
      "the final stage does not keep the shipped set in /usr/share/leanon (Kubernetes seeds it)")
entry = [l for l in final if l.upper().startswith("ENTRYPOINT")]
check(len(entry) == 1 and "--check" in entry[0] and "exec leanon run" in entry[0],
      f"the entrypoint does not check before running: {entry}")
finish("Containerfile")
