"""Summarises a Locust run recorded by locustfile.py, and the process samples of sample_processes.py.

    python3 report.py REQUESTS.jsonl SAMPLES.jsonl [ACCESS.log]

Prints, for the steady phase (all users spawned → end) and for the whole run: per request kind the rate, p50/p95/p99
and the statuses that were not the expected one; then each sampled process's CPU % (own, and of its descendants such
as Chromium) and resident memory (mean and peak), and the load average seen. Given nginx's access log of the cluster
(scripts/cluster.sh), it also prints the steady phase as the balancer saw it: from the request's arrival to the end of
its response, without the time the simulated clients took to send and to read.
"""
import json
import os
import re
import sys
from collections import Counter, defaultdict

from chartcraft_client import percentile

EXPECTED = {"POST /api/auth/register": 201, "POST /api/charts": 201, "POST /api/data/upload": 201}
WRITES = {"POST /api/charts", "POST /api/data/upload"}
TARGET_READ_P95, TARGET_WRITE_P95 = 200, 500


def category(kind):
    if "export" in kind:
        return "export (own figure)"
    if "register" in kind:
        return "sign-up (bcrypt)"
    return "write" if kind in WRITES else "read"


def table(rows, since, until, title):
    per_kind = defaultdict(list)
    for t, kind, ms, status in rows:
        if since <= t <= until:
            per_kind[kind].append((ms, status))
    seconds = max(until - since, 1e-9)
    print("\n%s (%.0f s)" % (title, seconds))
    print("%-32s %-20s %8s %7s %7s %7s %7s  %s" % ("kind", "class", "req/s", "n", "p50 ms", "p95 ms", "p99 ms", "unexpected statuses"))
    total, fivexx, misses = 0, 0, []
    for kind in sorted(per_kind):
        values = per_kind[kind]
        times = [ms for ms, _ in values]
        expected = EXPECTED.get(kind, 200)
        bad = Counter(status for _, status in values if status != expected)
        fivexx += sum(n for s, n in bad.items() if s >= 500 or s == 0)
        total += len(values)
        p95 = percentile(times, 95)
        cls = category(kind)
        if (cls == "read" and p95 >= TARGET_READ_P95) or (cls == "write" and p95 >= TARGET_WRITE_P95):
            misses.append("%s p95 %.0f ms" % (kind, p95))
        print("%-32s %-20s %8.1f %7d %7.0f %7.0f %7.0f  %s" % (kind, cls, len(values) / seconds, len(values),
              percentile(times, 50), p95, percentile(times, 99),
              ", ".join("%s×%d" % ("no answer" if s == 0 else s, n) for s, n in sorted(bad.items())) or "none"))
    print("all: %d requests, %.1f req/s; 5xx or no answer: %d; targets (p95 < %d ms reads, < %d ms writes) missed: %s"
          % (total, total / seconds, fivexx, TARGET_READ_P95, TARGET_WRITE_P95, "; ".join(misses) or "none"))


_ID = re.compile(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def balancer_rows(path):
    """(time, kind, ms, status) per line of the cluster's nginx 'timing' log, named as the Locust kinds are."""
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 5:
                continue
            msec, method, uri, status, seconds = parts[:5]
            kind = "%s %s" % (method, _ID.sub("/{id}", uri))
            if kind == "POST /api/export/image":
                kind += " (PNG)"
            rows.append((float(msec), kind, float(seconds) * 1000, int(status)))
    return rows


def resources(samples, since, until):
    window = [s for s in samples if since <= s["t"] <= until]
    if len(window) < 2:
        print("\n(too few process samples)")
        return
    print("\nprocesses, %s → %s (%d samples): CPU %% of one core, mean over the window; RSS MiB mean / peak" %
          (_hms(window[0]["t"]), _hms(window[-1]["t"]), len(window)))
    names = sorted({n for s in window for n in s["procs"]})
    print("%-12s %9s %14s %14s %18s" % ("process", "own CPU %", "own RSS MiB", "children CPU %", "children RSS MiB"))
    for name in names:
        seen = [s for s in window if name in s["procs"]]
        if len(seen) < 2:
            continue
        a, b = seen[0], seen[-1]
        span = b["t"] - a["t"]
        own = (b["procs"][name]["cpu_s"] - a["procs"][name]["cpu_s"]) / span * 100
        kids = max(0.0, (b["procs"][name]["child_cpu_s"] - a["procs"][name]["child_cpu_s"]) / span * 100)
        rss = [s["procs"][name]["rss_kb"] / 1024 for s in seen]
        crss = [s["procs"][name]["child_rss_kb"] / 1024 for s in seen]
        print("%-12s %9.0f %7.0f / %-5.0f %14.0f %9.0f / %-5.0f" % (name, own, sum(rss) / len(rss), max(rss), kids,
              sum(crss) / len(crss), max(crss)))
    loads = [float(s["loadavg"][0]) for s in window]
    print("load average (1 min) during the window: mean %.1f, max %.1f (%d cores)" % (sum(loads) / len(loads), max(loads), os.cpu_count() or 0))
    machine(window)


def machine(window):
    """Where the whole machine's processor time went: nice is mostly Chromium (RENDER_NICENESS), steal the host's."""
    a, b = window[0].get("machine"), window[-1].get("machine")
    if not a or not b:
        return
    spent = {state: b[state] - a[state] for state in b}
    total = sum(spent.values()) or 1
    print("machine: " + ", ".join("%s %.0f %%" % (state, spent[state] / total * 100)
                                  for state in ("user", "nice", "system", "idle", "steal")))


def _hms(t):
    import time
    return time.strftime("%H:%M:%S", time.localtime(t))


def main():
    with open(sys.argv[1]) as f:
        marks = json.loads(f.readline())["marks"]
        rows = [json.loads(line) for line in f]
    samples = []
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            samples = [json.loads(line) for line in f if line.strip()]
    start = marks["start"]
    # The measured run ends when Locust starts stopping its users; requests cut off then are not the server's doing.
    end = marks.get("stopping", marks.get("end", rows[-1][0] if rows else start))
    spawned = marks.get("spawned", start)
    print("run: %s → %s; all users spawned at %s (%.0f s in)" % (_hms(start), _hms(end), _hms(spawned), spawned - start))
    table(rows, spawned, end, "STEADY PHASE: all users running")
    table(rows, start, end, "WHOLE RUN, ramp-up included")
    if len(sys.argv) > 3:
        table(balancer_rows(sys.argv[3]), spawned, end, "STEADY PHASE AT THE BALANCER (nginx: request in → response out)")
    resources(samples, spawned, end)


if __name__ == "__main__":
    main()
