"""Pausing Python's cyclic garbage collector while a graph is built and walked.

`paused()` switches CPython's collector off for the duration of a `with` block (refnet's graphs
hold no reference cycles); FREES_RECURSIVELY tells where a graph must be cut before it is dropped.
"""

import gc
import sys

PAUSES = sys.implementation.name == "cpython"

# Letting a graph go: dropping the last reference to a graph frees it node by node, recursively
# down its chains. A runtime whose deallocation has a small stack (Pyodide 314, CPython 3.14 in
# WebAssembly: about 3,000 linked objects) stops there with "Maximum call stack size exceeded";
# Value.release() cuts the graph first, iteratively. FREES_RECURSIVELY is True on such runtimes
# (WebAssembly, sys.platform "emscripten"), where train.fit() releases each step's graph.
FREES_RECURSIVELY = sys.platform == "emscripten"


# A training step creates and drops hundreds of thousands of small objects. CPython's cyclic
# collector runs every few hundred allocations and, as the heap grows, re-scans everything
# that is alive: on a large graph that is most of a step's time, yet refnet's graphs hold no
# reference cycles (children and local derivatives, no closures), so reference counting alone
# frees them. `paused()` switches the collector off for the duration of a `with` block and
# restores it after, on CPython only: PyPy's collector is generational and cheap (pausing it
# makes things slower there) and MicroPython's frees memory only when it runs.
#
#     with collector.paused():
#         loss = model_loss(...)
#         loss.backward()
#
# Value.backward() and train.fit() pause it themselves. The block may nest; the collector is
# switched back on only by the block that switched it off. An interrupt (Ctrl-C) that lands in
# `__enter__` after the collector went off skips `__exit__`; the block's object is dropped then,
# and its `__del__` switches the collector back on.
class paused:
    """Context manager: the cyclic collector off inside the block (CPython only)."""

    __slots__ = ("_switched_off",)

    def __init__(self) -> None:
        self._switched_off = False

    def __enter__(self) -> "paused":
        if PAUSES and gc.isenabled():
            self._switched_off = True
            gc.disable()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._switched_off:
            gc.enable()
            self._switched_off = False

    def __del__(self) -> None:
        # __exit__ never ran: __enter__ was interrupted after switching it off (or __init__, before)
        if getattr(self, "_switched_off", False):
            gc.enable()
