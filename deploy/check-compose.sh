#!/usr/bin/env bash
# Validates docker-compose.yml (or the files given) against the Compose Specification's JSON schema and lints it,
# with dclint (npm, pinned in deploy/tools/package-lock.json; the schema ships inside the package). No Docker needed.
#   deploy/check-compose.sh [compose-file...]
# Exit 0 when every file is valid and has no lint warning; dclint names the line and rule of each problem otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/deploy/tools"
if [ ! -x "$TOOLS/node_modules/.bin/dclint" ] || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]; then
  (cd "$TOOLS" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
[ $# -gt 0 ] || set -- "$ROOT/docker-compose.yml"
# Colour codes would garble a test's or CI's log.
"$TOOLS/node_modules/.bin/dclint" --config "$TOOLS/dclint.json" --max-warnings 0 --no-color "$@"
echo "compose: $# file(s) valid against the Compose Specification schema, no lint warnings"
