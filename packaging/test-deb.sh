#!/usr/bin/env bash
# test-deb.sh [DEB]: installs the Debian package on a clean Debian 12 (bookworm) and uses it
# as a person would. Builds the package with packaging/build-deb.sh unless DEB is given.
#
#  1. A minimal Debian (debootstrap --variant=minbase, from Debian's mirror) is made once in
#     $CHROOT_DIR/base and copied afresh for every test.
#  2. `apt-get install ./armistice.deb` resolves the package's dependencies; then
#     `armistice --version`, `armistice check` on the shipped scenarios and a short run.
#  3. A desktop's plumbing (shared-mime-info, desktop-file-utils, xdg-utils) is installed and
#     the package reinstalled, so that its triggers run as on a desktop; xdg-mime must give
#     the scenario type for a scenario, text/plain for another .ron file, and the desktop
#     entry as the scenario type's default application (through the generic backend and
#     through GIO, as GNOME's file manager does).
#  4. Under a virtual display (Xvfb): `armistice FILE` opens a window titled after the
#     scenario, with the icon set; `xdg-open FILE` (what a double-click does) opens another;
#     a screenshot of each is written to $OUT_DIR.
#
# Needs root and debootstrap, and the network to Debian's mirror. Environment: CHROOT_DIR
# (default /work/tmp-chroot), OUT_DIR (default $CHROOT_DIR/out), MIRROR
# (default http://deb.debian.org/debian), KEEP=1 keeps the test root.
set -euo pipefail
cd "$(dirname "$0")/.."

chroot_dir=${CHROOT_DIR:-/work/tmp-chroot}
out_dir=${OUT_DIR:-$chroot_dir/out}
mirror=${MIRROR:-http://deb.debian.org/debian}
[[ $(id -u) == 0 ]] || { echo "test-deb: needs root (chroot, mount)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "test-deb: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }

deb=${1:-}
if [[ -z $deb ]]; then
  deb=$(packaging/build-deb.sh | tail -n 1)
fi
deb=$(realpath "$deb")

base=$chroot_dir/base
if [[ ! -x $base/usr/bin/apt-get ]]; then
  echo "test-deb: making a minimal Debian 12 in $base"
  rm -rf "$base"
  debootstrap --variant=minbase bookworm "$base" "$mirror" >"$chroot_dir/debootstrap.log" 2>&1 ||
    { tail -n 20 "$chroot_dir/debootstrap.log" >&2; exit 1; }
fi

root=$chroot_dir/test-$$
mounted=()
stop_root_processes() { # ends the processes running inside the test root (Xvfb, the app)
  local p
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/root" 2>/dev/null) == "$root" ]] && kill "${p#/proc/}" 2>/dev/null
  done
  return 0
}
cleanup() {
  set +e
  stop_root_processes
  sleep 1
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}"; done
  if [[ ${KEEP:-} == 1 ]]; then echo "test-deb: kept $root"; else rm -rf "$root"; fi
}
trap cleanup EXIT
echo "test-deb: fresh copy of the minimal Debian in $root"
cp -a "$base" "$root"
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount -t sysfs sysfs "$root/sys" && mounted+=("$root/sys")
mount --bind /dev "$root/dev" && mounted+=("$root/dev")
mount --bind /dev/pts "$root/dev/pts" && mounted+=("$root/dev/pts")
mkdir -p "$out_dir"
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
cp "$deb" "$root/tmp/"
pkg=/tmp/$(basename "$deb")

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
step() { echo; echo "== $*"; }
failures=0
expect() { # expect DESCRIPTION ACTUAL WANTED
  if [[ $2 == "$3" ]]; then echo "ok: $1: $2"; else echo "FAIL: $1: got '$2', want '$3'"; failures=$((failures + 1)); fi
}

step "apt-get install $pkg (on a minimal Debian 12: $(in_root dpkg-query -W -f '.\n' | wc -l) packages)"
in_root apt-get update -qq
in_root apt-get install -y -q "$pkg" >"$out_dir/apt.log" 2>&1 || { cat "$out_dir/apt.log"; exit 1; }
grep -E '^(The following NEW packages|[0-9]+ upgraded|Need to get|After this operation)' "$out_dir/apt.log" || true
echo "installed: $(in_root dpkg-query -W -f '${Package} ${Version}\n' armistice)"

step "armistice --version"
in_root armistice --version
step "armistice check /usr/share/armistice/scenarios/*.ron"
in_root sh -c 'armistice check /usr/share/armistice/scenarios/*.ron'
step "armistice run --trials 20000 (the teaching scenario)"
in_root armistice run --trials 20000 /usr/share/armistice/scenarios/teaching-arvenia-borsk.ron | head -n 12
step "man armistice, completions"
in_root sh -c 'ls /usr/share/man/man1/armistice*.1.gz | wc -l' | sed 's/$/ man pages/'
in_root ls /usr/share/bash-completion/completions/armistice /usr/share/zsh/vendor-completions/_armistice /usr/share/fish/vendor_completions.d/armistice.fish

step "a desktop's plumbing: shared-mime-info, desktop-file-utils, xdg-utils; then the package again (its triggers)"
tools=(shared-mime-info desktop-file-utils xdg-utils libfile-mimeinfo-perl libglib2.0-bin xvfb xauth xdotool x11-utils imagemagick)
in_root apt-get install -y -q --no-install-recommends "${tools[@]}" >"$out_dir/tools.log" 2>&1 || { cat "$out_dir/tools.log"; exit 1; }
in_root apt-get install -y -q --reinstall "$pkg" >>"$out_dir/tools.log" 2>&1 || { cat "$out_dir/tools.log"; exit 1; }
grep -iE 'Processing triggers for (shared-mime-info|desktop-file-utils|hicolor|man-db)' "$out_dir/tools.log" | sort -u || true

step "xdg-mime"
cp scenarios/baseline-2024.ron "$root/root/my-scenario.ron"
printf '(\n    name: "player",\n    level: 3,\n)\n' >"$root/root/game-save.ron"
expect "xdg-mime query filetype my-scenario.ron" \
  "$(in_root xdg-mime query filetype /root/my-scenario.ron)" application/x-armistice-scenario
expect "xdg-mime query filetype game-save.ron" \
  "$(in_root xdg-mime query filetype /root/game-save.ron)" text/plain
expect "xdg-mime query default application/x-armistice-scenario" \
  "$(in_root xdg-mime query default application/x-armistice-scenario)" armistice.desktop
expect "GIO (as GNOME): xdg-mime query filetype my-scenario.ron" \
  "$(in_root env XDG_CURRENT_DESKTOP=GNOME xdg-mime query filetype /root/my-scenario.ron)" application/x-armistice-scenario
expect "GIO: gio mime application/x-armistice-scenario (default)" \
  "$(in_root gio mime application/x-armistice-scenario | sed -n 's/^Default application for .*: //p')" armistice.desktop
expect "the type's comment" "$(in_root sh -c 'sed -n "s/.*<comment>\(.*\)<\/comment>/\1/p" /usr/share/mime/application/x-armistice-scenario.xml | head -n 1')" "Armistice scenario"
echo "menu entry: $(in_root grep -c armistice /usr/share/applications/mimeinfo.cache) line in mimeinfo.cache; desktop-file-validate: $(in_root desktop-file-validate /usr/share/applications/armistice.desktop 2>&1 | grep -cE 'error|warning') errors or warnings"

step "the window under Xvfb"
mkdir -p "$out_dir"
in_root sh -c 'Xvfb :77 -screen 0 1280x800x24 -nolisten tcp >/tmp/xvfb.log 2>&1 &'
for _ in $(seq 50); do [[ -e $root/tmp/.X11-unix/X77 ]] && break; sleep 0.1; done
desktop_env=(DISPLAY=:77 XDG_RUNTIME_DIR=/tmp/run XDG_DATA_HOME=/tmp/data WINIT_X11_SCALE_FACTOR=1)
in_root mkdir -p -m 700 /tmp/run
wait_window() { # wait_window NAME: prints the id of the first window whose name matches NAME
  for _ in $(seq 60); do
    id=$(in_root env "${desktop_env[@]}" xdotool search --name "$1" 2>/dev/null | head -n 1) || true
    [[ -n $id ]] && { echo "$id"; return 0; }
    sleep 0.5
  done
  return 1
}
shoot() { # shoot NAME: screenshot of the whole display to $out_dir/NAME.png
  in_root env "${desktop_env[@]}" import -window root "/tmp/$1.png"
  cp "$root/tmp/$1.png" "$out_dir/$1.png"
  echo "screenshot: $out_dir/$1.png ($(in_root identify -format '%wx%h, %k colours' "/tmp/$1.png"))"
}

launch() { # launch WHAT COMMAND TITLE SHOT: runs COMMAND on the display, expects a window
  # titled TITLE, screenshots it to SHOT.png; sets window_id (empty if none appeared)
  local id name
  window_id=
  in_root env "${desktop_env[@]}" sh -c "cd /root && $2 >/tmp/$4.log 2>&1 &"
  if ! id=$(wait_window "^$3\$"); then
    echo "FAIL: $1 opened no window"; in_root cat "/tmp/$4.log"; failures=$((failures + 1))
    return 0
  fi
  sleep 4
  name=$(in_root env "${desktop_env[@]}" xdotool getwindowname "$id")
  expect "$1: the window's title" "$name" "$3"
  shoot "$4"
  window_id=$id
}

launch "armistice FILE" "armistice /usr/share/armistice/scenarios/teaching-arvenia-borsk.ron" \
  "teaching-arvenia-borsk.ron - Armistice" window-cli
if [[ -n $window_id ]]; then
  # The class (second) part of WM_CLASS is what the desktop entry's StartupWMClass names.
  expect "WM_CLASS class" "$(in_root env "${desktop_env[@]}" xprop -id "$window_id" WM_CLASS | sed 's/^.*, //')" '"armistice"'
  icon=$(in_root env "${desktop_env[@]}" xprop -id "$window_id" _NET_WM_ICON | head -c 60)
  expect "the window has an icon (_NET_WM_ICON)" "$(grep -c 'CARDINAL' <<<"$icon")" 1
fi
# Close the first window (XKillClient ends the app) so that the screenshot shows the second.
[[ -n $window_id ]] && in_root env "${desktop_env[@]}" xdotool windowkill "$window_id" 2>/dev/null || true
sleep 2
# What a double-click in a file manager does: the default application of the file's type.
launch "xdg-open FILE" "xdg-open /root/my-scenario.ron" "my-scenario.ron - Armistice" window-xdg-open

step "result"
if ((failures == 0)); then echo "test-deb: all checks passed"; else echo "test-deb: $failures checks failed"; exit 1; fi
