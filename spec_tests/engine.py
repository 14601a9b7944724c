"""Running cases against a backend: one engine under both front ends (the CLI and pytest).

Each case ends in one of these statuses:
    passed        the result agrees with the expected value within the tolerance
    failed        it does not, or the backend raised where a result was expected, or it raised an
                  exception whose class says `always_fails = True` (a crashed, hung or garbling
                  backend process), even in a case whose expected result is an error
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
    "jax": "spec_tests.backends.jax_backend",
}


class BackendError(ValueError):
    """The backend cannot be imported, created or used: the run cannot start. The message is one
    line naming the backend, what was expected and what happened."""


def one_line(error: BaseException) -> str:
    """An exception as "Type: message" on a single line."""
    text = " ".join(str(error).split())
    return type(error).__name__ + (": " + text if text else "")


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
    """MODULE[:ATTR] (or a short name: refnet, numpy, torch, jax) → the object it names."""
    module_name, _, attribute = spec.partition(":")
    module_name = SHORT_NAMES.get(module_name, module_name)
    expected = "expected " + ", ".join(SHORT_NAMES) + " or MODULE[:ATTR] naming an importable module"
    if not module_name or (":" in spec and not attribute):
        raise BackendError("--backend: " + expected + ", got " + repr(spec))
    try:
        module = __import__(module_name)
        for part in module_name.split(".")[1:]:
            module = getattr(module, part)
    except Exception as error:  # noqa: BLE001 - any failure to import is the run's one-line error
        raise BackendError("--backend " + spec + ": importing " + module_name + " failed with " + one_line(error)
                           + " (" + expected + ")")
    if not attribute:
        return getattr(module, "backend", module)
    target = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise BackendError("--backend " + spec + ": expected " + module_name + " to define " + repr(attribute)
                               + " (a backend class, factory or object), but it has no attribute " + repr(part))
        target = getattr(target, part)
    return target


def load_backend(spec: str, precision: str = "", device: str = "") -> "Any":
    """The backend named by `spec`. A class or factory is called with precision= and device=
    (those given); a module or instance is used as it is and must already have the precision."""
    if precision and precision not in PRECISIONS:
        raise BackendError("--precision: expected one of " + ", ".join(PRECISIONS) + ", got " + repr(precision))
    target = import_object(spec)
    if isinstance(target, type) or (callable(target) and not hasattr(target, "precision")):
        options = {}
        if precision:
            options["precision"] = precision
        if device:
            options["device"] = device
        try:
            target = target(**options)
        except Exception as error:  # noqa: BLE001 - a constructor's failure is the run's one-line error
            raise BackendError("--backend " + spec + ": creating the backend with " + repr(options) + " failed with "
                               + one_line(error))
    return checked_precision(target, spec, precision)


def checked_precision(backend: "Any", spec: str, precision: str) -> "Any":
    """The backend, once it declares a known precision, the one asked for if one was."""
    declared = getattr(backend, "precision", None)
    if declared not in PRECISIONS:
        raise BackendError("--backend " + spec + ": a backend must declare precision = 'float64' or 'float32', got "
                           + repr(declared))
    if precision and declared != precision:
        raise BackendError("--backend " + spec + ": asked for --precision " + precision + " but the backend runs in "
                           + str(declared))
    return backend


def load_command_backend(command: str, precision: str = "", timeout: float = 60.0) -> "Any":
    """A backend in any language, run as a process (spec_tests/command_backend.py; CPython and PyPy)."""
    spec = "--backend-command " + shell_quote(command)
    if precision and precision not in PRECISIONS:
        raise BackendError("--precision: expected one of " + ", ".join(PRECISIONS) + ", got " + repr(precision))
    try:
        factory = getattr(__import__("spec_tests.command_backend").command_backend, "CommandBackend")
    except Exception as error:  # noqa: BLE001 - e.g. MicroPython, which has no subprocess
        raise BackendError(spec + ": needs subprocess support, which " + runtime_description()
                           + " lacks (" + one_line(error) + ")")
    try:
        backend = factory(command, precision or "float64", timeout)
    except Exception as error:  # noqa: BLE001 - a constructor's failure is the run's one-line error
        if getattr(type(error), "cannot_start", False):  # the program itself: its message says it all
            raise BackendError(" ".join(str(error).split()))
        raise BackendError(spec + ": starting the backend failed with " + one_line(error))
    return checked_precision(backend, spec, precision)


def shell_quote(text: str) -> str:
    """`text` as one POSIX shell word: as it is when it is plain, else in single quotes."""
    plain = bool(text) and all(c.isalpha() or c.isdigit() or c in "@%+=:,./-_" for c in text)
    return text if plain else "'" + text.replace("'", "'\\''") + "'"


def double_quote(text: str) -> str:
    """`text` as one POSIX shell word in double quotes (\\, ", $ and ` escaped): --backend-command "node b.mjs"."""
    escaped = "".join("\\" + c if c in "\\\"$`" else c for c in text)
    return "\"" + escaped + "\""


def rerun_command(backend_spec: str, precision: str, case_id: str, options: str = "") -> str:
    """The command that runs one case again; a spec starting with "--" (--backend-command "CMD")
    is already its own option; `options` (" --fixtures DIR --timeout S") are the run's other options
    that change a case's outcome."""
    command = "python -m spec_tests " + ("" if backend_spec.startswith("--") else "--backend ") + backend_spec
    if precision:
        command += " --precision " + precision
    return command + options + " --include " + case_id


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
        if wants_error and not getattr(type(error), "always_fails", False):
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


def describe_failure(result: CaseResult, backend_spec: str, precision: str, options: str = "") -> str:
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
    lines.append("  re-run:      " + rerun_command(backend_spec, precision, result.id, options))
    return "\n".join(lines)


def describe_backend(backend: "Any", spec: str) -> str:
    """name, precision, and where the backend has them, device, device name and notes."""
    parts = [str(getattr(backend, "name", spec)), str(getattr(backend, "precision", ""))]
    if getattr(backend, "device", ""):
        parts.append("device " + str(backend.device))
    if getattr(backend, "device_name", ""):
        parts.append(str(backend.device_name))
    notes = getattr(backend, "notes", None)
    if notes:
        parts.append("; ".join(str(note) for note in notes))
    return ", ".join(parts)


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
    described = {"spec": backend_spec, "name": str(getattr(backend, "name", backend_spec)),
                 "precision": str(getattr(backend, "precision", "")),
                 "device": str(getattr(backend, "device", "") or "")}  # type: Dict[str, Any]
    if hasattr(backend, "device_name"):
        described["device_name"] = str(backend.device_name or "")
    if hasattr(backend, "notes"):
        described["notes"] = [str(note) for note in (backend.notes or [])]
    return {
        "schema": "refnet-report",
        "schema_version": 1,
        "suite_version": suite_version,
        "backend": described,
        "runtime": runtime_description(),
        "seconds": encode(seconds),
        "summary": summary(results),
        "warnings": warnings,
        "cases": [result.to_dict() for result in results],
    }
