"""Argument checks shared by every module: each failure names where, what was expected and what was given.

`where` is the function and argument, as a user wrote them: "Adam(eps)", "PRNG.uniform(low)".
"""

import math

from refnet.errors import InputError, ShapeError

# MicroPython's bool is not an int (isinstance(True, int) is False there), and CPython's is, so
# every check names bool explicitly: True is never taken for the number 1.

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Sequence, Tuple

INFINITY = float("inf")


def shown(value: "Any") -> str:
    """A given value as a message shows it: its type and a short repr ('str 'abc'', 'NoneType None')."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 30:
        return f"an integer of {len(str(abs(value)))} digits"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def as_float(value: "Any", where: str) -> float:
    """`value` as a float; a bool, a non-number or an int too large for a float raises InputError."""
    if type(value) is float:  # the common case, first
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: expected a number (int or float), got {shown(value)}")
    try:
        number = float(value)
    except OverflowError:  # CPython; MicroPython returns inf instead
        number = INFINITY
    if isinstance(value, int) and math.isinf(number):
        raise InputError(f"{where}: expected a number within the float range (below 1.8e308), got {shown(value)}")
    return number


def as_int(value: "Any", where: str, minimum: int = 0) -> int:
    """`value` as an int of at least `minimum`; a bool, a float or a smaller int raises InputError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}: expected an integer, got {shown(value)}")
    if value < minimum:
        raise InputError(f"{where}: expected an integer >= {minimum}, got {value}")
    return value


def as_bool(value: "Any", where: str) -> bool:
    """`value` if it is True or False; anything else (1, 'yes', None) raises InputError."""
    if value is not True and value is not False:
        raise InputError(f"{where}: expected True or False, got {shown(value)}")
    return bool(value)


def as_text(value: "Any", where: str) -> str:
    """`value` if it is a str; anything else raises InputError."""
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a str, got {shown(value)}")
    return value


def one_of(value: "Any", where: str, choices: "Sequence[str]", what: str = "name") -> str:
    """`value` if it is one of `choices`; otherwise InputError listing them."""
    if not isinstance(value, str) or value not in choices:
        raise InputError(f"{where}: unknown {what} {value!r}; expected one of {', '.join(choices)}")
    return value


def as_callable(value: "Any", where: str) -> "Any":
    """`value` if it can be called; otherwise InputError."""
    if not callable(value):
        raise InputError(f"{where}: expected a function, got {shown(value)}")
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


def as_list(values: "Any", where: str, empty_error: "Any" = ShapeError, what: str = "items") -> "List[Any]":
    """`values` as a list, if it is a non-empty list or tuple; otherwise InputError (or
    `empty_error` for an empty one; with empty_error None an empty one is fine)."""
    if not isinstance(values, (list, tuple)):
        raise InputError(f"{where}: expected a list of {what}, got {shown(values)}")
    if len(values) == 0 and empty_error is not None:
        raise empty_error(f"{where}: expected a non-empty list of {what}, got an empty one")
    return list(values)


def as_float_list(values: "Any", where: str, empty_error: "Any" = InputError) -> "List[float]":
    """A non-empty list or tuple of numbers as a list of floats; anything else raises InputError."""
    as_list(values, where, empty_error, "numbers")
    return [as_float(value, f"{where}[{index}]") for index, value in enumerate(values)]


def as_matrix(rows: "Any", where: str, columns: int = -1) -> "List[List[float]]":
    """A non-empty list of equally long, non-empty rows of numbers, as lists of floats (with
    `columns` >= 0, of exactly that many numbers each); otherwise InputError or ShapeError."""
    as_list(rows, where, ShapeError, "rows")
    matrix = []
    for n, row in enumerate(rows):
        if not isinstance(row, (list, tuple)):
            raise InputError(f"{where}: expected row {n} to be a list of numbers, got {shown(row)}")
        wanted = columns if columns >= 0 else len(rows[0]) if isinstance(rows[0], (list, tuple)) else len(row)
        if len(row) != wanted or len(row) == 0:
            raise ShapeError(f"{where}: expected rows of {wanted} numbers, got {len(row)} in row {n}")
        matrix.append([as_float(value, f"{where}[{n}][{i}]") for i, value in enumerate(row)])
    return matrix


def as_label(value: "Any", where: str, classes: int) -> int:
    """A class label: an int in [0, classes); a non-int or a negative int raises InputError, a label
    beyond the classes ShapeError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{where}: expected an integer class label >= 0, got {shown(value)}")
    if value >= classes:
        raise ShapeError(f"{where}: expected a class label in [0, {classes - 1}] for {classes} classes, got {value}")
    return value


def same_length(first: "Sequence[Any]", second: "Sequence[Any]", where: str, first_name: str,
                second_name: str) -> int:
    """The common length of two sequences; different lengths raise ShapeError naming both."""
    if len(first) != len(second):
        raise ShapeError(f"{where}: {first_name} has {len(first)} items but {second_name} has {len(second)}; "
                         "expected the same number")
    return len(first)


def pair_of(values: "Any", where: str, low: float, high: float) -> "Tuple[float, float]":
    """Two numbers, each in [low, high): Adam's betas."""
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        raise InputError(f"{where}: expected a pair of numbers, got {shown(values)}")
    name = where[:-1] if where.endswith(")") else where
    return (in_range(values[0], f"{name}[0])", low, high, include_high=False),
            in_range(values[1], f"{name}[1])", low, high, include_high=False))


ONLY_FLOATS = {float}


def float_list(values: "Any", where: str, empty_error: "Any" = ShapeError) -> "List[float]":
    """`values` itself when it is a non-empty list of floats (checked at C speed); otherwise
    as_float_list's checks and conversion."""
    if type(values) is list and values and set(map(type, values)) == ONLY_FLOATS:
        return values
    return as_float_list(values, where, empty_error)


def not_numbers(values: "Any", where: str) -> InputError:
    """The InputError for an iterable that held something other than numbers (or was none):
    names the first offending item. Called after arithmetic on `values` raised TypeError."""
    try:
        items = list(values)
    except TypeError:
        return InputError(f"{where}: expected a list of numbers, got {shown(values)}")
    for index, value in enumerate(items):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return InputError(f"{where}[{index}]: expected a number (int or float), got {shown(value)}")
    return InputError(f"{where}: expected a list of numbers, got {shown(values)}")
