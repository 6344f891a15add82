#!/usr/bin/env bash
# Runs a guest script in the VM kit's Debian guest and exits with the script's exit code.
#   scripts/vm/run.sh [options] GUEST-SCRIPT
#     --share DIR      a host folder the guest sees read-only at /mnt/host (default: out/bin)
#     --run-dir DIR    the run folder (default: a new temporary one): the guest sees it read-write at
#                      /mnt/run (guest.sh, output.log, exit-code are there) and the console is
#                      console.log in it
#     --memory MB      guest memory (default 1024)      --cpus N  virtual CPUs (default 2)
#     --timeout S      kill QEMU after S seconds (default 600): exit 124
#     --append ARGS    more kernel command line arguments
# The image is built (or found in the cache) by scripts/vm/build-image.sh. The guest boots Debian's
# kernel under QEMU (TCG: no KVM needed) with user networking: the host's 127.0.0.1 listeners are at
# 10.0.2.2. The root disk is a throw-away snapshot of the cached image. Exit 2: no QEMU or no image.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
share="$(cd "$here/../.." && pwd)/out/bin"; run_dir=""; memory=1024; cpus=2; timeout=600; append=""
while [ $# -gt 1 ]; do
  case "$1" in
    --share) share="$2"; shift 2;;
    --run-dir) run_dir="$2"; shift 2;;
    --memory) memory="$2"; shift 2;;
    --cpus) cpus="$2"; shift 2;;
    --timeout) timeout="$2"; shift 2;;
    --append) append="$2"; shift 2;;
    *) echo "vm/run: unknown option $1" >&2; exit 2;;
  esac
done
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: scripts/vm/run.sh [options] GUEST-SCRIPT" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { echo "vm/run: qemu-system-x86_64 is not installed (Debian package qemu-system-x86)" >&2; exit 2; }
image="$("$here/build-image.sh")"

if [ -z "$run_dir" ]; then run_dir="$(mktemp -d /tmp/sharpsan-vm-run.XXXXXX)"; fi
mkdir -p "$run_dir"
cp "$1" "$run_dir/guest.sh"
cp "$here/guest-lib.sh" "$run_dir/lib.sh"
rm -f "$run_dir/exit-code" "$run_dir/output.log" "$run_dir/console.log"
args=(-accel tcg -machine q35 -cpu max -smp "$cpus" -m "$memory"
  -display none -monitor none -serial "file:$run_dir/console.log" -no-reboot
  -kernel "$image/vmlinuz" -initrd "$image/initrd.img"
  -append "console=ttyS0 panic=-1 loglevel=4 $append"
  -drive "file=$image/rootfs.ext4,format=raw,if=virtio,snapshot=on"
  -nic user,model=virtio-net-pci
  -virtfs "local,path=$run_dir,mount_tag=run,security_model=none")
[ -d "$share" ] && args+=(-virtfs "local,path=$share,mount_tag=host,security_model=none,readonly=on")

start=$SECONDS
qemu-system-x86_64 "${args[@]}" </dev/null &
qemu=$!
# Stopped ourselves (the C# helper kills this process tree on its timeout), QEMU goes with us.
trap 'kill -KILL $qemu 2>/dev/null || true' EXIT
# Its output goes nowhere: a sleeping watchdog must not hold the caller's stdout/stderr pipes open.
( sleep "$timeout"; kill -KILL $qemu 2>/dev/null ) >/dev/null 2>&1 &
watchdog=$!
wait $qemu || true
kill $watchdog 2>/dev/null || true
trap - EXIT
echo "vm/run: the VM ran $((SECONDS - start)) s; run folder $run_dir" >&2
[ -f "$run_dir/output.log" ] && cat "$run_dir/output.log"
if [ ! -f "$run_dir/exit-code" ]; then
  echo "vm/run: the guest script did not finish (timeout after ${timeout} s or guest failure); console:" >&2
  tail -30 "$run_dir/console.log" >&2
  exit 124
fi
exit "$(cat "$run_dir/exit-code")"
