"""Loading fixture files and choosing cases by id.

Fixture files are JSON (docs/fixture-format.md). Non-finite numbers are written as the strings
"Infinity", "-Infinity" and "NaN"; `decode` turns them back into floats wherever a number is
expected (the "expected" and "input" parts of a case).
"""

import json
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List

NON_FINITE = {"Infinity": float("inf"), "-Infinity": float("-inf"), "NaN": float("nan")}


def default_directory() -> str:
    """fixtures/ beside the spec_tests package (the repository's top level)."""
    here = __file__ if "__file__" in globals() else "spec_tests/cases.py"
    package = here.rsplit("/", 1)[0] if "/" in here else "."
    return package + "/../fixtures"


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


def load_file(path: str) -> "Dict[str, Any]":
    with open(path) as handle:
        document = json.load(handle)
    if not isinstance(document, dict) or "cases" not in document or "family" not in document:
        raise ValueError(path + ": not a refnet fixture file (expected an object with 'family' and 'cases')")
    return document


def load_cases(directory: str = "") -> "List[Dict[str, Any]]":
    """Every case of every fixture file, in file order then case order, decoded."""
    directory = directory or default_directory()
    cases = []
    for path in fixture_files(directory):
        document = load_file(path)
        for raw in document["cases"]:
            item = dict(raw)
            item["family"] = document["family"]
            item["input"] = decode(raw["input"])
            item["expected"] = decode(raw["expected"])
            item["file"] = path
            cases.append(item)
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
