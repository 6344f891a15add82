#!/usr/bin/env bash
# Installs the test dependencies (idempotently), builds, and runs every test: unit tests of each
# layer and the interop tests that drive out/bin/sharpsand with libiscsi tools and qemu-img.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
scripts/install-test-deps.sh
./build.sh
dotnet build SharpSan.slnx -c Release --nologo -v quiet
status=0
# One test project at a time: the interop and in-process target tests both run servers, and kept
# apart they never compete for the two cores of a CI machine (their timeouts stay far away).
dotnet test SharpSan.slnx -c Release --no-build --nologo -v quiet -m:1 --logger "console;verbosity=normal" 2>&1 | tee out/test.log || status=$?
# One closing line over every test project: "N passed, N failed, N skipped".
awk '/^ +Passed: +[0-9]+/{p+=$2} /^ +Failed: +[0-9]+/{f+=$2} /^ +Skipped: +[0-9]+/{s+=$2}
     END {printf "%d passed, %d failed, %d skipped\n", p, f, s}' out/test.log
exit $status
