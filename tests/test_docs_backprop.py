"""docs/backprop.md's snippets print what the page says they print.

The page states that its snippets run in order in one session. So do these tests: every
```python block runs, in order, in one namespace, and what it prints must equal the ```text
block that follows it, character for character. The expected texts are the page's own; each
is derived on the page beside it (002_22dd3b33c61b9037.txt's f = −12 and gradients −4, −4, 3;
∂(x·x)/∂x = 2x = 6 at x = 3; 2⁶⁰ paths of product 1; ∂(n·x)/∂x = n for n = 10001, 100001), and
test_the_pages_outputs_hold_the_closed_form_numbers checks those numbers independently of the
page, so a wrong output pasted into it fails too.

print is replaced in the snippets' namespace by one that records what it is given (str of
each argument, joined by sep, then end, as the built-in print writes them), so nothing
depends on swapping sys.stdout.
"""

import os
import sys

from _support import skip

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
PAGE = HERE + "/../docs/backprop.md"
OPEN_CODE = "```python\n"
OPEN_OUTPUT = "```text\n"
CLOSE = "```"


def page_text():
    try:
        with open(PAGE) as handle:
            return handle.read()
    except OSError:  # the MicroPython runner copies refnet/, spec_tests/, fixtures/, tests/, tools/ only
        skip("docs/ is not beside the tests here (" + PAGE + ")")
        raise


def line_of(text, offset):
    """The 1-based line number of character `offset` in `text`."""
    return text.count("\n", 0, offset) + 1


def snippets(text, where):
    """[(line, code, expected output)] for every ```python block of `text`, in order: its first
    line, its body, and the body of the ```text block that must come right after it (only
    blank lines between). Raises AssertionError naming `where` and the line when one is missing
    or a block is not closed."""
    found = []
    start = text.find(OPEN_CODE)
    while start != -1:
        line = line_of(text, start)
        body_start = start + len(OPEN_CODE)
        body_end = text.find(CLOSE, body_start)
        assert body_end != -1, where + ":" + str(line) + ": the ```python block is not closed by ```"
        after = body_end + len(CLOSE)
        gap_end = after
        while gap_end < len(text) and text[gap_end] in " \n":
            gap_end += 1
        assert text.startswith(OPEN_OUTPUT, gap_end), (
            where + ":" + str(line) + ": expected a ```text block with the snippet's output right after the "
            "```python block, got " + repr(text[after:after + 40]))
        output_start = gap_end + len(OPEN_OUTPUT)
        output_end = text.find(CLOSE, output_start)
        assert output_end != -1, where + ":" + str(line_of(text, gap_end)) + ": the ```text block is not closed by ```"
        found.append((line, text[body_start:body_end], text[output_start:output_end]))
        start = text.find(OPEN_CODE, output_end + len(CLOSE))
    return found


class Recorder:
    """A print() that appends what it would write to `written`."""

    def __init__(self):
        self.written = []

    def print(self, *values, sep=" ", end="\n"):
        self.written.append(sep.join([str(value) for value in values]) + end)

    def take(self):
        text = "".join(self.written)
        self.written = []
        return text


def differences(text, where):
    """Every snippet of `text` run in order in one namespace: a list of messages, one for each
    snippet whose printed output differs from its ```text block (empty when all agree)."""
    recorder = Recorder()
    namespace = {"__name__": "__backprop_page__", "print": recorder.print}
    problems = []
    for line, code, expected in snippets(text, where):
        try:
            exec(code, namespace)
        except Exception as error:  # noqa: BLE001 - reported with the snippet's place
            raise AssertionError(where + ":" + str(line) + ": the snippet raised " + type(error).__name__ + ": "
                                 + str(error) + "; expected it to print " + repr(expected))
        printed = recorder.take()
        if printed != expected:
            problems.append(where + ":" + str(line) + ": the snippet printed " + repr(printed) + ", the page says "
                            + repr(expected))
    return problems


def outputs(text):
    """What the page says each snippet prints, in order."""
    return [expected for _, _, expected in snippets(text, PAGE)]


def runnable_here():
    page = page_text()
    if sys.implementation.name == "micropython":
        skip("MicroPython names the recursion error RuntimeError, not RecursionError (step 3 of the page)")
    return page


def test_every_snippet_prints_exactly_what_the_page_shows():
    text = runnable_here()
    problems = differences(text, "docs/backprop.md")
    assert problems == [], "\n".join(problems)


def test_the_page_says_its_snippets_run_in_order_in_one_session():
    text = page_text()
    assert "The snippets run in order in one session" in text
    assert len(snippets(text, PAGE)) >= 10


def test_the_pages_outputs_hold_the_closed_form_numbers():
    shown = outputs(page_text())
    # 002_22dd3b33c61b9037.txt: f = (x + y)z at -2, 5, -4 gives f = -12, ∂f/∂x = ∂f/∂y = -4, ∂f/∂z = 3
    assert shown[0] == "-12.0 -4.0 -4.0 3.0\n"
    # ∂(x·x)/∂x = 2x: 6 at x = 3; the overwriting gate keeps one path's 3
    assert shown[1] == "with = : 3.0\nwith +=: 6.0\n"
    # x plus n additions of x is (n + 1)·x, so its derivative is n + 1: 10001 for the 10,000-level chain,
    # 100001 for refnet's 100,000-level one, which has 100001 nodes (x and the additions)
    assert "recursive: RecursionError\nstack: 10001.0\n" in shown and "100001.0 100001\n" in shown
    # the interrupted flagged search loses the paths through x + y (0, 0) but keeps z's edge (3)
    assert "(0.0, 0.0, 3.0)\n" in shown and "(-4.0, -4.0, 3.0)\n" in shown


def test_a_wrong_output_on_the_page_is_reported_with_its_line():
    page = (
        "# a page\n\nThe snippets run in order in one session.\n\n"
        "```python\nv = 6 * 7\nprint(v)\n```\n\n```text\n42\n```\n\n"
        "```python\nprint(v + 1, v - 1, sep=', ')\n```\n\n```text\n43, 40\n```\n"
    )
    problems = differences(page, "page.md")
    assert problems == ["page.md:14: the snippet printed '43, 41\\n', the page says '43, 40\\n'"], problems


def test_a_snippet_without_its_output_block_is_reported():
    page = "```python\nprint(1)\n```\n\nIt prints 1.\n"
    try:
        snippets(page, "page.md")
    except AssertionError as error:
        assert str(error).startswith("page.md:1: expected a ```text block"), str(error)
    else:
        raise AssertionError("a ```python block without a ```text block after it was accepted")
