#!/usr/bin/env bash
# Scores chart suggestions on the held-out evaluation set (Tests/Evaluation): builds the tests, runs only
# SuggestionScoreTests and prints type accuracy, top-1, top-3, diversity and the misses per data set.
# The figures are also left in artifacts/evaluation/scores.json. Needs no services: it reads files only.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/artifacts/evaluation"
rm -f "$out/scores.json" "$out/report.txt"
dotnet build Tests/ChartCraft.Tests.csproj -c Debug -nologo -v quiet -clp:ErrorsOnly
EVALUATION_OUTPUT="$out" dotnet test Tests/ChartCraft.Tests.csproj -c Debug --no-build --nologo \
  --filter "FullyQualifiedName~ChartCraft.Tests.Evaluation.SuggestionScoreTests" | tail -n 3
cat "$out/report.txt"
