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

Families and their methods (the fixture's `input` dict is passed as keyword arguments):

graph(inputs, nodes) -> {"values": [...], "gradients": [...], "input_gradients": [...]}
    A scalar expression graph. `inputs` is a list of [name, value] pairs; `nodes` a list of
    {"name": str, "op": str, "args": [...], "attrs": {...}} in evaluation order, each arg the
    name of an input or an earlier node, or a number (a constant, which gets no gradient).
    The last node is the output. Return every node's value, every node's gradient
    ∂output/∂node, and the gradient of the output with respect to each input, in order.
    Ops: add, sub, mul, div (two args); neg, exp, log, tanh, sigmoid, relu, abs (one arg);
    leaky_relu (one arg, attrs {"alpha"}); pow (base, exponent: a number or a node);
    max (two args; at a tie each side gets half the gradient).
    A node used by several later nodes accumulates the gradients of every use.

activation(name, x, upstream, attrs) -> {"y": [...], "dx": [...]}
    y = f(x) for a vector x, and the vector-Jacobian product dx = J(x)ᵀ·upstream.
    Names: linear, sigmoid, tanh, relu, leaky_relu (attrs {"alpha"}), step, softmax,
    log_softmax. Elementwise ones act on each entry; softmax and log_softmax on the vector.

loss(name, predictions, targets, attrs) -> {"loss": float, "dpredictions": [[...]]}
    predictions: a batch, one row per example. targets: rows shaped like predictions, or a
    list of integer class labels (sparse_categorical_cross_entropy, softmax_cross_entropy,
    multiclass_hinge). Returns the loss and its gradient with respect to the predictions.
    Names and reductions (n = batch size, m = number of elements):
        mse (1/m)Σ(y−t)²   mae (1/m)Σ|y−t|   mape (100/m)Σ|(t−y)/t|
        half_squared_error (1/n)Σ ½Σⱼ(tⱼ−yⱼ)²
        binary_cross_entropy (1/m)Σ −[t ln p + (1−t) ln(1−p)]
        categorical_cross_entropy (1/n)Σ −Σⱼ tⱼ ln pⱼ
        sparse_categorical_cross_entropy (1/n)Σ −ln p_y
        softmax_cross_entropy (1/n)Σ −ln softmax(s)_y          (on logits)
        multiclass_hinge (1/n)Σ Σ_{j≠y} max(0, sⱼ − s_y + margin)   attrs {"margin"}
        binary_hinge (1/m)Σ max(0, 1 − t·s), t = ±1

dense(activation, weight, bias, x, upstream, attrs) -> {"y", "dx", "dweight", "dbias"}
    One layer on a batch: y = act(x·Wᵀ + b), weight out×in (row j = receiving unit, w_ji),
    x batch×in, upstream = ∂L/∂y batch×out. dx = ∂L/∂x, dweight = ∂L/∂W, dbias = ∂L/∂b.

network(layers, x, targets, loss, l2) -> {"loss": float, "gradients": [{"weight", "bias"}, ...]}
    An MLP given layer by layer ({"weight", "bias", "activation"}), a batch x, targets, the
    loss {"name", "attrs"} on the last layer's output, and l2 = c: c·ΣW² over the weights
    (not biases) is added to the loss. Returns the loss and every parameter's gradient.

optimizer(name, hyperparameters, params, gradients) -> {"params": [[...], ...]}
    Start from the flat list `params`; for each entry of `gradients` (one flat list per
    step) set the gradients and take one step. Return the parameters after every step.
    sgd {lr, momentum}: v ← ρv + g, w ← w − ηv (equal to 003's Δw(n) = −ηg + ρΔw(n−1));
    adagrad {lr, eps}: G ← G + g², w ← w − η g/(√G + ε);
    rmsprop {lr, alpha, eps}: s ← αs + (1−α)g², w ← w − η g/(√s + ε);
    adam {lr, beta1, beta2, eps}: m, v, bias-corrected by 1 − βᵗ, w ← w − η m̂/(√v̂ + ε).

training(layers, x, targets, loss, l2, optimizer, steps) -> {"losses": [...], "layers": [{"weight", "bias"}]}
    Full-batch training of the network above: `optimizer` is {"name", "hyperparameters"};
    before each of `steps` steps record the loss, then backpropagate and step. Return the
    recorded losses and the final weights and biases.

prng(seed, draws) -> {"values": [...]}
    refnet's SplitMix64 generator (refnet/prng.py specifies it bit for bit) seeded with
    `seed`; `draws` is a list of {"kind", ...}: "u64" (returned as a "0x…" hex string of 16
    digits), "random", "uniform" {low, high}, "below" {n} (an int), "normal" {mean, std}.

init(name, seed, fan_in, fan_out) -> {"weight": [[...]]}
    refnet's initialiser `name` drawing from a PRNG seeded with `seed`: a fan_out×fan_in
    matrix drawn row by row.

Error cases: a case whose expected result is {"error": kind} passes when the backend raises
any exception (a framework that returns inf or nan should raise in its adapter instead).

Non-finite numbers cross the protocol as Python floats; in fixture files they are written as
the strings "Infinity", "-Infinity" and "NaN" (docs/fixture-format.md).
"""

FAMILIES = ["graph", "activation", "loss", "dense", "network", "optimizer", "training", "prng", "init"]
PRECISIONS = ["float64", "float32"]


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
