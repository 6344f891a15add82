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
for tool in /opt/sharpsan/bin/sharpsand /opt/sharpsan/bin/targetcli; do
  [ -x "$tool" ] && ln -sf "$tool" /usr/local/sbin/"$(basename "$tool")"
done
install -d -m 0755 /etc/target
install -m 0644 packaging/sharpsan-target.service /etc/systemd/system/sharpsan-target.service
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "installed; start it at boot and now with: systemctl enable --now sharpsan-target"
else
  echo "installed; no running systemd here: start /opt/sharpsan/bin/sharpsand --config /etc/target/saveconfig.json by hand"
fi
