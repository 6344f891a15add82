#!/usr/bin/env bash
# Our initiator library (out/bin/sharpsan-bench) against libiscsi's iscsi-perf, same target (sharpsand
# serving a 1 GiB file on /dev/shm), same LUN, random 4 KiB reads at queue depth 32, alternating
# rounds; prints each figure and the ratio of the medians (> 1: our library is faster).
#   usage: bench/initiator-vs-libiscsi.sh [ROUNDS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; seconds=${2:-10}
scripts/install-test-deps.sh
[ -x out/bin/sharpsan-bench ] && [ -x out/bin/sharpsand ] || ./build.sh
work=$(mktemp -d /dev/shm/sharpsan-ibench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/saveconfig.json" <<JSON
{"storage_objects":[{"plugin":"fileio","name":"b","dev":"$work/lun.img","size":1073741824,"write_back":true,
  "wwn":"0b0b0b0b-1111-4222-8333-444444444445","attributes":{"block_size":512}}],
 "targets":[{"fabric":"iscsi","wwn":"iqn.2026-11.io.sharpsan.bench:initiator","tpgs":[{"tag":1,"enable":true,
  "attributes":{"authentication":0,"generate_node_acls":1,"demo_mode_write_protect":0},
  "portals":[{"ip_address":"127.0.0.1","port":$port}],"luns":[{"index":0,"storage_object":"/backstores/fileio/b"}]}]}]}
JSON
out/bin/sharpsand --config "$work/saveconfig.json" --control-socket "$work/c.sock" --log-level warning >"$work/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
url="iscsi://127.0.0.1:$port/iqn.2026-11.io.sharpsan.bench:initiator/0"
ours=(); theirs=()
for _ in $(seq 1 "$rounds"); do
  t=$( (timeout -s INT "$seconds" iscsi-perf -r -b 8 -m 32 "$url" || true) | tr '\r' '\n' | grep -o 'iops average [0-9]*' | tail -1 | awk '{print $3}')
  o=$(out/bin/sharpsan-bench -t "$seconds" -m 32 -b 8 "$url" | grep -o 'iops average [0-9]*' | awk '{print $3}')
  echo "round: iscsi-perf $t IOPS, sharpsan-bench $o IOPS"
  theirs+=("$t"); ours+=("$o")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mt=$(median "${theirs[@]}"); mo=$(median "${ours[@]}")
echo "randread4k-qd32 sharpsan-bench=$mo iscsi-perf=$mt ratio=$(awk -v a="$mo" -v b="$mt" 'BEGIN {printf "%.2f", a/b}')"
