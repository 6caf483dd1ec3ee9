#!/usr/bin/env bash
# check-deb.sh [DEB]: checks the Debian package's contents (builds it first with
# packaging/build-deb.sh unless DEB is given): control fields, every expected file and no
# other, owners and modes, a stripped binary that reads the shipped scenarios, the desktop
# entry (desktop-file-validate), the MIME type (xmllint, update-mime-database, and detection
# of a scenario and of a non-scenario .ron), the AppStream metadata, icon sizes, man pages and
# completions. Runs without a display or root; CI runs it after the release build.
#
# Needs: dpkg-deb, desktop-file-validate (desktop-file-utils), xmllint (libxml2-utils),
# update-mime-database (shared-mime-info), mimetype (libfile-mimeinfo-perl), appstreamcli
# (appstream), identify (imagemagick), readelf (binutils).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in dpkg-deb desktop-file-validate xmllint update-mime-database mimetype appstreamcli identify readelf; do
  command -v "$tool" >/dev/null || { echo "check-deb: needs $tool (see the header of $0)" >&2; exit 1; }
done

deb=${1:-}
if [[ -z $deb ]]; then
  deb=$(packaging/build-deb.sh | tail -n 1)
fi
[[ -f $deb ]] || { echo "check-deb: no package at '$deb'" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { # check DESCRIPTION COMMAND...: passes when COMMAND succeeds
  local what=$1; shift
  if "$@" >"$scratch/out" 2>&1; then pass "$what"; else fail "$what"; sed 's/^/        /' "$scratch/out"; fi
}

echo "check-deb: $deb ($(stat -c %s "$deb") bytes)"

# --- control fields -------------------------------------------------------------------------
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
field() { dpkg-deb -f "$deb" "$1"; }
echo "control:"
check "Package is armistice" test "$(field Package)" = armistice
check "Version is $version-1" test "$(field Version)" = "$version-1"
check "Architecture is $(dpkg --print-architecture)" test "$(field Architecture)" = "$(dpkg --print-architecture)"
check "Section is science" test "$(field Section)" = science
check "Maintainer is set" test -n "$(field Maintainer)"
check "Description has a synopsis and a long text" test "$(field Description | wc -l)" -gt 3
depends=$(field Depends)
for lib in libc6 libgcc-s1 libx11-6 libxcursor1 libxi6 libxrandr2 libxkbcommon-x11-0 libegl1 libgl1 libwayland-client0; do
  check "Depends names $lib" grep -qE "(^|, )$lib( |,|$)" <<<"$depends"
done
check "Recommends names libgl1-mesa-dri" grep -q libgl1-mesa-dri <<<"$(field Recommends)"

# --- the file list --------------------------------------------------------------------------
echo "files:"
dpkg-deb -c "$deb" >"$scratch/list"
# "./usr/bin/armistice" and the like: every regular file and symlink, without the leading "."
awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' "$scratch/list" | sort >"$scratch/files"
expected=(
  /usr/bin/armistice
  /usr/share/applications/armistice.desktop
  /usr/share/mime/packages/armistice.xml
  /usr/share/metainfo/armistice.metainfo.xml
  /usr/share/icons/hicolor/scalable/apps/armistice.svg
  /usr/share/icons/hicolor/scalable/mimetypes/application-x-armistice-scenario.svg
  /usr/share/doc/armistice/README.md
  /usr/share/doc/armistice/copyright
  /usr/share/man/man1/armistice.1.gz
  /usr/share/bash-completion/completions/armistice
  /usr/share/zsh/vendor-completions/_armistice
  /usr/share/fish/vendor_completions.d/armistice.fish
)
for size in 16 24 32 48 64 128 256 512; do
  expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/armistice.png")
  expected+=("/usr/share/icons/hicolor/${size}x${size}/mimetypes/application-x-armistice-scenario.png")
done
for f in scenarios/*.ron; do expected+=("/usr/share/armistice/scenarios/$(basename "$f")"); done
for f in docs/*.md; do expected+=("/usr/share/doc/armistice/$(basename "$f")"); done
# One man page per visible subcommand, as `armistice --help` lists them.
dpkg-deb -x "$deb" "$scratch/root"
bin=$scratch/root/usr/bin/armistice
subcommands=$("$bin" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }' | grep -vx help)
check "armistice --help lists subcommands" test -n "$subcommands"
for sub in $subcommands; do expected+=("/usr/share/man/man1/armistice-$sub.1.gz"); done
printf '%s\n' "${expected[@]}" | sort >"$scratch/expected"
missing=$(comm -13 "$scratch/files" "$scratch/expected")
extra=$(comm -23 "$scratch/files" "$scratch/expected")
check "all ${#expected[@]} expected files present${missing:+ (missing: $missing)}" test -z "$missing"
check "no other files${extra:+ (unexpected: $extra)}" test -z "$extra"
check "every entry is owned by root (0/0)" test -z "$(awk '$2 != "0/0" && $2 != "root/root"' "$scratch/list")"
check "the binary is -rwxr-xr-x" grep -qE '^-rwxr-xr-x .* \./usr/bin/armistice$' "$scratch/list"
check "every other file is -rw-r--r--" test -z "$(awk '$1 ~ /^-/ && $6 != "./usr/bin/armistice" && $1 != "-rw-r--r--"' "$scratch/list")"
for f in scenarios/*.ron; do
  check "shipped $(basename "$f") equals the repository's" cmp "$f" "$scratch/root/usr/share/armistice/scenarios/$(basename "$f")"
done

# --- the binary -----------------------------------------------------------------------------
echo "binary:"
size=$(stat -c %s "$bin")
echo "        /usr/bin/armistice: $size bytes ($((size / 1024 / 1024)) MiB)"
check "no debug info (no .debug_info section)" bash -c "! readelf -S '$bin' | grep -q '\.debug_info'"
check "under 40 MiB" test "$size" -lt $((40 * 1024 * 1024))
"$bin" --version >"$scratch/version"
check "--version names the package version" grep -qx "armistice $version" "$scratch/version"
check "--version names the scenario format versions read" grep -q "^scenario format versions read: [0-9]" "$scratch/version"
check "armistice check reads every shipped scenario" "$bin" check "$scratch"/root/usr/share/armistice/scenarios/*.ron

# --- the desktop entry ----------------------------------------------------------------------
echo "desktop entry:"
desktop=$scratch/root/usr/share/applications/armistice.desktop
# Hints (such as two main categories, Education and Science) are advice; warnings and errors fail.
desktop-file-validate "$desktop" >"$scratch/validate" 2>&1 || true
check "desktop-file-validate: no errors or warnings" bash -c "! grep -E ': (error|warning):' '$scratch/validate'"
entry() { sed -n "s/^$1=//p" "$desktop"; }
check "Exec runs armistice with %f" test "$(entry Exec)" = "armistice %f"
check "Icon is armistice (installed above)" test "$(entry Icon)" = armistice
check "MimeType is application/x-armistice-scenario" test "$(entry MimeType)" = "application/x-armistice-scenario;"
check "Categories include Education and Science" grep -qE '^Categories=.*Education;.*Science;' "$desktop"
check "Terminal=false" test "$(entry Terminal)" = false

# --- the MIME type --------------------------------------------------------------------------
echo "MIME type:"
xml=$scratch/root/usr/share/mime/packages/armistice.xml
check "xmllint: well-formed" xmllint --noout "$xml"
check "declares application/x-armistice-scenario" \
  test "$(xmllint --xpath 'string(//*[local-name()="mime-type"]/@type)' "$xml")" = application/x-armistice-scenario
check "claims no glob (plain .ron files stay text)" \
  test "$(xmllint --xpath 'count(//*[local-name()="glob"])' "$xml")" = 0
# Two databases: the system's types alone, and with the package's type.
mkdir -p "$scratch/without/mime/packages" "$scratch/with/mime/packages"
cp /usr/share/mime/packages/freedesktop.org.xml "$scratch/without/mime/packages/"
cp /usr/share/mime/packages/freedesktop.org.xml "$xml" "$scratch/with/mime/packages/"
update-mime-database "$scratch/without/mime" >/dev/null 2>&1
check "update-mime-database accepts it" update-mime-database "$scratch/with/mime"
cp "$scratch/root/usr/share/armistice/scenarios/baseline-2024.ron" "$scratch/a scenario.ron"
"$bin" new >"$scratch/template.ron"
"$bin" export -f ron "$scratch/root/usr/share/armistice/scenarios/teaching-arvenia-borsk.ron" >"$scratch/saved.ron"
printf '(\n    name: "player",\n    version: 3,\n)\n' >"$scratch/game.ron"
printf '// Settings of another program.\n(\n    meta: (author: "x"),\n    scale: 2.0,\n)\n' >"$scratch/settings.ron"
printf '(\n    version: 1,\n    meta: (),\n)\n' >"$scratch/notes.txt"
type_of() { # type_of DATABASE FILE
  XDG_DATA_HOME=$scratch/none XDG_DATA_DIRS=$scratch/$1 mimetype --brief "$2"
}
# A version-1 file (the older format this build still reads) too.
v1=$(ls tests/fixtures/v1/*.ron 2>/dev/null | head -n 1)
[[ -n $v1 ]] && cp "$v1" "$scratch/version-1.ron"
for f in "a scenario.ron" template.ron saved.ron ${v1:+version-1.ron}; do
  check "$f is application/x-armistice-scenario" test "$(type_of with "$scratch/$f")" = application/x-armistice-scenario
done
# Other files keep the type they had without the package (text/plain, or C source for a
# file that opens with a // comment).
for f in game.ron settings.ron notes.txt; do
  check "$f keeps its type ($(type_of without "$scratch/$f"))" \
    test "$(type_of with "$scratch/$f")" = "$(type_of without "$scratch/$f")"
done

# --- AppStream, icons, man pages, completions -----------------------------------------------
echo "AppStream, icons, man pages, completions:"
# The component id is the desktop entry's name (and the window's app id), not reverse-DNS.
check "appstreamcli validate" appstreamcli validate --no-net --override=cid-desktopapp-is-not-rdns=info \
  "$scratch/root/usr/share/metainfo/armistice.metainfo.xml"
for png in "$scratch"/root/usr/share/icons/hicolor/*x*/*/*.png; do
  dir=$(basename "$(dirname "$(dirname "$png")")")
  check "${png#"$scratch"/root} is $dir" test "$(identify -format '%wx%h' "$png")" = "$dir"
done
for svg in "$scratch"/root/usr/share/icons/hicolor/scalable/*/*.svg; do
  check "${svg#"$scratch"/root} is well-formed SVG" xmllint --noout "$svg"
done
man_dir=$scratch/root/usr/share/man/man1
check "armistice.1 has a NAME and a SYNOPSIS" bash -c "zcat '$man_dir/armistice.1.gz' | grep -q '^\.SH NAME' && zcat '$man_dir/armistice.1.gz' | grep -q '^\.SH SYNOPSIS'"
for sub in $subcommands; do
  check "armistice.1 names $sub; armistice-$sub.1 documents it" \
    bash -c "zcat '$man_dir/armistice.1.gz' | sed 's/\\\\-/-/g' | grep -qF 'armistice-$sub(1)' && zcat '$man_dir/armistice-$sub.1.gz' | grep -q '^\.TH armistice-$sub 1 '"
done
completions=(
  "$scratch/root/usr/share/bash-completion/completions/armistice"
  "$scratch/root/usr/share/zsh/vendor-completions/_armistice"
  "$scratch/root/usr/share/fish/vendor_completions.d/armistice.fish"
)
check "bash completion parses (bash -n)" bash -n "${completions[0]}"
for c in "${completions[@]}"; do
  for sub in $subcommands; do
    check "$(basename "$c") completes $sub" grep -qw -- "$sub" "$c"
  done
done

echo "check-deb: $passed passed, $failed failed"
((failed == 0))
