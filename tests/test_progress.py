"""The progress line (refnet/progress.py): its text on a terminal, plain lines elsewhere, time left.

Every expected text is written out by hand from the format in progress.py's docstring, with a
clock that returns given times, so "time left" is (elapsed / epochs done) · (epochs to come)
computed by hand.
"""

from _support import raises
from refnet import InputError
from refnet import pipeline
from refnet.progress import Progress, _duration, _is_terminal, clock


class FakeStream:
    """A text stream that keeps what is written; a terminal or not, as asked."""

    def __init__(self, terminal):
        self.terminal = terminal
        self.text = ""
        self.flushes = 0

    def write(self, text):
        self.text += text

    def flush(self):
        self.flushes += 1

    def isatty(self):
        return self.terminal


def times(*seconds):
    """A clock returning these times, one a call (the first for the start)."""
    remaining = list(seconds)

    def now():
        return remaining.pop(0)
    return now


def test_terminal_line_is_rewritten_in_place_with_time_left_and_a_final_newline():
    stream = FakeStream(True)
    progress = Progress(4, stream, times(0.0, 1.0, 2.0, 3.0, 4.0))
    for epoch, loss in ((1, 0.5), (2, 0.25), (3, 0.125), (4, 0.0625)):
        progress.update(epoch, loss, 0.5)
    # time left after epoch k of 4 at k seconds: (k / k)·(4 − k) = 3, 2, 1 s
    assert stream.text == ("\repoch 1/4  loss 0.500000  accuracy 50.0%  3 s left"
                           "\repoch 2/4  loss 0.250000  accuracy 50.0%  2 s left"
                           "\repoch 3/4  loss 0.125000  accuracy 50.0%  1 s left"
                           "\repoch 4/4  loss 0.062500  accuracy 50.0%  done in 4 s\n"), repr(stream.text)
    assert stream.flushes == 4  # each rewrite shows at once


def test_a_shorter_line_blanks_out_what_the_longer_one_left():
    stream = FakeStream(True)
    progress = Progress(3, stream, times(0.0, 1.0, 2.0))
    progress.update(1, 0.5, 1.0)   # "accuracy 100.0%": one character longer than "accuracy 50.0%"
    progress.update(2, 0.5, 0.5)
    first, second = stream.text.split("\r")[1:]
    assert second == "epoch 2/3  loss 0.500000  accuracy 50.0%  1 s left "  # one space over the extra character
    assert len(second) == len(first)


def test_terminal_rewrites_at_most_every_tenth_of_a_second_but_always_first_and_last():
    stream = FakeStream(True)
    progress = Progress(3, stream, times(0.0, 0.01, 0.02, 0.03))
    for epoch in (1, 2, 3):
        progress.update(epoch, 1.0)
    assert stream.text.count("\r") == 2 and "epoch 2/3" not in stream.text
    assert stream.text.endswith("done in under 1 s\n")


def test_non_terminal_gets_about_ten_plain_lines():
    # ⌈200/10⌉ = 20: epochs 20, 40, …, 200; ⌈25/10⌉ = 3: epochs 3, 6, …, 24 and the last, 25
    for total, expected in ((200, list(range(20, 201, 20))), (25, list(range(3, 25, 3)) + [25]), (3, [1, 2, 3])):
        stream = FakeStream(False)
        progress = Progress(total, stream, times(*[float(k) for k in range(total + 1)]))
        for epoch in range(1, total + 1):
            progress.update(epoch, 0.25)
        lines = stream.text.split("\n")
        assert lines[-1] == "" and "\r" not in stream.text
        width = len(str(total))
        assert [line.split("/")[0] for line in lines[:-1]] == [f"epoch {k:>{width}}" for k in expected], total


def test_plain_line_text_without_accuracy():
    stream = FakeStream(False)
    progress = Progress(2, stream, times(0.0, 30.0, 61.0))
    progress.update(1, 1.5)
    progress.update(2, 0.75)
    # after epoch 1 at 30 s: 30/1 · 1 = 30 s left; done after 61 s = 1 min 01 s
    assert stream.text == "epoch 1/2  loss 1.500000  30 s left\nepoch 2/2  loss 0.750000  done in 1 min 01 s\n"


def test_durations_in_words():
    assert [_duration(s) for s in (0.0, 0.49, 0.5, 42.4, 59.6, 185.0, 3600.0)] == [
        "under 1 s", "under 1 s", "1 s", "42 s", "1 min 00 s", "3 min 05 s", "60 min 00 s"]
    assert _duration(float("nan")) == "under 1 s"


def test_clock_counts_forward_and_streams_without_isatty_are_not_terminals():
    seconds = clock()
    first = seconds()
    total = 0
    for k in range(20000):
        total += k
    assert seconds() >= first
    assert _is_terminal(FakeStream(True)) and not _is_terminal(FakeStream(False))
    assert not _is_terminal(object())


def test_bad_arguments_name_what_was_wrong():
    error = raises(InputError, Progress, 0, FakeStream(False))
    assert "Progress(total)" in str(error)
    error = raises(InputError, Progress, 3, "not a stream")
    assert "Progress(stream)" in str(error) and "write()" in str(error)
    error = raises(InputError, Progress(3, FakeStream(False)).update, 0, 1.0)
    assert "Progress.update(epoch)" in str(error)


def test_pipeline_progress_shows_on_a_terminal_and_is_quiet_elsewhere_unless_asked():
    # verbose None: only where the stream is a terminal; True: plain lines anywhere; False: never
    terminal, pipe, forced, muted = FakeStream(True), FakeStream(False), FakeStream(False), FakeStream(True)
    pipeline.run("dense", epochs=3, points=20, stream=terminal)
    pipeline.run("dense", epochs=3, points=20, stream=pipe)
    pipeline.run("dense", epochs=3, points=20, stream=forced, verbose=True)
    pipeline.run("dense", epochs=3, points=20, stream=muted, verbose=False)
    assert terminal.text.startswith("\repoch 1/3  loss ") and terminal.text.endswith("\n")
    assert terminal.text.count("\n") == 1 and "accuracy" in terminal.text
    assert pipe.text == "" and muted.text == ""
    assert forced.text.count("\n") == 3 and "\r" not in forced.text
