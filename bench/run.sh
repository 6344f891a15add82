#!/usr/bin/env bash
# The benchmark of issue #5: sharpsand and tgt serving identical 1 GiB LUNs on /dev/shm, driven in
# turn (A B A B ...) by the same independent clients, medians over the rounds. For each target it
# also records CPU seconds per million I/Os (from /proc of the target process), resident memory idle
# and under 64 sessions, and the machine's single-stream loopback TCP throughput (iperf3) as the
# ceiling for sequential transfers. Writes docs/benchmarks.md and docs/benchmarks-*.png.
#   usage: bench/run.sh [--rounds N] [--seconds S] [--out DIR]      (defaults: 3 rounds of 10 s)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3; seconds=10; out=docs
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

scripts/install-test-deps.sh
for pkg in iperf3 gnuplot-nox; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
done
[ -x out/bin/sharpsand ] && [ -x out/bin/sharpsan-bench ] || ./build.sh
mkdir -p "$out"

work=$(mktemp -d /dev/shm/sharpsan-bench.XXXXXX)
source bench/lib.sh
trap bench_cleanup EXIT
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

tgt_port=$(free_port); our_port=$(free_port); ctl=$((20000 + RANDOM % 10000))
truncate -s 1G "$work/tgt.img" "$work/ours.img"
tgtd -f -C "$ctl" --iscsi "portal=127.0.0.1:$tgt_port" >"$work/tgtd.log" 2>&1 &
tgt_pid=$!; pids+=("$tgt_pid")
wait_port "$tgt_port"
tgtadm -C "$ctl" --lld iscsi --op new --mode target --tid 1 -T iqn.2026-11.io.sharpsan.bench:tgt
tgtadm -C "$ctl" --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b "$work/tgt.img"
tgtadm -C "$ctl" --lld iscsi --op bind --mode target --tid 1 -I ALL
cat >"$work/saveconfig.json" <<JSON
{"storage_objects":[{"plugin":"fileio","name":"bench","dev":"$work/ours.img","size":1073741824,"write_back":true,
  "wwn":"0b0b0b0b-1111-4222-8333-444444444444","attributes":{"block_size":512}}],
 "targets":[{"fabric":"iscsi","wwn":"iqn.2026-11.io.sharpsan.bench:ours","tpgs":[{"tag":1,"enable":true,
  "attributes":{"authentication":0,"generate_node_acls":1,"demo_mode_write_protect":0,"cache_dynamic_acls":1},
  "portals":[{"ip_address":"127.0.0.1","port":$our_port}],"luns":[{"index":1,"storage_object":"/backstores/fileio/bench"}]}]}]}
JSON
out/bin/sharpsand --config "$work/saveconfig.json" --control-socket "$work/c.sock" --log-level warning >"$work/sharpsand.log" 2>&1 &
our_pid=$!; pids+=("$our_pid")
wait_port "$our_port"
sleep 1

declare -A url=( [sharpsand]="iscsi://127.0.0.1:$our_port/iqn.2026-11.io.sharpsan.bench:ours/1"
                 [tgt]="iscsi://127.0.0.1:$tgt_port/iqn.2026-11.io.sharpsan.bench:tgt/1" )
declare -A pid=( [sharpsand]=$our_pid [tgt]=$tgt_pid )
declare -A idle_rss=( [sharpsand]=$(rss_kib "$our_pid") [tgt]=$(rss_kib "$tgt_pid") )

# One run of a workload against one target: prints "<figure> <ios>" (IOPS or MB/s, and I/O count).
run_workload() {
  local wl=$1 u=$2 n
  case "$wl" in
    randread4k-qd1|randread4k-qd32|seqread128k-qd32)
      local b=8 m=32 r=-r
      [ "$wl" = randread4k-qd1 ] && m=1
      [ "$wl" = seqread128k-qd32 ] && { b=256; r=; }
      local line; line=$( (timeout -s INT "$seconds" iscsi-perf $r -m $m -b $b "$u" || true) | tr '\r' '\n' | grep -o 'iops average [0-9]* ([0-9]* MB/s)' | tail -1)
      local iops; iops=$(echo "$line" | awk '{print $3}'); local mbs; mbs=$(echo "$line" | tr -d '(' | awk '{print $4}')
      n=$((iops * seconds))
      if [ "$wl" = seqread128k-qd32 ]; then echo "$mbs $n"; else echo "$iops $n"; fi ;;
    write4k-qd32|write128k-qd16)
      local size=4096 depth=32 count=$((30000 * seconds / 10))
      [ "$wl" = write128k-qd16 ] && { size=131072; depth=16; count=$((6000 * seconds / 10)); }
      local secs; secs=$(qemu-img bench -f raw -t none -w -S $size -c $count -d $depth -s $size "$u" 2>/dev/null | grep -o 'Run completed in [0-9.]*' | awk '{print $4}')
      if [ "$size" = 4096 ]; then awk -v c=$count -v s="$secs" 'BEGIN {printf "%d %d\n", c/s, c}'
      else awk -v c=$count -v s="$secs" -v z=$size 'BEGIN {printf "%d %d\n", c*z/s/1e6, c}'; fi ;;
    sessions16-qd8)
      # 16 sessions at once, each QD 8 random 4 KiB reads: the sum of their IOPS.
      local i tmp; tmp=$(mktemp -d "$work/s16.XXXX")
      for i in $(seq 1 16); do (timeout -s INT "$seconds" iscsi-perf -r -m 8 -b 8 "$u" 2>/dev/null || true) | tr '\r' '\n' > "$tmp/$i" & done
      wait
      local total=0 v
      for i in $(seq 1 16); do v=$(grep -o 'iops average [0-9]*' "$tmp/$i" | tail -1 | awk '{print $3}'); total=$((total + ${v:-0})); done
      echo "$total $((total * seconds))" ;;
  esac
}

workloads=(randread4k-qd1 randread4k-qd32 write4k-qd32 seqread128k-qd32 write128k-qd16 sessions16-qd8)
declare -A unit=( [randread4k-qd1]=IOPS [randread4k-qd32]=IOPS [write4k-qd32]=IOPS [seqread128k-qd32]=MB/s [write128k-qd16]=MB/s [sessions16-qd8]=IOPS )
declare -A figs cpu ios
for wl in "${workloads[@]}"; do
  for _ in $(seq 1 "$rounds"); do
    for t in sharpsand tgt; do
      c0=$(cpu_ticks "${pid[$t]}")
      read -r fig n < <(run_workload "$wl" "${url[$t]}")
      c1=$(cpu_ticks "${pid[$t]}")
      figs[$wl,$t]="${figs[$wl,$t]:-} $fig"
      cpu[$wl,$t]=$(( ${cpu[$wl,$t]:-0} + c1 - c0 ))
      ios[$wl,$t]=$(( ${ios[$wl,$t]:-0} + n ))
    done
  done
  echo "$wl: sharpsand${figs[$wl,sharpsand]} / tgt${figs[$wl,tgt]} ${unit[$wl]}" >&2
done

# Resident memory under 64 sessions (each a QD 1 reader).
declare -A busy_rss
for t in sharpsand tgt; do
  clients=()
  for i in $(seq 1 64); do (timeout -s INT $((seconds / 2 + 3)) iscsi-perf -m 1 -b 8 "${url[$t]}" >/dev/null 2>&1 || true) & clients+=($!); done
  sleep $((seconds / 2 + 1))
  busy_rss[$t]=$(rss_kib "${pid[$t]}")
  wait "${clients[@]}"  # only the clients: the targets are children of this shell too
done

# The ceiling for sequential transfers: one loopback TCP stream.
ip_port=$(free_port)
iperf3 -s -p "$ip_port" >/dev/null 2>&1 &
iperf_pid=$!; pids+=("$iperf_pid")
# (no connect probe: it would count as iperf3's test client) wait until the port listens
for _ in $(seq 1 100); do ss -ltn "sport = :$ip_port" | grep -q LISTEN && break; sleep 0.1; done
loop_mbs=$(iperf3 -c 127.0.0.1 -p "$ip_port" -t "$seconds" -J | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/8e6))')

median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report="$out/benchmarks.md"
data="$work/chart.dat"
{
  echo "# Benchmarks: sharpsand vs. tgt"
  echo
  echo "Produced by \`bench/run.sh --rounds $rounds --seconds $seconds\` on $(date -u +%Y-%m-%d) (UTC)."
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -r)."
  echo "Both targets serve a 1 GiB file on /dev/shm; clients are libiscsi's \`iscsi-perf\` and \`qemu-img bench\`;"
  echo "the targets run in turn (A B A B ...), each figure is the median of the rounds; CPU is the target"
  echo "process's user+system time over all its rounds of that workload, per million I/Os."
  echo
  echo "| workload | sharpsand | tgt | ratio | CPU s / M I/O sharpsand | CPU s / M I/O tgt | CPU ratio |"
  echo "|---|---|---|---|---|---|---|"
  for wl in "${workloads[@]}"; do
    a=$(median "${figs[$wl,sharpsand]}"); b=$(median "${figs[$wl,tgt]}")
    ca=$(awk -v c="${cpu[$wl,sharpsand]}" -v n="${ios[$wl,sharpsand]}" -v hz="$hz" 'BEGIN {printf "%.1f", n ? c/hz/n*1e6 : 0}')
    cb=$(awk -v c="${cpu[$wl,tgt]}" -v n="${ios[$wl,tgt]}" -v hz="$hz" 'BEGIN {printf "%.1f", n ? c/hz/n*1e6 : 0}')
    echo "| $wl | $a ${unit[$wl]} | $b ${unit[$wl]} | $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b ? a/b : 0}') | $ca | $cb | $(awk -v a="$ca" -v b="$cb" 'BEGIN {printf "%.2f", b ? a/b : 0}') |"
    echo "$wl $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b ? a/b : 0}')" >> "$data"
  done
  echo
  echo "| memory (VmRSS) | sharpsand | tgt |"
  echo "|---|---|---|"
  echo "| idle, one LUN | $((idle_rss[sharpsand] / 1024)) MiB | $((idle_rss[tgt] / 1024)) MiB |"
  echo "| 64 sessions | $((busy_rss[sharpsand] / 1024)) MiB | $((busy_rss[tgt] / 1024)) MiB |"
  echo
  echo "Loopback TCP, one stream (iperf3): **$loop_mbs MB/s** — the ceiling for seqread128k-qd32"
  echo "(sharpsand reached $(awk -v a="$(median "${figs[seqread128k-qd32,sharpsand]}")" -v b="$loop_mbs" 'BEGIN {printf "%.0f", a/b*100}')% of it)."
  echo
  echo "![sharpsand / tgt per workload](benchmarks-ratio.png)"
  echo
  echo "Commands (per round, each target): \`iscsi-perf -r -m 1|32 -b 8 URL\`, \`iscsi-perf -m 32 -b 256 URL\`,"
  echo "\`qemu-img bench -f raw -t none -w -S N -c COUNT -d 32|16 -s 4096|131072 URL\`, 16 x \`iscsi-perf -r -m 8 -b 8 URL\` at once;"
  echo "memory: 64 x \`iscsi-perf -m 1 -b 8 URL\` at once; ceiling: \`iperf3 -c 127.0.0.1 -t $seconds\`."
} > "$report"
gnuplot <<GP
set terminal pngcairo size 900,420
set output "$out/benchmarks-ratio.png"
set title "sharpsand / tgt (higher is better; 1.0 = parity)"
set style fill solid 0.7
set boxwidth 0.6
set yrange [0:*]
set grid ytics
set xtics rotate by -20
plot "$data" using 0:2:xtic(1) with boxes notitle, 1 with lines dashtype 2 notitle
GP
cat "$report"
