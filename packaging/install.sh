#!/usr/bin/env bash
# Installs SharpSAN system-wide: binaries in /opt/sharpsan/bin, commands in /usr/local/sbin, the
# systemd unit sharpsan-target.service. Then: systemctl enable --now sharpsan-target
# (what `systemctl enable --now target` does for LIO). IET users: iscsi-target.service (alias
# iscsitarget) and /etc/init.d/iscsi-target serve /etc/iet/ietd.conf instead.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
[ -x out/bin/sharpsand ] || ./build.sh
install -d -m 0755 /opt/sharpsan/bin
cp -a out/bin/. /opt/sharpsan/bin/
install -m 0644 README.md /opt/sharpsan/README.md
for tool in /opt/sharpsan/bin/sharpsand /opt/sharpsan/bin/targetcli /opt/sharpsan/bin/iscsiadm /opt/sharpsan/bin/iscsid; do
  [ -x "$tool" ] && ln -sf "$tool" /usr/local/sbin/"$(basename "$tool")"
done
install -d -m 0755 /etc/target /etc/iet
for unit in sharpsan-target.service sharpsan-iscsid.service sharpsan-iscsi.service iscsi-target.service; do
  install -m 0644 "packaging/$unit" "/etc/systemd/system/$unit"
done
# `service iscsitarget start` (Debian's IET name) before any `systemctl enable` made the alias.
ln -sf iscsi-target.service /etc/systemd/system/iscsitarget.service
# Seed 004 types /etc/init.d/iscsi-target start: the script hands over to systemd when it runs.
if [ -d /etc/init.d ]; then
  install -m 0755 packaging/iscsi-target.init /etc/init.d/iscsi-target
fi
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "installed; target: systemctl enable --now sharpsan-target"
  echo "           initiator (automatic logins at boot): systemctl enable --now sharpsan-iscsid sharpsan-iscsi"
  echo "           IET's /etc/iet/ietd.conf instead: systemctl enable --now iscsi-target (or /etc/init.d/iscsi-target start)"
else
  echo "installed; no running systemd here: start /opt/sharpsan/bin/sharpsand --config /etc/target/saveconfig.json by hand"
  echo "           (or /etc/init.d/iscsi-target start for IET's /etc/iet/ietd.conf)"
fi
