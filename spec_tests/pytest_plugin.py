"""The pytest front end: each fixture case becomes a pytest item named by its id.

    pytest --backend refnet                          # the fixtures installed with spec_tests
    pytest --backend numpy --pyargs spec_tests       # the same, named as a package
    pytest --backend torch --precision float32 --device cuda:0 my_fixtures/ -k softmax
    pytest --backend numpy --spec-expectations known.txt

Registered through the `pytest11` entry point, so installing refnet makes the options
available; without --backend the plugin collects nothing. With --backend and no path on the
command line, it collects the fixtures installed with spec_tests (or the checkout's), from any
folder. Any JSON file whose "schema" is "refnet-fixture/..." is a fixture file, whatever its
folder is called; each is checked (spec_tests/validate.py: JSON, its family's schema, ids unique
across the files) and a problem is a collection error naming the file, case and field. The
markers it puts on items (the cases' flags, "-" written "_") are registered, so runs are clean
under --strict-markers and -W error.

The engine is the same as `python -m spec_tests`: a failure prints the case id, its source,
expected and actual values with their errors, and the command that re-runs just that case.
Unsupported cases are skipped (with the reason) and known failures from the expectations file
are xfailed. A backend that cannot be imported or created is a usage error (exit status 4).
"""

import re

import pytest

from spec_tests import cases as case_files
from spec_tests import engine, expectations, validate
from spec_tests.protocol import FAMILIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Tuple

FLAG_MARKERS = [
    ("kink", "a case at a non-differentiable point (a convention decides)"),
    ("convention", "a case that pins down one of refnet's conventions"),
    ("tie", "equal inputs (max gate, softmax)"),
    ("fan_in", "a node used more than once"),
    ("extreme", "very large or very small inputs"),
    ("non_finite", "an infinite result"),
    ("error", "the backend must raise"),
    ("edge", "a boundary of the domain"),
    ("zero_target", "targets equal to zero"),
    ("bit_exact", "results that must match to the last bit"),
]
FIXTURE_SIGNATURE = re.compile(r'"schema"\s*:\s*"refnet-fixture/')
PACKAGE_NAMES = ("spec_tests", "spec_tests.fixtures")

BACKEND = pytest.StashKey["Any"]()
ENTRIES = pytest.StashKey["List[Tuple[str, str]]"]()
FIRST_USE = pytest.StashKey["Dict[str, str]"]()
MARKERS = pytest.StashKey["List[str]"]()


def pytest_addoption(parser: "Any") -> None:
    group = parser.getgroup("spec_tests", "refnet conformance suite")
    group.addoption("--backend", default=None, help="run the conformance cases against this backend: refnet, "
                    "refnet-dense, numpy, torch, jax or MODULE[:ATTR]; with no path, the installed fixtures")
    group.addoption("--precision", default="", help="float64 or float32 (passed to the backend class)")
    group.addoption("--device", default="", help="device for the backend class, e.g. cuda:0")
    group.addoption("--spec-expectations", default=None, help="known failures: '<id or pattern> <reason>' per line")


def pytest_configure(config: "Any") -> None:
    config.stash[MARKERS] = []
    for name, text in FLAG_MARKERS:
        register_marker(config, name, text)
    if not config.getoption("--backend"):
        return
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        config.args = [case_files.default_directory()]
    elif config.getoption("pyargs"):
        config.args = [case_files.default_directory() if arg in PACKAGE_NAMES else arg for arg in config.args]


def register_marker(config: "Any", name: str, text: str) -> None:
    if name not in config.stash[MARKERS]:
        config.stash[MARKERS].append(name)
        config.addinivalue_line("markers", name + ": " + text)


def pytest_sessionstart(session: "Any") -> None:
    """Load the backend and the expectations before collecting: either failing stops the run."""
    config = session.config
    if not config.getoption("--backend"):
        return
    try:
        config.stash[BACKEND] = engine.load_backend(config.getoption("--backend"), config.getoption("--precision"),
                                                    config.getoption("--device"))
    except engine.BackendError as error:
        raise pytest.UsageError("spec_tests: " + str(error))
    path = config.getoption("--spec-expectations")
    try:
        config.stash[ENTRIES] = expectations.load(path) if path else []
    except (OSError, ValueError) as error:
        raise pytest.UsageError("spec_tests: --spec-expectations: expected a readable file of '<id or pattern> "
                                "<reason>' lines, got " + repr(path) + " (" + engine.one_line(error) + ")")
    config.stash[FIRST_USE] = {}


def pytest_unconfigure(config: "Any") -> None:
    backend = config.stash.get(BACKEND, None)
    if backend is not None and hasattr(backend, "close"):
        backend.close()


def is_fixture_file(file_path: "Any") -> bool:
    """A JSON file whose "schema" is "refnet-fixture/...", recognised by its content, or one named
    after a family (graph.json, loss.json, ...): such a file that cannot be read is an error of
    the fixtures, never silently skipped."""
    if file_path.suffix != ".json":
        return False
    if file_path.stem in FAMILIES:
        return True
    try:
        text = file_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return FIXTURE_SIGNATURE.search(text) is not None


def pytest_collect_file(file_path: "Any", parent: "Any") -> "Any":
    if parent.config.getoption("--backend") and is_fixture_file(file_path):
        return FixtureFile.from_parent(parent, path=file_path)
    return None


class FixtureFile(pytest.File):
    def collect(self) -> "Iterator[Any]":
        path = str(self.path)
        where = validate.display(path)
        try:
            document = validate.parse_json(validate.read_text(path, where), where)
            problems = validate.check_document(document, where, case_files.schema_directory(str(self.path.parent)))
        except validate.FixtureError as error:
            raise self.CollectError("\n".join(error.problems))
        except RecursionError:
            raise self.CollectError(where + ": expected a fixture document nested at most a few hundred levels deep, "
                                    "got one nested too deeply to check")
        if not problems:
            first_use = self.config.stash[FIRST_USE]
            for case in document["cases"]:
                if case["id"] in first_use and first_use[case["id"]] != where:
                    problems.append(where + ": case " + case["id"] + ": id: expected an id used once, got one already "
                                    "used in " + first_use[case["id"]])
                first_use.setdefault(case["id"], where)
        if problems:
            raise self.CollectError("\n".join(validate.problem_lines(problems)))
        for item in case_files.case_list(path, document):
            yield CaseItem.from_parent(self, name=item["id"], case=item)


class CaseFailure(Exception):
    pass


class CaseItem(pytest.Item):
    def __init__(self, *, case: "Dict[str, Any]", **kwargs: "Any") -> None:
        super().__init__(**kwargs)
        self.case = case
        for flag in case.get("flags", []):
            name = flag.replace("-", "_")
            register_marker(self.config, name, "a fixture flag")
            self.add_marker(name)

    def runtest(self) -> None:
        config = self.config
        result = engine.run_case(config.stash[BACKEND], self.case)
        expectations.apply([result], config.stash[ENTRIES])
        if result.status == "unsupported":
            pytest.skip("unsupported: " + result.message)
        if result.status == "xfail":
            pytest.xfail(result.reason)
        if result.status == "failed":
            raise CaseFailure(engine.describe_failure(result, config.getoption("--backend"), config.getoption("--precision")))

    def repr_failure(self, excinfo: "Any", style: "Any" = None) -> "Any":
        if isinstance(excinfo.value, CaseFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> "Any":
        return self.path, None, self.case["id"]
