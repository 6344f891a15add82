#!/usr/bin/env bash
# Builds if needed, then runs sharpsand in the foreground on the embedded demo configuration:
# a 1 GiB sparse fileio LUN, target iqn.2026-11.io.sharpsan:demo, portal 127.0.0.1:3260.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x out/bin/sharpsand ] || [ -n "$(find src -newer out/bin/sharpsand -name '*.cs' -o -newer out/bin/sharpsand -name '*.csproj' | head -1)" ]; then
  ./build.sh
fi
exec out/bin/sharpsand --demo --state-dir "${SHARPSAN_STATE_DIR:-$(pwd)/state}" "$@"
