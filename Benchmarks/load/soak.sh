#!/usr/bin/env bash
# "The specification's day": 10 000 charts and 2 000 PNG exports through the cluster's balancer with bounded
# concurrency (Benchmarks/load/soak.py), then every acknowledged chart and export checked as stored (API totals,
# PostgreSQL, the export files in s3rver). Prints time taken, rates, latency percentiles, statuses and errors.
#
#   Benchmarks/load/soak.sh                                   # 10 000 charts, 2 000 exports
#   SOAK_CHARTS=500 SOAK_EXPORTS=100 Benchmarks/load/soak.sh  # a short trial
#
# Uses a running cluster on $CLUSTER_PORT, else starts one (3 instances, RATE_LIMIT_PER_MINUTE=1000000: 50 accounts
# write far faster than 100 requests a minute each) and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CLUSTER_DIR="${CLUSTER_DIR:-/tmp/cc-load}" CLUSTER_PORT="${CLUSTER_PORT:-3400}" CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-55463}" \
       CLUSTER_REDIS_PORT="${CLUSTER_REDIS_PORT:-56392}" CLUSTER_S3_PORT="${CLUSTER_S3_PORT:-4599}" \
       RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-1000000}"
source Benchmarks/bench-plan.sh
started_cluster=0
if ! curl -sf "http://127.0.0.1:$CLUSTER_PORT/health" >/dev/null 2>&1; then scripts/cluster.sh start 3; started_cluster=1; fi
trap '[ "$started_cluster" = 1 ] && scripts/cluster.sh stop || true' EXIT
logged_before=$(cat "$CLUSTER_DIR"/app-*.log | grep -ac 'responded 5[0-9][0-9]' || true)
echo "start: load average $(cut -d' ' -f1-3 /proc/loadavg); $(cat "$CLUSTER_DIR/instances") instances"
( cd Benchmarks/load && python3 -u soak.py )
echo "end: load average $(cut -d' ' -f1-3 /proc/loadavg)"
logged_after=$(cat "$CLUSTER_DIR"/app-*.log | grep -ac 'responded 5[0-9][0-9]' || true)
echo "5xx answered by the instances during the soak (their logs): $((logged_after - logged_before))"
