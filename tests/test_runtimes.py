"""The tools that run the tests on every runtime: tests/_support.py's need_processes() (a test
that starts processes runs exactly where a process can start), tools/pyodide/run.mjs (a script's
exit status and traceback come through Node unchanged) and tools/runtimes.sh (a bad argument
stops it before it installs or runs anything).
"""

import os
import sys

from _support import need_processes, skip

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
ROOT = os.path.abspath(HERE + "/..")


def can_start_a_process():
    """Whether this runtime really starts `sys.executable -c "print(6 * 7)"` and reads its output,
    tried directly, without need_processes()."""
    try:
        import subprocess
    except ImportError:
        return False
    try:
        process = subprocess.run([sys.executable, "-c", "print(6 * 7)"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    except subprocess.TimeoutExpired:  # it started: only slow (a loaded machine), which is not the question
        return True
    except Exception:  # noqa: BLE001 - OSError 138 under Emscripten, no sys.executable...
        return False
    return process.returncode == 0 and process.stdout.strip() == "42"


def test_need_processes_skips_exactly_where_no_process_can_start():
    possible = can_start_a_process()
    module = None
    reason = ""
    try:
        module = need_processes()
    except BaseException as error:  # noqa: BLE001 - Skipped, or pytest's own skip outcome
        if type(error).__name__ != "Skipped":
            raise
        reason = str(error)
    if possible:
        assert module is not None and module.run is not None, "need_processes() skipped (" + reason + "), but " \
            + str(sys.executable) + " starts"
    else:
        assert module is None, "need_processes() returned, but no process starts on " + sys.platform
        assert sys.platform in reason or sys.implementation.name in reason, reason


def node_and(package_folder):
    """The path of node, or skip where there is no Node or the folder's npm packages are missing."""
    need_processes()
    import shutil

    node = shutil.which("node")
    if node is None:
        skip("node is not on PATH")
    if not os.path.isdir(os.path.join(ROOT, package_folder, "node_modules")):
        skip(package_folder + "/node_modules is missing (run npm ci in " + package_folder + ")")
    return node


def script_in_pyodide(text, arguments):
    """(exit status, stdout, stderr) of `node tools/pyodide/run.mjs SCRIPT arguments…`, SCRIPT holding text."""
    node = node_and("tools/pyodide")
    import subprocess
    import tempfile

    folder = tempfile.mkdtemp()
    script = os.path.join(folder, "script_in_pyodide.py")
    with open(script, "w") as handle:
        handle.write(text)
    process = subprocess.run([node, os.path.join(ROOT, "tools", "pyodide", "run.mjs"), script] + arguments, cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    return process.returncode, process.stdout, process.stderr


def test_pyodide_runner_runs_a_script_with_refnet_and_passes_on_its_exit_status():
    status, output, errors = script_in_pyodide(
        "import sys\nfrom refnet import Value\n"
        "y = Value(2.0) * Value(3.0)\ny.backward()\n"
        "print(sys.platform, y.data, sys.argv[1:])\nsys.exit(3)\n", ["--flag", "two words"])
    # 2 · 3 = 6; Pyodide runs under Emscripten; the arguments arrive as given; sys.exit(3) exits 3
    assert output == "emscripten 6.0 ['--flag', 'two words']\n", (output, errors)
    assert status == 3, (status, errors)


def test_pyodide_runner_prints_the_scripts_traceback_and_exits_1_on_an_exception():
    status, output, errors = script_in_pyodide("print('before')\nraise ValueError('no good')\n", [])
    assert status == 1 and output == "before\n", (status, output, errors)
    assert errors.rstrip().split("\n")[-1] == "ValueError: no good", errors
    assert "script_in_pyodide.py\", line 2" in errors and "<exec>" not in errors, errors


def test_runtimes_script_refuses_an_unknown_runtime_before_running_anything():
    subprocess = need_processes()
    import shutil

    if shutil.which("bash") is None:
        skip("no bash here")
    script = os.path.join(ROOT, "tools", "runtimes.sh")
    process = subprocess.run(["bash", script, "3.7"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True, timeout=60)
    assert process.returncode == 2 and process.stdout == "", (process.returncode, process.stdout)
    first = process.stderr.split("\n")[0]
    assert first == ("tools/runtimes.sh: unknown runtime '3.7' (expected one of: "
                     "3.8 3.9 3.10 3.11 3.12 3.13 pypy micropython pyodide)"), process.stderr
    parsed = subprocess.run(["bash", "-n", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, timeout=60)
    assert parsed.returncode == 0, parsed.stdout
