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
# Workload: page (the default), articles or image. SETS=4 PAIRS=10 DURATION=3 (seconds per run); each set
# first gets the bench's warm-up (WARMUP_CYCLES=4).
set -euo pipefail
DURATION=${DURATION:-3}
# shellcheck source=bench/serve-vs-nginx.sh disable=SC1091
source "$(dirname "$0")/serve-vs-nginx.sh" # the corpus, the workloads, the warm-up, the wrk runner
A=${A:-$NODE_CMD}
B=${B:-$NODE_CMD}
SETS=${SETS:-4}
PAIRS=${PAIRS:-10}
WORKLOAD=${1:-page}
A_PORT=18091
B_PORT=18092

case $WORKLOAD in # the bench's workload numbers
  page) W=0 ;;
  articles) W=1 ;;
  image) W=2 ;;
  *) echo "unknown workload '$WORKLOAD': page, articles or image" >&2; exit 2 ;;
esac

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

install_missing
[ -f "$JAR" ] || mvn -B -q package -DskipTests
make_corpus
echo "A: $A"
echo "B: $B"
echo "$WORKLOAD, $SETS sets of $PAIRS pairs of ${DURATION} s runs, both nodes on CPU 0, wrk on CPU 1"
for set in $(seq 1 "$SETS"); do
  start_node "$A_PORT" "$A"; A_PID=$STARTED_PID
  start_node "$B_PORT" "$B"; B_PID=$STARTED_PID
  warm_up "$A_PORT" "$B_PORT"
  ratios=(); diffs=(); lower=0
  for pair in $(seq 1 "$PAIRS"); do
    if [ $((pair % 2)) = 1 ]; then
      read -r ar ap _ < <(run_workload "$A_PORT" "$W"); read -r br bp _ < <(run_workload "$B_PORT" "$W")
    else
      read -r br bp _ < <(run_workload "$B_PORT" "$W"); read -r ar ap _ < <(run_workload "$A_PORT" "$W")
    fi
    echo "set $set pair $pair: A $ar req/s, p99 $ap ms; B $br req/s, p99 $bp ms"
    ratios+=("$(awk -v a="$ar" -v b="$br" 'BEGIN {printf "%.3f", b / a}')")
    diffs+=("$(awk -v a="$ap" -v b="$bp" 'BEGIN {printf "%+.3f", b - a}')")
    lower=$((lower + $(awk -v a="$ap" -v b="$bp" 'BEGIN {print (b < a)}')))
  done
  echo "set $set: B/A req/s $(median "${ratios[@]}"), p99 B minus A $(median "${diffs[@]}") ms," \
    "B with the lower p99 in $lower of $PAIRS pairs"
  stop_nodes
done
