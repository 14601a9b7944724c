"""Classification losses: predicted probabilities or class scores against labels; each returns one Value.

refnet.losses re-exports every one of them, loaded on first use (a device that trains a regression
never holds this code); the shared batch checks and `mean` are refnet/losses.py's. Each loss is the
mean over the batch (000_f9a23462f49faea1.txt, 001_251e29975c1497b8.txt, 002_22dd3b33c61b9037.txt):

    binary_cross_entropy              −[t ln p + (1 − t) ln(1 − p)]
    categorical_cross_entropy         −Σⱼ tⱼ ln pⱼ on probabilities
    sparse_categorical_cross_entropy  −ln p_y with an integer label y
    softmax_cross_entropy             −ln softmax(s)_y on logits, fused and stable (002's Lᵢ)
    multiclass_hinge                  Σ_{j≠y} max(0, sⱼ − s_y + 1)   (002's SVM loss)
    binary_hinge                      max(0, 1 − y·s), y = ±1        (micrograd's demo)

Terms with a zero coefficient are left out (0 · ln 0 = 0), so a probability of exactly 0 is
fine where its target is 0; where the target is not 0 the loss is infinite and DomainError
says so. At a hinge's margin the gradient is 0 (the ReLU convention).
"""

from refnet import functional as F
from refnet._checks import as_float, as_label, same_length, shown
from refnet.errors import DomainError, InputError, ShapeError
from refnet.losses import _batch, _elements, _value, mean
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List


def _rows(predictions: "Any", where: str) -> "List[List[Value]]":
    """A batch of rows (one list of class scores per example) as Values."""
    rows = []
    for n, row in enumerate(_batch(predictions, f"{where}(predictions)")):
        if not isinstance(row, (list, tuple)) or len(row) == 0:
            raise ShapeError(f"{where}(predictions)[{n}]: expected a non-empty row of class scores, got {shown(row)}")
        rows.append([_value(y, f"{where}(predictions)") for y in row])
    return rows


def _labels(labels: "Any", rows: "List[List[Value]]", where: str) -> "List[int]":
    checked = _batch(labels, f"{where}(labels)")
    same_length(rows, checked, where, "predictions", "labels")
    for n, (label, row) in enumerate(zip(checked, rows)):
        as_label(label, f"{where}(labels)[{n}]", len(row))
    return checked


def _probability(p: Value, where: str) -> Value:
    if not 0.0 <= p.data <= 1.0 and p.data == p.data:  # nan passes, and makes the loss nan
        raise DomainError(f"{where}: expected a probability in [0, 1], got {p.data}")
    return p


def _minus_log(p: Value, where: str) -> Value:
    if p.data == 0.0:
        raise DomainError(f"{where}: probability 0 for a non-zero target makes the loss infinite; expected "
                          "p > 0 there (for logits, use softmax_cross_entropy)")
    return -p.log()


def binary_cross_entropy(probabilities: "Any", targets: "Any") -> Value:
    """BCE = −(1/n) Σ [t ln p + (1 − t) ln(1 − p)] for p in [0, 1] and t in [0, 1]."""
    terms = []
    for p, t, position in _elements(probabilities, targets, "binary_cross_entropy"):
        where = f"binary_cross_entropy at {position}"
        _probability(p, where)
        if not 0.0 <= t <= 1.0 and t == t:  # a nan target passes, and makes the loss nan
            raise DomainError(f"{where}: expected a target in [0, 1], got {t}")
        term = Value(0.0)
        if t != 0.0:
            term = term + _minus_log(p, where) * t
        if t != 1.0:
            term = term + _minus_log(1.0 - p, where) * (1.0 - t)
        terms.append(term)
    return mean(terms)


def categorical_cross_entropy(probabilities: "Any", targets: "Any") -> Value:
    """CCE = −(1/n) Σₙ Σⱼ tₙⱼ ln pₙⱼ: probabilities (softmax outputs) against one-hot or soft targets (000, 001)."""
    rows = _rows(probabilities, "categorical_cross_entropy")
    target_rows = _batch(targets, "categorical_cross_entropy(targets)")
    same_length(rows, target_rows, "categorical_cross_entropy", "probabilities", "targets")
    losses = []
    for n, (row, target_row) in enumerate(zip(rows, target_rows)):
        if not isinstance(target_row, (list, tuple)):
            raise ShapeError(f"categorical_cross_entropy: targets[{n}] must be a row of {len(row)} numbers")
        same_length(row, target_row, f"categorical_cross_entropy: example {n}", "probabilities", "targets")
        loss = Value(0.0)
        for j, (p, t) in enumerate(zip(row, target_row)):
            where = f"categorical_cross_entropy at [{n}][{j}]"
            weight = as_float(t, where)
            if not 0.0 <= weight <= 1.0 and weight == weight:  # a nan target passes, and makes the loss nan
                raise DomainError(f"{where}: expected a target in [0, 1], got {weight}")
            _probability(p, where)
            if weight != 0.0:
                loss = loss + _minus_log(p, where) * weight
        losses.append(loss)
    return mean(losses)


def sparse_categorical_cross_entropy(probabilities: "Any", labels: "Any") -> Value:
    """SCCE = −(1/n) Σₙ ln pₙ,yₙ with integer labels yₙ: categorical cross-entropy without one-hot (000)."""
    rows = _rows(probabilities, "sparse_categorical_cross_entropy")
    checked = _labels(labels, rows, "sparse_categorical_cross_entropy")
    losses = []
    for n, (row, label) in enumerate(zip(rows, checked)):
        where = f"sparse_categorical_cross_entropy at [{n}][{label}]"
        losses.append(_minus_log(_probability(row[label], where), where))
    return mean(losses)


def softmax_cross_entropy(logits: "Any", labels: "Any") -> Value:
    """Lᵢ = −ln(e^{s_y} / Σⱼ e^{sⱼ}) = logsumexp(s) − s_y on raw scores s (002), batch mean.

    One fused node per example with ∂Lᵢ/∂sⱼ = softmax(s)ⱼ − [j = y] (002's delta3 = probs − onehot).
    logsumexp subtracts the largest score first, so logits of ±1000 give a finite loss and gradient.
    `labels` holds an integer class per example, or a row of target probabilities tⱼ (then
    Lᵢ = logsumexp(s) − Σⱼ tⱼ sⱼ for targets summing to 1).
    """
    rows = _rows(logits, "softmax_cross_entropy")
    checked = _batch(labels, "softmax_cross_entropy(labels)")
    same_length(rows, checked, "softmax_cross_entropy", "logits", "labels")
    losses = []
    for n, (row, label) in enumerate(zip(rows, checked)):
        if isinstance(label, (list, tuple)):
            same_length(row, label, f"softmax_cross_entropy: example {n}", "logits", "target probabilities")
            target = [as_float(t, f"softmax_cross_entropy(labels)[{n}]") for t in label]
        else:
            as_label(label, f"softmax_cross_entropy(labels)[{n}]", len(row))
            target = [1.0 if j == label else 0.0 for j in range(len(row))]
        scores = [s.data for s in row]
        # Lᵢ = −Σⱼ tⱼ log softmax(s)ⱼ over the tⱼ ≠ 0 (= logsumexp(s) − Σⱼ tⱼ sⱼ for Σ t = 1), from
        # log_softmax, which does not cancel near 0; a class with tⱼ = 0 and sⱼ = −inf (masked) adds 0
        log_probabilities = F.log_softmax(scores)
        loss = 0.0
        for t, log_p in zip(target, log_probabilities):
            if t != 0.0:
                loss -= t * log_p
        probabilities = F.softmax(scores)
        local_grads = [p - t for p, t in zip(probabilities, target)]
        losses.append(Value.fused(loss, row, local_grads, "softmax_cross_entropy"))
    return mean(losses)


def multiclass_hinge(scores: "Any", labels: "Any", margin: float = 1.0) -> Value:
    """Lᵢ = Σ_{j≠y} max(0, sⱼ − s_y + Δ) with Δ = 1 (002's SVM loss), batch mean.

    At the margin (sⱼ − s_y + Δ = 0) the term's gradient is 0, as ReLU′(0) = 0.
    """
    delta = as_float(margin, "multiclass_hinge(margin)")
    rows = _rows(scores, "multiclass_hinge")
    checked = _labels(labels, rows, "multiclass_hinge")
    losses = []
    for row, label in zip(rows, checked):
        loss = Value(0.0)
        for j, s_j in enumerate(row):
            if j != label:
                loss = loss + (s_j - row[label] + delta).relu()
        losses.append(loss)
    return mean(losses)


def binary_hinge(scores: "Any", labels: "Any") -> Value:
    """L = (1/n) Σ max(0, 1 − y·s) with labels y = ±1 (micrograd's demo: (1 + −y·s).relu()).

    Each term is one node: ∂/∂s = −y where 1 − y·s > 0, else 0 (at the margin too, ReLU′(0) = 0),
    the same numbers as the three gates of micrograd's form.
    """
    terms = []
    for s, y, position in _elements(scores, labels, "binary_hinge"):
        if y not in (-1.0, 1.0):
            raise InputError(f"binary_hinge: label{position} is {y}; expected −1 or +1")
        gap = 1.0 - s.data * y
        if gap != gap:  # a nan score: nan value and slope
            terms.append(Value.fused(gap, [s], [gap], "hinge"))
        else:
            terms.append(Value.fused(gap if gap > 0.0 else 0.0, [s], [-y if gap > 0.0 else 0.0], "hinge"))
    return mean(terms)
