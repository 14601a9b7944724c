"""Run the plain tests without pytest: every `test_*` function of every `tests/test_*.py`.

    python tools/plain_runner.py [TESTS_DIR] [NAME_SUBSTRING ...]

Runs unchanged on CPython, PyPy and MicroPython (no pytest, no typing, no importlib). Each
failure prints the test's name and the error. A test that raises tests/_support.py's Skipped
(a missing dependency, a runtime without processes) is counted as skipped and its reason
printed, never as passed. The last line is "N passed, N failed, N skipped". The exit status is
1 when a test failed or no test ran.
"""

import os
import sys


def test_modules(directory):
    """The test module names in `directory`, sorted (MicroPython's listdir has no fixed order)."""
    names = [name[:-3] for name in os.listdir(directory) if name.startswith("test_") and name.endswith(".py")]
    return sorted(names)


def test_functions(module):
    """The module's `test_*` callables, sorted by name."""
    names = sorted(name for name in dir(module) if name.startswith("test_"))
    return [(name, getattr(module, name)) for name in names if callable(getattr(module, name))]


def describe(error):
    text = str(error)
    return type(error).__name__ + (": " + text if text else "")


def run(directory, wanted):
    passed = 0
    failed = 0
    skipped = 0
    for module_name in test_modules(directory):
        try:
            module = __import__(module_name)
        except Exception as error:  # noqa: BLE001 - an import failure is reported, not raised
            print("FAILED " + module_name + " (import): " + describe(error))
            failed += 1
            continue
        for name, function in test_functions(module):
            label = module_name + "::" + name
            if wanted and not any(part in label for part in wanted):
                continue
            try:
                function()
            except Exception as error:  # noqa: BLE001 - a skip, or a failure counted and shown
                if type(error).__name__ == "Skipped":
                    print("SKIPPED " + label + ": " + str(error))
                    skipped += 1
                    continue
                print("FAILED " + label + ": " + describe(error))
                failed += 1
            else:
                passed += 1
    return passed, failed, skipped


def main(argv):
    directory = argv[0] if argv else "tests"
    wanted = argv[1:]
    root = directory + "/.."
    for path in (root, directory):
        if path not in sys.path:
            sys.path.insert(0, path)
    passed, failed, skipped = run(directory, wanted)
    implementation = sys.implementation.name
    version = ".".join(str(part) for part in sys.implementation.version[:3])
    print(implementation + " " + version + ": " + str(passed) + " passed, " + str(failed) + " failed, " + str(skipped) + " skipped")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
