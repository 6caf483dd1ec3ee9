#!/usr/bin/env bash
# The Armistice benchmark, in one command (from anywhere in the repository):
#
#     bash bench/run_benchmark.sh [--trials 1000000] [--repeats 5] [--scenario FILE.ron]
#
# 1. creates the virtual environment bench/.venv (python3 -m venv) and installs
#    bench/requirements.txt into it, if missing or older than the requirements
#    (bench/setup_venv.sh);
# 2. builds the release binary without the GUI feature (cargo build --release
#    --no-default-features);
# 3. runs bench/run_benchmark.py: on the baseline scenario at 1,000,000 trials, the engine
#    on 1 and 2 threads, its draws-only mode on 2 threads and the NumPy version, each 5
#    times after a warm-up, and prints median wall time, trials/s, CPU time and peak RSS,
#    the ratios engine(2 threads)/NumPy, 2 threads/1 thread and engine/draws-only, and the
#    "first pass" and "frame" timings of the Rust examples bench_first_pass and bench_frame
#    when they exist.
#
# It prints figures only and asserts nothing. On a shared machine, run it when nothing
# else is busy (it shows the load average at start and end).
set -euo pipefail
cd "$(dirname "$0")/.."

bash bench/setup_venv.sh
cargo build --release --no-default-features --quiet

exec bench/.venv/bin/python bench/run_benchmark.py "$@"
