#!/usr/bin/env bash
# Creates bench/.venv (python3 -m venv) and installs bench/requirements.txt into it, when the
# environment is missing or older than the requirements. Used by run_benchmark.sh and
# agreement.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench/.venv
stamp=$venv/.requirements-installed
if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv" >&2
    python3 -m venv "$venv"
fi
if [ ! -f "$stamp" ] || [ bench/requirements.txt -nt "$stamp" ]; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r bench/requirements.txt
    touch "$stamp"
fi
