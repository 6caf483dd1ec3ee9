#!/usr/bin/env bash
# The Armistice benchmark, in one command (from anywhere in the repository):
#
#     bash bench/run_benchmark.sh [--trials 1000000] [--repeats 5] [--scenario FILE.ron] [--frame]
#
# 1. creates the virtual environment bench/.venv (python3 -m venv) and installs
#    bench/requirements.txt into it, if missing or older than the requirements
#    (bench/setup_venv.sh);
# 2. builds the headless binary (no GUI feature) and the example bench_first_pass into their
#    own target directory, target/bench: the app's release binary target/release/armistice
#    (with its window) is never touched;
# 3. runs bench/run_benchmark.py: on the baseline scenario at 1,000,000 trials, the engine
#    on 1 and 2 threads, its draws-only mode on 2 threads and the NumPy version, each 5
#    times after a warm-up, and prints median wall time, trials/s, CPU time and peak RSS,
#    the ratios against the baselines of the same run (engine on 2 threads / NumPy, 2 threads
#    / 1 thread, engine / draws-only) with their targets, and the first pass of 20,000 trials
#    after a slider move (bench_first_pass). With --frame it also builds (into target/bench,
#    with the GUI feature) and runs the frame benchmark bench_frame.
#
# It prints figures only and asserts nothing. On a shared machine, run it when nothing
# else is busy (it shows the load average at start and end).
set -euo pipefail
cd "$(dirname "$0")/.."

bash bench/setup_venv.sh
cargo build --locked --release --quiet --no-default-features --features bench --target-dir target/bench \
    --bin armistice --example bench_first_pass

exec bench/.venv/bin/python bench/run_benchmark.py "$@"
