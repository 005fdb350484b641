#!/usr/bin/env bash
# Two checks of the OpenAPI document that OpenApiDocumentTests wrote, each counted as one test:
#   1. lint: Redocly CLI with its recommended rules (redocly.yaml) reports no error;
#   2. client: a TypeScript client generated from it (openapi-typescript + openapi-fetch) type-checks with the
#      README quick start (quickstart.ts, tsc) and runs that quick start against the built app, started here on a
#      free port with a database schema and files of its own, then stopped.
# Usage: Tests/ApiClientCheck/check.sh DOCUMENT APP_DLL   (DATABASE_URL and REDIS_URL point at running services;
# run `npm ci` here first). Prints "N passed, N failed"; exits non-zero when a check fails.
set -uo pipefail
doc=$(realpath "${1:?path of swagger.json}") app=$(realpath "${2:?path of ChartCraft.dll}")
cd "$(dirname "$0")"
passed=0; failed=0
pass() { echo "PASSED openapi $1"; passed=$((passed + 1)); }
fail() { echo "FAILED openapi $1"; failed=$((failed + 1)); }

if [ ! -s "$doc" ]; then
  fail "lint: $doc was not written (OpenApiDocumentTests writes it to OPENAPI_DOC_PATH)"
  fail "client: no document"
  echo "$passed passed, $failed failed"; exit 1
fi

# 1. Lint. Warnings are printed; errors fail.
if lint=$(node_modules/.bin/redocly lint "$doc" --config redocly.yaml --format=stylish 2>&1); then
  pass "lint ($(grep -oE 'You have [0-9]+ warnings?' <<<"$lint" || echo 'no warnings'))"
else
  grep -E ' (error|warning) ' <<<"$lint" | head -30
  fail "lint: $(grep -oE 'Validation failed with .*' <<<"$lint" || tail -1 <<<"$lint")"
fi

# 2. Generate, type-check, run the quick start against the app.
client_check() {
  rm -rf generated dist
  local generator
  generator=$(node_modules/.bin/openapi-typescript "$doc" -o generated/api.d.ts 2>&1) || { echo "$generator"; echo "openapi-typescript failed"; return 1; }
  node_modules/.bin/tsc -p . || { echo "the quick start does not type-check against the generated client"; return 1; }
  local port schema files log pid ready=0
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  schema="api_client_check_$$"; files=$(mktemp -d); log="$files/app.log"
  # Tiered compilation back on for this one-shot run: the csproj turns it off for steady-state speed, which makes
  # start-up and every first request slow; Chromium starts with the app rather than at the first export.
  DATABASE_SCHEMA=$schema SCHEMA_AUTO_CREATE=true REDIS_KEY_PREFIX="$schema:" STORAGE_LOCAL_PATH="$files/storage" \
    AWS_S3_BUCKET="" JWT_SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n=+/')" BCRYPT_WORK_FACTOR=4 \
    PORT=$port PUBLIC_BASE_URL="http://localhost:$port" RATE_LIMIT_PER_MINUTE=1000 OPENAI_API_KEY="" RENDER_WARM_UP=true \
    DOTNET_TieredCompilation=1 \
    dotnet "$app" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 120); do
    curl -sf "http://localhost:$port/health/ready" >/dev/null 2>&1 && { ready=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  local status=1
  if [ "$ready" = 1 ]; then
    node dist/quickstart.js "http://localhost:$port" && status=0
  else
    echo "the app did not become ready on port $port"
  fi
  [ "$status" = 0 ] || { echo "last lines of the app's log:"; tail -15 "$log" | cut -c1-300; }
  kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  command -v psql >/dev/null && psql "$DATABASE_URL" -qc "drop schema if exists $schema cascade" >/dev/null 2>&1
  rm -rf "$files"
  return $status
}
if client_check; then pass "client: generated TypeScript client ran the quick start"; else fail "client: generated TypeScript client"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
