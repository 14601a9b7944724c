"""python -m spec_tests.serve --backend SPEC [--precision P]: any adapter, behind the line protocol.

The backend's side of docs/backend-command.md, over any adapter the suite can load (refnet,
refnet-dense, numpy, torch, or MODULE[:ATTR], through spec_tests.engine.load_backend). It
reads one JSON request a line from stdin and writes one JSON reply a line to stdout, flushed,
until stdin ends. So the protocol is checked from both ends: running the suite with

    python -m spec_tests --backend-command "python -m spec_tests.serve --backend refnet"

gives the same passed, failed and unsupported cases as `--backend refnet`. It is also a small
worked example of a backend program.

Each request is answered as spec_tests.engine.run_case would treat the adapter directly:

    no method for the family, or supports(id) false, or Unsupported raised  → {"unsupported": reason}
    any other exception                                                     → {"error": "Type: message"}
    a result                                                                → {"result": …}

The request's precision picks the adapter: one is loaded per precision and kept. A precision
the adapter cannot run in (refnet in float32) makes the request unsupported, saying why.
While the adapter runs, print() goes to stderr, so that nothing but replies reaches stdout.
Portable: CPython, PyPy and MicroPython (sys.stdin.readline and json only).
"""

import json
import sys

from spec_tests import cases as case_files
from spec_tests import engine
from spec_tests.compare import encode
from spec_tests.protocol import PRECISIONS, Unsupported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional

USAGE = "usage: python -m spec_tests.serve --backend SPEC [--precision float64|float32] [--device D]"


class Server:
    """Answers requests with an adapter: `reply(request) -> reply`, `answer(line) -> line`."""

    def __init__(self, spec: str, precision: str = "", device: str = "") -> None:
        self.spec = spec
        self.device = device
        self.loaded = {}  # type: Dict[str, Any]
        self.refused = {}  # type: Dict[str, str]
        first = engine.load_backend(spec, precision, device)  # an adapter that cannot load stops the program here
        self.default_precision = str(first.precision)
        self.loaded[self.default_precision] = first

    def backend(self, precision: str) -> "Any":
        """The adapter for `precision`, loaded once; Unsupported when it cannot run in that precision."""
        if precision in self.loaded:
            return self.loaded[precision]
        if precision not in self.refused:
            if precision not in PRECISIONS:
                self.refused[precision] = ("request precision: expected one of " + ", ".join(PRECISIONS)
                                           + ", got " + repr(precision))
            else:
                try:
                    self.loaded[precision] = engine.load_backend(self.spec, precision, self.device)
                    return self.loaded[precision]
                except ValueError as error:
                    self.refused[precision] = self.spec + " cannot run in " + precision + ": " + str(error)
        raise Unsupported(self.refused[precision])

    def reply(self, request: "Any") -> "Dict[str, Any]":
        """The reply to one decoded request, as a dict: id and one of result, unsupported, error."""
        if not isinstance(request, dict):
            return {"id": None, "error": "request: expected a JSON object, got " + type(request).__name__}
        case_id = request.get("id")
        for field in ("id", "family", "input"):
            if field not in request:
                return {"id": case_id, "error": "request: the field " + repr(field) + " is missing"}
        family, arguments = request["family"], request["input"]
        if not isinstance(arguments, dict):
            return {"id": case_id, "error": "request " + str(case_id) + ": 'input' must be an object of arguments"}
        try:
            backend = self.backend(str(request.get("precision") or self.default_precision))
            method = getattr(backend, str(family), None)
            supports = getattr(backend, "supports", None)
            if method is None:
                raise Unsupported("the backend has no '" + str(family) + "' method")
            if supports is not None and not supports(case_id):
                raise Unsupported("the backend declined this case")
            result = method(**case_files.decode(arguments))
        except Unsupported as reason:
            return {"id": case_id, "unsupported": str(reason) or "raised Unsupported"}
        except Exception as error:  # noqa: BLE001 - a backend's exception is the case's outcome
            return {"id": case_id, "error": type(error).__name__ + ": " + str(error)}
        return {"id": case_id, "result": encode(result)}

    def answer(self, line: str) -> str:
        """One request line in, one reply line out (without the newline)."""
        try:
            request = json.loads(line)
        except ValueError as error:
            return json.dumps({"id": None, "error": "request: not JSON (" + str(error) + ")"})
        return json.dumps(self.reply(request))


def parse_arguments(argv: "List[str]") -> "Optional[Dict[str, str]]":
    """{"--backend": …, "--precision": …, "--device": …} from argv, or None when it is not a valid command line."""
    options = {}  # type: Dict[str, str]
    i = 0
    while i < len(argv):
        name, equals, value = argv[i].partition("=")
        if name not in ("--backend", "--precision", "--device"):
            return None
        if not equals:
            if i + 1 >= len(argv):
                return None
            i += 1
            value = argv[i]
        options[name] = value
        i += 1
    return options if "--backend" in options else None


def flush(stream: "Any") -> None:
    if hasattr(stream, "flush"):
        stream.flush()


def main(argv: "List[str]") -> int:
    options = parse_arguments(argv)
    if options is None:
        sys.stderr.write(USAGE + "\n")
        return 2
    try:
        server = Server(options["--backend"], options.get("--precision", ""), options.get("--device", ""))
    except (ImportError, ValueError, AttributeError) as error:
        sys.stderr.write("spec_tests.serve: could not load --backend " + options["--backend"] + ": "
                         + type(error).__name__ + ": " + str(error) + "\n")
        return 2
    replies = sys.stdout
    try:
        sys.stdout = sys.stderr  # the adapter's print() must not break the protocol
    except (AttributeError, TypeError):
        pass
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        if not line.strip():
            continue
        try:
            replies.write(server.answer(line) + "\n")
            flush(replies)
        except OSError:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
