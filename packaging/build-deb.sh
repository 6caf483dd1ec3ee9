#!/usr/bin/env bash
# build-deb.sh: builds the Debian package target/debian/armistice_VERSION-1_ARCH.deb with
# cargo-deb (configured in Cargo.toml, [package.metadata.deb]): the release binary, then the
# man pages and shell completions generated from the clap definitions by that binary, then
# `cargo deb --no-build`. Prints the path of the package on its last line.
#
# Needs cargo-deb (`cargo install cargo-deb --locked`) and dpkg-dev (dpkg-shlibdeps).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo-deb >/dev/null || {
  echo "build-deb: needs cargo-deb: cargo install cargo-deb --locked" >&2
  exit 1
}
command -v dpkg-shlibdeps >/dev/null || {
  echo "build-deb: needs dpkg-shlibdeps: apt-get install dpkg-dev" >&2
  exit 1
}

cargo build --locked --release
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin=$target_dir/release/armistice
gen=$target_dir/release/generated
rm -rf "$gen"
mkdir -p "$gen/man" "$gen/completions"

"$bin" manpage --dir "$gen/man" 2>/dev/null
# Debian policy: man pages compressed with gzip -9; -n leaves out the name and time, so
# equal pages give equal bytes.
gzip -9n "$gen"/man/*.1
for shell in bash zsh fish; do
  case $shell in
    bash) name=armistice ;;
    zsh) name=_armistice ;;
    fish) name=armistice.fish ;;
  esac
  "$bin" completions "$shell" >"$gen/completions/$name"
done

# The package's date and timestamps follow the last commit, so the same commit gives the
# same package.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH
deb=$(cargo deb --locked --no-build --quiet)
echo "$deb"
