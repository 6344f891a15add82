#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when one is missing.
#   libiscsi-bin, qemu-utils, qemu-block-extra: independent initiators that drive our target
#   tgt: the reference target our initiator and benchmarks are compared with
#   fdisk, xfsprogs: the walkthroughs partition the attached disk and make an XFS filesystem
#   iperf3, gnuplot-nox: bench/run.sh (its smoke run is a test) measures the loopback ceiling and draws charts
#   xorriso: the CD-ROM tests make their ISO images with it
#   qemu-system-x86: the CD-ROM tests attach a cd to QEMU's scsi-cd and boot one with SeaBIOS through scsi-block
#   debootstrap, busybox-static, cpio: scripts/vm/build-image.sh builds the VM kit's Debian guest (docs/vm-kit.md);
#     Debian's kernel it downloads (apt-get download), it is not installed on the host
set -euo pipefail
need=()
for pkg in libiscsi-bin qemu-utils qemu-block-extra tgt fdisk xfsprogs iperf3 gnuplot-nox xorriso qemu-system-x86 debootstrap busybox-static cpio; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0

echo "install-test-deps: installing ${need[*]}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# The tests start their own tgtd on free ports: keep the package's service from starting and holding
# port 3260 (where ./run.sh serves the demo). policy-rc.d is Debian's switch for that.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod 0755 "$policy" && own_policy=1
fi
trap '[ "$own_policy" = 1 ] && $SUDO rm -f "$policy"' EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
if [[ " ${need[*]} " == *" tgt "* ]] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now tgt >/dev/null 2>&1 || true
  echo "install-test-deps: the tgt system service is disabled (the tests run their own tgtd)"
fi
