#!/usr/bin/env bash
# Builds (once, then reuses) the guest of the VM kit from Debian's packages: Debian's kernel
# (linux-image-amd64, downloaded and unpacked, not installed on the host), a small initramfs (busybox
# and the modules that mount the root disk) and an ext4 root file system made by debootstrap (minbase
# plus scripts/vm/packages.list) with scripts/vm/guest-init as its init.
#   scripts/vm/build-image.sh          prints the image folder (vmlinuz, initrd.img, rootfs.ext4)
# The cache is $SHARPSAN_VM_CACHE (default ~/.cache/sharpsan-vm); the folder is named after a hash of
# this script, the package list, guest-init and the kernel package, so a change rebuilds and a second
# run takes a second. Needs root (debootstrap, chroot), debootstrap, busybox-static and a Debian mirror
# ($SHARPSAN_VM_MIRROR, default http://deb.debian.org/debian). Exit 2: a prerequisite is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${SHARPSAN_VM_CACHE:-$HOME/.cache/sharpsan-vm}"
suite="${SHARPSAN_VM_SUITE:-bookworm}"
mirror="${SHARPSAN_VM_MIRROR:-http://deb.debian.org/debian}"
log() { echo "vm/build-image: $*" >&2; }
missing() { log "$*"; exit 2; }

[ "$(id -u)" -eq 0 ] || missing "needs root (debootstrap and chroot)"
for t in debootstrap apt-get apt-cache dpkg-deb mke2fs cpio; do
  command -v "$t" >/dev/null || missing "$t is not installed (scripts/install-test-deps.sh installs it)"
done
[ -x /bin/busybox ] || missing "/bin/busybox is not installed (Debian package busybox-static)"

# The kernel: the package linux-image-amd64 depends on in the host's apt lists (Debian's current one).
kpkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')"
[ -n "$kpkg" ] || missing "apt-cache knows no linux-image-amd64 (run apt-get update)"
kver="${kpkg#linux-image-}"
key="$( (cat "$0" "$here/packages.list" "$here/guest-init"; echo "$suite $kpkg") | sha256sum | cut -c1-16)"
image="$cache/$suite-$kver-$key"
if [ -f "$image/rootfs.ext4" ] && [ -f "$image/vmlinuz" ] && [ -f "$image/initrd.img" ]; then
  echo "$image"; exit 0
fi

mkdir -p "$cache/debs"
work="$(mktemp -d "$cache/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS

log "downloading $kpkg"
(cd "$cache/debs" && { ls "$kpkg"_*.deb >/dev/null 2>&1 || apt-get download -q "$kpkg" >&2; }) \
  || missing "cannot download $kpkg (no network to the Debian mirror?)"
deb="$(ls "$cache/debs/$kpkg"_*.deb | tail -1)"

packages="$(grep -v '^\s*#' "$here/packages.list" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')"
log "debootstrap $suite minbase + $packages"
rootfs="$work/rootfs"
debootstrap --variant=minbase --include="$packages" --cache-dir="$cache/debs" "$suite" "$rootfs" "$mirror" \
  >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; missing "debootstrap failed (no network to $mirror?)"; }

log "unpacking the kernel $kver"
dpkg-deb -x "$deb" "$work/kernel"
cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"
mkdir -p "$rootfs/lib/modules"
cp -a "$work/kernel/lib/modules/$kver" "$rootfs/lib/modules/"
cp "$work/kernel/boot/config-$kver" "$work/kernel/boot/System.map-$kver" "$rootfs/boot/" 2>/dev/null || true
chroot "$rootfs" depmod "$kver"

# The guest: our init, a host name, an initiator name, and no documentation.
install -m 0755 "$here/guest-init" "$rootfs/sbin/vmkit-init"
echo vmkit > "$rootfs/etc/hostname"
mkdir -p "$rootfs/etc/iscsi" "$rootfs/mnt/host" "$rootfs/mnt/run"
echo "InitiatorName=iqn.1993-08.org.debian:01:vmkit" > "$rootfs/etc/iscsi/initiatorname.iscsi"
rm -rf "$rootfs"/usr/share/{doc,man,info,locale}/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/*

# The initramfs: busybox, the modules that reach the root disk (in modules.dep order), and an init
# that loads them, mounts /dev/vda and switches to it.
log "initramfs"
ird="$work/initramfs"
mkdir -p "$ird"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$ird/bin/busybox"
dep="$rootfs/lib/modules/$kver/modules.dep"
declare -A seen=()
order=()
add() { # depth-first: a module's dependencies before it
  local path="$1" d
  [ -n "${seen[$path]:-}" ] && return; seen[$path]=1
  for d in $(awk -v m="$path:" '$1==m {for (i=2;i<=NF;i++) print $i}' "$dep"); do add "$d"; done
  order+=("$path")
}
for m in virtio_pci virtio_blk ext4 crc32c_generic; do
  add "$(awk -F: -v m="/$m.ko" 'index($1, m) && substr($1, length($1)-length(m)+1)==m {print $1; exit}' "$dep")"
done
: > "$ird/modules/order"
for p in "${order[@]}"; do
  cp "$rootfs/lib/modules/$kver/$p" "$ird/modules/"; basename "$p" >> "$ird/modules/order"
done
cat > "$ird/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules/order); do insmod /modules/$m 2>/dev/null; done
i=0; while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
mount -t ext4 /dev/vda /newroot || { echo "vmkit: cannot mount /dev/vda"; poweroff -f; }
umount /proc /sys; mount --move /dev /newroot/dev
exec switch_root /newroot /sbin/vmkit-init
INIT
chmod 0755 "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.img"

log "root file system image"
mke2fs -q -t ext4 -L vmkit -d "$rootfs" "$work/rootfs.ext4" 2G >&2
mkdir -p "$image"
mv "$work/vmlinuz" "$work/initrd.img" "$work/rootfs.ext4" "$image/"
# Older images of this suite are stale (another script, package list or kernel): keep the cache small.
for old in "$cache/$suite"-*; do [ "$old" = "$image" ] || rm -rf "$old"; done
log "built $image in $((SECONDS - start)) s"
echo "$image"
