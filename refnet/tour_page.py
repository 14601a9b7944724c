"""The tour as one static web page: every worked example with its graph, its backward pass step
by step and the documents' numbers beside refnet's, then 002's pipeline with its two plots.

    python -m refnet tour --html DIR        writes DIR/index.html and prints its path
    refnet.tour_page.write_tour(DIR)        the same from Python; returns the path

For each example of refnet/worked_examples.py the page shows, in the order a reader needs them:

    source      the document's file name, section and a short verbatim excerpt (refnet/sources.py)
    formulas    each gate's forward formula, q = x + y, and its local derivative, ∂q/∂x = 1
    graph       refnet.draw.to_svg(root, names): data above each box, ∂L/∂value below
    steps       refnet.explain(root, names): ∂L/∂child += ∂L/∂parent · ∂parent/∂child, edge by edge
    numbers     what the document prints beside what refnet computes

and, last, 002_22dd3b33c61b9037.txt's pipeline (refnet/pipeline.py): its loss per epoch and its
decision boundary, each an SVG drawn by refnet/plot.py.

The page is self-contained: inline CSS, inline SVG, no script, no font or image to fetch, no
link that leaves the file; it opens offline from a file: URL. Its markup is also well-formed XML
(every element closed, only the five XML entities), so any XML parser can check it. The bytes
depend only on the examples: no date, no timing, no path; the same refnet writes the same page.
"""

from refnet import _files as files
from refnet import worked_examples as examples
from refnet._checks import as_int, shown
from refnet.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Sequence, Tuple

    from refnet.backward_steps import BackwardSteps, Step
    from refnet.value import Value

TITLE = "refnet: the worked examples, gate by gate"
PAGE_NAME = "index.html"
# 002's main() trains for 200 epochs; on the scalar path that takes about 1.2 s on CPython 3.11
# (measured for this page), so the page shows all 200: the curve the document's run would draw.
PIPELINE_EPOCHS = 200
INFIX_OPS = {"+": "+", "-": "\u2212", "*": "\u00b7", "/": "/", "**": "^"}
STYLE = """
body { margin: 0 auto; max-width: 1200px; padding: 0 24px 48px; color: #1a1a1a; background: #ffffff;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { margin: 24px 0 8px; font-size: 28px; }
h2 { margin: 40px 0 4px; padding-top: 12px; border-top: 2px solid #d0d7de; font-size: 22px; }
h3 { margin: 20px 0 6px; font-size: 16px; color: #333333; }
nav ul { margin: 0; padding-left: 20px; columns: 2; }
code, pre, td.number, td.formula { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
p.source { margin: 4px 0; color: #444444; }
blockquote { margin: 8px 0; padding: 4px 12px; border-left: 4px solid #8c959f; background: #f6f8fa; }
blockquote pre { margin: 4px 0; white-space: pre-wrap; font-size: 13px; }
blockquote p.gloss { margin: 4px 0; font-style: italic; color: #444444; }
ul.formulas { margin: 0; padding-left: 20px; }
figure { margin: 8px 0; overflow-x: auto; }
figure svg { display: block; max-width: none; height: auto; }
figcaption { font-size: 13px; color: #555555; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { padding: 2px 8px; border-bottom: 1px solid #e1e4e8; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.number { text-align: right; white-space: nowrap; }
.plots { display: flex; flex-wrap: wrap; gap: 16px; }
footer { margin-top: 48px; font-size: 13px; color: #555555; }
"""


def _escape(text: str) -> str:
    """Text safe as HTML (and XML) element content or a double-quoted attribute value."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _number(x: float) -> str:
    """x to 6 significant digits, never "-0": 3.0 → "3", -0.19661193 → "-0.196612"."""
    if x == 0.0:
        return "0"
    return f"{x:.6g}"


def _element_id(name: str) -> str:
    """An HTML id made of name's letters, digits and hyphens (anything else becomes a hyphen)."""
    kept = [c if ("a" <= c <= "z" or "0" <= c <= "9") else "-" for c in name.lower()]
    return "".join(kept)


def _scoped_svg(svg: str, scope: str, attributes: str) -> str:
    """An SVG document ready to sit inline in the page: any XML declaration dropped, every id it
    defines prefixed with `scope` (and its url(#…) and href="#…" references), so that two drawings
    on one page never share an id, and `attributes` added to its <svg> element."""
    start = svg.find("<svg")
    if start < 0:
        raise InputError(f"tour_page: expected an SVG document starting with <svg, got {svg[:60]!r}")
    svg = svg[start:].rstrip()
    defined = []
    position = svg.find(' id="')
    while position >= 0:
        end = svg.find('"', position + 5)
        defined.append(svg[position + 5:end])
        position = svg.find(' id="', end)
    for name in defined:
        scoped = f"{scope}-{name}"
        svg = (svg.replace(f' id="{name}"', f' id="{scoped}"').replace(f"url(#{name})", f"url(#{scoped})")
               .replace(f'href="#{name}"', f'href="#{scoped}"'))
    return "<svg " + attributes + " " + svg[len("<svg "):]


def _table(header: "Sequence[str]", rows: "Sequence[Sequence[Tuple[str, str]]]", css_class: str) -> str:
    """An HTML table: `header` cells, then rows of (text, cell class) cells; every text escaped."""
    lines = [f'<table class="{css_class}">', "<thead><tr>" + "".join(f"<th>{_escape(h)}</th>" for h in header)
             + "</tr></thead>", "<tbody>"]
    for row in rows:
        cells = "".join(f'<td class="{kind}">{_escape(text)}</td>' if kind else f"<td>{_escape(text)}</td>"
                        for text, kind in row)
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _gates_with_edges(root: "Value", steps: "BackwardSteps") -> "List[Tuple[Value, List[Step]]]":
    """Every gate of root's graph with explain()'s steps for its inputs, inputs before outputs.

    explain() lists the edges in backward()'s order: the gates in reverse topological order, each
    gate's inputs in order; so its steps, taken len(children) at a time, belong to one gate each.
    """
    gates = [node for node in reversed(root.topological_order()) if node.children]
    paired = []
    position = 0
    for gate in gates:
        paired.append((gate, [steps[position + k] for k in range(len(gate.children))]))
        position += len(gate.children)
    if position != len(steps):
        raise InputError(f"tour_page: explain() gave {len(steps)} steps for a graph of {position} edges; "
                         "expected one step per edge, in backward()'s order")
    paired.reverse()
    return paired


def _forward_formula(gate: "Value", name: str, inputs: "List[str]") -> str:
    """One gate's forward formula with its value: "q = x + y = 3", "s = sigmoid(n) = 0.731059",
    "f = (1+e)^-1 = 0.731059" (a power's op names its exponent: "**-1")."""
    if gate.op in INFIX_OPS and len(inputs) == 2:
        expression = f"{inputs[0]} {INFIX_OPS[gate.op]} {inputs[1]}"
    elif gate.op.startswith("**") and len(inputs) == 1:
        plain = all("a" <= c.lower() <= "z" or "0" <= c <= "9" for c in inputs[0])
        expression = f"{inputs[0] if plain else '(' + inputs[0] + ')'}^{gate.op[2:]}"
    else:
        expression = f"{gate.op}({', '.join(inputs)})"
    if expression == name:  # a node named by its own formula, as 002's exp(-net)
        return f"{name} = {_number(gate.data)}"
    return f"{name} = {expression} = {_number(gate.data)}"


def _formulas_list(root: "Value", steps: "BackwardSteps") -> str:
    """Every gate's forward formula with its value, and below it each local derivative with the
    rule it comes from (explain's formula): ∂q/∂x = 1 (∂(a+b)/∂a = 1)."""
    items = []
    for gate, edges in _gates_with_edges(root, steps):
        formula = _forward_formula(gate, edges[0].parent, [edge.child for edge in edges])
        derivatives = "".join(f"<br/>\u00a0\u00a0\u2202{_escape(edge.parent)}/\u2202{_escape(edge.child)} = "
                              f"{_number(edge.local)}   ({_escape(edge.formula)})" for edge in edges)
        items.append(f"<li><code>{_escape(formula)}</code>{derivatives}</li>")
    return '<ul class="formulas">\n' + "\n".join(items) + "\n</ul>"


def _steps_table(steps: "BackwardSteps") -> str:
    """explain()'s steps as an HTML table, one row per edge in the order backward() takes them."""
    header = ["#", "parent", "op", "upstream \u2202L/\u2202parent", "local \u2202parent/\u2202child",
              "formula", "contribution", "child", "total \u2202L/\u2202child", "rule"]
    rows = []
    for index, step in enumerate(steps):
        rows.append([(str(index + 1), "number"), (step.parent, ""), (step.op, ""), (_number(step.upstream), "number"),
                     (_number(step.local), "number"), (step.formula, "formula"),
                     (_number(step.contribution), "number"), (step.child, ""), (_number(step.total), "number"),
                     (step.rule, "")])
    return _table(header, rows, "steps")


def _source_block(name: str) -> str:
    """Where the example's numbers come from: the document, the section, its words verbatim, a gloss."""
    from refnet import sources
    source = sources.source(name)
    excerpt = "\n".join(source.excerpt)
    return (f'<p class="source">Source: <cite>{_escape(source.document)}</cite> ({_escape(source.language)}), '
            f"{_escape(source.section)}</p>\n"
            f'<blockquote class="excerpt"><pre>{_escape(excerpt)}</pre>\n'
            f'<p class="gloss">{_escape(source.gloss)}</p></blockquote>')


def _numbers_block(name: str) -> str:
    """What the document prints beside what refnet computes: the lines `python -m refnet show NAME` prints."""
    from refnet import __main__ as command_line
    lines: "List[str]" = []
    for known, numbers in command_line.NUMBERS:
        if known == name:
            lines = numbers()
    return f'<pre class="numbers">{_escape(chr(10).join(line[2:] for line in lines))}</pre>'


def _example_section(name: str) -> str:
    """One worked example: title, source, formulas, then (for a graph of Values) the graph and the steps."""
    scope = "example-" + _element_id(name)
    parts = [f'<section id="{scope}" class="example">',
             f"<h2>{_escape(examples.title(name))} <small>[{_escape(name)}]</small></h2>",
             _source_block(name),
             "<h3>Formulas: each gate forward, and its local derivatives</h3>",
             "<pre class=\"formulas\">" + _escape("\n".join(examples.formulas(name))) + "</pre>"]
    if name in examples.DRAWABLE:
        from refnet import draw
        from refnet.backward_steps import explain
        root, names = examples.graphs(name)
        steps = explain(root, names)
        top = steps[0].parent if len(steps) else "L"  # backward() starts at the root: the first step's parent
        svg = _scoped_svg(draw.to_svg(root, names), scope, f'data-example="{_escape(name)}"')
        parts += ["<h3>The graph after backward()</h3>",
                  f'<figure class="graph">{svg}',
                  "<figcaption>Each box is a Value: its name, its data (forward value) above and its gradient "
                  "\u2202L/\u2202value below; each ellipse is a gate.</figcaption></figure>",
                  "<h3>Gate by gate, with this graph's numbers</h3>",
                  _formulas_list(root, steps),
                  "<h3>Backward, edge by edge</h3>",
                  f"<p>\u2202{_escape(top)}/\u2202{_escape(top)} = 1, then for each edge, in the order "
                  "backward() takes them: \u2202L/\u2202child += \u2202L/\u2202parent \u00b7 "
                  "\u2202parent/\u2202child.</p>",
                  _steps_table(steps)]
    parts += ["<h3>The document's numbers beside refnet's</h3>", _numbers_block(name), "</section>"]
    return "\n".join(parts)


def _pipeline_section(epochs: int) -> str:
    """002's pipeline on the scalar path: what was run, the accuracies, the loss curve, the boundary."""
    from refnet import pipeline
    result = pipeline.run(path="scalar", epochs=epochs, verbose=False)
    facts = [("data", f"two_moons({result.train_size + result.test_size}, noise={pipeline.NOISE}) from "
                      f"PRNG({result.setting('seed')}), the document's create_data(300)"),
             ("split", f"{result.train_size} training, {result.test_size} test points"),
             ("network", f"2 \u2192 {result.setting('hidden')} tanh \u2192 2 scores \u2192 softmax cross-entropy"),
             ("L2", f"\u03bb = {result.setting('reg_lambda'):g} on the weights, penalty (\u03bb/2)\u03a3W\u00b2"),
             ("descent", f"{len(result.loss)} full-batch steps W \u2190 W \u2212 (learning_rate/N)\u00b7dW, "
                         f"learning_rate = {result.setting('learning_rate'):g}"),
             ("final loss", f"J = {_number(result.loss[-1])}"),
             ("train accuracy", f"{100.0 * result.train_accuracy:.1f}%"),
             ("test accuracy", f"{100.0 * result.test_accuracy:.1f}%")]
    return "\n".join([
        '<section id="pipeline" class="pipeline">',
        "<h2>002's pipeline: two moons, a 2-layer tanh + softmax network, gradient descent</h2>",
        '<p class="source">Source: <cite>002_22dd3b33c61b9037.txt</cite>, main(), train_model(), '
        "plot_results(); the choices the document leaves open are refnet's (refnet/pipeline.py). "
        "python -m refnet pipeline runs it on both paths.</p>",
        _table(["", "scalar path (refnet.nn on Values)"], [[(key, ""), (value, "")] for key, value in facts],
              "pipeline-facts"),
        '<div class="plots">',
        '<figure class="plot">' + _scoped_svg(result.loss_svg, "pipeline-loss", 'data-plot="loss"')
        + "<figcaption>The loss J per epoch.</figcaption></figure>",
        '<figure class="plot">' + _scoped_svg(result.boundary_svg, "pipeline-boundary",
                                             'data-plot="boundary"')
        + "<figcaption>The test points over the class the trained network predicts at each place."
          "</figcaption></figure>",
        "</div>", "</section>"])


def page(epochs: int = PIPELINE_EPOCHS) -> str:
    """The whole tour as one HTML document (well-formed XML too); `epochs` for the pipeline's run."""
    epochs = as_int(epochs, "tour_page.page(epochs)", minimum=1)
    contents = "\n".join(f'<li><a href="#example-{_element_id(name)}">{_escape(examples.title(name))}</a></li>'
                         for name in examples.NAMES)
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8"/>',
             '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
             f"<title>{_escape(TITLE)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             "<header>", f"<h1>{_escape(TITLE)}</h1>",
             "<p>Each worked example of the source documents, computed live by refnet: where its numbers come "
             "from (the document's own words), the formulas of its gates, its computational graph after "
             "backward() with each value above and each gradient below, the backward pass edge by edge "
             "(the chain rule \u2202L/\u2202child += \u2202L/\u2202parent \u00b7 \u2202parent/\u2202child), and "
             "what the document prints beside what refnet computes. Last, 002's pipeline end to end. "
             "The same tour prints in a terminal: python -m refnet show NAME.</p>",
             "<nav><ul>", contents, '<li><a href="#pipeline">002\'s pipeline</a></li>', "</ul></nav>",
             "</header>", "<main>"]
    parts += [_example_section(name) for name in examples.NAMES]
    parts += [_pipeline_section(epochs), "</main>",
              "<footer>Written by refnet (python -m refnet tour --html DIR; refnet/tour_page.py). "
              "Self-contained: no script, nothing fetched.</footer>", "</body>", "</html>", ""]
    return "\n".join(parts)


def write_tour(directory: str, epochs: int = PIPELINE_EPOCHS) -> str:
    """Write the tour to directory/index.html (creating the directory); the page's path.

    InputError for a directory that is not a non-empty str, or a folder that cannot be made or
    written (naming the folder and the reason; python -m refnet tour turns it into a usage error).
    The folder is made before the page is computed, so a folder that cannot be made costs no run.
    """
    if not isinstance(directory, str) or not directory:
        raise InputError(f"write_tour(directory): expected a non-empty folder path (str), got {shown(directory)}")
    epochs = as_int(epochs, "write_tour(epochs)", minimum=1)
    files.make_directories(directory, "write_tour(directory)")
    path = directory.rstrip("/") + "/" + PAGE_NAME if directory.rstrip("/") else "/" + PAGE_NAME
    text = page(epochs)
    files.write_text(path, text, "write_tour(directory)")
    return path
