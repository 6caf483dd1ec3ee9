#!/usr/bin/env bash
# Runs a fuzz target on the stable toolchain (libFuzzer needs -Z flags, which
# RUSTC_BOOTSTRAP=1 allows). docs/RELIABILITY.md describes the targets.
#
#   fuzz/run.sh                      # target `scenario` for 10 minutes
#   fuzz/run.sh scenario 3600        # an hour
#   fuzz/run.sh inputs 600 -jobs=2 -workers=2
#
# Needs `cargo install cargo-fuzz` and a C++ compiler. The crate has no `unsafe` code, so the
# fuzzers run without a sanitizer by default (about twice as fast); SANITIZER=address
# builds with AddressSanitizer instead. The `scenario` target starts from the
# shipped scenarios and the template. Crashes go to fuzz/artifacts/TARGET/, the growing corpus
# to fuzz/corpus/TARGET/ (both ignored by git). Reproduce a crash with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")"
target=${1:-scenario}
seconds=${2:-600}
shift $(( $# < 2 ? $# : 2 ))
corpus=corpus/$target
mkdir -p "$corpus"
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
if [[ $target == scenario ]]; then
  for f in ../scenarios/*.ron ../src/scenario/template.ron; do
    cp -f "$f" "$corpus/seed-$(basename "$f")"
  done
  args+=(-dict=scenario.dict -max_len=65536)
else
  args+=(-max_len=4096 -len_control=0)
fi
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run --sanitizer "${SANITIZER:-none}" "$target" "$corpus" -- "${args[@]}" "$@"
