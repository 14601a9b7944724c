"""python -m refnet: the source documents' worked examples, computed live (refnet/worked_examples.py).

    python -m refnet               every worked example
    python -m refnet list          the examples' names (also --list)
    python -m refnet show NAME     one example (also python -m refnet NAME)
    python -m refnet --help        this usage (also -h)

A usage error is one line on stderr and exit status 2. Output into a closed pipe
(python -m refnet | head -1) ends the program quietly.
"""

import sys

from refnet import worked_examples as examples

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, List, Tuple


def block(title: str, source: str, rows: "List[Tuple[str, str, float]]") -> "List[str]":
    """A titled table: one line per (quantity, what the document prints, refnet's value)."""
    lines = ["", title, f"  source: {source}", f"  {'quantity':<30} {'document':>10}   refnet"]
    for name, printed, value in rows:
        lines.append(f"  {name:<30} {printed:>10}   {value:.10g}")
    return lines


def expression() -> "List[str]":
    f = examples.expression_002()
    return block("(x + y)·z at x = -2, y = 5, z = -4", "002_22dd3b33c61b9037.txt, computational graph",
         [("f", "-12", f["f"]), ("df/dx", "-4", f["df/dx"]), ("df/dy", "-4", f["df/dy"]),
          ("df/dz", "3", f["df/dz"])])


def sigmoid_neuron() -> "List[str]":
    n = examples.sigmoid_neuron_002()
    lines = block("A sigmoid neuron gate by gate: w = (2, -3, -3), x = (-1, -2)", "002_22dd3b33c61b9037.txt, sigmoid gate",
         [("net input w.x", "1", n["net_input"]), ("output 1/(1+exp(-w.x))", "0.73", n["output"]),
          ("gradient at 1/x gate input", "-0.53", n["gate 1/x input gradient"]),
          ("gradient at +1 gate input", "-0.53", n["gate +1 input gradient"]),
          ("gradient at exp gate input", "-0.20", n["gate exp input gradient"]),
          ("gradient at *-1 gate input", "0.20", n["gate *-1 input gradient"]),
          ("local gradient s(1-s)", "0.2", n["local gradient"]),
          ("dw0, dw1, dw2", "", n["dw0"]), ("", "", n["dw1"]), ("", "", n["dw2"]),
          ("dx0, dx1", "", n["dx0"]), ("", "", n["dx1"])])
    lines.append("  (the book's shortcut (1 - 0.73)(0.73) = 0.1971 rounds to its printed 0.2)")
    return lines


def network() -> "List[str]":
    exact = examples.network_003()
    book = examples.network_003_book()
    rows: "List[Tuple[str, str, float]]" = []
    printed: "Dict[str, str]" = {"hD": ".90", "hE": ".17", "y": ".76", "y'": ".181", "deltaG": ".0434",
                                 "dwGD": ".391", "dwGE": ".074", "dwGF": ".434", "new wGE": "-5.126"}
    for key in ("hD", "hE", "y", "y'", "deltaG", "dwGD", "dwGE", "dwGF", "new wGE"):
        rows.append((f"{key} exact", printed[key], exact[key]))
        rows.append((f"{key} from rounded steps", "", book[key]))
    lines = block("The network of 003: inputs (1.0, 0.0), target 1.0, learning rate 10",
         "003_83fae8590fc0f361.txt, back-propagation example", rows)
    lines += [
        "  The printed digits come from rounded intermediates: hidden outputs .90 and .17 give",
        f"  y = sigmoid({book['output net input']:.3f}) = {book['y']:.4f}, printed .76, and y' = .181; then",
        "  (1 - .76) x .181 = .0434 and 10 x .0434 x .90 = .391. Unrounded, y = .7645 and",
        f"  deltaG = {exact['deltaG']:.5f}, dwGD = {exact['dwGD']:.4f}.",
        f"  Hidden deltas (exact): deltaD = {exact['deltaD']:.6f}, deltaE = {exact['deltaE']:.6f}",
    ]
    return lines


def softmax() -> "List[str]":
    p = examples.softmax_001()
    return block("softmax([2.0, 1.0, 0.1])", "001_251e29975c1497b8.txt, softmax code",
         [("p0", "", p[0]), ("p1", "", p[1]), ("p2", "", p[2])])


def micrograd() -> "List[str]":
    m = examples.micrograd_readme()
    return block("micrograd's README expression, through refnet.compat.micrograd", "micrograd 0.1.0 README",
         [("g", "24.7041", m["g"]), ("dg/da", "138.8338", m["dg/da"]), ("dg/db", "645.5773", m["dg/db"])])


# The examples by name, in the order `python -m refnet` prints them.
EXAMPLES: "List[Tuple[str, Callable[[], List[str]]]]" = [
    ("expression", expression), ("sigmoid-neuron", sigmoid_neuron), ("network-003", network),
    ("softmax", softmax), ("micrograd", micrograd)]
NAMES = [name for name, _ in EXAMPLES]
TITLE = "refnet: the documents' worked examples, computed live"
USAGE = """usage: python -m refnet [list | show NAME | NAME | --list | --help]

Prints the source documents' worked examples, computed live by refnet, beside the numbers the
documents print. With no argument, every example; with a NAME (or show NAME), that one.

    list, --list     print the examples' names, one a line
    show NAME        print one example (NAME alone does the same)
    --help, -h       print this and stop

Examples: """ + ", ".join(NAMES) + """

Exit status: 0, or 2 for a usage error (one line on stderr)."""


def report() -> "List[str]":
    """Every worked example as printable lines."""
    lines = [TITLE]
    for _, example in EXAMPLES:
        lines += example()
    return lines


class UsageError(Exception):
    """A command line refnet cannot follow: one line saying what was wrong and what was expected."""


def example_lines(name: str) -> "List[str]":
    for known, example in EXAMPLES:
        if known == name:
            return [TITLE] + example()
    raise UsageError(f"unknown example {name!r}; expected one of {', '.join(NAMES)} (python -m refnet list)")


def output(arguments: "List[str]") -> str:
    """The text `python -m refnet arguments…` prints; a UsageError for arguments it cannot follow."""
    if not arguments:
        return "\n".join(report())
    first, rest = arguments[0], arguments[1:]
    if first in ("--help", "-h"):
        extra = rest
        text = USAGE
    elif first in ("list", "--list"):
        extra = rest
        text = "\n".join(NAMES)
    elif first == "show":
        if not rest:
            raise UsageError(f"show: expected an example name ({', '.join(NAMES)}), got none")
        extra = rest[1:]
        text = "\n".join(example_lines(rest[0]))
    elif first.startswith("-"):
        raise UsageError(f"unknown option {first!r}; expected --help, --list, list or show NAME")
    elif first in NAMES:
        extra = rest
        text = "\n".join(example_lines(first))
    else:
        raise UsageError(f"unknown command or example {first!r}; expected list, show NAME or one of {', '.join(NAMES)}")
    if extra:
        raise UsageError(f"unexpected argument {extra[0]!r} after {first!r}; expected nothing more "
                         "(python -m refnet --help)")
    return text


def write(text: str) -> int:
    """Print `text`; 0, or 0 as well when the reader closed the pipe (head -1): quietly, no traceback."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except OSError:  # BrokenPipeError (EPIPE) where the reader has gone
        try:  # stop the interpreter's own flush at exit from failing again
            import os
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (ImportError, AttributeError, OSError, ValueError):
            pass
    return 0


def main(arguments: "List[str]") -> int:
    """Run the command line; the exit status."""
    try:
        text = output(arguments)
    except UsageError as error:
        sys.stderr.write(f"refnet: {error}\n")
        return 2
    return write(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
