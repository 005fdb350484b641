#!/usr/bin/env bash
# Write the next schema patch, deploy/migrations/NNNN_<name>.sql, with Marten's and Wolverine's own `db-patch`:
# it builds the app, brings a scratch database up to the patches already there (`migrate`), and asks both stores
# what this build still needs. The schema is written as {{schema}}, so DATABASE_SCHEMA decides where it lands.
#
#   scripts/new-migration.sh add_chart_tags
#
# Uses the test services (./test.sh's PostgreSQL on 127.0.0.1:55433), starting them when they are not running.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/new-migration.sh <name, e.g. add_chart_tags>}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "name must be lower_case_with_underscores" >&2; exit 2; }

export SVC_DIR="${TEST_SVC_DIR:-/tmp/chartcraft-test-svc}" PG_PORT="${TEST_PG_PORT:-55433}" REDIS_PORT="${TEST_REDIS_PORT:-56380}"
scripts/services.sh start >/dev/null
eval "$(scripts/services.sh env)"

template=cc_migration_template           # a schema name that appears nowhere else, replaced by {{schema}}
scratch="chartcraft_patch_$$"
admin_url="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
psql -q "$admin_url" -c "create database $scratch" >/dev/null
trap 'psql -q "$admin_url" -c "drop database if exists $scratch" >/dev/null' EXIT

dotnet build ChartCraft.csproj -c Debug -nologo -v quiet -clp:ErrorsOnly
app="bin/Debug/net10.0/ChartCraft.dll"
export DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/$scratch" DATABASE_SCHEMA=$template DEBUG=false \
       JWT_SECRET_KEY="new-migration-scratch-secret-0123456789abcdef" STORAGE_LOCAL_PATH="$(mktemp -d)"
# The existing patches first (their final check fails when this build needs more: that is what we are here for).
dotnet "$app" migrate >/dev/null || true

work=$(mktemp -d)
dotnet "$app" db-patch "$work/marten.sql" -d marten://store/ >/dev/null
dotnet "$app" db-patch "$work/wolverine.sql" -d wolverine://messages/main >/dev/null
# A store with nothing to change writes no file: cat's complaint must not end the script (set -e, pipefail).
body=$( (cat "$work"/marten.sql "$work"/wolverine.sql 2>/dev/null || true) | sed "s/\b$template\b/{{schema}}/g")
if ! grep -qiE '^\s*(create|alter|drop|insert|update|do|comment|grant)' <<<"$body"; then
  echo "Nothing to write: the schema the patches give already matches this build." >&2; exit 0
fi
shopt -s nullglob; existing=(deploy/migrations/[0-9]*_*.sql); shopt -u nullglob
last=0; for f in "${existing[@]}"; do n=$(basename "$f" | cut -d_ -f1); [ $((10#$n)) -gt "$last" ] && last=$((10#$n)); done
next=$(printf '%04d' $((last + 1)))
file="deploy/migrations/${next}_${name}.sql"
{ echo "-- $file: written by scripts/new-migration.sh (Marten and Wolverine db-patch) on $(date -u +%Y-%m-%d)."
  echo "-- Applied once, in one transaction, by \`dotnet ChartCraft.dll migrate\`; {{schema}} is DATABASE_SCHEMA."
  echo "$body"; } > "$file"
echo "wrote $file"
