#!/usr/bin/env bash
# Runs the failover scenarios (two real nodes, fake agents, the edge simulator) at a fixed visit rate and
# prints, per scenario: requests, failures, availability, how long after the event traffic still went to
# node A, and how long after the recovery A took traffic again.
#   usage: bench/failover.sh [VISITS_PER_SECOND=200] [WINDOW_SECONDS=55] [EDGE_DEAD_AFTER_SECONDS=3] [SCENARIOS=all, e.g. "b,d'"]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o install -DskipTests 2>/dev/null || mvn -B -q install -DskipTests
mvn -B -q -pl launcher test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
cp="$PWD/launcher/target/test-classes:$PWD/launcher/target/classes:$(cat launcher/target/test-classpath.txt)"
exec java -cp "$cp" io.haflare.launcher.failover.FailoverBench "${1:-200}" "${2:-55}" "${3:-3}" ${4:+"$4"}
