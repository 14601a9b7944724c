"""Numeric derivatives, and checking analytic gradients against them.

002_22dd3b33c61b9037.txt: the numeric gradient is slow and approximate but easy to write;
the analytic one is fast and exact but error-prone; "in practice: the analytic gradient,
checked against the numeric one". 004_90774dc949aeae9c.txt gives the two differences:

    one-sided   f′(x) ≈ (f(x + ε) − f(x)) / ε            error O(ε)
    central     f′(x) ≈ (f(x + ε) − f(x − ε)) / (2ε)     error O(ε²): "works better in practice"

Too large an ε is inaccurate, too small an ε loses digits to rounding (004); ε = 1e−5 suits
float64 for inputs of order 1. Near a kink (ReLU at 0, |x| at 0, max at a tie) the two sides
of the difference see different slopes, so checks keep their inputs away from kinks.

relative_error(a, b) = |a − b| / max(|a|, |b|), and 0 when both are 0.
"""

import math

from refnet._checks import as_callable, as_float, as_float_list, as_int, in_range, shown
from refnet.errors import InputError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Sequence

METHODS = ("central", "one-sided")


SMALLEST_NORMAL = 2.2250738585072014e-308  # below it a float loses precision (subnormal)


def _check_method(method: "Any", where: str) -> str:
    if not isinstance(method, str) or method not in METHODS:
        raise InputError(f"{where}: unknown method {method!r}; expected 'central' or 'one-sided'")
    return method


def _check_step(eps: "Any", where: str, points: "Sequence[float]") -> float:
    """eps as a positive normal float that moves every point: x + eps ≠ x and x − eps ≠ x."""
    step = in_range(eps, where, 0.0, float("inf"), include_low=False, include_high=False)
    if step < SMALLEST_NORMAL:
        raise InputError(f"{where}: expected a step of at least {SMALLEST_NORMAL} (a normal float), got {step}")
    for x in points:
        if math.isfinite(x) and (x + step == x or x - step == x):
            raise InputError(f"{where}: expected a step that moves x = {x!r} (x ± eps ≠ x), got {step}")
    return step


def _difference(f: "Callable[[float], float]", point: float, step: float, method: str, where: str) -> float:
    """The central or one-sided difference of f at `point`; f's values must be numbers."""
    if method == "central":
        return (as_float(f(point + step), where) - as_float(f(point - step), where)) / (2.0 * step)
    return (as_float(f(point + step), where) - as_float(f(point), where)) / step


def numeric_derivative(f: "Callable[[float], float]", x: float, eps: float = 1e-5,
                       method: str = "central") -> float:
    """f′(x) by the central difference (default) or the one-sided difference of 004."""
    as_callable(f, "numeric_derivative(f)")
    point = as_float(x, "numeric_derivative(x)")
    step = _check_step(eps, "numeric_derivative(eps)", [point])
    return _difference(f, point, step, _check_method(method, "numeric_derivative(method)"),
                       "numeric_derivative(f) returned a non-number")


def numeric_gradient(f: "Callable[[List[float]], float]", xs: "Sequence[float]", eps: float = 1e-5,
                     method: str = "central") -> "List[float]":
    """∂f/∂xᵢ for each i, moving one input at a time and holding the others."""
    return _gradient(f, xs, eps, method, "numeric_gradient", "xs")


def _gradient(f: "Callable[[List[float]], float]", xs: "Sequence[float]", eps: float, method: str, name: str,
              inputs: str) -> "List[float]":
    as_callable(f, f"{name}(f)")
    point = as_float_list(xs, f"{name}({inputs})")
    step = _check_step(eps, f"{name}(eps)", point)
    how = _check_method(method, f"{name}(method)")
    gradient = []
    for i in range(len(point)):
        def along_i(t: float, i: int = i) -> float:
            moved = list(point)
            moved[i] = t
            return f(moved)
        gradient.append(_difference(along_i, point[i], step, how, f"{name}(f) returned a non-number"))
    return gradient


def relative_error(a: float, b: float) -> float:
    """|a − b| / max(|a|, |b|); 0 when a = b = 0."""
    if type(a) is not float or type(b) is not float:
        a, b = as_float(a, "relative_error(a)"), as_float(b, "relative_error(b)")
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0.0 else abs(a - b) / scale


class InputCheck:
    """The comparison for one input: analytic and numeric derivative, their errors, and the verdict."""

    def __init__(self, index: int, x: float, analytic: float, numeric: float, rtol: float, atol: float) -> None:
        self.index = as_int(index, "InputCheck(index)")
        self.x = as_float(x, "InputCheck(x)")
        self.analytic = as_float(analytic, "InputCheck(analytic)")
        self.numeric = as_float(numeric, "InputCheck(numeric)")
        rtol = in_range(rtol, "InputCheck(rtol)", 0.0, float("inf"), include_high=False)
        atol = in_range(atol, "InputCheck(atol)", 0.0, float("inf"), include_high=False)
        self.absolute_error = abs(analytic - numeric)
        self.relative_error = relative_error(analytic, numeric)
        self.ok = self.absolute_error <= atol or self.relative_error <= rtol

    def __repr__(self) -> str:
        verdict = "ok" if self.ok else "MISMATCH"
        return (f"input {self.index} (x = {self.x!r}): analytic {self.analytic!r}, numeric {self.numeric!r}, "
                f"abs error {self.absolute_error:.3e}, rel error {self.relative_error:.3e}: {verdict}")


class GradcheckReport:
    """Per-input results of gradcheck(); `ok` is True when every input agrees."""

    def __init__(self, output: float, checks: "List[InputCheck]") -> None:
        self.output = as_float(output, "GradcheckReport(output)")
        if not isinstance(checks, (list, tuple)):
            raise InputError(f"GradcheckReport(checks): expected a list of InputChecks, got {shown(checks)}")
        for index, check in enumerate(checks):
            if not isinstance(check, InputCheck):
                raise InputError(f"GradcheckReport(checks)[{index}]: expected an InputCheck, got {shown(check)}")
        self.checks = list(checks)
        self.ok = all(check.ok for check in checks)

    def __repr__(self) -> str:
        lines = [f"gradcheck: f = {self.output!r}, {'all inputs agree' if self.ok else 'MISMATCH'}"]
        lines.extend("  " + repr(check) for check in self.checks)
        return "\n".join(lines)


def gradcheck(f: "Callable[[List[Value]], Value]", inputs: "Sequence[float]", eps: float = 1e-5,
              rtol: float = 1e-6, atol: float = 1e-9, method: str = "central") -> GradcheckReport:
    """Compare f's backpropagated gradient with numeric differences, input by input.

    f takes a list of Values (one per input) and returns a Value. An input passes when the
    absolute error is at most `atol` (for derivatives that are 0) or the relative error is
    at most `rtol`.
    """
    as_callable(f, "gradcheck(f)")
    point = as_float_list(inputs, "gradcheck(inputs)")
    _check_step(eps, "gradcheck(eps)", point)
    _check_method(method, "gradcheck(method)")
    rtol = in_range(rtol, "gradcheck(rtol)", 0.0, float("inf"), include_high=False)
    atol = in_range(atol, "gradcheck(atol)", 0.0, float("inf"), include_high=False)
    leaves = [Value(x) for x in point]
    output = f(leaves)
    if not isinstance(output, Value):
        raise InputError(f"gradcheck(f): expected f to return a Value, got {shown(output)}")
    output.backward()

    def f_of_floats(xs: "List[float]") -> float:
        return f([Value(x) for x in xs]).data

    numeric = _gradient(f_of_floats, point, eps, method, "gradcheck", "inputs")
    checks = [InputCheck(i, point[i], leaves[i].grad, numeric[i], rtol, atol) for i in range(len(point))]
    return GradcheckReport(output.data, checks)


def assert_gradients_match(f: "Callable[[List[Value]], Value]", inputs: "Sequence[float]", **options: "Any") -> None:
    """Run gradcheck and raise AssertionError with the full report when any input disagrees."""
    unknown = sorted(name for name in options if name not in ("eps", "rtol", "atol", "method"))
    if unknown:
        raise InputError(f"assert_gradients_match: unknown option {unknown[0]!r}; expected eps, rtol, atol or method")
    report = gradcheck(f, inputs, **options)
    if not report.ok:
        raise AssertionError(repr(report))
