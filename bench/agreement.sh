#!/usr/bin/env bash
# The engine and the NumPy version agree (CI runs this when it is executable):
#
#     bench/agreement.sh [agreement.py options]
#
# Creates bench/.venv with bench/requirements.txt if needed, builds the headless binary (no
# GUI feature) and bench/xcheck into target/bench (never target/release, the app's binary),
# then runs bench/agreement.py --exact on every scenario (scenarios/, tests/fixtures/v1/,
# bench/scenarios/): every headline number within 3 combined standard errors (200,000 trials
# of each implementation; a number that fails is re-checked once with new seeds), and the
# NumPy model equal to the engine's trial by trial, month by month, on the engine's own
# draws (50,000 trials of each scenario). Both implementations are seeded, so the verdict is
# reproducible. Exits non-zero on disagreement.
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/setup_venv.sh
exec bench/.venv/bin/python bench/agreement.py --exact --brief "$@"
