#!/usr/bin/env bash
# Restores an archive written by scripts/backup.sh into an EMPTY PostgreSQL schema and EMPTY file storage, both
# named by the app's environment (DATABASE_URL, DATABASE_SCHEMA, AWS_S3_BUCKET..., STORAGE_LOCAL_PATH), then the app
# can start on them. It refuses when the schema already has tables or the storage holds files.
#
#   scripts/restore.sh ARCHIVE
#
# The database named in DATABASE_URL must exist (the schema is created); an S3 bucket must exist. DATABASE_SCHEMA
# must be the archive's schema (Marten's functions name their schema), so restore into another database to keep
# the old one. Redis is not restored: point the app at an empty Redis (or a new REDIS_KEY_PREFIX); caches, rate
# limits and revocation caches rebuild. Start the app with the JWT_SECRET_KEY the backed-up instance had.
set -euo pipefail

SCRIPT_NAME=restore
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/backup-lib.sh"

ARCHIVE="${1:-}"
[ -n "$ARCHIVE" ] && [ -f "$ARCHIVE" ] || die "usage: scripts/restore.sh ARCHIVE (a chartcraft-backup-*.tar.gz)"
need pg_restore "install the PostgreSQL client (apt install postgresql-client)"
need psql "install the PostgreSQL client (apt install postgresql-client)"

started=$(now_ms)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chartcraft-restore.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
tar -C "$WORK" -xzf "$ARCHIVE"
STAGE="$(find "$WORK" -mindepth 2 -maxdepth 2 -name manifest.json -printf '%h\n' | head -1)"
[ -n "$STAGE" ] && [ -f "$STAGE/database.dump" ] || die "$ARCHIVE is not a ChartCraft backup (no manifest.json / database.dump)"
archived_schema="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["database"]["schema"])' "$STAGE/manifest.json")"
[ "$archived_schema" = "$SCHEMA" ] || die "the archive holds schema '$archived_schema' but DATABASE_SCHEMA is '$SCHEMA': \
set DATABASE_SCHEMA=$archived_schema (restore into another database to keep an existing one)"

# Both targets are checked before anything is written.
pg_env
read -r tables others < <(psql -X -Atq -F ' ' -v ON_ERROR_STOP=1 -c "
  select (select count(*) from pg_tables where schemaname = '$SCHEMA'),
         (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '$SCHEMA')
       + (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = '$SCHEMA')") \
  || die "cannot reach PostgreSQL ($PGHOST:${PGPORT:-5432}/$PGDATABASE; the database must exist)"
[ "$tables" -eq 0 ] || die "schema '$SCHEMA' in database '$PGDATABASE' already has $tables tables: restore only into an empty schema"
[ "$others" -eq 0 ] || die "schema '$SCHEMA' in database '$PGDATABASE' is not empty ($others objects): drop it first"

KIND="$(storage_kind)"
if [ "$KIND" = s3 ]; then
  TARGET="s3://$AWS_S3_BUCKET"
  listed="$(s3 s3api list-objects-v2 --bucket "$AWS_S3_BUCKET" --max-items 1 --query 'Contents[].Key' --output text)" \
    || die "cannot list $TARGET (the bucket must exist)"
  [ -z "$listed" ] || [ "$listed" = None ] || die "$TARGET already holds files: restore only into an empty bucket"
else
  TARGET="$(local_path)"
  if [ -d "$TARGET" ] && [ -n "$(find "$TARGET" -mindepth 1 -type f -print -quit)" ]; then
    die "STORAGE_LOCAL_PATH '$TARGET' already holds files: restore only into an empty folder"
  fi
fi

log "restoring schema '$SCHEMA' into $PGHOST:${PGPORT:-5432}/$PGDATABASE"
# An existing but empty schema (checked above) is dropped so the dump can create it with everything inside.
psql -X -q -v ON_ERROR_STOP=1 -c "set client_min_messages = warning; drop schema if exists \"$SCHEMA\"" >/dev/null
# One transaction: a failure leaves the database as it was.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$PGDATABASE" "$STAGE/database.dump"
db_done=$(now_ms)

count=$(find "$STAGE/blobs" -type f | wc -l | tr -d ' ')
log "restoring $count files into $TARGET"
if [ "$KIND" = s3 ]; then
  if [ "$count" -gt 0 ]; then
    s3 s3 cp --recursive --only-show-errors "$STAGE/blobs/" "$TARGET/" \
      || die "copying files into $TARGET failed; the database is restored: empty the bucket, drop schema '$SCHEMA' and run again"
  fi
else
  mkdir -p "$TARGET"
  tar -C "$STAGE/blobs" -cf - . | tar -C "$TARGET" -xf - \
    || die "copying files into $TARGET failed; the database is restored: empty the folder, drop schema '$SCHEMA' and run again"
fi

log "restored in $(( $(now_ms) - started )) ms (database $(( db_done - started )) ms, files $(( $(now_ms) - db_done )) ms)"
log "Redis is not restored: start the app on an empty Redis (or a new REDIS_KEY_PREFIX) with the old JWT_SECRET_KEY"
