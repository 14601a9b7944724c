"""The source documents' worked examples, computed live with refnet.

Each function rebuilds one example from the documents' own inputs and returns its numbers by
name; `python -m refnet` prints them and the tests hold them to the printed digits.

    expression_002        f(x, y, z) = (x + y)·z at x = −2, y = 5, z = −4        002_22dd3b33c61b9037.txt
    sigmoid_neuron_002    f(w, x) = 1/(1 + e^−(w₀x₀ + w₁x₁ + w₂)) gate by gate   002
    second_neuron_002     the same neuron with w = (−1, 2, −2, 4), x = (2, 4, 3)  002 (no result printed there)
    network_003           the sigmoid network of 003_83fae8590fc0f361.txt, exact
    network_003_book      the same with the book's rounded intermediates
    softmax_001           softmax of [2.0, 1.0, 0.1]                             001_251e29975c1497b8.txt
    micrograd_readme      micrograd's README expression (24.7041, 138.8338, 645.5773)

Each example has a name (NAMES; `python -m refnet show NAME`), the formulas of its gates
(formulas(name)) and, where it is a graph of Values, that graph after backward() with display
names for its nodes (graphs(name)), for refnet.draw and refnet.explain. The numbers above are
read off those same graphs. Where the numbers are quoted from is refnet/sources.py.
"""

from refnet import functional as F
from refnet.compat import micrograd
from refnet._checks import shown
from refnet.errors import InputError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Tuple

    Graph = Tuple[Value, Dict[str, Value]]

# 003's network (weights read off its figure; seeds/README.md records them):
# D ← A 3.7, B 3.7, bias −1.5;  E ← A 2.9, B 2.9, bias −4.5;  G ← D 4.5, E −5.2, bias −2.0.
HIDDEN_WEIGHTS_003 = [[3.7, 3.7], [2.9, 2.9]]
HIDDEN_BIASES_003 = [-1.5, -4.5]
OUTPUT_WEIGHTS_003 = [4.5, -5.2]
OUTPUT_BIAS_003 = -2.0
INPUT_003 = [1.0, 0.0]
TARGET_003 = 1.0
LEARNING_RATE_003 = 10.0


def expression_graph() -> "Graph":
    """002's graph: q = x + y, f = q·z at x = −2, y = 5, z = −4, after f.backward()."""
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    q = x + y
    f = q * z
    f.backward()
    return f, {"x": x, "y": y, "z": z, "q": q, "f": f}


def expression_002() -> "Dict[str, float]":
    """f = q·z with q = x + y: f = −12, ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = q = 3."""
    _, node = expression_graph()
    return {"q": node["q"].data, "f": node["f"].data, "df/dq": node["q"].grad, "df/dx": node["x"].grad,
            "df/dy": node["y"].grad, "df/dz": node["z"].grad}


def sigmoid_neuron_graph() -> "Graph":
    """002's sigmoid neuron gate by gate, w = (2, −3, −3), x = (−1, −2), after f.backward().

    net = w0·x0 + w1·x1 + w2, then the gates of 002's figure: ·(−1), exp, +1, 1/x.
    """
    w0, x0, w1, x1, w2 = Value(2.0), Value(-1.0), Value(-3.0), Value(-2.0), Value(-3.0)
    w0x0 = w0 * x0
    w1x1 = w1 * x1
    partial = w0x0 + w1x1
    net = partial + w2
    a, c = Value(-1.0), Value(1.0)  # 002's gates f(x) = ax and f(x) = c + x
    negated = net * a
    exponential = negated.exp()
    denominator = exponential + c
    f = denominator ** -1
    f.backward()
    return f, {"w0": w0, "x0": x0, "w1": w1, "x1": x1, "w2": w2, "w0x0": w0x0, "w1x1": w1x1,
               "w0x0+w1x1": partial, "net": net, "a=-1": a, "-net": negated, "exp(-net)": exponential,
               "c=1": c, "1+exp(-net)": denominator, "f": f}


def sigmoid_neuron_002() -> "Dict[str, float]":
    """w = (2, −3, −3), x = (−1, −2): output 0.73, gate gradients −0.53, −0.53, −0.20, 0.20.

    The gates of 002's figure, from the output back: 1/x, +1, exp, ·(−1). The gradient at
    the input of each gate is what 002 writes beside it. The shortcut σ′ = (1 − σ)σ gives
    the same local gradient in one step: (1 − 0.73)(0.73) = 0.2.
    """
    _, node = sigmoid_neuron_graph()
    fused = Value(node["net"].data).sigmoid()
    return {
        "net_input": node["net"].data,
        "output": node["f"].data,
        "gate 1/x input gradient": node["1+exp(-net)"].grad,
        "gate +1 input gradient": node["exp(-net)"].grad,
        "gate exp input gradient": node["-net"].grad,
        "gate *-1 input gradient": node["net"].grad,
        "local gradient": fused.data * (1.0 - fused.data),
        "book shortcut (1-0.73)(0.73)": (1.0 - 0.73) * 0.73,
        "dw0": node["w0"].grad, "dw1": node["w1"].grad, "dw2": node["w2"].grad,
        "dx0": node["x0"].grad, "dx1": node["x1"].grad,
    }


def second_neuron_graph() -> "Graph":
    """002's second neuron, w = (−1, 2, −2, 4), x = (2, 4, 3), w3 the bias: f = σ(net), after backward()."""
    w = [Value(-1.0), Value(2.0), Value(-2.0), Value(4.0)]
    x = [Value(2.0), Value(4.0), Value(3.0)]
    net = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + w[3]
    f = net.sigmoid()
    f.backward()
    names = {"net": net, "f": f}
    for i, weight in enumerate(w):
        names[f"w{i}"] = weight
    for i, value in enumerate(x):
        names[f"x{i}"] = value
    return f, names


def second_neuron_002() -> "Dict[str, float]":
    """w = (−1, 2, −2, 4), x = (2, 4, 3): net input 4, output σ(4), gradients by backprop."""
    _, node = second_neuron_graph()
    result = {"net_input": node["net"].data, "output": node["f"].data, "local gradient": node["net"].grad}
    for i in range(4):
        result[f"dw{i}"] = node[f"w{i}"].grad
    for i in range(3):
        result[f"dx{i}"] = node[f"x{i}"].grad
    return result


def network_graph() -> "Graph":
    """003's network, one gate per op, with its error E = ½(t − y)², after error.backward().

    netD = wDA·A + wDB·B + wDC, hD = σ(netD) (E likewise), netG = wGD·hD + wGE·hE + wGF,
    y = σ(netG). The bias weights wDC, wEC, wGF multiply the bias units C = F = 1 of 003's figure,
    so they are added as they are. The error node is named "error" (003 calls it E, as it calls
    a hidden unit).
    """
    a, b = Value(INPUT_003[0]), Value(INPUT_003[1])
    weights = [[Value(w) for w in row] for row in HIDDEN_WEIGHTS_003]
    biases = [Value(bias) for bias in HIDDEN_BIASES_003]
    products = {"wDA·A": weights[0][0] * a, "wDB·B": weights[0][1] * b,
                "wEA·A": weights[1][0] * a, "wEB·B": weights[1][1] * b}
    net_d = products["wDA·A"] + products["wDB·B"] + biases[0]
    net_e = products["wEA·A"] + products["wEB·B"] + biases[1]
    h_d, h_e = net_d.sigmoid(), net_e.sigmoid()
    w_gd, w_ge, w_gf = Value(OUTPUT_WEIGHTS_003[0]), Value(OUTPUT_WEIGHTS_003[1]), Value(OUTPUT_BIAS_003)
    products["wGD·hD"] = w_gd * h_d
    products["wGE·hE"] = w_ge * h_e
    net_g = products["wGD·hD"] + products["wGE·hE"] + w_gf
    y = net_g.sigmoid()
    t, half = Value(TARGET_003), Value(0.5)
    difference = t - y
    square = difference ** 2
    error = square * half
    error.backward()
    names = {"A": a, "B": b, "wDA": weights[0][0], "wDB": weights[0][1], "wDC": biases[0],
             "wEA": weights[1][0], "wEB": weights[1][1], "wEC": biases[1], "netD": net_d, "netE": net_e,
             "hD": h_d, "hE": h_e, "wGD": w_gd, "wGE": w_ge, "wGF": w_gf, "netG": net_g, "y": y, "t": t,
             "t-y": difference, "(t-y)²": square, "½": half, "error": error}
    names.update(products)
    return error, names


def network_003() -> "Dict[str, float]":
    """003's network in exact float arithmetic: forward, δ terms and weight updates Δw = μ δ h.

    E = ½(t − y)²; output δ_G = (t − y) y(1 − y); hidden δ_j = δ_G w_Gj h_j(1 − h_j);
    Δw_{j←k} = μ δ_j h_k (003's universal update formula), with h_F = 1 the bias unit.
    The δ terms come from backpropagation: δ_j = −∂E/∂(net input of j).
    """
    _, node = network_graph()

    def update(weight: str) -> float:
        """Δw = −μ ∂E/∂w = μ δ h  (0.0 − … keeps an update of zero from printing as −0.0)."""
        return 0.0 - LEARNING_RATE_003 * node[weight].grad

    y = node["y"].data
    return {
        "hD": node["hD"].data, "hE": node["hE"].data, "y": y, "E": node["error"].data,
        "y'": y * (1.0 - y),
        "deltaG": -node["netG"].grad,
        "dwGD": update("wGD"), "dwGE": update("wGE"), "dwGF": update("wGF"),
        "new wGE": node["wGE"].data + update("wGE"),
        "deltaD": -node["netD"].grad, "deltaE": -node["netE"].grad,
        "dwDA": update("wDA"), "dwDB": update("wDB"), "dwDC": update("wDC"),
        "dwEA": update("wEA"), "dwEB": update("wEB"), "dwEC": update("wEC"),
    }


def network_003_book() -> "Dict[str, float]":
    """003's printed arithmetic, reproduced from its rounded intermediates.

    The slides round the hidden outputs to .90 and .17, so y = σ(4.5·.90 − 5.2·.17 − 2.0)
    = σ(1.166) = .7624 (printed .76) and y′ = y(1 − y) = .181; then
    δ_G = (1 − .76) × .181 = .0434, Δw_GD = 10 × .0434 × .90 = .391, Δw_GE = 10 × .0434 × .17
    = .074, Δw_GF = 10 × .0434 × 1 = .434 and w_GE = −5.2 + .074 = −5.126. Exact arithmetic
    (network_003) gives h = .9002, .1680, y = .7645, δ_G = .04239, Δw_GD = .3816: the printed
    digits differ because each step rounds before the next multiplies.
    """
    h_d, h_e = 0.90, 0.17
    net_input = OUTPUT_WEIGHTS_003[0] * h_d + OUTPUT_WEIGHTS_003[1] * h_e + OUTPUT_BIAS_003
    y = F.sigmoid(net_input)
    y_printed = round(y, 2)
    slope = round(y * (1.0 - y), 3)
    delta_g = round((TARGET_003 - y_printed) * slope, 4)
    mu = LEARNING_RATE_003
    dw_ge = round(mu * delta_g * h_e, 3)
    return {
        "hD": h_d, "hE": h_e, "output net input": net_input, "y": y, "y printed": y_printed, "y'": slope,
        "deltaG": delta_g, "dwGD": round(mu * delta_g * h_d, 3), "dwGE": dw_ge, "dwGF": round(mu * delta_g, 3),
        "new wGE": round(OUTPUT_WEIGHTS_003[1] + dw_ge, 3),
    }


def softmax_001() -> "List[float]":
    """softmax([2.0, 1.0, 0.1]) ≈ [0.659, 0.242, 0.0986] (001's NumPy snippet, stable form)."""
    return F.softmax([2.0, 1.0, 0.1])


def micrograd_graph() -> "Graph":
    """micrograd's README expression through refnet.compat.micrograd, after g.backward().

    c, d and g are reassigned in the README (c += …); the names are their final nodes.
    """
    a = micrograd.Value(-4.0)
    b = micrograd.Value(2.0)
    c = a + b
    d = a * b + b ** 3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return g, {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


def micrograd_readme() -> "Dict[str, float]":
    """micrograd's README example through refnet.compat.micrograd: g = 24.7041, ∂g/∂a = 138.8338, ∂g/∂b = 645.5773."""
    _, node = micrograd_graph()
    return {"g": node["g"].data, "dg/da": node["a"].grad, "dg/db": node["b"].grad}


# -- the examples by name -------------------------------------------------------------------------

# (name, title), in the order `python -m refnet` prints them. A name says the document first.
EXAMPLES = [
    ("doc002-expression", "(x + y)·z at x = -2, y = 5, z = -4"),
    ("doc002-sigmoid-neuron", "A sigmoid neuron gate by gate: w = (2, -3, -3), x = (-1, -2)"),
    ("doc002-second-neuron", "The second neuron of 002: w = (-1, 2, -2, 4), x = (2, 4, 3)"),
    ("doc003-network", "The network of 003: inputs (1.0, 0.0), target 1.0, learning rate 10"),
    ("doc001-softmax", "softmax([2.0, 1.0, 0.1])"),
    ("micrograd-readme", "micrograd's README expression, through refnet.compat.micrograd"),
]
NAMES = [name for name, _ in EXAMPLES]
# The short names of earlier versions, still accepted.
ALIASES = [("expression", "doc002-expression"), ("sigmoid-neuron", "doc002-sigmoid-neuron"),
           ("second-neuron", "doc002-second-neuron"), ("network-003", "doc003-network"),
           ("softmax", "doc001-softmax"), ("micrograd", "micrograd-readme")]
GRAPHS = [("doc002-expression", expression_graph), ("doc002-sigmoid-neuron", sigmoid_neuron_graph),
          ("doc002-second-neuron", second_neuron_graph), ("doc003-network", network_graph),
          ("micrograd-readme", micrograd_graph)]
# The examples that are a graph of Values (001's softmax is computed on floats, as 001's code does).
DRAWABLE = [name for name, _ in GRAPHS]

# Each gate's forward formula and its local derivatives, in the documents' notation.
FORMULAS = [
    ("doc002-expression", [
        "q = x + y        ∂q/∂x = 1,  ∂q/∂y = 1     (add gate: passes the gradient on)",
        "f = q·z          ∂f/∂q = z,  ∂f/∂z = q     (mul gate: swaps the inputs)",
        "chain rule       ∂f/∂x = ∂f/∂q·∂q/∂x = z,  ∂f/∂y = z,  ∂f/∂z = q",
    ]),
    ("doc002-sigmoid-neuron", [
        "net = w0·x0 + w1·x1 + w2          ∂net/∂wi = xi,  ∂net/∂xi = wi,  ∂net/∂w2 = 1",
        "-net = net·(-1)                   f(x) = ax:      df/dx = a = -1",
        "exp(-net)                         f(x) = e^x:     df/dx = e^x",
        "1+exp(-net)                       f(x) = c + x:   df/dx = 1",
        "f = 1/(1+exp(-net))               f(x) = 1/x:     df/dx = -1/x²",
        "the sigmoid gate in one step      dσ/dx = (1 - σ(x))·σ(x)",
    ]),
    ("doc002-second-neuron", [
        "net = w0·x0 + w1·x1 + w2·x2 + w3  ∂net/∂wi = xi,  ∂net/∂xi = wi,  ∂net/∂w3 = 1",
        "f = σ(net)                        ∂f/∂net = σ(net)·(1 - σ(net))",
    ]),
    ("doc003-network", [
        "netD = wDA·A + wDB·B + wDC        hD = σ(netD)    (E likewise, with wEA, wEB, wEC)",
        "netG = wGD·hD + wGE·hE + wGF      y = σ(netG)     dy/dnetG = y(1 - y) = y'",
        "error = ½(t - y)²                 ∂error/∂y = -(t - y)",
        "δG = -∂error/∂netG = (t - y)·y'   δD = δG·wGD·hD(1 - hD),  δE = δG·wGE·hE(1 - hE)",
        "Δw(j←k) = μ·δj·hk                 (μ = 10; hC = hF = 1, the bias units)",
    ]),
    ("doc001-softmax", [
        "p_i = e^(z_i) / Σ_j e^(z_j)",
        "computed as e^(z_i - max z) / Σ_j e^(z_j - max z): the same numbers, no overflow",
    ]),
    ("micrograd-readme", [
        "c = a + b;  d = a·b + b³;  c += c + 1;  c += 1 + c + (-a)",
        "d += d·2 + relu(b + a);  d += 3·d + relu(b - a)",
        "e = c - d;  f = e²;  g = f/2 + 10/f",
        "each gate: ∂(u+v)/∂u = 1, ∂(u·v)/∂u = v, ∂(uⁿ)/∂u = n·uⁿ⁻¹, relu'(u) = 1 if u > 0 else 0",
    ]),
]


def canonical(name: str, where: str = "worked_examples.canonical(name)") -> str:
    """The example's name for `name`, which may be one of the short ALIASES; InputError (naming
    `where`, the function and argument the name was given to) if it is none of them."""
    if not isinstance(name, str):
        raise InputError(f"{where}: expected a worked example name, a str (one of {', '.join(NAMES)}), got "
                         f"{shown(name)}")
    if name in NAMES:
        return name
    for alias, known in ALIASES:
        if alias == name:
            return known
    raise InputError(f"{where}: unknown worked example {name!r}; expected one of {', '.join(NAMES)}")


def title(name: str) -> str:
    """The example's one-line title."""
    wanted = canonical(name, "worked_examples.title(name)")
    return [text for known, text in EXAMPLES if known == wanted][0]


def formulas(name: str) -> "List[str]":
    """The example's gates: each forward formula beside its local derivatives."""
    wanted = canonical(name, "worked_examples.formulas(name)")
    return list([lines for known, lines in FORMULAS if known == wanted][0])


def graphs(name: str) -> "Graph":
    """The example's output Value after backward(), and its nodes by display name.

    A new graph on every call; InputError for an unknown name or one that is not a graph
    (doc001-softmax).
    """
    wanted = canonical(name, "worked_examples.graphs(name)")
    for known, build in GRAPHS:
        if known == wanted:
            return build()
    raise InputError(f"worked_examples.graphs(name): the worked example {name!r} is computed on floats, not a "
                     f"graph of Values; expected one of {', '.join(DRAWABLE)}")
