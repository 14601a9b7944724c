"""`python -m spec_tests` run as a user runs it: closing line, exit status 0/1/2, report,
expectations, and a one-line error for every input that stops a run before it starts.

They start processes, so they skip where there are none (MicroPython, Pyodide).
"""

import json
import os
import sys

from _support import need_module, need_processes, skip

from spec_tests import cases as case_files

ROOT = case_files.default_directory() + "/.."


def processes():
    """The subprocess module, or a skip where processes cannot start."""
    return need_processes()


def run(arguments, extra_path=""):
    """(exit status, stdout, stderr) of `python -m spec_tests arguments…` in the repository root."""
    subprocess = processes()
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (extra_path, os.path.abspath(ROOT)) if p)
    process = subprocess.run([sys.executable, "-m", "spec_tests"] + arguments, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, universal_newlines=True, env=environment)
    return process.returncode, process.stdout, process.stderr


def scratch():
    processes()  # skips first where the test cannot run at all
    import tempfile

    return tempfile.mkdtemp()


def fixtures_copy():
    """A copy of the fixtures (with their schemas) in a new folder not called fixtures."""
    folder = os.path.join(scratch(), "cases")
    import shutil

    shutil.copytree(case_files.default_directory(), folder)
    return folder


def cannot_start(arguments, named, extra_path=""):
    """Run; assert exit status 2, nothing on stdout, and one stderr line naming every string of `named`."""
    status, output, errors = run(arguments, extra_path)
    lines = errors.strip().split("\n")
    assert status == 2, (arguments, status, output, errors)
    assert len(lines) == 1 and lines[0].startswith("spec_tests: "), (arguments, errors)
    for text in named:
        assert text in lines[0], (arguments, text, lines[0])
    assert output == "", (arguments, output)
    return lines[0]


def test_cli_closing_line_and_exit_status():
    status, output, errors = run(["--backend", "refnet", "--quiet"])
    count = len(case_files.load_cases())
    assert status == 0 and output.strip().split("\n")[-1] == str(count) + " passed, 0 failed, 0 unsupported", output + errors


def test_cli_failure_exit_status_report_and_expectations():
    folder = scratch()
    report = os.path.join(folder, "report.json")
    known = os.path.join(folder, "known.txt")
    spec = "tests._spec_examples:SigmoidSlopeBug"
    sigmoid_cases = len(case_files.select(case_files.load_cases(), ["activation.sigmoid"], []))
    assert sigmoid_cases >= 2
    status, output, _ = run(["--backend", spec, "--include", "activation.sigmoid", "--report", report])
    assert status == 1, output
    assert "FAILED activation.sigmoid.basic" in output
    assert "re-run:      python -m spec_tests --backend " + spec + " --include activation.sigmoid.basic" in output
    assert output.strip().split("\n")[-1] == "0 passed, " + str(sigmoid_cases) + " failed, 0 unsupported", output
    with open(report) as handle:
        document = json.load(handle)
    assert document["summary"]["total"]["failed"] == sigmoid_cases and document["backend"]["spec"] == spec
    assert document["cases"][0]["mismatches"][0]["path"].startswith("dx[")
    with open(known, "w") as handle:
        handle.write("activation.sigmoid.*  slope written as y(1 + y)\nloss.renamed  no longer exists\n")
    status, output, _ = run(["--backend", spec, "--include", "activation.sigmoid", "--expectations", known])
    assert status == 0, output
    assert "warning: expectation 'loss.renamed' matches no case" in output
    assert output.strip().split("\n")[-1] == ("0 passed, 0 failed, 0 unsupported, " + str(sigmoid_cases)
                                              + " known failures, 0 unexpected passes")


def test_unexpected_pass_fails_the_run_only_with_strict_expectations():
    known = os.path.join(scratch(), "known.txt")
    with open(known, "w") as handle:
        handle.write("loss.mse.basic  thought to be broken\n")
    arguments = ["--backend", "refnet", "--include", "loss.mse.basic", "--expectations", known]
    status, output, _ = run(arguments)
    assert status == 0 and "loss.mse.basic passed but is listed as a known failure (thought to be broken)" in output
    status, output, _ = run(arguments + ["--strict-expectations"])
    assert status == 1, output
    assert "UNEXPECTED PASS loss.mse.basic" in output
    assert output.count("loss.mse.basic passed but is listed") == 1, output  # printed once, not again as a warning
    assert output.strip().split("\n")[-1] == "0 passed, 0 failed, 0 unsupported, 0 known failures, 1 unexpected pass"


def test_report_validates_against_its_schema():
    jsonschema = need_module("jsonschema")
    report = os.path.join(scratch(), "report.json")
    status, _, _ = run(["--backend", "tests._spec_examples:SigmoidSlopeBug", "--report", report, "--quiet"])
    assert status == 1
    with open(report) as handle:
        document = json.load(handle)
    with open(case_files.default_directory() + "/schemas/report.schema.json") as handle:
        schema = json.load(handle)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    assert not errors, errors[0].message


DEVICE_BACKEND = '''
from spec_tests.backends.refnet_backend import RefnetBackend


class Described(RefnetBackend):
    device = "cuda:0"
    device_name = "Example GPU 80GB"
    notes = ["TF32 disabled", "deterministic kernels"]
'''


def test_header_and_report_carry_device_name_and_notes():
    folder = scratch()
    with open(os.path.join(folder, "described_backend.py"), "w") as handle:
        handle.write(DEVICE_BACKEND)
    report = os.path.join(folder, "report.json")
    status, output, errors = run(["--backend", "described_backend:Described", "--include", "loss.mse", "--report", report],
                                 folder)
    assert status == 0, output + errors
    header = output.split("\n")[0]
    assert "backend refnet, float64, device cuda:0, Example GPU 80GB, TF32 disabled; deterministic kernels" in header
    with open(report) as handle:
        described = json.load(handle)["backend"]
    assert described["device_name"] == "Example GPU 80GB" and described["notes"] == ["TF32 disabled", "deterministic kernels"]
    jsonschema = need_module("jsonschema")
    with open(case_files.default_directory() + "/schemas/report.schema.json") as handle:
        schema = json.load(handle)
    with open(report) as handle:
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(handle)))
    assert not errors, errors[0].message


def break_file(folder, name, change):
    """Rewrite folder/name with `change` applied to its parsed document (or its text, for a str result)."""
    path = os.path.join(folder, name)
    with open(path) as handle:
        text = handle.read()
    changed = change(json.loads(text))
    with open(path, "w") as handle:
        handle.write(changed if isinstance(changed, str) else json.dumps(changed))
    return text


def without(field):
    def change(document):
        del document["cases"][0][field]
        return document
    return change


def setting(path, value):
    def change(document):
        target = document
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        return document
    return change


def test_malformed_fixtures_stop_the_run_naming_file_case_and_field():
    folder = fixtures_copy()
    loss = case_files.load_cases(folder)
    first_loss = [c for c in loss if c["family"] == "loss"][0]["id"]
    first_graph = [c for c in loss if c["family"] == "graph"][0]["id"]
    broken = [
        ("loss.json", without("id"), ["loss.json: cases[0]: id: missing"]),
        ("loss.json", without("input"), ["loss.json: case " + first_loss + ": input: missing"]),
        ("loss.json", without("expected"), ["loss.json: case " + first_loss + ": expected: missing"]),
        ("loss.json", without("tolerance"), ["loss.json: case " + first_loss + ": tolerance: missing"]),
        ("loss.json", lambda d: json.dumps(d)[:500], ["loss.json: line 1, column ", "invalid JSON"]),
        ("loss.json", setting(["family"], "losses"), ["loss.json: family: expected one of graph,", 'got "losses"']),
        ("graph.json", setting(["cases", 0, "input", "nodes", 0, "op"], "cube"),
         ["graph.json: case " + first_graph + ": input.nodes[0].op: expected one of", 'got "cube"']),
        ("loss.json", setting(["schema_version"], 2), ["loss.json: schema_version: expected 1", "got 2"]),
        ("loss.json", setting(["cases", 0, "input", "predictions", 1], "x"),
         ["loss.json: case " + first_loss + ": input.predictions[1]: expected", 'got "x"']),
    ]
    for name, change, named in broken:
        original = break_file(folder, name, change)
        try:
            cannot_start(["--backend", "refnet", "--fixtures", folder], named)
        finally:
            with open(os.path.join(folder, name), "w") as handle:
                handle.write(original)


def test_duplicate_ids_across_two_files_stop_the_run():
    folder = fixtures_copy()
    with open(os.path.join(folder, "loss.json")) as handle:
        document = json.load(handle)
    document["cases"] = document["cases"][:1]
    with open(os.path.join(folder, "more_losses.json"), "w") as handle:
        json.dump(document, handle)
    case_id = document["cases"][0]["id"]
    cannot_start(["--backend", "refnet", "--fixtures", folder],
                 ["more_losses.json: case " + case_id + ": id: expected an id used once", "already used in", "loss.json"])


FAILING_IMPORT = 'raise RuntimeError("this backend needs a GPU driver")\n'
FAILING_CONSTRUCTOR = '''
class Backend:
    precision = "float64"

    def __init__(self, **options):
        raise ValueError("no device " + repr(options.get("device")))
'''


def test_each_bad_argument_stops_the_run_with_one_line():
    folder = scratch()
    empty = os.path.join(folder, "empty")
    os.mkdir(empty)
    with open(os.path.join(folder, "failing_import.py"), "w") as handle:
        handle.write(FAILING_IMPORT)
    with open(os.path.join(folder, "failing_constructor.py"), "w") as handle:
        handle.write(FAILING_CONSTRUCTOR)
    unwritable = os.path.join(folder, "no", "such", "report.json")
    missing = os.path.join(folder, "missing")
    refnet = ["--backend", "refnet"]
    cases = [
        ([], ["--backend is required", "got neither"]),
        (["--backend"], ["--backend: expected a value"]),
        (["--bogus"], ["expected an option listed by --help", "'--bogus'"]),
        (refnet + ["--include", "no.such.case"], ["expected a selection", "--include no.such.case"]),
        (refnet + ["--exclude", "*"], ["expected a selection", "--exclude *"]),
        (refnet + ["--fixtures", empty], ["--fixtures: expected fixture files (*.json)", "found none"]),
        (refnet + ["--fixtures", missing], ["--fixtures: expected a folder", repr(missing)]),
        (refnet + ["--report", unwritable], ["--report: expected a file it can write", repr(unwritable)]),
        (refnet + ["--precision", "float16"], ["--precision: expected float64 or float32", "'float16'"]),
        (refnet + ["--timeout", "5"], ["--timeout: applies to --backend-command only"]),
        (["--backend-command", "true", "--timeout", "soon"], ["--timeout: expected a positive number", "'soon'"]),
        (refnet + ["--backend-command", "true"], ["expected one of --backend and --backend-command, got both"]),
        (["--backend", "spec_tests.backends.refnet_backend:Missing"], ["refnet_backend", "'Missing'"]),
        (["--backend", "no_such_module_here"], ["--backend no_such_module_here", "No module named"]),
        (["--backend", "failing_import"], ["--backend failing_import", "RuntimeError: this backend needs a GPU driver"]),
        (["--backend", "failing_constructor:Backend", "--device", "tpu"],
         ["--backend failing_constructor:Backend: creating the backend", "ValueError: no device 'tpu'"]),
        (refnet + ["--precision", "float32"], ["--backend refnet", "float32", "float64"]),
    ]
    for arguments, named in cases:
        cannot_start(arguments, named, folder)
    assert not os.path.exists(unwritable)
    report = os.path.join(folder, "report.json")  # opened before the run, removed when the run cannot start
    cannot_start(refnet + ["--report", report, "--include", "no.such.case"], ["--include no.such.case"])
    assert not os.path.exists(report)


def test_help_exits_0_and_documents_the_exit_statuses():
    status, output, errors = run(["--help"])
    assert status == 0 and errors == ""
    assert "Exit status:" in output and "2   the run could not start" in output and "--backend-command CMD" in output


def test_backend_command_runs_a_program_speaking_the_line_protocol():
    processes()
    if not os.path.exists(os.path.join(ROOT, "spec_tests", "serve.py")):
        skip("spec_tests/serve.py is not here")
    command = sys.executable + " -m spec_tests.serve --backend refnet"
    status, output, errors = run(["--backend-command", command, "--include", "loss.mse", "--timeout", "30"])
    assert status == 0, output + errors
    assert output.strip().split("\n")[-1] == "2 passed, 0 failed, 0 unsupported", output


def test_a_backend_program_that_cannot_run_stops_the_run_before_any_case():
    folder = scratch()
    plain = os.path.join(folder, "not_executable.sh")
    with open(plain, "w") as handle:
        handle.write("#!/bin/sh\n")
    for program, what in (("refnet-no-such-program", "found none"), (folder, "folder"),
                          (plain, "not executable")):
        line = cannot_start(["--backend-command", program + " --serve"], [repr(program), what])
        assert "FAILED" not in line, line


def test_unreadable_or_absurdly_nested_fixture_files_are_one_line_fixture_errors():
    processes()
    for name, text in (("not_utf8", None), ("too_deep", "[" * 100000 + "]" * 100000)):
        folder = fixtures_copy()
        path = os.path.join(folder, "graph.json")
        if text is None:
            with open(path, "ab") as handle:
                handle.write(b"\xff")
        else:
            with open(path, "w") as handle:
                handle.write(text)
        expected = "UTF-8" if text is None else "nested too deeply"
        cannot_start(["--backend", "refnet", "--fixtures", folder], ["graph.json", expected])


def test_rerun_command_keeps_fixtures_and_timeout_and_double_quotes_the_program():
    folder = fixtures_copy()
    program = os.path.join(scratch(), "fails.py")
    with open(program, "w") as handle:
        handle.write("import json, sys\nfor line in sys.stdin:\n"
                     "    print(json.dumps({'id': json.loads(line)['id'], 'error': 'no'}), flush=True)\n")
    command = sys.executable + " " + program
    status, output, errors = run(["--backend-command", command, "--fixtures", folder, "--timeout", "30",
                                  "--include", "loss.mse.basic"])
    assert status == 1, output + errors
    assert ("re-run:      python -m spec_tests --backend-command \"" + command + "\" --fixtures " + folder
            + " --timeout 30 --include loss.mse.basic") in output, output
