#!/usr/bin/env bash
# Runs Armistice in a small desktop session of its own: a session bus, the XDG desktop portal
# and its GTK backend, so that File > Open, Save As and the exports show the system's file
# dialog on a machine without a desktop (a virtual display, a container). Used to check the
# native dialogs by hand:
#
#     apt-get install xdg-desktop-portal xdg-desktop-portal-gtk   # once
#     Xvfb :9 & DISPLAY=:9 packaging/portal-session.sh [ARMISTICE_BINARY] [FILE.ron]
#
# The binary defaults to target/release/armistice. The portal's logs go to $TMPDIR.
set -euo pipefail
BIN="${1:-target/release/armistice}"
shift || true
for p in /usr/libexec/xdg-desktop-portal /usr/libexec/xdg-desktop-portal-gtk; do
    [ -x "$p" ] || { echo "portal-session: $p is missing (apt-get install xdg-desktop-portal-gtk)" >&2; exit 2; }
done
LOGS="${TMPDIR:-/tmp}"
exec dbus-run-session -- bash -c '
    export XDG_CURRENT_DESKTOP=GNOME
    export XDG_RUNTIME_DIR="$(mktemp -d)"
    /usr/libexec/xdg-desktop-portal-gtk > "$0/portal-gtk.log" 2>&1 &
    sleep 1
    /usr/libexec/xdg-desktop-portal > "$0/portal.log" 2>&1 &
    sleep 2
    exec "$@"
' "$LOGS" "$BIN" "$@"
