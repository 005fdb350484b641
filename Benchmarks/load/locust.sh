#!/usr/bin/env bash
# Simulated users against the 3-instance cluster (scripts/cluster.sh) with Locust, headless, then a report: per
# request kind rate, p50/p95/p99 and unexpected statuses (steady phase and whole run), and CPU/memory of each app
# instance (and its Chromium), nginx, PostgreSQL, Redis, s3rver and Locust itself, sampled from /proc every 5 s.
#
#   Benchmarks/load/locust.sh     # 1 000 users: 2 new users/s to 800, then 1/s; 16 min (10 min ramp + 6 min steady)
# Two new users a second because each signs up with bcrypt (work factor 12): with hundreds of users already active the
# cluster signs up about 2.5 a second here, and a faster ramp queues sign-ups past nginx's timeout. The last fifth come
# at half the rate (SLOW_FROM, SLOW_SPAWN_RATE; RampThenHold in locustfile.py).
#   USERS=100 SPAWN_RATE=10 RUN_TIME=60s Benchmarks/load/locust.sh   # a short trial
#
# Uses a running cluster on $CLUSTER_PORT, else starts one (3 instances, RATE_LIMIT_PER_MINUTE=1000000 so that the
# per-user limit is not what is measured: every simulated user has its own account, but sign-ups share one client
# address) and stops it afterwards. Results go to $CLUSTER_DIR/locust-<time>/ (report.txt, requests.jsonl,
# processes.jsonl, locust.log). Locust 2.12 (Debian) has no --processes: it runs as one process.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CLUSTER_DIR="${CLUSTER_DIR:-/tmp/cc-load}" CLUSTER_PORT="${CLUSTER_PORT:-3400}" CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-55463}" \
       CLUSTER_REDIS_PORT="${CLUSTER_REDIS_PORT:-56392}" CLUSTER_S3_PORT="${CLUSTER_S3_PORT:-4599}" \
       RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-1000000}"
source Benchmarks/bench-plan.sh
users="${USERS:-1000}"
spawn_rate="${SPAWN_RATE:-2}"
run_time="${RUN_TIME:-16m}"
cluster_url="http://127.0.0.1:$CLUSTER_PORT"

command -v locust >/dev/null || { echo "locust is missing: sudo apt-get install -y python3-locust" >&2; exit 1; }
started_cluster=0
if ! curl -sf "$cluster_url/health" >/dev/null 2>&1; then
  scripts/cluster.sh start 3
  started_cluster=1
fi
out="$CLUSTER_DIR/locust-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
ulimit -n 20000 2>/dev/null || true

sampler_pid=""
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  [ "$started_cluster" = 1 ] && scripts/cluster.sh stop || true
}
trap cleanup EXIT

# Durable messages still waiting (Wolverine's inbox), by kind: thumbnails (ChartRevised) fall behind under load and a
# run that starts with another run's backlog starts with Chromium busy.
waiting_messages() {
  local sql="select coalesce(string_agg(n || ' ' || split_part(message_type, '.', -1) || ' (' || status || ')', ', '), 'none')
             from (select message_type, status, count(*) n from %s where status <> 'Handled' group by 1, 2 order by 3 desc) q"
  local table
  table=$(psql -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U postgres -d chartcraft -Atc \
    "select table_schema || '.wolverine_incoming_envelopes' from information_schema.tables where table_name = 'wolverine_incoming_envelopes' limit 1" 2>/dev/null) || true
  [ -n "$table" ] && psql -h 127.0.0.1 -p "$CLUSTER_PG_PORT" -U postgres -d chartcraft -Atc "$(printf "$sql" "$table")" 2>/dev/null || echo "unknown"
}

slow_from="${SLOW_FROM:-$((users * 4 / 5))}"
echo "locust: $users users, $spawn_rate/s to $slow_from then ${SLOW_SPAWN_RATE:-half that}, $run_time, think ${THINK_MIN:-2}–${THINK_MAX:-6} s, against $cluster_url ($(cat "$CLUSTER_DIR/instances") instances)"
echo "start: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg); messages waiting: $(waiting_messages)"
# Locust runs in a session of its own. The kernel schedules each session as one group (autogroup), so Locust gets its
# own share of the processor instead of one thread's turn among the instances' ~30: on two shared cores it otherwise
# read responses late and counted its own wait into them (p95 460 ms at Locust, 49-77 ms at nginx for the same
# requests). Real users' machines do not share the servers' cores; nginx's figures in the report do not depend on it.
# Users, rates and run time go to the shape (RampThenHold) as environment: Locust refuses -u/-r/-t with a shape.
( cd Benchmarks/load && export LOAD_RECORD="$out/requests.jsonl" USERS="$users" SPAWN_RATE="$spawn_rate" RUN_TIME="$run_time" \
    SLOW_FROM="$slow_from" && exec setsid locust -f locustfile.py --headless --host "$cluster_url" --only-summary \
    --stop-timeout 10 --csv "$out/locust" ) >"$out/locust.log" 2>&1 &
locust_pid=$!

# Who to sample: every app instance, the shared services and Locust.
targets=("locust=$locust_pid")
for pidfile in "$CLUSTER_DIR"/app-*.pid; do
  name=$(basename "$pidfile" .pid); targets+=("instance-${name#app-}=$(cat "$pidfile")")
done
svc="$CLUSTER_DIR/services"
[ -f "$CLUSTER_DIR/nginx/nginx.pid" ] && targets+=("nginx=$(cat "$CLUSTER_DIR/nginx/nginx.pid")")
[ -f "$svc/pg/postmaster.pid" ] && targets+=("postgresql=$(head -1 "$svc/pg/postmaster.pid")")
[ -f "$svc/redis/redis.pid" ] && targets+=("redis=$(cat "$svc/redis/redis.pid")")
[ -f "$svc/s3rver.pid" ] && targets+=("s3rver=$(cat "$svc/s3rver.pid")")
python3 Benchmarks/load/sample_processes.py "$out/processes.jsonl" 5 "${targets[@]}" &
sampler_pid=$!

status=0
wait "$locust_pid" || status=$?
kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
echo "end: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg); locust exit $status; messages waiting: $(waiting_messages)"
grep -iE 'cpu usage|warning' "$out/locust.log" | sort | uniq -c | head -5 || true
access_log="$CLUSTER_DIR/nginx/access.log"
sleep 3 # nginx writes its buffered log every 2 s
( cd Benchmarks/load && python3 report.py "$out/requests.jsonl" "$out/processes.jsonl" $( [ -f "$access_log" ] && echo "$access_log" ) ) | tee "$out/report.txt"
echo "files: $out"
