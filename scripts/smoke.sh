#!/usr/bin/env bash
# End-to-end smoke run against a live instance: scripts/smoke.sh [BASE_URL] [data.csv]
# (register, upload, suggest, chart, PNG/SVG/PDF export, embed, delete; every body checked).
set -euo pipefail
exec python3 "$(dirname "$0")/smoke.py" "${1:-http://localhost:3001}" "${@:2}"
