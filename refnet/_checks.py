"""Argument checks shared by every module: each failure names what, where and what was expected."""

import math

from refnet.errors import InputError, ShapeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Sequence


def as_float(value: "Any", where: str) -> float:
    """`value` as a float; a bool, a non-number or an int too large for a float raises InputError."""
    if type(value) is float:  # the common case, first
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: expected a number (int or float), got {type(value).__name__} {value!r}")
    try:
        number = float(value)
    except OverflowError:  # CPython; MicroPython returns inf instead
        number = float("inf")
    if isinstance(value, int) and math.isinf(number):
        raise InputError(f"{where}: the integer {value} is too large to be a float")
    return number


def as_int(value: "Any", where: str, minimum: int = 0) -> int:
    """`value` as an int of at least `minimum`; a bool, a float or a smaller int raises InputError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}: expected an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise InputError(f"{where}: expected an integer >= {minimum}, got {value}")
    return value


def as_finite(value: "Any", where: str) -> float:
    """`value` as a finite float; inf and nan raise InputError."""
    number = as_float(value, where)
    if not math.isfinite(number):
        raise InputError(f"{where}: expected a finite number, got {number}")
    return number


def in_range(value: "Any", where: str, low: float, high: float, include_low: bool = True,
             include_high: bool = True) -> float:
    """`value` as a finite float inside [low, high] (ends open where asked); otherwise InputError."""
    number = as_finite(value, where)
    above_low = number >= low if include_low else number > low
    below_high = number <= high if include_high else number < high
    if not (above_low and below_high):
        left = "[" if include_low else "("
        right = "]" if include_high else ")"
        raise InputError(f"{where}: expected a value in {left}{low}, {high}{right}, got {number}")
    return number


def as_float_list(values: "Any", where: str) -> "List[float]":
    """A non-empty list or tuple of numbers as a list of floats; anything else raises InputError."""
    if not isinstance(values, (list, tuple)):
        raise InputError(f"{where}: expected a list of numbers, got {type(values).__name__}")
    if len(values) == 0:
        raise InputError(f"{where}: expected a non-empty list of numbers, got an empty one")
    return [as_float(value, f"{where}[{index}]") for index, value in enumerate(values)]


def same_length(first: "Sequence[Any]", second: "Sequence[Any]", where: str, first_name: str,
                second_name: str) -> int:
    """The common length of two sequences; different lengths raise ShapeError naming both."""
    if len(first) != len(second):
        raise ShapeError(f"{where}: {first_name} has {len(first)} items but {second_name} has {len(second)}; "
                         "expected the same number")
    return len(first)
