#!/usr/bin/env bash
# A/B of two node commands (two builds, or one build with two sets of JVM options): both nodes side by side on
# CPU 0, wrk on CPU 1, paired runs in alternating order, a fresh pair of processes for each set, since two
# processes started the same way differ by up to 4 % for their whole life (bench/FINDINGS.md). Prints every
# pair, then per set the median of B/A req/s, the median of B's p99 minus A's and in how many pairs B's p99
# was the lower. A change is worth keeping when the sets agree.
#
#   A="java -jar old.jar" B="java -jar dist/target/haflare-node.jar" bench/ab-node.sh articles
#   A="java -jar dist/target/haflare-node.jar" B="java -Xmn64m -jar dist/target/haflare-node.jar" bench/ab-node.sh
#
# Workload: page (the default), articles or image. SETS=4 PAIRS=10 DURATION=3 (seconds per run).
set -euo pipefail
DURATION=${DURATION:-3}
# shellcheck source=bench/serve-vs-nginx.sh disable=SC1091
source "$(dirname "$0")/serve-vs-nginx.sh" # the corpus, the wrk runner, the tools
A=${A:-$NODE_CMD}
B=${B:-$NODE_CMD}
SETS=${SETS:-4}
PAIRS=${PAIRS:-10}
WORKLOAD=${1:-page}
A_PORT=18091
B_PORT=18092

# "path conns wrk-args..." for a workload
workload() {
  case $1 in
    page) echo "/ 64 -H Accept-Encoding:gzip" ;;
    articles) echo "/ 64 -s $WORK/articles.lua" ;;
    image) echo "/images/photo.jpg 64" ;;
    *) echo "unknown workload '$1': page, articles or image" >&2; exit 2 ;;
  esac
}

# runs a workload against a port: "req/s p99_ms"
measure() {
  local port=$1 path conns args
  read -r path conns args < <(workload "$2")
  # shellcheck disable=SC2086 # args is a list of wrk arguments
  run_wrk "http://127.0.0.1:$port$path" "$conns" $args | awk '{print $1, $2}'
}

start_node() { # port, command
  # shellcheck disable=SC2086 # the command is a list of words
  start_and_time "$1" $2 --site "$CORPUS" --listen "127.0.0.1:$1" --access-log "$WORK/ab-$1.log" --admin off
}

stop_nodes() {
  local pid
  for pid in ${A_PID:-} ${B_PID:-}; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  A_PID=; B_PID=
  rm -f "$WORK/ab-$A_PORT.log" "$WORK/ab-$B_PORT.log"
}
trap stop_nodes EXIT

workload "$WORKLOAD" >/dev/null
install_missing
[ -f "$JAR" ] || mvn -B -q package -DskipTests
make_corpus
echo "A: $A"
echo "B: $B"
echo "$WORKLOAD, $SETS sets of $PAIRS pairs of ${DURATION} s runs, both nodes on CPU 0, wrk on CPU 1"
for set in $(seq 1 "$SETS"); do
  start_node "$A_PORT" "$A"; A_PID=$STARTED_PID
  start_node "$B_PORT" "$B"; B_PID=$STARTED_PID
  for _ in 1 2 3; do # the bench's warm-up: every workload in turn, on fresh connections
    for port in "$A_PORT" "$B_PORT"; do
      for w in page articles; do DURATION=4 measure "$port" "$w" >/dev/null; done
    done
  done
  for pair in $(seq 1 "$PAIRS"); do
    if [ $((pair % 2)) = 1 ]; then
      a=$(measure "$A_PORT" "$WORKLOAD"); b=$(measure "$B_PORT" "$WORKLOAD")
    else
      b=$(measure "$B_PORT" "$WORKLOAD"); a=$(measure "$A_PORT" "$WORKLOAD")
    fi
    echo "set $set pair $pair: A $a B $b"
  done | tee "$WORK/ab-set.txt"
  awk -v set="$set" '
    function median(v, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { n++; ratio[n] = $9 / $6; diff[n] = $10 - $7; if ($10 < $7) lower++ } # set S pair P: A rps p99 B rps p99
    END { printf "set %d: B/A req/s %.3f, p99 B minus A %+.3f ms, B with the lower p99 in %d of %d pairs\n",
          set, median(ratio, n), median(diff, n), lower, n }' "$WORK/ab-set.txt"
  stop_nodes
done
