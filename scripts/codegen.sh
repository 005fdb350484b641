#!/usr/bin/env bash
# Writes the Wolverine message handlers' generated code to Internal/Generated (compiled with the app; the app never
# compiles code at run time). Run it after adding or changing a message handler, a handler policy or middleware, and
# commit the result: GeneratedHandlerCodeTests fails while the files differ from what Wolverine would generate.
#   scripts/codegen.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# Removed first: code generated for an older handler may no longer compile.
rm -rf Internal/Generated
dotnet build ChartCraft.csproj -c Debug -nologo -v quiet -clp:ErrorsOnly >/dev/null
# Generating reads the configuration but opens no connection: placeholders are enough.
DEBUG=false DATABASE_URL="postgresql://codegen:codegen@127.0.0.1:1/codegen" REDIS_URL="redis://127.0.0.1:1" \
  JWT_SECRET_KEY="codegen-only-0123456789abcdefghijklmnop" STORAGE_LOCAL_PATH="$(mktemp -d)" \
  dotnet bin/Debug/net10.0/ChartCraft.dll codegen write | grep -c "Wrote generated code" | sed 's/$/ files written to Internal\/Generated/'
