#!/usr/bin/env bash
# Builds every project in Release; executables land in out/bin/.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p out/bin
for tool in src/Tools/*/; do
  dotnet publish "$tool" -c Release -o out/bin --nologo -v quiet -p:UseAppHost=true
done
touch out/bin/.built  # what run.sh compares sources with
echo "build: executables in $(pwd)/out/bin"
