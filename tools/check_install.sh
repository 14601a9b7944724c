#!/usr/bin/env bash
# Install refnet as a user does and run the conformance suite from a folder outside the checkout.
#
#     bash tools/check_install.sh          (PYTHON=/path/to/python to build with another interpreter)
#
# Builds the sdist and, from it, the wheel (python -m build); checks the wheel holds the fixtures,
# their schemas, py.typed and the JavaScript backend; then, in fresh virtual environments under a
# temporary folder:
#   wheel     + pytest, numpy, torch==2.13.0 (and jax, optax when spec_tests/backends/jax_backend.py
#               exists and they install): python -m spec_tests for refnet, refnet-dense, numpy, torch (and
#               jax) at every precision each supports; pytest --backend numpy with no path, under
#               -W error --strict-markers, and with --pyargs spec_tests
#   sdist     (pip builds it): python -m spec_tests --backend refnet
#   editable  (pip install -e): python -m spec_tests --backend refnet, and pytest with no path
# Every run must exit 0 with "0 failed"; the script exits 1 otherwise. pip's cache is reused.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/refnet-install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ELSEWHERE="$WORK/elsewhere"   # every check runs here: no checkout on sys.path, no pyproject.toml
mkdir -p "$ELSEWHERE"
PIP_QUIET=(--quiet --disable-pip-version-check)
RUNS=0
FAILED=()

step() { printf '\n== %s\n' "$*"; }

# check LABEL EXPECTED_LAST_LINE_PATTERN COMMAND...: run COMMAND in $ELSEWHERE; it must exit 0 and
# its output must contain a line matching the pattern (extended regex)
check() {
    local label=$1 pattern=$2
    shift 2
    RUNS=$((RUNS + 1))
    local log="$WORK/run-$RUNS.log" status=0
    (cd "$ELSEWHERE" && "$@") >"$log" 2>&1 || status=$?
    local summary
    summary=$(grep -E "$pattern" "$log" | tail -n 1)
    if [ "$status" -eq 0 ] && [ -n "$summary" ]; then
        printf '%-66s ok   %s\n' "$label" "$summary"
    else
        printf '%-66s FAIL (exit %s)\n' "$label" "$status"
        tail -n 25 "$log" | sed 's/^/    /'
        FAILED+=("$label")
    fi
}

suite_line='^[1-9][0-9]* passed, 0 failed, [0-9]+ unsupported$'
pytest_line='^[1-9][0-9]* passed(, [0-9]+ skipped)? in '

new_venv() {  # new_venv NAME: a fresh virtual environment at $WORK/NAME
    "$PYTHON" -m venv "$WORK/$1"
}

install() {  # install VENV PIP_ARGUMENTS...: pip install into $WORK/VENV, its output kept in a log
    local venv=$1
    shift
    if ! "$WORK/$venv/bin/python" -m pip install "${PIP_QUIET[@]}" "$@" >"$WORK/pip-$venv.log" 2>&1; then
        grep -v "is ignored: it is neither" "$WORK/pip-$venv.log" | tail -n 20
        echo "pip install $* failed in the $venv venv" >&2
        exit 1
    fi
}

step "build: sdist, then the wheel from it ($("$PYTHON" --version))"
if ! "$PYTHON" -m build --outdir "$WORK/dist" "$ROOT" >"$WORK/build.log" 2>&1; then
    tail -n 40 "$WORK/build.log"
    echo "build failed" >&2
    exit 1
fi
WHEEL=$(ls "$WORK"/dist/*.whl)
SDIST=$(ls "$WORK"/dist/*.tar.gz)
echo "$(basename "$SDIST") $(basename "$WHEEL")"

step "the wheel's contents"
RUNS=$((RUNS + 1))
if ! "$PYTHON" - "$WHEEL" "$ROOT" <<'EOF'
import os, sys, zipfile

wheel, root = sys.argv[1], sys.argv[2]
names = set(zipfile.ZipFile(wheel).namelist())


def expect(folder, suffix, inside):
    found = sorted(n for n in os.listdir(os.path.join(root, folder)) if n.endswith(suffix))
    missing = [inside + "/" + n for n in found if inside + "/" + n not in names]
    print("%-40s %2d files from %s/%s" % (inside + "/*" + suffix, len(found), folder, "" if not missing else " MISSING " + ", ".join(missing)))
    return not missing and bool(found)


ok = expect("fixtures", ".json", "spec_tests/fixtures")
ok = expect("fixtures/schemas", ".schema.json", "spec_tests/fixtures/schemas") and ok
if os.path.isdir(os.path.join(root, "spec_tests/backends/javascript")):
    ok = expect("spec_tests/backends/javascript", ".mjs", "spec_tests/backends/javascript") and ok
for marker in ("refnet/py.typed", "spec_tests/py.typed"):
    print("%-40s %s" % (marker, "present" if marker in names else "MISSING"))
    ok = ok and marker in names
sys.exit(0 if ok else 1)
EOF
then
    FAILED+=("wheel contents")
fi

step "wheel venv: refnet, pytest, numpy, torch==2.13.0$([ -f "$ROOT/spec_tests/backends/jax_backend.py" ] && echo ", jax, optax")"
new_venv wheel
W="$WORK/wheel/bin/python"
install wheel "$WHEEL" pytest numpy 'torch==2.13.0'
BACKENDS=(refnet:float64 refnet-dense:float64 numpy:float64 numpy:float32 torch:float64 torch:float32)
if [ -f "$ROOT/spec_tests/backends/jax_backend.py" ]; then
    if "$W" -m pip install "${PIP_QUIET[@]}" jax optax >"$WORK/jax.log" 2>&1; then
        BACKENDS+=(jax:float64 jax:float32)
    else
        echo "jax does not install here (see below); its runs are left out"
        grep -v "is ignored: it is neither" "$WORK/jax.log" | tail -n 5
    fi
fi
for entry in "${BACKENDS[@]}"; do
    backend=${entry%%:*}
    precision=${entry#*:}
    check "wheel: python -m spec_tests --backend $backend --precision $precision" "$suite_line" \
        "$W" -m spec_tests --backend "$backend" --precision "$precision" --quiet
done
check "wheel: pytest --backend numpy (no path)" "$pytest_line" \
    "$W" -m pytest -q -p no:cacheprovider --backend numpy
check "wheel: pytest --backend refnet -W error --strict-markers" "$pytest_line" \
    "$W" -m pytest -q -p no:cacheprovider -W error --strict-markers --backend refnet
check "wheel: pytest --backend numpy --pyargs spec_tests" "$pytest_line" \
    "$W" -m pytest -q -p no:cacheprovider --backend numpy --pyargs spec_tests

step "sdist venv (pip builds the wheel from the sdist)"
new_venv sdist
install sdist "$SDIST"
check "sdist: python -m spec_tests --backend refnet" "$suite_line" \
    "$WORK/sdist/bin/python" -m spec_tests --backend refnet --quiet

step "editable venv (pip install -e the checkout)"
new_venv editable
install editable -e "$ROOT" pytest
check "editable: python -m spec_tests --backend refnet" "$suite_line" \
    "$WORK/editable/bin/python" -m spec_tests --backend refnet --quiet
check "editable: pytest --backend refnet (no path)" "$pytest_line" \
    "$WORK/editable/bin/python" -m pytest -q -p no:cacheprovider -W error --strict-markers --backend refnet

step "summary"
if [ ${#FAILED[@]} -eq 0 ]; then
    echo "$RUNS checks, 0 failed"
    exit 0
fi
echo "$RUNS checks, ${#FAILED[@]} failed: ${FAILED[*]}"
exit 1
