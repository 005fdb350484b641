#!/usr/bin/env bash
# Saturation of the read paths through the cluster's nginx with 1, 2 and 3 instances: wrk -t2 -c1000 --latency on
# GET /api/charts/{id} (owner, bearer token), GET /api/public/charts/{id} (anonymous) and /health (the ceiling),
# printing requests/s, p50/p95/p99, non-2xx and socket errors per route and instance count.
#
#   Benchmarks/load/saturation.sh                       # 1→3 instances, 20 s per route
#   DURATION=10s CONNECTIONS=1000 INSTANCE_COUNTS="1 3" Benchmarks/load/saturation.sh
#
# Uses a running cluster on $CLUSTER_PORT (else starts one with RATE_LIMIT_PER_MINUTE=1000000, so that one token's
# 1 000 connections measure the read path, not the limiter) and scales it with `scripts/cluster.sh scale N`; it is
# left at 3 instances (and stopped if this script started it). wrk, nginx, PostgreSQL, Redis and the instances share
# the machine's cores: more instances add processes, not cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CLUSTER_DIR="${CLUSTER_DIR:-/tmp/cc-load}" CLUSTER_PORT="${CLUSTER_PORT:-3400}" CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-55463}" \
       CLUSTER_REDIS_PORT="${CLUSTER_REDIS_PORT:-56392}" CLUSTER_S3_PORT="${CLUSTER_S3_PORT:-4599}" \
       RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-1000000}"
source Benchmarks/bench-plan.sh
duration="${DURATION:-20s}"
connections="${CONNECTIONS:-1000}"
instance_counts="${INSTANCE_COUNTS:-1 2 3}"
cluster_url="http://127.0.0.1:$CLUSTER_PORT"
lua="$PWD/Benchmarks/load/wrk-report.lua"

command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install -y wrk" >&2; exit 1; }
started_cluster=0
if ! curl -sf "$cluster_url/health" >/dev/null 2>&1; then scripts/cluster.sh start 3; started_cluster=1; fi
trap '[ "$started_cluster" = 1 ] && scripts/cluster.sh stop || scripts/cluster.sh scale 3' EXIT
ulimit -n 20000 2>/dev/null || true

# One user, one source, one public chart, made through the balancer.
read -r token chart < <(cd Benchmarks/load && python3 - <<'PY'
from chartcraft_client import Client, sales_csv
c = Client()
c.register("saturation")
status, _, body, _ = c.upload(sales_csv())
assert status == 201, (status, body)
status, _, chart, _ = c.create_chart(body["data_source_id"], "Saturation", is_public=True)
assert status == 201, (status, chart)
print(c.token, chart["chart_id"])
PY
)

echo "saturation: wrk -t2 -c$connections -d$duration --latency, through nginx on $cluster_url; $(date -u '+%Y-%m-%d %H:%M UTC')"
printf '%-9s %-28s %8s %8s %8s %8s %8s %7s %s\n' instances route req/s p50_ms p95_ms p99_ms max_ms non2xx "socket errors (connect/read/write/timeout)"
run_wrk() { # instances route url [token]
  local n=$1 route=$2 url=$3 line
  line=$(TOKEN="${4:-}" wrk -t2 -c"$connections" -d"$duration" --latency -s "$lua" "$url" 2>&1 | grep '^RESULT' || echo "RESULT failed")
  eval "$(echo "${line#RESULT }" | tr ' ' '\n' | grep = | sed 's/^/local /')"
  printf '%-9s %-28s %8s %8s %8s %8s %8s %7s %s\n' "$n" "$route" "${rps:-?}" "${p50_ms:-?}" "${p95_ms:-?}" "${p99_ms:-?}" "${max_ms:-?}" \
    "${non2xx:-?}" "${connect:-?}/${read:-?}/${write:-?}/${timeout:-?}"
  sleep 3
}
for n in $instance_counts; do
  scripts/cluster.sh scale "$n" 2>/dev/null
  # warm the chart into every instance's memory and JIT the paths
  wrk -t2 -c50 -d3s -s "$lua" "$cluster_url/api/public/charts/$chart" >/dev/null 2>&1 || true
  TOKEN="$token" wrk -t2 -c50 -d3s -s "$lua" "$cluster_url/api/charts/$chart" >/dev/null 2>&1 || true
  echo "  load average before $n instance(s): $(cut -d' ' -f1-3 /proc/loadavg)"
  run_wrk "$n" "GET /api/charts/{id}" "$cluster_url/api/charts/$chart" "$token"
  run_wrk "$n" "GET /api/public/charts/{id}" "$cluster_url/api/public/charts/$chart"
  run_wrk "$n" "/health" "$cluster_url/health"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
