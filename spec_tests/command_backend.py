"""A backend in any language: a program that answers the suite's requests over stdin and stdout.

    python -m spec_tests --backend-command "node spec_tests/backends/javascript/backend.mjs"

docs/backend-command.md specifies the line protocol. In brief: the suite writes one JSON
request a line, {"id", "family", "precision", "input"}; the program writes exactly one JSON
reply a line, in order, {"id", "result"}, {"id", "unsupported"} or {"id", "error"}; non-finite
numbers are the strings "Infinity", "-Infinity" and "NaN" both ways.

What can go wrong, and what the case gets:

    reply {"error": message}        BackendError(message): passes an error case, fails any other
    reply {"unsupported": reason}   protocol.Unsupported(reason): the case is unsupported
    the process exits (crash)       BrokenBackend: its exit status and the tail of its stderr
    no reply within the timeout     BrokenBackend: the process is killed
    a malformed reply               BrokenBackend: not JSON, not an object, another id, extra lines

A BrokenBackend fails its case even where an error is expected (`always_fails`), and the next
case starts a fresh process. stdout is read by one thread and stderr drained by another, so a
backend that writes a lot to stderr never blocks, and a hanging one is noticed by a queue's
timeout (or, while a request is being written, by a timer), without busy waiting. After each
request `last_stderr` holds what the program wrote to stderr meanwhile (up to 64 KiB), and
`starts` counts the processes started. CPython and PyPy only (subprocess and threads).
"""

import json
import os
import queue
import shlex
import shutil
import subprocess
import threading
import time

from spec_tests import cases as case_files
from spec_tests import protocol
from spec_tests.compare import encode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any, Callable, Dict, List, NoReturn, Optional

STDERR_KEPT = 65536        # bytes of stderr kept per process
STDERR_SHOWN = 2000        # characters of it shown with a failure
LINE_SHOWN = 200           # characters of a malformed line shown
MESSAGE_SHOWN = 2000       # characters of an "error" or "unsupported" text kept
REPLY_KINDS = ("result", "unsupported", "error")


class BackendError(Exception):
    """The backend replied {"error": message}: what an error case expects, a failure elsewhere."""


class BrokenBackend(Exception):
    """The backend crashed, hung or broke the protocol: the case fails, whatever it expects."""

    always_fails = True


class CannotStart(ValueError):
    """The program cannot be run at all (not found, a folder, not executable): the run cannot start.
    The message is one line naming the program and what was wrong."""

    cannot_start = True


def program_problem(program: str) -> str:
    """What keeps `program` (a command line's first word) from being run, or "" when nothing does.

    A word with a "/" is a path; any other is looked up on PATH, as a shell does."""
    path = program if "/" in program else shutil.which(program)
    if path is None:
        found = shutil.which(program, mode=os.F_OK)
        if found is not None and os.path.isdir(found):
            return "found only the folder " + repr(found) + " on PATH, which is not a program"
        if found is not None:
            return "found " + repr(found) + " on PATH, but it is not executable"
        return "expected a program on PATH, found none named " + repr(program)
    if not os.path.exists(path):
        return "expected an existing program, got a path with no file: " + repr(path)
    if os.path.isdir(path):
        return "expected a program, got the folder " + repr(path)
    if not os.access(path, os.X_OK):
        return "expected an executable program, got " + repr(path) + ", which is not executable (chmod +x it, or " \
               "name its interpreter first)"
    return ""


class StderrTail:
    """The last STDERR_KEPT bytes a process wrote to stderr, drained by a thread as they come."""

    def __init__(self, stream: "IO[bytes]") -> None:
        self.kept = bytearray()
        self.total = 0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self.thread.start()

    def _drain(self, stream: "IO[bytes]") -> None:
        read = getattr(stream, "read1", stream.read)
        while True:
            try:
                chunk = read(65536)
            except (OSError, ValueError):
                chunk = b""
            if not chunk:
                stream.close()
                return
            with self.lock:
                self.kept.extend(chunk)
                self.total += len(chunk)
                if len(self.kept) > STDERR_KEPT:
                    del self.kept[:len(self.kept) - STDERR_KEPT]

    def since(self, mark: int) -> str:
        """What was written after `mark` (a former `total`), as much of it as is kept, decoded."""
        with self.lock:
            fresh = min(self.total - mark, len(self.kept))
            data = bytes(self.kept[len(self.kept) - fresh:]) if fresh > 0 else b""
        return data.decode("utf-8", "replace")


def shown(text: str, limit: int) -> str:
    """The last `limit` characters of text (a stderr tail), marked when cut."""
    return text if len(text) <= limit else "…" + text[-limit:]


def cut(text: str, limit: int) -> str:
    """The first `limit` characters of text (a reply's message), with the full length noted when cut."""
    if len(text) <= limit:
        return text
    return text[:limit] + "… (cut; " + str(len(text)) + " characters in all)"


class Process:
    """One running backend program: its pipes, a stdout reader thread and a stderr drain."""

    def __init__(self, arguments: "List[str]") -> None:
        self.popen = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      start_new_session=True)  # a group of its own, killed as one (POSIX)
        assert self.popen.stdin is not None and self.popen.stdout is not None and self.popen.stderr is not None
        self.stdin = self.popen.stdin
        self.expired = False
        self.lines = queue.Queue()  # type: queue.Queue[Optional[bytes]]
        self.stderr = StderrTail(self.popen.stderr)
        self.reader = threading.Thread(target=self._read, args=(self.popen.stdout,), daemon=True)
        self.reader.start()

    def _read(self, stream: "IO[bytes]") -> None:
        """Every line of stdout onto the queue, then None for the end of the output."""
        try:
            for line in iter(stream.readline, b""):
                self.lines.put(line)
        except (OSError, ValueError):
            pass
        finally:
            self.lines.put(None)
            stream.close()

    def kill(self) -> None:
        """Kill the program, and on POSIX its whole process group (children holding the pipes too).

        Only signals and waits, so that the watchdog thread may call it while a write is blocked;
        the reader threads close stdout and stderr when they reach their end.
        """
        try:
            if os.name == "posix":
                os.killpg(self.popen.pid, 9)
            elif self.popen.poll() is None:
                self.popen.kill()
        except OSError:
            pass
        try:
            self.popen.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            pass

    def expire(self) -> None:
        """The case's time is up while the request was being written: note it, and kill."""
        self.expired = True
        self.kill()

    def close_stdin(self) -> None:
        try:
            self.stdin.close()
        except (OSError, ValueError):
            pass

    def exit_status(self) -> str:
        """How the program ended, in words ("exited with status 3", "was killed by signal 9")."""
        try:
            code = self.popen.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            return "closed its stdout but is still running"
        if code < 0:
            return "was killed by signal " + str(-code)
        return "exited with status " + str(code)


class CommandBackend:
    """The suite's side of the line protocol: one method per family, each a request and a reply.

    `command` is split like a POSIX shell command line (shlex; no pipes or redirections: use
    `sh -c "…"` for those) and started on the first request; `timeout` is in seconds per case.
    """

    def __init__(self, command: str, precision: str = "float64", timeout: float = 60.0) -> None:
        if precision not in protocol.PRECISIONS:
            raise ValueError("--backend-command: expected a precision among " + ", ".join(protocol.PRECISIONS)
                             + ", got " + repr(precision))
        if not timeout > 0.0:
            raise ValueError("--backend-command: expected a timeout of more than 0 seconds, got " + repr(timeout))
        try:
            self.arguments = shlex.split(command)
        except ValueError as error:
            raise ValueError("--backend-command " + repr(command) + ": expected a command line split as a POSIX shell "
                             "does, got an error: " + str(error))
        if not self.arguments:
            raise ValueError("--backend-command: expected a command line, got " + repr(command))
        problem = program_problem(self.arguments[0])
        if problem:
            raise CannotStart("--backend-command " + repr(command) + ": program " + repr(self.arguments[0]) + ": "
                              + problem)
        self.command = command
        self.name = os.path.basename(self.arguments[0])
        self.precision = precision
        self.device = ""
        self.timeout = float(timeout)
        self.process = None  # type: Optional[Process]
        self.next_case_id = ""
        self.last_id = ""
        self.requests = 0
        self.starts = 0
        self.last_stderr = ""
        for family in protocol.FAMILIES:
            setattr(self, family, self._family_method(family))

    def _family_method(self, family: str) -> "Callable[..., Any]":
        def method(**arguments: "Any") -> "Any":
            return self.request(family, arguments)
        method.__name__ = family
        return method

    def supports(self, case_id: str) -> bool:
        """Every case is offered to the program; this notes the id the next request carries."""
        self.next_case_id = case_id
        return True

    # -- one request -----------------------------------------------------------------------------

    def request(self, family: str, arguments: "Dict[str, Any]") -> "Any":
        """Send one request and return its result; raise Unsupported, BackendError or BrokenBackend."""
        self.requests += 1
        case_id = self.next_case_id or family + ".request-" + str(self.requests)
        self.next_case_id = ""
        message = {"id": case_id, "family": family, "precision": self.precision, "input": encode(arguments)}
        line = (json.dumps(message) + "\n").encode("utf-8")
        starts = self.starts
        process = self._running(case_id)
        # what a program started for this request wrote from its first moment belongs to this case
        mark = 0 if self.starts != starts else process.stderr.total
        self.last_stderr = ""
        try:
            self._check_nothing_pending(process, case_id)
            self._send(process, line, case_id, mark)
            reply = self._receive(process, case_id, mark)
        finally:
            self.last_stderr = process.stderr.since(mark)
            self.last_id = case_id
        if "unsupported" in reply:
            raise protocol.Unsupported(cut(reply["unsupported"], MESSAGE_SHOWN))
        if "error" in reply:
            raise BackendError(cut(reply["error"], MESSAGE_SHOWN) + self._stderr_note(process, mark))
        return case_files.decode(reply["result"])

    def _running(self, case_id: str) -> Process:
        """The program's process, started afresh when there is none (first case, or after a failure)."""
        if self.process is not None and self.process.popen.poll() is None:
            return self.process
        if self.process is not None:
            self.process.kill()
            self.process.close_stdin()
        self.starts += 1
        try:
            self.process = Process(self.arguments)
        except OSError as error:
            self.process = None
            raise BrokenBackend("case " + case_id + ": could not start the program " + repr(self.command) + ": "
                                + type(error).__name__ + ": " + str(error))
        return self.process

    def _check_nothing_pending(self, process: Process, case_id: str) -> None:
        """Output already waiting before a request is extra output after the previous reply."""
        extra = []
        while True:
            try:
                line = process.lines.get_nowait()
            except queue.Empty:
                break
            if line is None:
                process.lines.put(None)
                break
            if line.strip():
                extra.append(line)
        if extra:
            self._fail(process, case_id, "malformed output: the program wrote " + str(len(extra))
                       + " line(s) after its reply to "
                       + repr(self.last_id) + ", before this request; expected exactly one line a request. First: "
                       + self._line_text(extra[0]), process.stderr.total)

    def _send(self, process: Process, line: bytes, case_id: str, mark: int) -> None:
        """Write one request; a program that stops reading is killed when the case's time is up."""
        watchdog = threading.Timer(self.timeout, process.expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            process.stdin.write(line)
            process.stdin.flush()
        except (OSError, ValueError):
            watchdog.cancel()
            if process.expired:
                self._timed_out(process, case_id, mark)
            self._crashed(process, case_id, mark, "before reading the request")
        watchdog.cancel()

    def _receive(self, process: Process, case_id: str, mark: int) -> "Dict[str, Any]":
        """The next non-empty line, checked: one JSON object for this id, with one kind of reply."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                line = process.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self._timed_out(process, case_id, mark)
            if line is None:
                self._crashed(process, case_id, mark, "before replying")
            if line.strip():
                break
        try:
            reply = json.loads(line.decode("utf-8"), parse_constant=_bare_constant)
        except ValueError as error:
            self._fail(process, case_id, "malformed reply, not JSON (" + str(error) + "): " + self._line_text(line),
                       mark)
        if not isinstance(reply, dict):
            self._fail(process, case_id, "malformed reply: expected a JSON object, got " + self._line_text(line), mark)
        if reply.get("id") != case_id:
            self._fail(process, case_id, "malformed reply: expected id " + json.dumps(case_id) + ", got "
                       + (json.dumps(reply["id"]) if "id" in reply else "no id") + " (replies come one a request, "
                       "in order): " + self._line_text(line), mark)
        kinds = [kind for kind in REPLY_KINDS if kind in reply]
        if len(kinds) != 1:
            self._fail(process, case_id, "malformed reply: expected exactly one of \"result\", \"unsupported\", "
                       "\"error\", got " + (", ".join(kinds) or "none") + ": " + self._line_text(line), mark)
        if kinds[0] != "result" and not isinstance(reply[kinds[0]], str):
            self._fail(process, case_id, "malformed reply: expected \"" + kinds[0] + "\" to be a string, got "
                       + self._line_text(line), mark)
        return reply

    # -- failures --------------------------------------------------------------------------------

    def _timed_out(self, process: Process, case_id: str, mark: int) -> "NoReturn":
        self._fail(process, case_id, "no reply within the timeout of " + ("%g" % self.timeout) + " s; the program "
                   "was killed (a backend must answer each request and flush stdout after each reply)", mark)

    def _crashed(self, process: Process, case_id: str, mark: int, when: str) -> "NoReturn":
        status = process.exit_status()
        process.stderr.thread.join(timeout=10.0)
        self._fail(process, case_id, "the program " + repr(self.name) + " " + status + " " + when, mark)

    def _fail(self, process: Process, case_id: str, what: str, mark: int) -> "NoReturn":
        """Kill the process (the next case starts a fresh one) and raise BrokenBackend."""
        process.kill()
        process.close_stdin()
        raise BrokenBackend("case " + case_id + ": " + what
                            + self._stderr_note(process, mark))

    def _stderr_note(self, process: Process, mark: int) -> str:
        text = process.stderr.since(mark).strip()
        return "\n  stderr: " + shown(text, STDERR_SHOWN).replace("\n", "\n          ") if text else ""

    def _line_text(self, line: bytes) -> str:
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        return repr(text if len(text) <= LINE_SHOWN else text[:LINE_SHOWN] + "…")

    def close(self) -> None:
        """End the program: close its stdin (a backend exits at the end of its input), wait, then kill."""
        process, self.process = self.process, None
        if process is None:
            return
        process.close_stdin()
        try:
            process.popen.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            pass
        process.kill()

    def __enter__(self) -> "CommandBackend":
        return self

    def __exit__(self, *exception: "Any") -> None:
        self.close()


def _bare_constant(name: str) -> float:
    raise ValueError("bare " + name + " is not JSON; write non-finite numbers as the strings \"Infinity\", "
                     "\"-Infinity\" and \"NaN\"")
