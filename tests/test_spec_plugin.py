"""The pytest plugin run as a user runs it, in a folder of their own: fixture files recognised by
content, the installed fixtures when no path is given, clean under -W error --strict-markers,
and a broken fixture or backend as a clear error, not a traceback.

Each test runs pytest in a subprocess, so they skip where there are no processes or no pytest.
"""

import json
import os
import sys

from _support import need_module, need_processes

from spec_tests import cases as case_files

ROOT = os.path.abspath(case_files.default_directory() + "/..")
PLUGIN = ["-p", "no:cacheprovider", "-p", "no:refnet_spec_tests", "-p", "spec_tests.pytest_plugin"]


def pytest_processes():
    """The subprocess module, or a skip where processes cannot start or there is no pytest."""
    subprocess = need_processes()
    need_module("pytest")
    return subprocess


def pytest_run(arguments, cwd):
    """(exit status, output) of `python -m pytest` with the plugin, in `cwd`."""
    subprocess = pytest_processes()
    environment = dict(os.environ)
    environment["PYTHONPATH"] = ROOT
    process = subprocess.run([sys.executable, "-m", "pytest"] + PLUGIN + arguments, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True, env=environment)
    return process.returncode, process.stdout


def elsewhere():
    """An empty folder outside the checkout, with no pytest configuration."""
    pytest_processes()  # skips first where the test cannot run at all
    import tempfile

    return tempfile.mkdtemp()


def copy_of_fixtures(folder, name):
    import shutil

    target = os.path.join(folder, name)
    shutil.copytree(case_files.default_directory(), target)
    return target


def case_count():
    return len(case_files.load_cases())


def test_plugin_collects_fixture_files_by_content_in_any_folder():
    folder = elsewhere()
    target = copy_of_fixtures(folder, "my_cases")
    with open(os.path.join(target, "settings.json"), "w") as handle:
        json.dump({"schema": "something-else/1", "cases": []}, handle)  # a JSON file that is not a fixture file
    status, output = pytest_run(["-q", "-W", "error", "--strict-markers", "--backend", "refnet", "my_cases"], folder)
    assert status == 0, output
    assert (str(case_count()) + " passed") in output and "warning" not in output.lower(), output


def test_plugin_with_no_path_collects_the_installed_fixtures():
    status, output = pytest_run(["-q", "-W", "error", "--strict-markers", "--backend", "refnet"], elsewhere())
    assert status == 0 and (str(case_count()) + " passed") in output, output


def test_plugin_pyargs_names_the_fixtures_as_a_package():
    status, output = pytest_run(["-q", "--backend", "refnet", "--pyargs", "spec_tests"], elsewhere())
    assert status == 0 and (str(case_count()) + " passed") in output, output


def test_plugin_without_backend_collects_nothing():
    folder = elsewhere()
    copy_of_fixtures(folder, "fixtures")
    status, output = pytest_run(["-q", "fixtures"], folder)
    assert status == 5 and "no tests ran" in output, output  # pytest's exit status 5: nothing collected


def test_plugin_names_items_by_case_id_and_prints_the_rerun_command():
    pytest_processes()
    status, output = pytest_run(["-q", "--backend", "tests._spec_examples:SigmoidSlopeBug", "-k", "sigmoid",
                                 os.path.join(case_files.default_directory(), "activation.json")], ROOT)
    assert status == 1
    assert "FAILED activation.sigmoid.basic" in output and "re-run:" in output, output


def test_plugin_reports_a_broken_fixture_as_a_collection_error():
    folder = elsewhere()
    target = copy_of_fixtures(folder, "my_cases")
    path = os.path.join(target, "loss.json")
    with open(path) as handle:
        document = json.load(handle)
    del document["cases"][0]["tolerance"]
    with open(path, "w") as handle:
        json.dump(document, handle)
    status, output = pytest_run(["-q", "--backend", "refnet", "my_cases"], folder)
    assert status == 2, output  # pytest's "interrupted": errors during collection
    assert "my_cases/loss.json: case " + document["cases"][0]["id"] + ": tolerance: missing" in output, output
    assert "Traceback" not in output, output


def test_plugin_reports_an_unreadable_file_named_after_a_family_instead_of_skipping_it():
    folder = elsewhere()
    target = copy_of_fixtures(folder, "my_cases")
    for content in [b"", b"[]", b'{"cases": []}', b"\xff"]:
        with open(os.path.join(target, "graph.json"), "wb") as handle:
            handle.write(content)
        status, output = pytest_run(["-q", "--backend", "refnet", "my_cases"], folder)
        assert status == 2 and "ERROR my_cases/graph.json" in output, (content, output)
        assert "Traceback" not in output, output


def test_plugin_reports_duplicate_ids_across_files():
    folder = elsewhere()
    target = copy_of_fixtures(folder, "my_cases")
    with open(os.path.join(target, "loss.json")) as handle:
        document = json.load(handle)
    document["cases"] = document["cases"][:1]
    with open(os.path.join(target, "more.json"), "w") as handle:
        json.dump(document, handle)
    status, output = pytest_run(["-q", "--backend", "refnet", "my_cases"], folder)
    assert status == 2 and "id: expected an id used once, got one already used in" in output, output


def test_plugin_bad_backend_is_a_usage_error():
    status, output = pytest_run(["-q", "--backend", "no_such_module_here"], elsewhere())
    assert status == 4, output  # pytest's usage error
    assert "spec_tests: --backend no_such_module_here: importing no_such_module_here failed" in output, output
    assert "Traceback" not in output, output
