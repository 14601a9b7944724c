"""The exceptions refnet raises: one base class and three kinds of mistake.

Every message says what was wrong, what was expected, and where (which op, which
layer, which argument), so that a student reading a traceback knows what to fix.

    RefnetError          catch this to catch anything refnet raises on purpose
    ├── InputError       an argument of the wrong type or outside its allowed range
    ├── DomainError      a number outside a function's mathematical domain (log 0, 0⁻¹)
    └── ShapeError       sizes that do not fit (a layer's input, a batch, a state dict)
"""

# Each class has a single base (MicroPython rejects multiple inheritance from
# built-in exceptions), and nothing here depends on exception chaining.


class RefnetError(Exception):
    """Base class of every error refnet raises on purpose."""


class InputError(RefnetError):
    """An argument has the wrong type or a value outside its allowed range."""


class DomainError(RefnetError):
    """A number lies outside the mathematical domain of the function applied to it."""


class ShapeError(RefnetError):
    """Two sizes that must agree do not (a layer's input, a batch, a state dict)."""
