#!/usr/bin/env python3
"""test_kubernetes.py - an offline check of the kustomize base in deploy/kubernetes/base (no
cluster here): every file parses; every workload's selector matches its pod labels, and every
Service, PodDisruptionBudget and NetworkPolicy selects a workload; Service target ports and
probe ports name a container port, probes ask /healthz, and that port is the one the config
listens on; every mount names a volume, every volume a ConfigMap from the generator or a claim
that exists; pods run as non-root with resources set; the StatefulSet has as many replicas as
the Discord config's shard_count and takes LEANON_DISCORD_SHARD_ID from the pod index, with the
token file inside the mounted Secret. Each generated config passes `leanon run --check` (with
the shard id of the last pod).
Usage: test_kubernetes.py LEANON SOURCE_ROOT"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import yaml

from checks import check, failures

leanon, root = sys.argv[1], pathlib.Path(sys.argv[2])
base = root / "deploy/kubernetes/base"


kustomization = yaml.safe_load((base / "kustomization.yaml").read_text())
docs = []
for name in kustomization["resources"]:
    docs += [d for d in yaml.safe_load_all((base / name).read_text()) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
configs = {}
for gen in kustomization.get("configMapGenerator", []):
    for entry in gen["files"]:
        key, _, path = entry.partition("=")
        configs[gen["name"]] = (key, json.loads((base / path).read_text()), base / path)
claims = {d["metadata"]["name"] for d in by_kind.get("PersistentVolumeClaim", [])}
images = {i["name"] for i in kustomization.get("images", [])}
workloads = by_kind.get("Deployment", []) + by_kind.get("StatefulSet", [])
check(len(by_kind.get("Deployment", [])) == 1 and len(by_kind.get("StatefulSet", [])) == 1,
      "want one Deployment (web chat) and one StatefulSet (Discord)")


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def pod_labels(w):
    return w["spec"]["template"]["metadata"]["labels"]


for w in workloads:
    name = w["metadata"]["name"]
    spec, pod = w["spec"], w["spec"]["template"]["spec"]
    check(selects(spec["selector"]["matchLabels"], pod_labels(w)),
          f"{name}: the selector does not match the pod labels")
    check(pod.get("securityContext", {}).get("runAsNonRoot") is True, f"{name}: not non-root")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    volumes.update({t["metadata"]["name"]: {"claim": True}
                    for t in spec.get("volumeClaimTemplates", [])})
    for v in volumes.values():
        if "configMap" in v:
            check(v["configMap"]["name"] in configs, f"{name}: no ConfigMap {v['configMap']}")
        if "persistentVolumeClaim" in v:
            check(v["persistentVolumeClaim"]["claimName"] in claims,
                  f"{name}: no claim {v['persistentVolumeClaim']['claimName']}")
    for c in pod.get("initContainers", []) + pod["containers"]:
        check(c["image"].split(":")[0] in images, f"{name}/{c['name']}: image {c['image']}")
        for m in c.get("volumeMounts", []):
            check(m["name"] in volumes, f"{name}/{c['name']}: mount of unknown volume {m['name']}")
    c = pod["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    for probe in ("readinessProbe", "livenessProbe"):
        get = c.get(probe, {}).get("httpGet", {})
        check(get.get("path") == "/healthz" and get.get("port") in ports,
              f"{name}: {probe} is not /healthz on a container port: {get}")
    check(c.get("resources", {}).get("requests") and c["resources"].get("limits"),
          f"{name}: no resource requests and limits")
    config_volume = next((v for v in volumes.values() if "configMap" in v), None)
    if config_volume:
        _, config, _ = configs[config_volume["configMap"]["name"]]
        port = int(config["listen"].rsplit(":", 1)[1])
        check(port in ports.values(), f"{name}: the config listens on {port}, not a container port")
    w["_ports"] = ports

for s in by_kind.get("Service", []):
    targets = [w for w in workloads if selects(s["spec"]["selector"], pod_labels(w))]
    check(len(targets) == 1, f"Service {s['metadata']['name']} selects {len(targets)} workloads")
    for p in s["spec"]["ports"]:
        check(all(p["targetPort"] in w["_ports"] for w in targets),
              f"Service {s['metadata']['name']}: targetPort {p['targetPort']} is no container port")
for kind in ("PodDisruptionBudget", "NetworkPolicy"):
    for d in by_kind.get(kind, []):
        sel = d["spec"].get("selector", d["spec"].get("podSelector", {})).get("matchLabels")
        check(any(selects(sel, pod_labels(w)) for w in workloads),
              f"{kind} {d['metadata']['name']} selects no workload")
check(by_kind.get("PodDisruptionBudget") and by_kind.get("NetworkPolicy"),
      "no PodDisruptionBudget or NetworkPolicy")

for sts in by_kind.get("StatefulSet", []):
    pod = sts["spec"]["template"]["spec"]
    c = pod["containers"][0]
    env = {e["name"]: e for e in c.get("env", [])}
    shard = env.get("LEANON_DISCORD_SHARD_ID", {}).get("valueFrom", {}).get("fieldRef", {})
    check(shard.get("fieldPath") == "metadata.labels['apps.kubernetes.io/pod-index']",
          f"the shard id is not the pod index: {shard}")
    config_name = next(v["configMap"]["name"] for v in pod["volumes"] if "configMap" in v)
    _, config, _ = configs[config_name]
    count = config["platforms"]["discord"]["shard_count"]
    check(sts["spec"]["replicas"] == count,
          f"StatefulSet replicas {sts['spec']['replicas']} != shard_count {count}")
    token_file = env.get("LEANON_DISCORD_TOKEN_FILE", {}).get("value", "")
    secret_mounts = [m["mountPath"] for m in c["volumeMounts"]
                     if "secret" in next((v for v in pod["volumes"] if v["name"] == m["name"]), {})]
    check(any(token_file.startswith(p + "/") for p in secret_mounts),
          f"the token file {token_file!r} is not in a mounted Secret {secret_mounts}")

with tempfile.TemporaryDirectory() as tmp:
    token = os.path.join(tmp, "token")
    with open(token, "w") as f:
        f.write("not-a-real-token\n")
    for name, (_, config, path) in configs.items():
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEANON_")}
        env.update(LEANON_OPTOUT_DB=os.path.join(tmp, "optout.sqlite"),
                   LEANON_DISCORD_TOKEN_FILE=token)
        if "discord" in config.get("platforms", {}):
            env["LEANON_DISCORD_SHARD_ID"] = str(config["platforms"]["discord"]["shard_count"] - 1)
        p = subprocess.run([leanon, "run", "--config", str(path), "--check", "--responses",
                            str(root / "responses")], env=env, capture_output=True, text=True,
                           timeout=120)
        check(p.returncode == 0 and "is valid" in p.stdout,
              f"{name}: leanon run --check exit {p.returncode}: {p.stderr.strip()}")
print(f"kubernetes base: {len(docs)} objects, {len(failures)} failed")
sys.exit(1 if failures else 0)
