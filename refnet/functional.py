"""Every activation and its derivative, on plain floats and lists: the formulas, once.

Sources: sigmoid, tanh and ReLU with y = σ(Wx + b) (000_f9a23462f49faea1.txt); leaky ReLU,
linear and step activations and softmax of a list (001_251e29975c1497b8.txt); the sigmoid
derivative σ′ = σ(1 − σ) (002_22dd3b33c61b9037.txt, 003_83fae8590fc0f361.txt).

`Value` (refnet/value.py), the losses and the dense path call these functions, so that each
formula, and each numerical safeguard, is written down exactly once:

* exp never raises: past the largest float it returns +inf (as IEEE 754, NumPy and PyTorch do);
* sigmoid and softmax never call exp on a large positive number (the stable forms below);
* log of a non-positive number and 0 raised to a negative power raise DomainError.

Conventions at the kinks (the derivative is undefined there; these are the values used,
the same as PyTorch's): ReLU′(0) = 0, leaky ReLU′(0) = α, |x|′(0) = 0, step′(x) = 0 everywhere.
"""

import math
import sys

from refnet.errors import DomainError, ShapeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterable, List, Sequence

INFINITY = float("inf")


# ---------------------------------------------------------------------------
# exp, log and power: the three places where floats leave their domain
# ---------------------------------------------------------------------------

def exp(x: float) -> float:
    """eˣ, or +inf when eˣ exceeds the largest float (x > 709.78...)."""
    try:
        return math.exp(x)
    except (OverflowError, ValueError):  # CPython raises OverflowError, MicroPython ValueError
        return INFINITY


def log(x: float) -> float:
    """ln x for x > 0; ln of zero or a negative number raises DomainError."""
    if not x > 0.0:
        raise DomainError(f"log: expected a positive number, got {x} (ln is defined only for x > 0)")
    return math.log(x)


def is_integer(x: float) -> bool:
    """True when x is a finite whole number (3.0, −2.0), False for 2.5, inf and nan."""
    return math.isfinite(x) and x == math.floor(x)


def power(base: float, exponent: float) -> float:
    """baseᵉˣᵖᵒⁿᵉⁿᵗ with IEEE 754 results for overflow and for poles.

    A negative base with a non-integer exponent has no real value and raises DomainError.
    A result too large for a float is ±inf; 0 to a negative power (a pole) is +inf, or −inf
    for −0.0 and an odd exponent. Callers that must reject poles check before calling.
    """
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
    if exponent == 0.0:
        return 0.0
    return exponent * power(base, exponent - 1.0)


# ---------------------------------------------------------------------------
# Activations, each beside its derivative (taken with respect to the input x)
# ---------------------------------------------------------------------------

def sigmoid(x: float) -> float:
    """σ(x) = 1 / (1 + e⁻ˣ), computed as eˣ / (1 + eˣ) for x < 0 so that exp never overflows."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    exp_x = math.exp(x)
    return exp_x / (1.0 + exp_x)


def sigmoid_derivative(x: float) -> float:
    """σ′(x) = σ(x)(1 − σ(x))  (002_22dd3b33c61b9037.txt derives it gate by gate)."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: float) -> float:
    """tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ); math.tanh saturates at ±1 without overflow."""
    return math.tanh(x)


def tanh_derivative(x: float) -> float:
    """tanh′(x) = 1 − tanh²(x)."""
    t = math.tanh(x)
    return 1.0 - t * t


def relu(x: float) -> float:
    """ReLU(x) = max(0, x)."""
    return x if x > 0.0 else 0.0


def relu_derivative(x: float) -> float:
    """ReLU′(x) = 1 for x > 0, else 0; ReLU′(0) = 0 by convention."""
    return 1.0 if x > 0.0 else 0.0


def leaky_relu(x: float, alpha: float = 0.01) -> float:
    """Leaky ReLU(x) = x for x > 0, else αx  (001_251e29975c1497b8.txt)."""
    return x if x > 0.0 else alpha * x


def leaky_relu_derivative(x: float, alpha: float = 0.01) -> float:
    """Leaky ReLU′(x) = 1 for x > 0, else α; leaky ReLU′(0) = α by convention."""
    return 1.0 if x > 0.0 else alpha


def linear(x: float) -> float:
    """The identity activation f(x) = x."""
    return x


def linear_derivative(x: float) -> float:
    """f′(x) = 1."""
    return 1.0


def step(x: float) -> float:
    """The step (Heaviside) activation: 1 when the neuron fires (x >= 0), else 0."""
    return 1.0 if x >= 0.0 else 0.0


def step_derivative(x: float) -> float:
    """0 everywhere (undefined at 0, taken as 0): why gradient descent needs smooth activations."""
    return 0.0


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
    if SUM_IS_SEQUENTIAL:
        return float(sum(values, 0.0))
    return float(_reduce(_add, values, 0.0))


if SUM_IS_SEQUENTIAL:
    def dot(a: "Sequence[float]", b: "Sequence[float]") -> float:
        """a₀b₀ + a₁b₁ + … added left to right: the same float operations as the per-op graph."""
        return sum(map(_multiply, a, b), 0.0)

    def dots(a: "Sequence[float]", rows: "Iterable[Sequence[float]]") -> "List[float]":
        """[dot(a, row) for row in rows], without a function call per row (a fused neuron over
        a batch, a row of the dense path's dW)."""
        return [sum(map(_multiply, a, row), 0.0) for row in rows]
else:
    def dot(a: "Sequence[float]", b: "Sequence[float]") -> float:
        """a₀b₀ + a₁b₁ + … added left to right: the same float operations as the per-op graph."""
        return _reduce(_add, map(_multiply, a, b), 0.0)

    def dots(a: "Sequence[float]", rows: "Iterable[Sequence[float]]") -> "List[float]":
        """[dot(a, row) for row in rows], without a function call per row."""
        return [_reduce(_add, map(_multiply, a, row), 0.0) for row in rows]


def sign(x: float) -> float:
    """|x|′ = sign(x): 1 for x > 0, −1 for x < 0, and |x|′(0) = 0 by convention."""
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return 0.0


# ---------------------------------------------------------------------------
# Softmax over a list  (001_251e29975c1497b8.txt: σ(z)ᵢ = e^{zᵢ} / Σⱼ e^{zⱼ})
# ---------------------------------------------------------------------------

def _check_vector(values: "Sequence[float]", where: str) -> None:
    if len(values) == 0:
        raise ShapeError(f"{where}: expected a non-empty list of numbers, got an empty one")


def logsumexp(values: "Sequence[float]") -> float:
    """log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m} with m = max z, so no term exceeds e⁰ = 1."""
    _check_vector(values, "logsumexp")
    largest = max(values)
    if math.isinf(largest):
        return largest
    total = 0.0
    for z in values:
        total += math.exp(z - largest)
    return largest + math.log(total)


def softmax(values: "Sequence[float]") -> "List[float]":
    """σ(z)ᵢ = e^{zᵢ − m} / Σⱼ e^{zⱼ − m} with m = max z: the same value, and no overflow."""
    _check_vector(values, "softmax")
    largest = max(values)
    exps = [math.exp(z - largest) for z in values]
    total = 0.0
    for e in exps:
        total += e
    return [e / total for e in exps]


def log_softmax(values: "Sequence[float]") -> "List[float]":
    """log σ(z)ᵢ = zᵢ − logsumexp(z): finite even where σ(z)ᵢ underflows to 0."""
    normaliser = logsumexp(values)
    return [z - normaliser for z in values]


def softmax_jvp(probabilities: "Sequence[float]", vector: "Sequence[float]") -> "List[float]":
    """J·v for the softmax Jacobian J = diag(p) − p pᵀ, i.e. (J·v)ᵢ = pᵢ (vᵢ − Σⱼ pⱼ vⱼ).

    `probabilities` is p = softmax(z). J is symmetric, so this is also the vector-Jacobian
    product vᵀJ that backpropagation uses: the gradient with respect to z given the
    upstream gradient v with respect to p.
    """
    _check_vector(probabilities, "softmax_jvp")
    if len(probabilities) != len(vector):
        raise ShapeError(f"softmax_jvp: probabilities has {len(probabilities)} items but vector has "
                         f"{len(vector)}; expected the same number")
    weighted_mean = 0.0
    for p, v in zip(probabilities, vector):
        weighted_mean += p * v
    return [p * (v - weighted_mean) for p, v in zip(probabilities, vector)]
