"""Every activation and its derivative, on plain floats and lists: the formulas, once.

Sources: sigmoid, tanh and ReLU with y = σ(Wx + b) (000_f9a23462f49faea1.txt); leaky ReLU,
linear and step activations (001_251e29975c1497b8.txt); the sigmoid derivative σ′ = σ(1 − σ)
(002_22dd3b33c61b9037.txt, 003_83fae8590fc0f361.txt). Softmax of a list, its log and its Jacobian
are in refnet/softmax.py, loaded from there on first use (`F.softmax`, `F.log_softmax`).

The numerical safeguards and the conventions at the kinks are in the comment below the imports.
"""

import math
import sys

from refnet._checks import as_finite, as_float, not_numbers, shown
from refnet.errors import DomainError, InputError, ShapeError

# `Value` (refnet/value.py), the losses and the dense path call these functions, so that each
# formula, and each numerical safeguard, is written down exactly once:
#
# * exp never raises: past the largest float it returns +inf (as IEEE 754, NumPy and PyTorch do);
# * sigmoid never calls exp on a large positive number (the stable form below);
# * log of a non-positive number and 0 raised to a negative power raise DomainError.
#
# Conventions at the kinks (the derivative is undefined there; these are the values used,
# the same as PyTorch's): ReLU′(0) = 0, leaky ReLU′(0) = α, |x|′(0) = 0, step′(x) = 0 everywhere.

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, List, Sequence

    from refnet.softmax import (largest_index as largest_index, log1p as log1p, log_softmax as log_softmax,
                                logsumexp as logsumexp, softmax as softmax, softmax_jvp as softmax_jvp)

INFINITY = float("inf")
SOFTMAX = ("softmax", "log_softmax", "logsumexp", "largest_index", "softmax_jvp", "log1p")


def __getattr__(name: str) -> object:
    """A function of refnet/softmax.py, loaded from there on first use and then kept here (PEP 562)."""
    if name in SOFTMAX:
        import refnet.softmax

        found = getattr(refnet.softmax, name)
        globals()[name] = found
        return found
    raise AttributeError(f"module 'refnet.functional' has no attribute {name!r}")


# ---------------------------------------------------------------------------
# exp, log and power: the three places where floats leave their domain
# ---------------------------------------------------------------------------

def exp(x: float) -> float:
    """eˣ, or +inf when eˣ exceeds the largest float (x > 709.78...)."""
    if type(x) is not float:
        x = as_float(x, "exp(x)")
    try:
        return math.exp(x)
    except (OverflowError, ValueError):  # CPython raises OverflowError, MicroPython ValueError
        return INFINITY


def log(x: float) -> float:
    """ln x for x > 0; ln of zero or a negative number raises DomainError."""
    if type(x) is not float:
        x = as_float(x, "log(x)")
    if not x > 0.0:
        if x != x:  # nan in, nan out (docs/conventions.md: nan propagates)
            return x
        raise DomainError(f"log: expected a positive number, got {x} (ln is defined only for x > 0)")
    return math.log(x)


def reciprocal(x: float) -> float:
    """1/x, with ±inf where it exceeds the largest float (x subnormal, |x| < 2⁻¹⁰²⁴); x ≠ 0.

    The local derivative of division (∂(a/b)/∂a = 1/b) and of log (1/a). IEEE 754 division
    gives ±inf on overflow, but some runtimes raise instead; the exact 1/x is finite down to
    |x| = 2⁻¹⁰²⁴ (about 5.6e−309) and infinite below it.
    """
    if type(x) is not float:
        x = as_float(x, "reciprocal(x)")
    try:
        return 1.0 / x
    except OverflowError:
        return math.copysign(INFINITY, x)
    except ZeroDivisionError:
        raise DomainError("reciprocal(x): expected a non-zero number, got 0.0 (1/0 is undefined)") from None


def is_integer(x: float) -> bool:
    """True when x is a finite whole number (3.0, −2.0), False for 2.5, inf and nan."""
    if type(x) is not float:
        x = as_float(x, "is_integer(x)")
    return math.isfinite(x) and x == math.floor(x)


def power(base: float, exponent: float) -> float:
    """baseᵉˣᵖᵒⁿᵉⁿᵗ with IEEE 754 results for overflow and for poles.

    A negative base with a non-integer exponent has no real value and raises DomainError.
    A result too large for a float is ±inf; 0 to a negative power (a pole) is +inf, or −inf
    for −0.0 and an odd exponent. Callers that must reject poles check before calling.
    """
    if type(base) is not float or type(exponent) is not float:
        base, exponent = as_float(base, "power(base)"), as_float(exponent, "power(exponent)")
    if base < 0.0 and not is_integer(exponent):
        raise DomainError(f"power: a negative base ({base}) with a non-integer exponent ({exponent}) "
                          "has no real value; expected a base >= 0 or an integer exponent")
    odd_exponent = is_integer(exponent) and exponent % 2.0 == 1.0
    if base == 0.0 and exponent < 0.0:
        negative_zero = math.copysign(1.0, base) < 0.0
        return -INFINITY if negative_zero and odd_exponent else INFINITY
    try:
        return float(base ** exponent)
    except OverflowError:
        return -INFINITY if base < 0.0 and odd_exponent else INFINITY


def power_derivative(base: float, exponent: float) -> float:
    """∂(baseⁿ)/∂base = n · baseⁿ⁻¹, with n · ±inf where baseⁿ⁻¹ has a pole (0⁻⁰·⁵, say)."""
    if type(base) is not float or type(exponent) is not float:
        base, exponent = as_float(base, "power_derivative(base)"), as_float(exponent, "power_derivative(exponent)")
    if exponent == 0.0:
        return 0.0
    if base < 0.0 and is_integer(exponent) and exponent - 1.0 == exponent:
        # |n| >= 2⁵³: n − 1 rounds to n, so baseⁿ⁻¹ would take n's parity; the true n − 1 has the
        # other one (every float this large is even, so n − 1 is odd: baseⁿ⁻¹ is negative).
        # |base|ⁿ⁻¹ = |base|ⁿ / |base|, since n − 1 itself is not a float.
        return exponent * -(power(-base, exponent) / -base)
    return exponent * power(base, exponent - 1.0)


# ---------------------------------------------------------------------------
# Activations, each beside its derivative (taken with respect to the input x)
# ---------------------------------------------------------------------------

def sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e⁻ˣ), computed as eˣ / (1 + eˣ) for x < 0 so that exp never overflows."""
    if type(x) is not float:
        x = as_float(x, "sigmoid(x)")
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    exp_x = math.exp(x)
    return exp_x / (1.0 + exp_x)


def sigmoid_derivative(x: float) -> float:
    """σ′(x) = σ(x)(1 − σ(x))  (002_22dd3b33c61b9037.txt derives it gate by gate), computed as

        σ′(x) = e^{−|x|} / (1 + e^{−|x|})²

    the same number in exact arithmetic, but without 1 − σ(x), which is exactly 0 once σ(x)
    rounds to 1 (x > 37) although the slope is representable up to |x| ≈ 745.
    """
    if type(x) is not float:
        x = as_float(x, "sigmoid_derivative(x)")
    e = math.exp(-abs(x))
    return e / ((1.0 + e) * (1.0 + e))


def tanh(x: float) -> float:
    """tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ); math.tanh saturates at ±1 without overflow."""
    if type(x) is not float:
        x = as_float(x, "tanh(x)")
    return math.tanh(x)


def tanh_derivative(x: float) -> float:
    """tanh′(x) = 1 − tanh²(x), computed as

        tanh′(x) = 4e^{−2|x|} / (1 + e^{−2|x|})²

    the same number in exact arithmetic, but without 1 − t², which is exactly 0 once tanh(x)
    rounds to ±1 (|x| > 19) although the slope is representable up to |x| ≈ 373.
    """
    if type(x) is not float:
        x = as_float(x, "tanh_derivative(x)")
    e = math.exp(-2.0 * abs(x))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def relu(x: float) -> float:
    """ReLU(x) = max(0, x); nan for nan."""
    if type(x) is not float:
        x = as_float(x, "relu(x)")
    return x if x > 0.0 or x != x else 0.0


def relu_derivative(x: float) -> float:
    """ReLU′(x) = 1 for x > 0, else 0; ReLU′(0) = 0 by convention; nan for nan.

    nan is told by x == x, never by x <= 0 after x > 0 was false: PyPy 7.3's JIT folds that second
    test to true once compiled, even for nan (here, in leaky_relu_derivative, step, refnet.dense
    and the fused neuron's slopes alike; tests/test_nan_and_edges.py warms the JIT and checks).
    """
    if type(x) is not float:
        x = as_float(x, "relu_derivative(x)")
    return 1.0 if x > 0.0 else (0.0 if x == x else x)


def leaky_relu(x: float, alpha: float = 0.01) -> float:
    """Leaky ReLU(x) = x for x > 0, else αx  (001_251e29975c1497b8.txt)."""
    if type(x) is not float or type(alpha) is not float:
        x, alpha = as_float(x, "leaky_relu(x)"), as_finite(alpha, "leaky_relu(alpha)")
    return x if x > 0.0 else alpha * x


def leaky_relu_derivative(x: float, alpha: float = 0.01) -> float:
    """Leaky ReLU′(x) = 1 for x > 0, else α; leaky ReLU′(0) = α by convention; nan for nan."""
    if type(x) is not float or type(alpha) is not float:
        x, alpha = as_float(x, "leaky_relu_derivative(x)"), as_finite(alpha, "leaky_relu_derivative(alpha)")
    return 1.0 if x > 0.0 else (alpha if x == x else x)


def linear(x: float) -> float:
    """The identity activation f(x) = x."""
    if type(x) is not float:
        x = as_float(x, "linear(x)")
    return x


def linear_derivative(x: float) -> float:
    """f′(x) = 1."""
    if type(x) is not float:
        x = as_float(x, "linear_derivative(x)")
    return 1.0


def step(x: float) -> float:
    """The step (Heaviside) activation: 1 when the neuron fires (x >= 0), else 0; nan for nan."""
    if type(x) is not float:
        x = as_float(x, "step(x)")
    return 1.0 if x >= 0.0 else (0.0 if x == x else x)


def step_derivative(x: float) -> float:
    """0 everywhere (undefined at 0, taken as 0): why gradient descent needs smooth activations.
    nan for nan."""
    if type(x) is not float:
        x = as_float(x, "step_derivative(x)")
    return 0.0 if x == x else x


def _product(a: float, b: float) -> float:
    return a * b


def _plus(a: float, b: float) -> float:
    return a + b


def _fold(function: "Callable[[float, float], float]", values: "Iterable[float]", *start: float) -> float:
    """function(…function(function(v₀, v₁), v₂)…, vₙ), starting from `start` when given: a left
    fold like functools.reduce, for runtimes without it."""
    iterator = iter(values)
    result = start[0] if start else next(iterator)
    for value in iterator:
        result = function(result, value)
    return result


try:
    from functools import reduce as _reduce
    from operator import add as _add, mul as _multiply
except ImportError:  # MicroPython has neither operator nor functools.reduce
    _reduce, _add, _multiply = _fold, _plus, _product  # type: ignore[assignment]


multiply = _multiply  # a·b as a function of two arguments, for map()


# The built-in sum() adds floats left to right everywhere except CPython 3.12 and later, where
# it compensates rounding errors (Neumaier): faster and the same bits where it is sequential,
# a left fold where it is not, so that refnet's results are the same on every runtime.
SUM_IS_SEQUENTIAL = sys.implementation.name != "cpython" or sys.version_info < (3, 12)


def total(values: "Iterable[float]") -> float:
    """v₀ + v₁ + … + vₙ, added left to right (0.0 for no values)."""
    try:
        if SUM_IS_SEQUENTIAL:
            return float(sum(values, 0.0))
        return float(_reduce(_add, values, 0.0))
    except TypeError:
        raise not_numbers(values, "total(values)") from None


def _not_a_pair(where: str, a: "Any", b: "Any") -> Exception:
    """The error for dot(a, b) on something other than two equally long lists of numbers."""
    for name, values in (("a", a), ("b", b)):
        if not isinstance(values, (list, tuple)):
            return InputError(f"{where}({name}): expected a list of numbers, got {shown(values)}")
    if len(a) != len(b):
        return ShapeError(f"{where}: a has {len(a)} numbers but b has {len(b)}; expected the same number")
    for name, values in (("a", a), ("b", b)):
        for index, value in enumerate(values):
            as_float(value, f"{where}({name})[{index}]")
    return InputError(f"{where}: expected two lists of numbers, got {shown(a)} and {shown(b)}")


def _not_rows(where: str, a: "Any", rows: "Any") -> Exception:
    """The error for dots(a, rows) on something other than numbers."""
    if not isinstance(a, (list, tuple)):
        return InputError(f"{where}(a): expected a list of numbers, got {shown(a)}")
    for index, value in enumerate(a):
        as_float(value, f"{where}(a)[{index}]")
    if not isinstance(rows, (list, tuple)):
        return InputError(f"{where}(rows): expected a list of rows of numbers, got {shown(rows)}")
    for n, row in enumerate(rows):
        if not isinstance(row, (list, tuple)):
            return InputError(f"{where}(rows)[{n}]: expected a list of numbers, got {shown(row)}")
        for index, value in enumerate(row):
            as_float(value, f"{where}(rows)[{n}][{index}]")
    return InputError(f"{where}: expected a list of numbers and rows of numbers, got {shown(a)} and {shown(rows)}")


if SUM_IS_SEQUENTIAL:
    def dot(a: "Sequence[float]", b: "Sequence[float]") -> float:
        """a₀b₀ + a₁b₁ + … added left to right: the same float operations as the per-op graph."""
        try:
            if len(a) == len(b):
                return sum(map(_multiply, a, b), 0.0)
        except TypeError:
            pass
        raise _not_a_pair("dot", a, b)

    def dots(a: "Sequence[float]", rows: "Iterable[Sequence[float]]") -> "List[float]":
        """[dot(a, row) for row in rows], without a function call per row (a fused neuron over
        a batch, a row of the dense path's dW)."""
        try:
            return [sum(map(_multiply, a, row), 0.0) for row in rows]
        except TypeError:
            raise _not_rows("dots", a, rows) from None
else:
    def dot(a: "Sequence[float]", b: "Sequence[float]") -> float:
        """a₀b₀ + a₁b₁ + … added left to right: the same float operations as the per-op graph."""
        try:
            if len(a) == len(b):
                return _reduce(_add, map(_multiply, a, b), 0.0)
        except TypeError:
            pass
        raise _not_a_pair("dot", a, b)

    def dots(a: "Sequence[float]", rows: "Iterable[Sequence[float]]") -> "List[float]":
        """[dot(a, row) for row in rows], without a function call per row."""
        try:
            return [_reduce(_add, map(_multiply, a, row), 0.0) for row in rows]
        except TypeError:
            raise _not_rows("dots", a, rows) from None


def sign(x: float) -> float:
    """|x|′ = sign(x): 1 for x > 0, −1 for x < 0, and |x|′(0) = 0 by convention; nan for nan."""
    if type(x) is not float:
        x = as_float(x, "sign(x)")
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return 0.0 if x == 0.0 else x
