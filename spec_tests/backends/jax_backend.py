"""The JAX adapter: every family through jax.grad / jax.vjp, jax.nn, jax.numpy and optax.

    python -m spec_tests --backend jax
    python -m spec_tests --backend jax --precision float32
    python -m spec_tests --backend jax --precision float32 --device gpu:0

JAX and optax are optional dependencies of the suite: this module imports them, refnet never
does. Importing it turns on `jax_enable_x64` for the whole process: without it JAX silently
makes every "float64" array float32. How each family maps onto JAX:

    graph        one Python function from the inputs to the output, built node by node from
                 jnp.add … jnp.maximum and jax.nn; every node's value gets a zero added to it
                 and jax.value_and_grad differentiates with respect to the inputs and to those
                 zeros at once: ∂output/∂(zero added to a node) is ∂output/∂node, so every
                 node's gradient comes out of one reverse pass. Fan-in adds up by itself.
    activation   jax.vjp of jax.nn.sigmoid, jnp.tanh, jax.nn.relu, jax.nn.softmax,
                 jax.nn.log_softmax (and the ones patched below); dx = vjp(upstream) = Jᵀ·upstream.
    loss         jax.value_and_grad of the loss written in jax.numpy, with optax.losses where
                 optax has the same loss: squared_error (mse), l2_loss (½(y − t)²) and
                 softmax_cross_entropy_with_integer_labels.
    dense        jax.vjp of act(x @ W.T + b) with respect to x, W and b (W out × in, as given).
    network      parameters as a list of {"weight", "bias"} pytrees; jax.value_and_grad of
                 loss + c·ΣW² (weights only), the outputs carried out as auxiliary data.
    optimizer    optax.sgd (momentum as optax.trace: v ← g + ρv, w ← w − ηv, the protocol's
    training     form), optax.rmsprop and optax.adam (bias correction 1 − βᵗ, t from 1), each
                 applied with optimizer.update and optax.apply_updates; Adagrad patched below.
    schedule     optax.schedules.constant_schedule, linear_schedule and exponential_decay
                 (staircase=True), evaluated at each step k.
    dropout      with the case's mask, written as Flax's Dropout writes it: where(mask, x/(1 − p), 0);
                 jax.vjp gives dx. JAX would draw the mask with jax.random.bernoulli(key, 1 − p).
                 p = 1 (no survivors, scale 1/0) raises.
    numeric_gradient   the graph's output as a function of the vector of inputs: one-sided and
                 central differences moving one input by ε at a time, jax.grad for the analytic
                 gradient, relative error |a − c|/max(|a|, |c|) (0 when both are 0).
    prng, init   SplitMix64 on jnp.uint64 arrays (wrapping arithmetic, logical shifts), all the
                 outputs of a case at once; the 128-bit product of below(n) in Python integers;
                 normals with jnp.log and jnp.cos.

Where JAX or optax differ from the protocol, patched here (each is a fixture case flagged
`convention` or a rule in spec_tests/protocol.py):

    jnp.abs        slope 1 at 0 (JAX's abs JVP is select(x >= 0, t, −t)); the protocol's |x|′(0)
                   is 0: `abs_with_zero_slope`, a jax.custom_jvp whose tangent is sign(x)·t.
                   mae and mape use it too (their gradient at y = t is 0).
    jax.nn.leaky_relu   slope 1 at 0 (it is where(x >= 0, x, αx)); the protocol's is α:
                   `leaky_relu` is where(x > 0, x, αx).
    optax.losses.hinge_loss   is jnp.maximum(0, 1 − t·s), whose gradient exactly at the margin
                   is ½ (jnp.maximum splits a tie); the protocol's is 0: the hinges use
                   jax.nn.relu, whose slope at 0 is 0 (checked: relu is a custom_jvp with
                   slope 0 there). optax's multiclass_hinge_loss is Crammer–Singer's max over
                   classes, not the protocol's sum: written out.
    jax.scipy.special.xlogy   gives 0·ln 0 = 0 but a nan gradient at (0, 0): the cross-entropies
                   feed it 1 where the coefficient is 0 (the double-where idiom), so the
                   term is 0 with gradient 0.
    optax.adagrad  starts its sum at initial_accumulator_value = 0.1 and divides by
                   √(G + ε) (ε inside the root); the protocol starts at 0 and divides by
                   √G + ε: `scale_by_root_sum_of_squares`, a GradientTransformation chained
                   with optax.scale_by_learning_rate.
    optax.rmsprop  calls α `decay` and defaults it to 0.9 (PyTorch's default is 0.99), and puts
                   ε inside the root by default: the adapter passes decay=α, eps_in_sqrt=False,
                   initial_scale=0, no momentum, not centered.
    optax.adam     eps_root = 0 (ε only outside the root), no Nesterov.
    optax.linear_schedule   interpolates from the end, (start − end)·(1 − min(k, K)/K) + end; in
                   float32 that misses `start` by up to ½ ulp(end) when end ≫ start (2e-6 relative
                   in schedule.linear.increasing, against a tolerance of 1e-6). A rate is a
                   hyperparameter, not a tensor: the adapter evaluates optax's schedules on Python
                   floats (float64, as PyTorch's schedulers do) and rounds the rate to the
                   precision. optax.exponential_decay(staircase=True) is the step rule
                   lr·γ^⌊k/step_size⌋, its first decay at k = step_size; constant_schedule as it is.
    jnp.power      ∂(aᵇ)/∂b at a = 0 is 0 (JAX replaces ln 0 by 0); the protocol has no real
                   value for a node exponent on a base ≤ 0: raises, as it does for a < 0 (nan).
                   ∂(aⁿ)/∂a = n·aⁿ⁻¹ forms n − 1 in floating point, which for an even n ≥ 2⁵³
                   rounds to n: at a < 0 the sign is wrong ((−1)^(2⁵⁴) gives +2⁵⁴, the protocol
                   −2⁵⁴). `power`, a jax.custom_jvp, takes the sign from n's parity:
                   −n·|a|ⁿ⁻¹ for even n, +n·|a|ⁿ⁻¹ for odd n; its ∂/∂b is jnp.power's, aᵇ·ln a with
                   ln 0 replaced by 0, and is formed only for a node exponent (symbolic zeros).
    jnp.maximum    a tie sends ½ to each side: the protocol's convention, no patch (checked).
    jnp.tanh, jax.nn.sigmoid   differentiate to 1 − y² and y(1 − y), which are exactly 0 once y
                   rounds to ±1 (|x| > 19.1 and x > 36.7 in float64) although the true slope is
                   representable up to |x| ≈ 354 and 745; the protocol wants the exact slope:
                   `stable_tanh` and `stable_sigmoid`, jax.custom_jvps with tangents
                   4e^−2|x|/(1 + e^−2|x|)²·t and e^−|x|/(1 + e^−|x|)²·t (graph, activation, dense,
                   network and training all use them).
    Domain errors  jnp.log(0) = −inf, jnp.log(−1) = nan, x/0 = ±inf, 0⁻¹ = inf and
                   (−8)^⅓ = nan come back as numbers; the protocol wants an error. The adapter
                   checks the concrete values after each computation and raises: log of a
                   number ≤ 0, division by 0, 0 to a negative power, a negative base to a
                   non-integer power, MAPE with a zero target, and any nan value or gradient
                   or non-finite loss, unless an input is nan (nan propagates: it is returned,
                   docs/conventions.md) or the loss is a squared error that overflowed to inf.
                   exp past the largest float is +inf (value and gradient), as IEEE 754 says,
                   and is returned.
    optax.losses   softmax_cross_entropy_with_integer_labels is logsumexp(s) − s_y, which
                   cancels near 0 (2e−3 relative at logits near 900); l2_loss's gradient forms
                   2(t − y), which overflows for |t − y| > 9e307. The adapter writes
                   −log_softmax(s)_y and (½(t − y))·(t − y) with jax.nn and jnp instead.

Precision: "float64" or "float32" sets the dtype of every array in the numeric families (Python
floats in the formulas are weakly typed and follow it). prng and init are specified on 64-bit
integers and float64 (refnet/prng.py) and run on jnp.uint64 and float64 at either precision.
An input float32 cannot hold (1e-300, 1e200) raises Unsupported ("input not representable in
float32") where rounding it to 0 or inf changes the answer.

Devices: "cpu" (the default), or a GPU as "gpu", "gpu:N", "cuda" or "cuda:N" (JAX's "gpu"
platform, CUDA or ROCm). Every array is created on that device, so the computations run there;
a device that is not present raises ValueError listing the devices that are. On a GPU the
adapter sets jax_default_matmul_precision to "highest", so float32 matmuls are not run in TF32.
`device_name` is the device's kind ("cpu", or e.g. "NVIDIA A100-SXM4-40GB"); `notes` lists the
settings that affect results. docs/gpus.md has the commands and what differs on a GPU.

Each family's differentiated computation is one jax.jit function (a training step is one), so XLA
compiles it once instead of one kernel per operation; the domain checks read the concrete values
that come out. graph, optimizer, prng and init run eagerly, op by op: their arrays are scalars
or tiny, and prng's uniforms must round twice exactly as refnet's do.
"""

import math
from typing import Any, Callable, Dict, Iterable, Iterator, List, Tuple

import jax
import jax.numpy as jnp
import optax  # type: ignore[import-untyped]  # optax ships no py.typed marker: its objects are Any here
from jax.custom_derivatives import SymbolicZero
from jax.scipy.special import xlogy

from spec_tests.protocol import Backend, Unsupported

jax.config.update("jax_enable_x64", True)  # type: ignore[no-untyped-call]  # jax.config.update is unannotated

Array = jax.Array
Params = List[Dict[str, Array]]  # one {"weight", "bias"} per layer: a pytree optax and jax.grad walk

MASK_64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB
TWO_TO_MINUS_53 = 2.0 ** -53

SMOOTH_OPS = frozenset(["add", "sub", "mul", "neg", "exp", "tanh", "sigmoid"])
SMOOTH_ACTIVATIONS = frozenset(["linear", "sigmoid", "tanh", "softmax", "log_softmax"])
SMOOTH_LOSSES = frozenset(["mse", "half_squared_error", "softmax_cross_entropy"])
LABEL_LOSSES = frozenset(["sparse_categorical_cross_entropy", "softmax_cross_entropy", "multiclass_hinge"])
GPU_PLATFORMS = frozenset(["gpu", "cuda"])


def _numbers(structure: Any) -> Iterator[float]:
    """Every number in a nested structure of lists and dicts (strings and bools skipped)."""
    if isinstance(structure, (list, tuple)):
        for item in structure:
            yield from _numbers(item)
    elif isinstance(structure, dict):
        for item in structure.values():
            yield from _numbers(item)
    elif isinstance(structure, (int, float)) and not isinstance(structure, bool):
        yield float(structure)


def _plain(a: Array) -> Any:
    """An array as Python floats (nested lists), copied back from its device."""
    return a.tolist()


# -- devices -----------------------------------------------------------------------------------

def available_devices() -> str:
    """Every device JAX can use here, e.g. "cpu:0 (cpu), gpu:0 (NVIDIA A100-SXM4-40GB)"."""
    found = list(jax.devices("cpu"))
    try:
        found += jax.devices("gpu")
    except RuntimeError:  # no GPU platform on this machine
        pass
    return ", ".join(device.platform + ":" + str(device.id) + " (" + device.device_kind + ")" for device in found)


def resolve_device(device: str) -> "jax.Device":
    """"cpu", "gpu", "gpu:N", "cuda", "cuda:N" → the JAX device, or ValueError naming what is there."""
    platform, _, index_text = device.partition(":")
    if (platform not in GPU_PLATFORMS and platform != "cpu") or (index_text and not index_text.isdigit()):
        raise ValueError("jax backend: device " + repr(device) + ": expected 'cpu', 'gpu', 'gpu:N', 'cuda' or "
                         "'cuda:N'; available here: " + available_devices())
    try:
        devices = jax.devices("gpu" if platform in GPU_PLATFORMS else "cpu")
    except RuntimeError:  # JAX raises RuntimeError when the platform is absent
        devices = []
    index = int(index_text) if index_text else 0
    if index >= len(devices):
        raise ValueError("jax backend: device " + repr(device) + " is not available on this machine; "
                         "available: " + available_devices())
    return devices[index]


# -- the two activations patched to the protocol's slopes at 0 ---------------------------------

@jax.custom_jvp
def abs_with_zero_slope(x: Array) -> Array:
    """|x| with |x|′(0) = 0, the protocol's convention (jnp.abs has slope 1 at 0)."""
    return jnp.abs(x)


@abs_with_zero_slope.defjvp
def _abs_with_zero_slope_jvp(primals: Tuple[Array], tangents: Tuple[Array]) -> Tuple[Array, Array]:
    (x,), (dx,) = primals, tangents
    return jnp.abs(x), jnp.sign(x) * dx


# -- tanh, sigmoid and pow patched to the protocol's exact slopes --------------------------------

@jax.custom_jvp
def stable_tanh(x: Array) -> Array:
    """tanh x with slope 4e^−2|x|/(1 + e^−2|x|)²: jnp.tanh's 1 − y² is 0 once y rounds to ±1."""
    return jnp.tanh(x)


@stable_tanh.defjvp
def _stable_tanh_jvp(primals: Tuple[Array], tangents: Tuple[Array]) -> Tuple[Array, Array]:
    (x,), (dx,) = primals, tangents
    e = jnp.exp(-2.0 * jnp.abs(x))
    return jnp.tanh(x), 4.0 * e / ((1.0 + e) * (1.0 + e)) * dx


@jax.custom_jvp
def stable_sigmoid(x: Array) -> Array:
    """σ(x) with slope e^−|x|/(1 + e^−|x|)²: jax.nn.sigmoid's y(1 − y) is 0 once y rounds to 1."""
    return jax.nn.sigmoid(x)


@stable_sigmoid.defjvp
def _stable_sigmoid_jvp(primals: Tuple[Array], tangents: Tuple[Array]) -> Tuple[Array, Array]:
    (x,), (dx,) = primals, tangents
    e = jnp.exp(-jnp.abs(x))
    return jax.nn.sigmoid(x), e / ((1.0 + e) * (1.0 + e)) * dx


@jax.custom_jvp
def power(a: Array, b: Array) -> Array:
    """aᵇ with ∂/∂a signed by b's parity for a < 0 (jnp.power forms b − 1, which rounds for b ≥ 2⁵³)."""
    return jnp.power(a, b)


def _power_jvp(primals: Tuple[Array, Array], tangents: Tuple[Any, Any]) -> Tuple[Array, Array]:
    (a, b), (da, db) = primals, tangents
    y = jnp.power(a, b)
    tangent = jnp.zeros_like(y)
    if not isinstance(da, SymbolicZero):  # b·aᵇ⁻¹, 0 for b = 0; for a < 0: −b·|a|ᵇ⁻¹ for even b, +b·|a|ᵇ⁻¹ for odd b
        sign = jnp.where(jnp.fmod(b, 2.0) == 0, -1.0, 1.0)
        magnitude = jnp.where(a < 0, sign * jnp.power(-a, b - 1.0), jnp.power(a, b - 1.0))
        tangent = tangent + jnp.where(b == 0, 0.0, b * magnitude) * da
    if not isinstance(db, SymbolicZero):  # aᵇ·ln a, with ln 0 replaced by 0 as jnp.power does
        tangent = tangent + y * jnp.log(jnp.where(a == 0, 1.0, a)) * db
    return y, tangent


power.defjvp(_power_jvp, symbolic_zeros=True)


def leaky_relu(x: Array, alpha: float) -> Array:
    """x for x > 0, αx otherwise: slope α at 0 (jax.nn.leaky_relu's where(x >= 0, …) has slope 1)."""
    return jnp.where(x > 0, x, alpha * x)


def activation_function(name: str, alpha: float = 0.01) -> Callable[[Array], Array]:
    """The JAX function for one of the protocol's activations (softmax on the last axis)."""
    if name == "linear":
        return lambda z: z
    if name == "sigmoid":
        return stable_sigmoid
    if name == "tanh":
        return stable_tanh
    if name == "relu":
        return jax.nn.relu  # relu′(0) = 0 in JAX already
    if name == "leaky_relu":
        return lambda z: leaky_relu(z, alpha)
    if name == "step":
        return lambda z: jnp.heaviside(z, 1.0)  # step(0) = 1; JAX differentiates it as 0
    if name == "softmax":
        return jax.nn.softmax
    if name == "log_softmax":
        return jax.nn.log_softmax
    raise Unsupported("jax backend: no activation " + repr(name))


# -- graph ops: (args, attrs) -> value ---------------------------------------------------------

GRAPH_OPS: Dict[str, Callable[[List[Array], Dict[str, Any]], Array]] = {
    "add": lambda a, attrs: jnp.add(a[0], a[1]),
    "sub": lambda a, attrs: jnp.subtract(a[0], a[1]),
    "mul": lambda a, attrs: jnp.multiply(a[0], a[1]),
    "div": lambda a, attrs: jnp.divide(a[0], a[1]),
    "pow": lambda a, attrs: power(a[0], a[1]),
    "max": lambda a, attrs: jnp.maximum(a[0], a[1]),  # a tie sends ½ to each side, as the protocol says
    "neg": lambda a, attrs: jnp.negative(a[0]),
    "exp": lambda a, attrs: jnp.exp(a[0]),
    "log": lambda a, attrs: jnp.log(a[0]),
    "tanh": lambda a, attrs: stable_tanh(a[0]),
    "sigmoid": lambda a, attrs: stable_sigmoid(a[0]),
    "relu": lambda a, attrs: jax.nn.relu(a[0]),
    "abs": lambda a, attrs: abs_with_zero_slope(a[0]),
    "leaky_relu": lambda a, attrs: leaky_relu(a[0], attrs.get("alpha", 0.01)),
}


def check_graph_node(node: Dict[str, Any], args: List[float], value: float) -> None:
    """Raise where the mathematics has no value and jax.numpy returned a number anyway."""
    op, where = node["op"], "graph node " + repr(node["name"]) + " (" + node["op"] + ")"
    if any(math.isnan(a) for a in args):
        return  # nan in, nan out: propagated, not a domain error
    if op == "div" and args[1] == 0:
        raise ZeroDivisionError(where + ": division by zero; expected a non-zero divisor (jnp.divide returns "
                                + repr(value) + ")")
    if op == "log" and not args[0] > 0:
        raise ValueError(where + ": log of " + repr(args[0]) + "; expected a positive number (jnp.log returns "
                         + repr(value) + ")")
    if op == "pow":
        base, exponent = args
        if base == 0 and exponent < 0:
            raise ZeroDivisionError(where + ": 0 to the negative power " + repr(exponent) + "; expected a base ≠ 0")
        if isinstance(node["args"][1], str) and not base > 0:
            raise ValueError(where + ": base " + repr(base) + " with a node exponent; expected a base > 0 "
                             "(∂(aᵇ)/∂b = aᵇ ln a)")
        if base < 0 and exponent != math.floor(exponent):
            raise ValueError(where + ": negative base " + repr(base) + " to the non-integer power " + repr(exponent))
    if math.isnan(value):
        raise ValueError(where + ": jax returned nan for arguments " + repr(args) + " (no real value)")


# -- losses: (predictions, targets, attrs) -> scalar -------------------------------------------

def _mape(p: Array, t: Array, attrs: Dict[str, Any]) -> Array:
    return 100.0 * jnp.mean(abs_with_zero_slope((t - p) / t))


def _binary_cross_entropy(p: Array, t: Array, attrs: Dict[str, Any]) -> Array:
    # xlogy's value is 0 where the coefficient is 0, but its gradient at (0, 0) is nan: feed it 1 there.
    p_positive = jnp.where(t != 0, p, 1.0)
    q_negative = jnp.where(t != 1, 1.0 - p, 1.0)
    return -jnp.mean(xlogy(t, p_positive) + xlogy(1.0 - t, q_negative))


def _categorical_cross_entropy(p: Array, t: Array, attrs: Dict[str, Any]) -> Array:
    return -jnp.sum(xlogy(t, jnp.where(t != 0, p, 1.0))) / p.shape[0]


def _sparse_categorical_cross_entropy(p: Array, labels: Array, attrs: Dict[str, Any]) -> Array:
    return -jnp.mean(jnp.log(jnp.take_along_axis(p, labels[:, None], axis=1)))


def _multiclass_hinge(s: Array, labels: Array, attrs: Dict[str, Any]) -> Array:
    margins = jax.nn.relu(s - jnp.take_along_axis(s, labels[:, None], axis=1) + attrs.get("margin", 1.0))
    others = jnp.arange(s.shape[1])[None, :] != labels[:, None]  # the label's own term is left out
    return jnp.sum(jnp.where(others, margins, 0.0)) / s.shape[0]


LOSSES: Dict[str, Callable[[Array, Array, Dict[str, Any]], Array]] = {
    "mse": lambda p, t, attrs: jnp.mean(optax.losses.squared_error(p, t)),
    "mae": lambda p, t, attrs: jnp.mean(abs_with_zero_slope(p - t)),
    "mape": _mape,
    # (½(t − y))·(t − y): optax's l2_loss, ½(t − y)², differentiates to 2(t − y)·½, which overflows for |t − y| > 9e307
    "half_squared_error": lambda p, t, attrs: jnp.sum((0.5 * (t - p)) * (t - p)) / p.shape[0],
    "binary_cross_entropy": _binary_cross_entropy,
    "categorical_cross_entropy": _categorical_cross_entropy,
    "sparse_categorical_cross_entropy": _sparse_categorical_cross_entropy,
    # −log_softmax(s)_y: optax's softmax_cross_entropy_with_integer_labels is logsumexp(s) − s_y, which cancels
    # near 0 (a relative error of 2e−3 at logits near 900; the case loss.edge.softmax_cross_entropy.near_zero)
    "softmax_cross_entropy": lambda s, labels, attrs: -jnp.mean(
        jnp.take_along_axis(jax.nn.log_softmax(s, axis=-1), labels[:, None], axis=1)),
    "multiclass_hinge": _multiclass_hinge,
    "binary_hinge": lambda s, t, attrs: jnp.mean(jax.nn.relu(1.0 - t * s)),  # relu′(0) = 0 at the margin
}


def loss_function(name: str) -> Callable[[Array, Array, Dict[str, Any]], Array]:
    if name not in LOSSES:
        raise Unsupported("jax backend: no loss " + repr(name))
    return LOSSES[name]


def check_targets(name: str, targets: Array) -> None:
    if name == "mape" and bool(jnp.any(targets == 0)):
        raise ZeroDivisionError("loss mape: a target is 0; expected non-zero targets (the percentage error "
                                "divides by the target)")


LOG_LOSSES = frozenset(["binary_cross_entropy", "categorical_cross_entropy", "sparse_categorical_cross_entropy"])


def check_loss(name: str, value: Array, gradients: Any, nan_input: bool) -> None:
    """check_finite for one loss: a nan from a nan input is propagated, not an error, and an
    infinite loss is an error only where it is ln 0 (a squared error can overflow to inf)."""
    where = "loss " + name
    if nan_input:
        return
    if bool(jnp.isinf(value)) and name not in LOG_LOSSES:
        if any(bool(jnp.any(jnp.isnan(leaf))) for leaf in jax.tree_util.tree_leaves(gradients)):
            raise ValueError(where + ": a gradient is nan; expected real numbers")
        return
    check_finite(where, value, gradients)


def check_finite(where: str, value: Array, gradients: Any) -> None:
    """Raise when a loss or a gradient came back inf or nan (jax's answer to ln 0 and 0/0)."""
    if not bool(jnp.isfinite(value)):
        raise ValueError(where + ": the loss is " + repr(float(value)) + "; expected a finite number "
                         "(ln of a probability 0 where its coefficient is not 0)")
    for leaf in jax.tree_util.tree_leaves(gradients):
        if bool(jnp.any(jnp.isnan(leaf))):
            raise ValueError(where + ": a gradient is nan; expected real numbers")


# -- optimizers --------------------------------------------------------------------------------

def scale_by_root_sum_of_squares(eps: float) -> Any:
    """Adagrad's scaling in the protocol's form: G ← G + g², update = g/(√G + ε), G from 0.

    optax.scale_by_rss starts G at 0.1 and uses g/√(G + ε)."""

    def init(params: Any) -> Any:
        return jax.tree_util.tree_map(jnp.zeros_like, params)

    def update(updates: Any, total: Any, params: Any = None) -> Tuple[Any, Any]:
        total = jax.tree_util.tree_map(lambda g, s: s + g * g, updates, total)
        scaled = jax.tree_util.tree_map(lambda g, s: g / (jnp.sqrt(s) + eps), updates, total)
        return scaled, total

    return optax.GradientTransformation(init, update)


def optax_optimizer(name: str, h: Dict[str, float]) -> Any:
    """The optax optimizer for the protocol's rule, every option that changes the rule pinned."""
    if name == "sgd":
        return optax.sgd(h["lr"], momentum=h.get("momentum", 0.0), nesterov=False)
    if name == "adagrad":
        return optax.chain(scale_by_root_sum_of_squares(h.get("eps", 1e-10)), optax.scale_by_learning_rate(h["lr"]))
    if name == "rmsprop":
        return optax.rmsprop(h["lr"], decay=h.get("alpha", 0.99), eps=h.get("eps", 1e-8), initial_scale=0.0,
                             eps_in_sqrt=False, centered=False, momentum=None)
    if name == "adam":
        return optax.adam(h.get("lr", 0.001), b1=h.get("beta1", 0.9), b2=h.get("beta2", 0.999),
                          eps=h.get("eps", 1e-8), eps_root=0.0, nesterov=False)
    raise Unsupported("jax backend: no optimizer " + repr(name))


class JaxBackend(Backend):
    """The conformance suite's JAX backend (jax.grad/jax.vjp, jax.nn, jax.numpy, optax)."""

    name = "jax"

    def __init__(self, precision: str = "float64", device: str = "cpu") -> None:
        if precision not in ("float64", "float32"):
            raise ValueError("jax backend: precision must be 'float64' or 'float32', got " + repr(precision))
        self.precision = precision
        self.device = device
        self.jax_device = resolve_device(device)
        self.device_name = str(self.jax_device.device_kind)
        self.dtype: Any = jnp.float64 if precision == "float64" else jnp.float32
        self.notes = ["jax_enable_x64 on (set when the adapter is imported): float64 arrays are float64"]
        if self.jax_device.platform != "cpu":
            jax.config.update("jax_default_matmul_precision", "highest")  # type: ignore[no-untyped-call]
            self.notes.append("TF32 disabled for float32 matmuls (jax_default_matmul_precision = 'highest')")

    # -- plain data in and out ---------------------------------------------------------------

    def array(self, values: Any, dtype: Any = None) -> Array:
        """Plain numbers as an array of the chosen dtype (or `dtype`) on the chosen device."""
        return jnp.asarray(values, dtype=self.dtype if dtype is None else dtype, device=self.jax_device)

    def targets(self, loss_name: str, targets: Any) -> Array:
        """Integer class labels for the label losses, otherwise rows like the predictions."""
        if loss_name in LABEL_LOSSES:
            return self.array(targets, jnp.int64)
        return self.array(targets)

    def check_representable(self, numbers: Iterable[float], kinks: bool = True) -> None:
        """float32 only: raise Unsupported when an input float32 cannot hold changes the case
        (overflow to inf always; underflow to 0 where the function has a kink or pole at 0)."""
        if self.precision != "float32":
            return
        info = jnp.finfo(jnp.float32)  # type: ignore[no-untyped-call]  # jnp.finfo is unannotated
        largest, tiny = float(info.max), float(info.tiny)
        for x in numbers:
            if math.isfinite(x) and abs(x) > largest:
                raise Unsupported("input not representable in float32 (" + repr(x) + " overflows to inf)")
            if kinks and x != 0.0 and abs(x) < tiny:
                raise Unsupported("input not representable in float32 (" + repr(x) + " underflows to 0 "
                                  "where the function has a kink or a pole)")

    # -- graph ---------------------------------------------------------------------------------

    def graph(self, inputs: List[List[Any]], nodes: List[Dict[str, Any]]) -> Dict[str, Any]:
        kinks = any(node["op"] not in SMOOTH_OPS for node in nodes)
        self.check_representable((value for _, value in inputs), kinks)
        self.check_representable(_numbers([node["args"] for node in nodes]), kinks)
        names = [name for name, _ in inputs]

        def evaluate(leaves: List[Array], zeros: List[Array]) -> Tuple[Array, List[Array]]:
            """The output and every node's value; each node's value has its own zero added."""
            computed = self.node_values(names, leaves, nodes, zeros)
            return computed[-1], computed

        leaves = [self.array(value) for _, value in inputs]
        zeros = [self.array(0.0) for _ in nodes]
        (_, computed), (input_gradients, gradients) = jax.value_and_grad(evaluate, argnums=(0, 1), has_aux=True)(
            leaves, zeros)
        known = dict(zip(names, (float(value) for _, value in inputs)))
        for node, value in zip(nodes, computed):
            known[node["name"]] = float(value)
            check_graph_node(node, [known[a] if isinstance(a, str) else float(a) for a in node["args"]], float(value))
        result = {"values": [float(v) for v in computed], "gradients": [float(g) for g in gradients],
                  "input_gradients": [float(g) for g in input_gradients]}
        nan_input = any(math.isnan(float(value)) for _, value in inputs) or any(
            math.isnan(a) for a in _numbers([node["args"] for node in nodes]))
        if not nan_input and any(math.isnan(g) for g in result["gradients"] + result["input_gradients"]):
            raise ValueError("graph: jax's gradient is nan; expected real numbers")
        return result

    def node_values(self, names: List[str], leaves: List[Array], nodes: List[Dict[str, Any]],
                    zeros: "List[Array] | None" = None) -> List[Array]:
        """Every node's value, in order, from the inputs' values; `zeros[k]` is added to node k's."""
        for node in nodes:
            if node["op"] not in GRAPH_OPS:
                raise Unsupported("jax backend: no graph op " + repr(node["op"]))
        values = dict(zip(names, leaves))
        computed = []
        for k, node in enumerate(nodes):
            args = [values[a] if isinstance(a, str) else self.array(a) for a in node["args"]]
            value = GRAPH_OPS[node["op"]](args, node.get("attrs", {}))
            values[node["name"]] = value if zeros is None else value + zeros[k]
            computed.append(values[node["name"]])
        return computed

    # -- activations -------------------------------------------------------------------------

    def activation(self, name: str, x: List[float], upstream: List[float], attrs: Dict[str, Any]) -> Dict[str, Any]:
        self.check_representable(_numbers([x, upstream]), kinks=name not in SMOOTH_ACTIVATIONS)
        function = activation_function(name, attrs.get("alpha", 0.01))

        @jax.jit
        def forward_backward(z: Array, u: Array) -> Tuple[Array, Array]:
            y, vjp = jax.vjp(function, z)
            return y, vjp(u)[0]

        y, dx = forward_backward(self.array(x), self.array(upstream))
        return {"y": _plain(y), "dx": _plain(dx)}

    # -- losses --------------------------------------------------------------------------------

    def loss(self, name: str, predictions: List[List[float]], targets: Any, attrs: Dict[str, Any]) -> Dict[str, Any]:
        self.check_representable(_numbers([predictions, targets, attrs]), kinks=name not in SMOOTH_LOSSES)
        function, t = loss_function(name), self.targets(name, targets)
        check_targets(name, t)
        value, grad = jax.jit(jax.value_and_grad(lambda p: function(p, t, attrs)))(self.array(predictions))
        check_loss(name, value, grad, any(math.isnan(v) for v in _numbers([predictions, targets])))
        return {"loss": float(value), "dpredictions": _plain(grad)}

    # -- one dense layer -----------------------------------------------------------------------

    def dense(self, activation: str, weight: List[List[float]], bias: List[float], x: List[List[float]],
              upstream: List[List[float]], attrs: Dict[str, Any]) -> Dict[str, Any]:
        self.check_representable(_numbers([weight, bias, x, upstream, attrs]))
        act = activation_function(activation, attrs.get("alpha", 0.01))

        @jax.jit
        def forward_backward(xs: Array, w: Array, b: Array, u: Array) -> Tuple[Array, Tuple[Array, Array, Array]]:
            y, vjp = jax.vjp(lambda xs, w, b: act(xs @ w.T + b), xs, w, b)
            return y, vjp(u)

        y, (dx, dw, db) = forward_backward(self.array(x), self.array(weight), self.array(bias), self.array(upstream))
        return {"y": _plain(y), "dx": _plain(dx), "dweight": _plain(dw), "dbias": _plain(db)}

    # -- whole networks ------------------------------------------------------------------------

    def parameters(self, layers: List[Dict[str, Any]]) -> Params:
        return [{"weight": self.array(layer["weight"]), "bias": self.array(layer["bias"])} for layer in layers]

    def objective(self, layers: List[Dict[str, Any]], x: Array, targets: Array, loss: Dict[str, Any],
                  l2: float) -> Callable[[Params], Tuple[Array, Array]]:
        """params → (loss + c·ΣW² over the weight matrices, not the biases; the outputs)."""
        activations = [activation_function(layer["activation"], layer.get("alpha", 0.01)) for layer in layers]
        function, attrs = loss_function(loss["name"]), loss.get("attrs", {})
        check_targets(loss["name"], targets)

        def value(params: Params) -> Tuple[Array, Array]:
            a = x
            for act, layer in zip(activations, params):
                a = act(a @ layer["weight"].T + layer["bias"])
            total = function(a, targets, attrs)
            if l2:
                total = total + l2 * sum(jnp.sum(layer["weight"] ** 2) for layer in params)
            return total, a

        return value

    def network(self, layers: List[Dict[str, Any]], x: List[List[float]], targets: Any, loss: Dict[str, Any],
                l2: float) -> Dict[str, Any]:
        self.check_representable(_numbers([layers, x, targets, l2]))
        value = self.objective(layers, self.array(x), self.targets(loss["name"], targets), loss, l2)
        (total, outputs), grads = jax.jit(jax.value_and_grad(value, has_aux=True))(self.parameters(layers))
        check_finite("network loss " + loss["name"], total, grads)
        return {"outputs": _plain(outputs), "loss": float(total),
                "gradients": [{"weight": _plain(g["weight"]), "bias": _plain(g["bias"])} for g in grads]}

    # -- optimizers and training ---------------------------------------------------------------

    def optimizer(self, name: str, hyperparameters: Dict[str, float], params: List[float],
                  gradients: List[List[float]]) -> Dict[str, Any]:
        self.check_representable(_numbers([hyperparameters, params, gradients]))
        transform = optax_optimizer(name, hyperparameters)
        weights = self.array(params)
        state = transform.init(weights)
        history = []
        for step in gradients:
            updates, state = transform.update(self.array(step), state, weights)
            weights = optax.apply_updates(weights, updates)
            history.append(_plain(weights))
        return {"params": history}

    def training(self, layers: List[Dict[str, Any]], x: List[List[float]], targets: Any, loss: Dict[str, Any],
                 l2: float, optimizer: Dict[str, Any], steps: int) -> Dict[str, Any]:
        self.check_representable(_numbers([layers, x, targets, l2, optimizer]))
        value = self.objective(layers, self.array(x), self.targets(loss["name"], targets), loss, l2)
        transform = optax_optimizer(optimizer["name"], optimizer["hyperparameters"])

        @jax.jit
        def train_step(params: Params, state: Any) -> Tuple[Params, Any, Array, Params]:
            """One step: the loss before it, its gradients, and the updated parameters and state."""
            (total, _), grads = jax.value_and_grad(value, has_aux=True)(params)
            updates, state = transform.update(grads, state, params)
            return optax.apply_updates(params, updates), state, total, grads

        params = self.parameters(layers)
        state = transform.init(params)
        recorded = []
        for step in range(steps):
            params, state, total, grads = train_step(params, state)
            check_finite("training step " + str(step + 1) + ", loss " + loss["name"], total, grads)
            recorded.append(float(total))
        return {"losses": recorded,
                "layers": [{"weight": _plain(p["weight"]), "bias": _plain(p["bias"])} for p in params]}

    # -- the PRNG on jnp.uint64 (always 64-bit integers and float64) ----------------------------

    def prng_outputs(self, seed: int, count: int) -> Array:
        """The first `count` SplitMix64 outputs for `seed`, all at once: the k-th state is
        seed + (k + 1)·γ mod 2⁶⁴ (uint64 arithmetic wraps), and the output mixes that state."""
        steps = jnp.arange(1, count + 1, dtype=jnp.uint64, device=self.jax_device)
        z = self.array(int(seed) & MASK_64, jnp.uint64) + steps * jnp.uint64(GOLDEN_GAMMA)
        z = (z ^ (z >> 30)) * jnp.uint64(MIX_1)
        z = (z ^ (z >> 27)) * jnp.uint64(MIX_2)
        mixed: Array = z ^ (z >> 31)
        return mixed

    @staticmethod
    def prng_unit(u: Array) -> Array:
        """random() = (u >> 11)·2⁻⁵³ in float64: at most 53 bits, so exactly representable."""
        return (u >> 11).astype(jnp.float64) * TWO_TO_MINUS_53

    def prng_normal(self, u1_raw: Array, u2_raw: Array, mean: float, std: float) -> Array:
        """Box–Muller, cosine branch: u₁ = 1 − random() first, u₂ = random(); mean + std·√(−2 ln u₁)·cos(2π u₂)."""
        u1 = 1.0 - self.prng_unit(u1_raw)
        u2 = self.prng_unit(u2_raw)
        return mean + std * jnp.sqrt(-2.0 * jnp.log(u1)) * jnp.cos(2.0 * math.pi * u2)

    def prng(self, seed: int, draws: List[Dict[str, Any]]) -> Dict[str, Any]:
        needed = sum(2 if draw["kind"] == "normal" else 1 for draw in draws)
        outputs = self.prng_outputs(seed, needed)
        values: List[Any] = []
        k = 0
        for draw in draws:
            kind = draw["kind"]
            u = outputs[k]
            k += 1
            if kind == "u64":
                values.append("0x%016X" % int(u))
            elif kind == "random":
                values.append(float(self.prng_unit(u)))
            elif kind == "uniform":
                low, high = float(draw["low"]), float(draw["high"])
                values.append(float(low + (high - low) * self.prng_unit(u)))
            elif kind == "below":  # (u·n) >> 64 needs a 128-bit product: Python integers
                values.append((int(u) * int(draw["n"])) >> 64)
            elif kind == "normal":
                values.append(float(self.prng_normal(u, outputs[k], float(draw["mean"]), float(draw["std"]))))
                k += 1
            else:
                raise Unsupported("jax backend: unknown draw kind " + repr(kind))
        return {"values": values}

    def init(self, name: str, seed: int, fan_in: int, fan_out: int) -> Dict[str, Any]:
        """refnet's initialisers from the same stream, drawn row by row (fan_out × fan_in)."""
        count = fan_in * fan_out
        if name in ("uniform", "glorot_shallow", "glorot_deep"):
            if name == "uniform":
                limit = 0.01
            elif name == "glorot_shallow":
                limit = 1.0 / math.sqrt(fan_in)
            else:
                limit = math.sqrt(6.0) / math.sqrt(fan_in + fan_out)
            weight = -limit + (limit - -limit) * self.prng_unit(self.prng_outputs(seed, count))
        elif name in ("xavier_randn", "he_normal"):
            std = 1.0 / math.sqrt(fan_in) if name == "xavier_randn" else math.sqrt(2.0 / fan_in)
            pairs = self.prng_outputs(seed, 2 * count).reshape(count, 2)  # each normal takes two draws
            weight = self.prng_normal(pairs[:, 0], pairs[:, 1], 0.0, 1.0) * std
        else:
            raise Unsupported("jax backend: no initialiser " + repr(name))
        return {"weight": _plain(weight.reshape(fan_out, fan_in))}

    # -- learning-rate schedules (optax.schedules) ---------------------------------------------

    def schedule(self, name: str, hyperparameters: Dict[str, Any], steps: List[int]) -> Dict[str, Any]:
        h = hyperparameters  # Python floats: the rates are computed in float64, then rounded to the precision
        if name == "constant":
            rate = optax.schedules.constant_schedule(float(h["lr"]))
        elif name == "linear":  # (start − end)·(1 − min(k, K)/K) + end: optax's polynomial form, power 1
            rate = optax.schedules.linear_schedule(float(h["start"]), float(h["end"]), int(h["steps"]))
        elif name == "step":  # lr·γ^⌊k/step_size⌋: the first decay at k = step_size
            rate = optax.schedules.exponential_decay(float(h["lr"]), int(h["step_size"]), float(h["gamma"]),
                                                     staircase=True)
        else:
            raise Unsupported("jax backend: no schedule " + repr(name))
        return {"lr": [float(jnp.asarray(rate(k)).astype(self.dtype)) for k in steps]}

    # -- dropout with a given mask -------------------------------------------------------------

    def dropout(self, x: List[List[float]], mask: List[List[int]], p: float, upstream: List[List[float]]) -> Dict[str, Any]:
        self.check_representable(_numbers([x, upstream]), kinks=False)
        if not 0.0 <= p < 1.0:
            raise ValueError("dropout: p = " + repr(p) + "; expected 0 <= p < 1 (the survivors' scale is 1/(1 - p))")
        keep = self.array(mask, jnp.bool_)
        y, vjp = jax.vjp(lambda xs: jnp.where(keep, xs / (1.0 - p), 0.0), self.array(x))
        (dx,) = vjp(self.array(upstream))
        return {"y": _plain(y), "dx": _plain(dx)}

    # -- numeric gradients ---------------------------------------------------------------------

    def numeric_gradient(self, inputs: List[List[Any]], nodes: List[Dict[str, Any]], eps: float) -> Dict[str, Any]:
        kinks = any(node["op"] not in SMOOTH_OPS for node in nodes)
        self.check_representable([float(value) for _, value in inputs] + [eps], kinks)
        names = [name for name, _ in inputs]

        def f(xs: Array) -> Array:
            return self.node_values(names, [xs[i] for i in range(len(names))], nodes)[-1]

        point, step = self.array([value for _, value in inputs]), self.array(eps)
        moves = jnp.eye(len(names), dtype=self.dtype) * step  # row i moves input i by ε
        at_x = f(point)
        plus = jnp.stack([f(point + move) for move in moves])
        minus = jnp.stack([f(point - move) for move in moves])
        one_sided, central = (plus - at_x) / step, (plus - minus) / (2.0 * step)
        analytic = jax.grad(f)(point)
        scale = jnp.maximum(jnp.abs(analytic), jnp.abs(central))
        relative = jnp.where(scale == 0, 0.0, jnp.abs(analytic - central) / jnp.where(scale == 0, 1.0, scale))
        if bool(jnp.any(jnp.isnan(jnp.stack([one_sided, central, analytic])))):
            raise ValueError("numeric_gradient: a difference or the gradient is nan (no real value)")
        return {"one_sided": _plain(one_sided), "central": _plain(central), "analytic": _plain(analytic),
                "relative_error": _plain(relative)}


backend = JaxBackend
