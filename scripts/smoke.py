#!/usr/bin/env python3
"""End-to-end smoke run against a live ChartCraft: register, upload, suggest, chart, export PNG/SVG/PDF, embed,
delete. Every step checks its body, not only its status. Standard library only, so it runs on a bare machine.

    scripts/smoke.sh http://localhost:3001 [data.csv]
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://localhost:3001"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "Tests", "Data", "VegaDatasets", "barley.csv")
steps = 0


def call(method, path, body=None, token=None, raw=None, content_type=None, absolute=False):
    url = path if absolute else BASE + path
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if raw is not None:
        data, headers["Content-Type"] = raw, content_type
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def check(condition, step, detail=""):
    global steps
    if not condition:
        print(f"SMOKE FAILED at {step}: {detail}"[:2000], file=sys.stderr)
        sys.exit(1)
    steps += 1
    print(f"ok  {step}", flush=True)


def json_of(payload):
    return json.loads(payload.decode() or "null")


def multipart(path):
    boundary = uuid.uuid4().hex
    with open(path, "rb") as f:
        content = f.read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{os.path.basename(path)}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def main():
    status, _, body = call("GET", "/health/ready")
    ready = json_of(body)
    check(status == 200 and ready["status"] == "ok", "ready", body)

    email = f"smoke-{uuid.uuid4().hex[:12]}@example.com"
    status, _, body = call("POST", "/api/auth/register",
                           {"email": email, "password": "smoke test password", "first_name": "Smoke", "last_name": "Test"})
    registered = json_of(body)
    check(status == 201 and registered["user"]["email"] == email and registered["access_token"], "register", body)
    token = registered["access_token"]

    raw, content_type = multipart(DATA)
    status, _, body = call("POST", "/api/data/upload", token=token, raw=raw, content_type=content_type)
    source = json_of(body)
    check(status == 201 and source["row_count"] > 0 and len(source["column_info"]) == source["column_count"] > 1, "upload", body)
    source_id = source["data_source_id"]

    status, _, body = call("GET", f"/api/data/sources/{source_id}/preview?limit=5", token=token)
    preview = json_of(body)
    check(status == 200 and len(preview["data"]) == min(5, source["row_count"]), "preview", body)

    status, _, body = call("GET", f"/api/charts/suggest-type?data_source_id={source_id}", token=token)
    suggestions = json_of(body).get("suggestions", [])
    check(status == 200 and suggestions and suggestions[0]["config"].get("x_column"), "suggest", body)
    top = suggestions[0]

    status, _, body = call("POST", "/api/charts", {
        "data_source_id": source_id, "chart_type": top["chart_type"], "title": "Smoke <b>chart</b>",
        "config": top["config"], "generate_insights": True, "is_public": True}, token=token)
    chart = json_of(body)
    datasets = chart.get("chart_config", {}).get("data", {}).get("datasets", []) if isinstance(chart, dict) else []
    check(status == 201 and chart["chart_type"] == top["chart_type"] and datasets and datasets[0]["data"]
          and chart["ai_insights"]["headline"], "create chart", body)
    chart_id = chart["chart_id"]

    downloads = []
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<svg")):
        status, _, body = call("POST", "/api/export/image",
                               {"chart_id": chart_id, "format": fmt, "width": 800, "height": 500}, token=token)
        export = json_of(body)
        check(status == 200 and export["status"] == "completed" and export["download_url"], f"export {fmt}", body)
        status, headers, content = call("GET", export["download_url"], absolute=True)
        check(status == 200 and magic in content[:512] and fmt in headers.get("Content-Type", ""), f"download {fmt}",
              f"{status} {headers.get('Content-Type')} {content[:80]!r}")
        downloads.append(export["download_url"])

    status, _, body = call("POST", "/api/export/pdf", {"chart_ids": [chart_id], "title": "Smoke report",
                                                       "include_insights": True}, token=token)
    export = json_of(body)
    check(status == 202 and export["status"] in ("queued", "running", "completed"), "export pdf queued", body)
    deadline = time.time() + 180
    while export["status"] in ("queued", "running") and time.time() < deadline:
        time.sleep(1)
        status, _, body = call("GET", f"/api/export/{export['export_id']}", token=token)
        export = json_of(body)
    check(export["status"] == "completed" and export["download_url"], "export pdf completed", export)
    status, headers, content = call("GET", export["download_url"], absolute=True)
    check(status == 200 and content.startswith(b"%PDF"), "download pdf", f"{status} {content[:40]!r}")

    status, _, body = call("POST", "/api/export/embed", {"chart_id": chart_id, "theme": "light", "responsive": True},
                           token=token)
    embed = json_of(body)
    check(status == 200 and embed["embed_url"] in embed["iframe_code"] and "<b>" not in embed["iframe_code"], "embed code", body)
    status, _, page = call("GET", embed["embed_url"], absolute=True)
    check(status == 200 and b"Smoke &lt;b&gt;chart&lt;/b&gt;" in page and b"Smoke <b>chart" not in page, "embed page",
          page[:300])

    status, _, _ = call("DELETE", f"/api/charts/{chart_id}", token=token)
    check(status == 204, "delete chart")
    status, _, body = call("GET", f"/api/charts/{chart_id}", token=token)
    check(status == 404 and json_of(body)["status"] == 404, "chart gone", body)
    # The links handed out before the deletion stop working once its exports are removed (a durable background step).
    pdf_export_id = export["export_id"]
    deadline = time.time() + 30
    while True:
        dead = [call("GET", url, absolute=True)[0] for url in downloads]
        job_status = call("GET", f"/api/export/{pdf_export_id}", token=token)[0]
        if all(code in (403, 404) for code in dead) and job_status == 404 or time.time() > deadline:
            break
        time.sleep(0.5)
    check(all(code in (403, 404) for code in dead) and job_status == 404, "exports and old links gone",
          f"links {dead}, export {job_status}")
    status, _, _ = call("DELETE", f"/api/data/sources/{source_id}", token=token)
    check(status == 204, "delete source")
    status, _, body = call("GET", "/api/data/sources", token=token)
    check(status == 200 and json_of(body)["total"] == 0, "no sources left", body)

    print(f"smoke: {steps} steps passed against {BASE}")


if __name__ == "__main__":
    main()
