"""tools/plain_runner.py counts honestly: a skip is never a pass, a module that cannot be
imported is a failure, and a name that selects nothing is an error (exit status 2).

Each test writes a few small test modules into a scratch folder and runs the runner on it,
in this process (no subprocess), so these run on every runtime, MicroPython included.
"""

import os
import sys


HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
TOOLS = HERE + "/../tools"
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)

import plain_runner  # noqa: E402 - found through TOOLS, added just above
from _support import SCRATCH_COUNT, scratch_folder  # noqa: E402

def write_modules(sources):
    """A scratch folder holding one module per (name, source); the names get a unique prefix
    (test_prN_…), since a module imported once stays in sys.modules. Returns (folder, names)."""
    folder = scratch_folder("plain_runner_")
    prefix = "test_pr" + str(SCRATCH_COUNT[0]) + "_"
    names = []
    for name, source in sources:
        with open(folder + "/" + prefix + name + ".py", "w") as handle:
            handle.write(source)
        names.append(prefix + name)
    return folder, names


def run_in(folder, wanted, lines=None):
    """plain_runner.run on `folder`, with the folder importable meanwhile; its lines go to `lines`."""
    sys.path.insert(0, folder)
    try:
        return plain_runner.run(folder, wanted, (lines if lines is not None else []).append)
    finally:
        sys.path.remove(folder)


def main_in(folder, wanted, lines=None):
    """plain_runner.main's exit status for `folder`, its lines going to `lines`; sys.path as it
    was afterwards (main adds to it)."""
    saved = list(sys.path)
    try:
        return plain_runner.main([folder] + wanted, (lines if lines is not None else []).append)
    finally:
        sys.path[:] = saved


PASSING = "def test_one():\n    assert 1 + 1 == 2\n\n\ndef test_two():\n    assert True\n"
FAILING = "def test_fails():\n    assert 1 + 1 == 3, 'arithmetic'\n"
SKIPPING = "from _support import skip\n\n\ndef test_skips():\n    skip('no such runtime feature')\n"
NEEDING = "from _support import need_module\n\n\ndef test_needs():\n    need_module('no_such_module_for_plain_runner')\n"
EXITING = "import sys\n\n\ndef test_exits():\n    sys.exit(0)\n"
UNIMPORTABLE = "import no_such_module_for_plain_runner\n\n\ndef test_never_runs():\n    pass\n"
SKIPPED_AT_IMPORT = "from _support import skip\n\nskip('this file cannot run here')\n\n\ndef test_never_runs():\n    pass\n"


def test_passes_failures_and_skips_are_counted_apart():
    folder, _ = write_modules([("pass", PASSING), ("fail", FAILING), ("skip", SKIPPING), ("need", NEEDING)])
    passed, failed, skipped, unused, not_imported = run_in(folder, [])
    assert (passed, failed, skipped) == (2, 1, 2), (passed, failed, skipped)
    assert unused == [] and not_imported == [], (unused, not_imported)


def test_a_run_where_every_test_skips_does_not_succeed():
    folder, _ = write_modules([("skip", SKIPPING)])
    status = main_in(folder, [])
    assert status == 1, status


def test_a_test_that_calls_sys_exit_is_a_failure_not_the_end_of_the_run():
    folder, _ = write_modules([("exit", EXITING), ("pass", PASSING)])
    passed, failed, skipped, _, _ = run_in(folder, [])
    assert (passed, failed, skipped) == (2, 1, 0), (passed, failed, skipped)


def test_a_module_that_cannot_be_imported_is_a_failure_even_under_a_name_filter():
    folder, names = write_modules([("broken", UNIMPORTABLE), ("pass", PASSING)])
    lines = []
    passed, failed, skipped, unused, not_imported = run_in(folder, ["test_one"], lines)
    assert lines[0].startswith("FAILED " + names[0] + " (import): "), lines
    assert "no_such_module_for_plain_runner" in lines[0], lines
    assert (passed, failed, skipped) == (1, 1, 0), (passed, failed, skipped)
    assert not_imported == [names[0]], not_imported
    assert unused == [], unused


def test_a_module_that_skips_while_imported_is_one_skip():
    folder, names = write_modules([("skipped", SKIPPED_AT_IMPORT), ("pass", PASSING)])
    lines = []
    passed, failed, skipped, _, not_imported = run_in(folder, [], lines)
    assert lines == ["SKIPPED " + names[0] + " (import): this file cannot run here"], lines
    assert (passed, failed, skipped) == (2, 0, 1), (passed, failed, skipped)
    assert not_imported == [names[0]], not_imported


def test_a_name_filter_runs_only_the_tests_it_names():
    folder, names = write_modules([("pass", PASSING), ("fail", FAILING)])
    passed, failed, skipped, unused, _ = run_in(folder, [names[0] + "::test_two"])
    assert (passed, failed, skipped, unused) == (1, 0, 0, []), (passed, failed, skipped, unused)


def test_a_name_that_selects_nothing_is_an_error_with_status_2():
    folder, _ = write_modules([("pass", PASSING)])
    passed, _, _, unused, _ = run_in(folder, ["test_one", "test_no_such_name"])
    assert passed == 1 and unused == ["test_no_such_name"], (passed, unused)
    lines = []
    status = main_in(folder, ["test_no_such_name"], lines)
    mixed = main_in(folder, ["test_one", "test_no_such_name"])
    assert (status, mixed) == (2, 2), (status, mixed)
    assert "'test_no_such_name'" in lines[0] and "module::test_name" in lines[0] and folder in lines[0], lines
    assert lines[-1].endswith(": 0 passed, 0 failed, 0 skipped"), lines

