#!/bin/bash
# Installs glassbox-daemon.socket and .service (what `scripts/setup.sh
# --daemon` runs): the socket /run/glassbox-docker.sock, root's and the
# group glassbox's, and the daemon started on its first request.
#
# Membership of the group glassbox is root on this machine (whoever can
# use the socket can run `docker run -v /:/host ...`). This script makes no
# group and adds nobody: an instructor who wants students to use docker
# without sudo runs `groupadd glassbox && usermod -aG glassbox STUDENT`
# knowingly.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[[ $EUID -eq 0 ]] || { echo "run as root: sudo $0" >&2; exit 2; }
install -m 0644 "$here/glassbox-daemon.socket" "$here/glassbox-daemon.service" /etc/systemd/system/
if [[ -d /run/systemd/system ]]; then
    systemctl daemon-reload
    systemctl enable --now glassbox-daemon.socket
    echo "glassbox daemon: listening on /run/glassbox-docker.sock (started on the first request)"
    echo "  export DOCKER_HOST=unix:///run/glassbox-docker.sock"
else
    echo "installed the units; systemd is not running here, so start the daemon by hand: sudo glassbox daemon"
fi
