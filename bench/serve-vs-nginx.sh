#!/usr/bin/env bash
# Serves the same generated corpus with haflare-node and with nginx (production config) at the same time,
# pins each server to CPU 0 and wrk to CPU 1, runs every workload interleaved (node, nginx, node, nginx ...)
# and prints req/s, p99 and the node/nginx ratio, plus idle RSS and time from start to the first 200.
# About 6 minutes; about 10 with FRESH_EACH_ROUND=1.
#
#   bench/serve-vs-nginx.sh            # full run
#   ROUNDS=1 DURATION=5 WARMUP_CYCLES=1 bench/serve-vs-nginx.sh   # quick look
#   FRESH_EACH_ROUND=1 bench/serve-vs-nginx.sh   # fresh, warmed-up servers for every round
#   NODE_CMD=dist/target/image/haflare-node/bin/haflare-node bench/serve-vs-nginx.sh
#                                      # the packaged launcher (mvn package -Pinstallers) instead of java -jar
#   HOST_HEADER=www.example.org bench/serve-vs-nginx.sh   # the Host cloudflared forwards (a site name) to both
set -euo pipefail
cd "$(dirname "$0")/.."

# Five rounds of 6 s rather than three of 10 s, the same time: this machine has bad spells of a few seconds
# that raise both servers' p99 twofold in whichever rounds they hit; a median of five outlasts two of them.
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-6}
WARMUP_CYCLES=${WARMUP_CYCLES:-4}
# Two node processes started the same way differ by up to 4 % in req/s for their whole life (A/A runs of
# two nodes side by side): the JIT inlines the request path differently depending on which methods it
# compiled first. FRESH_EACH_ROUND=1 restarts and warms up both servers before every round, so the median
# of rounds is a median of processes rather than one draw.
FRESH_EACH_ROUND=${FRESH_EACH_ROUND:-0}
CONNECTIONS=${CONNECTIONS:-64}
# Empty: wrk's own Host, 127.0.0.1:port. Undertow 2.3.27 checks an IP-literal Host with regular expressions on
# every request, a name with a table (bench/FINDINGS.md, "The Host header"); behind cloudflared it is a name.
HOST_HEADER=${HOST_HEADER:-}
NODE_PORT=${NODE_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
JAR=dist/target/haflare-node.jar
NODE_CMD=${NODE_CMD:-java -jar $JAR}
WORK=$(pwd)/bench/work
CORPUS=$WORK/corpus

install_missing() {
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v taskset >/dev/null || missing+=(util-linux)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

make_corpus() {
  [ -f "$CORPUS/.complete" ] && return
  rm -rf "$CORPUS" && mkdir -p "$CORPUS/articles" "$CORPUS/images" "$CORPUS/files"
  python3 - "$CORPUS" <<'PY'
import gzip, os, random, sys
root = sys.argv[1]
random.seed(42)
words = "static site replica tunnel edge origin cache header release deploy node health agent".split()
def page(title, size):
    head = f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head><body><h1>{title}</h1>\n"
    body = []
    n = len(head)
    while n < size - 20:
        p = "<p>" + " ".join(random.choice(words) for _ in range(12)) + "</p>\n"
        body.append(p); n += len(p)
    html = head + "".join(body)
    html += " " * max(0, size - 15 - len(html)) + "</body></html>\n"
    return html.encode()
index = page("Home", 8192)
open(f"{root}/index.html", "wb").write(index)
open(f"{root}/index.html.gz", "wb").write(gzip.compress(index, 9))
for i in range(1000):
    d = f"{root}/articles/{i:04d}"
    os.makedirs(d)
    open(f"{d}/index.html", "wb").write(page(f"Article {i}", 6144))
open(f"{root}/images/photo.jpg", "wb").write(os.urandom(250 * 1024))
open(f"{root}/files/big.bin", "wb").write(os.urandom(10 * 1024 * 1024))
PY
  cat > "$WORK/articles.lua" <<'LUA'
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format("/articles/%04d/", math.random(0, 999)))
end
LUA
  touch "$CORPUS/.complete"
}

nginx_conf() {
  mkdir -p "$WORK/nginx"
  cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $WORK/nginx/error.log warn;
pid $WORK/nginx/nginx.pid;
user root;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 75s;
  keepalive_requests 100000;
  open_file_cache max=10000 inactive=60s;
  open_file_cache_valid 60s;
  open_file_cache_errors on;
  gzip_static on;
  gzip on;
  gzip_types text/css text/javascript application/json image/svg+xml;
  access_log $WORK/nginx/access.log combined buffer=64k flush=1s;
  client_body_temp_path $WORK/nginx/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $CORPUS;
    index index.html;
    etag on;
  }
}
CONF
}

now_ns() { date +%s%N; }

# Time from exec to the first 200, polling every few ms; sets STARTED_MS and STARTED_PID
start_and_time() {
  local port=$1; shift
  local t0; t0=$(now_ns)
  taskset -c 0 "$@" >/dev/null 2>"$WORK/$port.err" &
  STARTED_PID=$!
  until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" 2>/dev/null | grep -q 200; do
    kill -0 "$STARTED_PID" 2>/dev/null || { echo "server on $port died: $(cat "$WORK/$port.err")" >&2; exit 1; }
    sleep 0.002
  done
  STARTED_MS=$(( ($(now_ns) - t0) / 1000000 ))
}

last_word() { local words=($1); echo "${words[-1]}"; }

rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

node_cmd() { echo $NODE_CMD --site "$CORPUS" --listen "127.0.0.1:$NODE_PORT" --access-log "$WORK/node-access.log"; }

start_servers() {
  start_and_time "$NODE_PORT" $(node_cmd); NODE_PID=$STARTED_PID
  start_and_time "$NGINX_PORT" nginx -c "$WORK/nginx/nginx.conf"; NGINX_PID=$STARTED_PID
}

stop_servers() {
  [ -n "${NODE_PID:-}" ] && kill "$NODE_PID" 2>/dev/null || true
  [ -n "${NGINX_PID:-}" ] && kill -QUIT "$NGINX_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  NODE_PID=; NGINX_PID=
  # a full run leaves about half a gigabyte of access log per server: the figures are what it is for
  rm -f "$WORK/node-access.log" "$WORK/nginx/access.log"
}
trap stop_servers EXIT

# Ticks the hypervisor gave to other guests, and all ticks, on the two CPUs the bench uses
steal_ticks() { awk '/^cpu[01] / {s += $9; t += $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9} END {print s, t}' /proc/stat; }

# wrk output → "req/s p99_ms steal_%" (steal: the share of the run's CPU time the host gave to other guests)
run_wrk() {
  local url=$1 conns=$2 extra=("${@:3}")
  local out s0 t0 s1 t1
  read -r s0 t0 < <(steal_ticks)
  out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${DURATION}s" --latency "${extra[@]}" "$url")
  read -r s1 t1 < <(steal_ticks)
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  [ -n "$errors" ] && echo "  wrk reported: $errors" >&2
  echo "$rps $p99 $(awk -v s=$((s1 - s0)) -v t=$((t1 - t0)) 'BEGIN {printf "%.1f", (t > 0 ? 100 * s / t : 0)}')"
}

# The workloads: what the table calls them, their path and connections; run_workload adds their wrk arguments
WORKLOAD_NAMES=("index.html 8 KB gzip" "random 6 KB article of 1000" "250 KB image" "10 MB file")
WORKLOAD_PATHS=("/" "/" "/images/photo.jpg" "/files/big.bin")
WORKLOAD_CONNS=("$CONNECTIONS" "$CONNECTIONS" "$CONNECTIONS" 8)

# Runs workload I (0-3) against PORT: "req/s p99_ms steal_%"
run_workload() {
  local port=$1 i=$2 args=()
  [ "$i" = 0 ] && args=(-H "Accept-Encoding: gzip")
  [ "$i" = 1 ] && args=(-s "$WORK/articles.lua")
  [ -n "$HOST_HEADER" ] && args+=(-H "Host: $HOST_HEADER")
  run_wrk "http://127.0.0.1:$port${WORKLOAD_PATHS[$i]}" "${WORKLOAD_CONNS[$i]}" "${args[@]}"
}

# Warm-up, the same for every server (the ports given): every workload in turn, WARMUP_CYCLES times, each run
# on fresh connections. A JIT that has only seen one long run compiles the serving loop for connections that
# never open or close; the next run's new connections throw that code away, and the first measured round would
# time the recompilation (p99 4-8 ms for ~10 s) rather than the server.
warm_up() {
  echo "warming up both servers (JIT, caches): $WARMUP_CYCLES cycles of every workload ..." >&2
  local i port
  for _ in $(seq "$WARMUP_CYCLES"); do
    for i in 0 1 2 3; do
      for port in "$@"; do
        DURATION=2 run_workload "$port" "$i" >/dev/null
      done
    done
  done
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

main() {
  install_missing
  [ -f "$JAR" ] || mvn -B -q package -DskipTests
  make_corpus
  nginx_conf
  mkdir -p "$WORK/nginx/tmp"
  rm -f "$WORK/node-access.log" "$WORK/nginx/access.log"

  # start-up: the median of 5 starts each, stopped again at once
  local node_starts=() nginx_starts=()
  for _ in 1 2 3 4 5; do
    start_and_time "$NODE_PORT" $(node_cmd); node_starts+=("$STARTED_MS")
    kill "$STARTED_PID"; wait "$STARTED_PID" 2>/dev/null || true
    start_and_time "$NGINX_PORT" nginx -c "$WORK/nginx/nginx.conf"; nginx_starts+=("$STARTED_MS")
    kill -QUIT "$STARTED_PID"; wait "$STARTED_PID" 2>/dev/null || true
  done
  NODE_START=$(median "${node_starts[@]}"); NGINX_START=$(median "${nginx_starts[@]}")

  start_servers
  sleep 2 # idle means idle: let start-up work settle before reading RSS
  NODE_IDLE_RSS=$(rss_mb "$NODE_PID")
  NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -1)
  NGINX_IDLE_RSS=$(awk -v a="$(rss_mb "$NGINX_PID")" -v b="$(rss_mb "$NGINX_WORKER")" 'BEGIN {printf "%.1f", a+b}')

  local -A rps p99
  local ratios=() p99_met=() steals=""
  local loaded=()
  for round in $(seq "$ROUNDS"); do
    if [ "$round" -gt 1 ] && [ "$FRESH_EACH_ROUND" = 1 ]; then
      loaded+=("$(rss_mb "$NODE_PID")")
      stop_servers
      start_servers
    fi
    if [ "$round" = 1 ] || [ "$FRESH_EACH_ROUND" = 1 ]; then
      warm_up "$NODE_PORT" "$NGINX_PORT"
    fi
    for i in 0 1 2 3; do
      for server in node nginx; do
        port=$NODE_PORT; [ "$server" = nginx ] && port=$NGINX_PORT
        read -r r p st < <(run_workload "$port" "$i")
        echo "round $round ${WORKLOAD_NAMES[$i]} $server: $r req/s, p99 $p ms, steal $st%" >&2
        rps[$server,$i]="${rps[$server,$i]:-} $r"
        p99[$server,$i]="${p99[$server,$i]:-} $p"
        steals="${steals:-} $st"
      done
      # the two runs of a round are seconds apart, so a slow spell of the host weighs less on their ratio
      ratios[$i]="${ratios[$i]:-} $(awk -v a="$(last_word "${rps[node,$i]}")" -v b="$r" 'BEGIN {printf "%.3f", a / b}')"
      p99_met[i]=$(( ${p99_met[i]:-0} + $(awk -v a="$(last_word "${p99[node,$i]}")" -v b="$p" 'BEGIN {print (a <= b)}') ))
    done
  done
  loaded+=("$(rss_mb "$NODE_PID")")
  NODE_LOADED_RSS=$(printf '%s\n' "${loaded[@]}" | sort -n | tail -1)

  echo
  echo "haflare-node vs nginx $(nginx -v 2>&1 | sed 's/.*\///'), $(nproc) cores, servers on CPU 0, wrk on CPU 1,"
  local fresh="on the same two processes"; [ "$FRESH_EACH_ROUND" = 1 ] && fresh="each on freshly started servers"
  echo "${ROUNDS} interleaved rounds of ${DURATION}s each, $fresh; median req/s and median p99 per workload"
  echo "Host header: ${HOST_HEADER:-127.0.0.1:port, as wrk sends it}"
  echo
  echo "| workload | conns | node req/s | nginx req/s | node/nginx | per round | node p99 ms | nginx p99 ms | node p99 ≤ nginx's |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for i in 0 1 2 3; do
    nr=$(median ${rps[node,$i]}); gr=$(median ${rps[nginx,$i]})
    np=$(median ${p99[node,$i]}); gp=$(median ${p99[nginx,$i]})
    ratio=$(awk -v a="$nr" -v b="$gr" 'BEGIN {printf "%.2f", a/b}')
    round_ratio=$(awk -v r="$(median ${ratios[$i]})" 'BEGIN {printf "%.2f", r}')
    echo "| ${WORKLOAD_NAMES[$i]} | ${WORKLOAD_CONNS[$i]} | $nr | $gr | ${ratio}x | ${round_ratio}x | $np | $gp | ${p99_met[$i]} of $ROUNDS rounds |"
  done
  echo
  echo "node/nginx: of the median req/s; per round: the median of each round's ratio of its two runs;"
  echo "the last column counts the rounds where the node's p99 was at or below nginx's."
  echo "CPU time the host gave to other guests (steal) during a run: median $(median $steals)%, worst" \
    "$(printf '%s\n' $steals | sort -n | tail -1)%; above a few percent, both servers' figures vary by as much."
  echo
  echo "node: $NODE_CMD"
  echo "| measure | node | nginx |"
  echo "| --- | --- | --- |"
  echo "| idle RSS (MB, nginx: master + worker) | $NODE_IDLE_RSS | $NGINX_IDLE_RSS |"
  echo "| RSS after the load (MB, the largest of the processes) | $NODE_LOADED_RSS | - |"
  echo "| start to first 200 (ms, median of 5) | $NODE_START | $NGINX_START |"
}

# bench/ab-node.sh sources this file for its corpus and wrk runner: then nothing runs
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
