"""Fault drills on the running cluster under a modest background load (run by scripts/drills.sh).

    python3 drills.py [kill-export] [redis] [postgres] [s3] [chromium]     # none named: all, in this order

Background load: BACKGROUND_USERS (4) threads through the balancer, each its own account, looping over open a chart,
list charts, read a public chart and create a chart, PAUSE (0.25 s) between requests. Each drill prints the
background's statuses before / during / after the fault, 5xx and dropped connections, 503s without Retry-After, and
"acknowledged vs found stored afterwards" for the writes it made (charts, exports, uploads).
"""
import os
import subprocess
import sys
import threading
import time
from collections import Counter

from chartcraft_client import Client, percentile, sales_csv
import cluster_state

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLUSTER_DIR = cluster_state.CLUSTER_DIR
PORT = int(os.environ.get("CLUSTER_PORT", "3400"))
BALANCER = "http://127.0.0.1:%d" % PORT
BACKGROUND_USERS = int(os.environ.get("BACKGROUND_USERS", "4"))
PAUSE = float(os.environ.get("PAUSE", "0.25"))
# "balancer" (default): the background load goes through nginx, as clients do; "instances": straight to the instances,
# user k to instance k mod N + 1, to tell the app's own answers from what nginx makes of them.
BACKGROUND_VIA = os.environ.get("BACKGROUND_VIA", "balancer")


def instance(i):
    return "http://127.0.0.1:%d" % (PORT + i)


def cluster(*args):
    started = time.monotonic()
    subprocess.run([os.path.join(ROOT, "scripts", "cluster.sh")] + list(args), check=True)
    return time.monotonic() - started


def say(text):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), text), flush=True)


def make_user(base=BALANCER, public_chart=True):
    c = Client(base)
    c.register("drill")
    status, _, body, _ = c.upload(sales_csv())
    assert status == 201, (status, body)
    source = body["data_source_id"]
    status, _, chart, _ = c.create_chart(source, "Drill", is_public=public_chart)
    assert status == 201, (status, chart)
    return c, source, chart["chart_id"]


class BackgroundLoad:
    """Reads and chart writes through the balancer from a few users; records (t, kind, status, has Retry-After)."""

    def __init__(self, users=BACKGROUND_USERS):
        self.users = [make_user() for _ in range(users)]
        self.records, self.acknowledged = [], []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(u, k), daemon=True) for k, u in enumerate(self.users)]

    def _loop(self, user, k):
        template, source, chart = user
        count = int(open(os.path.join(CLUSTER_DIR, "instances")).read())
        base = instance(k % count + 1) if BACKGROUND_VIA == "instances" else BALANCER
        c = Client(base, timeout=30, token=template.token)
        steps = [("GET chart", lambda: c.request("GET", "/api/charts/" + chart)),
                 ("GET charts", lambda: c.request("GET", "/api/charts?page_size=20")),
                 ("GET public chart", lambda: c.request("GET", "/api/public/charts/" + chart)),
                 ("POST chart", lambda: c.create_chart(source, "Background"))]
        n = 0
        while not self.stop_event.is_set():
            kind, call = steps[n % len(steps)]
            n += 1
            status, headers, body, seconds = call()
            with self.lock:
                self.records.append((time.time(), kind, status, "retry-after" in headers, headers.get("x-ratelimit-remaining"),
                                     seconds * 1000))
                if kind == "POST chart" and status == 201:
                    self.acknowledged.append(body["chart_id"])
            time.sleep(PAUSE)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *_):
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=40)

    def report(self, fault_start, fault_end, killed_at=None):
        """killed_at: when an instance was killed; a 502 for a request sent before then was in flight on it (nginx cannot
        resend a request the dead instance had received): not acknowledged, so nothing can be lost, counted apart."""
        phases = {"before": lambda t: t < fault_start, "during": lambda t: fault_start <= t <= fault_end,
                  "after": lambda t: t > fault_end}
        problems = 0
        for phase, inside in phases.items():
            rows = [r for r in self.records if inside(r[0])]
            by_kind = {}
            for _, kind, status, _, _, _ in rows:
                by_kind.setdefault(kind, Counter())[status] += 1
            in_flight = sum(1 for r in rows if killed_at is not None and r[2] == 502 and r[0] - r[5] / 1000 <= killed_at)
            worst = sum(1 for r in rows if r[2] >= 500 and r[2] != 503 or r[2] == 0) - in_flight
            if in_flight:
                say("  background %-6s %d request(s) in flight on the killed instance answered 502 by nginx (not acknowledged)" % (phase, in_flight))
            no_retry = sum(1 for r in rows if r[2] == 503 and not r[3])
            problems += worst + no_retry
            times = [r[5] for r in rows]
            say("  background %-6s %4d requests (p50 %s ms, p95 %s ms, max %s ms): %s; 5xx other than 503 or no answer: %d; "
                "503 without Retry-After: %d"
                % (phase, len(rows), _ms(percentile(times, 50)), _ms(percentile(times, 95)), _ms(max(times) if times else None),
                   "; ".join("%s %s" % (k, dict(sorted(v.items()))) for k, v in sorted(by_kind.items())), worst, no_retry))
        stored = cluster_state.charts_stored(self.acknowledged)
        say("  background charts: acknowledged (201) %d, found stored afterwards %d" % (len(self.acknowledged), stored))
        return problems == 0 and stored == len(self.acknowledged)


def _ms(value):
    return "-" if value is None else "%.0f" % value


def log_lines_since(marks, pattern_words):
    """Lines of the instances' logs written since marks (byte offsets) that contain any of the words."""
    found = []
    for i, offset in marks.items():
        path = os.path.join(CLUSTER_DIR, "app-%d.log" % i)
        with open(path, "rb") as f:
            f.seek(offset)
            for line in f.read().decode("utf-8", "replace").splitlines():
                if any(w in line for w in pattern_words):
                    found.append("app-%d: %s" % (i, line[:400]))
    return found


def log_marks():
    marks = {}
    for i in range(1, 10):
        path = os.path.join(CLUSTER_DIR, "app-%d.log" % i)
        if os.path.exists(path):
            marks[i] = os.path.getsize(path)
    return marks


def show_5xx(marks):
    lines = log_lines_since(marks, ["responded 500", "responded 502", "responded 504", "\"@l\":\"Error\"", "\"@l\":\"Fatal\""])
    say("  instance log lines with a 500/502/504 answer or an Error since the drill began: %d" % len(lines))
    for line in lines[:8]:
        print("    " + line)
    return lines


# --- the drills ------------------------------------------------------------------------------------------------------

def drill_kill_export():
    """kill -9 instance 1 just after it accepted a batch of 6 large PNG exports; the others finish the batch."""
    say("DRILL kill-export: batch of 6 PNG exports (2000×1500 @192 dpi) accepted by instance 1, which is then killed (kill -9)")
    marks = log_marks()
    owner, _, chart = make_user(instance(1))
    requests = [{"chart_id": chart, "format": "png", "width": 2000, "height": 1500, "dpi": 192}] * 6
    with BackgroundLoad() as load:
        time.sleep(3)
        status, _, body, _ = owner.request("POST", "/api/export/batch", {"requests": requests})
        assert status == 202, (status, body)
        ids = [e["export_id"] for e in body["exports"]]
        time.sleep(0.3)
        kill_at = time.time()
        cluster("kill", "1")
        say("  batch %s accepted (202, %d exports); instance 1 killed" % (body["batch_id"], len(ids)))
        watcher = Client(instance(2), token=owner.token)
        deadline, state = time.time() + float(os.environ.get("TAKEOVER_TIMEOUT", "300")), {}
        while time.time() < deadline:
            for export_id in ids:
                if state.get(export_id) not in ("completed", "failed"):
                    s, _, e, _ = watcher.request("GET", "/api/export/" + export_id)
                    if s == 200:
                        state[export_id] = e["status"]
            if all(state.get(i) in ("completed", "failed") for i in ids):
                break
            time.sleep(4)
        done_at = time.time()
        say("  batch statuses after %.0f s: %s" % (done_at - kill_at, dict(Counter(state.get(i, "unknown") for i in ids))))
        time.sleep(3)
    ok = load.report(kill_at, done_at, killed_at=kill_at)
    stored = cluster_state.exports_by_status(ids)
    say("  batch exports: acknowledged (202) %d, found stored afterwards %s" % (len(ids), stored))
    attempts = cluster_state.sql("select data->>'attempts', count(*) from %s.mt_doc_exportjob where id in (%s) group by 1"
                                 % (cluster_state.SCHEMA, ",".join("'%s'" % i for i in ids)))
    say("  export attempts recorded (attempts: count): %s" % {a: int(n) for a, n in attempts})
    show_5xx(marks)
    say("  restarting instance 1 (%.0f s)" % cluster("restart", "1"))
    return ok and stored.get("completed", 0) == len(ids) and "completed, file missing" not in stored


def drill_redis():
    """Redis stopped for REDIS_DOWN_SECONDS (30): reads keep working, limits fall back to each instance, no 500s."""
    down = float(os.environ.get("REDIS_DOWN_SECONDS", "30"))
    say("DRILL redis: Redis stopped for %.0f s under the background load" % down)
    marks = log_marks()
    with BackgroundLoad() as load:
        time.sleep(5)
        start = time.time()
        cluster("redis-stop")
        time.sleep(down)
        cluster("redis-start")
        end = time.time()
        time.sleep(10)
        ready = [Client(instance(i)).request("GET", "/health/ready")[0] for i in range(1, int(open(os.path.join(CLUSTER_DIR, "instances")).read()) + 1)]
    during = [r for r in load.records if start <= r[0] <= end]
    limited = [r for r in during if r[4] is not None]
    say("  during the outage: %d of %d answers carried X-RateLimit-Remaining (local fallback), 429s: %d"
        % (len(limited), len(during), sum(1 for r in during if r[2] == 429)))
    say("  /health/ready of each instance 10 s after Redis came back: %s" % ready)
    ok = load.report(start, end)
    show_5xx(marks)
    return ok and all(s == 200 for s in ready)


def drill_postgres():
    """PostgreSQL stopped (fast shutdown) for PG_DOWN_SECONDS (6) and started again: 503 + Retry-After, nothing lost."""
    down = os.environ.get("PG_DOWN_SECONDS", "6")
    say("DRILL postgres: scripts/cluster.sh pg-restart %s under the background load" % down)
    marks = log_marks()
    with BackgroundLoad() as load:
        time.sleep(5)
        start = time.time()
        cluster("pg-restart", down)
        end = time.time()
        # Readiness of each instance once PostgreSQL is back: a load balancer or Kubernetes acts on it.
        watch, not_ready, last_not_ready = float(os.environ.get("READY_WATCH_SECONDS", "60")), Counter(), {}
        count = int(open(os.path.join(CLUSTER_DIR, "instances")).read())
        probes = {i: Client(instance(i), timeout=10) for i in range(1, count + 1)}
        while time.time() < end + watch:
            for i, probe in probes.items():
                status, _, body, _ = probe.request("GET", "/health/ready")
                if status != 200:
                    not_ready[i] += 1
                    last_not_ready[i] = "%.0f s after PostgreSQL was back: %s %s" % (time.time() - end, status, str(body)[:160])
            time.sleep(1)
    say("  /health/ready polled each second for %.0f s after the restart: not ready %s" % (watch, dict(not_ready) or "never"))
    for i, text in sorted(last_not_ready.items()):
        say("    instance %d last not ready %s" % (i, text))
    ok = load.report(start, end)
    show_5xx(marks)
    return ok and not not_ready


def drill_s3():
    """s3rver stopped for S3_DOWN_SECONDS (20): uploads get 503 and nothing is half-stored."""
    down = float(os.environ.get("S3_DOWN_SECONDS", "20"))
    say("DRILL s3: s3rver stopped for %.0f s; one user uploads a small CSV every 0.5 s meanwhile" % down)
    marks = log_marks()
    uploader = Client(BALANCER)
    uploader.register("drill-upload")
    uploads, stop = [], threading.Event()

    def upload_loop():
        c = Client(BALANCER, token=uploader.token)
        while not stop.is_set():
            status, headers, body, _ = c.upload(sales_csv(seed=len(uploads)))
            uploads.append((time.time(), status, "retry-after" in headers, body.get("data_source_id") if status == 201 else None))
            time.sleep(0.5)

    with BackgroundLoad() as load:
        thread = threading.Thread(target=upload_loop, daemon=True)
        thread.start()
        time.sleep(5)
        start = time.time()
        cluster("s3-stop")
        time.sleep(down)
        restarting = time.time()
        cluster("s3-start")
        end = time.time()
        time.sleep(10)
        stop.set()
        thread.join(timeout=40)
    for phase, inside in (("before", lambda t: t < start), ("during", lambda t: start <= t <= end), ("after", lambda t: t > end)):
        rows = [u for u in uploads if inside(u[0])]
        say("  uploads %-6s: %s (503 without Retry-After: %d)" % (phase, dict(Counter(u[1] for u in rows)),
                                                              sum(1 for u in rows if u[1] == 503 and not u[2])))
    acknowledged = [u[3] for u in uploads if u[3]]
    missing = cluster_state.sources_without_file()
    stored = set(r[0] for r in cluster_state.sql("select id from %s.mt_doc_datasource where id in (%s)"
                                                 % (cluster_state.SCHEMA, ",".join("'%s'" % a for a in acknowledged) or "NULL")))
    say("  uploads: acknowledged (201) %d, found stored afterwards %d; source records in the whole database whose file is "
        "missing from S3: %d %s" % (len(acknowledged), len(stored), len(missing), missing[:3]))
    during = [u for u in uploads if start + 1 <= u[0] <= restarting]
    ok = load.report(start, end)
    show_5xx(marks)
    return ok and not missing and len(stored) == len(acknowledged) and all(u[1] == 503 for u in during)


def chromium_pids(app_pid):
    """Chromium processes descended from an instance."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    found, stack = [], [app_pid]
    while stack:
        p = stack.pop()
        for child, parent in parents.items():
            if parent == p:
                stack.append(child)
                try:
                    if "chrom" in open("/proc/%d/comm" % child).read():
                        found.append(child)
                except OSError:
                    pass
    return found


def drill_chromium():
    """Every Chromium process of instance 2 killed (kill -9): the next export through that instance succeeds."""
    say("DRILL chromium: kill -9 every Chromium process under instance 2, then export through instance 2")
    marks = log_marks()
    owner, _, chart = make_user(instance(2))
    status, _, body, seconds = owner.export_png(chart)
    say("  export before: %s %s in %.0f ms" % (status, body.get("status") if isinstance(body, dict) else body, seconds * 1000))
    app_pid = int(open(os.path.join(CLUSTER_DIR, "app-2.pid")).read())
    results = []
    with BackgroundLoad() as load:
        time.sleep(3)
        pids = chromium_pids(app_pid)
        start = time.time()
        for p in pids:
            try:
                os.kill(p, 9)
            except OSError:
                pass
        say("  killed %d Chromium processes of instance 2 (pid %d)" % (len(pids), app_pid))
        for n in range(5):
            status, _, body, seconds = owner.request("POST", "/api/export/image", {"chart_id": chart, "format": "png", "width": 640 + n,
                                                                                   "height": 480, "dpi": 96})
            results.append((status, body.get("status") if isinstance(body, dict) else None, seconds,
                            body.get("export_id") if isinstance(body, dict) else None,
                            str(body)[:300] if status != 200 else ""))
            say("  export %d after the kill: %s %s in %.0f ms %s" % (n + 1, status, results[-1][1], seconds * 1000, results[-1][4]))
            time.sleep(1)
        end = time.time()
        time.sleep(3)
    say("  Chromium processes under instance 2 now: %d" % len(chromium_pids(app_pid)))
    ok = load.report(start, end)
    exported = [r[3] for r in results if r[0] == 200 and r[1] == "completed"]
    say("  exports after the kill: acknowledged (200 completed) %d of %d, found stored afterwards %s"
        % (len(exported), len(results), cluster_state.exports_by_status(exported)))
    show_5xx(marks)
    return ok and results[0][0] == 200 and results[0][1] == "completed"


DRILLS = {"kill-export": drill_kill_export, "redis": drill_redis, "postgres": drill_postgres, "s3": drill_s3,
          "chromium": drill_chromium}


def main():
    names = sys.argv[1:] or list(DRILLS)
    unknown = [n for n in names if n not in DRILLS]
    if unknown:
        sys.exit("unknown drill(s): %s; choose from %s" % (", ".join(unknown), ", ".join(DRILLS)))
    outcome = {}
    for name in names:
        try:
            outcome[name] = "passed" if DRILLS[name]() else "FAILED"
        except Exception as error:  # a drill that cannot finish is reported, and the others still run
            outcome[name] = "ERROR: %r" % error
        say("=> %s: %s\n" % (name, outcome[name]))
    say("summary: %s" % ", ".join("%s %s" % kv for kv in outcome.items()))
    sys.exit(0 if all(v == "passed" for v in outcome.values()) else 1)


if __name__ == "__main__":
    main()
