#!/usr/bin/env bash
# The benchmarks in their own environment: micrograd 0.1.0 from PyPI, NumPy, PyTorch 2.13.0 (CPU).
# Then the same pure-Python figures on PyPy, where it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x benchmarks/.venv/bin/python ]; then python3 -m venv benchmarks/.venv; fi
benchmarks/.venv/bin/python -m pip install --quiet --disable-pip-version-check -e . micrograd==0.1.0 numpy 'torch==2.13.0'
benchmarks/.venv/bin/python benchmarks/run.py "$@"
if command -v pypy3 >/dev/null; then
    echo
    echo "== PyPy (micrograd, NumPy and PyTorch are not installed there)"
    pypy3 benchmarks/run.py --quick
fi
