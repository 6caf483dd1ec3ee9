#!/usr/bin/env bash
# The engine and the NumPy version agree (CI runs this when it is executable):
#
#     bench/agreement.sh [agreement.py options]
#
# Creates bench/.venv with bench/requirements.txt if needed, builds the release binary
# without the GUI feature and bench/xcheck, then runs bench/agreement.py --exact: every
# headline number of every scenario within 3 combined standard errors (200,000 trials of
# each implementation; a number that fails is re-checked once with new seeds), and the
# NumPy model equal to war::evaluate trial by trial on the engine's own inputs. Both
# implementations are seeded, so the verdict is reproducible. Exits non-zero on disagreement.
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/setup_venv.sh
exec bench/.venv/bin/python bench/agreement.py --exact "$@"
