#!/usr/bin/env bash
# End-to-end speed through HTTP (a load script, not a test): upload of a 10 MB CSV, analysis, chart
# creation from a 50 000-row source, PNG/SVG exports and a burst of 20 concurrent image exports.
# Starts its own PostgreSQL/Redis (scripts/services.sh) and a Release build of the app on port 3099.
#   Benchmarks/http-load.sh            # prints one line per measurement (p50 / p95 in ms)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export SVC_DIR=/tmp/chartcraft-bench-svc PG_PORT=55434 REDIS_PORT=56381 PG_DB=chartcraft_bench
scripts/services.sh start >/dev/null
eval "$(scripts/services.sh env)"
source Benchmarks/bench-plan.sh
work=$(mktemp -d)
port=3099
base="http://127.0.0.1:$port"

dotnet build ChartCraft.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
JWT_SECRET_KEY="bench-secret-0123456789abcdefghijklmnop" DEBUG=true RATE_LIMIT_PER_MINUTE=100000 RENDER_WARM_UP=true MAX_FILE_SIZE_MB=12 \
  STORAGE_LOCAL_PATH="$work/files" DATABASE_SCHEMA="bench_$(date +%s)" \
  PORT=$port dotnet bin/Release/net10.0/ChartCraft.dll >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; scripts/services.sh stop >/dev/null 2>&1; rm -rf "$work"' EXIT
for _ in $(seq 120); do curl -sf "$base/health" >/dev/null && break; sleep 0.5; done

# p50 and p95 of the numbers on stdin (seconds → ms)
stats() { sort -n | awk '{ v[NR] = $1 * 1000 } END { p95 = int(NR * 0.95 + 0.5); if (p95 < 1) p95 = 1;
  printf "p50 %.0f ms, p95 %.0f ms (n=%d)\n", v[int((NR + 1) / 2)], v[p95], NR }'; }
json() { sed -E "s/.*\"$1\":\"?([^\",}]*)\"?.*/\1/"; }

token=$(curl -s "$base/api/auth/register" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark-pass","first_name":"B","last_name":"M"}' | json access_token)
auth=(-H "Authorization: Bearer $token")

# rows × 6 columns: date, category, region, revenue with thousands separators, percent, id
make_csv() {
  awk -v n="$1" 'BEGIN { srand(7); print "date,category,region,revenue,margin,order_id";
    split("North,South,East,West,Central", r, ","); split("Books,Games,Music,Tools,Toys,Garden,Food,Sports", c, ",");
    for (i = 0; i < n; i++) { d = 1704067200 + (i % 730) * 86400;
      printf "%s,%s,%s,\"%s\",%.1f%%,ORD-%07d\n", strftime("%Y-%m-%d", d, 1), c[i % 8 + 1], r[i % 5 + 1],
        sprintf("%d,%03d.%02d", 1 + int(rand() * 90), int(rand() * 1000), int(rand() * 100)), rand() * 40, i } }' > "$2"
}
make_csv 200000 "$work/big.csv"
make_csv 50000 "$work/medium.csv"
echo "big.csv: $(du -h "$work/big.csv" | cut -f1), 200000 rows × 6 columns"

# Each call checks its status: a fast error must never pass for a fast answer.
timed() { local expect=$1; shift; local out; out=$(curl -s -w '\n%{http_code} %{time_total}' "$@"); local code=${out##*$'\n'}
  printf '%s' "${out%$'\n'*}" > "$work/last.json"
  [ "${code% *}" = "$expect" ] || { echo "expected $expect, got ${code% *}: $(head -c 300 "$work/last.json")" >&2; exit 1; }
  echo "${code#* }"; }
upload() { timed 201 "${auth[@]}" -F "file=@$1" "$base/api/data/upload"; cp "$work/last.json" "$work/up.json"; }
: > "$work/t"; for _ in 1 2 3 4 5; do upload "$work/big.csv" >> "$work/t"; done
echo "upload 10 MB CSV → 201: $(stats < "$work/t")"
big=$(json data_source_id < "$work/up.json")
echo "resident memory after five uploads of it: $(awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' /proc/$app/status)"

# Datawrapper-style: upload, ask for suggestions, create the top one (three requests, timed together)
: > "$work/t"
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N)
  upload "$work/big.csv" >/dev/null; id=$(json data_source_id < "$work/up.json")
  timed 200 "${auth[@]}" "$base/api/charts/suggest-type?data_source_id=$id" >/dev/null
  body=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["suggestions"][0]; print(json.dumps({"data_source_id": sys.argv[2], "chart_type": s["chart_type"], "title": "Top suggestion", "config": s["config"]}))' "$work/last.json" "$id")
  timed 201 "${auth[@]}" -H 'content-type: application/json' -d "$body" "$base/api/charts" >/dev/null
  awk -v now="$(date +%s.%N)" -v start="$start" 'BEGIN { print now - start }' >> "$work/t"
done
echo "upload + suggest + create the top suggestion (10 MB CSV): $(stats < "$work/t")"

: > "$work/t"
for _ in 1 2 3; do
  upload "$work/big.csv" >/dev/null; id=$(json data_source_id < "$work/up.json")
  timed 200 "${auth[@]}" -H 'content-type: application/json' \
    -d "{\"data_source_id\":\"$id\",\"analysis_type\":\"full\"}" "$base/api/data/analyze" >> "$work/t"
done
echo "full analysis of the 10 MB source (uncached): $(stats < "$work/t")"

upload "$work/medium.csv" >/dev/null; medium=$(json data_source_id < "$work/up.json")
chart_body() { echo "{\"data_source_id\":\"$medium\",\"chart_type\":\"line\",\"title\":\"Revenue by day $1\",\"config\":{\"x_column\":\"date\",\"y_column\":\"revenue\"}}"; }
for i in 1 2 3; do curl -s -o /dev/null "${auth[@]}" -H 'content-type: application/json' -d "$(chart_body warm$i)" "$base/api/charts"; done
# a new title each time: the config is built from the 50 000 rows, not taken from the config cache
: > "$work/t"
for i in $(seq 20); do
  timed 201 "${auth[@]}" -H 'content-type: application/json' -d "$(chart_body $i)" "$base/api/charts" >> "$work/t"
done
echo "create chart from a 50 000-row source (warm process, config built each time): $(stats < "$work/t")"
chart=$(json chart_id < "$work/last.json")

timed 201 "${auth[@]}" -H 'content-type: application/json' -d "{\"data_source_id\":\"$medium\",\"chart_type\":\"bar\",\"title\":\"Revenue by region\",\"config\":{\"x_column\":\"region\",\"y_column\":\"revenue\"}}" "$base/api/charts" >/dev/null
bar=$(json chart_id < "$work/last.json")
export_image() { timed 200 "${auth[@]}" -H 'content-type: application/json' \
  -d "{\"chart_id\":\"$1\",\"format\":\"$2\",\"width\":$3,\"height\":600}" "$base/api/export/image"; }
for c in "$bar" "$chart"; do export_image "$c" png 790 >/dev/null; export_image "$c" svg 790 >/dev/null; done
# a new width each time, so every request renders instead of reusing a stored file
for kind in "bar chart (5 bars):$bar" "line chart (730 daily points):$chart"; do
  c=${kind##*:}; name=${kind%:*}
  : > "$work/t"; for i in $(seq 30); do export_image "$c" png $((800 + i)) >> "$work/t"; done
  echo "PNG 800×600 export of a $name, rendered each time: $(stats < "$work/t")"
  : > "$work/t"; for i in $(seq 30); do export_image "$c" svg $((800 + i)) >> "$work/t"; done
  echo "SVG 800×600 export of a $name, rendered each time: $(stats < "$work/t")"
done

# The first PNG of a chart just created (its data set in memory, the chart never rendered before)
: > "$work/t"
for i in $(seq 10); do
  timed 201 "${auth[@]}" -H 'content-type: application/json' -d "$(chart_body first$i)" "$base/api/charts" >/dev/null
  fresh=$(json chart_id < "$work/last.json")
  export_image "$fresh" png 800 >> "$work/t"
done
echo "first PNG 800×600 export of a new chart: $(stats < "$work/t")"

: > "$work/codes"
burst_start=$(date +%s.%N)
for i in $(seq 20); do
  (curl -s -o /dev/null -w '%{http_code}\n' "${auth[@]}" -H 'content-type: application/json' \
    -d "{\"chart_id\":\"$chart\",\"format\":\"png\",\"width\":$((1000 + i)),\"height\":600}" "$base/api/export/image" >> "$work/codes") &
done
wait $(jobs -p | grep -v "^$app$") 2>/dev/null || true
awk -v now="$(date +%s.%N)" -v start="$burst_start" 'BEGIN { printf "20 concurrent distinct PNG exports in %.2f s: %.1f images/s\n", now - start, 20 / (now - start) }'
browsers=$(pgrep -f -- "--remote-debugging" | xargs -r ps -o args= -p | grep -vc -- "--type=" || true)
echo "20 concurrent PNG exports: $(sort "$work/codes" | uniq -c | tr '\n' ' ')— browser processes: $browsers"
