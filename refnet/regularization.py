"""Regularisation: a penalty on the weights' size, added to the loss (002_22dd3b33c61b9037.txt).

    l2_regularization    R = λ Σₖ wₖ²,  ∂R/∂wₖ = 2λwₖ

refnet/losses.py loads it from here on first use (`losses.l2_regularization`,
`from refnet.losses import l2_regularization`).
"""

from refnet import functional as F
from refnet._checks import as_float, as_list, in_range
from refnet.errors import InputError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

INFINITY = float("inf")


def l2_regularization(parameters: "Sequence[Value]", strength: float) -> Value:
    """R = λ Σₖ wₖ², with ∂R/∂wₖ = 2λwₖ (002: L = (1/N) Σ Lᵢ + λ Σₖ Wₖ²).

    002's NumPy code adds reg_lambda·W to the gradient, the derivative of ½λΣW²:
    pass strength = reg_lambda / 2 to reproduce it.
    """
    lam = in_range(strength, "l2_regularization(strength)", 0.0, INFINITY, include_high=False)
    as_list(parameters, "l2_regularization(parameters)", InputError, "parameters")
    weights = [w if isinstance(w, Value) else Value(as_float(w, "l2_regularization(parameters)"))
               for w in parameters]
    # R = λ Σₖ wₖ²  (added left to right);  ∂R/∂wₖ = 2λ·wₖ, one node for the whole sum. With λ = 0,
    # R = Σ 0·wₖ: exactly 0 for finite weights however large (wₖ² may overflow), nan for ±inf or nan
    if lam == 0.0:
        value = F.total([0.0 * w.data for w in weights])
    else:
        squares = 0.0
        for w in weights:
            squares += w.data * w.data
        value = lam * squares
    twice = 2.0 * lam
    return Value.fused(value, weights, [twice * w.data for w in weights], "l2")
