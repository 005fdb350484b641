"""Simulated ChartCraft users for Locust (run by Benchmarks/load/locust.sh).

Each user registers (its own account, so the per-user rate limit is not what is measured), uploads a small CSV and
makes a first chart, then loops over: list sources, list charts, open a chart, read a public chart, ask for
suggestions, create a chart, and now and then upload a CSV or export a PNG, thinking THINK_MIN..THINK_MAX seconds
(default 2–6 s, uniform) between steps.

The load follows RampThenHold: USERS users (default 1 000), SPAWN_RATE new users a second (default 2) up to SLOW_FROM
users (default 80 % of them), then SLOW_SPAWN_RATE (default half the rate) up to USERS, held until RUN_TIME (default
16m) from the start.

Every request is also recorded (time, kind, ms, status) and written as JSON lines to $LOAD_RECORD when Locust quits,
with the moment spawning completed, so report.py can give rate, p50/p95/p99 and errors by status per kind for the
steady phase.
"""
import json
import os
import random
import time
import uuid

from locust import LoadTestShape, between, events, task
from locust.contrib.fasthttp import FastHttpUser

from chartcraft_client import PASSWORD, chart_body, sales_csv

THINK_MIN = float(os.environ.get("THINK_MIN", "2"))
THINK_MAX = float(os.environ.get("THINK_MAX", "6"))
RECORD_PATH = os.environ.get("LOAD_RECORD", "/tmp/cc-load/locust-requests.jsonl")

USERS = int(os.environ.get("USERS", "1000"))
SPAWN_RATE = float(os.environ.get("SPAWN_RATE", "2"))
SLOW_FROM = int(os.environ.get("SLOW_FROM", str(USERS * 4 // 5)))
SLOW_SPAWN_RATE = float(os.environ.get("SLOW_SPAWN_RATE", str(SPAWN_RATE / 2)))


def _seconds(text):
    """'16m', '90s', '1h' or plain seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    return float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text)


RUN_TIME = _seconds(os.environ.get("RUN_TIME", "16m"))

_records = []
_marks = {"start": time.time()}


@events.request.add_listener
def _record(request_type=None, name=None, response_time=None, response=None, exception=None, **_):
    status = getattr(response, "status_code", 0) or 0
    _records.append((round(time.time(), 3), name, round(response_time or 0, 1), status))


@events.spawning_complete.add_listener
def _spawned(user_count=None, **_):
    # Fires at each step of the shape: the steady phase starts when the last user is running.
    if (user_count or 0) >= USERS:
        _marks.setdefault("spawned", time.time())


@events.test_stopping.add_listener
def _stopping(**_):
    # From here Locust stops its users mid-request: nginx logs those as 499 (client closed), which are not answers.
    _marks.setdefault("stopping", time.time())


@events.quitting.add_listener
def _dump(environment=None, **_):
    _marks["end"] = time.time()
    with open(RECORD_PATH, "w") as out:
        out.write(json.dumps({"marks": _marks}) + "\n")
        for t, name, ms, status in _records:
            out.write(json.dumps([t, name, ms, status]) + "\n")


def multipart_file(field, filename, content, content_type):
    """A multipart/form-data body with one file part (FastHttpUser's client takes bytes, not requests' files=)."""
    boundary = uuid.uuid4().hex
    body = b"".join([
        b"--%s\r\n" % boundary.encode(),
        b'Content-Disposition: form-data; name="%s"; filename="%s"\r\n' % (field.encode(), filename.encode()),
        b"Content-Type: %s\r\n\r\n" % content_type.encode(),
        content,
        b"\r\n--%s--\r\n" % boundary.encode(),
    ])
    return body, "multipart/form-data; boundary=" + boundary


class ChartCraftUser(FastHttpUser):
    """FastHttpUser (geventhttpclient) rather than HttpUser (requests): it spends several times less of the processor
    per request, and Locust shares the two cores with everything it measures (32 % of a core at 239 req/s with
    requests). The server timeout is nginx's (120 s), so Locust's own waits no longer than that."""
    wait_time = between(THINK_MIN, THINK_MAX)
    network_timeout = 130.0
    connection_timeout = 130.0

    def _call(self, method, path, kind, expect, headers=None, **kwargs):
        headers = dict(headers or {})
        if getattr(self, "token", None):
            headers["Authorization"] = "Bearer " + self.token
        with self.client.request(method, path, name=kind, catch_response=True, headers=headers, **kwargs) as resp:
            if resp.status_code != expect:
                resp.failure("%s: %s" % (resp.status_code, resp.text[:200]))
            else:
                resp.success()
            return resp

    def on_start(self):
        self.sources, self.charts = [], []
        email = "locust-%s@example.com" % uuid.uuid4().hex[:12]
        resp = self._call("POST", "/api/auth/register", "POST /api/auth/register", 201,
                          json={"email": email, "password": PASSWORD, "first_name": "Lo", "last_name": "Cust"})
        if resp.status_code != 201:
            self.token = None
            return
        self.token = resp.json()["access_token"]
        self.upload()
        if self.sources:
            self.create_chart()

    def _ready(self):
        if not getattr(self, "token", None):
            self.stop()  # could not register: nothing to do
            return False
        return bool(self.sources)

    @task(4)
    def list_sources(self):
        if self._ready():
            self._call("GET", "/api/data/sources?page_size=20", "GET /api/data/sources", 200)

    @task(4)
    def list_charts(self):
        if self._ready():
            self._call("GET", "/api/charts?page_size=20", "GET /api/charts", 200)

    @task(8)
    def open_chart(self):
        if self._ready() and self.charts:
            self._call("GET", "/api/charts/" + random.choice(self.charts), "GET /api/charts/{id}", 200)

    @task(3)
    def open_public_chart(self):
        if self._ready() and self.charts:
            self._call("GET", "/api/public/charts/" + self.charts[0], "GET /api/public/charts/{id}", 200)

    @task(3)
    def suggest(self):
        if self._ready():
            self._call("GET", "/api/charts/suggest-type?data_source_id=" + random.choice(self.sources),
                       "GET /api/charts/suggest-type", 200)

    @task(3)
    def create_chart(self):
        if not self._ready():
            return
        chart_type = random.choice(["bar", "pie", "horizontal_bar", "doughnut"])
        resp = self._call("POST", "/api/charts", "POST /api/charts", 201,
                          json=chart_body(random.choice(self.sources), "Load %d" % random.randint(1, 10**6), chart_type,
                                          is_public=not self.charts))
        if resp.status_code == 201:
            self.charts.append(resp.json()["chart_id"])

    @task(1)
    def upload(self):
        if not getattr(self, "token", None):
            return
        body, content_type = multipart_file("file", "sales.csv", sales_csv(rows=24, seed=random.randint(0, 1000)), "text/csv")
        resp = self._call("POST", "/api/data/upload", "POST /api/data/upload", 201, data=body,
                          headers={"Content-Type": content_type})
        if resp.status_code == 201:
            self.sources.append(resp.json()["data_source_id"])

    @task(1)
    def export_png(self):
        if self._ready() and self.charts:
            self._call("POST", "/api/export/image", "POST /api/export/image (PNG)", 200,
                       json={"chart_id": random.choice(self.charts), "format": "png", "width": 800, "height": 600,
                             "dpi": 96, "theme": "light"})


class RampThenHold(LoadTestShape):
    """
    New users at SPAWN_RATE a second, the last fifth of them at half that rate, then all of them until RUN_TIME. Each
    new user signs up (bcrypt, work factor 12: a quarter of a second of a core). At 2 a second to the very end, the last
    sign-ups met a nearly full load on the two shared cores and took the processor the renderer needed: PNG exports
    queued past their 30 s in the last two minutes of the ramp (2026-12-07 runs; a minute after spawning stopped the
    queues had drained). A service does not sign up its thousandth concurrent user in the same minute as its 800th.
    """

    def tick(self):
        if self.get_run_time() >= RUN_TIME:
            return None
        if self.get_current_user_count() < SLOW_FROM:
            return SLOW_FROM, SPAWN_RATE
        return USERS, SLOW_SPAWN_RATE
