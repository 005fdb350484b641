#!/usr/bin/env bash
# The production topology in miniature: N app instances (default 3) on one PostgreSQL, one Redis and one
# S3-compatible server (s3rver), behind nginx as the load balancer. Production settings: DEBUG off, the schema made by
# `migrate` (the app never creates it), files in S3, TRUSTED_PROXIES = the balancer.
#
#   scripts/cluster.sh start [N]     # build (Release), start services, migrate, N instances, nginx; wait until ready
#   scripts/cluster.sh stop          # stop everything it started
#   scripts/cluster.sh kill I        # kill -9 instance I (drills)
#   scripts/cluster.sh restart I     # start instance I again
#   scripts/cluster.sh pg-restart S  # stop PostgreSQL (fast shutdown), wait S seconds, start it again (drills)
#   scripts/cluster.sh env           # the cluster's addresses, as shell exports
#   scripts/cluster.sh scale N       # run N instances behind nginx (starts or stops instances, reloads nginx)
#   scripts/cluster.sh redis-stop | redis-start   # stop / start the cluster's Redis (drills)
#   scripts/cluster.sh s3-stop | s3-start         # stop / start the cluster's S3 server, s3rver (drills)
#
# Addresses: the balancer on 127.0.0.1:$CLUSTER_PORT (3200), instance I on 127.0.0.1:$((CLUSTER_PORT + I)).
# CLUSTER_INSTANCE_CPU (e.g. 0.4) gives each instance that share of one core, as a container's CPU limit would (the
# cgroup cpu controller; needs root): on one small machine it is what lets more instances mean more capacity.
# Tunables: CLUSTER_DIR (/tmp/chartcraft-cluster), CLUSTER_PORT (3200), CLUSTER_PG_PORT (55443), CLUSTER_REDIS_PORT
# (56390), CLUSTER_S3_PORT (4579), CLUSTER_PUBLIC_BASE_URL (the balancer's address; set it empty to leave
# PUBLIC_BASE_URL unset, so links follow the host:port nginx forwards). Any other app setting in the environment
# (RATE_LIMIT_PER_MINUTE, WEBHOOK_ALLOW_LOOPBACK_TARGETS, ...) reaches every instance.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CLUSTER_DIR="${CLUSTER_DIR:-/tmp/chartcraft-cluster}"
CLUSTER_PORT="${CLUSTER_PORT:-3200}"
export SVC_DIR="$CLUSTER_DIR/services" PG_PORT="${CLUSTER_PG_PORT:-55443}" REDIS_PORT="${CLUSTER_REDIS_PORT:-56390}" \
       S3_PORT="${CLUSTER_S3_PORT:-4579}" S3_BUCKET=chartcraft-cluster PG_DB=chartcraft SVC_DURABLE=1
# CLUSTER_APP_DLL runs an already built app (the tests pass their own build) instead of building bin/Release.
APP_DLL="${CLUSTER_APP_DLL:-$ROOT/bin/Release/net10.0/ChartCraft.dll}"

log() { printf '[cluster] %s\n' "$*" >&2; }

instance_count() { cat "$CLUSTER_DIR/instances" 2>/dev/null || echo 0; }

app_env() {
  eval "$(scripts/services.sh env)"
  export AWS_S3_BUCKET=$S3_BUCKET AWS_ENDPOINT_URL="http://127.0.0.1:$S3_PORT" AWS_ACCESS_KEY_ID=S3RVER \
         AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 DEBUG=false TRUSTED_PROXIES=127.0.0.1 \
         PUBLIC_BASE_URL="${CLUSTER_PUBLIC_BASE_URL-http://127.0.0.1:$CLUSTER_PORT}" JWT_SECRET_KEY="$(cat "$CLUSTER_DIR/jwt-secret")" \
         RENDER_WARM_UP="${RENDER_WARM_UP:-true}" MAIL_DROP_PATH="${MAIL_DROP_PATH:-$CLUSTER_DIR/mail}"
  [ -n "$PUBLIC_BASE_URL" ] || unset PUBLIC_BASE_URL
}

start_instance() {
  local i="$1" port=$((CLUSTER_PORT + $1))
  ( app_env; export PORT=$port; limit_cpu "$i"; exec dotnet "$APP_DLL" ) >"$CLUSTER_DIR/app-$i.log" 2>&1 &
  echo $! >"$CLUSTER_DIR/app-$i.pid"
}

# Puts the calling shell (about to exec the instance, so the runtime sees its limit from the start) in a cpu cgroup
# of its own with CLUSTER_INSTANCE_CPU cores; .NET sizes its thread pool and GC heaps to it.
cpu_cgroup() { echo "/sys/fs/cgroup/cpu/chartcraft-$(basename "$CLUSTER_DIR")-$1"; }
limit_cpu() {
  [ -n "${CLUSTER_INSTANCE_CPU:-}" ] || return 0
  local group quota; group=$(cpu_cgroup "$1")
  quota=$(awk -v c="$CLUSTER_INSTANCE_CPU" 'BEGIN { printf "%d", c * 100000 }')
  [ "$quota" -ge 1000 ] || { log "CLUSTER_INSTANCE_CPU must be at least 0.01 (cores)"; exit 2; }
  mkdir -p "$group" 2>/dev/null && echo 100000 >"$group/cpu.cfs_period_us" && echo "$quota" >"$group/cpu.cfs_quota_us" \
    && echo "$BASHPID" >"$group/cgroup.procs" || { log "cannot limit CPU: no writable cgroup v1 cpu controller at $group"; exit 1; }
}
release_cpu_cgroups() { for group in /sys/fs/cgroup/cpu/chartcraft-"$(basename "$CLUSTER_DIR")"-*; do rmdir "$group" 2>/dev/null || true; done; }

wait_ready() {
  local url="$1"
  for _ in $(seq 180); do
    curl -sf "$url/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "not ready: $url"; return 1
}

write_nginx_conf() {
  local n="$1" servers=""
  for i in $(seq "$n"); do servers+="    server 127.0.0.1:$((CLUSTER_PORT + i)) max_fails=1 fail_timeout=2s;"$'\n'; done
  mkdir -p "$CLUSTER_DIR/nginx"
  cat >"$CLUSTER_DIR/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $CLUSTER_DIR/nginx/nginx.pid;
error_log $CLUSTER_DIR/nginx/error.log warn;
events { worker_connections 4096; }
http {
  # Time at the balancer (request in → response out) per request, for the load report's server-side figures;
  # buffered, so logging costs no write per request.
  log_format timing '\$msec \$request_method \$uri \$status \$request_time \$upstream_response_time';
  access_log $CLUSTER_DIR/nginx/access.log timing buffer=256k flush=2s;
  client_body_temp_path $CLUSTER_DIR/nginx/body;
  proxy_temp_path $CLUSTER_DIR/nginx/proxy;
  fastcgi_temp_path $CLUSTER_DIR/nginx/fastcgi;
  uwsgi_temp_path $CLUSTER_DIR/nginx/uwsgi;
  scgi_temp_path $CLUSTER_DIR/nginx/scgi;
  upstream chartcraft {
    # The instance with the fewest requests in flight gets the next one. A PNG export can wait seconds for a render
    # page; round-robin kept sending an instance with a long render queue its third of the exports, while this
    # spreads them over the queues that are shorter (three queues drained as one), and short requests go elsewhere.
    least_conn;
$servers    keepalive 128;
  }
  server {
    listen 127.0.0.1:$CLUSTER_PORT;
    # Above MAX_FILE_SIZE_MB (10) plus multipart framing; exports may take a while.
    client_max_body_size 12m;
    proxy_read_timeout 120s;
    proxy_send_timeout 120s;
    location / {
      proxy_pass http://chartcraft;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host:\$server_port;
      # A dead instance's requests go to the next one when nothing was sent yet (idempotent requests only). A 503
      # is the app's considered answer (a dependency is down, Retry-After says when to come back), not a dead
      # instance: counting it as a failure would mark every instance down at once and turn it into nginx's 502.
      # Nor is a slow answer: with 'timeout' here, sign-ups queued behind bcrypt past proxy_read_timeout marked all
      # three instances down for fail_timeout, and every request in those seconds got 502 (1 948 in one Locust run).
      # A killed instance refuses connections ('error'), which is caught at once.
      proxy_next_upstream error http_502;
    }
  }
}
CONF
}

start() {
  local n="${1:-3}"
  [[ "$n" =~ ^[1-9]$ ]] || { log "N must be 1–9"; exit 2; }
  mkdir -p "$CLUSTER_DIR"
  if [ ! -x /usr/sbin/nginx ]; then
    [ "$(id -u)" = 0 ] || { log "nginx is missing (apt-get install nginx)"; exit 1; }
    log "apt: installing nginx"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nginx >/dev/null
  fi
  scripts/services.sh install --s3 >/dev/null
  scripts/services.sh start --s3 >/dev/null
  [ -s "$CLUSTER_DIR/jwt-secret" ] || head -c 48 /dev/urandom | base64 | tr -d '\n=+/' >"$CLUSTER_DIR/jwt-secret"
  [ -n "${CLUSTER_APP_DLL:-}" ] || dotnet build ChartCraft.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
  ( app_env; dotnet "$APP_DLL" migrate ) >"$CLUSTER_DIR/migrate.log" 2>&1 || { log "migrate failed:"; tail -5 "$CLUSTER_DIR/migrate.log" >&2; exit 1; }
  echo "$n" >"$CLUSTER_DIR/instances"
  for i in $(seq "$n"); do start_instance "$i"; done
  for i in $(seq "$n"); do wait_ready "http://127.0.0.1:$((CLUSTER_PORT + i))"; done
  write_nginx_conf "$n"
  /usr/sbin/nginx -c "$CLUSTER_DIR/nginx/nginx.conf" -p "$CLUSTER_DIR/nginx" 2>>"$CLUSTER_DIR/nginx/error.log"
  wait_ready "http://127.0.0.1:$CLUSTER_PORT"
  log "$n instances behind http://127.0.0.1:$CLUSTER_PORT (instances on $((CLUSTER_PORT + 1))–$((CLUSTER_PORT + n)))"
}

stop() {
  if [ -f "$CLUSTER_DIR/nginx/nginx.pid" ]; then
    kill -QUIT "$(cat "$CLUSTER_DIR/nginx/nginx.pid")" 2>/dev/null || true
    rm -f "$CLUSTER_DIR/nginx/nginx.pid"
  fi
  for pidfile in "$CLUSTER_DIR"/app-*.pid; do
    [ -f "$pidfile" ] || continue
    kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  sleep 1
  scripts/services.sh stop 2>/dev/null || true
  rm -f "$CLUSTER_DIR/instances"
  release_cpu_cgroups
}

# N instances behind nginx: instances above N are stopped, missing ones started; nginx reloads its upstream list.
scale() {
  local n="$1" had; had=$(instance_count)
  [[ "$n" =~ ^[1-9]$ ]] || { log "N must be 1–9"; exit 2; }
  for i in $(seq "$((n + 1))" "$had"); do
    [ -f "$CLUSTER_DIR/app-$i.pid" ] && kill -TERM "$(cat "$CLUSTER_DIR/app-$i.pid")" 2>/dev/null || true
    rm -f "$CLUSTER_DIR/app-$i.pid"
  done
  for i in $(seq "$n"); do
    curl -sf "http://127.0.0.1:$((CLUSTER_PORT + i))/health" >/dev/null 2>&1 || start_instance "$i"
  done
  for i in $(seq "$n"); do wait_ready "http://127.0.0.1:$((CLUSTER_PORT + i))"; done
  echo "$n" >"$CLUSTER_DIR/instances"
  write_nginx_conf "$n"
  /usr/sbin/nginx -c "$CLUSTER_DIR/nginx/nginx.conf" -p "$CLUSTER_DIR/nginx" -s reload 2>>"$CLUSTER_DIR/nginx/error.log"
  sleep 1
  log "$n instances behind http://127.0.0.1:$CLUSTER_PORT"
}

redis_stop() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }
redis_start() { scripts/services.sh start >/dev/null; }
s3_stop() {
  if [ -f "$SVC_DIR/s3rver.pid" ]; then kill "$(cat "$SVC_DIR/s3rver.pid")" 2>/dev/null || true; rm -f "$SVC_DIR/s3rver.pid"; fi
}
s3_start() { scripts/services.sh start --s3 >/dev/null; }

case "${1:-}" in
  start)   start "${2:-3}" ;;
  scale)   scale "${2:?N}" ;;
  redis-stop)  redis_stop ;;
  redis-start) redis_start ;;
  s3-stop)     s3_stop ;;
  s3-start)    s3_start ;;
  stop)    stop ;;
  kill)    kill -KILL "$(cat "$CLUSTER_DIR/app-${2:?instance}.pid")" 2>/dev/null || true ;;
  pg-restart)
           as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
           as_pg /usr/lib/postgresql/15/bin/pg_ctl -D "$SVC_DIR/pg" -m fast -w stop >/dev/null
           sleep "${2:?seconds}"
           scripts/services.sh start >/dev/null ;;
  restart) start_instance "${2:?instance}"; wait_ready "http://127.0.0.1:$((CLUSTER_PORT + $2))" ;;
  env)     echo "export CLUSTER_URL=http://127.0.0.1:$CLUSTER_PORT CLUSTER_INSTANCES=$(instance_count)"
           for i in $(seq "$(instance_count)"); do echo "export CLUSTER_INSTANCE_$i=http://127.0.0.1:$((CLUSTER_PORT + i))"; done ;;
  *) echo "usage: $0 start [N] | stop | kill I | restart I | pg-restart S | scale N | redis-stop | redis-start | s3-stop | s3-start | env" >&2
     exit 2 ;;
esac
