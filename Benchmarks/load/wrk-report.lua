-- wrk script for Benchmarks/load/saturation.sh: adds "Authorization: Bearer $TOKEN" when TOKEN is set, and prints
-- one machine-readable line at the end: requests/s, p50/p95/p99 (ms), non-2xx/3xx responses and socket errors.
local token = os.getenv("TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, e.status, e.connect, e.read, e.write, e.timeout))
end
