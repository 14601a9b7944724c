"""Softmax, stable: σ(z)ᵢ = e^{zᵢ} / Σⱼ e^{zⱼ} (001_251e29975c1497b8.txt), on a list of floats with
its log, log Σⱼ e^{zⱼ} and its Jacobian-vector product, and on Values as graph nodes (nn.softmax).

None of these calls exp on a number above 0: each subtracts the largest z first. functional.py
and nn.py load them from here on first use (`F.softmax`, `from refnet.functional import
log_softmax`, `nn.softmax`); the cross-entropy losses and the dense path call them.
"""

import math

from refnet._checks import float_list, shown
from refnet.errors import InputError, ShapeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Sequence

    from refnet.value import Value


def _check_vector(values: "Sequence[float]", where: str) -> None:
    if len(values) == 0:
        raise ShapeError(f"{where}: expected a non-empty list of numbers, got an empty one")


def _log1p_from_log(x: float) -> float:
    """log(1 + x) for x >= 0 without losing x's digits when x is small (Kahan's trick: the
    rounding of u = 1 + x is undone by x/(u − 1)); for runtimes whose math has no log1p."""
    u = 1.0 + x
    if u == 1.0:
        return x
    if math.isinf(u):
        return u
    return math.log(u) * (x / (u - 1.0))


log1p = getattr(math, "log1p", _log1p_from_log)  # MicroPython's math has no log1p


def largest_index(values: "Sequence[float]") -> int:
    """The index of the largest value (the first at a tie), or of the first nan if there is one."""
    values = float_list(values, "largest_index(values)")
    best = 0
    for k in range(len(values)):
        z = values[k]
        if z != z:
            return k
        if z > values[best]:
            best = k
    return best


def _others(values: "Sequence[float]", k: int) -> float:
    """Σ_{j≠k} e^{zⱼ − z_k}, for z_k = max z: the terms below the largest, each at most 1."""
    largest = values[k]
    rest = 0.0
    for j in range(len(values)):
        if j != k:
            rest += math.exp(values[j] - largest)
    return rest


def logsumexp(values: "Sequence[float]") -> float:
    """log Σⱼ e^{zⱼ} = m + log(1 + Σ_{j≠k} e^{zⱼ − m}) with m = z_k = max z, so no term exceeds
    e⁰ = 1 and log1p keeps the small remainder's digits. nan if any z is nan; ±inf if m is."""
    values = float_list(values, "logsumexp(values)")
    _check_vector(values, "logsumexp")
    k = largest_index(values)
    largest = values[k]
    if largest != largest or math.isinf(largest):
        return largest
    return largest + log1p(_others(values, k))


def softmax(values: "Sequence[float]") -> "List[float]":
    """σ(z)ᵢ = e^{zᵢ − m} / Σⱼ e^{zⱼ − m} with m = max z: the same value, and no overflow."""
    values = float_list(values, "softmax(values)")
    _check_vector(values, "softmax")
    largest = max(values)
    exps = [math.exp(z - largest) for z in values]
    total = 0.0
    for e in exps:
        total += e
    return [e / total for e in exps]


def log_softmax(values: "Sequence[float]") -> "List[float]":
    """log σ(z)ᵢ = (zᵢ − m) − log(1 + Σ_{j≠k} e^{zⱼ − m}) with m = z_k = max z: finite even where
    σ(z)ᵢ underflows to 0, and accurate near 0, where zᵢ − logsumexp(z) would cancel (at logits
    near 900, logsumexp's rounding alone is a relative error of 1e−2 in a result of 1e−11).
    All nan if any z is nan; a −inf entry gives −inf (a masked class)."""
    values = float_list(values, "log_softmax(values)")
    _check_vector(values, "log_softmax")
    k = largest_index(values)
    largest = values[k]
    if largest != largest or math.isinf(largest):
        return [z - logsumexp(values) for z in values]
    remainder = log1p(_others(values, k))
    return [(z - largest) - remainder for z in values]


def softmax_jvp(probabilities: "Sequence[float]", vector: "Sequence[float]") -> "List[float]":
    """J·v for the softmax Jacobian J = diag(p) − p pᵀ, i.e. (J·v)ᵢ = pᵢ (vᵢ − Σⱼ pⱼ vⱼ).

    `probabilities` is p = softmax(z). J is symmetric, so this is also the vector-Jacobian
    product vᵀJ that backpropagation uses: the gradient with respect to z given the
    upstream gradient v with respect to p.
    """
    probabilities = float_list(probabilities, "softmax_jvp(probabilities)")
    vector = float_list(vector, "softmax_jvp(vector)")
    _check_vector(probabilities, "softmax_jvp")
    if len(probabilities) != len(vector):
        raise ShapeError(f"softmax_jvp: probabilities has {len(probabilities)} items but vector has "
                         f"{len(vector)}; expected the same number")
    weighted_mean = 0.0
    for p, v in zip(probabilities, vector):
        weighted_mean += p * v
    return [p * (v - weighted_mean) for p, v in zip(probabilities, vector)]


def softmax_nodes(logits: "Sequence[Value]") -> "List[Value]":
    """nn.softmax: pᵢ = e^{zᵢ} / Σⱼ e^{zⱼ} over a layer's outputs (001), stable; ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ).

    Each pᵢ is one node depending on every zⱼ. For training on class labels prefer
    losses.softmax_cross_entropy on the logits: one fused node, finite for any logits.
    """
    from refnet.value import Value  # here: the functions on floats above need no Value (the dense path)

    if not isinstance(logits, (list, tuple)) or len(logits) == 0:
        if isinstance(logits, (list, tuple)):
            raise ShapeError("softmax(logits): expected a non-empty list of Values, got an empty one")
        raise InputError(f"softmax(logits): expected a non-empty list of Values, got {shown(logits)}")
    for index, value in enumerate(logits):
        if not isinstance(value, Value):
            raise InputError(f"softmax(logits)[{index}]: expected a Value, got {shown(value)}")
    z = [value if isinstance(value, Value) else Value(value) for value in logits]
    p = softmax([value.data for value in z])
    return [Value.fused(p_i, z, [p_i * ((1.0 if i == j else 0.0) - p_j) for j, p_j in enumerate(p)], "softmax")
            for i, p_i in enumerate(p)]
