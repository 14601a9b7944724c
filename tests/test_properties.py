"""Property tests: random graphs and networks, each checked against an independent computation.

Four properties, each over inputs drawn by hypothesis (a test dependency, not a runtime one:
each test skips, saying so, where hypothesis or mpmath is missing, as on MicroPython):

    random expression graphs   backward() = central differences in 60-digit arithmetic (mpmath)
    fused networks             nn.MLP(fused=True) = nn.MLP(fused=False): outputs and gradients
    the dense path             refnet.dense = the scalar path: loss and gradients
    state_dict round trips     state_dict() → JSON → load_state_dict() restores every bit

Every run draws the same examples (derandomize=True, no example database), so CI is
reproducible; the four tests draw 2,000 expression graphs and 900 networks and modules.
"""

import json
import math

from _support import need_module

from refnet import ShapeError, dense, losses, nn
from refnet.prng import PRNG
from refnet.value import Value

GRAPHS = 2000           # random expression graphs checked against central differences
NETWORKS = 300          # random networks per network property (fused, dense)
ROUND_TRIPS = 300       # random modules saved and loaded


def hypothesis_settings(examples):
    """The same examples on every run: derandomized, no database, no deadline (CI machines vary)."""
    hypothesis = need_module("hypothesis")
    health = hypothesis.HealthCheck
    return hypothesis.settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                               suppress_health_check=[health.too_slow, health.data_too_large, health.filter_too_much])


# -- random expression graphs ------------------------------------------------------------------

# Each op: (name, arity, whether it takes a number parameter). Binary ops named "r…" put a
# number on the left (2.0 + x calls Value.__radd__); "max_number" is Value.max(x, c) or Value.max(c, x).
OPS = [
    ("add", 2), ("sub", 2), ("mul", 2), ("div", 2), ("max", 2), ("pow_value", 2),
    ("radd", 1), ("rsub", 1), ("rmul", 1), ("rdiv", 1), ("rpow", 1), ("max_number", 1),
    ("neg", 1), ("exp", 1), ("log", 1), ("tanh", 1), ("sigmoid", 1), ("relu", 1), ("leaky_relu", 1),
    ("abs", 1), ("builtin_abs", 1), ("pow_int", 1), ("pow_fraction", 1), ("fused_multiply_add", 3),
]
OP_NAMES = [name for name, _ in OPS]
ARITY = dict(OPS)
INTEGER_EXPONENTS = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0)
FRACTION_EXPONENTS = (0.5, -0.5, 1.5, 2.5, -1.25)

# Value's ops (public methods and arithmetic dunders) and the OPS entry that draws each one.
VALUE_OPS = {
    "__add__": "add", "__sub__": "sub", "__mul__": "mul", "__truediv__": "div", "__pow__": "pow_int",
    "__radd__": "radd", "__rsub__": "rsub", "__rmul__": "rmul", "__rtruediv__": "rdiv", "__rpow__": "rpow",
    "__neg__": "neg", "__abs__": "builtin_abs", "exp": "exp", "log": "log", "tanh": "tanh", "sigmoid": "sigmoid",
    "relu": "relu", "leaky_relu": "leaky_relu", "abs": "abs", "max": "max", "fused": "fused_multiply_add",
}
NOT_OPS = ("backward", "zero_grad", "topological_order", "release", "op", "children", "local_grads", "data", "grad")
ARITHMETIC_DUNDERS = ("__add__", "__sub__", "__mul__", "__truediv__", "__pow__", "__radd__", "__rsub__",
                      "__rmul__", "__rtruediv__", "__rpow__", "__neg__", "__pos__", "__abs__", "__floordiv__",
                      "__mod__", "__matmul__", "__rfloordiv__", "__rmod__", "__rmatmul__", "__round__")

KINK = 1e-3       # relu, leaky_relu, abs and max stay this far from their kinks
NEAR_ZERO = 0.1   # divisors, log's argument and bases of negative or fractional powers stay this far from 0
SATURATION = 4.0  # tanh and sigmoid arguments stay within ±4, where 1 − tanh² ≥ 1.3e-3
EXP_LIMIT = 5.0   # exp's argument stays below 5
LARGEST = 1e4     # every node's value stays within ±1e4
TINY = 1e-6       # leaves and number operands are 0 or at least this large (see the graph test)


def allowed(name, operands, parameter):
    """True when op `name` is smooth at `operands` (floats) and its value stays bounded.

    These are the margins that keep the graph away from kinks and domain edges, so that a
    central difference with step 1e-20 sees one smooth branch.
    """
    a = operands[0]
    b = operands[1] if len(operands) > 1 else parameter
    if name in ("relu", "leaky_relu", "abs", "builtin_abs"):
        return abs(a) >= KINK
    if name in ("max", "max_number"):
        return abs(a - b) >= KINK
    if name == "div":
        return abs(b) >= NEAR_ZERO
    if name == "rdiv":
        return abs(a) >= NEAR_ZERO
    if name == "log":
        return a >= NEAR_ZERO
    if name in ("tanh", "sigmoid"):
        return abs(a) <= SATURATION
    if name == "exp":
        return a <= EXP_LIMIT
    if name == "pow_int":
        return parameter >= 0.0 or abs(a) >= NEAR_ZERO
    if name in ("pow_fraction", "pow_value"):
        return a >= NEAR_ZERO and abs(b) <= 4.0
    if name == "rpow":
        return abs(a) <= 4.0
    return True


def float_op(name, operands, parameter, alpha):
    """The op on floats, to decide whether a result stays bounded (math, not refnet)."""
    a = operands[0]
    b = operands[1] if len(operands) > 1 else parameter
    table = {
        "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b, "div": lambda: a / b,
        "max": lambda: max(a, b), "pow_value": lambda: a ** b, "radd": lambda: parameter + a,
        "rsub": lambda: parameter - a, "rmul": lambda: parameter * a, "rdiv": lambda: parameter / a,
        "rpow": lambda: abs(parameter) ** a, "max_number": lambda: max(a, parameter), "neg": lambda: -a,
        "exp": lambda: math.exp(a), "log": lambda: math.log(a), "tanh": lambda: math.tanh(a),
        "sigmoid": lambda: 1.0 / (1.0 + math.exp(-a)), "relu": lambda: max(a, 0.0),
        "leaky_relu": lambda: a if a > 0.0 else alpha * a, "abs": lambda: abs(a), "builtin_abs": lambda: abs(a),
        "pow_int": lambda: a ** parameter, "pow_fraction": lambda: a ** parameter,
        "fused_multiply_add": lambda: a * operands[1] + operands[2],
    }
    return table[name]()


def refnet_op(name, nodes, parameter, alpha, flip):
    """The op through refnet's public API: operators, methods, Value.max and Value.fused."""
    a = nodes[0]
    if name == "add":
        return a + nodes[1]
    if name == "sub":
        return a - nodes[1]
    if name == "mul":
        return a * nodes[1]
    if name == "div":
        return a / nodes[1]
    if name == "max":
        return Value.max(a, nodes[1])
    if name == "pow_value":
        return a ** nodes[1]
    if name == "radd":
        return parameter + a
    if name == "rsub":
        return parameter - a
    if name == "rmul":
        return parameter * a
    if name == "rdiv":
        return parameter / a
    if name == "rpow":
        return abs(parameter) ** a
    if name == "max_number":
        return Value.max(parameter, a) if flip else Value.max(a, parameter)
    if name == "neg":
        return -a
    if name in ("exp", "log", "tanh", "sigmoid", "relu", "abs"):
        return getattr(a, name)()
    if name == "leaky_relu":
        return a.leaky_relu(alpha)
    if name == "builtin_abs":
        return abs(a)
    if name in ("pow_int", "pow_fraction"):
        return a ** parameter
    # a·b + c as one node with three edges: ∂/∂a = b, ∂/∂b = a, ∂/∂c = 1
    b, c = nodes[1], nodes[2]
    return Value.fused(a.data * b.data + c.data, [a, b, c], [b.data, a.data, 1.0], "multiply_add")


def exact_op(mp, name, operands, parameter, alpha):
    """The op in mpmath's arithmetic (parameters are floats, converted exactly)."""
    a = operands[0]
    p = mp.mpf(parameter)
    if name == "add":
        return a + operands[1]
    if name == "sub":
        return a - operands[1]
    if name == "mul":
        return a * operands[1]
    if name == "div":
        return a / operands[1]
    if name == "max":
        return max(a, operands[1])
    if name == "pow_value":
        return mp.power(a, operands[1])
    if name == "radd":
        return p + a
    if name == "rsub":
        return p - a
    if name == "rmul":
        return p * a
    if name == "rdiv":
        return p / a
    if name == "rpow":
        return mp.power(abs(p), a)
    if name == "max_number":
        return max(a, p)
    if name == "neg":
        return -a
    if name == "exp":
        return mp.exp(a)
    if name == "log":
        return mp.log(a)
    if name == "tanh":
        return mp.tanh(a)
    if name == "sigmoid":
        return 1 / (1 + mp.exp(-a))
    if name == "relu":
        return a if a > 0 else mp.mpf(0)
    if name == "leaky_relu":
        return a if a > 0 else mp.mpf(alpha) * a
    if name in ("abs", "builtin_abs"):
        return abs(a)
    if name in ("pow_int", "pow_fraction"):
        return mp.power(a, p)
    return a * operands[1] + operands[2]


def exact_slopes(mp, name, operands, parameter, alpha):
    """|∂op/∂operand| for each operand, in mpmath: only the scale of the tolerance (see below)."""
    a = operands[0]
    p = mp.mpf(parameter)
    if name in ("add", "sub"):
        return [1, 1]
    if name == "mul":
        return [abs(operands[1]), abs(a)]
    if name == "div":
        return [abs(1 / operands[1]), abs(a / operands[1] ** 2)]
    if name == "max":
        return [1, 0] if a > operands[1] else [0, 1]
    if name == "pow_value":
        b = operands[1]
        return [abs(b * mp.power(a, b - 1)), abs(mp.power(a, b) * mp.log(a))]
    if name in ("radd", "rsub", "neg", "abs", "builtin_abs"):
        return [1]
    if name == "rmul":
        return [abs(p)]
    if name == "rdiv":
        return [abs(p / a ** 2)]
    if name == "rpow":
        return [abs(mp.power(abs(p), a) * mp.log(abs(p)))]
    if name == "max_number":
        return [1 if a > p else 0]
    if name == "exp":
        return [mp.exp(a)]
    if name == "log":
        return [1 / a]
    if name == "tanh":
        return [1 - mp.tanh(a) ** 2]
    if name == "sigmoid":
        s = 1 / (1 + mp.exp(-a))
        return [s * (1 - s)]
    if name == "relu":
        return [1 if a > 0 else 0]
    if name == "leaky_relu":
        return [1 if a > 0 else abs(mp.mpf(alpha))]
    if name in ("pow_int", "pow_fraction"):
        return [abs(p * mp.power(a, p - 1))] if p != 0 else [0]
    return [abs(operands[1]), abs(a), 1]


def build_program(leaves, steps):
    """The graph a drawn recipe describes, with every op placed where it is smooth.

    `steps` are (op name, operand picks, number parameter, leaky slope, flip). Each operand
    pick selects an earlier node (so nodes are shared and reused: fan-in); when the op is not
    smooth at the picked operands, the next earlier nodes are tried in turn, and an op that
    fits nowhere is left out. Returns [(op name, operand indices, parameter, alpha, flip)].
    """
    values = list(leaves)
    program = []
    for name, picks, parameter, alpha, flip in steps:
        arity = ARITY[name]
        if name == "pow_int":
            parameter = INTEGER_EXPONENTS[int(abs(parameter) * 7) % len(INTEGER_EXPONENTS)]
        elif name == "pow_fraction":
            parameter = FRACTION_EXPONENTS[int(abs(parameter) * 7) % len(FRACTION_EXPONENTS)]
        elif name == "rpow":
            parameter = 0.5 + abs(parameter) / 2.0  # a positive base, from 0.5 to 2.5
        count = len(values)
        for shift in range(count):
            indices = [(pick + shift * (k + 1)) % count for k, pick in enumerate(picks[:arity])]
            operands = [values[i] for i in indices]
            if not allowed(name, operands, parameter):
                continue
            result = float_op(name, operands, parameter, alpha)
            if abs(result) <= LARGEST:
                values.append(result)
                program.append((name, indices, parameter, alpha, flip))
                break
    return program


def run_refnet(leaves, program):
    inputs = [Value(x) for x in leaves]
    nodes = list(inputs)
    for name, indices, parameter, alpha, flip in program:
        nodes.append(refnet_op(name, [nodes[i] for i in indices], parameter, alpha, flip))
    output = nodes[-1]
    output.backward()
    return output.data, [x.grad for x in inputs]


def run_exact(mp, leaves, program):
    """The output of the program and, for each leaf, Σ over paths of Π |local slope| (the scale)."""
    values = list(leaves)
    scales = [[mp.mpf(1 if i == j else 0) for j in range(len(leaves))] for i in range(len(leaves))]
    for name, indices, parameter, alpha, _ in program:
        operands = [values[i] for i in indices]
        values.append(exact_op(mp, name, operands, parameter, alpha))
        slopes = exact_slopes(mp, name, operands, parameter, alpha)
        scales.append([sum((slope * scales[i][j] for slope, i in zip(slopes, indices)), mp.mpf(0))
                       for j in range(len(leaves))])
    return values[-1], scales[-1]


def test_the_random_graphs_draw_every_op_value_has():
    """Each public method and arithmetic operator of Value is one of the ops the random graphs
    draw (so a new op cannot be added without being checked against central differences)."""
    names = [name for name in dir(Value) if (not name.startswith("_") or name in ARITHMETIC_DUNDERS)]
    ops = [name for name in names if name not in NOT_OPS]
    missing = [name for name in ops if VALUE_OPS.get(name) not in OP_NAMES]
    assert not missing, f"Value ops the random graphs never draw: {missing}; add them to OPS and VALUE_OPS"


def test_random_expression_graphs_backpropagate_as_central_differences_in_60_digits():
    """backward() on random graphs over every op of Value = ∂f/∂xᵢ by central differences.

    The reference: f is evaluated again in 60-digit arithmetic (mpmath), and
    ∂f/∂xᵢ ≈ (f(xᵢ + h) − f(xᵢ − h)) / 2h with h = 1e-20: its truncation error is about
    h²·f‴/6 ≈ 1e-40 and its rounding error 1e-60/h = 1e-40, so it is exact to ~35 digits,
    far below float64's 1.1e-16. The ops are kept where f is smooth (see allowed()): 1e-3 from
    a kink, 0.1 from a pole or log's edge, tanh and sigmoid within ±4, every value within ±1e4;
    the leaves and number operands are 0 or at least 1e-6 in size, so that xᵢ ± h is exact in
    60 digits and no derivative is so small that the reference's own error hides it. With every
    value within ±1e4, the 60-digit roundings of f(xᵢ ± h) change the difference quotient by at
    most ~1e4 · 1e-60 / 1e-20 = 1e-36.

    The tolerance: refnet works in float64, each op rounding its value and its local slope to
    a relative 1.1e-16 (times the op's condition number, at most 1e4/0.1 = 1e5 for a divisor
    or log argument ≥ 0.1 computed from values ≤ 1e4). Each path's product of ≤ 14 slopes is
    then off by at most 14 · 1e5 · 1.1e-16 ≈ 1.5e-10 of itself, and the sum over paths by at
    most that times S = Σ over paths of Π |slope| (computed exactly beside f, run_exact()).
    So |refnet − exact| ≤ 1e-8 · S + 1e-30 (the reference's own error): a margin of 60 over
    that bound, and far below any mistake in a derivative, which is off by a sizeable part of
    S. A wrong local slope, a missed path (a node visited twice or not at all) or a wrong sum
    at a shared node fails. (Observed: at most 2.3e-14 · S over the 2,000 graphs, and a tanh
    slope off by a relative 1e-7 fails at the first graph that has a tanh.)
    The value f itself is checked to 1e-8 relative, or 1e-8 absolute near 0 (by the same
    reasoning, with values ≤ 1e4). Every op must also occur in at least 200 of the graphs, so
    the generator cannot quietly stop covering one.
    """
    hypothesis = need_module("hypothesis")
    mpmath = need_module("mpmath")
    st = hypothesis.strategies
    mp = mpmath.mp
    coverage = {name: 0 for name in OP_NAMES}
    leaf = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False)
    step = st.tuples(st.sampled_from(OP_NAMES), st.lists(st.integers(0, 50), min_size=3, max_size=3),
                     st.floats(min_value=-2.5, max_value=2.5, allow_nan=False), st.floats(0.0, 1.0),
                     st.booleans())

    @hypothesis.given(st.lists(leaf, min_size=1, max_size=4), st.lists(step, min_size=1, max_size=14))
    @hypothesis_settings(GRAPHS)
    def check(drawn, steps):
        leaves = [x if abs(x) >= TINY else 0.0 for x in drawn]
        steps = [(name, picks, p if abs(p) >= TINY else 0.0, alpha, flip) for name, picks, p, alpha, flip in steps]
        program = build_program(leaves, steps)
        hypothesis.assume(program)
        for name, _, _, _, _ in program:
            coverage[name] += 1
        value, grads = run_refnet(leaves, program)
        exact_leaves = [mp.mpf(x) for x in leaves]
        exact_value, scales = run_exact(mp, exact_leaves, program)
        assert abs(value - exact_value) <= 1e-8 * max(abs(exact_value), 1), (program, value, exact_value)
        for i, (grad, scale) in enumerate(zip(grads, scales)):
            h = mp.mpf(10) ** -20
            up = list(exact_leaves)
            down = list(exact_leaves)
            up[i] += h
            down[i] -= h
            numeric = (run_exact(mp, up, program)[0] - run_exact(mp, down, program)[0]) / (2 * h)
            error = abs(mp.mpf(grad) - numeric)
            assert error <= 1e-8 * scale + mp.mpf(1e-30), (
                f"leaf {i} of {leaves}: refnet {grad!r}, central difference {mp.nstr(numeric, 20)}, "
                f"scale {mp.nstr(scale, 5)}, program {program}")

    with mp.workdps(60):
        check()
    rare = {name: count for name, count in coverage.items() if count < 200}
    assert not rare, f"ops drawn in fewer than 200 of {GRAPHS} graphs: {rare}"


# -- networks ----------------------------------------------------------------------------------

ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]


def network_strategy(st):
    """(nin, layer sizes, hidden activation, output activation, seed, batch of inputs)."""
    @st.composite
    def networks(draw):
        nin = draw(st.integers(1, 4))
        sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
        inputs = st.lists(st.floats(-3.0, 3.0, allow_nan=False), min_size=nin, max_size=nin)
        batch = draw(st.lists(inputs, min_size=1, max_size=3))
        return (nin, sizes, draw(st.sampled_from(ACTIVATIONS)), draw(st.sampled_from(ACTIVATIONS)),
                draw(st.integers(0, 2 ** 32)), batch)
    return networks()


def gradients_agree(a, b, scale, rel):
    """|a − b| ≤ rel·(|a| + |b|) + rel·scale for every pair: equal up to reordered rounding."""
    return len(a) == len(b) and all(abs(x - y) <= rel * (abs(x) + abs(y) + scale) for x, y in zip(a, b))


def test_fused_networks_equal_the_per_op_graph():
    """nn.MLP(fused=True) and nn.MLP(fused=False) from the same seed: the same outputs bit for
    bit (both add w·x + b left to right with the same floats, as nn.Neuron's docstring says), and
    the same gradients of an MSE loss for every weight, bias and input Value, up to rounding.

    The tolerance: the two graphs add a node's incoming gradients in different orders, and the
    fused neuron multiplies (f′·xᵢ)·g where the per-op graph multiplies xᵢ·(f′·g); each such
    step changes a result by an ulp or so of the terms involved. With at most three layers of
    four units, no gradient involves more than ~100 rounded operations, so the two agree within
    1e-12 · (|a| + |b| + G), G the largest gradient of the network (it bounds every term); a
    wrong slope or a missing edge changes a gradient by a sizeable part of G. MLP.batch (the
    fused nodes for the whole batch at once) gives the same outputs as calling the model on each
    example.
    """
    hypothesis = need_module("hypothesis")

    @hypothesis.given(network_strategy(hypothesis.strategies))
    @hypothesis_settings(NETWORKS)
    def check(network):
        nin, sizes, activation, output_activation, seed, batch = network
        results = []
        for fused in (True, False):
            model = nn.MLP(nin, sizes, activation, output_activation, rng=PRNG(seed), fused=fused)
            inputs = [[Value(x) for x in example] for example in batch]
            outputs = [model(example) for example in inputs]
            targets = [[0.25 * j for j in range(sizes[-1])] for _ in batch]
            loss = losses.mse(outputs, targets)
            loss.backward()
            grads = [p.grad for p in model.parameters()] + [x.grad for example in inputs for x in example]
            results.append(([y.data for row in outputs for y in row], loss.data, grads))
            if fused:
                batched = model.batch([list(example) for example in batch])
                assert [y.data for row in batched for y in row] == results[0][0], (network, "MLP.batch")
        (fused_out, fused_loss, fused_grads), (per_op_out, per_op_loss, per_op_grads) = results
        assert fused_out == per_op_out, (network, fused_out, per_op_out)
        assert fused_loss == per_op_loss, (network, fused_loss, per_op_loss)
        largest = max([abs(g) for g in fused_grads + per_op_grads] + [0.0])
        assert gradients_agree(fused_grads, per_op_grads, largest, 1e-12), (network, fused_grads, per_op_grads)

    check()


# (loss, output activation, how to draw targets for k outputs)
DENSE_LOSSES = [
    ("mse", "linear", "real"), ("mae", "tanh", "real"), ("mape", "linear", "nonzero"),
    ("half_squared_error", "sigmoid", "real"), ("binary_cross_entropy", "sigmoid", "probability"),
    ("categorical_cross_entropy", "sigmoid", "probability"), ("sparse_categorical_cross_entropy", "sigmoid", "label"),
    ("softmax_cross_entropy", "linear", "label"), ("multiclass_hinge", "linear", "label"),
    ("binary_hinge", "linear", "sign"),
]


def test_the_dense_path_equals_the_scalar_path():
    """refnet.dense.Network and the same layers built from Values (nn.Layer, refnet.losses): the
    same loss and the same gradient for every weight and bias, for every loss of refnet.losses
    with its matching output activation, with and without L2 regularisation.

    Both paths use the same conventions at kinks (ReLU′(0) = 0, |x|′(0) = 0, a hinge at its
    margin gives 0), so inputs may sit on a kink. The tolerance is that of reordered rounding,
    as for fused networks: the dense path sums dZᵀ·X over the batch and the scalar graph adds
    the same products node by node, so both agree within 1e-11 · (|a| + |b| + G), G the
    largest gradient (cross-entropy's 1/p terms and sigmoid's slopes add a few roundings more
    than the fused comparison has); a wrong derivative is off by a sizeable part of G.
    """
    hypothesis = need_module("hypothesis")
    st = hypothesis.strategies

    @st.composite
    def cases(draw):
        loss, output_activation, kind = draw(st.sampled_from(DENSE_LOSSES))
        nin = draw(st.integers(1, 4))
        sizes = draw(st.lists(st.integers(1, 4), min_size=0, max_size=2))
        outputs = draw(st.integers(2, 3))
        batch = draw(st.lists(st.lists(st.floats(-3.0, 3.0, allow_nan=False), min_size=nin, max_size=nin),
                              min_size=1, max_size=4))
        if kind == "label":
            targets = [draw(st.integers(0, outputs - 1)) for _ in batch]
        else:
            numbers = {"real": st.floats(-2.0, 2.0, allow_nan=False), "probability": st.floats(0.0, 1.0),
                       "nonzero": st.floats(0.1, 2.0), "sign": st.sampled_from([-1.0, 1.0])}[kind]
            targets = [[draw(numbers) for _ in range(outputs)] for _ in batch]
        l2 = draw(st.sampled_from([0.0, 0.0, 1e-3, 0.5]))
        return (loss, output_activation, nin, sizes + [outputs], draw(st.sampled_from(ACTIVATIONS)),
                draw(st.integers(0, 2 ** 32)), batch, targets, l2)

    @hypothesis.given(cases())
    @hypothesis_settings(NETWORKS)
    def check(case):
        loss, output_activation, nin, sizes, activation, seed, batch, targets, l2 = case
        model = nn.MLP(nin, sizes, activation, output_activation, rng=PRNG(seed))
        outputs = model.batch([list(example) for example in batch])
        value = getattr(losses, loss)(outputs, targets)
        weights = [w for layer in model.layers for row in layer.weight for w in row]
        if l2:
            value = value + losses.l2_regularization(weights, l2)
        value.backward()
        scalar_grads = []
        for layer in model.layers:
            scalar_grads += [w.grad for row in layer.weight for w in row] + [b.grad for b in layer.bias]
        network = dense.Network([dense.DenseLayer([[w.data for w in row] for row in layer.weight],
                                                  [b.data for b in layer.bias], layer.activation)
                                 for layer in model.layers])
        dense_outputs, dense_value, gradients = network.loss_and_gradients(batch, targets, loss, l2)
        dense_grads = [g for dw, db in gradients for g in [v for row in dw for v in row] + db]
        scalar_outputs = [y.data for row in outputs for y in row]
        assert gradients_agree(scalar_outputs, [y for row in dense_outputs for y in row], 0.0, 1e-13), case
        assert abs(value.data - dense_value) <= 1e-12 * (abs(value.data) + abs(dense_value)) + 1e-300, (
            case, value.data, dense_value)
        largest = max([abs(g) for g in scalar_grads + dense_grads] + [0.0])
        assert gradients_agree(scalar_grads, dense_grads, largest, 1e-11), (case, scalar_grads, dense_grads)

    check()


# -- state_dict round trips --------------------------------------------------------------------

def bits(numbers):
    """Each float's repr: equal reprs mean equal floats, the sign of zero included."""
    return [repr(x) for x in numbers]


def flat(structure):
    if isinstance(structure, list):
        return [v for item in structure for v in flat(item)]
    return [structure]


def test_state_dict_round_trips_restore_every_bit():
    """Neuron, Layer and MLP (every module with parameters; Dropout has none): state_dict(),
    through json.dumps and json.loads, into a module of the same shape built from another seed,
    gives back every parameter bit for bit (any finite float: subnormals, −0.0, 1e308; JSON
    writes a float's shortest repr, which reads back exactly), the same state_dict(), and the
    same outputs. A state of another shape raises ShapeError and changes nothing.
    """
    hypothesis = need_module("hypothesis")
    st = hypothesis.strategies
    anything = st.floats(allow_nan=False, allow_infinity=False)

    @st.composite
    def modules(draw):
        kind = draw(st.sampled_from(["Neuron", "Layer", "MLP"]))
        nin = draw(st.integers(1, 4))
        sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
        fused = draw(st.booleans())
        activation = draw(st.sampled_from(ACTIVATIONS))
        seeds = draw(st.lists(st.integers(0, 2 ** 32), min_size=2, max_size=2, unique=True))
        overrides = draw(st.lists(anything, max_size=6))
        example = draw(st.lists(st.floats(-3.0, 3.0, allow_nan=False), min_size=nin, max_size=nin))
        return kind, nin, sizes, fused, activation, seeds, overrides, example

    def make(kind, nin, sizes, fused, activation, seed):
        if kind == "Neuron":
            return nn.Neuron(nin, activation, rng=PRNG(seed), fused=fused)
        if kind == "Layer":
            return nn.Layer(nin, sizes[0], activation, rng=PRNG(seed), fused=fused)
        return nn.MLP(nin, sizes, activation, "linear", rng=PRNG(seed), fused=fused)

    @hypothesis.given(modules())
    @hypothesis_settings(ROUND_TRIPS)
    def check(case):
        kind, nin, sizes, fused, activation, seeds, overrides, example = case
        source = make(kind, nin, sizes, fused, activation, seeds[0])
        for parameter, number in zip(source.parameters(), overrides):  # any finite float, the extremes too
            parameter.data = number
        state = source.state_dict()
        copy = make(kind, nin, sizes, fused, activation, seeds[1])
        copy.load_state_dict(json.loads(json.dumps(state)))
        assert bits([p.data for p in copy.parameters()]) == bits([p.data for p in source.parameters()]), case
        assert json.dumps(copy.state_dict()) == json.dumps(state), case
        if not overrides:  # finite outputs to compare (an override may make them inf or nan)
            assert bits([y.data for y in flat(copy(example))]) == bits([y.data for y in flat(source(example))]), case
        other = make(kind, nin + 1, [n + 1 for n in sizes], fused, activation, seeds[1])
        before = bits([p.data for p in other.parameters()])
        try:
            other.load_state_dict(state)
        except ShapeError as error:
            assert "load_state_dict" in str(error), str(error)
        else:
            raise AssertionError(f"{kind} of another shape accepted the state {state}")
        assert bits([p.data for p in other.parameters()]) == before, case

    check()
