"""The dense path: backpropagation in matrix form, on lists of lists of floats.

The scalar path (refnet.value) builds a graph of numbers and walks it. This module derives
the same gradients a second way, layer by layer, as 004_90774dc949aeae9c.txt writes them and
as 002_22dd3b33c61b9037.txt's NumPy code computes them. For a batch X (one row per example)
and a layer with weights W (out × in, row j = receiving unit: 000's w_ji) and biases b:

    forward    Z = X·Wᵀ + b          Y = f(Z)
    backward   dZ = dY ∗ f′(Z)       (elementwise; softmax is left to the loss)
               dX = dZ·W             004: ∂L/∂X = ∂L/∂Z·Wᵀ with 004's W (in × out)
               dW = dZᵀ·X            004: ∂L/∂W = Xᵀ·∂L/∂Z, transposed for W out × in
               db = Σ over the batch of dZ

ReLU′ = 0 selects 0 (dZ is 0 there even for an infinite dY), as PyTorch's ReLU backward and
refnet's fused neuron do. The zeros this makes are used, without changing a bit of the result:
dX is computed only where the ReLU layer below is on (elsewhere its dZ is 0 whatever dX is),
so that layer takes the dY it receives as its dZ, with nothing left to select; and dW leaves
out the examples whose dZ is 0 (an off ReLU unit, a hinge beyond its margin: terms 0·x, exact
zeros while X is finite). Every dot product adds left to right from 0.0, as
refnet.functional.dot does.

Each layer's forward returns what its backward needs (the cache); a network runs the layers
forward, asks the loss for dY = ∂L/∂Y, and runs the layers backward. Every loss of
refnet.losses has its value and gradient here in closed form; the optimizers update lists in
place with the same rules as refnet.optim. tests/test_dense.py checks that both paths give
the same gradients, and the refnet-dense adapter runs the conformance suite on this module.
"""

import math

from refnet import functional as F
from refnet._checks import (ONLY_FLOATS, as_bool, as_finite, as_float_list, as_int, as_label, as_list, as_matrix,
                            as_text, in_range, one_of, pair_of, shown)
from refnet.errors import DomainError, InputError, ShapeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

    Matrix = List[List[float]]
    Vector = List[float]
    Rows = Sequence[Sequence[float]]  # a matrix as any sequence of rows (lists, tuples)

try:
    from itertools import compress  # compress(data, selectors): the items whose selector is true
except ImportError:  # MicroPython's itertools has no compress
    def compress(data: "Iterable[Any]", selectors: "Iterable[Any]") -> "Iterator[Any]":  # type: ignore[no-redef]
        return iter([item for item, selector in zip(data, selectors) if selector])

INFINITY = float("inf")
ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu")


# -- matrices ------------------------------------------------------------------------------


def transpose(a: "Rows") -> "Matrix":
    """Aᵀ: row i is column i of a.

    Lists, not the tuples zip() gives: PyPy stores a list of floats unboxed, and its dense step
    took about twice as long on tuples (CPython was 2–4 % faster on them).
    """
    if not isinstance(a, (list, tuple)) or len(set(map(len, a))) > 1:
        _rows(a, "transpose(a)")
    return list(map(list, zip(*a)))


def times_transposed(a: "Rows", b: "Rows", where: "Optional[Rows]" = None) -> "Matrix":
    """a·bᵀ: entry (n, j) is the dot product of row n of a and row j of b, added as F.dot adds.

    With `where` (a matrix shaped like the result), only the entries whose `where` is non-zero
    are needed; the others are 0.0.
    """
    if not isinstance(a, (list, tuple)) or not isinstance(b, (list, tuple)) or (a and b and len(a[0]) != len(b[0])):
        _rows(a, "times_transposed(a)")
        _rows(b, "times_transposed(b)")
        raise ShapeError(f"times_transposed: rows of a have {len(a[0])} numbers but rows of b have {len(b[0])}; "
                         "expected the same number")
    try:
        return _times_transposed(a, b, where)
    except TypeError:
        _rows(a, "times_transposed(a)")
        _rows(b, "times_transposed(b)")
        raise


def _times_transposed(a: "Rows", b: "Rows", where: "Optional[Rows]" = None) -> "Matrix":
    terms = len(b[0]) if b else 0
    if terms <= 3:  # short dot products written out: cheaper to compute them all than to skip any
        if terms == 0:
            product = [[0.0 for _ in b] for _ in a]
        elif terms == 1:  # the step's last layer: one unit, so dX's dot products have one term each
            if where is not None:
                return [[0.0 + a0 * b0 if wanted else 0.0 for (b0,), wanted in zip(b, wanted_row)]
                        for (a0,), wanted_row in zip(a, where)]
            product = [[0.0 + a0 * b0 for (b0,) in b] for (a0,) in a]
        elif terms == 2:
            product = [[0.0 + a0 * b0 + a1 * b1 for b0, b1 in b] for a0, a1 in a]
        else:
            product = [[0.0 + a0 * b0 + a1 * b1 + a2 * b2 for b0, b1, b2 in b] for a0, a1, a2 in a]
        if where is None:
            return product
        return [[v if wanted else 0.0 for v, wanted in zip(row, wanted_row)] for row, wanted_row in zip(product, where)]
    if where is None:
        return [F.dots(row, b) for row in a]  # row n of a against every row of b
    if F.SUM_IS_SEQUENTIAL:  # F.dot written out, without a function call per entry
        multiply = F.multiply
        return [[sum(map(multiply, row, other), 0.0) if wanted else 0.0 for other, wanted in zip(b, wanted_row)]
                for row, wanted_row in zip(a, where)]
    dot = F.dot
    return [[dot(row, other) if wanted else 0.0 for other, wanted in zip(b, wanted_row)]
            for row, wanted_row in zip(a, where)]


# -- activations, elementwise on a matrix ---------------------------------------------------


def activate(z: "Matrix", activation: str, alpha: float = 0.01) -> "Tuple[Matrix, Matrix]":
    """(Y, f′(Z)): each activation's value and slope side by side, as in refnet.functional."""
    one_of(activation, "dense.activate(activation)", ACTIVATIONS, "activation")
    return _activate(_rows(z, "dense.activate(z)"), activation, as_finite(alpha, "dense.activate(alpha)"))


def _activate(z: "Matrix", activation: str, alpha: float = 0.01) -> "Tuple[Matrix, Matrix]":
    if activation == "linear":
        return [list(row) for row in z], [[1.0] * len(row) for row in z]
    if activation == "sigmoid":  # σ′ = σ(1 − σ), from e^{−|z|} (F.sigmoid_derivative)
        return [[F.sigmoid(v) for v in row] for row in z], [[F.sigmoid_derivative(v) for v in row] for row in z]
    if activation == "tanh":  # tanh′ = 1 − tanh², from e^{−2|z|} (F.tanh_derivative)
        return [[F.tanh(v) for v in row] for row in z], [[F.tanh_derivative(v) for v in row] for row in z]
    if activation == "relu":  # ReLU′(0) = 0; nan for nan, value and slope
        return ([[v if v > 0.0 or v != v else 0.0 for v in row] for row in z],
                [[1.0 if v > 0.0 else (0.0 if v == v else v) for v in row] for row in z])
    if activation == "leaky_relu":  # leaky ReLU′(0) = α; nan for nan
        return ([[v if v > 0.0 else alpha * v for v in row] for row in z],
                [[1.0 if v > 0.0 else (alpha if v == v else v) for v in row] for row in z])
    raise InputError(f"dense: unknown activation {activation!r}; expected one of {', '.join(ACTIVATIONS)}")


# -- one layer -----------------------------------------------------------------------------


class DenseLayer:
    """Y = f(X·Wᵀ + b) on a batch; forward() returns (Y, cache) and backward(cache, dY) the gradients."""

    __slots__ = ("weight", "bias", "activation", "alpha", "name")

    def __init__(self, weight: "Matrix", bias: "Vector", activation: str = "linear", alpha: float = 0.01,
                 name: str = "DenseLayer") -> None:
        name = as_text(name, "DenseLayer(name)")
        self.weight = as_matrix(weight, f"{name}(weight)")
        self.bias = as_float_list(bias, f"{name}(bias)")
        if len(self.bias) != len(self.weight):
            raise ShapeError(f"{name}(bias): expected {len(self.weight)} biases, one per unit, got {len(self.bias)}")
        self.activation = one_of(activation, f"{name}(activation)", ACTIVATIONS, "activation")
        self.alpha = as_finite(alpha, f"{name}(alpha)")
        self.name = name

    def forward(self, x: "Matrix") -> "Tuple[Matrix, Tuple[Matrix, Matrix]]":
        """(Y, cache) for a batch X, one row of inputs per example."""
        n_in = len(self.weight[0])
        if isinstance(x, (list, tuple)):
            for k, row in enumerate(x):
                if isinstance(row, (list, tuple)) and len(row) != n_in:
                    raise ShapeError(f"{self.name}.forward(x) ({n_in} → {len(self.weight)}): example {k} has "
                                     f"{len(row)} inputs; expected {n_in}")
        return self._forward(as_matrix(x, f"{self.name}.forward(x)", n_in))

    def _forward(self, x: "Matrix") -> "Tuple[Matrix, Tuple[Matrix, Matrix]]":
        n_in = len(self.weight[0])
        for k, row in enumerate(x):
            if len(row) != n_in:
                raise ShapeError(f"{self.name} ({n_in} → {len(self.weight)}): example {k} has {len(row)} inputs; "
                                 f"expected {n_in}")
        # Z = X·Wᵀ + b, the bias as the weight of a constant input 1: [X 1]·[W b]ᵀ (the same sums)
        z = times_transposed([list(row) + [1.0] for row in x], [w + [b] for w, b in zip(self.weight, self.bias)])
        y, slopes = _activate(z, self.activation, self.alpha)
        return y, (x, slopes)

    def backward(self, cache: "Tuple[Matrix, Matrix]", dy: "Matrix", input_gradient: bool = True,
                 wanted: "Optional[Matrix]" = None, selected: bool = False) -> "Tuple[Matrix, Matrix, Vector]":
        """(dX, dW, db) from dY = ∂L/∂Y.

        dX is [] when input_gradient is False (a first layer's inputs are data: nothing needs
        their gradient). With `wanted` (a matrix shaped like X), dX is computed only where
        `wanted` is non-zero and is 0.0 elsewhere: a network passes the slopes of the ReLU layer
        below, which selects 0 wherever its slope is 0 whatever dX is there.

        `selected` tells a ReLU layer that dY is 0.0 already wherever its slope is 0 (the layer
        above computed it with these slopes as `wanted`): dZ is then dY as it is, since
        selecting would change nothing.
        """
        if not isinstance(cache, tuple) or len(cache) != 2:
            raise InputError(f"{self.name}.backward(cache): expected the cache forward() returned, got {shown(cache)}")
        x, slopes = cache
        if not isinstance(dy, (list, tuple)) or len(dy) != len(x) or (dy and (not isinstance(dy[0], (list, tuple))
                                                                             or len(dy[0]) != len(self.weight))):
            _rows(dy, f"{self.name}.backward(dy)")
            raise ShapeError(f"{self.name}.backward(dy): expected {len(x)} rows of {len(self.weight)} numbers, as "
                             f"the forward pass's output, got {len(dy)} rows of {len(dy[0])}")
        try:
            return self._backward(x, slopes, dy, input_gradient, wanted, selected)
        except TypeError:
            _rows(dy, f"{self.name}.backward(dy)")
            raise

    def _backward(self, x: "Matrix", slopes: "Matrix", dy: "Matrix", input_gradient: bool,
                  wanted: "Optional[Matrix]", selected: bool) -> "Tuple[Matrix, Matrix, Vector]":
        if self.activation == "relu":  # ReLU′ = 0 selects 0, even for an infinite dY (as PyTorch's ReLU backward)
            if selected and not math.isnan(sum(map(sum, slopes), 0.0)):  # slopes are 1 and 0 only
                dz = dy
            else:  # ReLU′ = 1 passes dY, 0 selects 0, nan (a nan net input) multiplies: nan
                dz = [[d if s == 1.0 else (0.0 if s == 0.0 else d * s) for d, s in zip(drow, srow)]
                      for drow, srow in zip(dy, slopes)]
        else:
            dz = [[d * s for d, s in zip(drow, srow)] for drow, srow in zip(dy, slopes)]   # dZ = dY ∗ f′(Z)
        dz_t = transpose(dz)
        dx = times_transposed(dz, transpose(self.weight), wanted) if input_gradient else []  # dX = dZ·W
        # With eight inputs or more, leaving out the examples whose dZ is 0 costs less than it saves
        if len(self.weight[0]) >= 8 and math.isfinite(sum(map(sum, x), 0.0)):
            dw = weight_gradient_where_nonzero(dz_t, x)                                    # dW = dZᵀ·X
        else:
            dw = times_transposed(dz_t, transpose(x))                                       # dW = dZᵀ·X
        db = [F.total(column) for column in dz_t]                                           # db = Σ dZ
        return dx, dw, db


def weight_gradient_where_nonzero(dz_t: "Rows", x: "Rows") -> "Matrix":
    """dW = dZᵀ·X for finite inputs X, row j summed only over the examples n where dZ_nj ≠ 0.

    The terms left out are 0·x, exact zeros since x is finite, and a sum that starts at 0.0 is
    unchanged by adding zeros (it never becomes −0.0), so no bit of dW changes. A ReLU unit's
    dZ is 0 wherever it is off: at the start of the standard step, 60 % of the 16 × 16 layer's
    terms. A hinge loss's dY is 0 for every example beyond its margin, more of them as training
    goes on. (With an infinite or nan input, 0·x is nan and must show: the caller then takes
    the whole sum.)
    """
    if not isinstance(dz_t, (list, tuple)) or not isinstance(x, (list, tuple)) or (dz_t and len(dz_t[0]) != len(x)):
        _rows(dz_t, "weight_gradient_where_nonzero(dz_t)")
        _rows(x, "weight_gradient_where_nonzero(x)")
        raise ShapeError(f"weight_gradient_where_nonzero: dz_t has rows of {len(dz_t[0])} examples but x has "
                         f"{len(x)} rows; expected the same number")
    try:
        return _weight_gradient_where_nonzero(dz_t, x)
    except (TypeError, InputError):  # a str among the numbers, found by F.dots
        _rows(dz_t, "weight_gradient_where_nonzero(dz_t)")
        _rows(x, "weight_gradient_where_nonzero(x)")
        raise


def _weight_gradient_where_nonzero(dz_t: "Rows", x: "Rows") -> "Matrix":
    dw = []
    for dz_j in dz_t:  # row j of dZᵀ: unit j's dZ over the examples
        nonzero = list(compress(dz_j, dz_j))
        if nonzero:
            dw.append(F.dots(nonzero, transpose(list(compress(x, dz_j)))))  # row · each column of X
        else:
            dw.append([0.0] * (len(x[0]) if x else 0))
    return dw


# -- dropout with a given mask ----------------------------------------------------------------


def dropout_forward(x: "Rows", mask: "Rows", p: float) -> "Tuple[Matrix, Matrix]":
    """(Y, cache) for inverted dropout with a given mask M (1 = kept, 0 = dropped), 003's "randomly
    remove some hidden units": Y = X ∗ M / (1 − p), the survivors scaled so that E[Y] = X.
    The cache is the scale M / (1 − p), all the backward pass needs."""
    p = in_range(p, "dropout_forward(p)", 0.0, 1.0, include_high=False)
    x = _rows(x, "dropout_forward(x)")
    if len(mask) != len(x):
        raise ShapeError(f"dropout_forward: the mask has {len(mask)} rows; expected {len(x)}, as x")
    keep_scale = 1.0 / (1.0 - p)
    scale = []
    for n, (m_row, x_row) in enumerate(zip(mask, x)):
        if len(m_row) != len(x_row):
            raise ShapeError(f"dropout_forward: mask row {n} has {len(m_row)} entries; expected {len(x_row)}, as x")
        for i, kept in enumerate(m_row):
            if kept not in (0, 1):
                raise InputError(f"dropout_forward(mask): mask[{n}][{i}] is {kept!r}; expected 0 (dropped) or 1 (kept)")
        scale.append([keep_scale if kept else 0.0 for kept in m_row])
    return [[v * s for v, s in zip(x_row, s_row)] for x_row, s_row in zip(x, scale)], scale


def dropout_backward(cache: "Matrix", dy: "Rows") -> "Matrix":
    """dX = dY ∗ M / (1 − p): each unit passes its gradient back scaled as it passed its value forward."""
    scale = _rows(cache, "dropout_backward(cache)")
    given = _rows(dy, "dropout_backward(dy)")
    if len(given) != len(scale) or any(len(d_row) != len(s_row) for d_row, s_row in zip(given, scale)):
        raise ShapeError(f"dropout_backward: dy has {len(given)} rows but the cache has {len(scale)}; expected dy "
                         "shaped as the forward pass's x")
    return [[d * s for d, s in zip(d_row, s_row)] for d_row, s_row in zip(dy, cache)]


# -- losses: value and ∂L/∂Y together --------------------------------------------------------


def _sign(x: float) -> float:
    return F.sign(x)


def loss_and_gradient(name: str, y: "Matrix", targets: "Any", margin: float = 1.0) -> "Tuple[float, Matrix]":
    """(L, ∂L/∂Y) for a batch Y (one row per example), with refnet.losses' definitions and reductions.

    n examples, m = n·k elements. Kinks as the scalar path: |x|′(0) = 0, a hinge at its margin
    has gradient 0; cross-entropy terms with a zero coefficient are left out (0·ln 0 = 0).
    """
    one_of(name, "dense.loss_and_gradient(name)", LOSSES, "loss")
    return _loss_and_gradient(name, _rows(y, f"dense.{name}(y)"), targets, as_finite(margin, f"dense.{name}(margin)"))


def _loss_and_gradient(name: str, y: "Matrix", targets: "Any", margin: float) -> "Tuple[float, Matrix]":
    """loss_and_gradient() for a name, Y and margin already checked (a network's own output)."""
    n = len(y)
    m = sum(len(row) for row in y)
    if name in ("sparse_categorical_cross_entropy", "softmax_cross_entropy", "multiclass_hinge"):
        labels = as_list(targets, f"dense.{name}(labels)", ShapeError, "class labels")
        if len(labels) != n:
            raise ShapeError(f"dense.{name}(labels): expected {n} labels, one per example, got {len(labels)}")
        for k, (label, row) in enumerate(zip(labels, y)):
            as_label(label, f"dense.{name}(labels)[{k}]", len(row))
            if name == "sparse_categorical_cross_entropy":
                _check_probability(row[label], f"dense.{name}(y)[{k}][{label}]")
        return _label_loss(name, y, labels, n, margin)
    if not isinstance(targets, (list, tuple)) or len(targets) != n:
        given = f"{len(targets)} rows" if isinstance(targets, (list, tuple)) else shown(targets)
        raise (ShapeError if isinstance(targets, (list, tuple)) else InputError)(
            f"dense.{name}(targets): expected {n} rows shaped like the predictions, got {given}")
    targets = _rows(targets, f"dense.{name}(targets)")
    if len(targets[0]) != len(y[0]):
        raise ShapeError(f"dense.{name}(targets): expected rows of {len(y[0])} numbers, as the predictions, got "
                         f"{len(targets[0])}")
    if name in ("binary_cross_entropy", "categorical_cross_entropy", "binary_hinge"):
        _check_targets(name, y, targets)
    total = 0.0
    grad = []
    for row, target_row in zip(y, targets):
        grad_row = []
        for p, t in zip(row, target_row):
            if name == "mse":                                    # (1/m) Σ (y − t)²
                total += (p - t) * (p - t)
                grad_row.append((p - t) * (2.0 / m))             # scaled first: finite where 2(y − t)/m is
            elif name == "mae":                                  # (1/m) Σ |y − t|
                total += abs(p - t)
                grad_row.append(_sign(p - t) / m)
            elif name == "mape":                                 # (100/m) Σ |(t − y)/t|
                if t == 0.0:
                    raise DomainError("dense.mape: a target is 0; expected non-zero targets (|(t − y)/t| is undefined)")
                total += 100.0 * abs((t - p) / t)
                grad_row.append(100.0 * _sign(p - t) / abs(t) / m)
            elif name == "half_squared_error":                   # (1/n) Σ ½ Σⱼ (tⱼ − yⱼ)²
                total += (0.5 * (t - p)) * (t - p)
                grad_row.append((p - t) / n)
            elif name == "binary_cross_entropy":                 # (1/m) Σ −[t ln p + (1 − t) ln(1 − p)]
                g = 0.0
                if t != 0.0:
                    total -= t * F.log(p)
                    g -= t / p
                if t != 1.0:
                    total -= (1.0 - t) * F.log(1.0 - p)
                    g += (1.0 - t) / (1.0 - p)
                grad_row.append(g / m)
            elif name == "categorical_cross_entropy":            # (1/n) Σ −Σⱼ tⱼ ln pⱼ
                if t != 0.0:
                    total -= t * F.log(p)
                    grad_row.append(-t / p / n)
                else:
                    grad_row.append(0.0)
            elif name == "binary_hinge":                         # (1/m) Σ max(0, 1 − t·s)
                gap = 1.0 - t * p
                if gap > 0.0 or gap != gap:                      # nan: nan loss and slope
                    total += gap
                    grad_row.append(-t / m if gap == gap else gap)
                else:
                    grad_row.append(0.0)
            else:
                raise InputError(f"dense: unknown loss {name!r}")
        grad.append(grad_row)
    divisor = n if name in ("half_squared_error", "categorical_cross_entropy") else m
    return total / divisor, grad


LOSSES = ("mse", "mae", "mape", "half_squared_error", "binary_cross_entropy", "categorical_cross_entropy",
          "binary_hinge", "sparse_categorical_cross_entropy", "softmax_cross_entropy", "multiclass_hinge")


def _rows(a: "Any", where: str) -> "Matrix":
    """`a` itself when it is a non-empty list of equally long lists of floats; otherwise as_matrix's
    checks (InputError or ShapeError naming `where`) and its conversion."""
    if type(a) is list and a and type(a[0]) is list and a[0]:
        width = len(a[0])
        if all(type(row) is list and len(row) == width and set(map(type, row)) == ONLY_FLOATS for row in a):
            return a
    return as_matrix(a, where)


SIGNS = {-1.0, 1.0}


def _check_probability(p: float, where: str) -> None:
    if not 0.0 <= p <= 1.0 and p == p:  # nan passes, and makes the loss nan
        raise DomainError(f"{where}: expected a probability in [0, 1], got {p}")


def _check_targets(name: str, y: "Matrix", targets: "Matrix") -> None:
    """The scalar path's domain checks: probabilities and targets in [0, 1], hinge labels ±1."""
    if name in ("binary_cross_entropy", "categorical_cross_entropy"):
        for k, (row, target_row) in enumerate(zip(y, targets)):
            for j, (p, t) in enumerate(zip(row, target_row)):
                _check_probability(p, f"dense.{name}(y)[{k}][{j}]")
                if not 0.0 <= t <= 1.0 and t == t:
                    raise DomainError(f"dense.{name}(targets)[{k}][{j}]: expected a target in [0, 1], got {t}")
    elif name == "binary_hinge" and not all(set(row) <= SIGNS for row in targets):
        for k, target_row in enumerate(targets):
            for j, t in enumerate(target_row):
                if t not in (-1.0, 1.0):
                    raise InputError(f"dense.binary_hinge(targets)[{k}][{j}]: expected -1 or +1, got {t}")


def _label_loss(name: str, y: "Matrix", labels: "List[int]", n: int, margin: float) -> "Tuple[float, Matrix]":
    total = 0.0
    grad = []
    for row, label in zip(y, labels):
        if not 0 <= label < len(row):
            raise ShapeError(f"dense.{name}: label {label} is out of range for {len(row)} classes")
        if name == "sparse_categorical_cross_entropy":           # (1/n) Σ −ln p_y
            total -= F.log(row[label])
            grad.append([(-1.0 / row[label] / n if j == label else 0.0) for j in range(len(row))])
        elif name == "softmax_cross_entropy":                    # (1/n) Σ −log_softmax(s)_y;  ∂ = (p − onehot)/n
            total -= F.log_softmax(row)[label]
            grad.append([(p - (1.0 if j == label else 0.0)) / n for j, p in enumerate(F.softmax(row))])
        else:                                                    # (1/n) Σ Σ_{j≠y} max(0, s_j − s_y + margin)
            g = [0.0] * len(row)
            for j, s in enumerate(row):
                term = s - row[label] + margin
                if j != label and term != term:                  # a nan score: nan loss and slopes
                    total += term
                    g[j] += term
                    g[label] += term
                elif j != label and term > 0.0:
                    total += term
                    g[j] += 1.0 / n
                    g[label] -= 1.0 / n
            grad.append(g)
    return total / n, grad


# -- a network -----------------------------------------------------------------------------


class Network:
    """Dense layers in a row: forward, the loss (plus c·ΣW² when l2 = c), backward."""

    def __init__(self, layers: "Sequence[DenseLayer]") -> None:
        as_list(layers, "Network(layers)", InputError, "DenseLayers")
        for k, layer in enumerate(layers):
            if not isinstance(layer, DenseLayer):
                raise InputError(f"Network(layers)[{k}]: expected a DenseLayer, got {shown(layer)}")
            if k > 0 and len(layer.weight[0]) != len(layers[k - 1].weight):
                raise ShapeError(f"Network(layers)[{k}]: expected a layer of {len(layers[k - 1].weight)} inputs, the "
                                 f"outputs of layer {k - 1}, got {len(layer.weight[0])}")
        self.layers = list(layers)

    def forward(self, x: "Matrix") -> "Matrix":
        x = as_matrix(x, "Network.forward(x)", len(self.layers[0].weight[0]))
        for layer in self.layers:
            x, _ = layer._forward(x)
        return x

    def loss_and_gradients(self, x: "Matrix", targets: "Any", loss: str, l2: float = 0.0, margin: float = 1.0,
                           l2_biases: bool = False) -> "Tuple[Matrix, float, List[Tuple[Matrix, Vector]]]":
        """(outputs, L, [(dW, db) per layer]). The L2 term c·Σw² covers the weights, and the
        biases too when l2_biases (micrograd's demo regularises every parameter)."""
        x = as_matrix(x, "Network.loss_and_gradients(x)", len(self.layers[0].weight[0]))
        one_of(loss, "Network.loss_and_gradients(loss)", LOSSES, "loss")
        l2 = in_range(l2, "Network.loss_and_gradients(l2)", 0.0, INFINITY, include_high=False)
        margin = as_finite(margin, "Network.loss_and_gradients(margin)")
        as_bool(l2_biases, "Network.loss_and_gradients(l2_biases)")
        return self._loss_and_gradients(x, targets, loss, l2, margin, l2_biases)

    def _loss_and_gradients(self, x: "Matrix", targets: "Any", loss: str, l2: float, margin: float,
                            l2_biases: bool) -> "Tuple[Matrix, float, List[Tuple[Matrix, Vector]]]":
        caches = []
        for layer in self.layers:
            x, cache = layer._forward(x)
            caches.append(cache)
        value, dy = _loss_and_gradient(loss, x, targets, margin)
        gradients: "List[Tuple[Matrix, Vector]]" = []
        selected = False  # the loss's dY is not selected by any slopes
        for k in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[k]
            below_is_relu = k > 0 and self.layers[k - 1].activation == "relu"
            dy, dw, db = layer._backward(caches[k][0], caches[k][1], dy, k > 0,
                                         caches[k - 1][1] if below_is_relu else None, selected)
            selected = below_is_relu  # dX was computed only where the ReLU layer below is on
            if l2:
                value += l2 * F.total(w * w for row in layer.weight for w in row)
                dw = [[g + 2.0 * l2 * w for g, w in zip(grow, wrow)] for grow, wrow in zip(dw, layer.weight)]
                if l2_biases:
                    value += l2 * F.total(b * b for b in layer.bias)
                    db = [g + 2.0 * l2 * b for g, b in zip(db, layer.bias)]
            gradients.append((dw, db))
        gradients.reverse()
        return x, value, gradients

    def parameters(self) -> "List[List[float]]":
        """Every weight row and every bias vector: the lists the optimizers update in place."""
        params: "List[List[float]]" = []
        for layer in self.layers:
            params.extend(layer.weight)
            params.append(layer.bias)
        return params


def flat_gradients(gradients: "List[Tuple[Matrix, Vector]]") -> "List[List[float]]":
    """The gradients in the order of Network.parameters()."""
    as_list(gradients, "flat_gradients(gradients)", InputError, "(dW, db) pairs")
    for k, pair in enumerate(gradients):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise InputError(f"flat_gradients(gradients)[{k}]: expected a (dW, db) pair, got {shown(pair)}")
    flat: "List[List[float]]" = []
    for dw, db in gradients:
        flat.extend(dw)
        flat.append(db)
    return flat


# -- optimizers on lists, the rules of refnet.optim -----------------------------------------


class Optimizer:
    """Updates lists of floats in place from gradients of the same shape; state per list."""

    def __init__(self, name: str, lr: float, momentum: float = 0.0, alpha: float = 0.99,
                 betas: "Tuple[float, float]" = (0.9, 0.999), eps: "Optional[float]" = None) -> None:
        self.name = one_of(name, "dense.Optimizer(name)", ("sgd", "adagrad", "rmsprop", "adam"), "optimizer")
        self.lr = in_range(lr, "dense.Optimizer(lr)", 0.0, INFINITY, include_high=False)
        self.momentum = in_range(momentum, "dense.Optimizer(momentum)", 0.0, 1.0, include_high=False)
        self.alpha = in_range(alpha, "dense.Optimizer(alpha)", 0.0, 1.0, include_high=False)
        self.beta1, self.beta2 = pair_of(betas, "dense.Optimizer(betas)", 0.0, 1.0)
        self.eps = (in_range(eps, "dense.Optimizer(eps)", 0.0, INFINITY, include_high=False)
                    if eps is not None else {"adagrad": 1e-10}.get(name, 1e-8))
        self.state: "Dict[int, Tuple[List[float], List[float]]]" = {}
        self.steps = 0

    def step(self, params: "List[List[float]]", grads: "List[List[float]]") -> None:
        """Update each list of params in place from the gradients of the same shape."""
        if not isinstance(params, list) or not isinstance(grads, list) or len(params) != len(grads) or any(
                len(p) != len(g) for p, g in zip(params, grads)):
            as_list(params, "dense.Optimizer.step(params)", ShapeError, "parameter lists")
            as_list(grads, "dense.Optimizer.step(grads)", ShapeError, "gradient lists")
            raise ShapeError(f"dense.Optimizer.step: expected grads shaped as params, got {len(grads)} gradient lists "
                             f"of {[len(g) for g in grads][:4]} for {len(params)} of {[len(p) for p in params][:4]}")
        try:
            self._step(params, grads)
        except TypeError:
            _rows(params, "dense.Optimizer.step(params)")
            _rows(grads, "dense.Optimizer.step(grads)")
            raise

    def _step(self, params: "List[List[float]]", grads: "List[List[float]]") -> None:
        self.steps += 1
        t = self.steps
        lr, eps = self.lr, self.eps
        for k, (p, g) in enumerate(zip(params, grads)):
            first, second = self.state.setdefault(k, ([0.0] * len(p), [0.0] * len(p)))
            for i in range(len(p)):
                gi = g[i]
                if self.name == "sgd":       # 003: Δw(n) = −ηg + ρΔw(n−1)
                    first[i] = -lr * gi + self.momentum * first[i]
                    p[i] += first[i]
                elif self.name == "adagrad":  # G += g²;  w −= ηg/(√G + ε)
                    first[i] += gi * gi
                    denominator = math.sqrt(first[i]) + eps
                    if denominator != 0.0:  # 0 only for eps = 0 and no gradient yet (no move)
                        p[i] -= lr * gi / denominator
                elif self.name == "rmsprop":  # s = αs + (1 − α)g²;  w −= ηg/(√s + ε)
                    first[i] = self.alpha * first[i] + (1.0 - self.alpha) * gi * gi
                    denominator = math.sqrt(first[i]) + eps
                    if denominator != 0.0:  # 0 only for eps = 0 and no gradient yet (no move)
                        p[i] -= lr * gi / denominator
                else:                          # Adam with bias correction 1 − βᵗ
                    first[i] = self.beta1 * first[i] + (1.0 - self.beta1) * gi
                    second[i] = self.beta2 * second[i] + (1.0 - self.beta2) * gi * gi
                    m_hat = first[i] / (1.0 - self.beta1 ** t)
                    v_hat = second[i] / (1.0 - self.beta2 ** t)
                    denominator = math.sqrt(v_hat) + eps
                    if denominator != 0.0:  # 0 only for eps = 0 and no gradient yet (no move)
                        p[i] -= lr * m_hat / denominator


def train(network: Network, x: "Matrix", targets: "Any", loss: str, optimizer: Optimizer, steps: int,
          l2: float = 0.0, margin: float = 1.0, l2_biases: bool = False) -> "List[float]":
    """Full-batch gradient descent: `steps` times record the loss, backpropagate, step. Returns the losses."""
    if not isinstance(network, Network):
        raise InputError(f"dense.train(network): expected a dense.Network, got {shown(network)}")
    if not isinstance(optimizer, Optimizer):
        raise InputError(f"dense.train(optimizer): expected a dense.Optimizer, got {shown(optimizer)}")
    count = as_int(steps, "dense.train(steps)")
    x = as_matrix(x, "dense.train(x)", len(network.layers[0].weight[0]))
    one_of(loss, "dense.train(loss)", LOSSES, "loss")
    l2 = in_range(l2, "dense.train(l2)", 0.0, INFINITY, include_high=False)
    margin = as_finite(margin, "dense.train(margin)")
    as_bool(l2_biases, "dense.train(l2_biases)")
    losses = []
    params = network.parameters()
    for _ in range(count):
        _, value, gradients = network._loss_and_gradients(x, targets, loss, l2, margin, l2_biases)
        losses.append(value)
        optimizer.step(params, flat_gradients(gradients))
    return losses
