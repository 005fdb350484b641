"""A small ChartCraft API client for the load scripts (standard library only).

One Client per thread: it keeps one keep-alive HTTP connection to the balancer and reconnects after an error.
Every call returns (status, headers, body-as-dict-or-bytes, seconds); status 0 means no answer (connection refused,
reset or timed out), so a dropped connection is counted, never hidden.
"""
import http.client
import json
import os
import time
import urllib.parse
import uuid

CLUSTER_URL = os.environ.get("CLUSTER_URL", "http://127.0.0.1:%s" % os.environ.get("CLUSTER_PORT", "3400"))
PASSWORD = "load-test-pass-1"


def sales_csv(rows=24, seed=0):
    """A small CSV: month, region, revenue, units (every chart kind the scripts create can use it)."""
    regions = ["North", "South", "East", "West"]
    lines = ["month,region,revenue,units"]
    for i in range(rows):
        lines.append("2025-%02d-01,%s,%d,%d" % (i % 12 + 1, regions[(i + seed) % 4], 100 + (i * 37 + seed * 11) % 900, 1 + (i * 7 + seed) % 50))
    return ("\n".join(lines) + "\n").encode()


def chart_body(source_id, title, chart_type="bar", is_public=False):
    return {"data_source_id": source_id, "chart_type": chart_type, "title": title, "is_public": is_public,
            "config": {"x_column": "month" if chart_type in ("line", "area") else "region", "y_column": "revenue",
                       "aggregation": "sum"}}


class Client:
    def __init__(self, base=CLUSTER_URL, timeout=60.0, token=None):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.timeout = timeout
        self.token = token
        self.conn = None

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def request(self, method, path, body=None, headers=None, content_type="application/json"):
        hdrs = dict(headers or {})
        if self.token:
            hdrs["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                data = bytes(body)
            else:
                data = json.dumps(body).encode()
            hdrs["Content-Type"] = content_type
        start = time.monotonic()
        try:
            conn = self._connection()
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            status, rheaders = resp.status, {k.lower(): v for k, v in resp.getheaders()}
        except (OSError, http.client.HTTPException):
            self.close()
            return 0, {}, None, time.monotonic() - start
        elapsed = time.monotonic() - start
        if rheaders.get("connection", "").lower() == "close":
            self.close()
        payload = raw
        if "json" in rheaders.get("content-type", ""):
            try:
                payload = json.loads(raw)
            except ValueError:
                pass
        return status, rheaders, payload, elapsed

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
            self.conn = None

    # --- the calls the scripts use -------------------------------------------------------------------------------
    def register(self, prefix="load"):
        email = "%s-%s@example.com" % (prefix, uuid.uuid4().hex[:12])
        status, _, body, _ = self.request("POST", "/api/auth/register",
                                          {"email": email, "password": PASSWORD, "first_name": "Load", "last_name": "Test"})
        if status != 201:
            raise RuntimeError("register: %s %r" % (status, body))
        self.token = body["access_token"]
        return email

    def upload(self, content, name="sales.csv"):
        boundary = "----load" + uuid.uuid4().hex
        body = (("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\nContent-Type: text/csv\r\n\r\n"
                 % (boundary, name)).encode() + content + ("\r\n--%s--\r\n" % boundary).encode())
        return self.request("POST", "/api/data/upload", body, content_type="multipart/form-data; boundary=" + boundary)

    def create_chart(self, source_id, title, chart_type="bar", is_public=False):
        return self.request("POST", "/api/charts", chart_body(source_id, title, chart_type, is_public))

    def export_png(self, chart_id, width=800, height=600):
        return self.request("POST", "/api/export/image",
                            {"chart_id": chart_id, "format": "png", "width": width, "height": height, "dpi": 96, "theme": "light"})


def percentile(values, p):
    """Nearest-rank percentile of a list of numbers (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(round(p / 100.0 * len(ordered) + 0.4999)))
    return ordered[min(rank, len(ordered)) - 1]
