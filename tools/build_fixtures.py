"""Rebuild every fixture file in fixtures/ from its sources; `--check` fails on any drift.

    python tools/build_fixtures.py           write fixtures/*.json
    python tools/build_fixtures.py --check   rebuild in memory and compare with the files (CI)

Expected values come from three places, and each case's `source` says which:
  * the documents' printed numbers (../shared/seeds/, cited by file name), with a tolerance
    of half a unit in the last printed digit and `null` for what the document does not print;
  * closed forms (e.g. softmax of equal logits is 1/n);
  * an independent computation: tools/fixture_math.py, the formulas again in 60-digit decimal
    arithmetic, rounded once to float64. It does not import refnet.
"""

import json
import math
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fixture_math as X  # noqa: E402

ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(ROOT, "fixtures")
SUITE_VERSION = "2.0.0"
SCHEMA_VERSION = 1

DOC000 = "000_f9a23462f49faea1.txt"
DOC001 = "001_251e29975c1497b8.txt"
DOC002 = "002_22dd3b33c61b9037.txt"
DOC003 = "003_83fae8590fc0f361.txt"
DOC004 = "004_90774dc949aeae9c.txt"
DECIMAL = "independent: tools/fixture_math.py, 60-digit decimal arithmetic rounded to float64"


def tolerance(rtol64=1e-12, atol64=1e-13, rtol32=1e-4, atol32=1e-5):
    return {"float64": {"rtol": rtol64, "atol": atol64}, "float32": {"rtol": rtol32, "atol": atol32}}


EXACT = tolerance()
TRAINING = tolerance(1e-9, 1e-11, 2e-3, 2e-4)


def printed(decimals):
    """Half a unit in the last printed digit (with room for the float's own rounding)."""
    half = 0.5 * 10.0 ** -decimals * (1 + 1e-9)
    return {"float64": {"rtol": 0.0, "atol": half}, "float32": {"rtol": 0.0, "atol": half}}


def case(cases, family, id, description, source, input, expected, tol=None, flags=(), notes=None):
    entry = {"id": family + "." + id, "description": description, "source": source, "flags": list(flags)}
    if notes:
        entry["notes"] = notes
    entry["input"] = input
    entry["expected"] = expected
    entry["tolerance"] = tol or EXACT
    cases.append(entry)


def node(name, op, *args, **attrs):
    result = {"name": name, "op": op, "args": list(args)}
    if attrs:
        result["attrs"] = attrs
    return result


# ---------------------------------------------------------------------------------------- graph


def graph_case(cases, id, description, inputs, nodes, source=DECIMAL, flags=(), notes=None, tol=None):
    expected = X.floats(X.graph(inputs, nodes))
    case(cases, "graph", id, description, source, {"inputs": inputs, "nodes": nodes}, expected, tol, flags, notes)


def masked(structure, keep):
    """A copy of a {"values", "gradients", "input_gradients"} result with nulls except where `keep` says."""
    return {key: [value if (key, i) in keep else None for i, value in enumerate(values)]
            for key, values in structure.items()}


def graph_cases():
    cases = []
    # 002: f(x, y, z) = (x + y)·z at −2, 5, −4.
    inputs = [["x", -2.0], ["y", 5.0], ["z", -4.0]]
    nodes = [node("q", "add", "x", "y"), node("f", "mul", "q", "z")]
    case(cases, "graph", "doc002.expression.printed", "(x+y)z at x=-2, y=5, z=-4: f = -12, df/dx = df/dy = -4, df/dz = 3",
         DOC002 + ": the computational graph of f(x,y,z) = (x+y)z, its printed values and gradients",
         {"inputs": inputs, "nodes": nodes},
         {"values": [3.0, -12.0], "gradients": [-4.0, 1.0], "input_gradients": [-4.0, -4.0, 3.0]}, tolerance(0, 0, 0, 0))
    # 002: the sigmoid neuron gate by gate, w = (2, −3, −3), x = (−1, −2).
    inputs = [["w0", 2.0], ["x0", -1.0], ["w1", -3.0], ["x1", -2.0], ["w2", -3.0]]
    nodes = [node("w0x0", "mul", "w0", "x0"), node("w1x1", "mul", "w1", "x1"), node("sum", "add", "w0x0", "w1x1"),
             node("dot", "add", "sum", "w2"), node("negated", "mul", "dot", -1.0), node("exponential", "exp", "negated"),
             node("denominator", "add", "exponential", 1.0), node("f", "pow", "denominator", -1.0)]
    graph_case(cases, "doc002.sigmoid_neuron.gates", "the sigmoid neuron of 002 gate by gate: values and gradients at every gate",
               inputs, nodes, source=DECIMAL + "; the neuron and its gates from " + DOC002)
    exact = X.floats(X.graph(inputs, nodes))
    keep = {("values", 7), ("gradients", 7), ("gradients", 6), ("gradients", 5), ("gradients", 4), ("gradients", 3)}
    book = masked(exact, keep)
    book["values"][7] = 0.73
    book["gradients"][6], book["gradients"][5], book["gradients"][4], book["gradients"][3] = -0.53, -0.53, -0.20, 0.20
    case(cases, "graph", "doc002.sigmoid_neuron.printed", "002's printed gate gradients -0.53, -0.53, -0.20, 0.20 and output 0.73",
         DOC002 + ": the sigmoid neuron figure, numbers printed with two decimals",
         {"inputs": inputs, "nodes": nodes}, book, printed(2),
         notes="The figure prints two decimals: 1/x gate input gradient -0.53, +1 gate -0.53, exp gate -0.20, *-1 gate 0.20.")
    inputs = [["x", 1.0]]
    graph_case(cases, "doc002.sigmoid_neuron.fused", "the same neuron as one sigmoid node: sigma(1) = 0.7310586, local gradient 0.1966119",
               inputs, [node("f", "sigmoid", "x")], source=DECIMAL + "; net input 1 from " + DOC002)
    case(cases, "graph", "doc002.sigmoid_shortcut.printed", "the book's shortcut (1 - 0.73)(0.73) = 0.2",
         DOC002 + ": local gradient of the sigmoid written (1-0.73)(0.73) = 0.2 (one decimal)",
         {"inputs": [["s", 0.73]], "nodes": [node("one_minus_s", "sub", 1.0, "s"), node("slope", "mul", "one_minus_s", "s")]},
         {"values": [None, 0.2], "gradients": [None, None], "input_gradients": [None]}, printed(1))
    inputs = [["w0", -1.0], ["x0", 2.0], ["w1", 2.0], ["x1", 4.0], ["w2", -2.0], ["x2", 3.0], ["w3", 4.0]]
    nodes = [node("a", "mul", "w0", "x0"), node("b", "mul", "w1", "x1"), node("c", "mul", "w2", "x2"),
             node("ab", "add", "a", "b"), node("abc", "add", "ab", "c"), node("net", "add", "abc", "w3"),
             node("f", "sigmoid", "net")]
    graph_case(cases, "doc002.second_neuron", "002's second neuron w = (-1, 2, -2, 4), x = (2, 4, 3): net input 4, sigma(4)",
               inputs, nodes, source=DECIMAL + "; weights and inputs from " + DOC002 + " (it prints no result)",
               notes="w3 = 4 is the bias (the fourth weight has no input).")
    # 003: the book's rounded arithmetic, as an expression graph over its printed intermediates.
    inputs = [["t", 1.0], ["y", 0.76], ["slope", 0.181], ["mu", 10.0], ["hD", 0.90], ["hE", 0.17], ["wGE", -5.2]]
    nodes = [node("error", "sub", "t", "y"), node("deltaG", "mul", "error", "slope"), node("mu_delta", "mul", "mu", "deltaG"),
             node("dwGD", "mul", "mu_delta", "hD"), node("dwGE", "mul", "mu_delta", "hE"), node("dwGF", "mul", "mu_delta", 1.0),
             node("new_wGE", "add", "wGE", "dwGE")]
    exact = X.floats(X.graph(inputs, nodes))
    notes = ("The book rounds before each multiplication: hidden outputs .90 and .17, y = sigma(1.166) = .7624 printed .76, "
             "y' = .181. Exact arithmetic (network.doc003.exact) gives deltaG = .04239 and dwGD = .3816; see docs/worked-examples.md.")
    for index, (name, value, decimals) in enumerate([("deltaG", 0.0434, 4), ("dwGD", 0.391, 3), ("dwGE", 0.074, 3),
                                                      ("dwGF", 0.434, 3), ("new_wGE", -5.126, 3)]):
        position = [n["name"] for n in nodes].index(name)
        expected = masked(exact, set())
        expected["values"][position] = value
        case(cases, "graph", "doc003.book." + name, "003's printed " + name + " = " + repr(value) + " from its rounded intermediates",
             DOC003 + ": the worked weight update with mu = 10 (printed with " + str(decimals) + " decimals)",
             {"inputs": inputs, "nodes": nodes}, expected, printed(decimals), notes=notes)
    inputs = [["hD", 0.90], ["hE", 0.17]]
    nodes = [node("a", "mul", "hD", 4.5), node("b", "mul", "hE", -5.2), node("ab", "add", "a", "b"), node("net", "add", "ab", -2.0),
             node("y", "sigmoid", "net")]
    case(cases, "graph", "doc003.book.output", "003's output y = .76 from the rounded hidden outputs .90 and .17",
         DOC003 + ": output of the worked network, printed .76", {"inputs": inputs, "nodes": nodes},
         {"values": [None, None, None, 1.166, 0.76], "gradients": [None] * 5, "input_gradients": [None, None]}, printed(2),
         notes="net = 4.5(.90) - 5.2(.17) - 2.0 = 1.166 exactly in decimal; the float sum differs in the 16th digit.")
    # micrograd's README example.
    inputs = [["a", -4.0], ["b", 2.0]]
    nodes = [node("c", "add", "a", "b"), node("ab", "mul", "a", "b"), node("b3", "pow", "b", 3.0), node("d", "add", "ab", "b3"),
             node("c1", "add", "c", 1.0), node("c2", "add", "c", "c1"), node("one_c", "add", 1.0, "c2"), node("neg_a", "neg", "a"),
             node("t", "add", "one_c", "neg_a"), node("c3", "add", "c2", "t"), node("d2", "mul", "d", 2.0), node("ba", "add", "b", "a"),
             node("r1", "relu", "ba"), node("d2r", "add", "d2", "r1"), node("d3", "add", "d", "d2r"), node("d3x3", "mul", 3.0, "d3"),
             node("bma", "sub", "b", "a"), node("r2", "relu", "bma"), node("s", "add", "d3x3", "r2"), node("d4", "add", "d3", "s"),
             node("e", "sub", "c3", "d4"), node("f", "pow", "e", 2.0), node("g", "div", "f", 2.0), node("h", "div", 10.0, "f"),
             node("g2", "add", "g", "h")]
    graph_case(cases, "micrograd.readme", "micrograd's README expression: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773",
               inputs, nodes, source=DECIMAL + "; the expression from micrograd 0.1.0's README",
               notes="(b + a).relu() has input -2: the kink is not touched.")
    case(cases, "graph", "micrograd.readme.printed", "micrograd's README prints 24.7041, 138.8338, 645.5773",
         "micrograd 0.1.0 README (four decimals printed)", {"inputs": inputs, "nodes": nodes},
         {"values": [None] * 24 + [24.7041], "gradients": [None] * 25, "input_gradients": [138.8338, 645.5773]}, printed(4))
    # Every op once, away from kinks, then kinks, ties, fan-in and extremes.
    ops = [("add", [1.5, -0.25]), ("sub", [1.5, -0.25]), ("mul", [1.5, -0.25]), ("div", [1.5, -0.25]), ("neg", [0.7]),
           ("exp", [0.7]), ("log", [0.7]), ("tanh", [0.7]), ("sigmoid", [0.7]), ("relu", [0.7]), ("relu", [-0.7]),
           ("abs", [-0.7]), ("max", [0.3, -0.2]), ("max", [-0.3, 0.2])]
    for op, values in ops:
        names = ["a", "b"][: len(values)]
        sign = "neg" if values[0] < 0 and op in ("relu", "abs") else ("second" if op == "max" and values[1] > values[0] else "")
        graph_case(cases, "op." + op + ("." + sign if sign else ""), op + " at " + repr(values),
                   [[n, v] for n, v in zip(names, values)], [node("out", op, *names)])
    graph_case(cases, "op.leaky_relu", "leaky_relu(alpha=0.01) at -0.7", [["a", -0.7]], [node("out", "leaky_relu", "a", alpha=0.01)])
    graph_case(cases, "op.leaky_relu.alpha", "leaky_relu(alpha=0.2) at -0.7: alpha off its default", [["a", -0.7]],
               [node("out", "leaky_relu", "a", alpha=0.2)])
    graph_case(cases, "op.pow.constant", "a ** 2.5 at 1.7", [["a", 1.7]], [node("out", "pow", "a", 2.5)])
    graph_case(cases, "op.pow.node", "a ** b with both nodes, at 1.7 ** -0.6", [["a", 1.7], ["b", -0.6]], [node("out", "pow", "a", "b")])
    graph_case(cases, "op.pow.negative_base", "(-2) ** 3: a negative base to an integer power", [["a", -2.0]], [node("out", "pow", "a", 3.0)])
    graph_case(cases, "op.pow.zero_base_fractional", "0 ** 0.5: value 0, slope +inf (the IEEE pole)", [["a", 0.0]],
               [node("out", "pow", "a", 0.5)], flags=["edge", "non-finite", "convention"],
               notes="d/da a^b = b a^(b-1) at a = 0 with 0 < b < 1 is +inf, as PyTorch and IEEE 754 pow give.")
    graph_case(cases, "kink.relu_at_zero", "relu'(0) = 0", [["a", 0.0]], [node("out", "relu", "a")], flags=["kink", "convention"],
               notes="refnet's convention (and PyTorch's): the derivative of relu at 0 is 0.")
    graph_case(cases, "kink.leaky_relu_at_zero", "leaky_relu'(0) = alpha", [["a", 0.0]], [node("out", "leaky_relu", "a", alpha=0.125)],
               flags=["kink", "convention"], notes="At 0 the slope is alpha, the negative side's.")
    graph_case(cases, "kink.abs_at_zero", "|x|' at 0 = 0", [["a", 0.0]], [node("out", "abs", "a")], flags=["kink", "convention"])
    graph_case(cases, "kink.max_tie", "max(a, b) at a tie: each side gets half the gradient", [["a", 0.5], ["b", 0.5]],
               [node("out", "max", "a", "b")], flags=["tie", "convention"],
               notes="002's max gate routes the gradient to the larger input; at a tie refnet splits it evenly (as PyTorch's max does).")
    graph_case(cases, "fanin.add_self", "b = a + a: the gradient accumulates (2)", [["a", 3.0]], [node("b", "add", "a", "a")],
               flags=["fan-in"], source=DECIMAL + "; 002: gradients add where branches meet")
    graph_case(cases, "fanin.diamond", "a feeds two branches that meet again: c = (a*b) + exp(a)", [["a", 0.4], ["b", -1.3]],
               [node("p", "mul", "a", "b"), node("q", "exp", "a"), node("c", "add", "p", "q"), node("d", "mul", "c", "a")],
               flags=["fan-in"], source=DECIMAL + "; 004: the chain rule sums over every path")
    graph_case(cases, "fanin.square", "a * a: both operands are the same node", [["a", -1.25]], [node("b", "mul", "a", "a")], flags=["fan-in"])
    for value in (1000.0, -1000.0):
        graph_case(cases, "extreme.sigmoid." + ("plus" if value > 0 else "minus") + "1000", "sigmoid(" + repr(value) + ") stays finite",
                   [["a", value]], [node("out", "sigmoid", "a")], flags=["extreme"])
        graph_case(cases, "extreme.tanh." + ("plus" if value > 0 else "minus") + "1000", "tanh(" + repr(value) + ") stays finite",
                   [["a", value]], [node("out", "tanh", "a")], flags=["extreme"])
    graph_case(cases, "extreme.exp.minus1000", "exp(-1000) underflows to 0", [["a", -1000.0]], [node("out", "exp", "a")], flags=["extreme"])
    graph_case(cases, "extreme.exp.plus1000", "exp(1000) overflows to inf (value and gradient)", [["a", 1000.0]], [node("out", "exp", "a")],
               flags=["extreme", "non-finite", "convention"], notes="refnet returns +inf for an overflowing exp rather than raising.")
    graph_case(cases, "extreme.log.tiny", "log(1e-300) and its gradient 1e300", [["a", 1e-300]], [node("out", "log", "a")], flags=["extreme"])
    graph_case(cases, "extreme.tanh.tiny", "tanh(1e-300) = 1e-300 with slope 1", [["a", 1e-300]], [node("out", "tanh", "a")], flags=["extreme"])
    graph_case(cases, "extreme.mul.huge", "1e200 * 1e-200 and their gradients", [["a", 1e200], ["b", 1e-200]],
               [node("out", "mul", "a", "b")], flags=["extreme"])
    saturated_slope_graph_cases(cases)
    for id, description, inputs, nodes in [
        ("error.log_negative", "log(-1) is an error", [["a", -1.0]], [node("out", "log", "a")]),
        ("error.log_zero", "log(0) is an error", [["a", 0.0]], [node("out", "log", "a")]),
        ("error.pow_negative_fractional", "(-8) ** (1/3) is an error, not a complex number", [["a", -8.0]], [node("out", "pow", "a", 1.0 / 3.0)]),
        ("error.div_zero", "1 / 0 is an error", [["a", 1.0], ["b", 0.0]], [node("out", "div", "a", "b")]),
        ("error.pow_zero_negative", "0 ** -1 is an error (a division by zero)", [["a", 0.0]], [node("out", "pow", "a", -1.0)]),
        ("error.pow_node_zero_base", "0 ** b with b a node is an error: d(a^b)/db = a^b ln a needs ln 0",
         [["a", 0.0], ["b", 2.0]], [node("out", "pow", "a", "b")]),
        ("error.pow_node_negative_base", "(-2) ** b with b a node (b = 2) is an error: ln(-2) is undefined",
         [["a", -2.0], ["b", 2.0]], [node("out", "pow", "a", "b")]),
    ]:
        case(cases, "graph", id, description, "closed form: outside the function's domain", {"inputs": inputs, "nodes": nodes},
             {"error": "domain"}, flags=["error", "convention"],
             notes="refnet raises DomainError; an adapter whose framework returns inf or nan raises instead.")
    nan_graph_cases(cases)
    return cases


# Slopes that 1 - y^2 and y(1 - y) cancel to 0: once tanh or sigma rounds to +-1 (|x| > 19.1 for tanh,
# x > 36.7 for sigma in float64; 9.0 and 16.6 in float32), those forms give exactly 0, while the true slope
# 4e^{-2|x|}/(1 + e^{-2|x|})^2, e^{-|x|}/(1 + e^{-|x|})^2 stays representable up to |x| ~ 354 and ~ 745.
# atol is 0 (float64) and half float32's smallest subnormal (float32), so a 0 slope fails wherever the exact
# slope rounds to a non-zero number at that precision; where it does not (4e^{-600} and e^{-700} in float32),
# the float32 answer is the exact slope rounded, 0. The inputs are float32 numbers, so no adapter reports
# them "input not representable in float32".
SATURATED = tolerance(1e-12, 0.0, 1e-4, 2.0 ** -150)
SATURATED_SOURCE = DECIMAL + ": sech^2 x = 4/(e^x + e^-x)^2 and e^-x/(1 + e^-x)^2, no cancellation"
SATURATED_NOTES = ("1 - tanh^2 and sigma(1 - sigma) cancel to exactly 0 once tanh or sigma rounds to 1, although the true "
                   "slope is representable; a backend must use a form without the cancellation, e.g. "
                   "4e^{-2|x|}/(1 + e^{-2|x|})^2 and e^{-|x|}/(1 + e^{-|x|})^2 (docs/conventions.md). In float32 the "
                   "slope at 300 (tanh) and 700 (sigma) rounds to 0, and 0 is what is checked there.")


def saturated_slope_graph_cases(cases):
    for op, x in (("tanh", 20.0), ("tanh", 300.0), ("sigmoid", 40.0), ("sigmoid", 700.0)):
        cancelling_form = "1 - y^2" if op == "tanh" else "y(1 - y)"
        graph_case(cases, "extreme." + op + ".slope_at_" + str(int(x)),
                   op + "'(" + repr(x) + ") is its exact, non-zero slope, not " + cancelling_form + " = 0",
                   [["a", x]], [node("out", op, "a")], source=SATURATED_SOURCE, flags=["extreme"], notes=SATURATED_NOTES,
                   tol=SATURATED)
    graph_case(cases, "extreme.tanh_of_log", "x = 1e-10, tanh(log x): dx = sech^2(ln x)/x = 4x/(1 + x^2)^2 = 4e-10, not 0",
               [["x", 1e-10]], [node("l", "log", "x"), node("out", "tanh", "l")], source=SATURATED_SOURCE,
               flags=["extreme"], tol=SATURATED,
               notes=SATURATED_NOTES.split(" In float32")[0] + " tanh(ln 1e-10) = -1 + 2e-20 rounds to -1 at both "
                     "precisions; the slope 4e-20 and dx 4e-10 are float32 numbers too.")
    graph_case(cases, "extreme.pow.even_power_2_54", "(-1) ** 2^54: value 1, derivative n(-1)^(n-1) = -2^54 (n - 1 is odd)",
               [["a", -1.0]], [node("out", "pow", "a", 2.0 ** 54)], source=DECIMAL + ": n * a^(n-1) with n - 1 = 2^54 - 1 exact",
               flags=["extreme"], tol=SATURATED,
               notes="n - 1 = 2^54 - 1 is not a float: computed as a float it rounds to 2^54, which is even, and gives the "
                     "wrong sign +2^54. The exponent's parity decides the sign: d(a^n)/da = -n(-a)^(n-1) for a < 0 and odd "
                     "n - 1. 2^54 and -2^54 are float32 numbers, so both precisions check the sign.")


NAN = float("nan")
NAN_NOTES = ("nan in, nan out (docs/conventions.md): a nan input is not a domain error. An adapter that raises on a nan "
             "it computed must return it where an input is nan.")


def nan_graph_cases(cases):
    """nan through every op, in each input position: the value is nan, and each gradient is its
    local derivative's formula at the inputs (nan where it reads the nan, exact where it does not)."""
    for op in ("exp", "log", "tanh", "sigmoid", "neg"):
        graph_case(cases, "nan." + op, op + "(nan) is nan, and so is its gradient" + (" (but -1 for neg)" if op == "neg" else ""),
                   [["a", NAN]], [node("out", op, "a")], flags=["non-finite", "convention"], notes=NAN_NOTES)
    graph_case(cases, "nan.pow", "nan ** 2 is nan, and so is its gradient 2 nan", [["a", NAN]], [node("out", "pow", "a", 2.0)],
               flags=["non-finite", "convention"], notes=NAN_NOTES)
    for op in ("relu", "leaky_relu", "abs"):
        attrs = {"alpha": 0.25} if op == "leaky_relu" else {}
        graph_case(cases, "nan." + op, op + "(nan) is nan (not 0); its gradient is not specified", [["a", NAN]],
                   [node("out", op, "a", **attrs)], flags=["non-finite", "convention"],
                   notes=NAN_NOTES + " The gradient at nan differs between frameworks (PyTorch 1, alpha and 0; JAX 0; refnet "
                                     "nan), so it is null: not checked.")
    for op in ("add", "sub", "mul", "div", "max"):
        for position, inputs in (("first", [["a", NAN], ["b", 2.0]]), ("second", [["a", 2.0], ["b", NAN]])):
            note = NAN_NOTES
            if op == "max":
                note += (" max is nan whichever side the nan is on (refnet once gave max(nan, 1) = 1); its gradients at nan "
                         "differ between frameworks, so they are null.")
            graph_case(cases, "nan." + op + "." + position, op + " with a nan " + position + " argument is nan",
                       inputs, [node("out", op, "a", "b")], flags=["non-finite", "convention"], notes=note)
    graph_case(cases, "nan.chain", "a nan input through mul, tanh and add: every value after it is nan, and y's gradient too",
               [["x", NAN], ["y", 3.0]], [node("q", "mul", "x", "y"), node("r", "tanh", "q"), node("out", "add", "r", "y")],
               flags=["non-finite", "convention"], notes=NAN_NOTES)


# ----------------------------------------------------------------------------------- activation

ELEMENTWISE = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "step"]


def activation_expected(name, x, upstream, attrs):
    if name == "softmax":
        return {"y": X.softmax(x), "dx": X.softmax_vjp(x, upstream)}
    if name == "log_softmax":
        return {"y": X.log_softmax(x), "dx": X.log_softmax_vjp(x, upstream)}
    pairs = [X.activation_and_slope(name, v, attrs.get("alpha")) for v in x]
    return {"y": [p[0] for p in pairs], "dx": [p[1] * X.D(u) for p, u in zip(pairs, upstream)]}


def activation_case(cases, id, description, name, x, upstream, attrs=None, source=DECIMAL, flags=(), notes=None, tol=None):
    attrs = attrs or {}
    expected = X.floats(activation_expected(name, x, upstream, attrs))
    case(cases, "activation", id, description, source, {"name": name, "x": x, "upstream": upstream, "attrs": attrs},
         expected, tol, flags, notes)


def activation_cases():
    cases = []
    x = [-2.5, -0.3, 0.4, 1.7]
    upstream = [0.5, -1.0, 2.0, 0.25]
    for name in ELEMENTWISE + ["softmax", "log_softmax"]:
        attrs = {"alpha": 0.01} if name == "leaky_relu" else {}
        activation_case(cases, name + ".basic", name + " on a vector away from kinks", name, x, upstream, attrs,
                        source=DECIMAL + "; formulas from " + (DOC001 if name in ("linear", "step", "leaky_relu", "softmax") else DOC000))
    activation_case(cases, "relu.kink", "relu at 0 and -0: value 0, slope 0 (beside 0.5 and -0.5)", "relu", [0.0, -0.0, 0.5, -0.5],
                    [1.0, 1.0, 1.0, 1.0], flags=["kink", "convention"],
                    notes="Every input is exact in float32, so the kink is checked at both precisions.")
    activation_case(cases, "relu.extreme", "relu at +-1e-300: the smallest positive input still has slope 1", "relu",
                    [1e-300, -1e-300], [1.0, 1.0], flags=["extreme"], notes="float32 cannot hold 1e-300.")
    activation_case(cases, "leaky_relu.kink", "leaky relu at 0: slope alpha", "leaky_relu", [0.0], [1.0], {"alpha": 0.25},
                    flags=["kink", "convention"])
    activation_case(cases, "leaky_relu.alpha", "leaky relu with alpha 0.3 (not the default 0.01) on the basic vector", "leaky_relu",
                    x, upstream, {"alpha": 0.3}, source=DECIMAL + "; formula from " + DOC001,
                    notes="alpha is moved off its default so that a backend ignoring it fails at both precisions.")
    case(cases, "activation", "leaky_relu.default_alpha", "leaky relu with attrs {}: alpha takes its default 0.01",
         DECIMAL + "; formula from " + DOC001 + ", default alpha 0.01 from spec_tests/protocol.py",
         {"name": "leaky_relu", "x": x, "upstream": upstream, "attrs": {}},
         X.floats(activation_expected("leaky_relu", x, upstream, {"alpha": 0.01})),
         notes="Catches a backend whose default alpha is not 0.01 (0.2 as Keras's LeakyReLU, 0 as a plain relu) or that "
               "fails on a missing alpha.")
    activation_case(cases, "step.kink", "step(0) = step(-0) = 1, slope 0 everywhere", "step", [0.0, -0.0, -0.5, 3.0],
                    [1.0, 1.0, 1.0, 1.0], flags=["kink", "convention"],
                    notes="refnet's step is 1 for x >= 0 (001 leaves x = 0 open); its derivative is taken as 0. Every input is "
                          "exact in float32.")
    activation_case(cases, "step.extreme", "step(-1e-300) = 0 and step(1e-300) = 1", "step", [-1e-300, 1e-300], [1.0, 1.0],
                    flags=["extreme"], notes="float32 cannot hold 1e-300.")
    for name in ("sigmoid", "tanh"):
        activation_case(cases, name + ".extreme", name + " at +-1000 and +-1e-300", name, [-1000.0, -1e-300, 1e-300, 1000.0],
                        [1.0, 1.0, 1.0, 1.0], flags=["extreme"])
    for name, points in (("tanh", [20.0, 300.0]), ("sigmoid", [40.0, 700.0])):
        activation_case(cases, name + ".saturated_slope", name + " where it rounds to 1 but its slope does not round to 0",
                        name, points, [1.0, 1.0], source=SATURATED_SOURCE, flags=["extreme"], notes=SATURATED_NOTES,
                        tol=SATURATED)
    activation_case(cases, "softmax.doc001", "001's softmax of [2.0, 1.0, 0.1]", "softmax", [2.0, 1.0, 0.1], [1.0, 0.0, 0.0],
                    source=DECIMAL + "; logits from " + DOC001 + "'s softmax code (it prints no result)")
    case(cases, "activation", "softmax.ties", "softmax of equal logits is uniform; its VJP of a constant upstream is 0",
         "closed form: softmax of n equal logits is 1/n; J^T 1 = 0", {"name": "softmax", "x": [3.0, 3.0, 3.0, 3.0],
         "upstream": [1.0, 1.0, 1.0, 1.0], "attrs": {}}, {"y": [0.25] * 4, "dx": [0.0] * 4}, flags=["tie"])
    activation_case(cases, "softmax.extreme", "softmax of [1000, -1000, 0]: no overflow", "softmax", [1000.0, -1000.0, 0.0],
                    [1.0, -2.0, 0.5], flags=["extreme"])
    activation_case(cases, "softmax.all_large", "softmax of [1000, 999, 998]: shifted by the max", "softmax", [1000.0, 999.0, 998.0],
                    [0.3, 0.2, 0.1], flags=["extreme"])
    activation_case(cases, "log_softmax.extreme", "log-softmax of [1000, -1000, 0]", "log_softmax", [1000.0, -1000.0, 0.0],
                    [1.0, -2.0, 0.5], flags=["extreme"])
    activation_case(cases, "softmax.single", "softmax of one logit is 1 with VJP 0", "softmax", [-7.0], [2.0], flags=["edge"])
    for name in ("linear", "sigmoid", "tanh", "softmax", "log_softmax"):
        activation_case(cases, "nan." + name, name + " with a nan input: nan " + (
            "everywhere" if name in ("softmax", "log_softmax") else "at it, exact elsewhere"), name, [NAN, 0.5, -1.0],
            [1.0, -0.5, 2.0], flags=["non-finite", "convention"], notes=NAN_NOTES)
    return cases


# ----------------------------------------------------------------------------------------- loss


def loss_case(cases, id, description, name, predictions, targets, attrs=None, source=DECIMAL, flags=(), notes=None, tol=None):
    attrs = attrs or {}
    value, grad = X.loss_and_gradient(name, predictions, targets, attrs)
    case(cases, "loss", id, description, source, {"name": name, "predictions": predictions, "targets": targets, "attrs": attrs},
         X.floats({"loss": value, "dpredictions": grad}), tol, flags, notes)


def loss_cases():
    cases = []
    y = [[0.5, -1.25, 2.0], [1.5, 0.25, -0.75]]
    t = [[1.0, -1.0, 1.5], [2.0, 0.5, -1.0]]
    for name, source in [("mse", DOC000), ("mae", DOC000), ("mape", DOC000), ("half_squared_error", DOC003)]:
        loss_case(cases, name + ".basic", name + " on a 2x3 batch", name, y, t, source=DECIMAL + "; formula from " + source)
    loss_case(cases, "mse.zero_targets", "mse against zero targets", "mse", y, [[0.0] * 3, [0.0] * 3], flags=["zero-target"])
    loss_case(cases, "mae.kink", "mae where a prediction equals its target: slope 0 there", "mae", [[1.0, 2.0]], [[1.0, 3.0]],
              flags=["kink", "convention"])
    case(cases, "loss", "mape.zero_target", "mape with a zero target is an error", "closed form: |(t - y)/t| is undefined at t = 0",
         {"name": "mape", "predictions": [[1.0, 2.0]], "targets": [[0.0, 2.0]], "attrs": {}}, {"error": "domain"},
         flags=["zero-target", "error", "convention"], notes="refnet raises DomainError rather than returning inf.")
    p = [[0.9, 0.2, 0.6], [0.1, 0.7, 0.35]]
    tb = [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    loss_case(cases, "binary_cross_entropy.basic", "binary cross-entropy on probabilities", "binary_cross_entropy", p, tb,
              source=DECIMAL + "; formula from " + DOC001)
    loss_case(cases, "binary_cross_entropy.certain", "p = 1 where t = 1 and p = 0 where t = 0: loss 0 (0 ln 0 = 0)",
              "binary_cross_entropy", [[1.0, 0.0]], [[1.0, 0.0]], flags=["edge", "convention"])
    loss_case(cases, "binary_cross_entropy.tiny", "p = 1e-300 against t = 1: a large finite loss", "binary_cross_entropy",
              [[1e-300]], [[1.0]], flags=["extreme"])
    loss_case(cases, "binary_cross_entropy.tiny_float32", "p = 1e-30 (a float32 number) against t = 1 on a 2x2 batch",
              "binary_cross_entropy", [[1e-30, 0.5], [0.25, 1e-30]], [[1.0, 0.0], [1.0, 1.0]], flags=["extreme"],
              notes="-ln(1e-30) is about 69.08 per such element. Catches a BCE that clamps p to [1e-7, 1 - 1e-7] (Keras): "
                    "it gives about 16.1 there, at float32 as well as float64.")
    probabilities = [[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]]
    onehot = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    loss_case(cases, "categorical_cross_entropy.basic", "categorical cross-entropy on probabilities, one-hot targets",
              "categorical_cross_entropy", probabilities, onehot, source=DECIMAL + "; formula from " + DOC000)
    loss_case(cases, "categorical_cross_entropy.soft", "categorical cross-entropy with soft targets", "categorical_cross_entropy",
              probabilities, [[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]])
    loss_case(cases, "categorical_cross_entropy.zero_probability", "a zero probability where the target is 0 is fine",
              "categorical_cross_entropy", [[0.6, 0.4, 0.0]], [[1.0, 0.0, 0.0]], flags=["edge", "convention"])
    tiny = [[1e-30, 0.5, 0.5], [0.2, 0.3, 0.5]]
    loss_case(cases, "categorical_cross_entropy.tiny_probability", "a probability of 1e-30 where the target is 1",
              "categorical_cross_entropy", tiny, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], flags=["extreme"],
              notes="-ln(1e-30) is about 69.08 and the gradient -1/(1e-30 n): catches a loss that clips p to 1e-7 (about 16.1), "
                    "at float32 as well as float64.")
    loss_case(cases, "sparse_categorical_cross_entropy.tiny_probability", "a probability of 1e-30 at the label",
              "sparse_categorical_cross_entropy", tiny, [0, 2], flags=["extreme"],
              notes="-ln(1e-30) is about 69.08 and the gradient -1/(1e-30 n): catches a loss that clips p to 1e-7 (about 16.1), "
                    "at float32 as well as float64.")
    loss_case(cases, "sparse_categorical_cross_entropy.basic", "sparse categorical cross-entropy with integer labels",
              "sparse_categorical_cross_entropy", probabilities, [0, 2], source=DECIMAL + "; formula from " + DOC000)
    logits = [[2.0, 1.0, 0.1], [-0.5, 1.5, 0.25]]
    loss_case(cases, "softmax_cross_entropy.basic", "softmax cross-entropy on logits", "softmax_cross_entropy", logits, [0, 1],
              source=DECIMAL + "; 002's L_i = -log(e^{s_y} / sum_j e^{s_j})")
    loss_case(cases, "softmax_cross_entropy.extreme", "logits of +-1000: finite loss and gradient", "softmax_cross_entropy",
              [[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]], [1, 1], flags=["extreme"],
              notes="The first row's loss is 2000 exactly; a naive softmax overflows.")
    loss_case(cases, "softmax_cross_entropy.ties", "equal logits: loss ln 3, gradient (1/3 - onehot)/n", "softmax_cross_entropy",
              [[0.0, 0.0, 0.0]], [2], flags=["tie"])
    loss_case(cases, "edge.softmax_cross_entropy.masked_class", "a masked class (logit -inf): finite loss ln(1 + e^3), gradient 0 there",
              "softmax_cross_entropy", [[0.0, float("-inf"), 3.0]], [0], flags=["extreme", "non-finite"],
              notes="The exact loss is finite; computing it as logsumexp(s) - sum_j t_j s_j gives 0 * -inf = nan.")
    loss_case(cases, "edge.softmax_cross_entropy.near_zero", "logits near 900 whose loss is 2.29e-11: relative accuracy near 0",
              "softmax_cross_entropy", [[900.5, 876.0]], [0], flags=["extreme"], tol=tolerance(1e-4, 0.0, 1e-4, 1e-5),
              notes="logsumexp(s) - s_y cancels: logsumexp rounds at ulp(900) = 1.1e-13, a relative error of 2e-3 here. "
                    "(s_y - max) - log1p(sum of the rest) is exact to an ulp; log(1 + 2.29e-11) (PyTorch) to 1e-5. float32 "
                    "cannot resolve 2.29e-11 beside 1, so its tolerance is the usual one.")
    for name in ("mse", "half_squared_error"):
        loss_case(cases, "nan." + name, name + " with a nan prediction: nan loss, nan gradient there", name,
                  [[NAN, 0.5], [0.25, -1.0]], [[1.0, 1.0], [0.0, -0.5]], flags=["non-finite", "convention"], notes=NAN_NOTES)
    loss_case(cases, "nan.binary_cross_entropy", "binary cross-entropy with a nan probability: nan loss", "binary_cross_entropy",
              [[NAN, 0.5]], [[1.0, 0.0]], flags=["non-finite", "convention"], notes=NAN_NOTES)
    loss_case(cases, "nan.softmax_cross_entropy", "softmax cross-entropy with a nan logit: nan loss, the row's gradient nan",
              "softmax_cross_entropy", [[NAN, 1.0, 0.0], [0.5, -0.5, 2.0]], [1, 2], flags=["non-finite", "convention"],
              notes=NAN_NOTES)
    loss_case(cases, "edge.half_squared_error.huge_error", "t - y = 1e308: the loss overflows to inf, its gradient y - t is finite",
              "half_squared_error", [[0.0]], [[1e308]], flags=["extreme", "non-finite"],
              notes="The gradient is -(t - y) = -1e308 exactly; from 2(t - y) * 0.5 it overflows to -inf. float32 cannot hold "
                    "1e308.")
    scores = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]
    loss_case(cases, "multiclass_hinge.doc002", "002's multiclass SVM loss on its three example scores", "multiclass_hinge",
              scores, [0, 1, 2], {"margin": 1.0},
              source=DECIMAL + "; the hinge formula sum_{j != y} max(0, s_j - s_y + 1) from " + DOC002,
              notes="Scores are the classic cat/car/frog example (per-example losses 2.9, 0, 12.9): mean 5.2666…")
    loss_case(cases, "multiclass_hinge.at_margin", "a hinge term exactly at its margin has gradient 0", "multiclass_hinge",
              [[2.0, 1.0, 0.5]], [0], {"margin": 1.0}, flags=["kink", "convention"],
              notes="s_1 - s_0 + 1 = 0 exactly: the term and its gradient are 0 (the ReLU convention).")
    loss_case(cases, "binary_hinge.basic", "micrograd's hinge max(0, 1 - t s) on +-1 targets", "binary_hinge",
              [[0.3], [-2.0], [1.5], [-0.2]], [[1.0], [-1.0], [1.0], [1.0]], source=DECIMAL + "; micrograd 0.1.0's demo loss")
    loss_case(cases, "binary_hinge.at_margin", "t s = 1 exactly: loss 0, gradient 0", "binary_hinge", [[1.0], [-1.0]],
              [[1.0], [-1.0]], flags=["kink", "convention"])
    loss_case(cases, "binary_hinge.batch", "the binary hinge on a 2x3 batch: the mean runs over all 6 elements", "binary_hinge",
              [[0.3, -2.0, 1.5], [-0.2, 0.75, -1.25]], [[1.0, -1.0, 1.0], [1.0, -1.0, -1.0]],
              source=DECIMAL + "; micrograd 0.1.0's demo loss, averaged over every element",
              notes="n = 2 rows, m = 6 elements: the mean over rows and the sum give other numbers.")
    loss_case(cases, "multiclass_hinge.margin", "the multiclass hinge with margin 0.5 on 3 examples of 4 classes",
              "multiclass_hinge", [[1.25, 0.75, -0.5, 2.0], [0.25, 1.5, 1.25, -1.0], [-0.75, 0.125, 0.5, 0.25]], [3, 1, 2],
              {"margin": 0.5}, source=DECIMAL + "; the hinge formula of " + DOC002 + " with its margin 1 replaced by 0.5",
              notes="With the default margin 1 a fourth term is active and every active term grows by 0.5; the mean is over the "
                    "3 examples, not the 12 scores.")
    loss_case(cases, "multiclass_hinge.default_margin", "the multiclass hinge with attrs {}: margin takes its default 1",
              "multiclass_hinge", [[1.25, 0.75, -0.5, 2.0], [0.25, 1.5, 1.25, -1.0], [-0.75, 0.125, 0.5, 0.25]], [3, 1, 2],
              source=DECIMAL + "; the hinge formula of " + DOC002 + ", default margin 1 from spec_tests/protocol.py",
              notes="The scores of multiclass_hinge.margin: catches a backend whose default margin is not 1 or that fails on a "
                    "missing margin.")
    loss_case(cases, "multiclass_hinge.at_margin_half", "margin 0.5: s_j - s_y + 0.5 = 0 exactly has gradient 0",
              "multiclass_hinge", [[2.0, 1.5, 0.5]], [0], {"margin": 0.5}, flags=["kink", "convention"],
              notes="1.5 - 2.0 + 0.5 = 0 exactly: the term and its gradient are 0; with margin 1 it would be active.")
    return cases


# ---------------------------------------------------------------------------------------- dense


def dense_case(cases, id, description, activation, weight, bias, x, upstream, attrs=None, source=DECIMAL, flags=(), notes=None):
    attrs = attrs or {}
    n_out, n_in, batch = len(weight), len(weight[0]), len(x)
    if len(bias) != n_out or any(len(r) != n_in for r in weight + x) or len(upstream) != batch \
            or any(len(r) != n_out for r in upstream):
        raise SystemExit("dense." + id + ": shapes do not fit")
    y, slopes = X.dense_forward(weight, bias, x, activation, attrs.get("alpha"))
    dx, dw, db = X.dense_backward(weight, x, slopes, upstream)
    case(cases, "dense", id, description, source,
         {"activation": activation, "weight": weight, "bias": bias, "x": x, "upstream": upstream, "attrs": attrs},
         X.floats({"y": y, "dx": dx, "dweight": dw, "dbias": db}), None, flags, notes)


def dense_cases():
    cases = []
    weight = [[0.2, -0.5, 1.0, 0.3], [-1.2, 0.4, 0.05, -0.7]]
    bias = [0.1, -0.2]
    x = [[1.0, 2.0, -1.0, 0.5], [-0.3, 0.8, 0.6, -1.5], [0.0, -2.0, 1.25, 0.75]]
    upstream = [[1.0, -0.5], [0.25, 2.0], [-1.5, 0.75]]
    for activation in ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]:
        attrs = {"alpha": 0.01} if activation == "leaky_relu" else {}
        dense_case(cases, activation, "a 4 -> 2 " + activation + " layer on a batch of 3", activation, weight, bias, x, upstream, attrs,
                   source=DECIMAL + "; y = act(Wx + b) from " + DOC000 + ", the matrix form from " + DOC004)
    dense_case(cases, "doc004.matrix_form", "004's Z = XW on small integers: dX = dZ W^T, dW = X^T dZ (here W stored out x in)",
               "linear", [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [0.0, 0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]],
               [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], source=DECIMAL + "; the dense-layer formulas of " + DOC004,
               notes="004 writes Z = XW with W in x out; refnet stores W out x in, so Z = X W^T and dW is the transpose of 004's X^T dZ.")
    dense_case(cases, "leaky_relu.alpha", "a 4 -> 2 leaky_relu layer with alpha 0.2 (not the default 0.01)", "leaky_relu",
               weight, bias, x, upstream, {"alpha": 0.2},
               source=DECIMAL + "; y = act(Wx + b) from " + DOC000 + ", leaky ReLU from " + DOC001,
               notes="Three of the six net inputs are negative, so alpha scales their outputs and gradients.")
    dense_case(cases, "relu.kink", "a relu layer whose net input is exactly 0 for one unit", "relu", [[1.0, -1.0], [0.5, 0.5]],
               [0.0, -1.0], [[2.0, 2.0]], [[1.0, 1.0]], flags=["kink", "convention"])
    dense_case(cases, "sigmoid.extreme", "a sigmoid layer saturated at +-1000", "sigmoid", [[1000.0], [-1000.0]], [0.0, 0.0],
               [[1.0]], [[1.0, 1.0]], flags=["extreme"])
    dense_case(cases, "nan.tanh", "a tanh layer with a nan input: that example's outputs and dX, and dW and db, are nan",
               "tanh", [[0.5, -0.25]], [0.0], [[NAN, 1.0], [1.0, 2.0]], [[1.0], [-0.5]], flags=["non-finite", "convention"],
               notes=NAN_NOTES)
    return cases


# -------------------------------------------------------------------------------------- network

NET003 = [
    {"weight": [[3.7, 3.7], [2.9, 2.9]], "bias": [-1.5, -4.5], "activation": "sigmoid"},
    {"weight": [[4.5, -5.2]], "bias": [-2.0], "activation": "sigmoid"},
]
NET004 = [
    {"weight": [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], "bias": [0.0, 0.0, 0.0], "activation": "sigmoid"},
    {"weight": [[0.7, -0.8, 0.2], [-0.1, 0.5, 0.9]], "bias": [0.0, 0.0], "activation": "sigmoid"},
    {"weight": [[1.0, -1.5]], "bias": [0.0], "activation": "linear"},
]
NET002 = [
    {"weight": [[0.5, -0.3], [-0.8, 0.2], [0.1, 0.9]], "bias": [0.0, 0.0, 0.0], "activation": "tanh"},
    {"weight": [[0.4, -0.6, 0.3], [-0.2, 0.7, -0.5]], "bias": [0.0, 0.0], "activation": "linear"},
]
X002 = [[0.5, 1.0], [-1.0, 0.25], [1.5, -0.5], [0.0, -1.0]]
Y002 = [0, 1, 1, 0]


def network_case(cases, id, description, layers, x, targets, loss, l2=0.0, source=DECIMAL, flags=(), notes=None, tol=None):
    result = X.network(layers, x, targets, loss, l2)
    case(cases, "network", id, description, source, {"layers": layers, "x": x, "targets": targets, "loss": loss, "l2": l2},
         X.floats(result), tol, flags, notes)


def network_cases():
    cases = []
    half = {"name": "half_squared_error", "attrs": {}}
    network_case(cases, "doc003.exact", "003's network at input (1, 0), t = 1, E = 1/2(t - y)^2: every gradient exactly",
                 NET003, [[1.0, 0.0]], [[1.0]], half, source=DECIMAL + "; network and weights from " + DOC003 + " (seeds/README.md)",
                 notes=("The update is dw = -mu dE/dw with mu = 10: dwGD = 0.3816, deltaG = 0.04239. The book prints .391 and .0434 "
                        "because it rounds its intermediates (graph.doc003.book.*). Each unit's delta is minus its bias gradient: "
                        "deltaG = 0.04239, hidden deltaD = 0.017131 and deltaE = -0.030810; the hidden updates are -mu times the "
                        "layer-0 gradients."))
    network_case(cases, "doc003.xor_forward", "003's network forward on all four XOR inputs", NET003,
                 [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[0.0], [1.0], [1.0], [0.0]], half,
                 source=DECIMAL + "; network from " + DOC003)
    network_case(cases, "doc004.three_layer_mse", "004's three-layer sigmoid network with MSE, backward step by step",
                 NET004, [[0.5, -1.0], [1.0, 2.0]], [[1.0], [0.0]], {"name": "mse", "attrs": {}},
                 source=DECIMAL + "; the network shape and backward rules (d = -2(y - y_hat), d = d W^T * O(1 - O)) from " + DOC004
                 + "; the numbers are chosen here",
                 notes="004's chain X -W1-> H1 -sigmoid-> O1 -W2-> H2 -sigmoid-> O2 -W3-> y_hat -> MSE: no biases, linear output. "
                       "004 starts the backward pass with d = -2(y_hat - y), the negative of dMSE/dy_hat = 2(y_hat - y); the "
                       "gradients here are dL/dW (docs/worked-examples.md).")
    network_case(cases, "doc002.tanh_softmax_l2", "002's two-layer tanh + softmax network with its L2 term", NET002, X002, Y002,
                 {"name": "softmax_cross_entropy", "attrs": {}}, l2=0.005,
                 source=DECIMAL + "; the architecture, delta3 = probs - onehot and dW += reg_lambda W from " + DOC002,
                 notes="002's code sums the data loss over examples and adds reg_lambda/2 sum W^2; here the data loss is the mean, "
                       "and c = 0.005 multiplies sum W^2 (gradient 2cW).")
    network_case(cases, "mse_two_outputs", "a tanh layer into two linear outputs with MSE: the mean runs over every element",
                 [{"weight": [[0.3, -0.6], [0.9, 0.2], [-0.4, 0.5]], "bias": [0.1, -0.1, 0.0], "activation": "tanh"},
                  {"weight": [[0.5, -0.2, 0.8], [-0.7, 0.4, 0.1]], "bias": [0.05, -0.05], "activation": "linear"}],
                 [[1.0, -0.5], [0.25, 2.0], [-1.5, 0.75]], [[0.5, -1.0], [1.0, 0.0], [0.0, 2.0]], {"name": "mse", "attrs": {}},
                 source=DECIMAL + "; MSE as the mean over every element (" + DOC000 + ", numpy's .mean())")
    relu_net = [{"weight": [[0.5, -1.0], [1.0, 1.0], [-0.5, 0.25]], "bias": [0.0, -2.0, 0.125], "activation": "relu"},
                {"weight": [[1.0, -1.0, 0.5]], "bias": [0.25], "activation": "linear"}]
    network_case(cases, "relu_hinge", "a relu MLP with micrograd's hinge loss, one unit at its kink", relu_net,
                 [[1.0, 1.0], [2.0, -1.0]], [[1.0], [-1.0]], {"name": "binary_hinge", "attrs": {}}, l2=2.0 ** -13, flags=["kink"],
                 notes="The second hidden unit's net input is 0 for the first example: relu'(0) = 0. Every input is exact "
                       "in float32 (l2 = 2^-13).")
    network_case(cases, "leaky_hinge_two_outputs", "a leaky relu (alpha 0.2) layer into two outputs with the binary hinge",
                 [{"weight": [[0.5, -1.0], [1.0, 0.5], [-0.75, 0.25]], "bias": [0.1, -0.3, 0.2], "activation": "leaky_relu",
                   "alpha": 0.2},
                  {"weight": [[1.0, -0.5, 0.75], [-0.25, 0.5, 1.25]], "bias": [0.05, -0.1], "activation": "linear"}],
                 [[1.0, 0.5], [-0.5, 1.5], [2.0, -1.0]], [[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]], {"name": "binary_hinge", "attrs": {}},
                 source=DECIMAL + "; leaky ReLU from " + DOC001 + ", micrograd 0.1.0's hinge averaged over every element",
                 notes="A layer's optional \"alpha\" is leaky ReLU's negative slope (0.01 when absent). Three rows and two "
                       "columns: the hinge's mean over all 6 elements differs from the mean over rows.")
    return cases


# ------------------------------------------------------------------------------------ optimizer


def optimizer_case(cases, id, description, name, hyper, params, gradients, source=DECIMAL, flags=(), notes=None, tol=None):
    opt = X.Optimizer(name, hyper, len(params))
    current = params
    history = []
    for g in gradients:
        current = opt.step(current, g)
        history.append(current)
    case(cases, "optimizer", id, description, source,
         {"name": name, "hyperparameters": hyper, "params": params, "gradients": gradients}, X.floats({"params": history}),
         tol or TRAINING, flags, notes)


def optimizer_cases():
    cases = []
    params = [0.5, -1.0, 2.0]
    grads = [[0.1, -0.2, 0.3], [0.05, 0.4, -0.1], [-0.3, 0.1, 0.0], [0.2, 0.2, 0.2]]
    optimizer_case(cases, "sgd.plain", "SGD without momentum: w <- w - lr g", "sgd", {"lr": 0.1, "momentum": 0.0}, params, grads,
                   source=DECIMAL + "; dw = -eta dE/dw from " + DOC000)
    optimizer_case(cases, "sgd.momentum", "SGD with momentum 0.9 in 003's form dw(n) = -eta g + rho dw(n-1)", "sgd",
                   {"lr": 0.1, "momentum": 0.9}, params, grads, source=DECIMAL + "; momentum from " + DOC003,
                   notes="Equal to PyTorch's v <- rho v + g, w <- w - eta v when eta is constant (docs/conventions.md).")
    optimizer_case(cases, "sgd.doc003_update", "003's step with mu = 10 on the output weights' gradients", "sgd",
                   {"lr": 10.0, "momentum": 0.0}, [4.5, -5.2, -2.0], [[-0.03815, -0.00712, -0.04239]],
                   source=DECIMAL + "; learning rate from " + DOC003 + "; gradients rounded to 4 significant digits here")
    optimizer_case(cases, "adagrad.basic", "Adagrad (003's form, eps outside the root)", "adagrad", {"lr": 0.1, "eps": 1e-10},
                   params, grads, source=DECIMAL + "; Adagrad from " + DOC003 + ", eps placement as PyTorch")
    optimizer_case(cases, "adagrad.zero_gradient", "Adagrad with a zero first gradient: no division by zero", "adagrad",
                   {"lr": 0.1, "eps": 1e-10}, [1.0], [[0.0], [0.5]], flags=["edge"])
    optimizer_case(cases, "rmsprop.basic", "RMSProp with PyTorch's defaults alpha 0.99, eps 1e-8", "rmsprop",
                   {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}, params, grads)
    optimizer_case(cases, "adam.basic", "Adam with bias correction, PyTorch's defaults", "adam",
                   {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, params, grads,
                   notes="The first step moves each parameter by about lr * sign(g): m_hat / sqrt(v_hat) = g/|g|.")
    optimizer_case(cases, "adam.tiny_gradients", "Adam with gradients of 1e-12: eps dominates", "adam",
                   {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, [1.0, -1.0], [[1e-12, -1e-12], [2e-12, 0.0]],
                   flags=["extreme"])
    optimizer_case(cases, "adam.large_lr_many_steps", "Adam over ten steps with lr 0.1", "adam",
                   {"lr": 0.1, "beta1": 0.8, "beta2": 0.9, "eps": 1e-6}, [0.0, 3.0],
                   [[float(k % 3) - 1.0, 0.5 * k] for k in range(10)])
    # eps of 0.1 against gradients of about 1e-3 (√v about 1e-3): eps decides the step, so where it
    # sits (outside the root, inside it, before the bias correction) shows at float32 too.
    small = [0.01, -0.02, 0.0]
    tiny = [[1e-3, -2e-3, 5e-4], [2e-3, 1e-3, -1e-3], [-1e-3, 3e-3, 2e-3]]
    eps_note = ("eps dominates sqrt(v) here: ignoring eps, or adding it inside the square root, changes every step by "
                "far more than the float32 tolerance.")
    optimizer_case(cases, "adagrad.eps_dominates", "Adagrad with eps 0.1 against gradients of 1e-3", "adagrad",
                   {"lr": 0.5, "eps": 0.1}, small, tiny, notes=eps_note)
    optimizer_case(cases, "rmsprop.alpha_half", "RMSProp with alpha 0.5, lr 0.05 and eps 1e-6 (none at its default)", "rmsprop",
                   {"lr": 0.05, "alpha": 0.5, "eps": 1e-6}, params, grads,
                   notes="alpha 0.5 against the default 0.99 changes sqrt(s) by a factor of about 7 on the first step.")
    optimizer_case(cases, "rmsprop.eps_dominates", "RMSProp with eps 0.1, alpha 0.9, lr 0.5 against gradients of 1e-3",
                   "rmsprop", {"lr": 0.5, "alpha": 0.9, "eps": 0.1}, small, tiny, notes=eps_note)
    optimizer_case(cases, "adam.eps_dominates", "Adam with eps 0.1, betas 0.5 and 0.75, lr 0.5 against gradients of 1e-3",
                   "adam", {"lr": 0.5, "beta1": 0.5, "beta2": 0.75, "eps": 0.1}, small, tiny,
                   notes=eps_note + " eps is added to sqrt(v_hat), after the bias correction: the form "
                                    "lr sqrt(1 - beta2^t)/(1 - beta1^t) m/(sqrt(v) + eps) moves eps before it.")
    comparable = [[0.1, -0.12, 0.08], [0.09, -0.1, 0.11], [0.11, -0.08, 0.1]]
    optimizer_case(cases, "adam.eps_comparable", "Adam with eps 0.1 against sqrt(v_hat) about 0.1, lr 0.1, 3 steps", "adam",
                   {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 0.1}, [0.5, -1.0, 2.0], comparable,
                   notes="The first step is about lr g/(|g| + eps) = 0.05; m_hat/sqrt(v_hat + eps^2) gives about 0.071: catches "
                         "eps squared inside the root at float32 as well as float64.")
    optimizer_case(cases, "rmsprop.eps_comparable", "RMSProp with eps 0.1 against sqrt(s) about 0.03, lr 0.1, 3 steps", "rmsprop",
                   {"lr": 0.1, "alpha": 0.9, "eps": 0.1}, [0.5, -1.0, 2.0], comparable,
                   notes="The first step is about lr g/(sqrt(0.1 g^2) + eps) = 0.076; g/sqrt(s + eps^2) gives about 0.095: "
                         "catches eps squared inside the root at float32 as well as float64.")
    return cases


# ------------------------------------------------------------------------------------- training


def training_case(cases, id, description, layers, x, targets, loss, l2, optimizer, steps, source=DECIMAL, flags=(), notes=None):
    result = X.training(layers, x, targets, loss, l2, optimizer, steps)
    case(cases, "training", id, description, source,
         {"layers": layers, "x": x, "targets": targets, "loss": loss, "l2": l2, "optimizer": optimizer, "steps": steps},
         X.floats(result), TRAINING, flags, notes)


def training_cases():
    cases = []
    half = {"name": "half_squared_error", "attrs": {}}
    training_case(cases, "doc003.one_step", "003's network after one step with mu = 10: wGE = -5.1288 exactly (the book prints -5.126)",
                  NET003, [[1.0, 0.0]], [[1.0]], half, 0.0, {"name": "sgd", "hyperparameters": {"lr": 10.0, "momentum": 0.0}}, 1,
                  source=DECIMAL + "; network, input and mu from " + DOC003,
                  notes="The book's -5.126 is -5.2 + .074 with .074 from rounded intermediates (graph.doc003.book.new_wGE).")
    training_case(cases, "doc002.one_step", "one step of 002's tanh + softmax network with its L2 term", NET002, X002, Y002,
                  {"name": "softmax_cross_entropy", "attrs": {}}, 0.005, {"name": "sgd", "hyperparameters": {"lr": 0.01, "momentum": 0.0}},
                  1, source=DECIMAL + "; network and update rule from " + DOC002)
    xor_net = [{"weight": [[0.5, -0.4], [0.3, 0.8], [-0.7, 0.2]], "bias": [0.1, -0.1, 0.0], "activation": "tanh"},
               {"weight": [[0.6, -0.5, 0.4]], "bias": [0.0], "activation": "sigmoid"}]
    xor_x = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    xor_t = [[0.0], [1.0], [1.0], [0.0]]
    training_case(cases, "xor.sgd_momentum", "a 2-3-1 tanh/sigmoid net on XOR, 20 steps of SGD with momentum", xor_net, xor_x, xor_t,
                  {"name": "mse", "attrs": {}}, 0.0, {"name": "sgd", "hyperparameters": {"lr": 0.5, "momentum": 0.9}}, 20)
    training_case(cases, "xor.adam", "the same net, 15 steps of Adam on binary cross-entropy", xor_net, xor_x, xor_t,
                  {"name": "binary_cross_entropy", "attrs": {}}, 1e-3,
                  {"name": "adam", "hyperparameters": {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}}, 15)
    training_case(cases, "blobs.rmsprop", "a relu net on three points per class, 10 steps of RMSProp with softmax cross-entropy",
                  [{"weight": [[0.3, -0.2], [-0.5, 0.4], [0.2, 0.6]], "bias": [0.05, 0.0, -0.05], "activation": "relu"},
                   {"weight": [[0.5, -0.3, 0.2], [-0.4, 0.1, 0.6]], "bias": [0.0, 0.0], "activation": "linear"}],
                  [[1.0, 1.2], [0.8, 1.5], [1.3, 0.9], [-1.0, -1.1], [-1.4, -0.7], [-0.9, -1.3]], [0, 0, 0, 1, 1, 1],
                  {"name": "softmax_cross_entropy", "attrs": {}}, 0.0,
                  {"name": "rmsprop", "hyperparameters": {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}}, 10)
    training_case(cases, "adagrad.regression", "a linear 2-1 model, 8 steps of Adagrad on MSE", [
        {"weight": [[0.0, 0.0]], "bias": [0.0], "activation": "linear"}], [[1.0, 2.0], [2.0, -1.0], [0.5, 0.5]],
        [[3.0], [0.0], [1.0]], {"name": "mse", "attrs": {}}, 0.0, {"name": "adagrad", "hyperparameters": {"lr": 0.5, "eps": 1e-10}}, 8)
    training_case(cases, "leaky_multiclass_hinge.rmsprop", "a leaky relu net (alpha 0.2), the multiclass hinge with margin 0.5, "
                  "6 steps of RMSProp with lr 0.02, alpha 0.9, eps 0.01",
                  [{"weight": [[0.5, -0.25], [-0.75, 0.5], [0.25, 1.0]], "bias": [0.1, 0.0, -0.2], "activation": "leaky_relu",
                    "alpha": 0.2},
                   {"weight": [[0.5, -0.5, 0.25], [-0.25, 0.75, -0.5], [0.5, 0.25, 0.75]], "bias": [0.0, 0.1, -0.1],
                    "activation": "linear"}],
                  [[1.0, 0.5], [-1.0, 1.0], [0.5, -1.5], [-0.5, -0.5]], [0, 1, 2, 1], {"name": "multiclass_hinge",
                                                                                       "attrs": {"margin": 0.5}},
                  0.001, {"name": "rmsprop", "hyperparameters": {"lr": 0.02, "alpha": 0.9, "eps": 0.01}}, 6,
                  source=DECIMAL + "; leaky ReLU from " + DOC001 + ", the multiclass hinge from " + DOC002,
                  notes="Every hyperparameter is off its default: alpha (the layer's and RMSProp's), the margin, lr and eps.")
    return cases


# ---------------------------------------------------------------------------------- prng / init

# Integers, random() and uniform() are specified bit for bit (refnet/prng.py): compared exactly.
# Normals go through ln, sqrt and cos, and IEEE 754 requires only sqrt to be correctly rounded; a
# libm within an ulp of each function value lands within a few ulps of the expected value (which is
# what a correctly rounded libm gives), so normals get rtol and atol 1e-15 (4.5 to 9 ulps near 1).
PRNG_TOLERANCE = tolerance(0.0, 0.0, 0.0, 0.0)
NORMAL_TOLERANCE = tolerance(1e-15, 1e-15, 1e-15, 1e-15)
NORMAL_NOTE = ("Not bit-exact: Box-Muller calls ln and cos, which IEEE 754 does not require to be correctly rounded; the "
               "expected values are what correctly rounded ln, sqrt and cos give, and a libm within an ulp of each "
               "lands within a few ulps (rtol and atol 1e-15).")


def prng_case(cases, id, description, seed, draws, source, tol=PRNG_TOLERANCE, notes=None):
    rng = X.SplitMix64(seed)
    values = []
    for draw in draws:
        kind = draw["kind"]
        if kind == "u64":
            values.append("0x%016X" % rng.next_u64())
        elif kind == "random":
            values.append(rng.random())
        elif kind == "uniform":
            values.append(rng.uniform(draw["low"], draw["high"]))
        elif kind == "below":
            values.append(rng.below(draw["n"]))
        elif kind == "normal":
            values.append(rng.normal(draw["mean"], draw["std"]))
    case(cases, "prng", id, description, source, {"seed": seed, "draws": draws}, X.floats({"values": values}), tol,
         ["bit-exact"] if tol is PRNG_TOLERANCE else [], notes)
    return cases[-1]


def prng_cases():
    cases = []
    case(cases, "prng", "splitmix64.seed0.published", "SplitMix64 seeded with 0: the published first three outputs",
         "published reference outputs of SplitMix64 (Steele, Lea and Flood 2014; Vigna's splitmix64.c) for seed 0",
         {"seed": 0, "draws": [{"kind": "u64"}] * 3},
         {"values": ["0xE220A8397B1DCDAF", "0x6E789E6AA1B965F4", "0x06C45D188009454F"]}, tolerance(0, 0, 0, 0), ["bit-exact"])
    source = "independent: SplitMix64 on Python integers in tools/fixture_math.py, from refnet/prng.py's specification"
    prng_case(cases, "splitmix64.seed42.u64", "ten 64-bit outputs for seed 42", 42, [{"kind": "u64"}] * 10, source)
    prng_case(cases, "splitmix64.seed_wraps", "a seed of 2^64 + 5 is taken mod 2^64 (same as 5)", 2 ** 64 + 5, [{"kind": "u64"}] * 2, source)
    prng_case(cases, "random.seed7", "random(): top 53 bits times 2^-53, exact", 7, [{"kind": "random"}] * 8, source)
    prng_case(cases, "uniform.seed7", "uniform(-2, 3), bit for bit", 7, [{"kind": "uniform", "low": -2.0, "high": 3.0}] * 4,
              source, notes="low + (high - low) u in float64, each of the three operations rounded to nearest: bit-exact.")
    prng_case(cases, "uniform.seed13", "uniform(-0.1, 0.2) twelve times: the rounding of every operation, bit for bit", 13,
              [{"kind": "uniform", "low": -0.1, "high": 0.2}] * 12, source,
              notes="high - low is 0.30000000000000004 in float64: the formula's three roundings are part of the "
                    "specification; another formula such as low (1 - u) + high u differs in the last bit of some draws.")
    prng_case(cases, "below.seed3", "below(n) = (u64 * n) >> 64", 3,
              [{"kind": "below", "n": n} for n in (1, 2, 3, 10, 1000, 2 ** 40)], source)
    prng_case(cases, "below.large_n", "below(n) for n = 10^12 + 39 and 2^60 + 33 (not powers of two), exact", 3,
              [{"kind": "below", "n": n} for n in (10 ** 12 + 39, 2 ** 60 + 33, 10 ** 12 + 39, 2 ** 60 + 33)], source,
              notes="(u64 n) >> 64 needs 128-bit integer arithmetic: int(random() n) or floor(u n / 2^64) in doubles "
                    "loses the low bits for these n.")
    prng_case(cases, "splitmix64.seed_high", "a seed in [2^63, 2^64) is kept whole", 2 ** 63 + 12345, [{"kind": "u64"}] * 2,
              source, notes="Catches a seed reduced mod 2^63 (or held in a signed 64-bit integer and masked): that gives "
                            "seed 12345's outputs.")
    prng_case(cases, "normal.seed11", "Box-Muller normals (two draws each)", 11, [{"kind": "normal", "mean": 0.0, "std": 1.0}] * 6,
              source, NORMAL_TOLERANCE, notes=NORMAL_NOTE)
    prng_case(cases, "mixed.seed5", "a mix of every draw kind on one generator", 5,
              [{"kind": "u64"}, {"kind": "random"}, {"kind": "below", "n": 6}, {"kind": "normal", "mean": 1.0, "std": 2.0},
               {"kind": "uniform", "low": 0.0, "high": 10.0}], source, NORMAL_TOLERANCE,
              notes=NORMAL_NOTE + " Every other draw of this case is bit-exact.")
    return cases


def init_cases():
    cases = []
    source = ("independent: tools/fixture_math.py's SplitMix64 and the initialisers' formulas from " + DOC003 + " (uniform, "
              "Glorot shallow and deep), " + DOC002 + " (randn/sqrt(n)) and He et al. 2015")
    for name, seed, fan_in, fan_out in [("uniform", 1, 3, 2), ("glorot_shallow", 2, 4, 3), ("glorot_deep", 3, 4, 3),
                                        ("xavier_randn", 4, 2, 3), ("he_normal", 5, 3, 2)]:
        weight = X.floats(X.initial_weights(name, seed, fan_in, fan_out))
        normal = name in ("xavier_randn", "he_normal")
        case(cases, "init", name, name + " for a " + str(fan_in) + " -> " + str(fan_out) + " layer, seed " + str(seed), source,
             {"name": name, "seed": seed, "fan_in": fan_in, "fan_out": fan_out}, {"weight": weight},
             NORMAL_TOLERANCE if normal else PRNG_TOLERANCE, [] if normal else ["bit-exact"],
             NORMAL_NOTE if normal else "The limit and every draw in float64 as refnet/init.py computes them: bit-exact.")
    case(cases, "init", "glorot_shallow.fan_in3", "glorot_shallow for a 3 -> 2 layer, seed 6: a = 1/sqrt(3) is inexact", source,
         {"name": "glorot_shallow", "seed": 6, "fan_in": 3, "fan_out": 2},
         {"weight": X.floats(X.initial_weights("glorot_shallow", 6, 3, 2))}, PRNG_TOLERANCE, ["bit-exact"],
         "The limit 1/sqrt(3) rounded as refnet/init.py computes it (sqrt, then the division): bit-exact, so another "
         "order (sqrt(1/3), or 3 ** -0.5) that differs in the last bit fails.")
    return cases


# ------------------------------------------------------------------------------------- schedule

SCHEDULE = tolerance(1e-12, 1e-15, 1e-6, 1e-9)


def schedule_case(cases, id, description, name, hyperparameters, steps, source=DECIMAL, flags=(), notes=None):
    rates = [X.schedule(name, hyperparameters, k) for k in steps]
    case(cases, "schedule", id, description, source, {"name": name, "hyperparameters": hyperparameters, "steps": steps},
         X.floats({"lr": rates}), SCHEDULE, flags, notes)


def schedule_cases():
    cases = []
    schedule_case(cases, "constant", "a constant rate at step 0, early steps and far past any boundary", "constant",
                  {"lr": 0.05}, [0, 1, 2, 99, 1000], source="closed form: the rate does not depend on k")
    schedule_case(cases, "linear.micrograd", "micrograd's demo rate 1.0 - 0.9 k/100: k = 0, the boundary K = 100 and past it",
                  "linear", {"start": 1.0, "end": 0.1, "steps": 100}, [0, 1, 2, 50, 99, 100, 101, 150],
                  source=DECIMAL + "; micrograd 0.1.0's demo: learning_rate = 1.0 - 0.9*k/100",
                  notes="Past K the rate stays at `end` (refnet's LinearDecay, PyTorch's LinearLR after total_iters).")
    schedule_case(cases, "linear.sevenths", "from 0.3 to 0.02 in 7 steps: k/7 is not a binary fraction", "linear",
                  {"start": 0.3, "end": 0.02, "steps": 7}, [0, 1, 3, 6, 7, 8, 20], source=DECIMAL + "; the rule of " + DOC003
                  + " (\"reduce the learning rate over time\") as refnet/schedules.py writes it")
    schedule_case(cases, "linear.increasing", "end above start: the rate rises from 0.001 to 0.1 in 4 steps (a warm-up)",
                  "linear", {"start": 0.001, "end": 0.1, "steps": 4}, [0, 1, 2, 3, 4, 5, 9], flags=["edge"],
                  notes="The same formula; PyTorch's LinearLR, whose factors may not exceed 1, takes end as its base rate.")
    schedule_case(cases, "step.halving", "0.1 halved every 3 steps: k = step_size - 1, step_size, 2 step_size and far past",
                  "step", {"lr": 0.1, "step_size": 3, "gamma": 0.5}, [0, 1, 2, 3, 4, 5, 6, 8, 9, 30],
                  source=DECIMAL + "; StepDecay as PyTorch's StepLR: lr gamma^floor(k / step_size)",
                  notes="The first decay happens at k = step_size (3), not at k = step_size - 1 (2).")
    schedule_case(cases, "step.pytorch_docs", "PyTorch's StepLR example: 0.05 until 30, 0.005 until 60, 0.0005 until 90",
                  "step", {"lr": 0.05, "step_size": 30, "gamma": 0.1}, [0, 29, 30, 59, 60, 89, 90],
                  source=DECIMAL + "; the example in PyTorch's torch.optim.lr_scheduler.StepLR documentation")
    schedule_case(cases, "step.every_step", "step_size 1 with gamma 0.3 (not a binary fraction): 0.2 0.3^k", "step",
                  {"lr": 0.2, "step_size": 1, "gamma": 0.3}, [0, 1, 2, 3, 7])
    return cases


# -------------------------------------------------------------------------------------- dropout

DROPOUT_X = [[0.5, -1.25, 2.0, 0.75], [1.5, 0.25, -0.75, -2.0], [-0.3, 1.1, 0.6, -0.9]]
DROPOUT_MASK = [[1, 0, 1, 1], [0, 1, 1, 0], [1, 1, 0, 1]]
DROPOUT_UPSTREAM = [[1.0, -0.5, 0.25, 2.0], [-1.5, 0.75, 0.5, -0.25], [0.3, -0.2, 1.2, 0.8]]


def dropout_case(cases, id, description, x, mask, p, upstream, source=DECIMAL, flags=(), notes=None):
    if len(mask) != len(x) or len(upstream) != len(x) or any(len(r) != len(x[0]) for r in x + mask + upstream):
        raise SystemExit("dropout." + id + ": x, mask and upstream must have one shape")
    case(cases, "dropout", id, description, source, {"x": x, "mask": mask, "p": p, "upstream": upstream},
         X.floats(X.dropout(x, mask, p, upstream)), None, flags, notes)


def dropout_cases():
    cases = []
    source = DECIMAL + "; inverted dropout y = x m/(1 - p) (PyTorch's; " + DOC003 + ": \"randomly remove some hidden units\")"
    dropout_case(cases, "p0.identity", "p = 0 with every unit kept: y = x and dx = upstream", DROPOUT_X, [[1] * 4] * 3, 0.0,
                 DROPOUT_UPSTREAM, source="closed form: x m/(1 - 0) = x for m = 1", flags=["edge"])
    dropout_case(cases, "p_half", "p = 0.5 on a 3x4 batch: survivors doubled, the others 0, the gradient likewise",
                 DROPOUT_X, DROPOUT_MASK, 0.5, DROPOUT_UPSTREAM, source)
    dropout_case(cases, "p_0.3", "p = 0.3: the scale 1/0.7 is not a binary fraction (and differs from 1/p)", DROPOUT_X,
                 DROPOUT_MASK, 0.3, DROPOUT_UPSTREAM, source,
                 notes="With p = 0.5 the scales 1/(1 - p) and 1/p agree; here they do not (1.4286 against 3.3333).")
    dropout_case(cases, "p_0.8.wide", "p = 0.8 on one row of 8 units, two kept: scale 5", [[0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8]],
                 [[0, 1, 0, 0, 0, 0, 1, 0]], 0.8, [[1.0, 2.0, 3.0, 4.0, -1.0, -2.0, -3.0, 0.5]], source)
    dropout_case(cases, "row_all_dropped", "a row whose every unit is dropped: zeros, and no gradient flows to it",
                 [[0.25, -0.5], [1.75, 3.0]], [[0, 0], [1, 0]], 0.25, [[2.0, -1.0], [0.5, 4.0]], source, flags=["edge"])
    case(cases, "dropout", "error.p_one", "p = 1 is an error: the scale 1/(1 - p) is a division by zero",
         "closed form: 1/(1 - p) is undefined at p = 1", {"x": [[1.0, -2.0]], "mask": [[0, 0]], "p": 1.0,
                                                         "upstream": [[1.0, 1.0]]},
         {"error": "domain"}, flags=["error", "convention"],
         notes="refnet's Dropout(p) takes 0 <= p < 1; PyTorch's F.dropout returns zeros for p = 1, so its adapter raises "
               "before scaling.")
    return cases


# ----------------------------------------------------------------------------- numeric_gradient

UNIT_ROUNDOFF = {"float64": 2.0 ** -53, "float32": 2.0 ** -24}


def representable_in_float32(x):
    return float(struct.unpack("f", struct.pack("f", x))[0]) == x


def one_digit_up(x):
    """x rounded up to one significant digit (3.2e-5 -> 4e-5)."""
    exponent = math.floor(math.log10(x))
    return float(str(math.ceil(x / 10.0 ** exponent * (1 - 1e-12))) + "e" + str(exponent))


def numeric_tolerance(inputs, nodes, eps, expected):
    """Each precision's tolerance from a first-order bound on rounding, with the bound in words.

    Each node's result is rounded (relative error u, the unit roundoff); that moves the output
    by about u |v_n ∂f/∂v_n|, so f is off by at most S·u with S = Σ_n |v_n ∂f/∂v_n|. A one-sided
    difference takes two values of f and divides by ε: its rounding is 2Su/ε, a central one's
    2Su/(2ε) = Su/ε; the relative error inherits the central difference's over max(|a|, |c|).
    The inputs, ε and x ± ε are float32 numbers (checked), so x ± ε is exact at both precisions.
    atol is 8 times the largest bound (2 for a libm's one-ulp exp, log and tanh, 4 for the
    first-order estimate); rtol is the suite's usual one for what the bound leaves out (the
    analytic gradient's rounding).
    """
    exact = X.graph(inputs, nodes)
    s = sum((abs(v * g) for v, g in zip(exact["values"], exact["gradients"])), X.ZERO)
    s += sum((abs(X.D(value) * g) for (_, value), g in zip(inputs, exact["input_gradients"])), X.ZERO)
    scales = [max(abs(a), abs(c)) for a, c in zip(expected["analytic"], expected["central"])]
    smallest = min([m for m in scales if m > 0] or [1.0])
    result, words = {}, []
    for precision, (rtol, default_atol) in [("float64", (1e-12, 1e-13)), ("float32", (1e-4, 1e-5))]:
        one_sided = 2.0 * float(s) * UNIT_ROUNDOFF[precision] / eps
        bound = max(one_sided, one_sided / 2.0 / min(1.0, smallest))
        atol = max(default_atol, one_digit_up(8.0 * bound)) if bound > 0 else default_atol
        result[precision] = {"rtol": rtol, "atol": atol}
        words.append("%s %.1e (atol %.0e)" % (precision, bound, atol))
    return result, "; ".join(words)


def numeric_gradient_case(cases, id, description, inputs, nodes, eps, source=DECIMAL, flags=(), notes=None):
    points = [value + shift for _, value in inputs for shift in (0.0, eps, -eps)]
    if not all(X.D(x) + X.D(eps) == X.D(x + eps) for _, x in inputs) or not all(map(representable_in_float32, points + [eps])):
        raise SystemExit("numeric_gradient." + id + ": the inputs, eps and x +- eps must be float32 numbers (x +- eps exact)")
    exact = X.numeric_gradient(inputs, nodes, eps)
    tol, bounds = numeric_tolerance(inputs, nodes, eps, X.floats(exact))
    expected = X.floats(exact)
    truncation = max(abs(o - a) for o, a in zip(expected["one_sided"], expected["analytic"]))
    words = "Rounding bound on a difference quotient, 2u sum_n |v_n df/dv_n| / eps (v_n every node and input): " + bounds + "."
    if "kink" not in flags:
        words += " The one-sided difference is off the analytic gradient by up to %.2g (truncation, O(eps))." % truncation
    case(cases, "numeric_gradient", id, description, source, {"inputs": inputs, "nodes": nodes, "eps": eps}, expected, tol,
         flags, (notes + " " if notes else "") + words)


def numeric_gradient_cases():
    cases = []
    source = DECIMAL + "; the one-sided and central differences of " + DOC004 + ", the relative error of refnet/gradcheck.py"
    numeric_gradient_case(cases, "square.central_exact", "a*a at 3 with eps 1/8: one-sided 2x + eps = 6.125, central 6 exactly",
                          [["a", 3.0]], [node("f", "mul", "a", "a")], 0.125,
                          source="closed form: ((x+e)^2 - x^2)/e = 2x + e and ((x+e)^2 - (x-e)^2)/(2e) = 2x; " + DOC004,
                          notes="The central difference is exact for a quadratic: relative error 0.")
    numeric_gradient_case(cases, "exp.large_eps", "exp at 1/4 with eps 1/2: central = e^x sinh(eps)/eps, 4 % above e^x",
                          [["a", 0.25]], [node("f", "exp", "a")], 0.5, source,
                          notes="one-sided = e^x (e^eps - 1)/eps, central = e^x sinh(eps)/eps: the central difference lies "
                                "above the analytic gradient, so the relative error's denominator is the central one.")
    inputs = [["w0", 2.0], ["x0", -1.0], ["w1", -3.0], ["x1", -2.0], ["w2", -3.0]]
    nodes = [node("w0x0", "mul", "w0", "x0"), node("w1x1", "mul", "w1", "x1"), node("sum", "add", "w0x0", "w1x1"),
             node("dot", "add", "sum", "w2"), node("negated", "mul", "dot", -1.0), node("exponential", "exp", "negated"),
             node("denominator", "add", "exponential", 1.0), node("f", "pow", "denominator", -1.0)]
    numeric_gradient_case(cases, "doc002.sigmoid_neuron", "002's sigmoid neuron gate by gate, each of five inputs moved by 1/64",
                          inputs, nodes, 0.015625, DECIMAL + "; the neuron of " + DOC002 + ", the differences of " + DOC004)
    numeric_gradient_case(cases, "fanin.diamond", "(a b + e^a) a: a reaches the output along three paths, eps 1/16",
                          [["a", 0.375], ["b", -1.25]],
                          [node("p", "mul", "a", "b"), node("q", "exp", "a"), node("c", "add", "p", "q"), node("d", "mul", "c", "a")],
                          0.0625, source, flags=["fan-in"])
    numeric_gradient_case(cases, "tanh_log.small_eps", "tanh(a) log(b) with eps 2^-16 (about 1.5e-5, float64's usual choice)",
                          [["a", 0.5], ["b", 3.0]], [node("t", "tanh", "a"), node("l", "log", "b"), node("f", "mul", "t", "l")],
                          2.0 ** -16, source,
                          notes="004: too small an eps loses digits to rounding. At float64 the three estimates agree to "
                                "1e-5; at float32 the rounding bound is of the order of the values themselves, and the "
                                "tolerance says so.")
    numeric_gradient_case(cases, "kink.relu_at_zero", "relu at its kink: one-sided 1, central 1/2, analytic 0, relative error 1",
                          [["a", 0.0]], [node("f", "relu", "a")], 0.25, "closed form: relu(e)/e = 1, (relu(e) - relu(-e))/(2e) = "
                          "1/2, relu'(0) = 0 (the convention)", flags=["kink", "convention"],
                          notes="Why gradient checks keep away from kinks (refnet/gradcheck.py): the differences see both sides.")
    numeric_gradient_case(cases, "kink.abs_at_zero", "|a| at 0: one-sided 1, central 0, analytic 0, relative error 0 (both are 0)",
                          [["a", 0.0]], [node("f", "abs", "a")], 0.25, "closed form: |e|/e = 1, (|e| - |-e|)/(2e) = 0, |x|'(0) = 0 "
                          "(the convention); relative_error(0, 0) = 0", flags=["kink", "convention", "edge"])
    return cases


FAMILIES = [("graph", graph_cases, "scalar expression graphs: every node's value and gradient"),
            ("activation", activation_cases, "activations: forward and vector-Jacobian product"),
            ("loss", loss_cases, "losses: value and gradient with respect to the predictions"),
            ("dense", dense_cases, "one dense layer on a batch: forward and every gradient"),
            ("network", network_cases, "whole MLPs: output, loss and every parameter's gradient"),
            ("optimizer", optimizer_cases, "optimizers: parameters after each step from given gradients"),
            ("training", training_cases, "full-batch training: loss before each step and final weights"),
            ("prng", prng_cases, "refnet's SplitMix64 generator, bit for bit"),
            ("init", init_cases, "refnet's initialisers from a seeded generator"),
            ("schedule", schedule_cases, "learning-rate schedules: the rate at given step numbers"),
            ("dropout", dropout_cases, "inverted dropout with a given mask: forward and gradient"),
            ("numeric_gradient", numeric_gradient_cases, "one-sided and central differences, analytic gradient, relative error")]


# -------------------------------------------------------------------------------------- schemas
# JSON Schemas (draft 2020-12) for the fixture files and the runner's report, written beside the
# fixtures in fixtures/schemas/. They are data too, so the same build writes and checks them.

NUMBER = {"anyOf": [{"type": "number"}, {"enum": ["Infinity", "-Infinity", "NaN"]}]}
MAYBE = {"anyOf": [NUMBER, {"type": "null"}]}
VECTOR = {"type": "array", "items": NUMBER, "minItems": 1}
MAYBE_VECTOR = {"type": "array", "items": MAYBE}
MATRIX = {"type": "array", "items": VECTOR, "minItems": 1}
LABELS = {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 1}
ATTRS = {"type": "object", "additionalProperties": NUMBER}
ERROR = {"type": "object", "required": ["error"], "additionalProperties": False,
         "properties": {"error": {"enum": ["domain"]}}}
ACTIVATION_NAMES = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "step", "softmax", "log_softmax"]
LOSS_NAMES = ["mse", "mae", "mape", "half_squared_error", "binary_cross_entropy", "categorical_cross_entropy",
              "sparse_categorical_cross_entropy", "softmax_cross_entropy", "multiclass_hinge", "binary_hinge"]
OPTIMIZER_NAMES = ["sgd", "adagrad", "rmsprop", "adam"]
OPS = ["add", "sub", "mul", "div", "neg", "exp", "log", "tanh", "sigmoid", "relu", "leaky_relu", "abs", "pow", "max"]
INITIALISER_NAMES = ["uniform", "glorot_shallow", "glorot_deep", "xavier_randn", "he_normal"]


def obj(required, properties):
    return {"type": "object", "required": list(required), "additionalProperties": False, "properties": properties}


LAYER = obj(["weight", "bias", "activation"], {"weight": MATRIX, "bias": VECTOR,
                                              "activation": {"enum": ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]},
                                              "alpha": NUMBER})
PARAMS = obj(["weight", "bias"], {"weight": MATRIX, "bias": VECTOR})
LOSS_SPEC = obj(["name", "attrs"], {"name": {"enum": LOSS_NAMES}, "attrs": ATTRS})
TARGETS = {"anyOf": [MATRIX, LABELS]}
HYPER = {"type": "object", "additionalProperties": {"type": "number"}}
NETWORK_INPUT = {"layers": {"type": "array", "items": LAYER, "minItems": 1}, "x": MATRIX, "targets": TARGETS,
                 "loss": LOSS_SPEC, "l2": {"type": "number", "minimum": 0}}
DRAW = {"type": "object", "required": ["kind"], "properties": {
    "kind": {"enum": ["u64", "random", "uniform", "below", "normal"]}, "low": {"type": "number"}, "high": {"type": "number"},
    "n": {"type": "integer", "minimum": 1}, "mean": {"type": "number"}, "std": {"type": "number"}}, "additionalProperties": False}

FAMILY_SCHEMAS = {
    "graph": (obj(["inputs", "nodes"], {
        "inputs": {"type": "array", "items": {"type": "array", "prefixItems": [{"type": "string"}, NUMBER], "items": False,
                                              "minItems": 2}},
        "nodes": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "op", "args"], "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "op": {"enum": OPS},
                           "args": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"anyOf": [{"type": "string"}, NUMBER]}},
                           "attrs": ATTRS}}}}),
        {"anyOf": [obj(["values", "gradients", "input_gradients"], {"values": MAYBE_VECTOR, "gradients": MAYBE_VECTOR,
                                                                     "input_gradients": MAYBE_VECTOR}), ERROR]}),
    "activation": (obj(["name", "x", "upstream", "attrs"], {"name": {"enum": ACTIVATION_NAMES}, "x": VECTOR, "upstream": VECTOR,
                                                            "attrs": ATTRS}),
                   obj(["y", "dx"], {"y": VECTOR, "dx": VECTOR})),
    "loss": (obj(["name", "predictions", "targets", "attrs"], {"name": {"enum": LOSS_NAMES}, "predictions": MATRIX,
                                                               "targets": TARGETS, "attrs": ATTRS}),
             {"anyOf": [obj(["loss", "dpredictions"], {"loss": NUMBER, "dpredictions": MATRIX}), ERROR]}),
    "dense": (obj(["activation", "weight", "bias", "x", "upstream", "attrs"], {
        "activation": {"enum": ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]}, "weight": MATRIX, "bias": VECTOR,
        "x": MATRIX, "upstream": MATRIX, "attrs": ATTRS}),
        obj(["y", "dx", "dweight", "dbias"], {"y": MATRIX, "dx": MATRIX, "dweight": MATRIX, "dbias": VECTOR})),
    "network": (obj(list(NETWORK_INPUT), NETWORK_INPUT),
                obj(["outputs", "loss", "gradients"], {"outputs": MATRIX, "loss": NUMBER,
                                                       "gradients": {"type": "array", "items": PARAMS, "minItems": 1}})),
    "optimizer": (obj(["name", "hyperparameters", "params", "gradients"], {"name": {"enum": OPTIMIZER_NAMES},
                                                                          "hyperparameters": HYPER, "params": VECTOR,
                                                                          "gradients": MATRIX}),
                  obj(["params"], {"params": MATRIX})),
    "training": (obj(list(NETWORK_INPUT) + ["optimizer", "steps"], dict(NETWORK_INPUT, optimizer=obj(
        ["name", "hyperparameters"], {"name": {"enum": OPTIMIZER_NAMES}, "hyperparameters": HYPER}),
        steps={"type": "integer", "minimum": 1})),
                 obj(["losses", "layers"], {"losses": VECTOR, "layers": {"type": "array", "items": PARAMS, "minItems": 1}})),
    "prng": (obj(["seed", "draws"], {"seed": {"type": "integer", "minimum": 0}, "draws": {"type": "array", "items": DRAW,
                                                                                         "minItems": 1}}),
             obj(["values"], {"values": {"type": "array", "items": {"anyOf": [
                 {"type": "string", "pattern": "^0x[0-9A-F]{16}$"}, {"type": "number"}]}}})),
    "init": (obj(["name", "seed", "fan_in", "fan_out"], {"name": {"enum": INITIALISER_NAMES},
                                                         "seed": {"type": "integer", "minimum": 0},
                                                         "fan_in": {"type": "integer", "minimum": 1},
                                                         "fan_out": {"type": "integer", "minimum": 1}}),
             obj(["weight"], {"weight": MATRIX})),
}

SCHEDULE_NAMES = ["constant", "linear", "step"]
MASK = {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": {"enum": [0, 1]}}}
GRAPH_INPUT = FAMILY_SCHEMAS["graph"][0]["properties"]
FAMILY_SCHEMAS["schedule"] = (
    obj(["name", "hyperparameters", "steps"], {"name": {"enum": SCHEDULE_NAMES}, "hyperparameters": HYPER,
                                               "steps": {"type": "array", "items": {"type": "integer", "minimum": 0},
                                                         "minItems": 1}}),
    obj(["lr"], {"lr": VECTOR}))
FAMILY_SCHEMAS["dropout"] = (
    obj(["x", "mask", "p", "upstream"], {"x": MATRIX, "mask": MASK, "p": {"type": "number", "minimum": 0},
                                         "upstream": MATRIX}),
    {"anyOf": [obj(["y", "dx"], {"y": MATRIX, "dx": MATRIX}), ERROR]})
FAMILY_SCHEMAS["numeric_gradient"] = (
    obj(["inputs", "nodes", "eps"], {"inputs": GRAPH_INPUT["inputs"], "nodes": GRAPH_INPUT["nodes"],
                                     "eps": {"type": "number", "minimum": 0}}),
    obj(["one_sided", "central", "analytic", "relative_error"], {"one_sided": VECTOR, "central": VECTOR, "analytic": VECTOR,
                                                                 "relative_error": VECTOR}))

TOLERANCE = {"type": "object", "required": ["rtol", "atol"], "additionalProperties": False,
             "properties": {"rtol": {"type": "number", "minimum": 0}, "atol": {"type": "number", "minimum": 0}}}
FLAGS = ["kink", "convention", "tie", "fan-in", "extreme", "non-finite", "error", "edge", "zero-target", "bit-exact"]


def fixture_schema(family):
    input_schema, expected_schema = FAMILY_SCHEMAS[family]
    case_schema = obj(["id", "description", "source", "flags", "input", "expected", "tolerance"], {
        "id": {"type": "string", "pattern": "^" + family + r"\.[A-Za-z0-9_.+-]+$"},
        "description": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 1},
        "flags": {"type": "array", "items": {"enum": FLAGS}, "uniqueItems": True},
        "notes": {"type": "string"},
        "input": input_schema,
        "expected": expected_schema,
        "tolerance": obj(["float64", "float32"], {"float64": TOLERANCE, "float32": TOLERANCE}),
    })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://refnet.invalid/schemas/" + family + ".schema.json",
        "title": "refnet conformance fixtures: " + family,
        "description": "One file of cases of the '" + family + "' family (docs/fixture-format.md).",
        "type": "object",
        "required": ["schema", "schema_version", "suite_version", "family", "description", "cases"],
        "additionalProperties": False,
        "properties": {
            "schema": {"const": "refnet-fixture/" + family},
            "schema_version": {"const": SCHEMA_VERSION},
            "suite_version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
            "family": {"const": family},
            "description": {"type": "string"},
            "cases": {"type": "array", "items": case_schema, "minItems": 1},
        },
    }


COUNTS = obj(["passed", "failed", "unsupported", "xfail", "xpass"],
             {key: {"type": "integer", "minimum": 0} for key in ["passed", "failed", "unsupported", "xfail", "xpass"]})
REPORT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://refnet.invalid/schemas/report.schema.json",
    "title": "refnet conformance report",
    "description": "What python -m spec_tests --report FILE writes (docs/fixture-format.md).",
    "type": "object",
    "required": ["schema", "schema_version", "suite_version", "backend", "runtime", "seconds", "summary", "warnings", "cases"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": "refnet-report"},
        "schema_version": {"const": 1},
        "suite_version": {"type": "string"},
        "backend": obj(["spec", "name", "precision", "device"], {"spec": {"type": "string"}, "name": {"type": "string"},
                                                                 "precision": {"enum": ["float64", "float32"]},
                                                                 "device": {"type": "string"},
                                                                 "device_name": {"type": "string"},
                                                                 "notes": {"type": "array", "items": {"type": "string"}}}),
        "runtime": {"type": "string"},
        "seconds": {"type": "number", "minimum": 0},
        "summary": obj(["total", "by_family"], {"total": COUNTS, "by_family": {"type": "object", "additionalProperties": COUNTS}}),
        "warnings": {"type": "array", "items": {"type": "string"}},
        "cases": {"type": "array", "items": obj(["id", "family", "status", "seconds"], {
            "id": {"type": "string"}, "family": {"type": "string"},
            "status": {"enum": ["passed", "failed", "unsupported", "xfail", "xpass"]},
            "seconds": {"type": "number"}, "message": {"type": "string"}, "reason": {"type": "string"},
            "mismatches": {"type": "array", "items": obj(["path", "expected", "actual"], {
                "path": {"type": "string"}, "expected": {}, "actual": {}, "abs_error": NUMBER, "rel_error": NUMBER,
                "reason": {"type": "string"}})}})},
    },
}


def schema_texts():
    texts = {family + ".schema.json": json.dumps(fixture_schema(family), indent=1) + "\n" for family, _, _ in FAMILIES}
    texts["report.schema.json"] = json.dumps(REPORT_SCHEMA, indent=1) + "\n"
    return texts


def encode(value):
    """Floats as Python writes them (shortest round-trip repr); non-finite ones as strings."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    return value


def render(family, description, cases):
    ids = [c["id"] for c in cases]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate case ids in " + family)
    head = {"schema": "refnet-fixture/" + family, "schema_version": SCHEMA_VERSION, "suite_version": SUITE_VERSION,
            "family": family, "description": description}
    lines = ["{"]
    for key, value in head.items():
        lines.append(" " + json.dumps(key) + ": " + json.dumps(value) + ",")
    lines.append(' "cases": [')
    body = [json.dumps(encode(c), ensure_ascii=False, allow_nan=False) for c in cases]
    lines.append(",\n".join("  " + line for line in body))
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv):
    check = "--check" in argv
    drift = []
    outputs = [(os.path.join(FIXTURES, family + ".json"), render(family, description, build()))
               for family, build, description in FAMILIES]
    outputs += [(os.path.join(FIXTURES, "schemas", name), text) for name, text in sorted(schema_texts().items())]
    for path, text in outputs:
        if check:
            try:
                with open(path, encoding="utf-8") as handle:
                    current = handle.read()
            except OSError:
                current = None
            if current != text:
                drift.append(path)
        else:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
    if check:
        if drift:
            print("fixtures drifted from their sources (run python tools/build_fixtures.py):")
            for path in drift:
                print("  " + os.path.relpath(path, ROOT))
            return 1
        print("fixtures are up to date: " + str(len(outputs)) + " files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
