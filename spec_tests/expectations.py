"""Expectations files: the known failures of a backend, each with its reason.

One entry a line: a case id, a dotted prefix, or a pattern with '*', then the reason.
Blank lines and lines starting with '#' are ignored.

    # float32 cannot hold 1e-300
    graph.extreme.log.tiny        float32 underflows 1e-300 to 0
    loss.binary_cross_entropy.*   our BCE clamps probabilities to [1e-7, 1 - 1e-7]

A failing case that an entry names is reported "xfail", not failed; a passing one "xpass".
An entry that names no case at all is warned about (a typo, or a case that was renamed).
"""

from spec_tests.cases import matches

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple


def parse(text: str, where: str = "expectations") -> "List[Tuple[str, str]]":
    """[(pattern, reason)]; a line without a reason is an error naming its line."""
    entries = []
    for number, line in enumerate(text.split("\n")):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        if len(parts) < 2 or not parts[1].strip():
            raise ValueError(where + ", line " + str(number + 1) + ": expected '<case id or pattern> <reason>', got "
                             + repr(line))
        entries.append((parts[0], parts[1].strip()))
    return entries


def load(path: str) -> "List[Tuple[str, str]]":
    with open(path) as handle:
        return parse(handle.read(), path)


def reason_for(entries: "List[Tuple[str, str]]", case_id: str) -> "Optional[str]":
    for pattern, reason in entries:
        if matches(pattern, case_id):
            return reason
    return None


def unmatched(entries: "List[Tuple[str, str]]", case_ids: "List[str]") -> "List[str]":
    """The patterns that name none of the given case ids."""
    return [pattern for pattern, _ in entries if not any(matches(pattern, case_id) for case_id in case_ids)]


def apply(results: "List[Any]", entries: "List[Tuple[str, str]]") -> None:
    """Turn listed failures into xfail and listed passes into xpass, recording the reason."""
    for result in results:
        reason = reason_for(entries, result.id)
        if reason is None:
            continue
        if result.status == "failed":
            result.status = "xfail"
            result.reason = reason
        elif result.status == "passed":
            result.status = "xpass"
            result.reason = reason
