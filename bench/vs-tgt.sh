#!/usr/bin/env bash
# Side-by-side benchmark: sharpsand vs. tgt (the reference user-space target), both serving a 1 GiB
# file on /dev/shm, measured by the same libiscsi clients (../shared/tools/iscsi-bench or the copy
# named by $ISCSI_BENCH). Prints the table and the BENCH ratio line (ratio > 1: sharpsand faster).
#   usage: bench/vs-tgt.sh [--rounds N] [--seconds S] [--only w1,w2]
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${ISCSI_BENCH:-../shared/tools/iscsi-bench}
[ -x "$bench" ] || { echo "vs-tgt: $bench not found (set ISCSI_BENCH)" >&2; exit 2; }
scripts/install-test-deps.sh
if ! command -v tgtd >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tgt >/dev/null
fi
[ -x out/bin/sharpsand ] || ./build.sh

work=$(mktemp -d /dev/shm/sharpsan-bench.XXXXXX)
source bench/lib.sh
trap bench_cleanup EXIT

tgt_port=$(free_port); our_port=$(free_port)
truncate -s 1G "$work/tgt.img" "$work/ours.img"

# tgt: its own control socket name (-C) so a system tgtd is left alone.
tgtd -f -C 77 --iscsi "portal=127.0.0.1:$tgt_port" >"$work/tgtd.log" 2>&1 &
pids+=($!)
wait_port "$tgt_port"
tgtadm -C 77 --lld iscsi --op new --mode target --tid 1 -T iqn.2026-11.io.sharpsan.bench:tgt
tgtadm -C 77 --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$work/tgt.img"
tgtadm -C 77 --lld iscsi --op bind --mode target --tid 1 -I ALL

cat >"$work/saveconfig.json" <<JSON
{
  "storage_objects": [
    { "plugin": "fileio", "name": "bench", "dev": "$work/ours.img", "size": 1073741824, "write_back": true,
      "wwn": "0b0b0b0b-1111-4222-8333-444444444444", "attributes": { "block_size": 512 } }
  ],
  "targets": [
    { "fabric": "iscsi", "wwn": "iqn.2026-11.io.sharpsan.bench:ours",
      "tpgs": [ { "tag": 1, "enable": true,
        "attributes": { "authentication": 0, "generate_node_acls": 1, "demo_mode_write_protect": 0, "cache_dynamic_acls": 1 },
        "portals": [ { "ip_address": "127.0.0.1", "port": $our_port } ],
        "luns": [ { "index": 1, "storage_object": "/backstores/fileio/bench" } ] } ] }
  ]
}
JSON
out/bin/sharpsand --config "$work/saveconfig.json" --log-level warning >"$work/sharpsand.log" 2>&1 &
pids+=($!)
wait_port "$our_port"

"$bench" "$@" "sharpsand=iscsi://127.0.0.1:$our_port/iqn.2026-11.io.sharpsan.bench:ours/1" \
              "tgt=iscsi://127.0.0.1:$tgt_port/iqn.2026-11.io.sharpsan.bench:tgt/1"
