"""What a wheel of refnet holds for the conformance suite, read from pyproject.toml: the fixtures
and schemas as package data of spec_tests.fixtures, py.typed, the JavaScript backend, the
pytest plugin's entry point. tools/check_install.sh builds and installs the real thing.
"""

import os
import sys

from _support import need_processes, skip

from spec_tests import cases as case_files

ROOT = os.path.abspath(case_files.default_directory() + "/..")


def project():
    try:
        import tomllib
    except ImportError:
        skip("no tomllib on " + sys.implementation.name + " " + ".".join(str(v) for v in sys.version_info[:2]))
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        return tomllib.load(handle)


def test_fixtures_and_schemas_are_package_data_of_spec_tests():
    settings = project()["tool"]["setuptools"]
    packages = settings["packages"]
    assert "spec_tests.fixtures" in packages and "spec_tests.fixtures.schemas" in packages
    assert settings["package-dir"]["spec_tests.fixtures"] == "fixtures"
    assert settings["package-dir"]["spec_tests.fixtures.schemas"] == "fixtures/schemas"
    data = settings["package-data"]
    assert data["spec_tests.fixtures"] == ["*.json"] and data["spec_tests.fixtures.schemas"] == ["*.json"]
    assert "py.typed" in data["spec_tests"] and os.path.exists(os.path.join(ROOT, "spec_tests", "py.typed"))
    assert "*.mjs" in data["spec_tests.backends.javascript"]


def test_every_subpackage_of_spec_tests_is_listed():
    packages = project()["tool"]["setuptools"]["packages"]
    for folder, _, files in os.walk(os.path.join(ROOT, "spec_tests")):
        if "__init__.py" in files or any(name.endswith(".mjs") for name in files):
            name = os.path.relpath(folder, ROOT).replace(os.sep, ".")
            assert name in packages, name


def test_the_pytest_plugin_is_an_entry_point():
    assert project()["project"]["entry-points"]["pytest11"] == {"refnet_spec_tests": "spec_tests.pytest_plugin"}


def test_check_install_script_parses():
    subprocess = need_processes()
    import shutil

    if shutil.which("bash") is None:
        skip("no bash here")
    process = subprocess.run(["bash", "-n", os.path.join(ROOT, "tools", "check_install.sh")], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True)
    assert process.returncode == 0, process.stdout
