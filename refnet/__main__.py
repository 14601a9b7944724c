"""python -m refnet: a tour of the source documents' worked examples, computed live.

    python -m refnet                     every worked example: formulas, numbers, source
    python -m refnet list                the examples' names, one a line (also --list)
    python -m refnet show NAME           one example, with its backward pass gate by gate
                                         (also python -m refnet NAME)
    python -m refnet show NAME --svg DIR --dot DIR
                                         ... and its graph written to DIR/NAME.svg, DIR/NAME.dot
    python -m refnet --svg DIR --dot DIR every example's graph, written to DIR
    python -m refnet pipeline [...]      002's pipeline (refnet/pipeline.py; pipeline --help)
    python -m refnet tour --html DIR     the whole tour as one web page, DIR/index.html
    python -m refnet --help              the usage (also -h)

The examples and their formulas are refnet/worked_examples.py; where their numbers are quoted
from, refnet/sources.py; the graphs are drawn by refnet/draw.py and the backward pass is told
by refnet/backward_steps.py. A usage error, or a folder that cannot be written, is one line on
stderr and exit status 2. Output into a closed pipe (python -m refnet | head -1) ends the
program quietly.
"""

import sys

from refnet import _files as files
from refnet import sources
from refnet import worked_examples as examples
from refnet.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, List, Optional, Tuple

TITLE = "refnet: the documents' worked examples, computed live"
EPIPE = 32  # the errno of a write into a pipe nobody reads (BrokenPipeError, absent on MicroPython)


class UsageError(Exception):
    """A command line refnet cannot follow: one line saying what was wrong and what was expected."""


# -- each example's numbers: what the document prints beside what refnet computes ----------------

def table(rows: "List[Tuple[str, str, float]]") -> "List[str]":
    """One line per (quantity, what the document prints, refnet's value)."""
    lines = [f"  {'quantity':<30} {'document':>10}   refnet"]
    for name, printed, value in rows:
        lines.append(f"  {name:<30} {printed:>10}   {value:.10g}")
    return lines


def expression_numbers() -> "List[str]":
    f = examples.expression_002()
    return table([("f", "-12", f["f"]), ("df/dx", "-4", f["df/dx"]), ("df/dy", "-4", f["df/dy"]),
                  ("df/dz", "3", f["df/dz"])])


def sigmoid_neuron_numbers() -> "List[str]":
    n = examples.sigmoid_neuron_002()
    lines = table([("net input w.x", "1", n["net_input"]), ("output 1/(1+exp(-w.x))", "0.73", n["output"]),
                   ("gradient at 1/x gate input", "-0.53", n["gate 1/x input gradient"]),
                   ("gradient at +1 gate input", "-0.53", n["gate +1 input gradient"]),
                   ("gradient at exp gate input", "-0.20", n["gate exp input gradient"]),
                   ("gradient at *-1 gate input", "0.20", n["gate *-1 input gradient"]),
                   ("local gradient s(1-s)", "0.2", n["local gradient"]),
                   ("dw0, dw1, dw2", "", n["dw0"]), ("", "", n["dw1"]), ("", "", n["dw2"]),
                   ("dx0, dx1", "", n["dx0"]), ("", "", n["dx1"])])
    lines.append("  (the book's shortcut (1 - 0.73)(0.73) = 0.1971 rounds to its printed 0.2)")
    return lines


def second_neuron_numbers() -> "List[str]":
    n = examples.second_neuron_002()
    return table([("net input", "", n["net_input"]), ("output sigmoid(4)", "", n["output"]),
                  ("local gradient s(1-s)", "", n["local gradient"]),
                  ("dw0, dw1, dw2, dw3", "", n["dw0"]), ("", "", n["dw1"]), ("", "", n["dw2"]), ("", "", n["dw3"]),
                  ("dx0, dx1, dx2", "", n["dx0"]), ("", "", n["dx1"]), ("", "", n["dx2"])])


def network_numbers() -> "List[str]":
    exact = examples.network_003()
    book = examples.network_003_book()
    rows: "List[Tuple[str, str, float]]" = []
    printed: "Dict[str, str]" = {"hD": ".90", "hE": ".17", "y": ".76", "y'": ".181", "deltaG": ".0434",
                                 "dwGD": ".391", "dwGE": ".074", "dwGF": ".434", "new wGE": "-5.126"}
    for key in ("hD", "hE", "y", "y'", "deltaG", "dwGD", "dwGE", "dwGF", "new wGE"):
        rows.append((f"{key} exact", printed[key], exact[key]))
        rows.append((f"{key} from rounded steps", "", book[key]))
    return table(rows) + [
        "  The printed digits come from rounded intermediates: hidden outputs .90 and .17 give",
        f"  y = sigmoid({book['output net input']:.3f}) = {book['y']:.4f}, printed .76, and y' = .181; then",
        "  (1 - .76) x .181 = .0434 and 10 x .0434 x .90 = .391. Unrounded, y = .7645 and",
        f"  deltaG = {exact['deltaG']:.5f}, dwGD = {exact['dwGD']:.4f}.",
        f"  Hidden deltas (exact): deltaD = {exact['deltaD']:.6f}, deltaE = {exact['deltaE']:.6f}",
    ]


def softmax_numbers() -> "List[str]":
    p = examples.softmax_001()
    return table([("p0", "", p[0]), ("p1", "", p[1]), ("p2", "", p[2])])


def micrograd_numbers() -> "List[str]":
    m = examples.micrograd_readme()
    return table([("g", "24.7041", m["g"]), ("dg/da", "138.8338", m["dg/da"]), ("dg/db", "645.5773", m["dg/db"])])


NUMBERS: "List[Tuple[str, Callable[[], List[str]]]]" = [
    ("doc002-expression", expression_numbers), ("doc002-sigmoid-neuron", sigmoid_neuron_numbers),
    ("doc002-second-neuron", second_neuron_numbers), ("doc003-network", network_numbers),
    ("doc001-softmax", softmax_numbers), ("micrograd-readme", micrograd_numbers)]
NAMES = examples.NAMES


# -- an example as text ---------------------------------------------------------------------------

def example_block(name: str, steps: bool) -> "List[str]":
    """One example: title, formulas, numbers, (with `steps`) the backward pass, source."""
    lines = ["", f"{examples.title(name)}   [{name}]", "  formulas, forward and local derivative of each gate:"]
    lines += ["    " + line for line in examples.formulas(name)]
    lines += [line for known, numbers in NUMBERS if known == name for line in numbers()]
    if steps and name in examples.DRAWABLE:
        from refnet.backward_steps import explain
        root, names = examples.graphs(name)
        lines += ["  backward, edge by edge (refnet.explain):"]
        lines += ["    " + line for line in explain(root, names).table().split("\n")]
    source = sources.source(name)
    lines.append("  source: " + source.lines()[0])
    lines += ["  " + line for line in source.lines()[1:]]
    return lines


def report() -> "List[str]":
    """Every worked example as printable lines (without the step tables: show NAME has them)."""
    lines = [TITLE, "(python -m refnet show NAME adds the backward pass edge by edge; --help lists the commands)"]
    for name in NAMES:
        lines += example_block(name, steps=False)
    return lines


# -- graphs into files ----------------------------------------------------------------------------

def write_graphs(names: "List[str]", svg_directory: "Optional[str]", dot_directory: "Optional[str]") -> "List[str]":
    """Write each example's graph as DIR/NAME.svg and/or DIR/NAME.dot; the paths written."""
    from refnet import draw
    written = []
    for option, directory, extension in (("--svg", svg_directory, ".svg"), ("--dot", dot_directory, ".dot")):
        if directory is None:
            continue
        try:
            files.make_directories(directory, option)
        except InputError as error:
            raise UsageError(str(error)) from None
        for name in names:
            root, nodes = examples.graphs(name)
            title = f"{examples.title(name)} [{name}]"
            render = draw.to_svg if extension == ".svg" else draw.to_dot
            text = render(root, nodes, title=title)
            path = (directory if directory.endswith("/") else directory + "/") + name + extension
            try:
                files.write_text(path, text, option)
            except InputError as error:
                raise UsageError(str(error)) from None
            written.append(path)
    return written


# -- the command line -----------------------------------------------------------------------------

USAGE = """usage: python -m refnet [list | show NAME [--svg DIR] [--dot DIR] | --svg DIR [--dot DIR]
                        | pipeline [...] | tour --html DIR | --help]

The source documents' worked examples, computed live by refnet: each gate's formula, the
numbers the documents print beside refnet's, the backward pass edge by edge, and the lines of
the document the numbers come from.

commands:
    (none)              print every worked example (formulas, numbers, where they come from)
    list, --list        print the examples' names, one a line
    show NAME           print one example with its backward pass, edge by edge (NAME alone too)
    pipeline [...]      run 002's pipeline: data, 80/20 split, 2-layer tanh + softmax network,
                        accuracy, loss and decision-boundary plots (pipeline --help for its options)
    tour --html DIR     write the whole tour as one web page, DIR/index.html, and print its path
    --help, -h          print this and stop

options (with show NAME, or alone for every example that is a graph):
    --svg DIR           write the graph as DIR/NAME.svg (refnet.draw), creating DIR if missing
    --dot DIR           write it as Graphviz DOT text, DIR/NAME.dot (dot -Tpng DIR/NAME.dot)

examples (NAME; doc001-softmax is computed on floats and has no graph to write):
""" + "\n".join(f"    {name:<24}{examples.title(name)}" for name in NAMES) + """
    the short names """ + ", ".join(alias for alias, _ in examples.ALIASES) + """ work too

Exit status: 0, or 2 for a usage error or a folder that cannot be written (one line on stderr)."""


def example_name(given: str, command: str) -> str:
    """The example's canonical name; UsageError for a name that is none of them."""
    try:
        return examples.canonical(given)
    except InputError:
        raise UsageError(f"{command}: unknown example {given!r}; expected one of {', '.join(NAMES)} "
                         "(python -m refnet list)")


def graph_options(arguments: "List[str]", after: str) -> "Tuple[Optional[str], Optional[str]]":
    """--svg DIR and --dot DIR (or --svg=DIR), each at most once; UsageError for anything else."""
    found: "Dict[str, str]" = {}
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        option, _, attached = argument.partition("=")
        if option not in ("--svg", "--dot"):
            raise UsageError(f"unexpected argument {argument!r} after {after!r}; expected --svg DIR or --dot DIR "
                             "(python -m refnet --help)")
        if "=" in argument:
            directory = attached
            index += 1
        elif index + 1 < len(arguments):
            directory = arguments[index + 1]
            index += 2
        else:
            directory = ""
            index += 1
        if not directory or (directory.startswith("-") and "=" not in argument):
            raise UsageError(f"{option}: expected a folder after it, got {repr(directory) if directory else 'nothing'}")
        if option in found:
            raise UsageError(f"{option} given twice ({found[option]!r}, then {directory!r}); expected it once")
        found[option] = directory
    return found.get("--svg"), found.get("--dot")


def show(name: str, rest: "List[str]", command: str) -> str:
    """show NAME [--svg DIR] [--dot DIR]: the example, then the paths of the files written."""
    svg, dot = graph_options(rest, command)
    lines = [TITLE] + example_block(name, steps=True)
    if svg is not None or dot is not None:
        if name not in examples.DRAWABLE:
            option = "--svg" if svg is not None else "--dot"
            raise UsageError(f"{option}: example {name!r} is computed on floats and has no graph; expected one of "
                             f"{', '.join(examples.DRAWABLE)}")
        lines.append("")
        lines += ["wrote " + path for path in write_graphs([name], svg, dot)]
    return "\n".join(lines)


def tour(rest: "List[str]") -> str:
    """tour --html DIR: the page written by refnet.tour_page, and its path."""
    if len(rest) == 1 and rest[0].startswith("--html="):
        rest = ["--html", rest[0][len("--html="):]]
    if len(rest) != 2 or rest[0] != "--html" or not rest[1] or rest[1].startswith("-"):
        raise UsageError(f"tour: expected --html DIR, got {repr(' '.join(rest)) if rest else 'nothing'}")
    from refnet import tour_page
    try:
        return tour_page.write_tour(rest[1])
    except InputError as error:  # a folder that cannot be made or written
        raise UsageError(f"tour --html {rest[1]}: {error}")


def output(arguments: "List[str]") -> str:
    """The text `python -m refnet arguments…` prints (every command but pipeline, which prints as
    it runs); files it writes are written first. UsageError for arguments it cannot follow."""
    if not arguments:
        return "\n".join(report())
    first, rest = arguments[0], arguments[1:]
    if first in ("--help", "-h"):
        text = USAGE
    elif first in ("list", "--list"):
        text = "\n".join(NAMES)
    elif first == "show":
        if not rest:
            raise UsageError(f"show: expected an example name ({', '.join(NAMES)}), got none")
        return show(example_name(rest[0], "show"), rest[1:], rest[0])
    elif first == "tour":
        return tour(rest)
    elif first == "pipeline":
        raise UsageError("pipeline: prints as it runs; expected main(['pipeline', ...]) rather than output()")
    elif first.partition("=")[0] in ("--svg", "--dot"):
        svg, dot = graph_options(arguments, "python -m refnet")
        return "\n".join("wrote " + path for path in write_graphs(examples.DRAWABLE, svg, dot))
    elif first.startswith("-"):
        raise UsageError(f"unknown option {first!r}; expected --help, --list, --svg DIR, --dot DIR, list, "
                         "show NAME, pipeline or tour --html DIR")
    else:
        try:
            name = examples.canonical(first)
        except InputError:
            raise UsageError(f"unknown command or example {first!r}; expected list, show NAME, pipeline, "
                             f"tour --html DIR or one of {', '.join(NAMES)}")
        return show(name, rest, first)
    if rest:
        raise UsageError(f"unexpected argument {rest[0]!r} after {first!r}; expected nothing more "
                         "(python -m refnet --help)")
    return text


def write(text: str) -> int:
    """Print `text`; 0, or 0 as well when the reader closed the pipe (head -1): quietly, no traceback."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except OSError:  # BrokenPipeError (EPIPE) where the reader has gone
        files.silence_stdout()
    return 0


def pipeline(arguments: "List[str]") -> int:
    """python -m refnet pipeline …: refnet.pipeline.command, quiet on a closed pipe."""
    from refnet import pipeline as pipeline_module
    try:
        return pipeline_module.command(arguments)
    except OSError as error:
        if getattr(error, "errno", None) != EPIPE:
            raise
        files.silence_stdout()  # the reader closed the pipe (head -1): stop quietly, as write() does
        return 0


def main(arguments: "List[str]") -> int:
    """Run the command line; the exit status."""
    if arguments and arguments[0] == "pipeline":
        return pipeline(arguments[1:])
    try:
        text = output(arguments)
    except UsageError as error:
        sys.stderr.write(f"refnet: {error}\n")
        return 2
    return write(text)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
