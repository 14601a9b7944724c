"""`python -m refnet` as a tour: list, show NAME with formulas, numbers, steps and source,
--svg/--dot DIR, pipeline and tour dispatch, usage errors (refnet/__main__.py, refnet/sources.py).

The commands run in-process through __main__.output() (every runtime), and once each as a
process where processes exist. The numbers expected come from the documents: 002 prints
x = -2, y = 5, z = -4 with f = -12 and gradients -4, -4, 3 (its figure; the text keeps the
inputs and the local derivatives, and f = (x + y)z, ∂f/∂x = ∂f/∂y = z, ∂f/∂z = x + y give the
rest); 003 prints .0434, .391, .074, .434 and -5.126; micrograd's README prints 24.7041,
138.8338 and 645.5773.
"""

import os
import sys

from _support import need_processes, raises, skip
from _support import scratch_folder as shared_scratch_folder

from refnet import __main__ as command
from refnet import sources
from refnet import worked_examples as W
from refnet.errors import InputError

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"

# What each document prints, as `show NAME` must print it in its "document" column.
PRINTED = [
    ("doc002-expression", ["-12", "-4", "3"]),
    ("doc002-sigmoid-neuron", ["0.73", "-0.53", "-0.20", "0.20", "0.2"]),
    ("doc002-second-neuron", []),  # 002 prints no result for it
    ("doc003-network", [".90", ".17", ".76", ".181", ".0434", ".391", ".074", ".434", "-5.126"]),
    ("doc001-softmax", []),  # 001 prints the code, no result
    ("micrograd-readme", ["24.7041", "138.8338", "645.5773"]),
]
# 002's (x + y)z: each node's name, value and gradient (the document's figure; closed forms above).
EXPRESSION_NODES = [("x", "-2", "-4"), ("y", "5", "-4"), ("z", "-4", "3"), ("q", "3", "-4"), ("f", "-12", "1")]


def scratch_folder():
    return shared_scratch_folder("refnet_tour_")


def read(path):
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8")


def tokens(text):
    """The words of an SVG's or DOT file's text: markup and punctuation become spaces, and the
    minus sign U+2212 becomes '-', so numbers compare as the document prints them."""
    words = []
    inside_tag = False
    current = []
    for character in text:
        if character == "<":
            inside_tag = True
        if inside_tag or character in "{}|\"';,[]=()\n\t":
            current.append(" ")
        else:
            current.append("-" if character == "\u2212" else character)
        if character == ">":
            inside_tag = False
    words = "".join(current).split()
    return words


def shows_node(words, name, data, grad, window=6):
    """True when some occurrence of `name` is followed, within `window` words, by `data` and
    then `grad`: the node's box, however draw.py lays out its lines."""
    for index, word in enumerate(words):
        if word != name:
            continue
        following = words[index + 1:index + 1 + window]
        if data in following and grad in following[following.index(data) + 1:]:
            return True
    return False


def test_list_prints_the_names_one_a_line():
    assert command.output(["list"]).split("\n") == W.NAMES
    assert command.output(["--list"]).split("\n") == W.NAMES
    assert len(W.NAMES) == 6 and W.NAMES[0] == "doc002-expression"


def test_old_names_are_aliases_of_the_document_names():
    for alias, name in W.ALIASES:
        assert W.canonical(alias) == name
        assert command.output(["show", alias]) == command.output(["show", name]), alias
    assert command.output(["softmax"]) == command.output(["show", "doc001-softmax"])


def test_show_prints_formulas_the_documents_numbers_and_the_source():
    for name, printed in PRINTED:
        text = command.output(["show", name])
        assert W.title(name) in text, name
        for line in W.formulas(name):
            assert line in text, (name, line)
        document_column = [row.split()[-2] for row in text.split("\n") if len(row.split()) >= 3]
        for number in printed:
            assert number in document_column, (name, number)
        source = sources.source(name)
        assert "source: " + source.document in text, name
        for line in source.excerpt:
            assert "| " + line in text, (name, line)


def test_show_expression_puts_the_document_number_beside_the_exact_one():
    rows = [row.split() for row in command.output(["show", "expression"]).split("\n")]
    for row in (["f", "-12", "-12"], ["df/dx", "-4", "-4"], ["df/dy", "-4", "-4"], ["df/dz", "3", "3"]):
        assert row in rows, row


def test_show_expression_has_the_formulas_of_002():
    # 002: f = qz; ∂f/∂q = z; ∂f/∂z = q and q = x + y; ∂q/∂x = 1; ∂q/∂y = 1
    text = command.output(["show", "expression"])
    for formula in ("q = x + y", "f = q·z", "∂f/∂q = z", "∂f/∂z = q", "∂q/∂x = 1", "∂q/∂y = 1"):
        assert formula in text, formula


def test_show_tells_the_backward_pass_edge_by_edge():
    # 002's (x + y)z: f's mul gate sends 1·z = -4 to q and 1·q = 3 to z; q's add gate passes -4 to x and y
    from refnet.backward_steps import explain
    root, names = W.graphs("expression")
    steps = explain(root, names)
    assert [(step.parent, step.contribution, step.child) for step in steps] == [
        ("f", -4.0, "q"), ("f", 3.0, "z"), ("q", -4.0, "x"), ("q", -4.0, "y")]
    for name in W.DRAWABLE:
        text = command.output(["show", name])
        root, names = W.graphs(name)
        for line in explain(root, names).table().split("\n"):
            assert "    " + line in text, (name, line)
    text = command.output(["show", "sigmoid-neuron"])
    assert "mul gate swaps" in text and "add gate distributes" in text


def test_the_default_prints_every_example_without_the_step_tables():
    text = command.output([])
    for name in W.NAMES:
        assert "[" + name + "]" in text and sources.source(name).excerpt[0] in text, name
    assert "contribution" not in text  # the step tables are show NAME's
    assert text.split("\n")[0] == command.TITLE


def test_show_expression_svg_writes_the_graph_with_002s_numbers():
    folder = scratch_folder() + "/graphs"  # a folder that does not exist yet: it is created
    text = command.output(["show", "expression", "--svg", folder])
    path = folder + "/doc002-expression.svg"
    assert text.split("\n")[-1] == "wrote " + path, text.split("\n")[-1]
    svg = read(path)
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg, svg[:120]
    words = tokens(svg)
    for name, data, grad in EXPRESSION_NODES:
        assert shows_node(words, name, data, grad), (name, data, grad)
    assert command.output(["show", "expression", "--svg", folder]) == text  # an existing folder is fine
    assert read(path) == svg  # and the same graph gives the same bytes


def test_show_expression_dot_writes_graphviz_text_with_002s_numbers():
    folder = scratch_folder()
    text = command.output(["show", "doc002-expression", "--dot=" + folder])
    path = folder + "/doc002-expression.dot"
    assert text.split("\n")[-1] == "wrote " + path
    dot = read(path)
    assert dot.startswith("digraph") and dot.rstrip().endswith("}"), dot[:80]
    words = tokens(dot)
    for name, data, grad in EXPRESSION_NODES:
        assert shows_node(words, name, data, grad), (name, data, grad)


def test_svg_and_dot_without_a_name_write_every_graph():
    folder = scratch_folder()
    text = command.output(["--svg", folder, "--dot", folder])
    expected = ["wrote " + folder + "/" + name + ".svg" for name in W.DRAWABLE]
    expected += ["wrote " + folder + "/" + name + ".dot" for name in W.DRAWABLE]
    assert text.split("\n") == expected, text
    assert "doc001-softmax" not in W.DRAWABLE and len(W.DRAWABLE) == 5
    for line in expected:
        content = read(line[len("wrote "):])
        assert content.startswith("<svg") or content.startswith("digraph"), line


def test_usage_errors_say_what_was_wrong_and_what_was_expected():
    for arguments, needles in (
            (["show"], ["show", "expected"]), (["show", "nosuch"], ["'nosuch'", "expected", "doc002-expression"]),
            (["nosuch"], ["'nosuch'", "expected"]), (["--bogus"], ["'--bogus'", "expected"]),
            (["list", "extra"], ["'extra'", "expected"]), (["show", "softmax", "b"], ["'b'", "expected"]),
            (["show", "expression", "--svg"], ["--svg", "expected a folder"]),
            (["--svg"], ["--svg", "expected a folder"]),
            (["show", "expression", "--svg", "a", "--svg", "b"], ["--svg", "twice", "expected"]),
            (["show", "softmax", "--svg", "a"], ["doc001-softmax", "no graph", "expected"]),
            (["show", "expression", "--png", "a"], ["'--png'", "expected --svg DIR or --dot DIR"]),
            (["tour"], ["tour", "expected --html DIR"]), (["tour", "--html"], ["tour", "expected --html DIR"]),
            (["pipeline"], ["pipeline", "expected main("])):
        error = raises(command.UsageError, command.output, arguments)
        message = str(error)
        assert "\n" not in message, message
        for needle in needles:
            assert needle in message, (arguments, needle, message)


def test_an_unwritable_folder_is_a_usage_error_naming_it():
    folder = scratch_folder()
    a_file = folder + "/not-a-folder"
    with open(a_file, "w") as handle:
        handle.write("a file, not a folder\n")
    for target in (a_file, a_file + "/graphs"):
        error = raises(command.UsageError, command.output, ["show", "expression", "--svg", target])
        assert target in str(error) and "expected a folder" in str(error), str(error)
        error = raises(command.UsageError, command.output, ["--dot", target])
        assert target in str(error) and "expected a folder" in str(error), str(error)


def test_help_lists_every_command_option_and_example():
    text = command.output(["--help"])
    assert command.output(["-h"]) == text and text.startswith("usage: python -m refnet")
    for needle in ("list", "show NAME", "--svg DIR", "--dot DIR", "pipeline", "tour --html DIR", "--help",
                   "Exit status"):
        assert needle in text, needle
    for name in W.NAMES:
        assert name in text and W.title(name) in text, name
    for alias, _ in W.ALIASES:
        assert alias in text, alias


def test_pipeline_and_tour_go_to_their_modules():
    # The modules' own work is tested with them; here only that the command line reaches them.
    from refnet import pipeline, tour_page
    calls = []
    original_command, original_write = pipeline.command, tour_page.write_tour

    def fake_command(arguments):
        calls.append(("pipeline", arguments))
        return 7

    def fake_write(directory):
        calls.append(("tour", directory))
        return directory + "/index.html"

    pipeline.command, tour_page.write_tour = fake_command, fake_write
    try:
        assert command.main(["pipeline", "--epochs", "3", "--quiet"]) == 7
        assert command.output(["tour", "--html", "site"]) == "site/index.html"
        assert command.output(["tour", "--html=site2"]) == "site2/index.html"
    finally:
        pipeline.command, tour_page.write_tour = original_command, original_write
    assert calls == [("pipeline", ["--epochs", "3", "--quiet"]), ("tour", "site"), ("tour", "site2")], calls


def seeds_folder():
    """The documents' folder: ../shared/seeds beside the repository, or /work/shared/seeds."""
    for folder in (HERE + "/../../shared/seeds", "/work/shared/seeds"):
        try:
            with open(folder + "/README.md", "rb"):
                return folder
        except OSError:
            pass
    skip("the documents (../shared/seeds/ beside the repository) are not here; the excerpts are checked "
         "where they are")


def test_each_excerpt_is_quoted_verbatim_and_in_order():
    folder = seeds_folder()
    checked = 0
    for name, source in sources.SOURCES:
        if not source.document.endswith(".txt"):
            continue  # micrograd's README is not one of the documents: see the next test
        text = read(folder + "/" + source.document)
        position = 0
        for line in source.excerpt:
            found = text.find(line, position)
            assert found >= 0, (name, source.document, line, "not found after offset " + str(position))
            position = found + len(line)
        checked += 1
    assert checked == 5


def test_the_micrograd_excerpt_prints_what_refnet_computes():
    # micrograd's README: "print(f'{g.data:.4f}') # prints 24.7041, ..." for g, a.grad, b.grad
    numbers = W.micrograd_readme()
    excerpt = sources.source("micrograd").excerpt
    for line, value in zip(excerpt, (numbers["g"], numbers["dg/da"], numbers["dg/db"])):
        assert "# prints " + f"{value:.4f}" + "," in line, (line, value)


def test_every_example_has_a_source_and_formulas():
    assert [name for name, _ in sources.SOURCES] == W.NAMES
    assert [name for name, _ in W.FORMULAS] == W.NAMES
    for name in W.NAMES:
        source = sources.source(name)
        assert source.excerpt and source.section and source.gloss, name
        assert all(len(line) <= 96 for line in source.lines()[len(source.excerpt) + 1:]), name
    raises(InputError, sources.source, "nosuch")


def run_module(arguments):
    subprocess = need_processes()
    root = HERE + "/.."
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.path.abspath(root)
    process = subprocess.run([sys.executable, "-m", "refnet"] + arguments, cwd=root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=environment, timeout=120)
    return process.returncode, process.stdout.decode("utf-8"), process.stderr.decode("utf-8")


def test_as_a_process_show_svg_writes_and_errors_exit_2():
    need_processes()
    folder = scratch_folder()
    status, out, err = run_module(["show", "doc002-expression", "--svg", folder, "--dot", folder])
    assert status == 0 and err == "", (status, err)
    assert out.rstrip("\n").split("\n")[-2:] == ["wrote " + folder + "/doc002-expression.svg",
                                                  "wrote " + folder + "/doc002-expression.dot"], out[-300:]
    assert shows_node(tokens(read(folder + "/doc002-expression.svg")), "f", "-12", "1")
    a_file = folder + "/doc002-expression.svg"
    for arguments in (["show", "nosuch"], ["show", "expression", "--svg", a_file + "/x"], ["tour"]):
        status, out, err = run_module(arguments)
        assert status == 2 and out == "" and len(err.splitlines()) == 1 and "expected" in err, (arguments, err)
