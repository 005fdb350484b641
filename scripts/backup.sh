#!/usr/bin/env bash
# Writes one dated archive of a ChartCraft instance: its PostgreSQL schema (documents, chart event streams,
# queued jobs and the Data Protection keys that encrypt integration credentials and webhook secrets) and every
# stored file (uploads, exports, newsletter images), from local disk or the S3 bucket.
#
#   scripts/backup.sh [DIR]        # DIR, else BACKUP_DIR; prints the archive's path on stdout
#
# Reads the app's environment (DATABASE_URL, DATABASE_SCHEMA, AWS_S3_BUCKET..., STORAGE_LOCAL_PATH).
# Needs pg_dump (PostgreSQL client, same major version as the server or newer), python3, tar, and the AWS CLI
# when the files are in S3. Not in the archive: Redis (a cache, rebuilt by itself) and JWT_SECRET_KEY (keep it
# with your other secrets: without it, issued tokens and app-signed download links stop working).
set -euo pipefail

SCRIPT_NAME=backup
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/backup-lib.sh"

DEST="${1:-${BACKUP_DIR:-}}"
[ -n "$DEST" ] || die "usage: scripts/backup.sh DIR (or set BACKUP_DIR)"
need pg_dump "install the PostgreSQL client (apt install postgresql-client)"
need psql "install the PostgreSQL client (apt install postgresql-client)"
mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"

started=$(now_ms)
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
NAME="chartcraft-backup-$STAMP"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chartcraft-backup.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/$NAME"
mkdir -p "$STAGE/blobs"

pg_env
tables=$(psql -X -Atq -v ON_ERROR_STOP=1 \
  -c "select count(*) from pg_tables where schemaname = '$SCHEMA'") || die "cannot reach PostgreSQL ($PGHOST:${PGPORT:-5432}/$PGDATABASE)"
[ "$tables" -gt 0 ] || die "schema '$SCHEMA' in database '$PGDATABASE' has no tables: wrong DATABASE_SCHEMA?"
dp_keys=$(psql -X -Atq -c "select count(*) from \"$SCHEMA\".mt_doc_dataprotectionkey" 2>/dev/null || echo 0)

# The database first: a file is written before the document that names it, and only deleted after the document is,
# so files copied after this snapshot include every one it refers to (unless deleted in between: an expired export
# or a deleted source, which the restored app no longer needs either).
log "dumping schema '$SCHEMA' of $PGHOST:${PGPORT:-5432}/$PGDATABASE"
pg_dump --format=custom --schema="$SCHEMA" --no-owner --no-privileges --file="$STAGE/database.dump"

KIND="$(storage_kind)"
if [ "$KIND" = s3 ]; then
  SOURCE="s3://$AWS_S3_BUCKET"
  log "copying files from $SOURCE${AWS_ENDPOINT_URL:+ at $AWS_ENDPOINT_URL}"
  s3 s3 cp --recursive --only-show-errors "$SOURCE/" "$STAGE/blobs/" || die "cannot copy files from $SOURCE"
else
  SOURCE="$(local_path)"
  [ -d "$SOURCE" ] || die "STORAGE_LOCAL_PATH '$SOURCE' does not exist"
  log "copying files from $SOURCE"
  # Half-written files (*.partial) and health probes are not data.
  tar -C "$SOURCE" --exclude='*.partial' --exclude='./.health-*' -cf - . | tar -C "$STAGE/blobs" -xf -
fi
blob_count=$(find "$STAGE/blobs" -type f | wc -l | tr -d ' ')
blob_bytes=$(find "$STAGE/blobs" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')

VERSION="${CHARTCRAFT_VERSION:-$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)}"
export NAME STAMP VERSION SCHEMA KIND SOURCE blob_count blob_bytes dp_keys tables
python3 - >"$STAGE/manifest.json" <<'PY'
import json, os
e = os.environ
print(json.dumps({
    "format": "chartcraft-backup/1",
    "name": e["NAME"],
    "created_at": f'{e["STAMP"][0:4]}-{e["STAMP"][4:6]}-{e["STAMP"][6:8]}T{e["STAMP"][9:11]}:{e["STAMP"][11:13]}:{e["STAMP"][13:15]}Z',
    "app_version": e["VERSION"],
    "database": {"file": "database.dump", "format": "pg_dump custom", "schema": e["SCHEMA"], "tables": int(e["tables"]),
                 "server": f'{e["PGHOST"]}:{e.get("PGPORT", "5432")}/{e["PGDATABASE"]}'},
    "data_protection_keys": {"count": int(e["dp_keys"]),
                             "where": f'inside database.dump, table {e["SCHEMA"]}.mt_doc_dataprotectionkey',
                             "note": "they decrypt integration credentials and webhook secrets; restored with the database"},
    "blobs": {"folder": "blobs/", "storage": e["KIND"], "source": e["SOURCE"], "count": int(e["blob_count"]),
              "bytes": int(e["blob_bytes"])},
    "not_included": {
        "redis": "cache, rate-limit counters, locks and revocation caches only; rebuilt by the app",
        "JWT_SECRET_KEY": "configuration: keep it separately; the restored app needs the same value for issued tokens and app-signed download links",
    },
}, indent=2))
PY

tar -C "$WORK" -czf "$DEST/$NAME.tar.gz.partial" "$NAME"
mv "$DEST/$NAME.tar.gz.partial" "$DEST/$NAME.tar.gz"
log "wrote $DEST/$NAME.tar.gz ($blob_count files, $dp_keys data protection keys) in $(( $(now_ms) - started )) ms"
echo "$DEST/$NAME.tar.gz"
