# Helpers for guest scripts of the VM kit: scripts/vm/run.sh copies this file into the run folder, so a
# guest script reads it with `. /mnt/run/lib.sh` (a change here needs no image rebuild).

# The host's loopback, as user networking shows it to the guest.
VMKIT_HOST=10.0.2.2

# Handshake with the host through the run folder (9p, no caching): the guest announces a step with
# vmkit_signal NAME (the host waits for the file NAME) and waits for the host's answer with
# vmkit_wait NAME [SECONDS] (the host writes NAME). Returns 1 when the wait runs out (default 120 s).
vmkit_signal() { : > "/mnt/run/$1"; sync; }
vmkit_wait() {
  local deadline=$((SECONDS + ${2:-120}))
  until [ -e "/mnt/run/$1" ]; do
    [ $SECONDS -lt $deadline ] || { echo "vmkit: no $1 from the host in ${2:-120} s" >&2; return 1; }
    sleep 0.2
  done
}

# Polls COMMAND until it succeeds, for at most SECONDS: vmkit_until SECONDS COMMAND...
vmkit_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
}

# udev (device nodes, links and the properties multipath and lsblk read): systemd-udevd as a daemon,
# every device triggered once.
vmkit_udev() {
  /lib/systemd/systemd-udevd --daemon >/dev/null 2>&1
  udevadm trigger --action=add >/dev/null 2>&1
  udevadm settle --timeout=60
}

# open-iscsi's initiator: the kernel's iscsi_tcp and sd, udev, and iscsid.
vmkit_iscsi() {
  modprobe -a iscsi_tcp sd_mod scsi_dh_alua
  vmkit_udev
  mkdir -p /run/lock/iscsi
  iscsid
}

# Logs in to TARGET at HOST:PORT with a static node record (discovery would answer with the portal the
# target listens on, 127.0.0.1, which in the guest is the guest itself): vmkit_iscsi_login TARGET PORT [HOST].
vmkit_iscsi_login() {
  local portal="${3:-$VMKIT_HOST}:$2"
  iscsiadm -m node -T "$1" -p "$portal" -o new >/dev/null &&
    iscsiadm -m node -T "$1" -p "$portal" --login
}
