#!/usr/bin/env bash
# Installs SharpSAN system-wide: binaries in /opt/sharpsan/bin, commands in /usr/local/sbin, the
# systemd unit sharpsan-target.service. Then: systemctl enable --now sharpsan-target
# (what `systemctl enable --now target` does for LIO). tgt's names come along: tgt.service (alias
# tgtd.service) applies /etc/tgt/targets.conf with tgt-admin, /etc/init.d/tgt and /etc/init.d/tgtd
# drive it, and tgtadm and tgt-admin are on the PATH. IET users: iscsi-target.service (alias
# iscsitarget) and /etc/init.d/iscsi-target serve /etc/iet/ietd.conf instead.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }
[ -x out/bin/sharpsand ] || ./build.sh
install -d -m 0755 /opt/sharpsan/bin
cp -a out/bin/. /opt/sharpsan/bin/
install -m 0644 README.md /opt/sharpsan/README.md
for tool in /opt/sharpsan/bin/sharpsand /opt/sharpsan/bin/targetcli /opt/sharpsan/bin/iscsiadm /opt/sharpsan/bin/iscsid \
            /opt/sharpsan/bin/tgtadm /opt/sharpsan/bin/tgt-admin; do
  [ -x "$tool" ] && ln -sf "$tool" /usr/local/sbin/"$(basename "$tool")"
done
install -d -m 0755 /etc/target /etc/iet
for unit in sharpsan-target.service sharpsan-iscsid.service sharpsan-iscsi.service iscsi-target.service tgt.service; do
  install -m 0644 "packaging/$unit" "/etc/systemd/system/$unit"
done
# `service iscsitarget start` (Debian's IET name) before any `systemctl enable` made the alias.
ln -sf iscsi-target.service /etc/systemd/system/iscsitarget.service
# tgtd.service works before `systemctl enable tgt` too (an Alias= link is made only by enable).
ln -sf tgt.service /etc/systemd/system/tgtd.service
# Seed 004 types /etc/init.d/iscsi-target start, seed 001 /etc/init.d/tgtd restart: the scripts hand
# over to systemd when they run.
if [ -d /etc/init.d ]; then
  install -m 0755 packaging/iscsi-target.init /etc/init.d/iscsi-target
  install -m 0755 packaging/tgt.init /etc/init.d/tgt
  ln -sf tgt /etc/init.d/tgtd
fi
# tgt's configuration file, as Debian's tgt package ships it, unless there is one.
install -d -m 0755 /etc/tgt /etc/tgt/conf.d
[ -e /etc/tgt/targets.conf ] || printf '%s\n' "# Empty targets configuration file -- please see the package" \
  "# documentation directory for an example." "#" "# You can drop individual config snippets into /etc/tgt/conf.d" \
  "include /etc/tgt/conf.d/*.conf" > /etc/tgt/targets.conf
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "installed; target: systemctl enable --now sharpsan-target (tgt's way: systemctl enable --now tgt)"
  echo "           initiator (automatic logins at boot): systemctl enable --now sharpsan-iscsid sharpsan-iscsi"
  echo "           IET's /etc/iet/ietd.conf instead: systemctl enable --now iscsi-target (or /etc/init.d/iscsi-target start)"
else
  echo "installed; no running systemd here: start /opt/sharpsan/bin/sharpsand --config /etc/target/saveconfig.json by hand"
  echo "           (or /etc/init.d/iscsi-target start for IET's /etc/iet/ietd.conf)"
fi
