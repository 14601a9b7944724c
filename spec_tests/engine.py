"""Running cases against a backend: one engine under both front ends (the CLI and pytest).

Each case ends in one of these statuses:
    passed        the result agrees with the expected value within the tolerance
    failed        it does not, or the backend raised where a result was expected
    unsupported   the backend has no method for the family, raised Unsupported, or declined the id
    xfail         it failed, and the expectations file lists it as a known failure
    xpass         it passed although the expectations file lists it (reported, not a failure)
"""

import sys

from spec_tests.compare import Mismatch, compare, encode, short
from spec_tests.protocol import PRECISIONS, Unsupported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional

import time


def clock() -> float:
    """Seconds from an arbitrary start: perf_counter, or ticks_ms on MicroPython (which has no perf_counter)."""
    if hasattr(time, "perf_counter"):
        return float(time.perf_counter())
    return float(getattr(time, "ticks_ms")()) / 1000.0


SHORT_NAMES = {
    "refnet": "spec_tests.backends.refnet_backend",
    "refnet-dense": "spec_tests.backends.refnet_dense_backend",
    "numpy": "spec_tests.backends.numpy_backend",
    "torch": "spec_tests.backends.torch_backend",
}


class CaseResult:
    """The outcome of one case, with what a reader needs to reproduce and understand it."""

    __slots__ = ("case", "status", "message", "mismatches", "seconds", "reason")

    def __init__(self, case: "Dict[str, Any]", status: str, message: str = "",
                 mismatches: "Optional[List[Mismatch]]" = None, seconds: float = 0.0) -> None:
        self.case = case
        self.status = status
        self.message = message
        self.mismatches = mismatches or []
        self.seconds = seconds
        self.reason = ""

    @property
    def id(self) -> str:
        return str(self.case["id"])

    def to_dict(self) -> "Dict[str, Any]":
        result = {"id": self.id, "family": self.case["family"], "status": self.status, "seconds": self.seconds}
        if self.message:
            result["message"] = self.message
        if self.mismatches:
            result["mismatches"] = [m.to_dict() for m in self.mismatches[:20]]
        if self.reason:
            result["reason"] = self.reason
        return result


def import_object(spec: str) -> "Any":
    """MODULE[:ATTR] (or a short name: refnet, numpy, torch) → the object it names."""
    module_name, _, attribute = spec.partition(":")
    module_name = SHORT_NAMES.get(module_name, module_name)
    module = __import__(module_name)
    for part in module_name.split(".")[1:]:
        module = getattr(module, part)
    if attribute:
        target = module
        for part in attribute.split("."):
            target = getattr(target, part)
        return target
    return getattr(module, "backend", module)


def load_backend(spec: str, precision: str = "", device: str = "") -> "Any":
    """The backend named by `spec`. A class or factory is called with precision= and device=
    (those given); a module or instance is used as it is and must already have the precision."""
    target = import_object(spec)
    if precision and precision not in PRECISIONS:
        raise ValueError("--precision: expected one of " + ", ".join(PRECISIONS) + ", got " + repr(precision))
    if isinstance(target, type) or (callable(target) and not hasattr(target, "precision")):
        options = {}
        if precision:
            options["precision"] = precision
        if device:
            options["device"] = device
        target = target(**options)
    declared = getattr(target, "precision", None)
    if declared not in PRECISIONS:
        raise ValueError(spec + ": a backend must declare precision = 'float64' or 'float32', got " + repr(declared))
    if precision and declared != precision:
        raise ValueError(spec + ": asked for " + precision + " but the backend runs in " + str(declared))
    return target


def rerun_command(backend_spec: str, precision: str, case_id: str) -> str:
    command = "python -m spec_tests --backend " + backend_spec
    if precision:
        command += " --precision " + precision
    return command + " --include " + case_id


def run_case(backend: "Any", case: "Dict[str, Any]") -> CaseResult:
    """Run one case: call the family's method with the case's input and compare."""
    family = case["family"]
    method = getattr(backend, family, None)
    supports = getattr(backend, "supports", None)
    if method is None:
        return CaseResult(case, "unsupported", "the backend has no '" + family + "' method")
    if supports is not None and not supports(case["id"]):
        return CaseResult(case, "unsupported", "the backend declined this case")
    expected = case["expected"]
    wants_error = isinstance(expected, dict) and "error" in expected and len(expected) == 1
    start = clock()
    try:
        actual = method(**case["input"])
    except Unsupported as error:
        return CaseResult(case, "unsupported", str(error) or "raised Unsupported")
    except Exception as error:  # noqa: BLE001 - a backend's exception is the case's outcome
        seconds = clock() - start
        if wants_error:
            return CaseResult(case, "passed", "raised " + type(error).__name__ + " as expected", None, seconds)
        return CaseResult(case, "failed", "raised " + type(error).__name__ + ": " + str(error), None, seconds)
    seconds = clock() - start
    if wants_error:
        return CaseResult(case, "failed", "expected an error (" + str(expected["error"]) + "), got " + short(actual),
                          None, seconds)
    precision = getattr(backend, "precision", "float64")
    tolerance = case["tolerance"][precision]
    mismatches = compare(expected, actual, tolerance["rtol"], tolerance["atol"])
    if mismatches:
        return CaseResult(case, "failed", str(len(mismatches)) + " value(s) outside rtol " + repr(tolerance["rtol"])
                          + ", atol " + repr(tolerance["atol"]), mismatches, seconds)
    return CaseResult(case, "passed", "", None, seconds)


def describe_failure(result: CaseResult, backend_spec: str, precision: str) -> str:
    """A failure as a reader wants it: id, source, what differed, and how to re-run just this case."""
    lines = ["FAILED " + result.id + ": " + result.message,
             "  description: " + str(result.case.get("description", "")),
             "  source:      " + str(result.case.get("source", ""))]
    for mismatch in result.mismatches[:8]:
        lines.append("  " + mismatch.describe())
    if len(result.mismatches) > 8:
        lines.append("  … and " + str(len(result.mismatches) - 8) + " more")
    if result.case.get("notes"):
        lines.append("  notes:       " + str(result.case["notes"]))
    lines.append("  re-run:      " + rerun_command(backend_spec, precision, result.id))
    return "\n".join(lines)


def runtime_description() -> str:
    version = ".".join(str(part) for part in sys.implementation.version[:3])
    return sys.implementation.name + " " + version


def summary(results: "List[CaseResult]") -> "Dict[str, Any]":
    """Counts by status, overall and by family (families in the protocol's order)."""
    statuses = ["passed", "failed", "unsupported", "xfail", "xpass"]
    total = {status: 0 for status in statuses}
    by_family = {}  # type: Dict[str, Dict[str, int]]
    for result in results:
        total[result.status] += 1
        family = by_family.setdefault(result.case["family"], {status: 0 for status in statuses})
        family[result.status] += 1
    return {"total": total, "by_family": by_family}


def report(results: "List[CaseResult]", backend: "Any", backend_spec: str, suite_version: str,
           seconds: float, warnings: "List[str]") -> "Dict[str, Any]":
    """The JSON report (fixtures/schemas/report.schema.json)."""
    return {
        "schema": "refnet-report",
        "schema_version": 1,
        "suite_version": suite_version,
        "backend": {"spec": backend_spec, "name": str(getattr(backend, "name", backend_spec)),
                    "precision": str(getattr(backend, "precision", "")), "device": str(getattr(backend, "device", "") or "")},
        "runtime": runtime_description(),
        "seconds": encode(seconds),
        "summary": summary(results),
        "warnings": warnings,
        "cases": [result.to_dict() for result in results],
    }
