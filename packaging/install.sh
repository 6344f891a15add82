#!/usr/bin/env bash
# Installs SharpSAN system-wide: binaries in /opt/sharpsan/bin, commands in /usr/local/sbin, the
# systemd unit sharpsan-target.service. Then: systemctl enable --now sharpsan-target
# (what `systemctl enable --now target` does for LIO).
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
install -d -m 0755 /etc/target
for unit in sharpsan-target.service sharpsan-iscsid.service sharpsan-iscsi.service; do
  install -m 0644 "packaging/$unit" "/etc/systemd/system/$unit"
done
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "installed; target: systemctl enable --now sharpsan-target"
  echo "           initiator (automatic logins at boot): systemctl enable --now sharpsan-iscsid sharpsan-iscsi"
else
  echo "installed; no running systemd here: start /opt/sharpsan/bin/sharpsand --config /etc/target/saveconfig.json by hand"
fi
