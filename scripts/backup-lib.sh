# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run). They read the app's own environment:
# DATABASE_URL, DATABASE_SCHEMA, AWS_S3_BUCKET / AWS_REGION / AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
# AWS_ENDPOINT_URL, STORAGE_LOCAL_PATH.

log() { printf '[%s] %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() { log "$*"; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"; }

SCHEMA="${DATABASE_SCHEMA:-chartcraft}"
# The app's own rule (a lower-case SQL identifier), which also makes the name safe to write into SQL here.
[[ "$SCHEMA" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "DATABASE_SCHEMA: '$SCHEMA' must be a lower-case SQL identifier"

# Exports PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE from DATABASE_URL, accepting what the app accepts
# (ChartCraftSettings.PostgresUrlToConnectionString): postgresql:// or postgres:// URLs, where only sslmode counts among
# the query parameters (libpq would refuse others), or an Npgsql keyword string (Host=...;Database=...). Through the
# environment, so the password never shows in a process list.
pg_env() {
  [ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set"
  need python3 "it reads DATABASE_URL"
  local exports
  exports="$(python3 - <<'PY'
import os, shlex, sys
from urllib.parse import urlsplit, unquote, parse_qsl
url = os.environ["DATABASE_URL"].strip()
out = {}
def fail():
    sys.exit("DATABASE_URL: expected postgresql://user:password@host:port/database")
if url.lower().startswith("postgres") and "://" in url:
    u = urlsplit(url)
    if u.scheme.lower() not in ("postgresql", "postgres") or not u.hostname or not u.path.strip("/"):
        fail()
    out["PGHOST"] = u.hostname
    out["PGPORT"] = str(u.port or 5432)
    out["PGDATABASE"] = unquote(u.path.strip("/"))
    if u.username is not None: out["PGUSER"] = unquote(u.username)
    if u.password is not None: out["PGPASSWORD"] = unquote(u.password)
    for k, v in parse_qsl(u.query):
        if k.lower() == "sslmode": out["PGSSLMODE"] = v
else:
    names = {"host": "PGHOST", "server": "PGHOST", "port": "PGPORT", "database": "PGDATABASE", "db": "PGDATABASE",
             "username": "PGUSER", "user name": "PGUSER", "user id": "PGUSER", "userid": "PGUSER", "user": "PGUSER",
             "password": "PGPASSWORD", "psw": "PGPASSWORD", "pwd": "PGPASSWORD", "ssl mode": "PGSSLMODE", "sslmode": "PGSSLMODE"}
    for part in url.split(";"):
        if "=" not in part: continue
        k, v = part.split("=", 1)
        if k.strip().lower() in names: out[names[k.strip().lower()]] = v.strip()
    if not out.get("PGHOST"): fail()
# Npgsql spells verify-ca and verify-full as VerifyCA / VerifyFull; libpq wants them lower-case with a dash.
if "PGSSLMODE" in out:
    mode = out["PGSSLMODE"].lower().replace("-", "")
    out["PGSSLMODE"] = {"verifyca": "verify-ca", "verifyfull": "verify-full"}.get(mode, mode)
for k, v in out.items(): print(f"export {k}={shlex.quote(v)}")
PY
)" || die "cannot read DATABASE_URL"
  eval "$exports"
}

storage_kind() { if [ -n "${AWS_S3_BUCKET:-}" ]; then echo s3; else echo local; fi; }

# The local folder as the app resolves it (relative to the working directory; default .data/files).
local_path() {
  local path="${STORAGE_LOCAL_PATH:-.data/files}"
  case "$path" in /*) echo "$path" ;; *) echo "$PWD/$path" ;; esac
}

# The AWS CLI set up the way the app's S3 client is (Infrastructure/Storage/S3BlobStorage.cs): the same credentials
# (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else the default chain), region, endpoint with path-style addressing
# for S3-compatible servers, and checksums only where S3 requires them, as the app's client does (recent AWS CLIs
# add CRC checksums to every upload by default, which not every S3-compatible server understands).
s3() {
  need aws "install the AWS CLI (pip install awscli, or apt install awscli) to back up or restore an S3 bucket"
  local args=(--region "${AWS_REGION:-us-east-1}")
  if [ -n "${AWS_ENDPOINT_URL:-}" ]; then
    args+=(--endpoint-url "$AWS_ENDPOINT_URL")
    if [ -z "${S3_CLI_CONFIG:-}" ]; then
      S3_CLI_CONFIG="$WORK/aws-config"
      printf '[default]\ns3 =\n  addressing_style = path\n' >"$S3_CLI_CONFIG"
    fi
    AWS_CONFIG_FILE="$S3_CLI_CONFIG" AWS_REQUEST_CHECKSUM_CALCULATION=when_required \
      AWS_RESPONSE_CHECKSUM_VALIDATION=when_required aws "$@" "${args[@]}"
  else
    AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required aws "$@" "${args[@]}"
  fi
}

now_ms() { date +%s%3N; }
