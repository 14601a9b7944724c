"""refnet.backward_steps.explain: the backward pass edge by edge, as 002 tells it gate by gate.

Expected numbers come from 002_22dd3b33c61b9037.txt's printed ones (f = (x + y)z and the sigmoid
neuron), from closed forms written beside them, or from Value.backward() itself where the
property is "the running totals are backward()'s grads, bit for bit".
"""

import math
import os

from _support import raises, rounds_to
from refnet import InputError, Value, losses, nn
from refnet.backward_steps import MAX_STEPS, explain, formula, fused_formula
from refnet.compat import micrograd
from refnet.prng import PRNG

HERE = os.path.dirname(__file__) if "__file__" in globals() else "tests"
REFNET = HERE + "/../refnet"


def same_bits(a, b):
    """a and b are the same float: equal with the same sign of zero, or both nan."""
    if a != a or b != b:
        return a != a and b != b
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def expression_002():
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    q = x + y
    f = q * z
    return f, {"x": x, "y": y, "z": z, "q": q, "f": f}


def as_tuple(step):
    return (step.parent, step.op, step.upstream, step.child, step.local, step.contribution, step.total, step.rule)


def test_expression_002_gives_the_documents_chain_rule_edge_by_edge():
    # 002: f = qz, ∂f/∂q = z = -4, ∂f/∂z = q = 3 (the mul gate swaps); q = x + y, ∂q/∂x = ∂q/∂y = 1,
    # so ∂f/∂x = ∂f/∂y = ∂f/∂q · 1 = -4 (the add gate distributes). f's children are (q, z), in that order.
    f, names = expression_002()
    steps = explain(f, names)
    assert [as_tuple(step) for step in steps] == [
        ("f", "*", 1.0, "q", -4.0, -4.0, -4.0, "mul gate swaps"),
        ("f", "*", 1.0, "z", 3.0, 3.0, 3.0, "mul gate swaps"),
        ("q", "+", -4.0, "x", 1.0, -4.0, -4.0, "add gate distributes"),
        ("q", "+", -4.0, "y", 1.0, -4.0, -4.0, "add gate distributes"),
    ]
    assert [step.formula for step in steps] == ["∂(a·b)/∂a = b", "∂(a·b)/∂b = a", "∂(a+b)/∂a = 1", "∂(a+b)/∂b = 1"]
    assert steps.gradients() == {"x": -4.0, "y": -4.0, "z": 3.0, "q": -4.0, "f": 1.0}


EXPECTED_TABLE_002 = "\n".join([
    # Written by hand from 002's numbers (the steps of the test above), columns two spaces apart,
    # numbers right-aligned, each column as wide as its widest cell, no trailing spaces.
    "backward pass of f: ∂f/∂f = 1, then for each edge ∂f/∂child += ∂f/∂parent · ∂parent/∂child",
    "parent  op  upstream  local  formula        contribution  child  total  rule",
    "------  --  --------  -----  -------------  ------------  -----  -----  --------------------",
    "f       *          1     -4  ∂(a·b)/∂a = b            -4  q         -4  mul gate swaps",
    "f       *          1      3  ∂(a·b)/∂b = a             3  z          3  mul gate swaps",
    "q       +         -4      1  ∂(a+b)/∂a = 1            -4  x         -4  add gate distributes",
    "q       +         -4      1  ∂(a+b)/∂b = 1            -4  y         -4  add gate distributes",
])


def test_expression_002_table_is_the_expected_text():
    f, names = expression_002()
    table = explain(f, names).table()
    assert table == EXPECTED_TABLE_002, "\n" + table


def test_module_docstring_shows_the_same_table():
    # the module's example is the table above, indented by four spaces (read from the source:
    # MicroPython keeps no docstrings)
    with open(REFNET + "/backward_steps.py") as source:
        text = source.read()
    indented = "\n".join(["    " + line for line in EXPECTED_TABLE_002.split("\n")])
    assert indented in text


def test_sigmoid_neuron_002_gate_by_gate():
    # 002: w = (2, -3, -3), x = (-1, -2), f = 1/(1 + e^-(w0x0 + w1x1 + w2)), the gates 1/x, +1, exp, ·(-1).
    # The document prints the gradient at each gate's input: (-1/1.37²)(1.0) = -0.53, (1)(-0.53) = -0.53,
    # e^-1(-0.53) = -0.20, -1·(-0.20) = 0.20.
    w0, x0, w1, x1, w2 = Value(2.0), Value(-1.0), Value(-3.0), Value(-2.0), Value(-3.0)
    dot = w0 * x0 + w1 * x1 + w2
    negated = dot * -1.0
    exponential = negated.exp()
    denominator = exponential + 1.0
    f = denominator ** -1
    names = {"w0": w0, "x0": x0, "w1": w1, "x1": x1, "w2": w2, "dot": dot, "negated": negated,
             "exponential": exponential, "denominator": denominator, "f": f}
    steps = explain(f, names)
    by_child = {}
    for step in steps:
        by_child[step.child] = step
    gates = [("denominator", "**-1", -0.53, ""), ("exponential", "+", -0.53, "add gate distributes"),
             ("negated", "exp", -0.20, ""), ("dot", "*", 0.20, "mul gate swaps")]
    for child, op, printed, rule in gates:
        step = by_child[child]
        assert step.op == op and step.rule == rule, (child, step)
        assert rounds_to(step.total, printed, 2), (child, step.total, printed)
    # the local derivatives the document multiplies by: -1/1.37², 1, e^-1, -1 (1.37 = 1 + e^-1)
    assert rounds_to(by_child["denominator"].local, -1.0 / 1.37 ** 2, 2)
    assert by_child["exponential"].local == 1.0 and by_child["dot"].local == -1.0
    assert by_child["negated"].local == math.exp(-1.0)
    assert by_child["denominator"].formula == "∂(a^-1)/∂a = -1·a^-2"
    assert by_child["negated"].formula == "∂eˣ/∂x = eˣ"
    # the first four steps are the four gates, outputs first, each gate's input before its constant
    assert [step.child for step in steps][:2] == ["denominator", "exponential"]
    # and every total is what backward() gives
    f.backward()
    for name, gradient in steps.gradients().items():
        if name in names:
            assert same_bits(gradient, names[name].grad), (name, gradient, names[name].grad)


def test_table_columns_line_up_in_characters_whatever_the_formula():
    # formulas of different lengths with non-ASCII letters (∂, ·, ˣ): every row's numbers end
    # in the column of the header's "contribution" and "total", counted in characters
    x, y = Value(0.5), Value(-2.0)
    lines = explain(x.exp() * y + x.sigmoid(), {"x": x, "y": y}).table().split("\n")
    dashes, rows = lines[2], lines[3:]
    assert len(rows) == 6
    ends = [k for k in range(1, len(dashes)) if dashes[k - 1] == "-" and dashes[k] == " "]
    for column in (5, 7):  # contribution, total (right-aligned; the formula column is left of them)
        end = ends[column]
        for row in rows:
            assert row[end - 1] != " " and row[end:end + 1] in (" ", ""), (column, row)


def test_max_gate_routes_the_whole_gradient_to_the_larger_input():
    # 002: "MAX-Gate: Gradient Router"; at a tie half to each (refnet's convention, PyTorch's torch.maximum)
    a, b = Value(3.0), Value(1.0)
    m = Value.max(a, b)
    steps = explain(m * 2.0, {"a": a, "b": b, "m": m})
    routed = [(step.child, step.upstream, step.local, step.contribution, step.rule) for step in steps if step.op == "max"]
    assert routed == [("a", 2.0, 1.0, 2.0, "max gate routes"), ("b", 2.0, 0.0, 0.0, "max gate routes")]
    assert steps.gradients()["a"] == 2.0 and steps.gradients()["b"] == 0.0
    c, d = Value(2.0), Value(2.0)
    tie = explain(Value.max(c, d), {"c": c, "d": d})
    assert [(step.child, step.contribution) for step in tie] == [("c", 0.5), ("d", 0.5)]
    assert tie[0].formula == "∂max(a,b)/∂a = 1 if a > b, 0 if a < b, ½ at a tie"


def test_branches_add_up_for_x_times_x():
    # d(x²)/dx = 2x = 6 at x = 3: the mul gate sends x = 3 to each of its two inputs, both x
    x = Value(3.0)
    steps = explain(x * x, {"x": x})
    assert [(step.child, step.contribution, step.total, step.rule) for step in steps] == [
        ("x", 3.0, 3.0, "mul gate swaps"),
        ("x", 3.0, 6.0, "mul gate swaps; branches add up"),
    ]
    assert steps.gradients()["x"] == 6.0


def test_branches_add_up_for_x_used_by_two_gates():
    # f = (x + y)·x at x = -2, y = 5: ∂f/∂x = 2x + y = 1 (the mul gate's 3, then the add gate's -2),
    # ∂f/∂y = x = -2
    x, y = Value(-2.0), Value(5.0)
    q = x + y
    f = q * x
    steps = explain(f, {"x": x, "y": y, "q": q, "f": f})
    assert [(step.parent, step.child, step.contribution, step.total, step.rule) for step in steps] == [
        ("f", "q", -2.0, -2.0, "mul gate swaps"),
        ("f", "x", 3.0, 3.0, "mul gate swaps"),
        ("q", "x", -2.0, 1.0, "add gate distributes; branches add up"),
        ("q", "y", -2.0, -2.0, "add gate distributes"),
    ]
    assert steps.gradients() == {"x": 1.0, "y": -2.0, "q": -2.0, "f": 1.0}


def shared_subexpression():
    a, b = Value(0.7), Value(-1.3)
    s = a * b + a.tanh()
    f = (s * s).exp() + s.sigmoid() - s / (b ** 2) + Value.max(s, a) + s.abs().log() - (-s).relu()
    return f + s.leaky_relu(0.1) + a ** b.abs()


def fan_in():
    xs = [Value(0.1 * k - 2.0) for k in range(40)]
    total = xs[0]
    for x in xs[1:]:
        total = total + x * x
    return losses.mean(xs) * total


def small_mlp(fused):
    rng = PRNG(7)
    model = nn.MLP(2, [4, 3], activation="tanh", rng=rng, fused=fused)
    points = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.8]]
    logits = [model([Value(p) for p in point]) for point in points]
    return losses.softmax_cross_entropy(logits, [0, 2, 1]) + losses.l2_regularization(model.parameters(), 1e-3)


def hinge_and_half_squared():
    rng = PRNG(3)
    model = nn.MLP(2, [3, 1], activation="relu", rng=rng)
    scores = [model(p)[0] for p in [[1.0, 2.0], [-1.0, 0.5], [0.3, -0.2]]]
    return losses.binary_hinge(scores, [1.0, -1.0, 1.0]) + losses.half_squared_error(scores, [0.5, -0.5, 0.0])


def softmax_layer():
    z = [Value(2.0), Value(1.0), Value(0.1)]
    p = nn.softmax(z)
    return p[0] * 3.0 + p[1] - p[2] * p[0]


def micrograd_node_without_derivatives():
    # compat's Value(data, children, op) keeps no local derivatives: no edge, no gradient, in both
    a, b = micrograd.Value(1.0), micrograd.Value(2.0)
    return micrograd.Value(3.0, (a, b), "custom") * a


GRAPHS = [
    ("expression 002", lambda: expression_002()[0]),
    ("shared subexpression", shared_subexpression),
    ("fan-in", fan_in),
    ("small MLP, per-op graph", lambda: small_mlp(False)),
    ("small MLP, fused neurons", lambda: small_mlp(True)),
    ("hinge and ½(t-y)²", hinge_and_half_squared),
    ("softmax layer", softmax_layer),
    ("micrograd node", micrograd_node_without_derivatives),
]


def check_totals_are_backward_grads(label, root, gradient=1.0):
    """Every upstream and every final total equals, bit for bit, the .grad backward() leaves
    (backward() adds them to a grad of 0.0, which turns a seed of -0.0 into 0.0)."""
    order = root.topological_order()
    steps = explain(root, gradient=gradient)
    root.backward(gradient)
    grad_by_name = {}
    for position, node in enumerate(order):
        grad_by_name["v" + str(position)] = node.grad
    last_total = {}
    for step in steps:
        assert same_bits(0.0 + step.upstream, grad_by_name[step.parent]), (label, step, grad_by_name[step.parent])
        assert same_bits(step.contribution, step.local * step.upstream), (label, step)
        last_total[step.child] = step.total
    for name, total in last_total.items():
        assert same_bits(total, grad_by_name[name]), (label, name, total, grad_by_name[name])
    gradients = steps.gradients()
    leaves = ["v" + str(k) for k, node in enumerate(order) if not node.children]
    assert sorted(gradients) == sorted(leaves), label
    for name in leaves:
        assert same_bits(gradients[name], grad_by_name[name]), (label, name, gradients[name], grad_by_name[name])
    return steps


def test_running_totals_equal_backward_grads_bit_for_bit():
    for label, build in GRAPHS:
        steps = check_totals_are_backward_grads(label, build())
        assert len(steps) > 0 or label == "micrograd node", label


def test_a_seed_gradient_scales_like_backwards():
    for label, build in GRAPHS[:3]:
        check_totals_are_backward_grads(label + ", gradient -2.5", build(), gradient=-2.5)


def test_a_seed_of_minus_zero_gives_backwards_signed_zeros():
    # backward() adds each total to a grad of 0.0: 0.0 + (-0.0) = 0.0 at the root, as in gradients()
    x = Value(3.0)
    f = x * 2.0
    check_totals_are_backward_grads("seed -0.0", f, gradient=-0.0)
    root = explain(f, {"f": f}, gradient=-0.0).gradients()["f"]
    f.backward(-0.0)
    assert same_bits(root, f.grad) and same_bits(root, 0.0)


def test_nan_and_inf_propagate_like_backward():
    nan = float("nan")
    x, y = Value(nan), Value(2.0)
    check_totals_are_backward_grads("nan input", x * y + y.tanh() * x)
    # e^800 = inf (refnet's exp beyond the largest float): f = e^big · zero + zero at zero = 0 sends
    # 0 · 1 = 0 to the exp node, and its local e^800 = inf makes big's gradient inf · 0 = nan;
    # zero gets e^800 + 1 = inf
    big, zero = Value(800.0), Value(0.0)
    f = big.exp() * zero + zero
    check_totals_are_backward_grads("inf times 0", f)
    gradients = explain(f, {"big": big, "zero": zero}).gradients()
    assert math.isnan(gradients["big"]) and gradients["zero"] == math.inf, gradients


def test_explain_changes_no_grad_and_leaves_backward_as_it_was():
    f = shared_subexpression()
    order = f.topological_order()
    for k, node in enumerate(order):
        node.grad = 0.25 * k
    explain(f)
    assert [node.grad for node in order] == [0.25 * k for k in range(len(order))]
    for node in order:
        node.grad = 0.0
    f.backward()
    twin = shared_subexpression()
    twin.backward()
    assert [node.grad for node in order] == [node.grad for node in twin.topological_order()]


def test_unnamed_nodes_are_named_by_topological_position_deterministically():
    f, _ = expression_002()
    order = f.topological_order()
    position = {}
    for k, node in enumerate(order):
        position[id(node)] = "v" + str(k)
    q, z = f.children
    x, y = q.children
    first = explain(f)
    assert first.root == position[id(f)] == "v" + str(len(order) - 1)
    assert first.table() == explain(f).table()
    # 002: ∂f/∂x = ∂f/∂y = -4, ∂f/∂z = 3, for the leaves only (q and f are not named)
    assert first.gradients() == {position[id(x)]: -4.0, position[id(y)]: -4.0, position[id(z)]: 3.0}
    # a name the user gave is not given again: the automatic one gets a prime
    taken = position[id(z)]
    renamed = explain(f, {taken: q})
    assert renamed.gradients() == {position[id(x)]: -4.0, position[id(y)]: -4.0, taken + "′": 3.0, taken: -4.0}


def test_sequence_access_and_reprs():
    f, names = expression_002()
    steps = explain(f, names)
    assert len(steps) == 4 and steps[-1].child == "y" and [s.child for s in steps] == ["q", "z", "x", "y"]
    assert repr(steps[0]) == "Step(f --*--> q: upstream 1 × local -4 (∂(a·b)/∂a = b) = -4, total -4; mul gate swaps)"
    assert repr(steps) == "BackwardSteps(root 'f', 4 steps; .table() prints them)"
    assert repr(explain(Value(2.0).exp())[0]) == "Step(v1 --exp--> v0: upstream 1 × local 7.38906 (∂eˣ/∂x = eˣ) = 7.38906, total 7.38906)"


def test_a_leaf_alone_has_no_steps_and_its_seed_as_gradient():
    x = Value(4.0)
    steps = explain(x, {"x": x}, gradient=3.0)
    assert len(steps) == 0 and steps.gradients() == {"x": 3.0}
    assert steps.table().split("\n")[0] == "backward pass of x: ∂x/∂x = 3, then for each edge ∂x/∂child += ∂x/∂parent · ∂parent/∂child"


# The calls that make a node, its op name as their last argument (value.py's node makers, Value.fused,
# nn.py's `node = self.b._result`); a maker renamed without this list makes the scan miss the
# ops the test requires, and fail.
NODE_CONSTRUCTORS = ("_result(", "_gate(", "fused(", "node(")


def op_names_in_refnet_sources():
    """Every op name refnet's sources give a node: the last argument, a string literal, of each
    call in NODE_CONSTRUCTORS in refnet/ (an f-string "**{n:g}" counts as "**2"); definitions
    (`def _result(...`) are not calls."""
    found = []
    folders = [REFNET, REFNET + "/compat"]
    for folder in folders:
        for file_name in sorted(os.listdir(folder)):
            if not file_name.endswith(".py"):
                continue
            with open(folder + "/" + file_name) as source:
                text = source.read()
            for call in NODE_CONSTRUCTORS:
                start = text.find(call)
                while start >= 0:
                    line_start = text.rfind("\n", 0, start) + 1
                    defined_here = text[line_start:start].strip().startswith("def ")
                    found_op = None if defined_here else call_op(text, start + len(call))
                    if found_op is not None:
                        found.append(found_op)
                    start = text.find(call, start + 1)
    return found


def call_op(text, opening):
    """The string literal that ends the call whose arguments start at `opening`, or None."""
    depth = 1
    position = opening
    while position < len(text) and depth > 0:
        if text[position] == "(":
            depth += 1
        elif text[position] == ")":
            depth -= 1
        position += 1
    arguments = text[opening:position - 1].rstrip().rstrip(",").rstrip()
    if not arguments.endswith('"'):
        return None
    start = arguments.rfind('"', 0, len(arguments) - 1)
    literal = arguments[start + 1:len(arguments) - 1]
    if arguments[start - 1] == "f":
        return literal.replace("{n:g}", "2")
    return literal


def test_every_op_name_in_refnet_has_a_formula():
    ops = op_names_in_refnet_sources()
    # the scan finds the ops it must find (so that it cannot pass by finding nothing)
    for op in ("+", "*", "/", "**2", "**", "max", "tanh", "neuron", "softmax", "softmax_cross_entropy", "l2", "mean"):
        assert op in ops, (op, sorted(ops))
    for op in ops:
        assert formula(op, 0) != fused_formula(op) and formula(op, 1) != fused_formula(op), op


def test_ops_made_at_run_time_have_their_formula_and_a_fused_op_gets_the_generic_text():
    a, b = Value(1.5), Value(-0.5)
    nodes = [a + b, a - b, a * b, a / b, a ** 3, a ** b, -a, a.exp(), a.log(), a.tanh(), a.sigmoid(), a.relu(),
             a.leaky_relu(), a.abs(), Value.max(a, b), a ** 0.5]
    for node in nodes:
        for step in explain(node):
            assert not step.formula.startswith("given by"), step
    assert explain(a ** 0.5)[0].formula == "∂(a^0.5)/∂a = 0.5·a^-0.5"
    assert explain(a - b)[1].formula == "∂(a−b)/∂b = −1"
    custom = Value.fused(2.0, [a, b], [0.25, 4.0], "my_gate")
    steps = explain(custom)
    assert [step.formula for step in steps] == ["given by the fused op 'my_gate'"] * 2
    assert [step.local for step in steps] == [0.25, 4.0]


def test_bad_arguments_say_what_and_where():
    x = Value(1.0)
    f = x * 2.0
    message = str(raises(InputError, explain, 1.0))
    assert "explain(root)" in message and "expected a Value" in message and "float 1.0" in message
    assert "explain(gradient)" in str(raises(InputError, explain, f, None, True))
    assert "explain(max_steps)" in str(raises(InputError, explain, f, None, 1.0, 2.5))
    assert "explain(names)" in str(raises(InputError, explain, f, [x]))
    assert "non-empty str" in str(raises(InputError, explain, f, {3: x}))
    message = str(raises(InputError, explain, f, {"x": 1.0}))
    assert "explain(names)['x']" in message and "float 1.0" in message
    message = str(raises(InputError, explain, f, {"w": Value(1.0)}))
    assert "explain(names)['w']" in message and "not computed from" in message
    message = str(raises(InputError, explain, f, {"x": x, "input": x}))
    assert "'input' and 'x' name the same Value" in message


def test_a_graph_over_max_steps_is_refused_and_max_steps_lets_it_through():
    x = Value(0.5)
    chain = x
    for _ in range(MAX_STEPS + 1):
        chain = chain.tanh()
    message = str(raises(InputError, explain, chain))
    assert f"{MAX_STEPS + 1} edges, more than max_steps={MAX_STEPS}" in message
    assert f"max_steps={MAX_STEPS + 1}" in message
    steps = explain(chain, {"x": x}, max_steps=MAX_STEPS + 1)
    assert len(steps) == MAX_STEPS + 1 and steps[-1].child == "x"
    chain.backward()
    assert same_bits(steps.gradients()["x"], x.grad)


def test_formula_checks_its_arguments():
    assert "formula(op)" in str(raises(InputError, formula, 3, 0))
    assert "formula(position)" in str(raises(InputError, formula, "+", -1))
    assert "fused_formula(op)" in str(raises(InputError, fused_formula, None))
    assert formula("+", 1) == "∂(a+b)/∂b = 1" and formula("mean", 7) == "∂(Σtᵢ/n)/∂tᵢ = 1/n"
