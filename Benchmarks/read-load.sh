#!/usr/bin/env bash
# Saturation load on the chart read path: wrk -t2 -c1000 against GET /api/charts/{id} (owner, with a token),
# GET /api/public/charts/{id} and /health, one Release instance with its own PostgreSQL and Redis.
#   Benchmarks/read-load.sh                     # builds Release and measures
#   APP_DIR=/tmp/old-build Benchmarks/read-load.sh   # measures another build of the app
#   DURATION=20s CONNECTIONS=1000 EXTRA_ENV="DATABASE_NO_RESET_ON_CLOSE=true" Benchmarks/read-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export SVC_DIR=${SVC_DIR:-/tmp/chartcraft-readload-svc} PG_PORT=${PG_PORT:-55441} REDIS_PORT=${REDIS_PORT:-56391} PG_DB=chartcraft_bench
scripts/services.sh start >/dev/null
eval "$(scripts/services.sh env)"
source Benchmarks/bench-plan.sh
work=$(mktemp -d)
port=${PORT_UNDER_TEST:-3098}
base="http://127.0.0.1:$port"
duration=${DURATION:-20s}
connections=${CONNECTIONS:-1000}

if [ -z "${APP_DIR:-}" ]; then
  dotnet build ChartCraft.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
  APP_DIR=bin/Release/net10.0
fi
# Logs go to a file, as to a collector; their size is reported.
env JWT_SECRET_KEY="bench-secret-0123456789abcdefghijklmnop" DEBUG=false SCHEMA_AUTO_CREATE=true RATE_LIMIT_PER_MINUTE=1000000 \
  PORT=$port STORAGE_LOCAL_PATH="$work/files" DATABASE_SCHEMA="bench_$(date +%s)" ${EXTRA_ENV:-} \
  dotnet "$APP_DIR/ChartCraft.dll" >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; [ -n "${KEEP_SERVICES:-}" ] || scripts/services.sh stop >/dev/null 2>&1; rm -rf "$work"' EXIT
for _ in $(seq 120); do curl -sf "$base/health" >/dev/null && break; sleep 0.5; done

json() { sed -E "s/.*\"$1\":\"?([^\",}]*)\"?.*/\1/"; }
token=$(curl -s "$base/api/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"bench$RANDOM@example.com\",\"password\":\"benchmark-pass\",\"first_name\":\"B\",\"last_name\":\"M\"}" | json access_token)
printf 'month,revenue\n' > "$work/s.csv"; for m in 01 02 03 04 05 06 07 08 09 10 11 12; do echo "2025-$m-01,$((RANDOM % 900 + 100))" >> "$work/s.csv"; done
source=$(curl -s -H "Authorization: Bearer $token" -F "file=@$work/s.csv" "$base/api/data/upload" | json data_source_id)
chart=$(curl -s -H "Authorization: Bearer $token" -H 'content-type: application/json' \
  -d "{\"data_source_id\":\"$source\",\"chart_type\":\"bar\",\"title\":\"Revenue\",\"is_public\":true,\"config\":{\"x_column\":\"month\",\"y_column\":\"revenue\"}}" \
  "$base/api/charts" | json chart_id)
curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/api/charts/$chart" || { echo "chart read failed" >&2; exit 1; }

run() { # name url [header]
  local name=$1 url=$2; shift 2
  wrk -t2 -c"$connections" -d"$duration" --latency "$@" "$url" > "$work/wrk.txt" 2>&1 || true
  local rps p50 p99 errors non2xx
  rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
  p50=$(awk '$1 == "50%" { print $2 }' "$work/wrk.txt"); p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
  errors=$(grep -o 'Socket errors:.*' "$work/wrk.txt" || echo "Socket errors: none")
  non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt")
  echo "$name: $rps req/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}, $errors"
  sleep 2
}
log_before=$(wc -c < "$work/app.log")
run "/health" "$base/health"
run "GET /api/charts/{id}" "$base/api/charts/$chart" -H "Authorization: Bearer $token"
run "GET /api/public/charts/{id}" "$base/api/public/charts/$chart"
echo "log written during the runs: $(( ($(wc -c < "$work/app.log") - log_before) / 1024 )) KiB"
views=$(curl -s -H "Authorization: Bearer $token" "$base/api/charts/$chart" | json view_count)
echo "view_count after the public run: $views"
