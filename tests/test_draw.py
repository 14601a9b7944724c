"""refnet.draw: the DOT and SVG pictures of a graph, their numbers, their layout and their refusals.

Where the expected text comes from:
- the DOT of 002's (x + y)·z is written out by hand below from to_dot's format rules (post-order
  numbering, one record per Value, one ellipse per op), with 002_22dd3b33c61b9037.txt's numbers:
  x = -2, y = 5, z = -4, q = 3, f = -12 and the gradients -4, -4, 3 (and 1 at f);
- the SVG and DOT files in tests/golden/ were generated once by write_golden_files() below and
  looked at: each rendered to PNG in headless Chromium (the DOT with Graphviz) and checked by eye
  for every node's name, data and gradient, its op, and the layout (no overlaps, edges into the right
  gate). Their numbers are checked again here against the documents (test_svg_of_*_shows_*);
- format_number is held to hand-worked cases (%.4g's rules) and, on CPython and PyPy, to CPython's
  correctly rounded "%.4g" on random floats.

Regenerate the golden files (and look at them again) with: python tests/test_draw.py write
"""

import os
import sys

from _support import raises, skip
from refnet import Value, draw, nn
from refnet.errors import InputError
from refnet.prng import PRNG

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
GOLDEN = HERE + "/golden"


# -- the documents' examples, built from their own inputs --------------------------------------

def expression_002():
    """002_22dd3b33c61b9037.txt: f = (x + y)·z at x = -2, y = 5, z = -4."""
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    q = x + y
    f = q * z
    f.backward()
    return f, {"x": x, "y": y, "z": z, "q": q, "f": f}


def sigmoid_neuron_002():
    """002: f = 1/(1 + e^-(w0 x0 + w1 x1 + w2)) gate by gate, w = (2, -3, -3), x = (-1, -2)."""
    w0, x0, w1, x1, w2 = Value(2.0), Value(-1.0), Value(-3.0), Value(-2.0), Value(-3.0)
    dot = w0 * x0 + w1 * x1 + w2
    f = ((dot * -1.0).exp() + 1.0) ** -1
    f.backward()
    return f, {"w0": w0, "x0": x0, "w1": w1, "x1": x1, "w2": w2, "f": f}


def network_003():
    """003_83fae8590fc0f361.txt: inputs A = 1, B = 0, sigmoid units D, E, G, E = 1/2 (t - y)^2, t = 1.

    Weights read off 003's figure (as refnet/worked_examples.py holds them); C and F are the bias units."""
    a, b = Value(1.0), Value(0.0)
    w_da, w_db, w_dc = Value(3.7), Value(3.7), Value(-1.5)
    w_ea, w_eb, w_ec = Value(2.9), Value(2.9), Value(-4.5)
    w_gd, w_ge, w_gf = Value(4.5), Value(-5.2), Value(-2.0)
    h_d = (w_da * a + w_db * b + w_dc).sigmoid()
    h_e = (w_ea * a + w_eb * b + w_ec).sigmoid()
    y = (w_gd * h_d + w_ge * h_e + w_gf).sigmoid()
    error = (1.0 - y) ** 2 * 0.5
    error.backward()
    return error, {"A": a, "B": b, "wDA": w_da, "wDB": w_db, "wDC": w_dc, "wEA": w_ea, "wEB": w_eb, "wEC": w_ec,
                   "wGD": w_gd, "wGE": w_ge, "wGF": w_gf, "hD": h_d, "hE": h_e, "y": y, "error": error}


def small_mlp(fused):
    """A 2-2-1 tanh MLP with fixed weights, one example x = (0.5, -1), its output's backward."""
    model = nn.MLP(2, [2, 1], activation="tanh", output_activation="linear", rng=PRNG(0), fused=fused)
    model.load_state_dict({"layers.0.weight": [[0.5, -1.0], [2.0, 0.25]], "layers.0.bias": [0.1, -0.2],
                           "layers.1.weight": [[1.5, -0.5]], "layers.1.bias": [0.3]})
    x = [Value(0.5), Value(-1.0)]
    out = model(x)[0]
    out.backward()
    names = {"x1": x[0], "x2": x[1], "out": out}
    for number, layer in enumerate(model.layers):
        for j, row in enumerate(layer.weight):
            names[f"b{number + 1}[{j}]"] = layer.bias[j]
            for i, weight in enumerate(row):
                names[f"W{number + 1}[{j},{i}]"] = weight
    return out, names


# file name, example, title (the SVG's; the DOT of the sigmoid neuron has a golden file too)
SVG_EXAMPLES = [
    ("expression_002.svg", expression_002, "002: f = (x + y) * z"),
    ("sigmoid_neuron_002.svg", sigmoid_neuron_002, "002: a sigmoid neuron, gate by gate"),
    ("network_003.svg", network_003, "003: the network and its error 1/2 (t - y)^2"),
    ("mlp_fused.svg", lambda: small_mlp(True), "MLP 2-2-1 tanh, one example (fused neurons)"),
    ("mlp_per_op.svg", lambda: small_mlp(False), "MLP 2-2-1 tanh, one example (fused=False: every gate)"),
]


def drawing(file_name):
    for name, example, title in SVG_EXAMPLES:
        if name == file_name:
            root, names = example()
            return draw.to_svg(root, names=names, title=title)
    raise AssertionError("no example for " + file_name)


def sigmoid_dot():
    root, names = sigmoid_neuron_002()
    return draw.to_dot(root, names=names, title="002: a sigmoid neuron, gate by gate")


def golden(file_name):
    """The golden file's text, or skip where this runtime's file system does not hold tests/golden/."""
    path = GOLDEN + "/" + file_name
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except OSError:
        skip("the golden file " + path + " is not reachable on " + sys.implementation.name)


def write_golden_files():
    """Write tests/golden/ from the current refnet.draw (then render them and look at them)."""
    try:
        os.mkdir(GOLDEN)
    except OSError:
        pass
    outputs = [(name, drawing(name)) for name, _, _ in SVG_EXAMPLES] + [("sigmoid_neuron_002.dot", sigmoid_dot())]
    for name, text in outputs:
        with open(GOLDEN + "/" + name, "wb") as handle:
            handle.write(text.encode("utf-8"))
        print("wrote", GOLDEN + "/" + name, len(text), "characters")


def parsed(svg):
    """The SVG as an ElementTree element (CPython, PyPy, Pyodide; MicroPython has no xml)."""
    try:
        from xml.etree import ElementTree
    except ImportError:
        skip("no xml.etree on " + sys.implementation.name + " to parse the SVG with")
    return ElementTree.fromstring(svg)


SVG = "{http://www.w3.org/2000/svg}"


def texts(svg, kind):
    """The text of every <text class=kind> of the SVG, in document order."""
    return [element.text for element in parsed(svg).iter(SVG + "text") if element.get("class") == kind]


# -- numbers ------------------------------------------------------------------------------------

def test_format_number_writes_four_significant_digits_as_percent_g_does():
    # %.4g: four significant digits, trailing zeros dropped, exponent form below 1e-4 and from 1e4
    cases = [(-12.0, "-12"), (3.0, "3"), (1.0, "1"), (0.7310585786300049, "0.7311"), (-0.19661193324148185, "-0.1966"),
             (0.5, "0.5"), (1234.4, "1234"), (9999.4, "9999"), (9999.5, "1e+04"), (12345.0, "1.234e+04"),
             (12355.0, "1.236e+04"), (10005.0, "1e+04"), (10015.0, "1.002e+04"), (123456.0, "1.235e+05"),
             (0.0001, "0.0001"), (0.00012345, "0.0001234"), (0.00001, "1e-05"), (2.5e-7, "2.5e-07"),
             (1e100, "1e+100"), (-3.0e-300, "-3e-300"), (5e-324, "4.941e-324"), (1.7976931348623157e308, "1.798e+308"),
             (0.1, "0.1"), (0.30000000000000004, "0.3"), (2.0 / 3.0, "0.6667"),
             (-99.995, "-100")]  # the float -99.995 is -99.99500000000000454…, beyond the tie: -100
    for number, expected in cases:
        assert draw.format_number(number) == expected, (number, draw.format_number(number), expected)


def test_format_number_zero_has_no_sign_and_non_finite_numbers_are_named():
    assert draw.format_number(0.0) == "0" and draw.format_number(-0.0) == "0"
    assert draw.format_number(float("nan")) == "nan"
    assert (draw.format_number(float("inf")), draw.format_number(float("-inf"))) == ("inf", "-inf")


def test_format_number_agrees_with_cpythons_correctly_rounded_percent_g():
    if sys.implementation.name not in ("cpython", "pypy"):
        skip("the reference is CPython's correctly rounded %.4g, not " + sys.implementation.name + "'s own")
    import struct

    rng = PRNG(17)
    checked = 0
    for _ in range(20000):
        number = struct.unpack("<d", struct.pack("<Q", rng.next_u64()))[0]  # any bit pattern: every exponent
        if number != number or number in (float("inf"), float("-inf")):
            continue
        expected = "0" if number == 0.0 else "%.4g" % number
        assert draw.format_number(number) == expected, (repr(number), draw.format_number(number), expected)
        checked += 1
    for _ in range(20000):
        number = rng.uniform(-1.0, 1.0) * 10.0 ** rng.below(16)  # the everyday range, ties included
        expected = "0" if number == 0.0 else "%.4g" % number
        assert draw.format_number(number) == expected, (repr(number), draw.format_number(number), expected)
        checked += 1
    assert checked > 39000


# -- DOT ----------------------------------------------------------------------------------------

# Written out by hand: the Values numbered in depth-first post-order from f, first child first
# (f's children are q, z; q's are x, y), so x = v0, y = v1, q = v2, z = v3, f = v4. Each Value is a
# record { name | data d | grad g }; each computed one is preceded by its op's ellipse v<n>op, the
# edges from its children in argument order, and the edge from the op to it.
EXPRESSION_002_DOT = """digraph refnet {
  rankdir=LR;
  node [fontname="monospace", fontsize=12];
  v0 [shape=record, label="{ x | data -2 | grad -4 }"];
  v1 [shape=record, label="{ y | data 5 | grad -4 }"];
  v2 [shape=record, label="{ q | data 3 | grad -4 }"];
  v2op [shape=ellipse, label="+"];
  v0 -> v2op;
  v1 -> v2op;
  v2op -> v2;
  v3 [shape=record, label="{ z | data -4 | grad 3 }"];
  v4 [shape=record, label="{ f | data -12 | grad 1 }"];
  v4op [shape=ellipse, label="*"];
  v2 -> v4op;
  v3 -> v4op;
  v4op -> v4;
}
"""


def test_dot_of_expression_002_is_the_hand_written_text():
    root, names = expression_002()
    assert draw.to_dot(root, names=names) == EXPRESSION_002_DOT


def test_dot_without_names_has_data_and_grad_only_and_a_title_labels_the_graph():
    x = Value(2.0)
    f = x.tanh()
    expected = ('digraph refnet {\n  rankdir=LR;\n  label="tanh of 2";\n  labelloc=t;\n'
                '  node [fontname="monospace", fontsize=12];\n'
                '  v0 [shape=record, label="{ data 2 | grad 0 }"];\n'
                '  v1 [shape=record, label="{ data 0.964 | grad 0 }"];\n'  # tanh 2 = 0.96403
                '  v1op [shape=ellipse, label="tanh"];\n  v0 -> v1op;\n  v1op -> v1;\n}\n')
    assert draw.to_dot(f, title="tanh of 2") == expected


def test_dot_escapes_quotes_backslashes_and_record_separators_in_names():
    x = Value(1.0)
    text = draw.to_dot(x, names={'say "hi" {a|b} <c> \\': x}, title='a "title"')
    assert '  label="a \\"title\\"";\n' in text
    assert '  v0 [shape=record, label="{ say \\"hi\\" \\{a\\|b\\} \\<c\\> \\\\ | data 1 | grad 0 }"];\n' in text


def test_dot_of_the_sigmoid_neuron_matches_its_golden_file():
    assert sigmoid_dot() == golden("sigmoid_neuron_002.dot")


# -- SVG: golden files and their numbers --------------------------------------------------------

def test_svg_of_each_example_matches_its_golden_file():
    for name, _, _ in SVG_EXAMPLES:
        assert drawing(name) == golden(name), name + " differs from tests/golden/" + name


def test_svg_of_expression_002_shows_its_values_and_gradients():
    svg = drawing("expression_002.svg")
    # 002: x = -2, y = 5, z = -4, q = x + y = 3, f = q z = -12; df/dx = df/dy = z = -4, df/dq = -4, df/dz = q = 3
    assert texts(svg, "name") == ["x", "y", "q", "z", "f"]
    assert texts(svg, "data") == ["data -2", "data 5", "data 3", "data -4", "data -12"]
    assert texts(svg, "grad") == ["grad -4", "grad -4", "grad -4", "grad 3", "grad 1"]
    assert [element.text for element in parsed(svg).iter(SVG + "text") if element.get("class") is None] \
        == ["002: f = (x + y) * z", "+", "*"]


def test_svg_of_the_sigmoid_neuron_shows_002s_gate_gradients():
    svg = drawing("sigmoid_neuron_002.svg")
    # post-order: w0, x0, w0·x0, w1, x1, w1·x1, their sum, w2, the net input, the constant -1, ·(-1), exp,
    # the constant 1, +1, 1/x. 002: net input 1, output 0.73; the gradient at the 1/x gate's input -0.53
    # (-1/u² at u = 1 + e⁻¹ = 1.368: -0.5344), which the +1 gate distributes to both its inputs, then
    # -0.20 at exp's input (-0.5344·e⁻¹), 0.20 at the net input (σ′(1) = 0.1966); the mul gates swap:
    # w0 gets x0·0.1966, x0 gets w0·0.1966, w1 x1·0.1966, x1 w1·0.1966, the constant -1 gets 1·(-0.1966)
    assert texts(svg, "data") == ["data " + text for text in
                                  ["2", "-1", "-2", "-3", "-2", "6", "4", "-3", "1", "-1", "-1", "0.3679", "1",
                                   "1.368", "0.7311"]]
    assert texts(svg, "grad") == ["grad " + text for text in
                                  ["-0.1966", "0.3932", "0.1966", "-0.3932", "-0.5898", "0.1966", "0.1966", "0.1966",
                                   "0.1966", "-0.1966", "-0.1966", "-0.5344", "-0.5344", "-0.5344", "1"]]
    names = texts(svg, "name")
    assert names == ["w0", "x0", "w1", "x1", "w2", "f"]
    ops = [element.text for element in parsed(svg).iter(SVG + "text") if element.get("class") is None][1:]
    assert sorted(ops) == sorted(["*", "*", "+", "+", "*", "exp", "+", "**-1"])


def test_svg_of_network_003_shows_003s_forward_numbers():
    svg = drawing("network_003.svg")
    by_name = {}
    root = parsed(svg)
    for group in root.iter(SVG + "g"):
        if group.get("class") == "value":
            parts = {element.get("class"): element.text for element in group.iter(SVG + "text")}
            if "name" in parts:
                by_name[parts["name"]] = (parts["data"], parts["grad"])
    # 003: hD = .90, hE = .17, y = .76 (its printed two digits; four here); t = 1, so E = (1 - y)^2 / 2
    assert by_name["hD"][0] == "data 0.9002" and by_name["hE"][0] == "data 0.168" and by_name["y"][0] == "data 0.7645"
    assert by_name["error"] == ("data 0.02773", "grad 1")
    # δ_G = (t - y) y (1 - y) = .0434 (003), so dE/dwGD = -δ_G hD = -.0391 (003's Δw_GD = .391 at μ = 10)
    assert by_name["wGD"][1] == "grad -0.03816" and by_name["wGF"][1] == "grad -0.04239"


def test_svg_of_the_fused_and_the_per_op_mlp_agree_on_output_and_input_gradients():
    fused = drawing("mlp_fused.svg")
    per_op = drawing("mlp_per_op.svg")
    for svg in (fused, per_op):
        assert [name for name in texts(svg, "name") if name[0] not in "Wb"] == ["x1", "x2", "out"]
    # the same network (nn.Neuron: fused or not, the same floats forward): the output and the inputs'
    # data and gradients are the same numbers either way, out = 1.5 tanh(0.5·0.5 - 1·(-1) + 0.1)
    # - 0.5 tanh(2·0.5 + 0.25·(-1) - 0.2) + 0.3 = 1.5 tanh 1.35 - 0.5 tanh 0.55 + 0.3 = 1.3608
    fused_inputs = [(texts(fused, "data")[index], texts(fused, "grad")[index]) for index in input_positions(fused)]
    per_op_inputs = [(texts(per_op, "data")[index], texts(per_op, "grad")[index]) for index in input_positions(per_op)]
    assert fused_inputs == per_op_inputs and [data for data, _ in fused_inputs] == ["data 0.5", "data -1"]
    assert texts(fused, "data")[-1] == texts(per_op, "data")[-1] == "data 1.361"
    assert len(texts(per_op, "data")) > len(texts(fused, "data"))


def input_positions(svg):
    """The positions, among the value boxes, of the boxes named x1 and x2."""
    positions = []
    for index, group in enumerate([g for g in parsed(svg).iter(SVG + "g") if g.get("class") == "value"]):
        names = [element.text for element in group.iter(SVG + "text") if element.get("class") == "name"]
        if names and names[0] in ("x1", "x2"):
            positions.append(index)
    return positions


def test_svg_is_valid_xml_with_its_size_readable_fonts_and_no_ids_or_scripts():
    for name, _, _ in SVG_EXAMPLES:
        svg = drawing(name)
        root = parsed(svg)
        assert root.tag == SVG + "svg", name
        width, height = int(root.get("width")), int(root.get("height"))
        assert root.get("viewBox") == "0 0 " + str(width) + " " + str(height), name
        assert int(root.get("font-size")) >= 11, name
        for element in root.iter():
            assert element.get("id") is None and not element.tag.endswith("script"), (name, element.tag)
            if element.get("font-size") is not None:
                assert int(element.get("font-size")) >= 11, (name, element.tag)


def test_svg_boxes_and_gates_stay_inside_the_picture_and_never_overlap():
    for name, _, _ in SVG_EXAMPLES:
        root = parsed(drawing(name))
        width, height = int(root.get("width")), int(root.get("height"))
        shapes = []
        for element in root.iter():
            if element.tag == SVG + "rect" and element.get("rx") is not None:
                x, y = int(element.get("x")), int(element.get("y"))
                shapes.append((x, y, x + int(element.get("width")), y + int(element.get("height"))))
            elif element.tag == SVG + "ellipse":
                cx, cy, rx, ry = [int(element.get(key)) for key in ("cx", "cy", "rx", "ry")]
                shapes.append((cx - rx, cy - ry, cx + rx, cy + ry))
        assert len(shapes) > 4, name
        for index, (left, top, right, bottom) in enumerate(shapes):
            assert 0 <= left < right <= width and 0 <= top < bottom <= height, (name, shapes[index])
            for other in shapes[index + 1:]:
                apart = right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top
                assert apart, (name, shapes[index], other)


def test_svg_escapes_names_and_titles_for_xml():
    x = Value(1.0)
    f = x * 2.0
    svg = draw.to_svg(f, names={"a<b & \"c\"": x}, title="<script>&")
    assert "<script>" not in svg and "&lt;script&gt;&amp;" in svg
    assert texts(svg, "name") == ["a<b & \"c\""]


def test_the_same_graph_gives_the_same_bytes():
    first_root, first_names = network_003()
    second_root, second_names = network_003()
    assert draw.to_svg(first_root, first_names) == draw.to_svg(second_root, second_names)
    assert draw.to_dot(first_root, first_names) == draw.to_dot(second_root, second_names)
    assert draw.to_svg(first_root, first_names) == draw.to_svg(first_root, first_names)


def test_several_names_for_one_value_are_shown_sorted_together():
    x = Value(3.0)
    f = x + x
    assert '{ b, input | data 3 | grad 0 }' in draw.to_dot(f, names={"input": x, "b": x})


def test_a_leaf_alone_is_one_box():
    svg = draw.to_svg(Value(-0.0), names=None)
    assert svg.count("<rect") == 2 and "<ellipse" not in svg and ">data 0<" in svg  # the background and the box


def test_non_finite_values_are_drawn_as_nan_and_inf():
    x = Value(1e308)
    f = (x * 10.0) - (x * 10.0)
    f.backward()
    text = draw.to_dot(f)
    assert "data inf" in text and "data nan" in text


# -- refusals and large graphs ------------------------------------------------------------------

def chain(length):
    """x, then `length` additions of 1: a graph of length + 1 computed and leaf… Values."""
    x = Value(0.0)
    node = x
    for _ in range(length):
        node = node + 1.0
    return node


def test_a_graph_larger_than_max_nodes_raises_graph_too_large_saying_what_to_do():
    root = chain(150)  # x, 150 constants 1 and 150 sums: 301 Values
    error = raises(draw.GraphTooLarge, draw.to_svg, root)
    assert isinstance(error, InputError)
    message = str(error)
    assert "301 Value nodes" in message and "max_nodes=200" in message, message
    assert "max_nodes=" in message and "refnet.draw.summary(root)" in message and "to_svg" in message, message
    assert "to_dot" in str(raises(draw.GraphTooLarge, draw.to_dot, root, max_nodes=300))
    assert draw.to_svg(root, max_nodes=301).startswith("<svg ")


def test_a_deep_graph_is_drawn_without_recursion():
    root = chain(600)  # 1201 Values, far deeper than MicroPython's frames allow for a recursive walk
    svg = draw.to_svg(root, max_nodes=2000)
    assert svg.count('<g class="value">') == 1201 and svg.count("<ellipse") == 600
    assert draw.to_dot(root, max_nodes=2000).count("op [shape=ellipse") == 600


def test_summary_counts_nodes_leaves_ops_and_depth():
    root, _ = expression_002()
    assert draw.summary(root) == ("5 Value nodes: 3 leaves (inputs, parameters, constants), 2 computed by ops, 4 edges\n"
                                  "ops: * 1, + 1\n"
                                  "depth: 2 ops on the longest path from a leaf to the root\n"
                                  "root: data -12, grad 1\n")
    long_chain = chain(2000)  # deeper than a recursive walk could go on MicroPython; short enough for Pyodide
    text = draw.summary(long_chain)  # to free (it frees a chain of about 3,000 nodes and more recursively)
    assert text.startswith("4001 Value nodes: 2001 leaves") and "ops: + 2000\n" in text
    assert "depth: 2000 ops" in text
    assert draw.summary(Value(2.0)).split("\n")[1] == "ops: none (a leaf)"


def test_arguments_that_are_not_a_graph_are_refused_naming_the_argument():
    x = Value(1.0)
    f = x * 2.0
    assert "refnet.draw.to_svg(root): expected a Value, got float 1.0" in str(raises(InputError, draw.to_svg, 1.0))
    assert "refnet.draw.to_dot(root)" in str(raises(InputError, draw.to_dot, [f]))
    assert "refnet.draw.summary(root)" in str(raises(InputError, draw.summary, None))
    message = str(raises(InputError, draw.to_svg, f, names=[x]))
    assert "to_svg(names): expected a dict" in message and "list" in message, message
    message = str(raises(InputError, draw.to_svg, f, names={"x": 1.0}))
    assert "to_svg(names)['x']: expected a Value of the graph, got float 1.0" in message, message
    message = str(raises(InputError, draw.to_dot, f, names={"stranger": Value(1.0)}))
    assert "to_dot(names)['stranger']" in message and "root does not depend on" in message, message
    message = str(raises(InputError, draw.to_svg, f, names={1: x}))
    assert "str keys" in message and "int 1" in message, message
    assert "to_svg(max_nodes)" in str(raises(InputError, draw.to_svg, f, max_nodes=0))
    assert "to_dot(title)" in str(raises(InputError, draw.to_dot, f, title=None))
    message = str(raises(InputError, draw.format_number, "1"))
    assert "format_number(number): expected a number" in message and "str '1'" in message, message
    assert draw.format_number(-12) == "-12"  # an int is a number too


# -- Jupyter --------------------------------------------------------------------------------------

def test_a_value_shows_as_its_graph_in_jupyter_and_as_its_repr_when_too_large():
    root, _ = expression_002()
    assert root._repr_svg_() == draw.to_svg(root)
    assert chain(150)._repr_svg_() is None  # 301 Values: Jupyter falls back to the repr


if __name__ == "__main__":
    if sys.argv[1:] == ["write"]:
        write_golden_files()
    else:
        print("usage: python tests/test_draw.py write   (rewrites tests/golden/; look at the files before keeping them)")
