"""Accuracy: how often the network is right, for comparing models (000_f9a23462f49faea1.txt).

Loss is the continuous measure the weights are trained on; accuracy is the share of examples
classified correctly: "everything above 0.5 counts as 1" for one output (000), and the
largest output as the predicted class for several (003_83fae8590fc0f361.txt: "predicted
class is output node yᵢ with highest value").
"""

from refnet._checks import as_float, as_int, same_length
from refnet.errors import InputError, ShapeError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Sequence


def _number(x: "Any", where: str) -> float:
    return x.data if isinstance(x, Value) else as_float(x, where)


def _nonempty(values: "Any", where: str) -> "List[Any]":
    if not isinstance(values, (list, tuple)) or len(values) == 0:
        raise InputError(f"{where}: expected a non-empty list with one entry per example")
    return list(values)


def argmax(scores: "Sequence[Any]") -> int:
    """The index of the largest score; the first one at a tie."""
    numbers = [_number(s, "argmax") for s in _nonempty(scores, "argmax")]
    best = 0
    for j in range(1, len(numbers)):
        if numbers[j] > numbers[best]:
            best = j
    return best


def binary_accuracy(outputs: "Any", targets: "Any", threshold: float = 0.5) -> float:
    """Share of examples where (output > threshold) equals (target > threshold); 0.5 by default (000)."""
    cut = as_float(threshold, "binary_accuracy(threshold)")
    predicted = _nonempty(outputs, "binary_accuracy(outputs)")
    expected = _nonempty(targets, "binary_accuracy(targets)")
    same_length(predicted, expected, "binary_accuracy", "outputs", "targets")
    correct = 0
    for y, t in zip(predicted, expected):
        if isinstance(y, (list, tuple)):
            if len(y) != 1:
                raise ShapeError(f"binary_accuracy: expected one output per example, got a row of {len(y)}")
            y = y[0]
        if (_number(y, "binary_accuracy(outputs)") > cut) == (_number(t, "binary_accuracy(targets)") > cut):
            correct += 1
    return correct / len(predicted)


def argmax_accuracy(scores: "Any", labels: "Any") -> float:
    """Share of examples whose largest score is at the integer label (003)."""
    rows = _nonempty(scores, "argmax_accuracy(scores)")
    checked = _nonempty(labels, "argmax_accuracy(labels)")
    same_length(rows, checked, "argmax_accuracy", "scores", "labels")
    correct = 0
    for n, (row, label) in enumerate(zip(rows, checked)):
        if argmax(row) == as_int(label, f"argmax_accuracy(labels)[{n}]"):
            correct += 1
    return correct / len(rows)
