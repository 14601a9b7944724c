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
"""

from refnet import functional as F
from refnet.compat import micrograd
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List

# 003's network (weights read off its figure; seeds/README.md records them):
# D ← A 3.7, B 3.7, bias −1.5;  E ← A 2.9, B 2.9, bias −4.5;  G ← D 4.5, E −5.2, bias −2.0.
HIDDEN_WEIGHTS_003 = [[3.7, 3.7], [2.9, 2.9]]
HIDDEN_BIASES_003 = [-1.5, -4.5]
OUTPUT_WEIGHTS_003 = [4.5, -5.2]
OUTPUT_BIAS_003 = -2.0
INPUT_003 = [1.0, 0.0]
TARGET_003 = 1.0
LEARNING_RATE_003 = 10.0


def expression_002() -> "Dict[str, float]":
    """f = q·z with q = x + y: f = −12, ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = q = 3."""
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    q = x + y
    f = q * z
    f.backward()
    return {"q": q.data, "f": f.data, "df/dq": q.grad, "df/dx": x.grad, "df/dy": y.grad, "df/dz": z.grad}


def sigmoid_neuron_002() -> "Dict[str, float]":
    """w = (2, −3, −3), x = (−1, −2): output 0.73, gate gradients −0.53, −0.53, −0.20, 0.20.

    The gates of 002's figure, from the output back: 1/x, +1, exp, ·(−1). The gradient at
    the input of each gate is what 002 writes beside it. The shortcut σ′ = (1 − σ)σ gives
    the same local gradient in one step: (1 − 0.73)(0.73) = 0.2.
    """
    w0, x0, w1, x1, w2 = Value(2.0), Value(-1.0), Value(-3.0), Value(-2.0), Value(-3.0)
    dot = w0 * x0 + w1 * x1 + w2
    negated = dot * -1.0
    exponential = negated.exp()
    denominator = exponential + 1.0
    f = denominator ** -1
    f.backward()
    fused = Value(dot.data).sigmoid()
    return {
        "net_input": dot.data,
        "output": f.data,
        "gate 1/x input gradient": denominator.grad,
        "gate +1 input gradient": exponential.grad,
        "gate exp input gradient": negated.grad,
        "gate *-1 input gradient": dot.grad,
        "local gradient": fused.data * (1.0 - fused.data),
        "book shortcut (1-0.73)(0.73)": (1.0 - 0.73) * 0.73,
        "dw0": w0.grad, "dw1": w1.grad, "dw2": w2.grad, "dx0": x0.grad, "dx1": x1.grad,
    }


def second_neuron_002() -> "Dict[str, float]":
    """w = (−1, 2, −2, 4), x = (2, 4, 3): net input 4, output σ(4), gradients by backprop."""
    w = [Value(-1.0), Value(2.0), Value(-2.0), Value(4.0)]
    x = [Value(2.0), Value(4.0), Value(3.0)]
    net_input = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + w[3]
    f = net_input.sigmoid()
    f.backward()
    result = {"net_input": net_input.data, "output": f.data, "local gradient": net_input.grad}
    for i, weight in enumerate(w):
        result[f"dw{i}"] = weight.grad
    for i, value in enumerate(x):
        result[f"dx{i}"] = value.grad
    return result


def network_003() -> "Dict[str, float]":
    """003's network in exact float arithmetic: forward, δ terms and weight updates Δw = μ δ h.

    E = ½(t − y)²; output δ_G = (t − y) y(1 − y); hidden δ_j = δ_G w_Gj h_j(1 − h_j);
    Δw_{j←k} = μ δ_j h_k (003's universal update formula), with h_F = 1 the bias unit.
    The δ terms come from backpropagation: δ_j = −∂E/∂(net input of j).
    """
    inputs = [Value(v) for v in INPUT_003]
    hidden_w = [[Value(w) for w in row] for row in HIDDEN_WEIGHTS_003]
    hidden_b = [Value(b) for b in HIDDEN_BIASES_003]
    output_w = [Value(w) for w in OUTPUT_WEIGHTS_003]
    output_b = Value(OUTPUT_BIAS_003)
    hidden_net = [row[0] * inputs[0] + row[1] * inputs[1] + b for row, b in zip(hidden_w, hidden_b)]
    hidden = [z.sigmoid() for z in hidden_net]
    output_net = output_w[0] * hidden[0] + output_w[1] * hidden[1] + output_b
    y = output_net.sigmoid()
    error = (TARGET_003 - y) ** 2 * 0.5
    error.backward()
    def update(gradient: float) -> float:
        """Δw = −μ ∂E/∂w = μ δ h  (0.0 − … keeps an update of zero from printing as −0.0)."""
        return 0.0 - LEARNING_RATE_003 * gradient

    delta_g = -output_net.grad
    delta_d, delta_e = -hidden_net[0].grad, -hidden_net[1].grad
    return {
        "hD": hidden[0].data, "hE": hidden[1].data, "y": y.data, "E": error.data,
        "y'": y.data * (1.0 - y.data),
        "deltaG": delta_g,
        "dwGD": update(output_w[0].grad), "dwGE": update(output_w[1].grad), "dwGF": update(output_b.grad),
        "new wGE": output_w[1].data + update(output_w[1].grad),
        "deltaD": delta_d, "deltaE": delta_e,
        "dwDA": update(hidden_w[0][0].grad), "dwDB": update(hidden_w[0][1].grad), "dwDC": update(hidden_b[0].grad),
        "dwEA": update(hidden_w[1][0].grad), "dwEB": update(hidden_w[1][1].grad), "dwEC": update(hidden_b[1].grad),
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


def micrograd_readme() -> "Dict[str, float]":
    """micrograd's README example through refnet.compat.micrograd: g = 24.7041, ∂g/∂a = 138.8338, ∂g/∂b = 645.5773."""
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
    return {"g": g.data, "dg/da": a.grad, "dg/db": b.grad}
