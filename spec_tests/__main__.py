"""python -m spec_tests (--backend SPEC | --backend-command CMD) [options]: run refnet's conformance suite.

The backend (exactly one of):
    --backend SPEC          refnet, refnet-dense, numpy, torch, jax, or MODULE[:ATTR] (a backend
                            class, factory or object; docs/writing-a-backend.md)
    --backend-command CMD   a program in any language answering JSON lines on stdin/stdout
                            (docs/backend-command.md; CPython and PyPy)

Options:
    --precision P           float64 or float32 (passed to a backend class; checked against the backend)
    --device D              passed to a backend class (e.g. cuda:0); --backend only
    --timeout SECONDS       per case, for --backend-command (default 60)
    --include PATTERN       run only cases whose id matches (repeatable; id, dotted prefix, or glob with *)
    --exclude PATTERN       skip cases whose id matches (repeatable)
    --expectations FILE     known failures, one "<id or pattern> <reason>" a line
    --strict-expectations   an unexpected pass of a known failure fails the run
    --report FILE           write a JSON report (fixtures/schemas/report.schema.json)
    --fixtures DIR          the fixture folder (default: the fixtures installed with spec_tests)
    --list                  print the selected case ids and stop (no backend needed)
    --quiet                 print failures and the closing line only
    --help, -h              print this and stop

Before any case runs, every fixture file is checked (JSON, its family's schema, unique ids);
every problem is listed with its file, case and field.

The closing line is "N passed, N failed, N unsupported". Exit status:
    0   every selected case passed (unsupported cases and known failures do not fail a run)
    1   a case failed (or, with --strict-expectations, a known failure passed)
    2   the run could not start: a usage error, a fixture problem, or a backend that cannot
        be imported or created; one line "spec_tests: ..." on stderr says what and where
"""

import json
import os
import sys

from spec_tests import SUITE_VERSION
from spec_tests import cases as case_files
from spec_tests import engine, expectations, validate
from spec_tests.protocol import PRECISIONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any, Dict, List, Optional, Tuple

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_CANNOT_START = 2

REPEATABLE = ("--include", "--exclude")
VALUED = ("--backend", "--backend-command", "--precision", "--device", "--timeout", "--expectations", "--report",
          "--fixtures") + REPEATABLE
FLAGS = ("--list", "--quiet", "--strict-expectations", "--help", "-h")


class UsageError(Exception):
    """The run cannot start; the message is one line naming the option, what was expected and what was given."""


def parse_arguments(argv: "List[str]") -> "Dict[str, Any]":
    options = {"--include": [], "--exclude": []}  # type: Dict[str, Any]
    i = 0
    while i < len(argv):
        argument = argv[i]
        name, equals, value = argument.partition("=") if argument.startswith("--") else (argument, "", "")
        if name in VALUED:
            if not equals:
                if i + 1 >= len(argv):
                    raise UsageError(name + ": expected a value after it, got nothing")
                i += 1
                value = argv[i]
            if name in REPEATABLE:
                options[name].append(value)
            elif name in options:
                raise UsageError(name + ": expected once, got twice (" + repr(options[name]) + " and " + repr(value) + ")")
            else:
                options[name] = value
        elif argument in FLAGS:
            options[argument] = True
        else:
            raise UsageError("expected an option listed by --help, got " + repr(argument))
        i += 1
    return options


def check_options(options: "Dict[str, Any]") -> None:
    """The combinations and values that cannot work, before anything is loaded."""
    if "--backend" in options and "--backend-command" in options:
        raise UsageError("expected one of --backend and --backend-command, got both")
    if "--backend" not in options and "--backend-command" not in options and "--list" not in options:
        raise UsageError("--backend is required (or --backend-command), e.g. --backend refnet or "
                         "--backend mypackage.backend:Backend; got neither")
    precision = options.get("--precision", "")
    if "--precision" in options and precision not in PRECISIONS:
        raise UsageError("--precision: expected " + " or ".join(PRECISIONS) + ", got " + repr(precision))
    if "--timeout" in options:
        if "--backend-command" not in options:
            raise UsageError("--timeout: applies to --backend-command only, got it with --backend")
        seconds = None  # type: Optional[float]
        try:
            seconds = float(options["--timeout"])
        except ValueError:
            seconds = None
        if seconds is None or not seconds > 0.0 or seconds == float("inf"):
            raise UsageError("--timeout: expected a positive number of seconds, got " + repr(options["--timeout"]))
    if "--device" in options and "--backend-command" in options:
        raise UsageError("--device: applies to --backend only, got it with --backend-command")


def open_report(path: str) -> "IO[str]":
    """The report file, opened now so that an unwritable path stops the run before it starts
    (and removed again if the run then cannot start)."""
    try:
        return open(path, "w")
    except OSError as error:
        raise UsageError("--report: expected a file it can write, got " + repr(path) + " (" + engine.one_line(error) + ")")


def fixture_directory(options: "Dict[str, Any]") -> str:
    if "--fixtures" not in options:
        return case_files.default_directory()
    directory = str(options["--fixtures"]).rstrip("/") or "/"
    if not case_files.is_directory(directory):
        raise UsageError("--fixtures: expected a folder of fixture files (*.json), got " + repr(options["--fixtures"])
                         + ", which is not a folder")
    return directory


def choose_cases(options: "Dict[str, Any]") -> "Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]":
    """(every case, the selected ones); FixtureError for a fixture problem, UsageError for an empty choice."""
    directory = fixture_directory(options)
    if not case_files.fixture_files(directory):
        where = "--fixtures" if "--fixtures" in options else "fixtures"
        raise UsageError(where + ": expected fixture files (*.json) in " + validate.display(directory) + ", found none")
    every_case = case_files.load_cases(directory)
    if not every_case:
        raise UsageError("fixtures: expected cases in the fixture files of " + validate.display(directory) + ", found none")
    chosen = case_files.select(every_case, options["--include"], options["--exclude"])
    if not chosen:
        given = ["--include " + p for p in options["--include"]] + ["--exclude " + p for p in options["--exclude"]]
        raise UsageError("expected a selection of at least one of the " + str(len(every_case)) + " cases, got none from "
                         + " ".join(given) + " (ids look like " + every_case[0]["id"] + ")")
    return every_case, chosen


def make_backend(options: "Dict[str, Any]") -> "Tuple[Any, str]":
    """(backend, how to name it again on the command line)."""
    precision = options.get("--precision", "")
    if "--backend-command" in options:
        command = str(options["--backend-command"])
        timeout = float(options.get("--timeout", "60"))
        return engine.load_command_backend(command, precision, timeout), "--backend-command " + engine.double_quote(command)
    spec = str(options["--backend"])
    return engine.load_backend(spec, precision, options.get("--device", "")), spec


def rerun_options(options: "Dict[str, Any]") -> str:
    """The options besides the backend and precision that a re-run of one case needs: --fixtures and --timeout."""
    text = ""
    for name in ("--fixtures", "--timeout"):
        if name in options:
            text += " " + name + " " + engine.shell_quote(str(options[name]))
    return text


def counted(count: int, one: str, many: str) -> str:
    """"1 unexpected pass", "2 unexpected passes"."""
    return str(count) + " " + (one if count == 1 else many)


def cannot_start(lines: "List[str]") -> int:
    for line in lines:
        print("spec_tests: " + line, file=sys.stderr)
    return EXIT_CANNOT_START


def main(argv: "List[str]") -> int:
    report_handle = None  # type: Optional[IO[str]]
    backend = None  # type: Any
    started = False
    try:
        options = parse_arguments(argv)
        if "--help" in options or "-h" in options:
            print(__doc__)
            return EXIT_PASSED
        check_options(options)
        entries = []  # type: List[Tuple[str, str]]
        if "--expectations" in options:
            try:
                entries = expectations.load(options["--expectations"])
            except OSError as error:
                raise UsageError("--expectations: expected a file it can read, got " + repr(options["--expectations"])
                                 + " (" + engine.one_line(error) + ")")
            except ValueError as error:
                raise UsageError("--expectations: " + str(error))
        if "--report" in options:
            report_handle = open_report(options["--report"])
        every_case, chosen = choose_cases(options)
        if "--list" in options:
            for item in chosen:
                print(item["id"])
            return EXIT_PASSED
        backend, spec = make_backend(options)
        started = True
        return run(options, backend, spec, every_case, chosen, entries, report_handle)
    except UsageError as error:
        return cannot_start([str(error)])
    except validate.FixtureError as error:
        return cannot_start(validate.problem_lines(error.problems))
    except engine.BackendError as error:
        return cannot_start([str(error)])
    finally:
        if report_handle is not None:
            report_handle.close()
            if not started:
                os.remove(options["--report"])
        if backend is not None and hasattr(backend, "close"):
            backend.close()


def run(options: "Dict[str, Any]", backend: "Any", spec: str, every_case: "List[Dict[str, Any]]",
        chosen: "List[Dict[str, Any]]", entries: "List[Tuple[str, str]]", report_handle: "Optional[IO[str]]") -> int:
    precision = options.get("--precision", "")
    quiet = "--quiet" in options
    strict = "--strict-expectations" in options
    if not quiet:
        print("refnet conformance suite " + SUITE_VERSION + ": backend " + engine.describe_backend(backend, spec) + ", "
              + engine.runtime_description() + ", " + str(len(chosen)) + " cases")
    start = engine.clock()
    results = [engine.run_case(backend, item) for item in chosen]
    seconds = engine.clock() - start
    expectations.apply(results, entries)
    unmatched = ["expectation " + repr(p) + " matches no case" for p in expectations.unmatched(entries, [c["id"] for c in every_case])]
    warnings = list(unmatched)  # and each unexpected pass, printed once with its case
    for result in results:
        if result.status == "failed":
            print(engine.describe_failure(result, spec, precision, rerun_options(options)))
        elif result.status == "xpass":
            message = result.id + " passed but is listed as a known failure (" + result.reason + ")"
            if strict:
                print("UNEXPECTED PASS " + message + "; --strict-expectations makes this a failure of the run")
            else:
                print("warning: " + message)
            warnings.append(message)
        elif result.status == "unsupported" and not quiet:
            print("unsupported " + result.id + ": " + result.message)
    for warning in unmatched:
        print("warning: " + warning)
    if report_handle is not None:
        document = engine.report(results, backend, spec, SUITE_VERSION, seconds, warnings)
        report_handle.write(json.dumps(document))
    counts = engine.summary(results)["total"]
    line = str(counts["passed"]) + " passed, " + str(counts["failed"]) + " failed, " + str(counts["unsupported"]) + " unsupported"
    if counts["xfail"] or counts["xpass"]:
        line += ", " + counted(counts["xfail"], "known failure", "known failures") + ", " \
                + counted(counts["xpass"], "unexpected pass", "unexpected passes")
    if not quiet:
        print("time: " + ("%.2f" % seconds) + " s")
    print(line)
    return EXIT_FAILED if counts["failed"] or (strict and counts["xpass"]) else EXIT_PASSED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
