#!/usr/bin/env bash
# Builds if needed, then runs sharpsand in the foreground on the embedded demo configuration:
# a 1 GiB sparse fileio LUN, target iqn.2026-11.io.sharpsan:demo, portal 127.0.0.1:3260.
set -euo pipefail
cd "$(dirname "$0")"
# (build.sh stamps out/bin/.built; sources only: obj/ and bin/ hold generated .cs files that every
# test build rewrites, and publish leaves unchanged files, like the native sharpsand host, untouched)
stamp=out/bin/.built
if [ ! -x out/bin/sharpsand ] || [ ! -e "$stamp" ] || [ -n "$(find src \( -name obj -o -name bin \) -prune -o \( -name '*.cs' -o -name '*.csproj' \) -newer "$stamp" -print | head -1)" ]; then
  echo "run.sh: building (sources changed since the last build)..." >&2
  ./build.sh
fi
exec out/bin/sharpsand --demo --state-dir "${SHARPSAN_STATE_DIR:-$(pwd)/state}" "$@"
