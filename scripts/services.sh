#!/usr/bin/env bash
# Private PostgreSQL 15, Redis 7 and (for tests) an S3-compatible server on loopback.
# All state lives in one folder; works as root (CI, dev box) without systemd or Docker.
#
#   scripts/services.sh install [--s3] # apt/npm packages the app needs; --s3 adds the tests' (s3rver, kubectl) (idempotent)
#   scripts/services.sh start [--s3]   # start postgres + redis (+ s3rver), create the database
#   scripts/services.sh stop           # stop everything this folder started
#   scripts/services.sh env [--s3]     # print the environment variables the app reads
#
# Tunables: SVC_DIR (/tmp/chartcraft-svc), PG_PORT (55432), REDIS_PORT (56379), S3_PORT (4569),
#           PG_DB (chartcraft), S3_BUCKET (chartcraft-test),
#           SVC_DURABLE (0): 1 keeps what is stored through a crash or power cut (./run.sh); 0 trades that for
#           speed (./test.sh's throwaway clusters)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SVC_DIR="${SVC_DIR:-/tmp/chartcraft-svc}"
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
S3_PORT="${S3_PORT:-4569}"
PG_DB="${PG_DB:-chartcraft}"
S3_BUCKET="${S3_BUCKET:-chartcraft-test}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PGDATA="$SVC_DIR/pg"
SVC_DURABLE="${SVC_DURABLE:-0}"
NODE_DIR="$ROOT/.tools/node"

log() { printf '[services] %s\n' "$*" >&2; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

apt_install() {
  [ $# -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || { log "missing packages: $* (run as root or install them)"; exit 1; }
  log "apt: installing $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
}

install_base() {
  local need=()
  [ -x "$PG_BIN/initdb" ] || need+=(postgresql-15)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  apt_install "${need[@]}"
}

# Chromium and fonts are for chart exports (later features); without fonts chart text disappears.
install_browser() {
  local need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
  [ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
  apt_install "${need[@]}"
}

# The deployment tests render deploy/k8s with `kubectl kustomize`; Debian 12's kubectl (1.20, kustomize v2.0.3) is enough.
install_kubectl() {
  command -v kubectl >/dev/null 2>&1 || apt_install kubernetes-client
}

# promtool (Debian package prometheus) checks deploy/prometheus/alerts.yml in the tests. Only the binary is wanted:
# a policy-rc.d keeps the package from starting a Prometheus server while it installs.
install_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  local policy=/usr/sbin/policy-rc.d added=0
  if [ "$(id -u)" = 0 ] && [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added=1
  fi
  apt_install prometheus
  [ "$added" = 1 ] && rm -f "$policy"
  true
}

install_s3rver() {
  # The AWS CLI copies an S3 bucket for scripts/backup.sh and restore.sh (tested against s3rver).
  command -v aws >/dev/null 2>&1 || apt_install awscli
  [ -x "$NODE_DIR/node_modules/.bin/s3rver" ] && return 0
  log "npm: installing s3rver@3.7.1"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && [ -f package.json ] || echo '{"private":true}' > package.json
   npm install --silent --no-audit --no-fund s3rver@3.7.1 >/dev/null)
}

pg_start() {
  mkdir -p "$SVC_DIR"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$SVC_DIR"; chmod o+x "$SVC_DIR"
  fi
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      $([ "$SVC_DURABLE" = 1 ] || echo --no-sync) --no-instructions >/dev/null
    cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
max_connections = 200
CONF
  fi
  # Durability is chosen at every start (command-line settings win over postgresql.conf), so a data folder made
  # by an older, always-fast version becomes durable too.
  local durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  [ "$SVC_DURABLE" = 1 ] || durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    for _ in $(seq 50); do as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 || break; sleep 0.1; done
    # port and socket folder given at start, so one data folder can serve any port
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$SVC_DIR/pg.log" -o "-p $PG_PORT -k $SVC_DIR $durability" -w -t 30 start >/dev/null
    log "postgres on 127.0.0.1:$PG_PORT"
  fi
  if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$PG_DB'" | grep -q 1; then
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database \"$PG_DB\"" >/dev/null
  fi
}

redis_start() {
  mkdir -p "$SVC_DIR/redis"
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0
  # Redis holds only what can be rebuilt (caches, rate-limit windows); an append-only file still keeps rate-limit and
  # revocation state across a restart of ./run.sh.
  local persistence=(--save '' --appendonly no)
  [ "$SVC_DURABLE" = 1 ] && persistence=(--save '' --appendonly yes --appendfsync everysec)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --dir "$SVC_DIR/redis" \
    --pidfile "$SVC_DIR/redis/redis.pid" --logfile "$SVC_DIR/redis/redis.log" "${persistence[@]}"
  for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && { log "redis on 127.0.0.1:$REDIS_PORT"; return 0; }
    sleep 0.1
  done
  log "redis did not come up"; cat "$SVC_DIR/redis/redis.log" >&2; exit 1
}

s3_start() {
  mkdir -p "$SVC_DIR/s3"
  if curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/"; then return 0; fi
  nohup node "$NODE_DIR/node_modules/.bin/s3rver" -d "$SVC_DIR/s3" -a 127.0.0.1 -p "$S3_PORT" \
    --configure-bucket "$S3_BUCKET" --silent >"$SVC_DIR/s3rver.log" 2>&1 &
  echo $! >"$SVC_DIR/s3rver.pid"
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" && { log "s3rver on 127.0.0.1:$S3_PORT"; return 0; }
    sleep 0.1
  done
  log "s3rver did not come up"; cat "$SVC_DIR/s3rver.log" >&2; exit 1
}

# The services listen on ports inside the kernel's range for outgoing connections (32768–60999), so a client
# socket could hold one of them when a service (re)starts: PostgreSQL then fails with "Address already in use"
# (seen after a 1 000-connection load run, and possible in the restart drills). Reserved ports are never given to
# outgoing connections. Only root may reserve; elsewhere the chance stays, small.
reserve_ports() {
  local file=/proc/sys/net/ipv4/ip_local_reserved_ports current
  [ -w "$file" ] || return 0
  current=$(cat "$file")
  local ports="$current"
  for port in "$@"; do
    case ",$current," in *",$port,"*) ;; *) ports="${ports:+$ports,}$port" ;; esac
  done
  [ "$ports" = "$current" ] || echo "$ports" >"$file" 2>/dev/null || true
}

stop_all() {
  if [ -f "$SVC_DIR/s3rver.pid" ]; then kill "$(cat "$SVC_DIR/s3rver.pid")" 2>/dev/null || true; rm -f "$SVC_DIR/s3rver.pid"; fi
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown "$([ "$SVC_DURABLE" = 1 ] && echo save || echo nosave)" >/dev/null 2>&1 || true
  [ -s "$PGDATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  log "services stopped"
}

print_env() {
  echo "export DATABASE_URL=postgresql://postgres@127.0.0.1:$PG_PORT/$PG_DB"
  echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
  if [ "${1:-}" = "--s3" ]; then
    echo "export TEST_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT"
    echo "export TEST_S3_BUCKET=$S3_BUCKET"
  fi
}

case "${1:-start}" in
  # --s3 is ./test.sh's install: the test-only tools come with it (./run.sh needs none of them).
  install) install_base; install_browser
           if [ "${2:-}" = "--s3" ]; then install_s3rver; install_kubectl; install_promtool; fi ;;
  start)   install_base; reserve_ports "$PG_PORT" "$REDIS_PORT" "$S3_PORT"; pg_start; redis_start
           if [ "${2:-}" = "--s3" ]; then install_s3rver; s3_start; fi ;;
  stop)    stop_all ;;
  env)     print_env "${2:-}" ;;
  *) echo "usage: $0 install|start|stop|env [--s3]" >&2; exit 2 ;;
esac
