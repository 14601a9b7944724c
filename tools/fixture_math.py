"""The independent computation behind the fixtures: every formula again, in decimal arithmetic.

The conformance fixtures must not take their expected values from the code under test, so
tools/build_fixtures.py computes them here instead: the standard library's `decimal` at 60
significant digits, written from the formulas (not from refnet's code), then rounded once to
the nearest float64. Inputs are float64 numbers converted exactly (Decimal(float) is exact),
so each expected value is the correctly rounded result of the exact math, up to the ~1e-55
relative error of 60-digit arithmetic: far below float64's 1.1e-16.

Nothing here imports refnet.
"""

from decimal import Decimal, localcontext, getcontext

getcontext().prec = 60
getcontext().Emax = 999999
getcontext().Emin = -999999

ZERO = Decimal(0)
NAN = Decimal("NaN")
ONE = Decimal(1)
TWO = Decimal(2)
HALF = Decimal("0.5")
# π to 70 digits (closed form; the digits of π are the standard published ones).
PI = Decimal("3.141592653589793238462643383279502884197169399375105820974944592307816")


def D(x):
    """A float, int or Decimal as an exact Decimal."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        raise TypeError("bool is not a number here")
    return Decimal(x)


def to_float(d):
    """Round a Decimal to the nearest float64 (float() of a decimal string rounds correctly)."""
    if isinstance(d, float):
        return d
    if d.is_nan():
        return float("nan")
    if d.is_infinite():
        return float("inf") if d > 0 else float("-inf")
    return float(str(d))


def exp(x):
    return D(x).exp()


def is_nan(x):
    return isinstance(x, Decimal) and x.is_nan()


def ln(x):
    x = D(x)
    if x.is_nan():
        return NAN
    if x <= 0:
        raise ValueError("ln of a non-positive number")
    return x.ln()


def sqrt(x):
    return D(x).sqrt()


def sigmoid(x):
    """σ(x) = 1/(1 + e^(−x))."""
    return ONE / (ONE + exp(-D(x)))


def tanh(x):
    """tanh x = (e^(2x) − 1)/(e^(2x) + 1), written as 1 − 2/(e^(2x) + 1)."""
    x = D(x)
    if x < 0:
        return -tanh(-x)
    return ONE - TWO / (exp(TWO * x) + ONE)


def cos(x):
    """cos by its Taylor series after reducing x to [−π, π]."""
    x = D(x)
    with localcontext() as context:
        context.prec = 80
        two_pi = 2 * PI
        x = x - two_pi * (x / two_pi).to_integral_value()
        term = Decimal(1)
        total = Decimal(1)
        k = 0
        while True:
            k += 2
            term = -term * x * x / (k * (k - 1))
            if abs(term) < Decimal("1e-75"):
                break
            total += term
    return +total


def relu(x):
    return D(x) if D(x) > 0 else ZERO


def step(x):
    return ONE if D(x) >= 0 else ZERO


def leaky_relu(x, alpha):
    return D(x) if D(x) > 0 else D(alpha) * D(x)


# Activations with their derivatives, written from the formulas:
#   σ′ = σ(1 − σ) = e⁻ˣ/(1 + e⁻ˣ)²   tanh′ = 1 − tanh² = sech² = 4/(eˣ + e⁻ˣ)²
#   relu′ = [x > 0] (0 at the kink)   leaky′ = 1 for x > 0, α otherwise   step′ = 0   linear′ = 1
# σ′ and tanh′ use the second forms, equal in exact arithmetic: 1 − σ and 1 − tanh² would cancel
# to 0 at 60 digits once σ or tanh is within 1e−60 of 1 (x > 138 or x > 69), where the slopes
# are still far above the smallest float64.
# A nan input gives a nan value and slope for every activation but linear (slope 1).


def activation_and_slope(name, x, alpha=None):
    """(f(x), f′(x)) for an elementwise activation."""
    x = D(x)
    if name == "linear":
        return x, ONE
    if x.is_nan():
        return NAN, NAN
    if name == "sigmoid":
        e = exp(-x)
        return sigmoid(x), e / (ONE + e) ** 2
    if name == "tanh":
        return tanh(x), 4 / (exp(x) + exp(-x)) ** 2
    if name == "relu":
        return relu(x), (ONE if x > 0 else ZERO)
    if name == "leaky_relu":
        return leaky_relu(x, alpha), (ONE if x > 0 else D(alpha))
    if name == "step":
        return step(x), ZERO
    raise ValueError("unknown activation " + name)


def softmax(xs):
    """softmax(x)_i = e^(x_i − max x) / Σ_j e^(x_j − max x); all NaN if any x_i is."""
    xs = [D(x) for x in xs]
    if any(x.is_nan() for x in xs):
        return [NAN for _ in xs]
    top = max(xs)
    exps = [exp(x - top) for x in xs]
    total = sum(exps, ZERO)
    return [e / total for e in exps]


def log_softmax(xs):
    """log softmax(x)_i = x_i − max x − ln Σ_j e^(x_j − max x); all NaN if any x_i is."""
    xs = [D(x) for x in xs]
    if any(x.is_nan() for x in xs):
        return [NAN for _ in xs]
    top = max(xs)
    log_total = ln(sum((exp(x - top) for x in xs), ZERO))
    return [x - top - log_total for x in xs]


def softmax_vjp(xs, upstream):
    """Jᵀu for softmax: dx_i = s_i (u_i − Σ_j s_j u_j)."""
    s = softmax(xs)
    u = [D(v) for v in upstream]
    dot = sum((a * b for a, b in zip(s, u)), ZERO)
    return [si * (ui - dot) for si, ui in zip(s, u)]


def log_softmax_vjp(xs, upstream):
    """Jᵀu for log-softmax: dx_i = u_i − s_i Σ_j u_j."""
    s = softmax(xs)
    u = [D(v) for v in upstream]
    total = sum(u, ZERO)
    return [ui - si * total for si, ui in zip(s, u)]


# Matrices are lists of rows of Decimals.


def matrix(rows):
    return [[D(v) for v in row] for row in rows]


def transpose(a):
    return [list(column) for column in zip(*a)]


def matmul(a, b):
    bt = transpose(b)
    return [[sum((x * y for x, y in zip(row, column)), ZERO) for column in bt] for row in a]


def floats(structure):
    """Round a nested structure of Decimals to floats."""
    if isinstance(structure, list):
        return [floats(item) for item in structure]
    if isinstance(structure, dict):
        return {key: floats(value) for key, value in structure.items()}
    if isinstance(structure, Decimal):
        return to_float(structure)
    return structure


def sign(x):
    return ONE if x > 0 else (-ONE if x < 0 else ZERO)


def one_hot(label, width):
    return [ONE if j == label else ZERO for j in range(width)]


def loss_and_gradient(name, predictions, targets, attrs=None):
    """(L, ∂L/∂predictions) for a batch; each formula as docs/fixture-format.md lists it.

    Kinks: |x|′(0) = 0 and a hinge exactly at its margin has gradient 0 (the ReLU convention).
    Cross-entropy terms whose coefficient is 0 are left out (0·ln 0 = 0).
    """
    attrs = attrs or {}
    y = matrix(predictions)
    n = len(y)
    m = sum(len(row) for row in y)
    grad = [[ZERO for _ in row] for row in y]
    total = ZERO
    if name in ("mse", "mae", "mape", "half_squared_error", "binary_cross_entropy", "categorical_cross_entropy",
                "binary_hinge"):
        t = matrix(targets)
        for i, row in enumerate(y):
            for j, p in enumerate(row):
                target = t[i][j]
                if name == "mse":
                    total += (p - target) ** 2
                    grad[i][j] = 2 * (p - target) / m
                elif name == "mae":
                    total += abs(p - target)
                    grad[i][j] = sign(p - target) / m
                elif name == "mape":
                    if target == 0:
                        raise ZeroDivisionError("mape with a zero target")
                    total += 100 * abs((target - p) / target)
                    grad[i][j] = 100 * sign(p - target) / abs(target) / m
                elif name == "half_squared_error":
                    total += HALF * (target - p) ** 2
                    grad[i][j] = (p - target) / n
                elif name == "binary_cross_entropy":
                    if target != 0:
                        total -= target * ln(p)
                        grad[i][j] -= target / p / m
                    if target != 1:
                        total -= (ONE - target) * ln(ONE - p)
                        grad[i][j] += (ONE - target) / (ONE - p) / m
                elif name == "categorical_cross_entropy":
                    if target != 0:
                        total -= target * ln(p)
                        grad[i][j] = -target / p / n
                elif name == "binary_hinge":
                    margin = ONE - target * p
                    if margin > 0:
                        total += margin
                        grad[i][j] = -target / m
        divisor = n if name in ("half_squared_error", "categorical_cross_entropy") else m
        return total / divisor, grad
    labels = list(targets)
    for i, row in enumerate(y):
        label = labels[i]
        if name == "sparse_categorical_cross_entropy":
            total -= ln(row[label])
            grad[i][label] = -ONE / row[label] / n
        elif name == "softmax_cross_entropy":
            total -= log_softmax(row)[label]
            probabilities = softmax(row)
            grad[i] = [(p - hot) / n for p, hot in zip(probabilities, one_hot(label, len(row)))]
        elif name == "multiclass_hinge":
            margin = D(attrs.get("margin", 1.0))
            for j, s in enumerate(row):
                if j == label:
                    continue
                term = s - row[label] + margin
                if term > 0:
                    total += term
                    grad[i][j] += ONE / n
                    grad[i][label] -= ONE / n
        else:
            raise ValueError("unknown loss " + name)
    return total / n, grad


def dense_forward(weight, bias, x, activation, alpha=None):
    """Z = X·Wᵀ + b and A = act(Z), with the slopes act′(Z); W is out × in."""
    w = matrix(weight)
    z = matmul(matrix(x), transpose(w))
    z = [[v + D(b) for v, b in zip(row, bias)] for row in z]
    pairs = [[activation_and_slope(activation, v, alpha) for v in row] for row in z]
    return [[p[0] for p in row] for row in pairs], [[p[1] for p in row] for row in pairs]


def dense_backward(weight, x, slopes, upstream):
    """dZ = upstream ∗ act′(Z);  dX = dZ·W;  dW = dZᵀ·X;  db = Σ over the batch of dZ (004's matrix form)."""
    dz = [[D(u) * s for u, s in zip(urow, srow)] for urow, srow in zip(upstream, slopes)]
    w = matrix(weight)
    dx = matmul(dz, w)
    dw = matmul(transpose(dz), matrix(x))
    db = [sum(column, ZERO) for column in transpose(dz)]
    return dx, dw, db


def network(layers, x, targets, loss, l2):
    """Forward through every layer, the loss (+ c·ΣW²), and backward to every parameter."""
    activations = [matrix(x)]
    slopes = []
    for layer in layers:
        a, s = dense_forward(layer["weight"], layer["bias"], activations[-1], layer["activation"],
                             layer.get("alpha"))
        activations.append(a)
        slopes.append(s)
    value, upstream = loss_and_gradient(loss["name"], activations[-1], targets, loss.get("attrs"))
    c = D(l2)
    value += c * sum((D(w) ** 2 for layer in layers for row in layer["weight"] for w in row), ZERO)
    gradients = [None] * len(layers)
    for k in range(len(layers) - 1, -1, -1):
        dx, dw, db = dense_backward(layers[k]["weight"], activations[k], slopes[k], upstream)
        dw = [[g + 2 * c * D(w) for g, w in zip(grow, wrow)] for grow, wrow in zip(dw, layers[k]["weight"])]
        gradients[k] = {"weight": dw, "bias": db}
        upstream = dx
    return {"outputs": activations[-1], "loss": value, "gradients": gradients}


class Optimizer:
    """The four optimizers' update rules, one flat parameter list at a time."""

    def __init__(self, name, hyperparameters, size):
        self.name = name
        self.h = {key: D(value) for key, value in hyperparameters.items()}
        self.state1 = [ZERO] * size
        self.state2 = [ZERO] * size
        self.t = 0

    def step(self, params, grads):
        h = self.h
        self.t += 1
        out = []
        for i, (w, g) in enumerate(zip(params, grads)):
            w, g = D(w), D(g)
            if self.name == "sgd":
                # 003's form: Δw(n) = −ηg + ρΔw(n−1); state1 holds Δw(n−1).
                delta = -h["lr"] * g + h.get("momentum", ZERO) * self.state1[i]
                self.state1[i] = delta
                out.append(w + delta)
            elif self.name == "adagrad":
                self.state1[i] += g * g
                out.append(w - h["lr"] * g / (sqrt(self.state1[i]) + h["eps"]))
            elif self.name == "rmsprop":
                self.state1[i] = h["alpha"] * self.state1[i] + (ONE - h["alpha"]) * g * g
                out.append(w - h["lr"] * g / (sqrt(self.state1[i]) + h["eps"]))
            elif self.name == "adam":
                b1, b2 = h["beta1"], h["beta2"]
                self.state1[i] = b1 * self.state1[i] + (ONE - b1) * g
                self.state2[i] = b2 * self.state2[i] + (ONE - b2) * g * g
                m_hat = self.state1[i] / (ONE - b1 ** self.t)
                v_hat = self.state2[i] / (ONE - b2 ** self.t)
                out.append(w - h["lr"] * m_hat / (sqrt(v_hat) + h["eps"]))
            else:
                raise ValueError("unknown optimizer " + self.name)
        return out


def flatten(layers):
    return [w for layer in layers for row in layer["weight"] for w in row] + []


def training(layers, x, targets, loss, l2, optimizer, steps):
    """Full-batch training: record the loss, backpropagate, step; `steps` times."""
    layers = [dict(layer, weight=matrix(layer["weight"]), bias=[D(b) for b in layer["bias"]]) for layer in layers]
    size = sum(len(layer["weight"]) * len(layer["weight"][0]) + len(layer["bias"]) for layer in layers)
    opt = Optimizer(optimizer["name"], optimizer["hyperparameters"], size)
    losses = []
    for _ in range(steps):
        result = network(layers, x, targets, loss, l2)
        losses.append(result["loss"])
        params, grads = [], []
        for layer, gradient in zip(layers, result["gradients"]):
            for row, grow in zip(layer["weight"], gradient["weight"]):
                params.extend(row)
                grads.extend(grow)
            params.extend(layer["bias"])
            grads.extend(gradient["bias"])
        new = opt.step(params, grads)
        k = 0
        for layer in layers:
            for row in layer["weight"]:
                for j in range(len(row)):
                    row[j] = new[k]
                    k += 1
            for j in range(len(layer["bias"])):
                layer["bias"][j] = new[k]
                k += 1
    return {"losses": losses, "layers": [{"weight": layer["weight"], "bias": layer["bias"]} for layer in layers]}


# SplitMix64, from its published definition (Steele, Lea and Flood 2014), on Python integers.

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def random(self):
        """Exact: the top 53 bits over 2⁵³, as a Decimal."""
        return Decimal(self.next_u64() >> 11) / Decimal(2 ** 53)

    def uniform(self, low, high):
        """low + (high − low)·u evaluated as the specification does, in float64: each of the
        three operations rounded to the nearest float64 (the result is bit-exact)."""
        return f64(D(low) + f64(f64(D(high) - D(low)) * self.random()))

    def below(self, n):
        return (self.next_u64() * n) >> 64

    def normal(self, mean, std):
        """mean + std·√(−2 ln u₁)·cos(2π u₂) in float64, left to right, every operation and every
        function value (ln, √, cos) correctly rounded: what a correctly rounded libm gives."""
        u1 = ONE - self.random()  # exact: 1 − k·2⁻⁵³
        u2 = self.random()
        radius = f64(sqrt(f64(-2 * f64(ln(u1)))))
        angle = f64(f64(2 * FLOAT_PI) * u2)  # 2.0·math.pi·u2: math.pi is π rounded to float64
        return f64(D(mean) + f64(f64(D(std) * radius) * f64(cos(angle))))


def f64(d):
    """One float64 operation: the exact (60-digit) result rounded to the nearest float64, as a Decimal."""
    return Decimal(to_float(d))


FLOAT_PI = f64(PI)


def initial_weights(name, seed, fan_in, fan_out):
    """The initialisers, drawn row by row, each in float64 exactly as specified:
        uniform          uniform(−0.01, 0.01)
        glorot_shallow   uniform(−a, a), a = 1/√fan_in
        glorot_deep      uniform(−a, a), a = √6/√(fan_in + fan_out)
        xavier_randn     normal(0, 1)·s, s = 1/√fan_in
        he_normal        normal(0, 1)·s, s = √(2/fan_in)
    with a and s computed in float64 (each operation rounded) before the draws."""
    rng = SplitMix64(seed)
    if name == "uniform":
        limit = f64(Decimal("0.01"))
    elif name == "glorot_shallow":
        limit = f64(ONE / f64(sqrt(fan_in)))
    elif name == "glorot_deep":
        limit = f64(f64(sqrt(6)) / f64(sqrt(fan_in + fan_out)))
    elif name == "xavier_randn":
        scale = f64(ONE / f64(sqrt(fan_in)))
    elif name == "he_normal":
        scale = f64(sqrt(f64(Decimal(2) / fan_in)))
    else:
        raise ValueError("unknown initialiser " + name)
    rows = []
    for _ in range(fan_out):
        row = []
        for _ in range(fan_in):
            if name in ("uniform", "glorot_shallow", "glorot_deep"):
                row.append(rng.uniform(-limit, limit))
            else:
                row.append(f64(rng.normal(0, 1) * scale))
        rows.append(row)
    return rows


def graph(inputs, nodes):
    """Evaluate a scalar expression graph and backpropagate through it, in decimal.

    Each op's value and its local derivatives with respect to its node arguments:
        add a+b (1, 1)   sub a−b (1, −1)   mul ab (b, a)   div a/b (1/b, −a/b²)   neg −a (−1)
        exp eᵃ (eᵃ)   log ln a (1/a)   tanh t (1 − t²)   sigmoid s (s(1 − s))
        relu (a>0: 1, else 0)   leaky_relu (a>0: 1, else α)   abs (sign a, 0 at 0)
        pow aᵇ (b·aᵇ⁻¹, aᵇ·ln a)   max (1 to the larger, ½ each at a tie)
    """
    values = {}
    for name, value in inputs:
        values[name] = D(value)
    local = []
    order = []
    for node in nodes:
        args = [values[a] if isinstance(a, str) else D(a) for a in node["args"]]
        op = node["op"]
        attrs = node.get("attrs", {})
        if any(a.is_nan() for a in args) and op not in ("add", "sub", "mul", "div", "neg"):
            # nan in, nan out. The local derivatives: nan for exp, log, tanh, sigmoid and pow, whose
            # formulas read the nan; None (not specified) for relu, leaky_relu, abs and max, where
            # frameworks differ (PyTorch passes 1, α, 0 and 1; JAX 0; refnet nan).
            value = NAN
            slopes = [NAN] * len(args) if op in ("exp", "log", "tanh", "sigmoid", "pow") else [None] * len(args)
            values[node["name"]] = value
            local.append(slopes)
            order.append(node)
            continue
        if op == "add":
            value, slopes = args[0] + args[1], [ONE, ONE]
        elif op == "sub":
            value, slopes = args[0] - args[1], [ONE, -ONE]
        elif op == "mul":
            value, slopes = args[0] * args[1], [args[1], args[0]]
        elif op == "div":
            if not args[1].is_nan() and args[1] == 0:
                raise ZeroDivisionError("division by zero")
            value, slopes = args[0] / args[1], [ONE / args[1], -args[0] / args[1] ** 2]
        elif op == "neg":
            value, slopes = -args[0], [-ONE]
        elif op == "exp":
            value = exp(args[0])
            slopes = [value]
        elif op == "log":
            value, slopes = ln(args[0]), [ONE / args[0]]
        elif op in ("tanh", "sigmoid", "relu", "leaky_relu"):
            value, slope = activation_and_slope(op, args[0], attrs.get("alpha"))
            slopes = [slope]
        elif op == "abs":
            value, slopes = abs(args[0]), [sign(args[0])]
        elif op == "pow":
            base, exponent = args
            if base < 0 and (isinstance(node["args"][1], str) or exponent != exponent.to_integral_value()):
                raise ValueError("negative base to a non-integer or node exponent")
            value = base ** exponent
            if base != 0:
                slope_base = exponent * base ** (exponent - 1)
            elif exponent == 1:
                slope_base = ONE
            elif exponent > 1:
                slope_base = ZERO
            elif exponent > 0:
                slope_base = Decimal("Infinity")  # the IEEE pole: b·0^(b−1) = +inf for 0 < b < 1
            else:
                raise ZeroDivisionError("0 to a power <= 0")
            slope_exponent = value * ln(base) if base > 0 else ZERO
            slopes = [slope_base, slope_exponent]
        elif op == "max":
            if args[0] > args[1]:
                value, slopes = args[0], [ONE, ZERO]
            elif args[0] < args[1]:
                value, slopes = args[1], [ZERO, ONE]
            else:
                value, slopes = args[0], [HALF, HALF]
        else:
            raise ValueError("unknown op " + op)
        values[node["name"]] = value
        local.append(slopes)
        order.append(node)
    grads = {name: ZERO for name in values}
    grads[nodes[-1]["name"]] = ONE
    for node, slopes in zip(reversed(order), reversed(local)):
        upstream = grads[node["name"]]
        for arg, slope in zip(node["args"], slopes):
            if isinstance(arg, str):
                if slope is None or upstream is None or grads[arg] is None:
                    grads[arg] = None  # reached through a derivative that is not specified
                else:
                    grads[arg] += slope * upstream
    return {
        "values": [values[node["name"]] for node in nodes],
        "gradients": [grads[node["name"]] for node in nodes],
        "input_gradients": [grads[name] for name, _ in inputs],
    }


# Learning-rate schedules, dropout with a given mask, and numeric differences.


def schedule(name, hyperparameters, k):
    """The learning rate at step k = 0, 1, 2, …:
        constant {lr}                  η
        linear {start, end, steps}     η₀ + (η₁ − η₀)·min(k, K)/K
        step {lr, step_size, gamma}    η·γ^⌊k / step_size⌋
    """
    h = hyperparameters
    if name == "constant":
        return D(h["lr"])
    if name == "linear":
        return D(h["start"]) + (D(h["end"]) - D(h["start"])) * min(k, h["steps"]) / h["steps"]
    if name == "step":
        return D(h["lr"]) * D(h["gamma"]) ** (k // h["step_size"])
    raise ValueError("unknown schedule " + name)


def dropout(x, mask, p, upstream):
    """Inverted dropout with a given mask m (1 = kept): y = x·m/(1 − p), dx = upstream·m/(1 − p)."""
    keep = ONE - D(p)
    y = [[D(v) * m / keep for v, m in zip(x_row, m_row)] for x_row, m_row in zip(x, mask)]
    dx = [[D(u) * m / keep for u, m in zip(u_row, m_row)] for u_row, m_row in zip(upstream, mask)]
    return {"y": y, "dx": dx}


def relative_error(a, b):
    """|a − b| / max(|a|, |b|), and 0 when both are 0."""
    scale = max(abs(a), abs(b))
    return ZERO if scale == 0 else abs(a - b) / scale


def numeric_gradient(inputs, nodes, eps):
    """The graph's output f differentiated with respect to each input, moving one input at a time:
        one-sided (f(x + ε) − f(x))/ε     central (f(x + ε) − f(x − ε))/(2ε)
    with x ± ε exact (in decimal), the analytic gradient, and the relative error of the central
    difference against the analytic gradient."""
    eps = D(eps)

    def output(moved, shift):
        point = [[name, D(value) + (shift if i == moved else ZERO)] for i, (name, value) in enumerate(inputs)]
        return graph(point, nodes)["values"][-1]

    at_x = output(-1, ZERO)
    one_sided = [(output(i, eps) - at_x) / eps for i in range(len(inputs))]
    central = [(output(i, eps) - output(i, -eps)) / (2 * eps) for i in range(len(inputs))]
    analytic = graph(inputs, nodes)["input_gradients"]
    return {"one_sided": one_sided, "central": central, "analytic": analytic,
            "relative_error": [relative_error(a, c) for a, c in zip(analytic, central)]}
