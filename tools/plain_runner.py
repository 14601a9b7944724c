"""Run the plain tests without pytest: every `test_*` function of every `tests/test_*.py`.

    python tools/plain_runner.py [TESTS_DIR] [NAME_SUBSTRING ...]

Runs unchanged on CPython, PyPy and MicroPython (no pytest, no typing, no importlib). The
last line is "N passed, N failed, N skipped", and every count is honest:

- passed: the test returned. A test that cannot run here does not return: it raises
  tests/_support.py's Skipped (skip(reason), need_module(name)), and is counted as skipped,
  with its reason printed. So is pytest's own skip, should pytest be imported.
- failed: the test raised anything else, SystemExit included (printed with the test's name).
  A test module that cannot be imported is one failure ("FAILED module (import): error"),
  whatever the name filter: the tests it holds cannot run, and nothing else says so.
- skipped: a module that raises Skipped while it is imported (a whole file that cannot exist
  on this runtime, saying why) counts as one skipped, "SKIPPED module (import): reason".

With NAME_SUBSTRINGs, only the tests whose "module::name" contains one of them run; a
substring that selects no test is an error (exit status 2, whatever the other substrings
selected), since a mistyped name would otherwise pass by running nothing. The exit status is 0 when tests ran
and none failed, 1 when a test failed or none passed, 2 for a name that selects nothing.
"""

import os
import sys

USAGE_ERROR = 2


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


def is_skip(error):
    """tests/_support.py's Skipped, or pytest's skip outcome (also named Skipped)."""
    return type(error).__name__ == "Skipped"


def run(directory, wanted, report=print):
    """Run the selected tests, passing each line to `report`; returns (passed, failed, skipped,
    the wanted parts that selected nothing, the modules that could not be imported)."""
    passed = 0
    failed = 0
    skipped = 0
    unused = list(wanted)
    not_imported = []
    for module_name in test_modules(directory):
        try:
            module = __import__(module_name)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - an import failure or skip is reported, not raised
            not_imported.append(module_name)
            if is_skip(error):
                report("SKIPPED " + module_name + " (import): " + str(error))
                skipped += 1
            else:
                report("FAILED " + module_name + " (import): " + describe(error))
                failed += 1
            continue
        for name, function in test_functions(module):
            label = module_name + "::" + name
            if wanted:
                matching = [part for part in wanted if part in label]
                if not matching:
                    continue
                unused = [part for part in unused if part not in matching]
            try:
                function()
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # noqa: BLE001 - a skip, or a failure counted and shown
                if is_skip(error):
                    report("SKIPPED " + label + ": " + str(error))
                    skipped += 1
                    continue
                report("FAILED " + label + ": " + describe(error))
                failed += 1
            else:
                passed += 1
    return passed, failed, skipped, unused, not_imported


def main(argv, report=print):
    directory = argv[0] if argv else "tests"
    wanted = argv[1:]
    root = directory + "/.."
    for path in (root, directory):
        if path not in sys.path:
            sys.path.insert(0, path)
    passed, failed, skipped, unused, not_imported = run(directory, wanted, report)
    implementation = sys.implementation.name
    version = ".".join(str(part) for part in sys.implementation.version[:3])
    for part in unused:
        note = "; these modules were not imported: " + ", ".join(not_imported) if not_imported else ""
        report("ERROR: plain_runner.py: no test in " + directory + "/test_*.py has a name containing " + repr(part)
              + "; expected a substring of a \"module::test_name\" label, such as test_value::test_data_and_grad" + note)
    report(implementation + " " + version + ": " + str(passed) + " passed, " + str(failed) + " failed, " + str(skipped) + " skipped")
    if unused:
        return USAGE_ERROR
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
