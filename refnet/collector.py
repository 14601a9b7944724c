"""Pausing Python's cyclic garbage collector while a graph is built and walked.

A training step creates and drops hundreds of thousands of small objects. CPython's cyclic
collector runs every few hundred allocations and, as the heap grows, re-scans everything
that is alive: on a large graph that is most of a step's time, yet refnet's graphs hold no
reference cycles (children and local derivatives, no closures), so reference counting alone
frees them. `paused()` switches the collector off for the duration of a `with` block and
restores it after, on CPython only: PyPy's collector is generational and cheap (pausing it
makes things slower there) and MicroPython's frees memory only when it runs.

    with collector.paused():
        loss = model_loss(...)
        loss.backward()

Value.backward() and train.fit() pause it themselves. The block may nest; the collector is
switched back on only by the block that switched it off.
"""

import gc
import sys

PAUSES = sys.implementation.name == "cpython"


class paused:
    """Context manager: the cyclic collector off inside the block (CPython only)."""

    __slots__ = ("_switched_off",)

    def __init__(self) -> None:
        self._switched_off = False

    def __enter__(self) -> "paused":
        if PAUSES and gc.isenabled():
            gc.disable()
            self._switched_off = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._switched_off:
            gc.enable()
            self._switched_off = False
