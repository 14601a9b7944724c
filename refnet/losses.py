"""Loss functions: each takes a batch of predictions and targets and returns one Value.

Predictions are Values (or floats) shaped like the targets: a list with one number per
example, or a list of rows (one row per example, one column per output). Each loss is the
mean over the batch unless its docstring says otherwise. L.backward() then fills the
gradient of every prediction and, through them, of every weight.

The losses, with their formulas and sources, are listed in the comment below the imports.
"""

from refnet._checks import as_float, as_int, as_list, same_length, shown
from refnet.errors import DomainError, InputError, ShapeError
from refnet.value import Value

# Regression (000_f9a23462f49faea1.txt, 001_251e29975c1497b8.txt):
#     mse                  (1/n) Σ (y − t)²          mean over every element, as numpy's .mean()
#     mae                  (1/n) Σ |y − t|
#     mape                 (100/n) Σ |(t − y)/t|     a zero target raises DomainError
#     half_squared_error   ½ Σⱼ (tⱼ − yⱼ)² per example, then the batch mean   (003_83fae8590fc0f361.txt)
# Classification (000, 001, 002_22dd3b33c61b9037.txt), in refnet/classification_losses.py and
# loaded from there on first use (`losses.softmax_cross_entropy`, `from refnet.losses import …`):
#     binary_cross_entropy, categorical_cross_entropy, sparse_categorical_cross_entropy,
#     softmax_cross_entropy, multiclass_hinge, binary_hinge
# Regularisation (002): l2_regularization = λ Σ w², in refnet/regularization.py, loaded from there
# on first use like the classification losses.

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Sequence, Tuple

    from refnet.classification_losses import (binary_cross_entropy as binary_cross_entropy, binary_hinge as binary_hinge,
                                              categorical_cross_entropy as categorical_cross_entropy,
                                              multiclass_hinge as multiclass_hinge,
                                              softmax_cross_entropy as softmax_cross_entropy,
                                              sparse_categorical_cross_entropy as sparse_categorical_cross_entropy)
    from refnet.regularization import l2_regularization as l2_regularization

CLASSIFICATION_LOSSES = ("binary_cross_entropy", "categorical_cross_entropy", "sparse_categorical_cross_entropy",
                         "softmax_cross_entropy", "multiclass_hinge", "binary_hinge")


def __getattr__(name: str) -> object:
    """A classification loss, loaded from refnet/classification_losses.py on first use, or
    l2_regularization, from refnet/regularization.py (PEP 562)."""
    if name in CLASSIFICATION_LOSSES:
        import refnet.classification_losses

        return getattr(refnet.classification_losses, name)
    if name == "l2_regularization":
        import refnet.regularization

        return refnet.regularization.l2_regularization
    raise AttributeError(f"module 'refnet.losses' has no attribute {name!r}")


def _value(x: "Any", where: str) -> Value:
    return x if isinstance(x, Value) else Value(as_float(x, where))


def _batch(values: "Any", where: str) -> "List[Any]":
    if not isinstance(values, (list, tuple)):
        raise InputError(f"{where}: expected a list with one entry per example, got {type(values).__name__}")
    if len(values) == 0:
        raise ShapeError(f"{where}: expected at least one example, got an empty batch")
    return list(values)


def _elements(predictions: "Any", targets: "Any", where: str) -> "List[Tuple[Value, float, str]]":
    """(prediction, target, position) for every element of two equally shaped batches."""
    rows = _batch(predictions, f"{where}(predictions)")
    same_length(rows, _batch(targets, f"{where}(targets)"), where, "predictions", "targets")
    elements = []
    for n, (row, target_row) in enumerate(zip(rows, targets)):
        if isinstance(row, (list, tuple)):
            if not isinstance(target_row, (list, tuple)):
                raise ShapeError(f"{where}: example {n} has a row of {len(row)} predictions but a single target")
            same_length(row, target_row, f"{where}: example {n}", "predictions", "targets")
            for j, (y, t) in enumerate(zip(row, target_row)):
                elements.append((_value(y, f"{where}(predictions)"), as_float(t, f"{where}(targets)"), f"[{n}][{j}]"))
        else:
            if isinstance(target_row, (list, tuple)):
                raise ShapeError(f"{where}: example {n} has a single prediction but a row of targets")
            elements.append((_value(row, f"{where}(predictions)"), as_float(target_row, f"{where}(targets)"), f"[{n}]"))
    return elements


def mean(terms: "Sequence[Value]", count: int = 0) -> Value:
    """(1/n) Σ termsᵢ as one node, ∂/∂termᵢ = 1/n, with n = count or, by default, len(terms)."""
    as_list(terms, "mean(terms)", ShapeError, "Values")
    for index, term in enumerate(terms):
        if not isinstance(term, Value):
            raise InputError(f"mean(terms)[{index}]: expected a Value, got {shown(term)}")
    count = as_int(count, "mean(count)")
    n = count if count > 0 else len(terms)
    total = 0.0
    for term in terms:
        total += term.data
    return Value.fused(total / n, terms, [1.0 / n] * len(terms), "mean")


def mse(predictions: "Any", targets: "Any") -> Value:
    """MSE = (1/n) Σ (y − t)² over every element (001: L = ((y_true − y_pred) ** 2).mean())."""
    elements = _elements(predictions, targets, "mse")
    share = 1.0 / len(elements) if elements else 0.0
    # each term as ((y − t)/m)·(y − t): its gradient arrives as two halves (y − t)/m, so it stays
    # finite wherever 2(y − t)/m is, even when 2(y − t) alone would overflow
    return mean([((y - t) * share) * (y - t) for y, t, _ in elements], 1)


def mae(predictions: "Any", targets: "Any") -> Value:
    """MAE = (1/n) Σ |y − t| over every element (000); |x|′(0) = 0."""
    return mean([(y - t).abs() for y, t, _ in _elements(predictions, targets, "mae")])


def mape(predictions: "Any", targets: "Any") -> Value:
    """MAPE = (100/n) Σ |(t − y)/t|, the error relative to the target's size, in percent (000).

    A zero target has no relative error: DomainError, naming the example.
    """
    terms = []
    for y, t, position in _elements(predictions, targets, "mape"):
        if t == 0.0:
            raise DomainError(f"mape: target{position} is 0, and an error relative to 0 is undefined; "
                              "expected non-zero targets (use mae for these)")
        terms.append(((t - y) / t).abs() * 100.0)
    return mean(terms)


def half_squared_error(predictions: "Any", targets: "Any") -> Value:
    """E = ½ Σⱼ (tⱼ − yⱼ)² summed over the outputs of an example, averaged over the batch (003).

    Its derivative −(t − y) is the error term of 003's output-layer update. Each term is one
    node, ½(t − y)² computed as (½(t − y))·(t − y) and ∂/∂y = y − t as it is, so the gradient
    is finite wherever t − y is (2(t − y) would overflow for |t − y| > 9e307).
    """
    elements = _elements(predictions, targets, "half_squared_error")
    terms = []
    for y, t, _ in elements:
        error = t - y.data
        terms.append(Value.fused((0.5 * error) * error, [y], [-error], "half_squared"))
    return mean(terms, count=len(predictions))
