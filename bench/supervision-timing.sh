#!/usr/bin/env bash
# Measures the supervisor's reaction times on the real node (dist/target/haflare-node.jar) with the test
# fake agent (launcher test classes; the real cloudflared cannot be downloaded here), 20 trials each:
#   agent crash (SIGKILL)  -> new agent running       target: median <= 1.2 s
#   site broken (root gone) -> agent stopped           target: <= 3.5 s (no visitors: the 1 s probe finds it)
#   site repaired           -> agent started           target: <= 2.5 s
#   node SIGTERM            -> node exited             target: <= 1 s + the agent's drain
# Prints median and p95 per measure. TRIALS=5 bench/supervision-timing.sh for a quick look.
set -euo pipefail
cd "$(dirname "$0")/.."
# package compiles the test classes too (-DskipTests only skips running them): the fake agent lives there
[ -f dist/target/haflare-node.jar ] && [ -d launcher/target/test-classes/io/haflare/launcher/fake ] \
  || mvn -B -q package -DskipTests
exec python3 - "${TRIALS:-20}" <<'PY'
import base64, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time
from datetime import datetime

TRIALS = int(sys.argv[1])
root = os.getcwd()
work = tempfile.mkdtemp(prefix="supervision-")
site = os.path.join(work, "public"); os.makedirs(site)
open(os.path.join(site, "index.html"), "w").write("<h1>bench</h1>")
agent = os.path.join(work, "cloudflared")
cp = f"{root}/launcher/target/test-classes:{root}/launcher/target/classes"
open(agent, "w").write(f"#!/bin/sh\nexec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '{cp}' io.haflare.launcher.fake.FakeCloudflared \"$@\"\n")
os.chmod(agent, 0o755)
# a stable run of 2 s resets the backoff, so every crash trial measures the first restart delay (1 s)
config = os.path.join(work, "haflare.yml")
open(config, "w").write("tunnel:\n  restart:\n    resetAfter: 2s\n")

edge = socket.socket(); edge.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
edge.bind(("127.0.0.1", 0)); edge.listen(64)
def hold(c):
    # the edge side of the fake agent's tunnel protocol (TunnelWire): register, then answer its unregister
    try:
        f = c.makefile("rb")
        f.readline(); c.sendall(b"OK fra08\n")
        for line in f:
            if line.strip() == b"UNREGISTER": c.sendall(b"UNREGISTERED\n")
    except OSError: pass
def accept():
    while True:
        c, _ = edge.accept(); threading.Thread(target=hold, args=(c,), daemon=True).start()
threading.Thread(target=accept, daemon=True).start()

token = base64.b64encode(b'{"a":"0123456789abcdef0123456789abcdef","t":"6ff42ae2-765d-4adf-8112-31c55c1551ef","s":"c2VjcmV0"}').decode()
env = dict(os.environ, TUNNEL_TOKEN=token)
log_path = os.path.join(work, "node.log")

def start_node():
    log = open(log_path, "w")
    return subprocess.Popen(["java", "-jar", f"{root}/dist/target/haflare-node.jar", "run", "--config", config,
        "--site", site, "--listen", "127.0.0.1:0", "--cloudflared", agent, "--data-dir", os.path.join(work, "data"),
        "--access-log", "off", "--agent-arg", "--edge", "--agent-arg", "127.0.0.1:%d" % edge.getsockname()[1]],
        stdout=subprocess.DEVNULL, stderr=log, env=env)

def lines():
    return open(log_path).read().splitlines()

def stamp(line):
    return datetime.fromisoformat(line.split(" ")[0].replace("Z", "+00:00")).timestamp()

def wait_line(pattern, after, limit=60):
    deadline = time.time() + limit
    while time.time() < deadline:
        for l in lines():
            if re.search(pattern, l) and stamp(l) >= after - 0.002:
                return l
        time.sleep(0.01)
    raise SystemExit(f"timed out waiting for /{pattern}/ in the node log:\n" + "\n".join(lines()[-15:]))

def agent_pid(line):
    return int(re.search(r"agent started: pid (\d+)", line).group(1))

results = {k: [] for k in ("crash -> agent running", "site broken -> agent stopped", "site repaired -> agent started", "node SIGTERM -> node exited")}

node = start_node()
try:
    started = wait_line(r"agent started: pid", 0)
    wait_line(r"agent connected", 0)
    pid = agent_pid(started)
    for i in range(TRIALS):
        time.sleep(2.2)  # a stable run: the next crash is a first crash again
        t0 = time.time(); os.kill(pid, signal.SIGKILL)
        line = wait_line(r"agent started: pid", t0)
        results["crash -> agent running"].append(stamp(line) - t0)
        pid = agent_pid(line); wait_line(r"agent connected", t0)
    for i in range(TRIALS):
        aside = site + ".aside"
        t0 = time.time(); os.rename(site, aside)
        line = wait_line(r"agent pid \d+ stopped", t0)
        results["site broken -> agent stopped"].append(stamp(line) - t0)
        t1 = time.time(); os.rename(aside, site)
        line = wait_line(r"agent started: pid", t1)
        results["site repaired -> agent started"].append(stamp(line) - t1)
        wait_line(r"agent connected", t1)
finally:
    node.send_signal(signal.SIGTERM); node.wait(60)
for i in range(TRIALS):
    node = start_node()
    wait_line(r"agent connected", 0)
    t0 = time.time(); node.send_signal(signal.SIGTERM); code = node.wait(60)
    results["node SIGTERM -> node exited"].append(time.time() - t0)
    assert code == 0, f"node exited {code}"

print(f"\nsupervision timing, {TRIALS} trials each (defaults: probe every 1 s, 3 failures stop, 2 successes start,")
print("restart after 1 s; fake agent from the test classes, which drains at once when it has no request in flight)\n")
print("| measure | median s | p95 s | max s |")
print("| --- | --- | --- | --- |")
for name, values in results.items():
    values.sort()
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    print(f"| {name} | {statistics.median(values):.2f} | {p95:.2f} | {values[-1]:.2f} |")
shutil.rmtree(work, ignore_errors=True)
PY
