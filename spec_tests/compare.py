"""Comparing a backend's result with a case's expected value, within the case's tolerance.

A float matches when |actual − expected| <= atol + rtol·|expected| (NumPy's allclose rule),
with the tolerance of the backend's precision. Infinities match only the same infinity and
NaN only NaN. Strings and integers (PRNG outputs) must be equal. An expected `null` is not
checked (a document that prints only some numbers). Lists must have the expected length;
dicts must have every expected key.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List


def _is_number(value: "Any") -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float))


def _nan(x: float) -> bool:
    return x != x


def _infinite(x: float) -> bool:
    return x == x and (x - x) != 0.0


class Mismatch:
    """One disagreement: where (a path like "gradients[1].weight[0][2]"), what, and by how much."""

    __slots__ = ("path", "expected", "actual", "abs_error", "rel_error", "reason")

    def __init__(self, path: str, expected: "Any", actual: "Any", reason: str = "") -> None:
        self.path = path
        self.expected = expected
        self.actual = actual
        self.reason = reason
        self.abs_error = -1.0
        self.rel_error = -1.0
        if _is_number(expected) and _is_number(actual):
            a, e = float(actual), float(expected)
            if not (_nan(a) or _nan(e) or _infinite(a) or _infinite(e)):
                self.abs_error = abs(a - e)
                self.rel_error = self.abs_error / abs(e) if e != 0.0 else (0.0 if a == 0.0 else float("inf"))

    def to_dict(self) -> "Dict[str, Any]":
        result = {"path": self.path, "expected": encode(self.expected), "actual": encode(self.actual)}
        if self.abs_error >= 0.0:
            result["abs_error"] = encode(self.abs_error)
            result["rel_error"] = encode(self.rel_error)
        if self.reason:
            result["reason"] = self.reason
        return result

    def describe(self) -> str:
        text = self.path + ": expected " + repr(self.expected) + ", got " + short(self.actual)
        if self.abs_error >= 0.0:
            text += " (abs error " + ("%.3g" % self.abs_error) + ", rel error " + ("%.3g" % self.rel_error) + ")"
        if self.reason:
            text += " (" + self.reason + ")"
        return text


def short(value: "Any") -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def encode(value: "Any") -> "Any":
    """Plain JSON data for a report: non-finite floats as strings, anything else unknown as repr."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if _nan(value):
            return "NaN"
        if _infinite(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return repr(value)


def compare(expected: "Any", actual: "Any", rtol: float, atol: float, path: str = "") -> "List[Mismatch]":
    """Every place where `actual` disagrees with `expected`."""
    if expected is None:
        return []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [Mismatch(path or "result", "a dict", actual, "wrong type")]
        found = []
        for key in sorted(expected):
            where = (path + "." if path else "") + key
            if key not in actual:
                found.append(Mismatch(where, expected[key], None, "missing"))
            else:
                found.extend(compare(expected[key], actual[key], rtol, atol, where))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, (list, tuple)):
            return [Mismatch(path or "result", expected, actual, "expected a list")]
        if len(actual) != len(expected):
            return [Mismatch(path or "result", expected, actual,
                             "expected " + str(len(expected)) + " entries, got " + str(len(actual)))]
        found = []
        for i in range(len(expected)):
            found.extend(compare(expected[i], actual[i], rtol, atol, path + "[" + str(i) + "]"))
        return found
    if isinstance(expected, str) or isinstance(expected, bool):
        return [] if actual == expected else [Mismatch(path, expected, actual)]
    if isinstance(expected, int):
        if _is_number(actual) and actual == expected and not isinstance(actual, float):
            return []
        return [Mismatch(path, expected, actual, "expected an exact integer")]
    if not _is_number(actual):
        return [Mismatch(path, expected, actual, "not a number")]
    a, e = float(actual), float(expected)
    if _nan(e) or _nan(a):
        return [] if _nan(e) and _nan(a) else [Mismatch(path, expected, actual)]
    if _infinite(e) or _infinite(a):
        return [] if a == e else [Mismatch(path, expected, actual)]
    if abs(a - e) <= atol + rtol * abs(e):
        return []
    return [Mismatch(path, expected, actual)]
