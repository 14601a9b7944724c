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

from refnet._checks import as_float, in_range
from refnet.errors import InputError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Sequence

METHODS = ("central", "one-sided")


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise InputError(f"gradcheck: unknown method {method!r}; expected 'central' or 'one-sided'")
    return method


def numeric_derivative(f: "Callable[[float], float]", x: float, eps: float = 1e-5,
                       method: str = "central") -> float:
    """f′(x) by the central difference (default) or the one-sided difference of 004."""
    point = as_float(x, "numeric_derivative(x)")
    step = in_range(eps, "numeric_derivative(eps)", 0.0, float("inf"), include_low=False, include_high=False)
    if _check_method(method) == "central":
        return (f(point + step) - f(point - step)) / (2.0 * step)
    return (f(point + step) - f(point)) / step


def numeric_gradient(f: "Callable[[List[float]], float]", xs: "Sequence[float]", eps: float = 1e-5,
                     method: str = "central") -> "List[float]":
    """∂f/∂xᵢ for each i, moving one input at a time and holding the others."""
    point = [as_float(x, f"numeric_gradient(xs)[{i}]") for i, x in enumerate(xs)]
    gradient = []
    for i in range(len(point)):
        def along_i(t: float, i: int = i) -> float:
            moved = list(point)
            moved[i] = t
            return f(moved)
        gradient.append(numeric_derivative(along_i, point[i], eps, method))
    return gradient


def relative_error(a: float, b: float) -> float:
    """|a − b| / max(|a|, |b|); 0 when a = b = 0."""
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0.0 else abs(a - b) / scale


class InputCheck:
    """The comparison for one input: analytic and numeric derivative, their errors, and the verdict."""

    def __init__(self, index: int, x: float, analytic: float, numeric: float, rtol: float, atol: float) -> None:
        self.index = index
        self.x = x
        self.analytic = analytic
        self.numeric = numeric
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
        self.output = output
        self.checks = checks
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
    point = [as_float(x, f"gradcheck(inputs)[{i}]") for i, x in enumerate(inputs)]
    leaves = [Value(x) for x in point]
    output = f(leaves)
    if not isinstance(output, Value):
        raise InputError(f"gradcheck: f must return a Value, got {type(output).__name__}")
    output.backward()

    def f_of_floats(xs: "List[float]") -> float:
        return f([Value(x) for x in xs]).data

    numeric = numeric_gradient(f_of_floats, point, eps, method)
    checks = [InputCheck(i, point[i], leaves[i].grad, numeric[i], rtol, atol) for i in range(len(point))]
    return GradcheckReport(output.data, checks)


def assert_gradients_match(f: "Callable[[List[Value]], Value]", inputs: "Sequence[float]", **options: "Any") -> None:
    """Run gradcheck and raise AssertionError with the full report when any input disagrees."""
    report = gradcheck(f, inputs, **options)
    if not report.ok:
        raise AssertionError(repr(report))
