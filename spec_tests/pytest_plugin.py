"""The pytest front end: each fixture case becomes a pytest item named by its id.

    pytest --backend refnet fixtures/
    pytest --backend torch --precision float32 --device cuda:0 fixtures/ -k softmax
    pytest --backend numpy --spec-expectations known.txt fixtures/

Registered through the `pytest11` entry point, so installing refnet makes the options
available; without --backend the plugin collects nothing. The engine is the same as
`python -m spec_tests`: a failure prints the case id, its source, expected and actual
values with their errors, and the command that re-runs just that case. Unsupported cases are
skipped (with the reason) and known failures from the expectations file are xfailed.
"""

import pytest

from spec_tests import cases as case_files
from spec_tests import engine, expectations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List


def pytest_addoption(parser: "Any") -> None:
    group = parser.getgroup("spec_tests", "refnet conformance suite")
    group.addoption("--backend", default=None, help="run the conformance cases against this backend: refnet, numpy, torch "
                                                  "or MODULE[:ATTR]")
    group.addoption("--precision", default="", help="float64 or float32 (passed to the backend class)")
    group.addoption("--device", default="", help="device for the backend class, e.g. cuda:0")
    group.addoption("--spec-expectations", default=None, help="known failures: '<id or pattern> <reason>' per line")


_BACKENDS = {}  # type: Dict[int, Any]


def _backend(config: "Any") -> "Any":
    key = id(config)
    if key not in _BACKENDS:
        _BACKENDS[key] = engine.load_backend(config.getoption("--backend"), config.getoption("--precision"),
                                             config.getoption("--device"))
    return _BACKENDS[key]


def _entries(config: "Any") -> "List[Any]":
    path = config.getoption("--spec-expectations")
    return expectations.load(path) if path else []


def pytest_collect_file(file_path: "Any", parent: "Any") -> "Any":
    if parent.config.getoption("--backend") and file_path.suffix == ".json" and file_path.parent.name == "fixtures":
        return FixtureFile.from_parent(parent, path=file_path)
    return None


class FixtureFile(pytest.File):
    def collect(self) -> "Iterator[Any]":
        document = case_files.load_file(str(self.path))
        for raw in document["cases"]:
            item = dict(raw)
            item["family"] = document["family"]
            item["input"] = case_files.decode(raw["input"])
            item["expected"] = case_files.decode(raw["expected"])
            item["file"] = str(self.path)
            yield CaseItem.from_parent(self, name=item["id"], case=item)


class CaseFailure(Exception):
    pass


class CaseItem(pytest.Item):
    def __init__(self, *, case: "Dict[str, Any]", **kwargs: "Any") -> None:
        super().__init__(**kwargs)
        self.case = case
        for flag in case.get("flags", []):
            self.add_marker(flag.replace("-", "_"))

    def runtest(self) -> None:
        config = self.config
        result = engine.run_case(_backend(config), self.case)
        expectations.apply([result], _entries(config))
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
