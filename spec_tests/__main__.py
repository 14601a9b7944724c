"""python -m spec_tests --backend MODULE[:ATTR] [options]: run the conformance suite.

Options:
    --backend SPEC        the backend: refnet, numpy, torch, or MODULE[:ATTR] (required)
    --precision P         float64 or float32 (passed to a backend class; checked against the backend)
    --device D            passed to a backend class (e.g. cuda:0)
    --include PATTERN     run only cases whose id matches (repeatable; id, dotted prefix, or glob with *)
    --exclude PATTERN     skip cases whose id matches (repeatable)
    --expectations FILE   known failures, one "<id or pattern> <reason>" a line
    --report FILE         write a JSON report (fixtures/schemas/report.schema.json)
    --fixtures DIR        the fixture directory (default: fixtures/ beside spec_tests/)
    --list                print the selected case ids and stop
    --quiet               print failures and the closing line only

The closing line is "N passed, N failed, N unsupported"; the exit status is 1 when a case
failed (known failures from --expectations do not count) and 2 for a usage error.
"""

import json
import sys

from spec_tests import SUITE_VERSION
from spec_tests import cases as case_files
from spec_tests import engine, expectations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List

REPEATABLE = ("--include", "--exclude")
VALUED = ("--backend", "--precision", "--device", "--expectations", "--report", "--fixtures") + REPEATABLE
FLAGS = ("--list", "--quiet", "--help", "-h")


class UsageError(Exception):
    pass


def parse_arguments(argv: "List[str]") -> "Dict[str, Any]":
    options = {"--include": [], "--exclude": []}  # type: Dict[str, Any]
    i = 0
    while i < len(argv):
        argument = argv[i]
        name, equals, value = argument.partition("=")
        if name in VALUED:
            if not equals:
                if i + 1 >= len(argv):
                    raise UsageError(name + " needs a value")
                i += 1
                value = argv[i]
            if name in REPEATABLE:
                options[name].append(value)
            else:
                options[name] = value
        elif argument in FLAGS:
            options[argument] = True
        else:
            raise UsageError("unknown argument " + repr(argument) + " (see --help)")
        i += 1
    if "--help" not in options and "-h" not in options and "--backend" not in options:
        raise UsageError("--backend is required, e.g. --backend refnet or --backend mypackage.backend:Backend")
    return options


def main(argv: "List[str]") -> int:
    try:
        options = parse_arguments(argv)
    except UsageError as error:
        print("spec_tests: " + str(error))
        return 2
    if "--help" in options or "-h" in options:
        print(__doc__)
        return 0
    spec = options["--backend"]
    precision = options.get("--precision", "")
    try:
        backend = engine.load_backend(spec, precision, options.get("--device", ""))
        entries = expectations.load(options["--expectations"]) if "--expectations" in options else []
        every_case = case_files.load_cases(options.get("--fixtures", ""))
    except (ImportError, ValueError, OSError) as error:
        print("spec_tests: " + type(error).__name__ + ": " + str(error))
        return 2
    chosen = case_files.select(every_case, options["--include"], options["--exclude"])
    if "--list" in options:
        for item in chosen:
            print(item["id"])
        return 0
    quiet = "--quiet" in options
    if not quiet:
        print("refnet conformance suite " + SUITE_VERSION + ": backend " + str(getattr(backend, "name", spec)) + ", "
              + str(backend.precision) + (", device " + str(backend.device) if getattr(backend, "device", "") else "")
              + ", " + engine.runtime_description() + ", " + str(len(chosen)) + " cases")
    start = engine.clock()
    results = [engine.run_case(backend, item) for item in chosen]
    seconds = engine.clock() - start
    expectations.apply(results, entries)
    warnings = ["expectation " + repr(p) + " matches no case" for p in expectations.unmatched(entries, [c["id"] for c in every_case])]
    for result in results:
        if result.status == "failed":
            print(engine.describe_failure(result, spec, precision))
        elif result.status == "xpass":
            warnings.append(result.id + " passed but is listed as a known failure (" + result.reason + ")")
        elif result.status == "unsupported" and not quiet:
            print("unsupported " + result.id + ": " + result.message)
    for warning in warnings:
        print("warning: " + warning)
    if "--report" in options:
        document = engine.report(results, backend, spec, SUITE_VERSION, seconds, warnings)
        with open(options["--report"], "w") as handle:
            handle.write(json.dumps(document))
    counts = engine.summary(results)["total"]
    line = str(counts["passed"]) + " passed, " + str(counts["failed"]) + " failed, " + str(counts["unsupported"]) + " unsupported"
    if counts["xfail"] or counts["xpass"]:
        line += ", " + str(counts["xfail"]) + " known failures, " + str(counts["xpass"]) + " unexpected passes"
    if not quiet:
        print("time: " + ("%.2f" % seconds) + " s")
    print(line)
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
