"""The progress line of a training run: epoch k/N, loss, accuracy (when known), time left.

    epoch  37/200  loss 0.512345  accuracy 85.0%  4 s left

Time left = (elapsed / epochs done) · (epochs still to do): the mean time of the epochs so far,
times the epochs to come. The last line says how long the whole run took instead.

Where the stream is a terminal (stream.isatty() is True) the line is rewritten in place: each
update starts with a carriage return (\\r) and pads over the previous text, at most every 0.1 s
(and always for the first and the last epoch), and the last update ends with a newline. Where
the stream is not a terminal (a file, a pipe, a notebook cell), rewriting would leave a
line per epoch, so plain lines are written instead: at every ⌈N/10⌉-th epoch and at the last,
about ten for the run. Whether to show progress at all on a non-terminal is the caller's choice
(refnet.pipeline stays quiet there by default; train.fit(verbose=True) writes the plain lines).

The clock is time.perf_counter where it exists; MicroPython has none and counts with
time.ticks_ms / time.ticks_diff (wrap-around safe) instead (PORTABILITY.md, rule 12).
"""

import time

from refnet._checks import as_finite, as_float, as_int, shown
from refnet.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

REWRITE_INTERVAL = 0.1  # seconds between two rewrites of a terminal's line
PLAIN_LINES = 10        # about this many plain lines over a run on a non-terminal
INFINITY = float("inf")


def _ticks_clock() -> "Callable[[], float]":
    """Seconds since this call, from MicroPython's millisecond ticks (ticks_diff handles wrap-around)."""
    ticks_ms: "Any" = getattr(time, "ticks_ms")
    ticks_diff: "Any" = getattr(time, "ticks_diff")
    start = ticks_ms()

    def seconds() -> float:
        return float(ticks_diff(ticks_ms(), start)) / 1000.0
    return seconds


def clock() -> "Callable[[], float]":
    """A function returning seconds from a fixed start, for measuring elapsed time on any runtime."""
    if hasattr(time, "perf_counter"):
        return time.perf_counter
    if hasattr(time, "ticks_ms"):
        return _ticks_clock()
    return time.time


def _is_terminal(stream: "Any") -> bool:
    """True when `stream` says it is a terminal (isatty()); a stream without isatty is not one."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None:
        return False
    try:
        return bool(isatty())
    except (OSError, ValueError):  # a closed file
        return False


def _duration(seconds: float) -> str:
    """A duration in words, to the second: 'under 1 s', '42 s', '3 min 05 s'."""
    whole = int(seconds + 0.5) if 0.0 <= seconds < INFINITY else 0  # nan: 0
    if whole < 1:
        return "under 1 s"
    if whole < 60:
        return f"{whole} s"
    return f"{whole // 60} min {whole % 60:02d} s"


class Progress:
    """Writes the progress of `total` epochs to `stream`, in place on a terminal, as plain lines elsewhere.

    Call update(epoch, loss, accuracy) after each epoch (epoch counts from 1; accuracy a share
    in [0, 1], or None when not measured). `clock_seconds` returns seconds (progress.clock()
    by default; tests pass their own).
    """

    def __init__(self, total: int, stream: "Any", clock_seconds: "Optional[Callable[[], float]]" = None) -> None:
        self.total = as_int(total, "Progress(total)", minimum=1)
        if not callable(getattr(stream, "write", None)):
            raise InputError(f"Progress(stream): expected a text stream with a write() method, got {shown(stream)}")
        if clock_seconds is not None and not callable(clock_seconds):
            raise InputError(f"Progress(clock_seconds): expected a function returning seconds, got "
                             f"{shown(clock_seconds)}")
        self.stream = stream
        self.in_place = _is_terminal(stream)
        self.seconds = clock_seconds if clock_seconds is not None else clock()
        self.started = self._now()
        self.every = -(-self.total // PLAIN_LINES)  # ⌈N/10⌉
        self.last_written = -REWRITE_INTERVAL - 1.0
        self.width = 0  # the length of the line on the terminal now

    def _line(self, epoch: int, loss: float, accuracy: "Optional[float]", elapsed: float) -> str:
        """The text for `epoch` done of `total` after `elapsed` seconds, without \\r or newline."""
        digits = len(str(self.total))
        text = f"epoch {epoch:>{digits}}/{self.total}  loss {loss:.6f}"
        if accuracy is not None:
            text += f"  accuracy {100.0 * accuracy:.1f}%"
        if epoch >= self.total:
            return text + f"  done in {_duration(elapsed)}"
        return text + f"  {_duration(elapsed / epoch * (self.total - epoch))} left"

    def update(self, epoch: int, loss: float, accuracy: "Optional[float]" = None) -> None:
        """Report that `epoch` (1 … total) is done with this loss and accuracy."""
        as_int(epoch, "Progress.update(epoch)", minimum=1)
        loss = as_float(loss, "Progress.update(loss)")
        if accuracy is not None:
            accuracy = as_float(accuracy, "Progress.update(accuracy)")
        now = self._now()
        last = epoch >= self.total
        if self.in_place:
            if not (last or epoch == 1 or now - self.last_written >= REWRITE_INTERVAL):
                return
            text = self._line(epoch, loss, accuracy, now - self.started)
            padded = f"{text:<{self.width}}"  # blank out what a longer previous line left
            self.width = len(text)
            self._write("\r" + padded + ("\n" if last else ""))
        elif last or epoch % self.every == 0:
            self._write(self._line(epoch, loss, accuracy, now - self.started) + "\n")
        self.last_written = now

    def _now(self) -> float:
        """The clock's seconds; InputError when a clock of the caller's returns something else."""
        return as_finite(self.seconds(), "Progress(clock_seconds): the time it returned")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        flush = getattr(self.stream, "flush", None)
        if flush is not None:
            flush()
