"""What the cluster has stored, read straight from its PostgreSQL (psql) and its s3rver folder, for the soak and the
drills' "acknowledged vs found stored afterwards" checks. Paths and ports follow scripts/cluster.sh's defaults as
overridden by CLUSTER_DIR / CLUSTER_PG_PORT."""
import os
import subprocess

CLUSTER_DIR = os.environ.get("CLUSTER_DIR", "/tmp/cc-load")
PG_PORT = os.environ.get("CLUSTER_PG_PORT", "55463")
SCHEMA = "chartcraft"
S3_ROOT = os.path.join(CLUSTER_DIR, "services", "s3", "chartcraft-cluster")


def sql(query):
    """Rows of a query as lists of strings (psql -At, '|' separated)."""
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres", "-d", "chartcraft", "-Atq",
                          "-v", "ON_ERROR_STOP=1", "-c", query], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line]


def _ids(ids):
    return ",".join("'%s'" % i for i in ids) or "NULL"


def charts_stored(chart_ids):
    """How many of these chart ids have a chart document."""
    found = 0
    ids = list(chart_ids)
    for start in range(0, len(ids), 2000):
        found += int(sql("select count(*) from %s.mt_doc_chart where id in (%s)" % (SCHEMA, _ids(ids[start:start + 2000])))[0][0])
    return found


def exports_by_status(export_ids):
    """{status: count} of these export jobs, plus 'file missing' for completed ones whose object is not in S3."""
    result, ids = {}, list(export_ids)
    for start in range(0, len(ids), 2000):
        for status, key in sql("select data->>'status', coalesce(data->>'storage_key', '') from %s.mt_doc_exportjob where id in (%s)"
                               % (SCHEMA, _ids(ids[start:start + 2000]))):
            result[status] = result.get(status, 0) + 1
            if status == "completed" and not s3_object_exists(key):
                result["completed, file missing"] = result.get("completed, file missing", 0) + 1
    return result


def s3_object_exists(key):
    return bool(key) and os.path.exists(os.path.join(S3_ROOT, key) + "._S3rver_object")


def sources_without_file():
    """Data source records whose stored file is not in S3 (should be none: an upload is whole or absent)."""
    return [(sid, key) for sid, key in sql("select id, data->>'storage_key' from %s.mt_doc_datasource" % SCHEMA)
            if not s3_object_exists(key)]
