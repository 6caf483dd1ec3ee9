#!/usr/bin/env bash
# render-icons.sh: renders the PNG icons under assets/icons/hicolor/SIZExSIZE/ from the two
# SVG sources in assets/icons/hicolor/scalable/ (the app, and its scenario files) with
# rsvg-convert (Debian package librsvg2-bin). Run it after changing an SVG and commit the
# PNGs with it. The tree mirrors /usr/share/icons/hicolor, where the package installs it.
set -euo pipefail
cd "$(dirname "$0")/../assets/icons/hicolor"
command -v rsvg-convert >/dev/null || { echo "render-icons: needs rsvg-convert (apt-get install librsvg2-bin)" >&2; exit 1; }
for size in 16 24 32 48 64 128 256 512; do
  for svg in scalable/apps/armistice.svg scalable/mimetypes/application-x-armistice-scenario.svg; do
    context=$(basename "$(dirname "$svg")") name=$(basename "$svg" .svg)
    mkdir -p "${size}x${size}/$context"
    rsvg-convert --width "$size" --height "$size" --background-color none "$svg" \
      --output "${size}x${size}/$context/$name.png"
  done
done
echo "render-icons: $(find . -name '*.png' | wc -l) PNG files under assets/icons/hicolor"
