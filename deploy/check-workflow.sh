#!/usr/bin/env bash
# Validates the GitHub Actions workflows against the workflow JSON schema with action-validator (npm, pinned in
# deploy/tools/package-lock.json).   deploy/check-workflow.sh [workflow-file...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/deploy/tools"
if [ ! -x "$TOOLS/node_modules/.bin/action-validator" ] || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]; then
  (cd "$TOOLS" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
[ $# -gt 0 ] || set -- "$ROOT"/.github/workflows/*.yml
"$TOOLS/node_modules/.bin/action-validator" "$@"
echo "workflows: $# file(s) valid against the GitHub Actions workflow schema"
