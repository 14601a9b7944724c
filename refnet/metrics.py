"""Accuracy: how often the network is right, for comparing models (000_f9a23462f49faea1.txt).

Loss is the continuous measure the weights are trained on; accuracy is the share of examples
classified correctly (nan when an output is nan: a nan is no decision, and counting it either
way would hide it): "everything above 0.5 counts as 1" for one output (000), and the
largest output as the predicted class for several (003_83fae8590fc0f361.txt: "predicted
class is output node yᵢ with highest value").
"""

from refnet._checks import as_float, as_int, as_label, as_list, same_length
from refnet.errors import InputError, ShapeError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Sequence

NAN = float("nan")


def _number(x: "Any", where: str) -> float:
    return x.data if isinstance(x, Value) else as_float(x, where)


def _nonempty(values: "Any", where: str) -> "List[Any]":
    return as_list(values, where, InputError, "entries, one per example")


def argmax(scores: "Sequence[Any]") -> int:
    """The index of the largest score; the first one at a tie; the first nan if there is one
    (as numpy.argmax and torch.argmax: nan counts as the largest)."""
    numbers = [_number(s, f"argmax(scores)[{j}]") for j, s in enumerate(_nonempty(scores, "argmax(scores)"))]
    best = 0
    for j in range(len(numbers)):
        if numbers[j] != numbers[j]:
            return j
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
        output = _number(y, "binary_accuracy(outputs)")
        target = _number(t, "binary_accuracy(targets)")
        if output != output or target != target:
            return NAN  # a nan output is no decision: the accuracy is nan, not a count that hides it
        if (output > cut) == (target > cut):
            correct += 1
    return correct / len(predicted)


def argmax_accuracy(scores: "Any", labels: "Any") -> float:
    """Share of examples whose largest score is at the integer label (003)."""
    rows = _nonempty(scores, "argmax_accuracy(scores)")
    checked = _nonempty(labels, "argmax_accuracy(labels)")
    same_length(rows, checked, "argmax_accuracy", "scores", "labels")
    correct = 0
    nan_seen = False
    for n, (row, label) in enumerate(zip(rows, checked)):
        row = as_list(row, f"argmax_accuracy(scores)[{n}]", ShapeError, "scores")
        best = argmax(row)
        expected = as_label(label, f"argmax_accuracy(labels)[{n}]", len(row))
        score = _number(row[best], "argmax_accuracy(scores)")
        if score != score:  # argmax stops at a nan: a row with a nan score has no decision
            nan_seen = True
        elif best == expected:
            correct += 1
    return NAN if nan_seen else correct / len(rows)
