"""The documents' worked numbers, reproduced (refnet/worked_examples.py).

Each expected value is a number printed in a document (held to the digits it prints), or a
closed form recomputed here directly with math (a code path that does not use Value).
"""

import math

from _support import all_close, close, raises, rounds_to
from refnet import worked_examples as W
from refnet.errors import InputError
from refnet.__main__ import report


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def test_expression_002():
    # 002_22dd3b33c61b9037.txt: x = -2, y = 5, z = -4 → q = 3, f = -12, ∂f/∂x = ∂f/∂y = -4, ∂f/∂z = 3
    f = W.expression_002()
    assert (f["q"], f["f"], f["df/dx"], f["df/dy"], f["df/dz"]) == (3.0, -12.0, -4.0, -4.0, 3.0)


def test_sigmoid_neuron_002_output_and_local_gradient():
    # seeds/README.md: net input 1, output 0.7310586, local gradient 0.1966119 (7 decimals)
    n = W.sigmoid_neuron_002()
    assert n["net_input"] == 1.0
    assert rounds_to(n["output"], 0.7310586, 7) and rounds_to(n["local gradient"], 0.1966119, 7)
    # closed form: σ(1) = 1/(1 + e⁻¹), σ'(1) = σ(1)(1 - σ(1))
    assert close(n["output"], sigmoid(1.0), rel=1e-15)
    assert close(n["local gradient"], sigmoid(1.0) * (1.0 - sigmoid(1.0)), rel=1e-15)


def test_sigmoid_neuron_002_gate_by_gate_values_as_printed():
    # 002: gradients at the gates 1/x, +1, exp, ·(-1): -0.53, -0.53, -0.20, 0.20 (two decimals)
    n = W.sigmoid_neuron_002()
    gates = ("gate 1/x input gradient", "gate +1 input gradient", "gate exp input gradient", "gate *-1 input gradient")
    for gate, printed in zip(gates, (-0.53, -0.53, -0.20, 0.20)):
        assert rounds_to(n[gate], printed, 2), (gate, n[gate], printed)
    # closed forms: -1/1.3679² at the 1/x gate, times e^-1 at the exp gate
    denominator = 1.0 + math.exp(-1.0)
    assert close(n["gate 1/x input gradient"], -1.0 / denominator ** 2, rel=1e-14)
    assert close(n["gate exp input gradient"], -math.exp(-1.0) / denominator ** 2, rel=1e-14)
    # 002's shortcut (1 - 0.73)(0.73) = 0.2
    assert rounds_to(n["book shortcut (1-0.73)(0.73)"], 0.2, 1) and rounds_to(n["local gradient"], 0.2, 1)


def test_sigmoid_neuron_002_input_and_weight_gradients():
    # seeds/README.md: dx = (0.3932, -0.5898), dw = (-0.1966, -0.3932, 0.1966); closed form σ'·(w or x)
    n = W.sigmoid_neuron_002()
    local = sigmoid(1.0) * (1.0 - sigmoid(1.0))
    assert all_close([n["dx0"], n["dx1"]], [2.0 * local, -3.0 * local], rel=1e-14)
    assert all_close([n["dw0"], n["dw1"], n["dw2"]], [-1.0 * local, -2.0 * local, local], rel=1e-14)
    for key, printed in zip(("dx0", "dx1", "dw0", "dw1", "dw2"), (0.3932, -0.5898, -0.1966, -0.3932, 0.1966)):
        assert rounds_to(n[key], printed, 4), (key, n[key], printed)


def test_second_neuron_002():
    # 002: w = (-1, 2, -2, 4), x = (2, 4, 3); net input -2 + 8 - 6 + 4 = 4; closed form σ(4), σ'(4)
    n = W.second_neuron_002()
    local = sigmoid(4.0) * (1.0 - sigmoid(4.0))
    assert n["net_input"] == 4.0 and close(n["output"], sigmoid(4.0), rel=1e-15)
    assert close(n["local gradient"], local, rel=1e-12)
    assert all_close([n["dw0"], n["dw1"], n["dw2"], n["dw3"]], [2.0 * local, 4.0 * local, 3.0 * local, local],
                     rel=1e-12)
    assert all_close([n["dx0"], n["dx1"], n["dx2"]], [-local, 2.0 * local, -2.0 * local], rel=1e-12)


def exact_003():
    """003's network by direct formulas (no Value): h = σ(Wx + b), y = σ(w·h + b), δ = (t - y)y(1 - y)."""
    h_d = sigmoid(3.7 * 1.0 + 3.7 * 0.0 - 1.5)
    h_e = sigmoid(2.9 * 1.0 + 2.9 * 0.0 - 4.5)
    y = sigmoid(4.5 * h_d - 5.2 * h_e - 2.0)
    delta_g = (1.0 - y) * y * (1.0 - y)
    return h_d, h_e, y, delta_g


def test_network_003_exact_values():
    # seeds/README.md: hD = .9002, hE = .1680, y = .7645, δG = .04239, ΔwGD = .3816
    h_d, h_e, y, delta_g = exact_003()
    n = W.network_003()
    assert close(n["hD"], h_d, rel=1e-15) and close(n["hE"], h_e, rel=1e-15) and close(n["y"], y, rel=1e-15)
    assert close(n["deltaG"], delta_g, rel=1e-13)
    assert close(n["dwGD"], 10.0 * delta_g * h_d, rel=1e-13)
    assert close(n["dwGE"], 10.0 * delta_g * h_e, rel=1e-13)
    assert close(n["dwGF"], 10.0 * delta_g, rel=1e-13)
    assert rounds_to(n["hD"], 0.9002, 4) and rounds_to(n["hE"], 0.1680, 4) and rounds_to(n["y"], 0.7645, 4)
    assert rounds_to(n["deltaG"], 0.04239, 5) and rounds_to(n["dwGD"], 0.3816, 4)


def test_network_003_hidden_deltas_use_the_old_output_weights():
    # 003: δⱼ = δG w_Gj hⱼ(1 - hⱼ) (hidden error terms), Δw = μ δⱼ hₖ with input A = 1.0, B = 0.0
    h_d, h_e, _, delta_g = exact_003()
    n = W.network_003()
    assert close(n["deltaD"], delta_g * 4.5 * h_d * (1.0 - h_d), rel=1e-12)
    assert close(n["deltaE"], delta_g * -5.2 * h_e * (1.0 - h_e), rel=1e-12)
    assert close(n["dwDA"], 10.0 * n["deltaD"] * 1.0, rel=1e-12) and n["dwDB"] == 0.0
    assert close(n["dwEC"], 10.0 * n["deltaE"], rel=1e-12)


def test_network_003_book_arithmetic_from_rounded_intermediates():
    # 003_83fae8590fc0f361.txt prints: y = .76, y' = .181, δG = .0434, ΔwGD = .391, ΔwGE = .074,
    # ΔwGF = .434, updated weight -5.126
    b = W.network_003_book()
    printed = {"y printed": 0.76, "y'": 0.181, "deltaG": 0.0434, "dwGD": 0.391, "dwGE": 0.074, "dwGF": 0.434,
               "new wGE": -5.126}
    for key in sorted(printed):
        assert close(b[key], printed[key], rel=1e-12), (key, b[key], printed[key])
    # seeds/README.md: the rounded hidden values give y = σ(1.166) = .7624
    assert close(b["output net input"], 1.166, rel=1e-12) and rounds_to(b["y"], 0.7624, 4)


def test_network_003_exact_and_book_differ_only_by_rounding():
    exact = W.network_003()
    book = W.network_003_book()
    assert not rounds_to(exact["deltaG"], book["deltaG"], 4)  # .0424 vs .0434: the book rounded y first
    assert abs(exact["dwGD"] - book["dwGD"]) < 0.01


def test_softmax_001():
    # 001_251e29975c1497b8.txt's snippet: exps / sum(exps) for [2.0, 1.0, 0.1]
    exps = [math.exp(2.0), math.exp(1.0), math.exp(0.1)]
    total = exps[0] + exps[1] + exps[2]
    assert all_close(W.softmax_001(), [e / total for e in exps], rel=1e-15)


def test_micrograd_readme_numbers():
    # micrograd 0.1.0 README: prints 24.7041, 138.8338, 645.5773 (4 decimals)
    m = W.micrograd_readme()
    assert f"{m['g']:.4f}" == "24.7041"
    assert f"{m['dg/da']:.4f}" == "138.8338"
    assert f"{m['dg/db']:.4f}" == "645.5773"


def test_python_m_refnet_report_shows_every_example():
    text = "\n".join(report())
    for expected in ("-12", "0.7310585786", "-0.5344466454", "0.04239347725", "0.391", "-5.126",
                     "0.6590011389", "24.70408163", "138.8338192", "645.5772595"):
        assert expected in text, expected


def test_graphs_are_the_examples_after_backward():
    # every drawable example: its output's gradient is the seed 1, and each display name is a node of its graph
    for name in W.DRAWABLE:
        root, names = W.graphs(name)
        assert root.grad == 1.0, name
        nodes = root.topological_order()
        assert nodes[-1] is root, name
        for display, node in names.items():
            assert any(node is other for other in nodes), (name, display)
        assert len(set(id(node) for node in names.values())) == len(names), name
    assert W.graphs("doc002-expression")[0] is not W.graphs("doc002-expression")[0]  # a new graph each call


def test_expression_graph_names_002s_nodes():
    # 002_22dd3b33c61b9037.txt: x = -2, y = 5, z = -4; q = 3, f = -12; ∂f/∂x = ∂f/∂y = z = -4, ∂f/∂z = q = 3
    root, names = W.graphs("expression")
    assert root is names["f"]
    got = [(key, names[key].data, names[key].grad) for key in ("x", "y", "z", "q", "f")]
    assert got == [("x", -2.0, -4.0), ("y", 5.0, -4.0), ("z", -4.0, 3.0), ("q", 3.0, -4.0), ("f", -12.0, 1.0)]


def test_sigmoid_neuron_graph_names_002s_gates():
    # 002's gate values: 1/x gate input 1.37, gradient -0.53; exp input -1, gradient -0.20; *-1 input 1, gradient 0.20
    _, names = W.graphs("sigmoid-neuron")
    assert rounds_to(names["1+exp(-net)"].data, 1.37, 2) and rounds_to(names["1+exp(-net)"].grad, -0.53, 2)
    assert names["-net"].data == -1.0 and rounds_to(names["-net"].grad, -0.20, 2)
    assert names["net"].data == 1.0 and rounds_to(names["net"].grad, 0.20, 2)
    assert (names["a=-1"].data, names["c=1"].data) == (-1.0, 1.0)


def test_network_graph_holds_003s_error_and_deltas():
    # closed forms (exact_003 above, no Value): E = ½(t - y)², ∂E/∂wGE = -δG·hE, ∂E/∂netD = -δD
    h_d, h_e, y, delta_g = exact_003()
    root, names = W.graphs("network-003")
    assert root is names["error"] and close(root.data, 0.5 * (1.0 - y) ** 2, rel=1e-14)
    assert close(names["y"].data, y, rel=1e-15) and close(names["hE"].data, h_e, rel=1e-15)
    assert close(names["wGE"].grad, -delta_g * h_e, rel=1e-12)
    assert close(names["netD"].grad, -delta_g * 4.5 * h_d * (1.0 - h_d), rel=1e-12)
    assert names["A"].data == 1.0 and names["B"].data == 0.0 and names["t"].data == 1.0


def test_micrograd_graph_names_the_readme_variables():
    # micrograd 0.1.0 README: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773
    root, names = W.graphs("micrograd")
    assert root is names["g"]
    assert (f"{root.data:.4f}", f"{names['a'].grad:.4f}", f"{names['b'].grad:.4f}") == ("24.7041", "138.8338",
                                                                                       "645.5773")


def test_softmax_and_unknown_names_are_refused_with_the_names_expected():
    error = raises(InputError, W.graphs, "softmax")
    assert "'softmax'" in str(error) and "expected" in str(error) and "doc002-expression" in str(error)
    error = raises(InputError, W.graphs, "nosuch")
    assert "'nosuch'" in str(error) and "expected" in str(error)
    error = raises(InputError, W.canonical, 3)
    assert "int" in str(error) and "expected" in str(error)
    assert W.canonical("network-003") == "doc003-network" and W.title("softmax") == "softmax([2.0, 1.0, 0.1])"
    assert W.formulas("expression")[0].startswith("q = x + y")
