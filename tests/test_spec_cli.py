"""The two front ends, run as a user runs them: `python -m spec_tests` and the pytest plugin.

They start subprocesses, so they run on CPython and PyPy; elsewhere they return early.
"""

import json
import sys

from spec_tests import cases as case_files

ROOT = case_files.default_directory() + "/.."


def run(arguments):
    """(exit status, output) of `python arguments…` in the repository root."""
    import subprocess

    process = subprocess.run([sys.executable] + arguments, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True)
    return process.returncode, process.stdout


def can_run():
    return sys.implementation.name in ("cpython", "pypy")


def test_cli_closing_line_and_exit_status():
    if not can_run():
        return
    status, output = run(["-m", "spec_tests", "--backend", "refnet", "--quiet"])
    last = output.strip().split("\n")[-1]
    count = len(case_files.load_cases())
    assert status == 0 and last == str(count) + " passed, 0 failed, 0 unsupported", output


def test_cli_failure_exit_status_report_and_expectations(tmp=None):
    if not can_run():
        return
    import os
    import tempfile

    folder = tempfile.mkdtemp()
    report = os.path.join(folder, "report.json")
    known = os.path.join(folder, "known.txt")
    spec = "tests._spec_examples:SigmoidSlopeBug"
    status, output = run(["-m", "spec_tests", "--backend", spec, "--include", "activation.sigmoid", "--report", report])
    assert status == 1, output
    assert "FAILED activation.sigmoid.basic" in output
    assert "re-run:      python -m spec_tests --backend " + spec + " --include activation.sigmoid.basic" in output
    assert output.strip().split("\n")[-1] == "0 passed, 2 failed, 0 unsupported", output
    with open(report) as handle:
        document = json.load(handle)
    assert document["summary"]["total"]["failed"] == 2 and document["backend"]["spec"] == spec
    assert document["cases"][0]["mismatches"][0]["path"].startswith("dx[")
    with open(known, "w") as handle:
        handle.write("activation.sigmoid.*  slope written as y(1 + y)\nloss.renamed  no longer exists\n")
    status, output = run(["-m", "spec_tests", "--backend", spec, "--include", "activation.sigmoid", "--expectations", known])
    assert status == 0, output
    assert "warning: expectation 'loss.renamed' matches no case" in output
    assert output.strip().split("\n")[-1] == "0 passed, 0 failed, 0 unsupported, 2 known failures, 0 unexpected passes"


def test_cli_usage_errors():
    if not can_run():
        return
    status, output = run(["-m", "spec_tests"])
    assert status == 2 and "--backend is required" in output
    status, output = run(["-m", "spec_tests", "--backend", "no_such_module_here"])
    assert status == 2 and "no_such_module_here" in output


def test_report_validates_against_its_schema():
    if not can_run():
        return
    try:
        import jsonschema
    except ImportError:
        return
    import os
    import tempfile

    report = os.path.join(tempfile.mkdtemp(), "report.json")
    status, _ = run(["-m", "spec_tests", "--backend", "tests._spec_examples:SigmoidSlopeBug", "--report", report, "--quiet"])
    assert status == 1
    with open(report) as handle:
        document = json.load(handle)
    with open(case_files.default_directory() + "/schemas/report.schema.json") as handle:
        schema = json.load(handle)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert not errors, errors[0].message


def test_pytest_plugin_names_items_by_case_id():
    if not can_run():
        return
    try:
        import pytest  # noqa: F401
    except ImportError:
        return
    plugin = ["-m", "pytest", "-p", "no:refnet_spec_tests", "-p", "spec_tests.pytest_plugin", "-p", "no:cacheprovider"]
    status, output = run(plugin + ["--backend", "refnet", "fixtures", "-q"])
    count = len(case_files.load_cases())
    assert status == 0 and (str(count) + " passed") in output, output
    status, output = run(plugin + ["--backend", "tests._spec_examples:SigmoidSlopeBug", "fixtures/activation.json", "-q",
                                   "-k", "sigmoid"])
    assert status == 1
    assert "FAILED activation.sigmoid.basic" in output and "re-run:" in output, output
