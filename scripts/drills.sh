#!/usr/bin/env bash
# Fault drills on the local cluster (scripts/cluster.sh) under a modest background load (4 users through nginx, about
# 12 requests/s of chart reads, lists, public reads and chart writes). Each drill prints the background's statuses
# before / during / after the fault and "acknowledged vs found stored afterwards" (Benchmarks/load/drills.py):
#
#   kill-export  instance 1 killed (kill -9) just after accepting a batch of 6 PNG exports; the others finish it
#                (Wolverine hands a dead node's work over after about a minute; TAKEOVER_TIMEOUT=300 s)
#   redis        Redis stopped for REDIS_DOWN_SECONDS (30): reads keep working, limits fall back locally, no 500s
#   postgres     scripts/cluster.sh pg-restart PG_DOWN_SECONDS (6): 503 + Retry-After while down, no 201 lost
#   s3           s3rver stopped for S3_DOWN_SECONDS (20): uploads get 503, no source record without its file
#   chromium     every Chromium process of instance 2 killed: the next export through instance 2 succeeds
#
#   scripts/drills.sh                 # all of them, in that order
#   scripts/drills.sh redis s3        # some
#   BACKGROUND_VIA=instances scripts/drills.sh postgres   # background load straight to the instances, not via nginx
#
# Uses a running cluster on $CLUSTER_PORT, else starts one (3 instances, RATE_LIMIT_PER_MINUTE=1000000) and stops it
# afterwards. Exit status 0 only when every drill passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export CLUSTER_DIR="${CLUSTER_DIR:-/tmp/cc-load}" CLUSTER_PORT="${CLUSTER_PORT:-3400}" CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-55463}" \
       CLUSTER_REDIS_PORT="${CLUSTER_REDIS_PORT:-56392}" CLUSTER_S3_PORT="${CLUSTER_S3_PORT:-4599}" \
       RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-1000000}"
source Benchmarks/bench-plan.sh
started_cluster=0
if ! curl -sf "http://127.0.0.1:$CLUSTER_PORT/health" >/dev/null 2>&1; then scripts/cluster.sh start 3; started_cluster=1; fi
trap '[ "$started_cluster" = 1 ] && "$ROOT/scripts/cluster.sh" stop || true' EXIT
echo "drills: $(date -u '+%Y-%m-%d %H:%M UTC'), $(cat "$CLUSTER_DIR/instances") instances, background via ${BACKGROUND_VIA:-balancer}," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
cd Benchmarks/load && python3 -u drills.py "$@"
