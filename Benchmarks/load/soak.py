"""The specification's day, compressed: 10 000 charts created and 2 000 PNGs exported through the cluster's
balancer with bounded concurrency, then a check that every one is stored. Run by Benchmarks/load/soak.sh.

Settings (environment): SOAK_CHARTS (10000), SOAK_EXPORTS (2000), SOAK_USERS (50 accounts, each with one uploaded
source), CHART_CONCURRENCY (16), EXPORT_CONCURRENCY (8).
Prints per phase: wall time, rate, p50/p95/p99, statuses; then charts acknowledged (201) vs stored (API totals and
PostgreSQL) and exports acknowledged (200 completed) vs completed in PostgreSQL with their file in S3.
"""
import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from chartcraft_client import Client, percentile, sales_csv
import cluster_state

CHARTS = int(os.environ.get("SOAK_CHARTS", "10000"))
EXPORTS = int(os.environ.get("SOAK_EXPORTS", "2000"))
USERS = int(os.environ.get("SOAK_USERS", "50"))
CHART_CONCURRENCY = int(os.environ.get("CHART_CONCURRENCY", "16"))
EXPORT_CONCURRENCY = int(os.environ.get("EXPORT_CONCURRENCY", "8"))
CHART_TYPES = ["bar", "pie", "horizontal_bar", "doughnut", "line"]

_local = threading.local()


def client(token):
    if not hasattr(_local, "client"):
        _local.client = Client(timeout=120)
    _local.client.token = token
    return _local.client


def run_phase(name, count, concurrency, work):
    """Runs work(i) → (status, seconds, result, detail) for i in range(count); prints and returns the results."""
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(work, range(count)))
    wall = time.monotonic() - started
    statuses = Counter(r[0] for r in results)
    times = [r[1] * 1000 for r in results]
    print("%s: %d in %.1f s (%.1f/s, concurrency %d); p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms; statuses %s"
          % (name, count, wall, count / wall, concurrency, percentile(times, 50), percentile(times, 95),
             percentile(times, 99), max(times), dict(sorted(statuses.items()))), flush=True)
    errors = Counter(r[3] for r in results if r[3])
    for detail, n in errors.most_common(5):
        print("  error ×%d: %s" % (n, detail))
    return results


def main():
    print("soak: %d charts (concurrency %d), %d PNG exports (concurrency %d), %d users; %s"
          % (CHARTS, CHART_CONCURRENCY, EXPORTS, EXPORT_CONCURRENCY, USERS, time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())), flush=True)
    users = []

    def make_user(i):
        c = Client()
        c.register("soak")
        status, _, body, _ = c.upload(sales_csv(seed=i))
        assert status == 201, (status, body)
        return c.token, body["data_source_id"]

    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        users = list(pool.map(make_user, range(USERS)))
    print("setup: %d users registered, one source each, in %.1f s" % (USERS, time.monotonic() - started), flush=True)

    def create(i):
        token, source = users[i % USERS]
        status, _, body, seconds = client(token).create_chart(source, "Soak %d" % i, CHART_TYPES[i % len(CHART_TYPES)])
        if status == 201:
            return status, seconds, body["chart_id"], None
        return status, seconds, None, "%s %s" % (status, str(body)[:200])

    charts = run_phase("charts POST /api/charts", CHARTS, CHART_CONCURRENCY, create)
    acknowledged = [(i, r[2]) for i, r in enumerate(charts) if r[0] == 201]

    def export(i):
        chart_index, chart_id = acknowledged[i % len(acknowledged)]
        token = users[chart_index % USERS][0]
        status, _, body, seconds = client(token).export_png(chart_id)
        if status == 200 and isinstance(body, dict) and body.get("status") == "completed":
            return status, seconds, body["export_id"], None
        return status, seconds, None, "%s %s" % (status, str(body)[:200])

    exports = run_phase("exports POST /api/export/image (PNG 800×600)", min(EXPORTS, len(acknowledged) * 10), EXPORT_CONCURRENCY, export)
    exported = [r[2] for r in exports if r[2]]

    # Stored afterwards: through the API (each user's chart total) and in PostgreSQL / S3.
    api_total = 0
    for token, _ in users:
        status, _, body, _ = Client(token=token).request("GET", "/api/charts?page_size=1")
        api_total += body["total"] if status == 200 else 0
    print("charts: acknowledged %d; listed by the API (sum of the users' totals) %d; in PostgreSQL %d"
          % (len(acknowledged), api_total, cluster_state.charts_stored([c for _, c in acknowledged])))
    print("exports: acknowledged (200, completed) %d; in PostgreSQL by status %s"
          % (len(exported), cluster_state.exports_by_status(exported)))


if __name__ == "__main__":
    main()
