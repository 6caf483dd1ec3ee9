#!/usr/bin/env bash
# Runs the `scenario` fuzz target on the stable toolchain (libFuzzer needs -Z flags, which
# RUSTC_BOOTSTRAP=1 allows), seeded with the shipped scenarios and the template.
#
#   fuzz/run.sh            # 10 minutes
#   fuzz/run.sh 3600       # an hour
#   fuzz/run.sh 600 -jobs=2 -workers=2
#
# Needs `cargo install cargo-fuzz` and a C++ compiler. Crashes go to fuzz/artifacts/scenario/,
# the growing corpus to fuzz/corpus/scenario/ (both ignored by git).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
corpus=corpus/scenario
mkdir -p "$corpus"
for f in ../scenarios/*.ron ../src/scenario/template.ron; do
  cp -f "$f" "$corpus/seed-$(basename "$f")"
done
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run scenario "$corpus" -- \
  -dict=scenario.dict -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$seconds" -print_final_stats=1 "$@"
