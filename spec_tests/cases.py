"""Loading fixture files and choosing cases by id.

Fixture files are JSON (docs/fixture-format.md). Non-finite numbers are written as the strings
"Infinity", "-Infinity" and "NaN"; `decode` turns them back into floats wherever a number is
expected (the "expected" and "input" parts of a case). Files are checked (spec_tests/validate.py)
before any case is returned.
"""

import os

from spec_tests import validate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List

NON_FINITE = {"Infinity": float("inf"), "-Infinity": float("-inf"), "NaN": float("nan")}


def default_directory() -> str:
    """The fixtures: the copy installed inside the package (spec_tests/fixtures/, from a wheel or
    an sdist), else fixtures/ beside the package (a checkout, an editable install)."""
    here = __file__ if "__file__" in globals() else "spec_tests/cases.py"
    package = here.rsplit("/", 1)[0] if "/" in here else "."
    packaged = package + "/fixtures"
    return normalize(packaged if is_directory(packaged) else package + "/../fixtures")


def is_directory(path: str) -> bool:
    """True for an existing directory (os.stat's mode; MicroPython has no os.path)."""
    try:
        return (os.stat(path)[0] & 0o170000) == 0o040000
    except OSError:
        return False


def normalize(path: str) -> str:
    """A path with "." and "name/.." removed: /a/spec_tests/../fixtures -> /a/fixtures."""
    parts = []  # type: List[str]
    for part in path.split("/"):
        if part == "." or (part == "" and parts):
            continue
        if part == ".." and parts and parts[-1] not in ("", ".."):
            parts.pop()
        else:
            parts.append(part)
    text = "/".join(parts)
    return text if text else "."


def schema_directory(directory: str) -> str:
    """<directory>/schemas, or the default fixtures' schemas for a folder that has none of its own."""
    own = directory + "/schemas"
    return own if is_directory(own) else default_directory() + "/schemas"


def decode(value: "Any") -> "Any":
    """A fixture value with the non-finite strings turned back into floats."""
    if isinstance(value, str) and value in NON_FINITE:
        return NON_FINITE[value]
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        return {key: decode(item) for key, item in value.items()}
    return value


def fixture_files(directory: str) -> "List[str]":
    """The fixture files of a directory, sorted (os.listdir's order differs between runtimes)."""
    names = [name for name in os.listdir(directory) if name.endswith(".json")]
    return [directory + "/" + name for name in sorted(names)]


def case_list(path: str, document: "Dict[str, Any]") -> "List[Dict[str, Any]]":
    """The cases of a checked fixture file, decoded, each with its family and file."""
    cases = []
    for raw in document["cases"]:
        item = dict(raw)
        item["family"] = document["family"]
        item["input"] = decode(raw["input"])
        item["expected"] = decode(raw["expected"])
        item["file"] = path
        cases.append(item)
    return cases


def load_cases(directory: str = "") -> "List[Dict[str, Any]]":
    """Every case of every fixture file, in file order then case order, decoded; the files are
    checked first (spec_tests/validate.py), and any problem raises validate.FixtureError."""
    directory = directory or default_directory()
    cases = []
    for path, document in validate.check_files(fixture_files(directory), schema_directory(directory)):
        cases += case_list(path, document)
    return cases


def matches(pattern: str, case_id: str) -> bool:
    """True when `pattern` names the case: the exact id, a dotted prefix of it, or a glob with '*'."""
    if "*" not in pattern:
        return case_id == pattern or case_id.startswith(pattern + ".")
    parts = pattern.split("*")
    if not case_id.startswith(parts[0]):
        return False
    position = len(parts[0])
    for part in parts[1:-1]:
        found = case_id.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return case_id.endswith(parts[-1]) and len(case_id) - len(parts[-1]) >= position


def select(cases: "List[Dict[str, Any]]", include: "List[str]", exclude: "List[str]") -> "List[Dict[str, Any]]":
    """The cases named by any include pattern (all when there is none) and by no exclude pattern."""
    chosen = []
    for item in cases:
        if include and not any(matches(p, item["id"]) for p in include):
            continue
        if any(matches(p, item["id"]) for p in exclude):
            continue
        chosen.append(item)
    return chosen
