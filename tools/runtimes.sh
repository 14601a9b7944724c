#!/usr/bin/env bash
# The plain tests (tools/plain_runner.py tests) and the conformance suite against refnet
# (python -m spec_tests --backend refnet --quiet) on each of the nine runtimes refnet supports:
# CPython 3.8, 3.9, 3.10, 3.11, 3.12 and 3.13, PyPy, MicroPython and Pyodide (both WebAssembly,
# under Node). Prints one line per runtime, then a summary; exits 1 when any runtime failed, was
# not found or timed out, 2 on a bad argument.
#
#     bash tools/runtimes.sh [-j JOBS] [--logs DIR] [--timeout SECONDS] [RUNTIME ...]
#
# RUNTIME is one of 3.8 3.9 3.10 3.11 3.12 3.13 pypy micropython pyodide (default: all nine).
# Runtimes run JOBS at a time (default: the number of CPUs), each command limited to SECONDS
# (default 900). Installs what is missing, as .ci/run does: PyPy with apt, the MicroPython and
# Pyodide npm packages (tools/micropython, tools/pyodide) with npm ci. CPython comes from pyenv
# (/root/.pyenv/versions/<v>.*) or python<v> on PATH. Each command's output is kept in the logs
# folder (default: a new folder under the system's temporary folder); a failing runtime's FAILED
# lines and the end of its logs are printed after the table.
set -uo pipefail
cd "$(dirname "$0")/.."

ALL="micropython pypy 3.8 3.9 3.10 3.11 3.12 3.13 pyodide"   # the slowest first: fewer idle CPUs at the end
ORDER="3.8 3.9 3.10 3.11 3.12 3.13 pypy micropython pyodide"  # the order of the table

usage() { echo "usage: bash tools/runtimes.sh [-j JOBS] [--logs DIR] [--timeout SECONDS] [RUNTIME ...]" >&2; }
die_usage() { echo "tools/runtimes.sh: $*" >&2; usage; exit 2; }

jobs=$(nproc 2>/dev/null || echo 2)
logs=""
limit=900
selected=""
while [ $# -gt 0 ]; do
    case "$1" in
        -j|--jobs) [ $# -ge 2 ] || die_usage "$1: expected a number of parallel runtimes, got nothing"
                   jobs=$2; shift 2 ;;
        --logs) [ $# -ge 2 ] || die_usage "--logs: expected a folder, got nothing"; logs=$2; shift 2 ;;
        --timeout) [ $# -ge 2 ] || die_usage "--timeout: expected seconds, got nothing"; limit=$2; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die_usage "unknown option $1 (expected -j, --logs, --timeout or a runtime)" ;;
        *) case " $ALL " in
               *" $1 "*) selected="$selected $1"; shift ;;
               *) die_usage "unknown runtime '$1' (expected one of: $ORDER)" ;;
           esac ;;
    esac
done
case "$jobs" in ''|*[!0-9]*|0) die_usage "-j: expected a whole number of at least 1, got '$jobs'" ;; esac
case "$limit" in ''|*[!0-9]*|0) die_usage "--timeout: expected a whole number of seconds of at least 1, got '$limit'" ;; esac
if [ -z "$selected" ]; then selected=" $ALL"; fi
if [ -z "$logs" ]; then logs=$(mktemp -d "${TMPDIR:-/tmp}/refnet-runtimes.XXXXXX"); fi
mkdir -p "$logs" || die_usage "--logs: cannot create the folder '$logs'"
rm -f "$logs"/*.plain.log "$logs"/*.suite.log "$logs"/*.result

wanted() { case " $selected " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

pick_python() {  # the newest pyenv install of version $1, else python$1 on PATH
    local found
    found=$(ls -d /root/.pyenv/versions/"$1".*/bin/python 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$found" ]; then echo "$found"; elif command -v "python$1" >/dev/null; then command -v "python$1"; fi
}

npm_package_ready() {  # $1 folder, $2 package: installed at the version package.json pins
    node -e '
        const [folder, name] = process.argv.slice(1);
        const wanted = require("./" + folder + "/package.json").dependencies[name];
        let installed = null;
        try { installed = require("./" + folder + "/node_modules/" + name + "/package.json").version; } catch (error) {}
        process.exit(installed === wanted ? 0 : 1);
    ' "$1" "$2"
}

# -- install what the selected runtimes need ---------------------------------------------------------
if wanted pypy && ! command -v pypy3 >/dev/null; then
    echo "installing PyPy (apt-get install pypy3)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pypy3) >/dev/null \
        || echo "tools/runtimes.sh: installing pypy3 with apt-get failed" >&2
fi
for pair in micropython:@micropython/micropython-webassembly-pyscript pyodide:pyodide; do
    name=${pair%%:*}
    package=${pair#*:}
    wanted "$name" || continue
    if ! command -v node >/dev/null; then
        echo "tools/runtimes.sh: $name needs Node.js (node on PATH), found none" >&2
        continue
    fi
    if ! npm_package_ready "tools/$name" "$package"; then
        echo "installing $package for $name (npm ci in tools/$name)"
        (cd "tools/$name" && npm ci --silent --no-audit --no-fund) \
            || echo "tools/runtimes.sh: npm ci in tools/$name failed" >&2
    fi
done

# -- one runtime: its commands, then a result file ----------------------------------------------------
# The result file holds four lines: the runtime's label, the plain tests' "exit status|closing line"
# (the counts), the suite's "exit status|closing line", and the seconds both took.
commands_for() {  # prints the program prefix of runtime $1 (the script and its arguments follow it)
    case "$1" in
        pypy) command -v pypy3 ;;
        micropython) command -v node >/dev/null && echo "node tools/micropython/run.mjs" ;;
        pyodide) command -v node >/dev/null && echo "node tools/pyodide/run.mjs" ;;
        *) pick_python "$1" ;;
    esac
}

label_for() {
    case "$1" in
        pypy) echo "pypy" ;;
        micropython) echo "micropython" ;;
        pyodide) echo "pyodide $(node -p 'require("./tools/pyodide/node_modules/pyodide/package.json").version' 2>/dev/null || echo '(not installed)')" ;;
        *) echo "cpython $1" ;;
    esac
}

closing_line() {  # the last line of log $1 matching the extended regex $2, or nothing
    grep -E "$2" "$1" 2>/dev/null | tail -n 1
}

PLAIN_LINE='^[a-z]+ [0-9.]+: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'
SUITE_LINE='^[0-9]+ passed, [0-9]+ failed, [0-9]+ unsupported$'

run_runtime() {
    local name=$1 prefix start plain_status suite_status
    local plain_log="$logs/$name.plain.log" suite_log="$logs/$name.suite.log" result="$logs/$name.result"
    start=$(date +%s)
    prefix=$(commands_for "$name")
    if [ -z "$prefix" ]; then
        printf '%s\n' "$(label_for "$name")" "127|" "127|" "0" > "$result"
        echo "not found: $name" > "$plain_log"
        echo "finished $(label_for "$name"): not found"
        return
    fi
    local suite_script="-m spec_tests"
    case "$name" in micropython|pyodide) suite_script="spec_tests/__main__.py" ;; esac
    # shellcheck disable=SC2086  # the prefix is a program and its fixed arguments
    timeout --kill-after=10 "$limit" $prefix tools/plain_runner.py tests > "$plain_log" 2>&1
    plain_status=$?
    # shellcheck disable=SC2086
    timeout --kill-after=10 "$limit" $prefix $suite_script --backend refnet --quiet > "$suite_log" 2>&1
    suite_status=$?
    local plain_line suite_line label
    plain_line=$(closing_line "$plain_log" "$PLAIN_LINE")
    suite_line=$(closing_line "$suite_log" "$SUITE_LINE")
    label=$(label_for "$name")
    printf '%s\n' "$label" "$plain_status|${plain_line#*: }" "$suite_status|$suite_line" \
        "$(( $(date +%s) - start ))" > "$result"
    echo "finished $(describe "$name")"
}

problem() {  # what went wrong with a command that exited $1 and printed closing line $2 (maybe empty)
    case "$1" in
        0) [ -n "$2" ] && echo "$2" || echo "exit 0 but no closing line" ;;
        124|137) echo "timed out after $limit s${2:+ ($2)}" ;;
        127) echo "not found" ;;
        *) if [ -n "$2" ]; then echo "exit $1: $2"; else echo "exit $1, no closing line (the runtime died?)"; fi ;;
    esac
}

describe() {  # one line for runtime $1 from its result file
    local result="$logs/$1.result" label plain suite seconds plain_version
    { read -r label; read -r plain; read -r suite; read -r seconds; } < "$result"
    plain_version=$(closing_line "$logs/$1.plain.log" "$PLAIN_LINE")
    plain_version=${plain_version%%:*}
    case "$1" in
        pyodide) [ -n "$plain_version" ] && label="$label ($plain_version)" ;;
        *) [ -n "$plain_version" ] && label=$plain_version ;;
    esac
    echo "$label: $(problem "${plain%%|*}" "${plain#*|}"); conformance suite: $(problem "${suite%%|*}" "${suite#*|}") (${seconds} s)"
}

passed() {  # runtime $1 passed: both commands exited 0 with their closing lines
    local result="$logs/$1.result" label plain suite seconds
    { read -r label; read -r plain; read -r suite; read -r seconds; } < "$result"
    [ "${plain%%|*}" = 0 ] && [ "${suite%%|*}" = 0 ] && [ -n "${plain#*|}" ] && [ -n "${suite#*|}" ]
}

# -- run them, JOBS at a time ------------------------------------------------------------------------
echo "runtimes:$selected ($jobs at a time, logs in $logs)"
running=0
for name in $ALL; do
    wanted "$name" || continue
    if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
    run_runtime "$name" &
    running=$((running + 1))
done
wait

echo
failed=""
count=0
for name in $ORDER; do
    wanted "$name" || continue
    count=$((count + 1))
    describe "$name"
    passed "$name" || failed="$failed $name"
done

for name in $failed; do
    echo
    echo "-- $(label_for "$name"): what failed"
    for log in "$logs/$name.plain.log" "$logs/$name.suite.log"; do
        [ -f "$log" ] || continue
        grep -E '^FAILED' "$log" | cut -c1-400
        echo "   last lines of $log:"
        grep -Ev '^SKIPPED |^ +at (wasm|file|node):' "$log" | tail -n 12 | cut -c1-400 | sed 's/^/   | /'
    done
done

echo
if [ -z "$failed" ]; then
    echo "$count of $count runtimes passed"
    exit 0
fi
echo "$(( count - $(echo $failed | wc -w) )) of $count runtimes passed; failed:$failed (logs in $logs)"
exit 1
