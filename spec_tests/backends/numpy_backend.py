"""The NumPy adapter: every family written out by hand in NumPy, forward and backward.

    python -m spec_tests --backend numpy
    python -m spec_tests --backend numpy --precision float32

NumPy has arrays but no automatic differentiation, so this adapter is also a compact,
vectorised second implementation of the mathematics behind the suite. How each family maps
onto NumPy:

    graph        values are NumPy scalars of the chosen dtype; a tiny reverse mode walks the
                 node list backwards, multiplying each op's local derivatives
                 (`local_derivatives`) by the node's gradient and adding them into its
                 arguments' gradients (`accumulate`), so fan-in adds up.
    activation   elementwise f and f′ (`activation_forward`, `activation_slope`) and the
                 vector-Jacobian products of softmax and log-softmax in their stable forms.
    loss         each loss returns its value and ∂L/∂predictions together (`loss_<name>`).
    dense        004's matrix form with W stored out × in: Z = X·Wᵀ + b, dX = dZ·W,
                 dW = dZᵀ·X, db = Σ_batch dZ (`dense_forward`, `dense_backward`).
    network      the layers forward, the loss, then `dense_backward` layer by layer back.
    optimizer    one update rule per optimizer on whole arrays (`<name>_update`).
    training     the network's loss and gradients, then the optimizer, `steps` times.
    prng         SplitMix64 on np.uint64 arrays (wrapping arithmetic), every output of a
                 case in one vectorised call; the 128-bit product of below(n) in Python ints.
    init         refnet's initialisers from that stream, drawn row by row (out × in).
    schedule     each rule on an array of step numbers (`schedule_<name>`); the step rule's
                 exponent ⌊k / step_size⌋ is `step_decays`.
    dropout      y = x·m·s and dx = upstream·m·s with s = 1/(1 − p) (`dropout_scale`,
                 `dropout_forward`, `dropout_backward`).
    numeric_gradient  the graph's forward half (`graph_output`) at x ± ε·eᵢ in the chosen
                 dtype (`one_sided_difference`, `central_difference`), the graph family's
                 reverse mode for the analytic gradient, and `relative_errors`.

Precision: "float64" or "float32" picks the dtype of every array and scalar in the numeric
families; float32 inputs are rounded to float32 first and the arithmetic stays in float32.
prng and init are specified bit for bit on 64-bit integers and float64 (refnet/prng.py), so
they compute in float64 at either precision (their fixture tolerances are the same for both).
An input float32 cannot hold (1e-300 underflows to 0, 1e200 overflows to inf) changes the
question where the function has a kink or a pole at 0; such cases raise Unsupported with
"input not representable in float32" (smooth functions such as sigmoid and tanh of ±1e-300
are still checked: rounding to 0 moves their results by far less than the tolerance).

Where the mathematics has no value (log of a number ≤ 0, division by 0, a negative base to a
non-integer power, MAPE with a zero target) NumPy would return nan or inf with a warning; the
adapter checks first and raises, as the protocol asks. exp past the largest float is +inf
(value and gradient), as IEEE 754 says, with NumPy's overflow warning silenced. A nan input is
not a domain error: nan propagates through every op (max and relu included) and is returned.

Results cross the protocol as plain Python floats and lists (`.tolist()`, `float()`).
"""

import math
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

from spec_tests.protocol import Backend, Unsupported

Array = npt.NDArray[Any]
Layer = Dict[str, Any]  # {"weight": Array, "bias": Array, "activation": str, "alpha": float}

# SplitMix64's constants (refnet/prng.py), as unsigned 64-bit NumPy scalars.
GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)
MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
MIX_2 = np.uint64(0x94D049BB133111EB)
SHIFTS = {k: np.uint64(k) for k in (11, 27, 30, 31)}
TWO_TO_MINUS_53 = 2.0 ** -53

# Functions that are smooth at 0: an input that underflows to 0 in float32 barely moves them.
SMOOTH_OPS = frozenset(["add", "sub", "mul", "neg", "exp", "tanh", "sigmoid"])
SMOOTH_ACTIVATIONS = frozenset(["linear", "sigmoid", "tanh", "softmax", "log_softmax"])
SMOOTH_LOSSES = frozenset(["mse", "half_squared_error", "softmax_cross_entropy"])
LABEL_LOSSES = frozenset(["sparse_categorical_cross_entropy", "softmax_cross_entropy", "multiclass_hinge"])
ELEMENTWISE = frozenset(["linear", "sigmoid", "tanh", "relu", "leaky_relu", "step"])


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


def _is_integer(x: Any) -> bool:
    return bool(np.isfinite(x)) and float(x) == math.floor(float(x))


class NumpyBackend(Backend):
    """The conformance suite's NumPy backend: hand-written forward and backward passes.

    Each mathematical piece is its own small method, so a subclass can replace exactly one
    (a deliberately broken backend overrides one hook to inject one realistic bug):

        graph       op_value(op, args, attrs)                 an op's value (domain errors raise)
                    local_derivatives(op, args, value, attrs) ∂value/∂arg for every arg
                    accumulate(grads, name, g)                adds g into grads[name] (fan-in)
        activation  activation_forward(name, z, alpha)        f(z); softmax on the last axis
                    activation_slope(name, z, y, alpha)       f′(z) for an elementwise f, y = f(z)
                    activation_vjp(name, z, y, upstream, alpha)  Jᵀ·upstream
                    sigmoid(z), softmax(z), log_softmax(z)    stable forms
                    softmax_vjp(s, upstream), log_softmax_vjp(z, upstream)
        loss        loss_forward_backward(name, p, t, attrs)  dispatches to loss_<name>(p, t, attrs),
                    each returning (value, ∂L/∂p)
        dense       dense_forward(w, b, x)                    Z = X·Wᵀ + b
                    dense_backward(w, x, dz)                  (dX, dW, db)
        network     forward_pass(layers, x), backward_pass(layers, xs, zs, ys, upstream),
                    l2_penalty(weights, c), network_loss_and_gradients(...)
        optimizer   optimizer_update(name, state, w, g, t, h) dispatches to sgd_update,
                    adagrad_update, rmsprop_update, adam_update(state, w, g, t, h)
                    adam_moments(state, w, g, h)             Adam's m and v, kept in state
        prng        prng_next_u64(state)                      SplitMix64's step on uint64 arrays
                    prng_outputs(seed, count)                 the first `count` outputs
                    prng_unit(u), prng_below(u, n), prng_uniform(r, low, high),
                    prng_normal(u1, u2, mean, std)
        init        init_limit(name, fan_in, fan_out), init_std(name, fan_in)
        schedule    schedule_constant / schedule_linear / schedule_step(k, h) on an int array k,
                    step_decays(k, step_size)                 ⌊k / step_size⌋
        dropout     dropout_scale(p)                          1/(1 − p)
                    dropout_forward(x, mask, scale), dropout_backward(upstream, mask, scale)
        numeric_gradient  graph_output(names, xs, nodes)      f at a point (op_value node by node)
                    one_sided_difference(f, point, i, eps), central_difference(f, point, i, eps)
                    relative_errors(analytic, numeric)        |a − n| / max(|a|, |n|), 0 at 0/0
    """

    name = "numpy"

    def __init__(self, precision: str = "float64", device: str = "cpu") -> None:
        if precision not in ("float64", "float32"):
            raise ValueError("numpy backend: precision must be 'float64' or 'float32', got " + repr(precision))
        if device != "cpu":
            raise ValueError("numpy runs on the CPU; got device " + repr(device))
        self.precision = precision
        self.device = device
        self.dtype: Any = np.float64 if precision == "float64" else np.float32

    # -- plain data in and out ---------------------------------------------------------------

    def array(self, values: Any) -> Array:
        """Plain numbers (nested lists) as an array of the chosen dtype."""
        return np.asarray(values, dtype=self.dtype)

    def scalar(self, value: Any) -> Any:
        """A plain number as a NumPy scalar of the chosen dtype."""
        return self.dtype(value)

    def check_representable(self, numbers: Iterable[float], kinks: bool = True) -> None:
        """float32 only: raise Unsupported when an input float32 cannot hold changes the case.

        Overflow to ±inf always does. Underflow to 0 (or a subnormal) does where the function
        has a kink or a pole at 0 (`kinks`); smooth functions move by less than 1e-38.
        """
        if self.dtype is not np.float32:
            return
        tiny = float(np.finfo(np.float32).tiny)
        largest = float(np.finfo(np.float32).max)
        for x in numbers:
            if math.isfinite(x) and abs(x) > largest:
                raise Unsupported("input not representable in float32 (" + repr(x) + " overflows to inf)")
            if kinks and x != 0.0 and abs(x) < tiny:
                raise Unsupported("input not representable in float32 (" + repr(x) + " underflows to 0 "
                                  "where the function has a kink or a pole)")

    # -- graph ---------------------------------------------------------------------------------

    def graph(self, inputs: List[List[Any]], nodes: List[Dict[str, Any]]) -> Dict[str, Any]:
        self.check_representable((value for _, value in inputs),
                                 kinks=any(node["op"] not in SMOOTH_OPS for node in nodes))
        self.check_representable(_numbers([node["args"] for node in nodes]),
                                 kinks=any(node["op"] not in SMOOTH_OPS for node in nodes))
        values: Dict[str, Any] = {name: self.scalar(number) for name, number in inputs}
        slopes: List[List[Any]] = []
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            for node in nodes:
                args = [values[a] if isinstance(a, str) else self.scalar(a) for a in node["args"]]
                attrs = node.get("attrs", {})
                op = node["op"]
                if op == "pow" and isinstance(node["args"][1], str) and not args[0] > 0:
                    # ∂(aᵇ)/∂b = aᵇ·ln a has no real value for a ≤ 0 (refnet raises DomainError).
                    raise ValueError("pow: base " + repr(float(args[0])) + " with a node exponent; expected a base > 0")
                value = self.op_value(op, args, attrs)
                values[node["name"]] = value
                slopes.append(self.local_derivatives(op, args, value, attrs))
            # Reverse mode: every gradient starts at 0, the output's at 1; walk the nodes backwards.
            zero = self.scalar(0.0)
            grads: Dict[str, Any] = {name: zero for name in values}
            grads[nodes[-1]["name"]] = self.scalar(1.0)
            for node, local in zip(reversed(nodes), reversed(slopes)):
                upstream = grads[node["name"]]
                for arg, slope in zip(node["args"], local):
                    if isinstance(arg, str):
                        self.accumulate(grads, arg, slope * upstream)
        return {"values": [float(values[node["name"]]) for node in nodes],
                "gradients": [float(grads[node["name"]]) for node in nodes],
                "input_gradients": [float(grads[name]) for name, _ in inputs]}

    def accumulate(self, grads: Dict[str, Any], name: str, g: Any) -> None:
        """Add one use's gradient into a node's total: a node used twice gets both (fan-in)."""
        grads[name] = grads[name] + g

    def op_value(self, op: str, args: List[Any], attrs: Dict[str, Any]) -> Any:
        """One op's value on NumPy scalars; raises where the mathematics has no value."""
        if op == "add":
            return args[0] + args[1]
        if op == "sub":
            return args[0] - args[1]
        if op == "mul":
            return args[0] * args[1]
        if op == "div":
            if args[1] == 0:
                raise ZeroDivisionError("div: division by zero")
            return args[0] / args[1]
        if op == "neg":
            return -args[0]
        if op == "log":
            if not args[0] > 0 and not np.isnan(args[0]):  # nan in, nan out; a number <= 0 has no log
                raise ValueError("log of " + repr(float(args[0])) + ": expected a positive number")
            return np.log(args[0])
        if op == "pow":
            base, exponent = args
            if base < 0 and not _is_integer(exponent):
                raise ValueError("pow: negative base " + repr(float(base)) + " to the non-integer power "
                                 + repr(float(exponent)))
            if base == 0 and exponent < 0:
                raise ZeroDivisionError("pow: 0 to the negative power " + repr(float(exponent)))
            return np.power(base, exponent)
        if op == "max":
            return np.maximum(args[0], args[1])  # nan if either is nan, whichever side
        if op == "exp":
            return np.exp(args[0])  # +inf past the largest float (the caller silences the warning)
        if op == "abs":
            return np.abs(args[0])
        if op in ELEMENTWISE:
            return self.activation_forward(op, args[0], attrs.get("alpha", 0.01))
        raise Unsupported("numpy backend: no graph op " + repr(op))

    def local_derivatives(self, op: str, args: List[Any], value: Any, attrs: Dict[str, Any]) -> List[Any]:
        """∂value/∂arg for each argument (constants get one too; the walk ignores it)."""
        one, zero = self.scalar(1.0), self.scalar(0.0)
        if op == "add":
            return [one, one]
        if op == "sub":
            return [one, -one]
        if op == "mul":
            return [args[1], args[0]]
        if op == "div":
            return [one / args[1], -args[0] / (args[1] * args[1])]
        if op == "neg":
            return [-one]
        if op == "exp":
            return [value]
        if op == "log":
            return [one / args[0]]
        if op == "abs":
            return [np.sign(args[0])]  # 0 at 0 (the |x|′(0) = 0 convention)
        if op == "pow":
            base, exponent = args
            # ∂/∂a = b·aᵇ⁻¹ (0 when b = 0);  ∂/∂b = aᵇ·ln a (only a node exponent needs it; a > 0 then).
            # For a < 0 (b an integer) the sign comes from b's parity, not from b − 1, which rounds to
            # an even number once b ≥ 2⁵³: b·aᵇ⁻¹ = −b·|a|ᵇ⁻¹ for even b, +b·|a|ᵇ⁻¹ for odd b.
            if exponent == 0:
                slope_base = zero
            elif base < 0:
                magnitude = exponent * np.power(-base, exponent - one)
                slope_base = -magnitude if np.fmod(exponent, self.scalar(2.0)) == 0 else magnitude
            else:
                slope_base = exponent * np.power(base, exponent - one)
            slope_exponent = value * np.log(base) if base > 0 else zero
            return [slope_base, slope_exponent]
        if op == "max":
            if args[0] > args[1]:
                return [one, zero]
            if args[0] < args[1]:
                return [zero, one]
            half = self.scalar(0.5)
            return [half, half]  # a tie splits the gradient evenly
        if op in ELEMENTWISE:
            return [self.activation_slope(op, args[0], value, attrs.get("alpha", 0.01))]
        raise Unsupported("numpy backend: no graph op " + repr(op))

    # -- activations -------------------------------------------------------------------------

    def activation(self, name: str, x: List[float], upstream: List[float], attrs: Dict[str, Any]) -> Dict[str, Any]:
        self.check_representable(_numbers([x, upstream]), kinks=name not in SMOOTH_ACTIVATIONS)
        alpha = attrs.get("alpha", 0.01)
        z, u = self.array(x), self.array(upstream)
        with np.errstate(over="ignore", under="ignore"):
            y = self.activation_forward(name, z, alpha)
            dx = self.activation_vjp(name, z, y, u, alpha)
        return {"y": y.tolist(), "dx": dx.tolist()}

    def activation_forward(self, name: str, z: Any, alpha: float) -> Any:
        """f(z) elementwise, or softmax / log-softmax over the last axis."""
        if name == "linear":
            return z * self.scalar(1.0)
        if name == "sigmoid":
            return self.sigmoid(z)
        if name == "tanh":
            return np.tanh(z)
        if name == "relu":
            return np.where(z <= 0, self.scalar(0.0), z)  # nan stays nan
        if name == "leaky_relu":
            return np.where(z > 0, z, self.scalar(alpha) * z)
        if name == "step":
            return np.where(z >= 0, self.scalar(1.0), np.where(z < 0, self.scalar(0.0), z))  # step(0) = 1; nan stays nan
        if name == "softmax":
            return self.softmax(z)
        if name == "log_softmax":
            return self.log_softmax(z)
        raise Unsupported("numpy backend: no activation " + repr(name))

    def activation_slope(self, name: str, z: Any, y: Any, alpha: float) -> Any:
        """f′(z) for an elementwise activation, given y = f(z)."""
        one, zero = self.scalar(1.0), self.scalar(0.0)
        if name == "linear":
            return np.ones_like(z)
        if name == "sigmoid":
            # σ′ = σ(1 − σ) = e^−|z|/(1 + e^−|z|)²: y(1 − y) would be 0 once σ rounds to 1 (z > 36.7)
            e = np.exp(-np.abs(z))
            return e / ((one + e) * (one + e))
        if name == "tanh":
            # tanh′ = 1 − tanh² = 4e^−2|z|/(1 + e^−2|z|)²: 1 − y² would be 0 once tanh rounds to ±1 (|z| > 19.1)
            e = np.exp(self.scalar(-2.0) * np.abs(z))
            return self.scalar(4.0) * e / ((one + e) * (one + e))
        if name == "relu":
            return np.where(z > 0, one, zero)  # 0 at the kink
        if name == "leaky_relu":
            return np.where(z > 0, one, self.scalar(alpha))  # α at the kink
        if name == "step":
            return np.zeros_like(z)  # no gradient flows through a step
        raise Unsupported("numpy backend: no elementwise activation " + repr(name))

    def activation_vjp(self, name: str, z: Array, y: Array, upstream: Array, alpha: float) -> Array:
        """Jᵀ·upstream: the slope times upstream elementwise, or softmax's full Jacobian."""
        if name == "softmax":
            return self.softmax_vjp(y, upstream)
        if name == "log_softmax":
            return self.log_softmax_vjp(z, upstream)
        return self.activation_slope(name, z, y, alpha) * upstream  # type: ignore[no-any-return]

    def sigmoid(self, z: Any) -> Any:
        """σ(z) = 1/(1 + e⁻ᶻ) for z ≥ 0 and eᶻ/(1 + eᶻ) below: exp never overflows."""
        e = np.exp(-np.abs(z))
        one = self.scalar(1.0)
        return np.where(z >= 0, one / (one + e), e / (one + e))

    def softmax(self, z: Array) -> Array:
        """e^(z − max z) / Σ e^(z − max z) over the last axis (stable for logits of ±1000)."""
        e = np.exp(z - np.max(z, axis=-1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)  # type: ignore[no-any-return]

    def log_softmax(self, z: Array) -> Array:
        """z − max z − ln Σ e^(z − max z) over the last axis."""
        shifted = z - np.max(z, axis=-1, keepdims=True)
        return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))  # type: ignore[no-any-return]

    def softmax_vjp(self, s: Array, upstream: Array) -> Array:
        """Jᵀu for s = softmax(z): s ∗ (u − Σ s u)."""
        return s * (upstream - np.sum(s * upstream, axis=-1, keepdims=True))  # type: ignore[no-any-return]

    def log_softmax_vjp(self, z: Array, upstream: Array) -> Array:
        """Jᵀu for log-softmax: u − softmax(z) ∗ Σ u."""
        return upstream - self.softmax(z) * np.sum(upstream, axis=-1, keepdims=True)  # type: ignore[no-any-return]

    # -- losses --------------------------------------------------------------------------------

    def loss(self, name: str, predictions: List[List[float]], targets: Any, attrs: Dict[str, Any]) -> Dict[str, Any]:
        self.check_representable(_numbers([predictions, targets, attrs]), kinks=name not in SMOOTH_LOSSES)
        p, t = self.array(predictions), self.targets(name, targets)
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            value, grad = self.loss_forward_backward(name, p, t, attrs)
        return {"loss": float(value), "dpredictions": grad.tolist()}

    def targets(self, loss_name: str, targets: Any) -> Array:
        """Integer class labels for the label losses, otherwise rows like the predictions."""
        if loss_name in LABEL_LOSSES:
            return np.asarray(targets, dtype=np.int64)
        return self.array(targets)

    def loss_forward_backward(self, name: str, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(L, ∂L/∂p) for a batch p (rows = examples): dispatches to loss_<name>."""
        method = getattr(self, "loss_" + name, None)
        if method is None:
            raise Unsupported("numpy backend: no loss " + repr(name))
        return method(p, t, attrs)  # type: ignore[no-any-return]

    def batch_size(self, p: Array) -> Any:
        """n, the number of examples (rows), as a scalar of the chosen dtype."""
        return self.scalar(p.shape[0])

    def element_count(self, p: Array) -> Any:
        """m, the number of elements, as a scalar of the chosen dtype."""
        return self.scalar(p.size)

    def loss_mse(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(1/m) Σ (p − t)²;  ∂ = 2(p − t)/m."""
        m, d = self.element_count(p), p - t
        return np.sum(d * d) / m, self.scalar(2.0) * d / m

    def loss_mae(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(1/m) Σ |p − t|;  ∂ = sign(p − t)/m (0 at the kink)."""
        m, d = self.element_count(p), p - t
        return np.sum(np.abs(d)) / m, np.sign(d) / m

    def loss_mape(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(100/m) Σ |(t − p)/t|;  ∂ = 100 sign(p − t)/(|t| m). A zero target raises."""
        if np.any(t == 0):
            raise ZeroDivisionError("mape: a target is 0 (the percentage error divides by the target)")
        m, hundred = self.element_count(p), self.scalar(100.0)
        return hundred * np.sum(np.abs((t - p) / t)) / m, hundred * np.sign(p - t) / np.abs(t) / m

    def loss_half_squared_error(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(1/n) Σ_examples ½ Σ_j (t_j − p_j)²;  ∂ = (p − t)/n."""
        n, d = self.batch_size(p), p - t
        return np.sum(self.scalar(0.5) * d * d) / n, d / n

    def loss_binary_cross_entropy(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(1/m) Σ −[t ln p + (1 − t) ln(1 − p)], leaving out terms whose coefficient is 0."""
        one, m = self.scalar(1.0), self.element_count(p)
        positive, negative = t != 0, t != 1
        if np.any(positive & (p <= 0)) or np.any(negative & (p >= 1)):
            raise ValueError("binary_cross_entropy: ln of a probability ≤ 0 where its coefficient is not 0")
        p_pos = np.where(positive, p, one)  # 1 where the term is left out: ln 1 = 0, no 0/0
        q_neg = np.where(negative, one - p, one)
        terms = t * np.log(p_pos) + (one - t) * np.log(q_neg)
        grad = np.where(positive, -t / p_pos, 0) + np.where(negative, (one - t) / q_neg, 0)
        return -np.sum(terms) / m, grad / m

    def loss_categorical_cross_entropy(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(1/n) Σ −Σ_j t_j ln p_j (0·ln 0 = 0);  ∂ = −t/(p n)."""
        one, n = self.scalar(1.0), self.batch_size(p)
        used = t != 0
        if np.any(used & (p <= 0)):
            raise ValueError("categorical_cross_entropy: probability 0 where the target is not 0")
        p_used = np.where(used, p, one)
        return -np.sum(t * np.log(p_used)) / n, np.where(used, -t / p_used, 0) / n

    def loss_sparse_categorical_cross_entropy(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(1/n) Σ −ln p_y;  ∂ = −1/(p_y n) at the label, 0 elsewhere."""
        n, rows = self.batch_size(p), np.arange(p.shape[0])
        chosen = p[rows, t]
        if np.any(chosen <= 0):
            raise ValueError("sparse_categorical_cross_entropy: probability 0 at the label")
        grad = np.zeros_like(p)
        grad[rows, t] = -self.scalar(1.0) / chosen / n
        return -np.sum(np.log(chosen)) / n, grad

    def loss_softmax_cross_entropy(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(1/n) Σ −log_softmax(s)_y on logits;  ∂ = (softmax(s) − onehot(y))/n."""
        n, rows = self.batch_size(p), np.arange(p.shape[0])
        grad = self.softmax(p)
        grad[rows, t] -= self.scalar(1.0)
        return -np.sum(self.log_softmax(p)[rows, t]) / n, grad / n

    def loss_multiclass_hinge(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(1/n) Σ Σ_{j≠y} max(0, s_j − s_y + margin); a term exactly at 0 has gradient 0."""
        n, rows = self.batch_size(p), np.arange(p.shape[0])
        terms = p - p[rows, t][:, None] + self.scalar(attrs.get("margin", 1.0))
        active = terms > 0
        active[rows, t] = False
        grad = active.astype(self.dtype)
        grad[rows, t] = -np.sum(grad, axis=1)
        return np.sum(np.where(active, terms, 0)) / n, grad / n

    def loss_binary_hinge(self, p: Array, t: Array, attrs: Dict[str, Any]) -> Tuple[Any, Array]:
        """(1/m) Σ max(0, 1 − t s), t = ±1;  ∂ = −t/m where the term is positive."""
        m = self.element_count(p)
        margins = self.scalar(1.0) - t * p
        active = margins > 0
        return np.sum(np.where(active, margins, 0)) / m, np.where(active, -t, 0) / m

    # -- one dense layer -----------------------------------------------------------------------

    def dense(self, activation: str, weight: List[List[float]], bias: List[float], x: List[List[float]],
              upstream: List[List[float]], attrs: Dict[str, Any]) -> Dict[str, Any]:
        self.check_representable(_numbers([weight, bias, x, upstream, attrs]))
        alpha = attrs.get("alpha", 0.01)
        w, b, xs, u = self.array(weight), self.array(bias), self.array(x), self.array(upstream)
        with np.errstate(over="ignore", under="ignore"):
            z = self.dense_forward(w, b, xs)
            y = self.activation_forward(activation, z, alpha)
            dz = self.activation_vjp(activation, z, y, u, alpha)
            dx, dw, db = self.dense_backward(w, xs, dz)
        return {"y": y.tolist(), "dx": dx.tolist(), "dweight": dw.tolist(), "dbias": db.tolist()}

    def dense_forward(self, w: Array, b: Array, x: Array) -> Array:
        """Z = X·Wᵀ + b: x is batch × in, W out × in (row j = receiving unit)."""
        return x @ w.T + b

    def dense_backward(self, w: Array, x: Array, dz: Array) -> Tuple[Array, Array, Array]:
        """004's matrix form, W out × in: dX = dZ·W, dW = dZᵀ·X, db = Σ over the batch of dZ."""
        return dz @ w, dz.T @ x, np.sum(dz, axis=0)

    # -- whole networks ------------------------------------------------------------------------

    def layers_from(self, specification: List[Dict[str, Any]]) -> List[Layer]:
        return [{"weight": self.array(layer["weight"]), "bias": self.array(layer["bias"]),
                 "activation": layer["activation"], "alpha": layer.get("alpha", 0.01)} for layer in specification]

    def forward_pass(self, layers: List[Layer], x: Array) -> Tuple[List[Array], List[Array], List[Array]]:
        """Each layer's input, net input Z and output, first to last."""
        inputs, nets, outputs = [], [], []
        a = x
        for layer in layers:
            z = self.dense_forward(layer["weight"], layer["bias"], a)
            y = self.activation_forward(layer["activation"], z, layer["alpha"])
            inputs.append(a)
            nets.append(z)
            outputs.append(y)
            a = y
        return inputs, nets, outputs

    def backward_pass(self, layers: List[Layer], inputs: List[Array], nets: List[Array], outputs: List[Array],
                      upstream: Array) -> List[Tuple[Array, Array]]:
        """(dW, db) for every layer, from ∂L/∂(last output), last layer first then reversed."""
        gradients: List[Tuple[Array, Array]] = []
        for k in range(len(layers) - 1, -1, -1):
            layer = layers[k]
            dz = self.activation_vjp(layer["activation"], nets[k], outputs[k], upstream, layer["alpha"])
            upstream, dw, db = self.dense_backward(layer["weight"], inputs[k], dz)
            gradients.append((dw, db))
        gradients.reverse()
        return gradients

    def l2_penalty(self, weights: Sequence[Array], c: Any) -> Tuple[Any, List[Array]]:
        """c·ΣW² over the weight matrices (not the biases) and its gradients 2cW."""
        c = self.scalar(c)
        value = self.scalar(0.0)
        for w in weights:
            value = value + np.sum(w * w)
        return c * value, [self.scalar(2.0) * c * w for w in weights]

    def network_loss_and_gradients(self, layers: List[Layer], x: Array, targets: Array, loss: Dict[str, Any],
                                   l2: float) -> Tuple[Array, Any, List[Tuple[Array, Array]]]:
        """(outputs, loss with its L2 term, [(dW, db) per layer])."""
        inputs, nets, outputs = self.forward_pass(layers, x)
        value, upstream = self.loss_forward_backward(loss["name"], outputs[-1], targets, loss.get("attrs", {}))
        gradients = self.backward_pass(layers, inputs, nets, outputs, upstream)
        if l2:
            penalty, extra = self.l2_penalty([layer["weight"] for layer in layers], l2)
            value = value + penalty
            gradients = [(dw + e, db) for (dw, db), e in zip(gradients, extra)]
        return outputs[-1], value, gradients

    def network(self, layers: List[Dict[str, Any]], x: List[List[float]], targets: Any, loss: Dict[str, Any],
                l2: float) -> Dict[str, Any]:
        self.check_representable(_numbers([layers, x, targets, l2]))
        model = self.layers_from(layers)
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            outputs, value, gradients = self.network_loss_and_gradients(
                model, self.array(x), self.targets(loss["name"], targets), loss, l2)
        return {"outputs": outputs.tolist(), "loss": float(value),
                "gradients": [{"weight": dw.tolist(), "bias": db.tolist()} for dw, db in gradients]}

    # -- optimizers ----------------------------------------------------------------------------

    def optimizer(self, name: str, hyperparameters: Dict[str, float], params: List[float],
                  gradients: List[List[float]]) -> Dict[str, Any]:
        self.check_representable(_numbers([hyperparameters, params, gradients]))
        w = self.array(params)
        state: Dict[str, Any] = {}
        history = []
        with np.errstate(under="ignore"):
            for t, g in enumerate(gradients, start=1):
                w = self.optimizer_update(name, state, w, self.array(g), t, hyperparameters)
                history.append(w.tolist())
        return {"params": history}

    def optimizer_update(self, name: str, state: Dict[str, Any], w: Array, g: Array, t: int,
                         h: Dict[str, float]) -> Array:
        """One step (t = 1, 2, …) on one parameter array; `state` persists between steps."""
        method = getattr(self, name + "_update", None)
        if method is None:
            raise Unsupported("numpy backend: no optimizer " + repr(name))
        return method(state, w, g, t, h)  # type: ignore[no-any-return]

    def sgd_update(self, state: Dict[str, Any], w: Array, g: Array, t: int, h: Dict[str, float]) -> Array:
        """PyTorch's velocity form: v ← ρv + g, w ← w − ηv (v starts at 0, so v₁ = g)."""
        v = self.scalar(h.get("momentum", 0.0)) * state.get("velocity", np.zeros_like(w)) + g
        state["velocity"] = v
        return w - self.scalar(h["lr"]) * v  # type: ignore[no-any-return]

    def adagrad_update(self, state: Dict[str, Any], w: Array, g: Array, t: int, h: Dict[str, float]) -> Array:
        """G ← G + g², w ← w − η g/(√G + ε) (ε outside the root, G starts at 0)."""
        total = state.get("sum", np.zeros_like(w)) + g * g
        state["sum"] = total
        return w - self.scalar(h["lr"]) * g / (np.sqrt(total) + self.scalar(h.get("eps", 1e-10)))  # type: ignore[no-any-return]

    def rmsprop_update(self, state: Dict[str, Any], w: Array, g: Array, t: int, h: Dict[str, float]) -> Array:
        """s ← αs + (1 − α)g², w ← w − η g/(√s + ε)."""
        alpha = self.scalar(h.get("alpha", 0.99))
        s = alpha * state.get("square_avg", np.zeros_like(w)) + (self.scalar(1.0) - alpha) * g * g
        state["square_avg"] = s
        return w - self.scalar(h["lr"]) * g / (np.sqrt(s) + self.scalar(h.get("eps", 1e-8)))  # type: ignore[no-any-return]

    def adam_moments(self, state: Dict[str, Any], w: Array, g: Array, h: Dict[str, float]) -> Tuple[Array, Array]:
        """Adam's running moments, kept in `state`: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²."""
        one = self.scalar(1.0)
        beta1, beta2 = self.scalar(h.get("beta1", 0.9)), self.scalar(h.get("beta2", 0.999))
        m = beta1 * state.get("m", np.zeros_like(w)) + (one - beta1) * g
        v = beta2 * state.get("v", np.zeros_like(w)) + (one - beta2) * g * g
        state["m"], state["v"] = m, v
        return m, v

    def adam_update(self, state: Dict[str, Any], w: Array, g: Array, t: int, h: Dict[str, float]) -> Array:
        """The moments (adam_moments), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), w ← w − η m̂/(√v̂ + ε)."""
        one = self.scalar(1.0)
        beta1, beta2 = self.scalar(h.get("beta1", 0.9)), self.scalar(h.get("beta2", 0.999))
        m, v = self.adam_moments(state, w, g, h)
        m_hat = m / (one - beta1 ** t)
        v_hat = v / (one - beta2 ** t)
        return w - self.scalar(h.get("lr", 0.001)) * m_hat / (np.sqrt(v_hat) + self.scalar(h.get("eps", 1e-8)))  # type: ignore[no-any-return]

    # -- training ------------------------------------------------------------------------------

    def training(self, layers: List[Dict[str, Any]], x: List[List[float]], targets: Any, loss: Dict[str, Any],
                 l2: float, optimizer: Dict[str, Any], steps: int) -> Dict[str, Any]:
        self.check_representable(_numbers([layers, x, targets, l2, optimizer]))
        model = self.layers_from(layers)
        xs, ts = self.array(x), self.targets(loss["name"], targets)
        name, h = optimizer["name"], optimizer["hyperparameters"]
        states: List[Dict[str, Any]] = [{} for _ in range(2 * len(model))]  # one per W and per b
        recorded = []
        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            for t in range(1, steps + 1):
                _, value, gradients = self.network_loss_and_gradients(model, xs, ts, loss, l2)
                recorded.append(float(value))
                for k, (layer, (dw, db)) in enumerate(zip(model, gradients)):
                    layer["weight"] = self.optimizer_update(name, states[2 * k], layer["weight"], dw, t, h)
                    layer["bias"] = self.optimizer_update(name, states[2 * k + 1], layer["bias"], db, t, h)
        return {"losses": recorded,
                "layers": [{"weight": layer["weight"].tolist(), "bias": layer["bias"].tolist()} for layer in model]}

    # -- the PRNG (always 64-bit integers and float64) -----------------------------------------

    def prng_next_u64(self, state: Any) -> Tuple[Any, Any]:
        """SplitMix64's step on np.uint64 (a scalar or an array of states): (new state, output).

        All arithmetic wraps mod 2⁶⁴; `>>` on unsigned integers is the logical shift."""
        with np.errstate(over="ignore"):
            state = state + GOLDEN_GAMMA
            z = state
            z = (z ^ (z >> SHIFTS[30])) * MIX_1
            z = (z ^ (z >> SHIFTS[27])) * MIX_2
            return state, z ^ (z >> SHIFTS[31])

    def prng_outputs(self, seed: int, count: int) -> Array:
        """The first `count` outputs for `seed`, in one vectorised step: the k-th state before
        its step is seed + k·γ (mod 2⁶⁴), so every output comes from one array of states."""
        start = np.uint64(int(seed) % (1 << 64))
        with np.errstate(over="ignore"):
            before = start + GOLDEN_GAMMA * np.arange(count, dtype=np.uint64)
        _, outputs = self.prng_next_u64(before)
        return outputs  # type: ignore[no-any-return]

    def prng_unit(self, u: Any) -> Any:
        """random() = (u >> 11)·2⁻⁵³: a float64 in [0, 1), exact (53 bits)."""
        return np.asarray(u >> SHIFTS[11]).astype(np.float64) * TWO_TO_MINUS_53

    def prng_below(self, u: Any, n: int) -> int:
        """below(n) = (u·n) >> 64, the 128-bit product in Python integers (NumPy has no uint128)."""
        return (int(u) * int(n)) >> 64

    def prng_uniform(self, r: Any, low: float, high: float) -> Any:
        """low + (high − low)·r, in float64 (the same two roundings as refnet)."""
        return np.float64(low) + (np.float64(high) - np.float64(low)) * r

    def prng_normal(self, u1_raw: Any, u2_raw: Any, mean: float, std: float) -> Any:
        """Box–Muller, cosine branch: u₁ = 1 − random() (drawn first), u₂ = random();
        mean + std·√(−2 ln u₁)·cos(2π u₂)."""
        u1 = 1.0 - self.prng_unit(u1_raw)
        u2 = self.prng_unit(u2_raw)
        return np.float64(mean) + np.float64(std) * np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)

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
                values.append(float(self.prng_uniform(self.prng_unit(u), draw["low"], draw["high"])))
            elif kind == "below":
                values.append(self.prng_below(u, draw["n"]))
            elif kind == "normal":
                values.append(float(self.prng_normal(u, outputs[k], draw["mean"], draw["std"])))
                k += 1
            else:
                raise Unsupported("numpy backend: unknown draw kind " + repr(kind))
        return {"values": values}

    # -- initialisers --------------------------------------------------------------------------

    def init_limit(self, name: str, fan_in: int, fan_out: int) -> Optional[float]:
        """The half-width of a uniform initialiser, or None for a normal one."""
        if name == "uniform":
            return 0.01
        if name == "glorot_shallow":
            return 1.0 / math.sqrt(fan_in)
        if name == "glorot_deep":
            return math.sqrt(6.0) / math.sqrt(fan_in + fan_out)
        return None

    def init_std(self, name: str, fan_in: int) -> float:
        """The scale of a normal initialiser: N(0, 1)·std."""
        if name == "xavier_randn":
            return 1.0 / math.sqrt(fan_in)
        if name == "he_normal":
            return math.sqrt(2.0 / fan_in)
        raise Unsupported("numpy backend: no initialiser " + repr(name))

    def init(self, name: str, seed: int, fan_in: int, fan_out: int) -> Dict[str, Any]:
        count = fan_in * fan_out
        limit = self.init_limit(name, fan_in, fan_out)
        if limit is not None:
            r = self.prng_unit(self.prng_outputs(seed, count))
            weight = self.prng_uniform(r, -limit, limit)
        else:
            std = self.init_std(name, fan_in)
            pairs = self.prng_outputs(seed, 2 * count).reshape(count, 2)  # each normal takes two draws
            weight = self.prng_normal(pairs[:, 0], pairs[:, 1], 0.0, 1.0) * std
        return {"weight": np.asarray(weight).reshape(fan_out, fan_in).tolist()}  # drawn row by row

    # -- learning-rate schedules ---------------------------------------------------------------

    def schedule(self, name: str, hyperparameters: Dict[str, Any], steps: List[int]) -> Dict[str, Any]:
        method = getattr(self, "schedule_" + name, None)
        if method is None:
            raise Unsupported("numpy backend: no schedule " + repr(name))
        k = np.asarray(steps, dtype=np.int64)
        return {"lr": np.broadcast_to(method(k, hyperparameters), k.shape).astype(self.dtype).tolist()}

    def schedule_constant(self, k: Array, h: Dict[str, Any]) -> Any:
        """η at every step."""
        return self.scalar(h["lr"])

    def schedule_linear(self, k: Array, h: Dict[str, Any]) -> Any:
        """η₀ + (η₁ − η₀)·min(k, K)/K: `end` from step K on."""
        start, end = self.scalar(h["start"]), self.scalar(h["end"])
        return start + (end - start) * (np.minimum(k, h["steps"]).astype(self.dtype) / self.scalar(h["steps"]))

    def schedule_step(self, k: Array, h: Dict[str, Any]) -> Any:
        """η·γⁿ with n = step_decays(k, step_size)."""
        return self.scalar(h["lr"]) * self.scalar(h["gamma"]) ** self.step_decays(k, h["step_size"]).astype(self.dtype)

    def step_decays(self, k: Array, step_size: int) -> Array:
        """How many times the rate has decayed before step k: ⌊k / step_size⌋ (the first at k = step_size)."""
        return k // step_size

    # -- dropout with a given mask -------------------------------------------------------------

    def dropout(self, x: List[List[float]], mask: List[List[int]], p: float, upstream: List[List[float]]) -> Dict[str, Any]:
        self.check_representable(_numbers([x, upstream]), kinks=False)
        if not 0.0 <= p < 1.0:
            raise ValueError("dropout: p = " + repr(p) + "; expected 0 <= p < 1 (the survivors' scale is 1/(1 - p))")
        keep, scale = self.array(mask), self.dropout_scale(p)
        with np.errstate(over="ignore", under="ignore"):
            return {"y": self.dropout_forward(self.array(x), keep, scale).tolist(),
                    "dx": self.dropout_backward(self.array(upstream), keep, scale).tolist()}

    def dropout_scale(self, p: float) -> Any:
        """1/(1 − p): inverted dropout scales the survivors so that the expected output is the input."""
        return self.scalar(1.0) / (self.scalar(1.0) - self.scalar(p))

    def dropout_forward(self, x: Array, mask: Array, scale: Any) -> Array:
        """y = x·m·scale."""
        return x * mask * scale  # type: ignore[no-any-return]

    def dropout_backward(self, upstream: Array, mask: Array, scale: Any) -> Array:
        """dx = upstream·m·scale: the gradient passes where the value passed, scaled alike."""
        return upstream * mask * scale  # type: ignore[no-any-return]

    # -- numeric gradients ---------------------------------------------------------------------

    def numeric_gradient(self, inputs: List[List[Any]], nodes: List[Dict[str, Any]], eps: float) -> Dict[str, Any]:
        kinks = any(node["op"] not in SMOOTH_OPS for node in nodes)
        self.check_representable([value for _, value in inputs] + [eps], kinks)
        names = [name for name, _ in inputs]
        point = [self.scalar(value) for _, value in inputs]
        step = self.scalar(eps)

        def f(xs: List[Any]) -> Any:
            return self.graph_output(names, xs, nodes)

        with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
            one_sided = self.array([self.one_sided_difference(f, point, i, step) for i in range(len(point))])
            central = self.array([self.central_difference(f, point, i, step) for i in range(len(point))])
            analytic = self.array(self.graph(inputs, nodes)["input_gradients"])
            relative = self.relative_errors(analytic, central)
        return {"one_sided": one_sided.tolist(), "central": central.tolist(), "analytic": analytic.tolist(),
                "relative_error": relative.tolist()}

    def graph_output(self, names: List[str], xs: List[Any], nodes: List[Dict[str, Any]]) -> Any:
        """The output of the expression graph at the point xs (the forward half of graph)."""
        values: Dict[str, Any] = dict(zip(names, xs))
        for node in nodes:
            args = [values[a] if isinstance(a, str) else self.scalar(a) for a in node["args"]]
            values[node["name"]] = self.op_value(node["op"], args, node.get("attrs", {}))
        return values[nodes[-1]["name"]]

    @staticmethod
    def moved(point: List[Any], i: int, delta: Any) -> List[Any]:
        """The point with input i moved by delta, the others held."""
        return point[:i] + [point[i] + delta] + point[i + 1:]

    def one_sided_difference(self, f: Callable[[List[Any]], Any], point: List[Any], i: int, eps: Any) -> Any:
        """(f(x + ε·eᵢ) − f(x)) / ε."""
        return (f(self.moved(point, i, eps)) - f(point)) / eps

    def central_difference(self, f: Callable[[List[Any]], Any], point: List[Any], i: int, eps: Any) -> Any:
        """(f(x + ε·eᵢ) − f(x − ε·eᵢ)) / (2ε)."""
        return (f(self.moved(point, i, eps)) - f(self.moved(point, i, -eps))) / (self.scalar(2.0) * eps)

    def relative_errors(self, analytic: Array, numeric: Array) -> Array:
        """|a − n| / max(|a|, |n|) entry by entry, 0 where both are 0."""
        scale = np.maximum(np.abs(analytic), np.abs(numeric))
        ratio = np.abs(analytic - numeric) / np.where(scale == 0, 1, scale)
        return np.where(scale == 0, self.scalar(0.0), ratio)  # type: ignore[no-any-return]


backend = NumpyBackend
