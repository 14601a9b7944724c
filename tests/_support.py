"""Helpers for the plain tests: they run under pytest and under tools/plain_runner.py alike.

No pytest here: MicroPython has none, so tests use bare asserts and these few helpers.
"""

import sys

DEEP_CHAIN = 1000000 if sys.implementation.name in ("cpython", "pypy") else 100000


class Skipped(Exception):
    """A test that cannot run here (a missing dependency, a runtime without processes).

    tools/plain_runner.py counts it as skipped, with its reason; under pytest, skip() raises
    pytest's own skip instead, so pytest counts it the same way.
    """


def skip(reason):
    """Stop the calling test as skipped, saying why; never counted as a pass.

    Called at the top of a test module (a whole file that cannot run on this runtime), it skips
    the module: tools/plain_runner.py counts one skipped module, pytest skips its tests.
    """
    pytest = sys.modules.get("pytest")
    if pytest is not None:
        pytest.skip(reason, allow_module_level=True)
    raise Skipped(reason)


def need_module(name):
    """Import and return the module `name`, or skip the calling test when it is not installed."""
    try:
        return __import__(name)
    except ImportError:
        skip(name + " is not installed on " + sys.implementation.name)


def need_processes():
    """The subprocess module, or skip the calling test where this runtime cannot start a process.

    Decided by the capability, not by the runtime's name: Pyodide says it is "cpython" but runs
    under Emscripten (sys.platform "emscripten"), where subprocess imports and then raises
    OSError 138 for every process; WASI has no processes either; MicroPython has no subprocess
    module; an embedded interpreter may have no sys.executable to start.
    """
    if sys.platform in ("emscripten", "wasi"):
        skip("no processes under " + sys.platform + " (" + sys.implementation.name + ")")
    try:
        import subprocess
    except ImportError:
        skip("no subprocess module on " + sys.implementation.name)
    if not getattr(sys, "executable", ""):
        skip("sys.executable is empty on " + sys.implementation.name + ": no interpreter to start")
    return subprocess


def raises(expected, function, *args, **kwargs):
    """Call function(*args, **kwargs) and return the exception it raises; fail if it raises none
    or one of another class."""
    try:
        function(*args, **kwargs)
    except expected as error:
        return error
    except Exception as error:  # noqa: BLE001 - a wrong exception class is a test failure
        raise AssertionError(f"expected {expected.__name__}, got {type(error).__name__}: {error}")
    raise AssertionError(f"expected {expected.__name__}, nothing was raised")


def close(actual, expected, rel=1e-12, abs_tol=0.0):
    """True when |actual − expected| <= max(rel·max(|actual|, |expected|), abs_tol)."""
    return abs(actual - expected) <= max(rel * max(abs(actual), abs(expected)), abs_tol)


def all_close(actual, expected, rel=1e-12, abs_tol=0.0):
    """close() for every pair of two equally long lists."""
    return len(actual) == len(expected) and all(close(a, e, rel, abs_tol) for a, e in zip(actual, expected))


def rounds_to(actual, printed, decimals):
    """True when `actual` rounds to the number a document prints with `decimals` decimals.

    Compared by distance, not with round(), whose last bit differs between runtimes.
    """
    return abs(actual - printed) <= 0.5 * 10.0 ** -decimals * (1.0 + 1e-9)


SCRATCH_COUNT = [0]


def scratch_folder(prefix="refnet_"):
    """A new empty folder: tempfile's where it exists, else /tmp/PREFIXn (MicroPython), emptied of
    the files an earlier run left there."""
    import os
    SCRATCH_COUNT[0] += 1
    try:
        import tempfile
    except ImportError:
        tempfile = None
    if tempfile is not None:
        return tempfile.mkdtemp(prefix=prefix)
    folder = "/tmp/" + prefix + str(SCRATCH_COUNT[0])
    for path in ("/tmp", folder):
        try:
            os.mkdir(path)
        except OSError:  # it exists already
            pass
    for name in os.listdir(folder):
        os.remove(folder + "/" + name)
    return folder
