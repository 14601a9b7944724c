"""The backend protocol: what a backend must provide for the conformance suite to check it.

A backend is any object (a module, a class instance) with these attributes:

    name        str    shown in reports, e.g. "torch"
    precision   str    "float64" or "float32": picks each case's tolerance
    device      str    optional, e.g. "cpu" or "cuda:0"; only reported

and one method per family of cases it supports. Everything crossing the protocol is plain
data: floats, ints, strings, lists and dicts; no refnet types and no framework tensors.
Matrices are lists of rows. A missing method, or a method that raises `Unsupported`, makes
the case "unsupported", which is reported apart from "failed". A backend may also define
`supports(case_id) -> bool` to decline single cases. Any other exception is a failure,
except in cases whose expected result is an error (see "error cases" below).

This docstring is the whole specification: with it (and no refnet code) a backend can be
written that passes every case. tests/test_spec_protocol.py checks that every key, op,
activation, loss, optimizer, hyperparameter, attr, draw kind and initialiser name used by a
fixture appears here.

Notation: a batch is a list of rows, one row per example; n is the number of rows (examples)
and m the number of elements (n × the row length). Σ over "every element" runs over all m.

Families and their methods (the fixture's `input` dict is passed as keyword arguments; a result
may have extra keys, which are ignored):

graph(inputs, nodes) -> {"values": [...], "gradients": [...], "input_gradients": [...]}
    A scalar expression graph. `inputs` is a list of [name, value] pairs; `nodes` a list of
    {"name": str, "op": str, "args": [...], "attrs": {...}} in evaluation order, each arg the
    name of an input or an earlier node, or a number (a constant, which gets no gradient).
    The last node is the output. Return every node's value ("values"), every node's gradient
    ∂output/∂node ("gradients", 1 for the output itself), and the gradient of the output with
    respect to each input ("input_gradients"), in order.
    Ops, each with its value and its local derivatives (a, b the arguments):
        add a + b (1, 1)       sub a − b (1, −1)      mul a·b (b, a)     div a/b (1/b, −a/b²)
        neg −a (−1)            exp eᵃ (eᵃ)            log ln a (1/a)
        tanh, sigmoid, relu    as the activations below (one arg)
        leaky_relu             one arg, attrs {"alpha"} (default 0.01), as the activation below
        abs |a| (sign a; 0 at a = 0)
        pow aᵇ (b·aᵇ⁻¹, aᵇ·ln a): b a number or a node. At a = 0 with 0 < b < 1 the slope
            b·aᵇ⁻¹ is +inf (IEEE's pole); a node exponent needs a > 0 (its slope has ln a); a
            negative base needs a constant integer exponent.
        max max(a, b): slope 1 to the larger, 0 to the other; at a tie ½ to each.
    A node used by several later nodes accumulates the gradients of every use (fan-in: the
    chain rule sums over every path).

activation(name, x, upstream, attrs) -> {"y": [...], "dx": [...]}
    y = f(x) for a vector x, and the vector-Jacobian product dx = J(x)ᵀ·upstream. Elementwise
    activations act on each entry (dx_i = f′(x_i)·upstream_i); softmax and log_softmax on the
    whole vector.
        linear       f = x                              f′ = 1
        sigmoid      σ(x) = 1/(1 + e⁻ˣ)                  f′ = σ(1 − σ)   (stable for x = ±1000)
        tanh         tanh x                             f′ = 1 − tanh²
        relu         max(0, x)                          f′ = 1 for x > 0, else 0 (0 at x = 0)
        leaky_relu   x for x > 0, else α·x              f′ = 1 for x > 0, else α (α at x = 0);
                     attrs {"alpha"}, default 0.01
        step         1 for x ≥ 0, else 0                f′ = 0 everywhere (step(0) = step(−0) = 1)
        softmax      s_i = e^(x_i − max x)/Σ_j e^(x_j − max x)      dx = s ∗ (u − Σ_j s_j u_j)
        log_softmax  x_i − max x − ln Σ_j e^(x_j − max x)           dx = u − s ∗ Σ_j u_j
    (u = upstream, s = softmax(x), ∗ elementwise). Subtracting max x keeps e^1000 from overflowing.

loss(name, predictions, targets, attrs) -> {"loss": float, "dpredictions": [[...]]}
    predictions: a batch y (rows). targets: rows t shaped like predictions, or a list of n
    integer class labels (sparse_categorical_cross_entropy, softmax_cross_entropy,
    multiclass_hinge). Returns the loss and dpredictions = ∂loss/∂predictions (y's shape).
    Each loss with its reduction (mean over every element: divide by m; mean over examples:
    sum each row, divide by n):
        mse                               (1/m) Σ (y − t)²                   ∂ = 2(y − t)/m
        mae                               (1/m) Σ |y − t|                    ∂ = sign(y − t)/m (0 at y = t)
        mape                              (100/m) Σ |(t − y)/t|              ∂ = 100·sign(y − t)/(|t|·m);
                                          a target of 0 is an error
        half_squared_error                (1/n) Σ_rows ½ Σ_j (t_j − y_j)²    ∂ = (y − t)/n
        binary_cross_entropy              (1/m) Σ −[t ln y + (1 − t) ln(1 − y)]
                                          ∂ = (−t/y + (1 − t)/(1 − y))/m; a term whose
                                          coefficient is 0 is left out (0·ln 0 = 0, no clamping)
        categorical_cross_entropy         (1/n) Σ_rows −Σ_j t_j ln y_j       ∂ = −t/(y·n) (0 where t = 0)
        sparse_categorical_cross_entropy  (1/n) Σ_rows −ln y_label           ∂ = −1/(y_label·n) at the label
        softmax_cross_entropy             (1/n) Σ_rows −log_softmax(y)_label (on logits)
                                          ∂ = (softmax(y) − onehot(label))/n
        multiclass_hinge                  (1/n) Σ_rows Σ_{j≠label} max(0, y_j − y_label + margin)
                                          attrs {"margin"}, default 1; each active term
                                          (> 0) adds 1/n to ∂y_j and −1/n to ∂y_label
        binary_hinge                      (1/m) Σ max(0, 1 − t·y), t = ±1    ∂ = −t/m where 1 − t·y > 0
    A hinge term exactly at 0 (at its margin) is inactive: value 0, gradient 0.

dense(activation, weight, bias, x, upstream, attrs) -> {"y", "dx", "dweight", "dbias"}
    One layer on a batch: Z = x·Wᵀ + b, y = act(Z) (an elementwise activation above; attrs
    {"alpha"} for leaky_relu, default 0.01). weight W is out × in (row j = receiving unit j,
    w_ji), bias b has `out` entries, x is batch × in, upstream = ∂L/∂y is batch × out. With
    dZ = upstream ∗ act′(Z): dx = dZ·W (∂L/∂x), dweight = dZᵀ·x (∂L/∂W, out × in) and
    dbias = Σ over the batch of dZ (∂L/∂b, summed, not averaged).

network(layers, x, targets, loss, l2) -> {"outputs": [[...]], "loss": float, "gradients": [{"weight", "bias"}, ...]}
    An MLP given layer by layer: each layer {"weight", "bias", "activation", "alpha"} is a dense
    layer as above ("alpha", optional, is leaky ReLU's slope, default 0.01). x is the input
    batch, targets as in loss, loss = {"name", "attrs"} is applied to the last layer's output,
    and l2 = c adds c·ΣW² over every weight (not the biases) to the loss (gradient 2c·W).
    Return the last layer's outputs, the loss (with its L2 term) and every layer's
    ∂loss/∂weight and ∂loss/∂bias, first layer first.

optimizer(name, hyperparameters, params, gradients) -> {"params": [[...], ...]}
    Start from the flat list `params`; for each entry of `gradients` (one flat list per step,
    t = 1, 2, …) set the gradients and take one step. Return the parameters after every step.
    Every state (v, G, s, m) starts at 0. Rules, each hyperparameter with its default (refnet's,
    which is PyTorch's except SGD's lr; HYPERPARAMETER_DEFAULTS below; the fixtures always give
    every hyperparameter, and move each off its default in some case):
        sgd {lr 0.01, momentum 0}:   v ← momentum·v + g,  w ← w − lr·v
                                     (003's Δw(n) = −lr·g + momentum·Δw(n−1) gives the same numbers)
        adagrad {lr 0.01, eps 1e-10}: G ← G + g²,  w ← w − lr·g/(√G + eps)
        rmsprop {lr 0.01, alpha 0.99, eps 1e-8}: s ← alpha·s + (1 − alpha)·g²,  w ← w − lr·g/(√s + eps)
        adam {lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8}:
                                     m ← beta1·m + (1 − beta1)·g,  v ← beta2·v + (1 − beta2)·g²,
                                     m̂ = m/(1 − beta1ᵗ),  v̂ = v/(1 − beta2ᵗ),  w ← w − lr·m̂/(√v̂ + eps)
    eps is added outside the square root, and in Adam after the bias correction (to √v̂, not
    to √v nor to v).

training(layers, x, targets, loss, l2, optimizer, steps) -> {"losses": [...], "layers": [{"weight", "bias"}, ...]}
    Full-batch training of the network above: `optimizer` is {"name", "hyperparameters"} as in
    the optimizer family, one optimizer over every weight and bias (each with its own state).
    `steps` times: record the loss (with its L2 term), backpropagate, take one step. Return the
    recorded losses (before each step) and every layer's final weight and bias.

prng(seed, draws) -> {"values": [...]}
    refnet's generator seeded with `seed`; `draws` is a list of {"kind", …} taken in order from
    the one generator, each giving one value:
        "u64"                    next_u64(), returned as "0x" and 16 upper-case hex digits
        "random"                 random()
        "uniform" {low, high}    uniform(low, high)
        "below" {n}              below(n), an int
        "normal" {mean, std}     normal(mean, std)
    The generator, bit for bit (refnet/prng.py): the state s is one unsigned 64-bit integer,
    s = seed mod 2⁶⁴, and all integer arithmetic is mod 2⁶⁴ (>> is the logical shift):
        next_u64:  s ← s + 0x9E3779B97F4A7C15;  z ← s
                   z ← (z XOR (z >> 30))·0xBF58476D1CE4E5B9
                   z ← (z XOR (z >> 27))·0x94D049BB133111EB
                   return z XOR (z >> 31)          (SplitMix64; seed 0 gives 0xE220A8397B1DCDAF, …)
        random()        = (next_u64 >> 11)·2⁻⁵³, a float64 in [0, 1) (exact: 53 bits)
        uniform(a, b)   = a + (b − a)·random(), in float64: b − a rounded, times u rounded,
                          plus a rounded (three IEEE operations, round to nearest)
        below(n)        = (next_u64·n) >> 64 with the full 128-bit product (an int in [0, n))
        normal(μ, σ)    = μ + σ·√(−2 ln u₁)·cos(2π·u₂) in float64, evaluated as
                          μ + ((σ·√(−2·ln u₁))·cos((2·π)·u₂)) with π the float64 nearest π,
                          u₁ = 1 − random() ∈ (0, 1] drawn first and u₂ = random() second
                          (Box–Muller, cosine branch only: two next_u64 outputs per normal)
    u64, random, uniform and below are bit-exact: their cases compare exactly (tolerance 0, flag
    "bit-exact"). Normals are not: IEEE 754 requires sqrt to be correctly rounded but not ln or
    cos, so their expected values are what correctly rounded ln, sqrt and cos give, and a libm
    within an ulp of each lands within a few ulps (rtol and atol 1e-15; the cases' notes say so).

init(name, seed, fan_in, fan_out) -> {"weight": [[...]]}
    refnet's initialiser `name` drawing from a generator seeded with `seed` (as in prng): a
    fan_out × fan_in matrix drawn row by row (w_00, w_01, …), in float64:
        uniform          uniform(−0.01, 0.01)                    U[−0.01, 0.01] (003)
        glorot_shallow   uniform(−a, a), a = 1/√fan_in            U[−1/√n, 1/√n] (003)
        glorot_deep      uniform(−a, a), a = √6/√(fan_in + fan_out)  (003, Glorot and Bengio)
        xavier_randn     normal(0, 1)·s, s = 1/√fan_in            N(0, 1)/√n (002's code)
        he_normal        normal(0, 1)·s, s = √(2/fan_in)          N(0, 1)·√(2/n) (He et al. 2015)
    a and s are computed once, each operation in float64 (1/√n is 1 divided by the rounded √n),
    and uniform(−a, a) is −a + (a − (−a))·u as in prng. The uniform ones are bit-exact; the
    normal ones have the normals' tolerance.

Conventions at kinks and edges (each a case flagged "convention"): relu′(0) = 0, leaky_relu′(0)
= α, |x|′(0) = 0, max at a tie sends ½ to each side, step(0) = 1 with step′ = 0, a hinge term
exactly at its margin is inactive (gradient 0), 0·ln 0 = 0 in cross-entropies (no clamping),
exp past the largest float is +inf (value and gradient), 0ᵇ for 0 < b < 1 has slope +inf.
Kink cases use inputs exact in float32 (0, −0, 0.5, 2, …), so they are checked at both
precisions.

Error cases: a case whose expected result is {"error": kind} passes when the backend raises
any exception (a framework that returns inf or nan should raise in its adapter instead). The
errors: log of a number ≤ 0, division by 0, 0 to a negative constant power (0 ** 0 is 1), a
negative base to a non-integer constant power, a base ≤ 0 with a node exponent (∂(aᵇ)/∂b =
aᵇ·ln a needs ln a), MAPE with a zero target.

Tolerances: a float result a matches the expected e when |a − e| <= atol + rtol·|e|, with
each case's tolerance for the backend's precision (tolerance 0 means bit for bit).

Non-finite numbers cross the protocol as Python floats; in fixture files they are written as
the strings "Infinity", "-Infinity" and "NaN" (docs/fixture-format.md).

Learning-rate schedules, dropout and numeric gradients:

schedule(name, hyperparameters, steps) -> {"lr": [...]}
    The learning rate at each step number k (an int >= 0, counted from 0) of the list `steps`,
    in order, as refnet/schedules.py defines them:
        constant {lr}                  η
        linear {start, end, steps}     η₀ + (η₁ − η₀)·min(k, K)/K  (K = hyperparameters' steps;
                                       the rate reaches `end` at k = K and stays there; end may
                                       exceed start)
        step {lr, step_size, gamma}    η·γ^⌊k / step_size⌋  (PyTorch's StepLR: the first decay
                                       is at k = step_size)
    k is the number of optimizer steps taken before the one the rate is for.

dropout(x, mask, p, upstream) -> {"y": [[...]], "dx": [[...]]}
    Inverted dropout with a given mask. x is a batch (rows × columns); mask has x's shape, each
    entry 1 (kept) or 0 (dropped); 0 <= p < 1 is the drop probability the mask was drawn with.
    y = x·mask/(1 − p) and dx = upstream·mask/(1 − p), elementwise (upstream = ∂L/∂y, x's
    shape). p = 1 is an error (the scale 1/(1 − p) is undefined).

numeric_gradient(inputs, nodes, eps) -> {"one_sided": [...], "central": [...], "analytic": [...], "relative_error": [...]}
    f is the output of the scalar expression graph `inputs`, `nodes` (as in graph). For each
    input i, in order, moving that input alone by eps > 0 and holding the others:
        one_sided_i = (f(x + eps·e_i) − f(x)) / eps
        central_i   = (f(x + eps·e_i) − f(x − eps·e_i)) / (2·eps)
        analytic_i  = ∂f/∂x_i (as graph's input_gradients, with its conventions at kinks)
        relative_error_i = |analytic_i − central_i| / max(|analytic_i|, |central_i|), 0 when both are 0
    (refnet/gradcheck.py's differences and relative error). The quotients are computed at the
    backend's precision: the cases' inputs, eps and x ± eps are float32 numbers, so x ± eps is
    exact at either precision, and each case's tolerance allows for the rounding of f (its notes
    give the bound).
"""

FAMILIES = ["graph", "activation", "loss", "dense", "network", "optimizer", "training", "prng", "init",
            "schedule", "dropout", "numeric_gradient"]
PRECISIONS = ["float64", "float32"]

# Each optimizer's hyperparameters and their defaults (refnet's; PyTorch's except SGD's lr, 0.001
# there): what a backend that ignores a hyperparameter would use instead of the given value.
HYPERPARAMETER_DEFAULTS = {
    "sgd": {"lr": 0.01, "momentum": 0.0},
    "adagrad": {"lr": 0.01, "eps": 1e-10},
    "rmsprop": {"lr": 0.01, "alpha": 0.99, "eps": 1e-8},
    "adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}


class Unsupported(Exception):
    """Raised by a backend for a case it does not support: reported "unsupported", not failed."""


class Backend:
    """A convenient base class: every family unsupported until a subclass defines it.

    Subclassing is optional; any object with the attributes above is a backend.
    """

    name = "unnamed"
    precision = "float64"
    device = ""

    def supports(self, case_id: str) -> bool:
        return True
