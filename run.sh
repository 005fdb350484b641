#!/usr/bin/env bash
# Start the ChartCraft API on http://localhost:3001 (PORT) with everything it needs.
# It installs (apt, if missing) Chromium and fonts for exports. Without DATABASE_URL / REDIS_URL it also installs
# and starts a private PostgreSQL 15 and Redis 7 on loopback, durable, with their data in a local folder, and stops
# them when the app stops.
# Files go to .data/files unless AWS_S3_BUCKET is set; mails go to .data/mail as .eml files unless SMTP_URL is set.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
mkdir -p .data

# PostgreSQL runs as the postgres user, which must be able to reach its data folder.
traversable() { local d="$1"; while [ "$d" != "/" ]; do [ -x "$d" ] && [ "$(stat -c %A "$d" | cut -c10)" = x ] || return 1; d="$(dirname "$d")"; done; }
if [ -z "${SVC_DIR:-}" ]; then
  if [ "$(id -u)" != 0 ] || traversable "$ROOT"; then export SVC_DIR="$ROOT/.data/services"; else export SVC_DIR="/tmp/chartcraft-run"; fi
fi

# Exports draw charts in Chromium; without it (and fonts) every image export is 503.
scripts/services.sh install

started_services=0
export SVC_DURABLE=1
if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
  scripts/services.sh start
  eval "$(scripts/services.sh env)"
  started_services=1
fi

# A stable secret for local runs, so tokens survive restarts; set JWT_SECRET_KEY in production.
if [ -z "${JWT_SECRET_KEY:-}" ]; then
  [ -s .data/jwt-secret ] || head -c 48 /dev/urandom | base64 | tr -d '\n=+/' > .data/jwt-secret
  export JWT_SECRET_KEY="$(cat .data/jwt-secret)"
fi
export DEBUG="${DEBUG:-true}"
export STORAGE_LOCAL_PATH="${STORAGE_LOCAL_PATH:-$ROOT/.data/files}"
export MAIL_DROP_PATH="${MAIL_DROP_PATH:-$ROOT/.data/mail}"
[ -n "${SMTP_URL:-}" ] || echo "No SMTP_URL: mails (verification, password reset) are written to $MAIL_DROP_PATH as .eml files" >&2

dotnet build ChartCraft.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
app_pid=""
stop() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ "$started_services" = 1 ] && scripts/services.sh stop || true
}
trap stop EXIT
trap 'exit 130' INT TERM
export PORT="${PORT:-3001}"
# Links the app signs itself (local downloads, embeds) point at where it listens, unless a proxy's address is given.
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://localhost:$PORT}"
echo "ChartCraft on http://localhost:$PORT (swagger: /swagger)" >&2
dotnet bin/Release/net10.0/ChartCraft.dll &
app_pid=$!
wait "$app_pid"
