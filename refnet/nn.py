"""Neurons, layers and multi-layer perceptrons built from Values.

A neuron computes y = f(w·x + b) (001_251e29975c1497b8.txt); a layer of them computes
y = f(Wx + b) with the weight matrix written w_ji: row j is the receiving unit, column i the
sending unit (000_f9a23462f49faea1.txt), and biases kept apart from W. An MLP chains layers:
h₁ = f₁(W₁x + b₁), h₂ = f₂(W₂h₁ + b₂), … (001).

Layers always return lists, even of one value; model.batch(xs) gives [model(x) for x in xs],
the same nodes, faster (each weight is read once per batch). Every module offers parameters(),
zero_grad(), train()/eval() and state_dict()/load_state_dict(), the state being plain JSON-able
data: {"weight": [[…], …], "bias": […]} for a layer, keys "layers.0.weight", … for an MLP.
save(model, path) writes an MLP, Layer or Neuron to a JSON file with what rebuilds it; load(path)
rebuilds it, load(path, into=model) fills a model of the same architecture (see "Saving and loading").
"""

import errno
import json
import math
import os

from refnet import functional as F
from refnet import init as initialisers
from refnet._checks import (as_bool, as_finite, as_float, as_float_list, as_int, as_list, as_matrix, as_text,
                            in_range, shown)
from refnet.errors import InputError, RefnetError, ShapeError
from refnet.prng import PRNG, check_rng
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

    Number = Union[int, float]
    Input = Sequence[Union[Value, int, float]]
    Structure = Union[Value, List[Value], List[List[Value]]]
    ReadInput = Tuple[Tuple[Value, ...], Tuple[float, ...], Optional[List[int]]]

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu")


def check_activation(name: "Any", where: str) -> str:
    """`name` if it is a known activation; otherwise InputError listing the known ones."""
    if name not in ACTIVATIONS:
        raise InputError(f"{where}: unknown activation {name!r}; expected one of {', '.join(ACTIVATIONS)}")
    return str(name)


def activate(net_input: Value, activation: str, alpha: float = 0.01) -> Value:
    """f(net input) for the activation called `activation` (`alpha`: leaky ReLU's negative slope)."""
    if not isinstance(net_input, Value):
        raise InputError(f"activate(net_input): expected a Value, got {shown(net_input)}")
    check_activation(activation, "activate(activation)")
    if activation == "leaky_relu":
        alpha = as_finite(alpha, "activate(alpha)")
    if activation == "sigmoid":
        return net_input.sigmoid()
    if activation == "tanh":
        return net_input.tanh()
    if activation == "relu":
        return net_input.relu()
    if activation == "leaky_relu":
        return net_input.leaky_relu(alpha)
    return net_input


def _linear_and_slope(net: float) -> "Tuple[float, float]":
    return net, 1.0


def _sigmoid_and_slope(net: float) -> "Tuple[float, float]":
    return F.sigmoid(net), F.sigmoid_derivative(net)  # σ′ from e^{−|net|}: not 0 where σ rounds to 1


def _tanh_and_slope(net: float) -> "Tuple[float, float]":
    return F.tanh(net), F.tanh_derivative(net)  # tanh′ from e^{−2|net|}: not 0 where tanh rounds to ±1


def _relu_and_slope(net: float) -> "Tuple[float, float]":
    # F.relu and F.relu_derivative in one test (ReLU′(0) = 0); the fused neuron calls this most
    if net > 0.0:
        return net, 1.0
    return (0.0, 0.0) if net <= 0.0 else (net, net)  # nan: nan value and slope


def _leaky_relu_and_slope(net: float) -> "Tuple[float, float]":
    return F.leaky_relu(net, 0.01), F.leaky_relu_derivative(net, 0.01)


def _leaky_relu_with_slope(alpha: float) -> "Callable[[float], Tuple[float, float]]":
    """(f(net), f′(net)) of leaky ReLU with the negative slope `alpha` (f′(0) = α)."""
    def leaky_relu_and_slope(net: float) -> "Tuple[float, float]":
        return F.leaky_relu(net, alpha), F.leaky_relu_derivative(net, alpha)
    return leaky_relu_and_slope


ACTIVATION_AND_SLOPE = {"linear": _linear_and_slope, "sigmoid": _sigmoid_and_slope, "tanh": _tanh_and_slope,
                        "relu": _relu_and_slope, "leaky_relu": _leaky_relu_and_slope}


def activation_and_slope(net: float, activation: str, alpha: float = 0.01) -> "Tuple[float, float]":
    """(f(net), f′(net)) for the activation called `activation`, on plain floats."""
    net = as_float(net, "activation_and_slope(net)")
    check_activation(activation, "activation_and_slope(activation)")
    if activation == "leaky_relu":
        alpha = as_finite(alpha, "activation_and_slope(alpha)")
    if activation == "leaky_relu":
        return _leaky_relu_with_slope(alpha)(net)
    return ACTIVATION_AND_SLOPE[activation](net)


def _read_inputs(x: "Input", where: str) -> "ReadInput":
    """A fused neuron's inputs: (the Values among them; every input as a number, followed by the
    bias's constant input 1; the positions of the Values, or None when all inputs are Values)."""
    values = tuple([x_i for x_i in x if isinstance(x_i, Value)])
    if len(values) == len(x):
        return values, tuple([x_i.data for x_i in values] + [1.0]), None
    numbers = [x_i.data if isinstance(x_i, Value) else as_float(x_i, where) for x_i in x]
    return values, tuple(numbers + [1.0]), [i for i, x_i in enumerate(x) if isinstance(x_i, Value)]


def numbers(structure: "Any") -> "Any":
    """The floats inside a Value or a (nested) list of Values, in the same shape; anything else
    as it is. Keeps the numbers and lets the graph go (state_dict(), train.fit)."""
    if isinstance(structure, Value):
        return structure.data
    if isinstance(structure, list):
        return [numbers(item) for item in structure]
    return structure


def _pair_up(target: "Structure", given: "Any", where: str, pairs: "List[Tuple[Value, float]]") -> None:
    """Check that `given` has the shape of `target`, collecting (Value, new float) pairs."""
    if isinstance(target, Value):
        pairs.append((target, as_float(given, where)))
        return
    if not isinstance(given, (list, tuple)):
        raise ShapeError(f"{where}: expected a list of {len(target)} items, got {type(given).__name__}")
    if len(given) != len(target):
        raise ShapeError(f"{where}: expected {len(target)} items, got {len(given)}")
    for index in range(len(target)):
        part: "Structure" = target[index]
        _pair_up(part, given[index], f"{where}[{index}]", pairs)


def softmax(logits: "Sequence[Value]") -> "List[Value]":
    """pᵢ = e^{zᵢ} / Σⱼ e^{zⱼ} over a layer's outputs (001), stable; ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ).

    Each pᵢ is one node depending on every zⱼ. For training on class labels prefer
    losses.softmax_cross_entropy on the logits: one fused node, finite for any logits.
    """
    if not isinstance(logits, (list, tuple)) or len(logits) == 0:
        if isinstance(logits, (list, tuple)):
            raise ShapeError("softmax(logits): expected a non-empty list of Values, got an empty one")
        raise InputError(f"softmax(logits): expected a non-empty list of Values, got {shown(logits)}")
    for index, value in enumerate(logits):
        if not isinstance(value, Value):
            raise InputError(f"softmax(logits)[{index}]: expected a Value, got {shown(value)}")
    z = [value if isinstance(value, Value) else Value(value) for value in logits]
    p = F.softmax([value.data for value in z])
    return [Value.fused(p_i, z, [p_i * ((1.0 if i == j else 0.0) - p_j) for j, p_j in enumerate(p)], "softmax")
            for i, p_i in enumerate(p)]


class Module:
    """Base class: parameters, gradients, training mode and plain-data state."""

    def __init__(self) -> None:
        self.training = True

    def __call__(self, x: "Any") -> "Any":
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")

    def batch(self, xs: "Sequence[Any]") -> "List[Any]":
        """The output for each example of `xs`, in order: [self(x) for x in xs]. Layer and MLP
        give the same numbers faster, reading each weight once for the whole batch."""
        if not isinstance(xs, (list, tuple)):
            raise InputError(f"{type(self).__name__}.batch: expected a list of examples, got {type(xs).__name__}")
        return [self(x) for x in xs]

    def submodules(self) -> "List[Module]":
        """The modules directly inside this one."""
        return []

    def parameters(self) -> "List[Value]":
        """Every trainable Value, in a fixed order."""
        return [p for module in self.submodules() for p in module.parameters()]

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0 (call before each backward pass)."""
        for p in self.parameters():
            p.grad = 0.0

    def train(self, mode: bool = True) -> "Module":
        """Switch this module and those inside it to training mode (or evaluation mode)."""
        self.training = as_bool(mode, f"{type(self).__name__}.train(mode)")
        for module in self.submodules():
            module.train(mode)
        return self

    def eval(self) -> "Module":
        """Switch to evaluation mode: dropout passes values through unchanged."""
        return self.train(False)

    def named_values(self) -> "List[Tuple[str, Structure]]":
        """(name, Value or nested list of Values) for each state entry, in a fixed order."""
        return []

    def state_dict(self) -> "Dict[str, Any]":
        """The parameters as plain data (floats and lists), ready for json.dumps."""
        return {name: numbers(structure) for name, structure in self.named_values()}

    def load_state_dict(self, state: "Dict[str, Any]") -> None:
        """Set the parameters from `state_dict()`-shaped data; nothing changes unless all of it fits."""
        where = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state, dict):
            raise InputError(f"{where}(state): expected a dict, got {shown(state)}")
        entries = self.named_values()
        expected = [name for name, _ in entries]
        missing = [name for name in expected if name not in state]
        unexpected = sorted(str(name) for name in state if name not in expected)
        if missing or unexpected:
            raise ShapeError(f"{where}: keys do not match; missing {missing}, unexpected {unexpected}")
        pairs: "List[Tuple[Value, float]]" = []
        for name, structure in entries:
            _pair_up(structure, state[name], f"{where}[{name!r}]", pairs)
        for parameter, number in pairs:
            parameter.data = number


class Neuron(Module):
    """y = f(Σᵢ wᵢxᵢ + b): one unit with its own weights and bias (001).

    `alpha` is leaky ReLU's negative slope, f(net) = α·net for net ≤ 0 (0.01 by default; the
    other activations ignore it).

    fused=True (the default) makes the whole neuron one graph node: its value f(net) and its
    local derivatives side by side, the chain rule through the per-op graph done once, by hand.
    The net input's own derivatives need no arithmetic, they are numbers already at hand:

        ∂net/∂wᵢ = xᵢ      ∂net/∂b = 1      ∂net/∂xᵢ = wᵢ      and then  ∂y/∂· = f′(net)·∂net/∂·

    fused=False builds the per-op graph instead (a mul node per weight, an add node per sum,
    the activation node: every gate of 002's figures, for drawing and teaching). Both give the
    same values exactly (the same float operations in the same order). Gradients are the same
    floats for linear and ReLU neurons, where f′(net) is 1 or 0; for the others they agree up
    to rounding, (f′·xᵢ)·g against xᵢ·(f′·g).

    A fused ReLU that is off (net ≤ 0, finite) is constant where it stands, so its node has
    no children: the backward pass skips it, which is a third of the work of a training step.
    The gradients are those of the per-op graph, 0 from that neuron, except that a zero may
    lose its sign (0.0 for −0.0) and that an infinite or nan gradient arriving from above
    gives 0 rather than 0·∞ = nan (PyTorch's ReLU gives 0 there too).
    """

    def __init__(self, nin: int, activation: str = "relu", init: str = "glorot_shallow",
                 rng: "Optional[PRNG]" = None, weights: "Optional[Sequence[Number]]" = None,
                 bias: "Number" = 0.0, name: str = "Neuron", fused: bool = True, alpha: float = 0.01) -> None:
        super().__init__()
        name = as_text(name, "Neuron(name)")
        self.fused = as_bool(fused, f"{name}(fused)")
        self.nin = as_int(nin, f"{name}(nin)", minimum=1)
        self.activation = check_activation(activation, f"{name}(activation)")
        self.alpha = as_finite(alpha, f"{name}(alpha)")
        self.name = name
        initialiser = initialisers.get(init, f"{name}(init)")
        if weights is None:
            weights = initialiser(self.nin, 1, check_rng(rng, f"{name}(rng)"))[0]
        elif len(as_list(weights, f"{name}(weights)", what="numbers")) != self.nin:
            raise ShapeError(f"{name}(weights): expected {self.nin} weights, one per input, got {len(weights)}")
        self.w = [Value(as_float(w, f"{name}(weights)")) for w in weights]
        self.b = Value(as_float(bias, f"{name}(bias)"))
        self._parameters = tuple(self.w) + (self.b,)
        if self.activation == "leaky_relu":
            self._activation_and_slope = _leaky_relu_with_slope(self.alpha)
        else:
            self._activation_and_slope = ACTIVATION_AND_SLOPE[self.activation]

    def __call__(self, x: "Input") -> Value:
        if not isinstance(x, (list, tuple)):
            raise InputError(f"{self.name}: expected a list of {self.nin} inputs, got {type(x).__name__}")
        if len(x) != self.nin:
            raise ShapeError(f"{self.name} ({self.nin} inputs): expected an input of {self.nin} values, got {len(x)}")
        if self.fused:
            return self._fused(x)
        net_input = self.w[0] * x[0]
        for w_i, x_i in zip(self.w[1:], x[1:]):
            net_input = net_input + w_i * x_i
        return activate(net_input + self.b, self.activation, self.alpha)

    def _fused(self, x: "Input") -> Value:
        """The neuron as one node (see the class docstring)."""
        return self.nodes([_read_inputs(x, f"{self.name}(x)")])[0]

    def nodes(self, examples: "Sequence[ReadInput]") -> "List[Value]":
        """y = f(w·x + b) as one node per example; each example is (the Values among its inputs,
        its inputs as numbers followed by the bias's constant input 1, the positions of the Values
        or None when all inputs are Values), as _read_inputs() gives it. The weights are read once.

        The bias is the weight of a constant input 1, so w·x + b = (w₁, …, wₙ, b)·(x₁, …, xₙ, 1),
        summed left to right like the per-op graph. Children: w₁…wₙ, b, then the input Values.
        """
        parameters = self._parameters
        weights = tuple([p.data for p in parameters])  # (w₁, …, wₙ, b)
        weights_of_inputs = weights[:-1]  # ∂net/∂xᵢ = wᵢ
        activation_and_slope = self._activation_and_slope
        relu = self.activation == "relu"
        inf = math.inf
        node = self.b._result  # a new node of Value's class
        outputs = []
        try:
            rows = [inputs for _, inputs, _ in examples]
        except (TypeError, ValueError):
            raise InputError(f"{self.name}.nodes(examples): expected a list of read examples (Values, numbers, "
                             f"positions), as _read_inputs gives them, got {shown(examples)}") from None
        nets = F.dots(weights, rows)  # w·x + b for each example
        for (values, inputs, positions), net in zip(examples, nets):
            if relu and -inf < net <= 0.0:
                # A ReLU that is off (ReLU′(0) = 0) is the constant 0 here: no gradient flows
                # back through it, so the node keeps no edges. (PyTorch's ReLU backward likewise
                # selects 0 instead of multiplying. The finite net guarantees each 0·∂net/∂·
                # would be 0: an infinite or nan input or weight makes the net infinite or nan.)
                outputs.append(node(0.0, (), (), "neuron"))
                continue
            y, slope = activation_and_slope(net)
            if positions is None:
                through_inputs = weights_of_inputs
            else:  # only the inputs that are Values have edges
                through_inputs = tuple([weights[i] for i in positions]) if positions else ()
            # ∂net/∂wᵢ = xᵢ,  ∂net/∂b = 1,  ∂net/∂xᵢ = wᵢ;  then ∂y/∂· = f′(net)·∂net/∂·, where
            # f′(net) = 1 (linear, a ReLU that is on) leaves them as they are, exactly
            derivatives = inputs + through_inputs
            local_grads = derivatives if slope == 1.0 else tuple([slope * d for d in derivatives])
            outputs.append(node(y, parameters + values, local_grads, "neuron"))
        return outputs

    def parameters(self) -> "List[Value]":
        return self.w + [self.b]

    def named_values(self) -> "List[Tuple[str, Structure]]":
        return [("weight", self.w), ("bias", self.b)]

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """y = f(Wx + b) for W of nout rows (receiving units j) and nin columns (sending units i);
    `alpha` is leaky ReLU's negative slope (0.01 by default), passed to every neuron."""

    def __init__(self, nin: int, nout: int, activation: str = "relu", init: str = "glorot_shallow",
                 rng: "Optional[PRNG]" = None, weights: "Optional[Sequence[Sequence[Number]]]" = None,
                 biases: "Optional[Sequence[Number]]" = None, name: str = "Layer", fused: bool = True,
                 alpha: float = 0.01) -> None:
        super().__init__()
        name = as_text(name, "Layer(name)")
        self.nin = as_int(nin, f"{name}(nin)", minimum=1)
        self.nout = as_int(nout, f"{name}(nout)", minimum=1)
        self.activation = check_activation(activation, f"{name}(activation)")
        self.name = name
        initialiser = initialisers.get(init, f"{name}(init)")
        if weights is None:
            weights = initialiser(self.nin, self.nout, check_rng(rng, f"{name}(rng)"))
        elif len(as_list(weights, f"{name}(weights)", what="rows")) != self.nout:
            raise ShapeError(f"{name}(weights): expected {self.nout} rows (one per receiving unit, W is "
                             f"{self.nout} × {self.nin}), got {len(weights)}")
        else:
            weights = as_matrix(weights, f"{name}(weights)", self.nin)
        if biases is None:
            biases = [0.0] * self.nout
        elif len(as_float_list(biases, f"{name}(biases)")) != self.nout:
            raise ShapeError(f"{name}(biases): expected {self.nout} biases, one per unit, got {len(biases)}")
        self.fused = as_bool(fused, f"{name}(fused)")
        self.alpha = as_finite(alpha, f"{name}(alpha)")
        self.neurons = [Neuron(self.nin, activation, weights=row, bias=bias, name=f"{name}.neurons[{j}]", fused=fused,
                               alpha=self.alpha)
                        for j, (row, bias) in enumerate(zip(weights, biases))]

    def __call__(self, x: "Input") -> "List[Value]":
        if not isinstance(x, (list, tuple)):
            raise InputError(f"{self.name}: expected a list of {self.nin} inputs, got {type(x).__name__}")
        if len(x) != self.nin:
            raise ShapeError(f"{self.name} ({self.nin} → {self.nout}): expected an input of {self.nin} values, "
                             f"got {len(x)}")
        if not self.fused:
            return [neuron(x) for neuron in self.neurons]
        return self._nodes([_read_inputs(x, self.name + "(x)")])[0]  # inputs read once for all neurons

    def batch(self, xs: "Sequence[Input]") -> "List[List[Value]]":
        """[self(x) for x in xs], the same nodes, built neuron by neuron: each weight is read once
        for the whole batch instead of once per example."""
        if not isinstance(xs, (list, tuple)):
            raise InputError(f"{self.name}.batch: expected a list of examples, got {type(xs).__name__}")
        if not self.fused:
            return [self(x) for x in xs]
        examples = []
        for k, x in enumerate(xs):
            if not isinstance(x, (list, tuple)) or len(x) != self.nin:
                raise ShapeError(f"{self.name}.batch ({self.nin} → {self.nout}): expected example {k} to be a list "
                                 f"of {self.nin} inputs, got {len(x) if isinstance(x, (list, tuple)) else shown(x)}")
            examples.append(_read_inputs(x, f"{self.name}.batch(xs[{k}])"))
        return self._nodes(examples)

    def _nodes(self, examples: "Sequence[ReadInput]") -> "List[List[Value]]":
        """The fused nodes of every neuron for each read example: one list of outputs per example."""
        columns = [neuron.nodes(examples) for neuron in self.neurons]
        return [list(outputs) for outputs in zip(*columns)]

    @property
    def weight(self) -> "List[List[Value]]":
        """W as rows w_j = (w_j0, w_j1, …): row j feeds receiving unit j."""
        return [neuron.w for neuron in self.neurons]

    @property
    def bias(self) -> "List[Value]":
        return [neuron.b for neuron in self.neurons]

    def submodules(self) -> "List[Module]":
        return list(self.neurons)

    def named_values(self) -> "List[Tuple[str, Structure]]":
        return [("weight", self.weight), ("bias", self.bias)]

    def __repr__(self) -> str:
        return f"Layer({self.nin} → {self.nout}, activation={self.activation!r})"


class Dropout(Module):
    """Randomly silence units while training (003: "randomly remove some hidden units").

    Training: each value is dropped with probability p and the survivors are scaled by
    1/(1 − p) (inverted dropout, as in PyTorch), so the expected output equals the input.
    Evaluation (after eval()): values pass through unchanged. 003 also describes drawing
    10–20 fixed masks and alternating between them; here each call draws a fresh mask.
    """

    def __init__(self, p: float = 0.5, rng: "Optional[PRNG]" = None, name: str = "Dropout") -> None:
        super().__init__()
        name = as_text(name, "Dropout(name)")
        self.p = in_range(p, f"{name}(p)", 0.0, 1.0, include_high=False)
        self.rng = check_rng(rng, f"{name}(rng)")
        self.name = name

    def __call__(self, x: "Sequence[Value]") -> "List[Value]":
        if not isinstance(x, (list, tuple)):
            raise InputError(f"{self.name}: expected a list of Values, got {shown(x)}")
        if not self.training or self.p == 0.0:
            return list(x)
        return self.apply_mask(x, self.draw_mask(len(x)))

    def draw_mask(self, size: int) -> "List[int]":
        """One draw per unit: 0 (dropped) when the draw is below p, else 1 (kept)."""
        return [0 if self.rng.random() < self.p else 1 for _ in range(as_int(size, f"{self.name}.draw_mask(size)"))]

    def apply_mask(self, x: "Sequence[Value]", mask: "Sequence[int]") -> "List[Value]":
        """y_i = x_i · m_i / (1 − p) for a given mask m (1 = kept, 0 = dropped), in any mode;
        the gradient flows back the same way: ∂y_i/∂x_i = m_i / (1 − p)."""
        as_list(x, f"{self.name}.apply_mask(x)", ShapeError, "Values")
        as_list(mask, f"{self.name}.apply_mask(mask)", ShapeError, "0s and 1s")
        for i, value in enumerate(x):
            if not isinstance(value, Value):
                as_float(value, f"{self.name}.apply_mask(x)[{i}]")
        if len(mask) != len(x):
            raise ShapeError(f"{self.name}.apply_mask: {len(mask)} mask entries for {len(x)} values; expected {len(x)}")
        keep_scale = 1.0 / (1.0 - self.p)
        scales = []
        for i, kept in enumerate(mask):
            if kept not in (0, 1):
                raise InputError(f"{self.name}.apply_mask(mask): mask[{i}] is {kept!r}; "
                                 "expected 0 (dropped) or 1 (kept)")
            scales.append(keep_scale if kept else 0.0)
        return [value * scale for value, scale in zip(x, scales)]

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


class MLP(Module):
    """A multi-layer perceptron: nin inputs, then one layer per entry of nouts.

    Hidden layers use `activation`, the last layer `output_activation`. With dropout > 0 a
    Dropout follows every hidden layer. fused=False builds the per-op graph (see Neuron).
    """

    def __init__(self, nin: int, nouts: "Sequence[int]", activation: str = "relu",
                 output_activation: str = "linear", init: str = "glorot_shallow", rng: "Optional[PRNG]" = None,
                 dropout: float = 0.0, fused: bool = True) -> None:
        super().__init__()
        if not isinstance(nouts, (list, tuple)) or len(nouts) == 0:
            raise InputError(f"MLP(nouts): expected a non-empty list of layer sizes, got "
                             f"{'an empty one' if isinstance(nouts, (list, tuple)) else shown(nouts)}")
        generator = check_rng(rng, "MLP(rng)")
        in_range(dropout, "MLP(dropout)", 0.0, 1.0, include_high=False)
        as_bool(fused, "MLP(fused)")
        initialisers.get(init, "MLP(init)")
        self.activation = check_activation(activation, "MLP(activation)")
        self.output_activation = check_activation(output_activation, "MLP(output_activation)")
        sizes = [as_int(nin, "MLP(nin)", minimum=1)] + [as_int(n, "MLP(nouts)", minimum=1) for n in nouts]
        last = len(nouts) - 1
        self.layers = [Layer(sizes[k], sizes[k + 1], activation if k < last else output_activation, init,
                             generator, name=f"layers.{k}", fused=fused) for k in range(len(nouts))]
        self.dropouts = [Dropout(dropout, generator, name=f"dropouts.{k}") for k in range(last)]

    def __call__(self, x: "Input") -> "List[Value]":
        values = self.layers[0](x)
        for dropout, layer in zip(self.dropouts, self.layers[1:]):
            values = layer(dropout(values))
        return values

    def batch(self, xs: "Sequence[Input]") -> "List[List[Value]]":
        """[self(x) for x in xs], layer by layer over the whole batch (each weight read once per
        layer). With dropout active the examples go one by one, so the random draws come in the
        same order as from self(x)."""
        if not isinstance(xs, (list, tuple)):
            raise InputError(f"MLP.batch: expected a list of examples, got {type(xs).__name__}")
        if self.training and any(dropout.p > 0.0 for dropout in self.dropouts):
            return [self(x) for x in xs]
        values = self.layers[0].batch(xs)
        for layer in self.layers[1:]:
            values = layer.batch(values)
        return values

    def submodules(self) -> "List[Module]":
        return list(self.layers) + list(self.dropouts)

    def named_values(self) -> "List[Tuple[str, Structure]]":
        return [(f"layers.{k}.{name}", structure)
                for k, layer in enumerate(self.layers) for name, structure in layer.named_values()]

    def __repr__(self) -> str:
        sizes = " → ".join(str(n) for n in [self.layers[0].nin] + [layer.nout for layer in self.layers])
        return f"MLP({sizes}, activation={self.activation!r}, output_activation={self.output_activation!r})"


# Saving and loading a model: one JSON file holding what rebuilds it and its numbers,
#
#     {"format": "refnet-model", "version": 1, "architecture": {"class": "MLP", …}, "state": model.state_dict()}
#
# "architecture" holds the class and every constructor argument that changes what the model
# computes (not `init`, `rng` or `name`): enough to rebuild it before loading the state. Floats
# are written with repr(), the shortest text that reads back as the same float, so the file
# round-trips exactly (checked on CPython, PyPy and MicroPython 1.27; MicroPython sometimes
# writes other digits for the same float, so its bytes may differ from CPython's, not its
# values). JSON has no nan or infinity: a model with a non-finite parameter is refused, both
# when saving and when loading. The file does not hold the training mode, an optimiser's
# state or the position of dropout's generator.

MODEL_FORMAT = "refnet-model"
MODEL_FORMAT_VERSION = 1
MODEL_FIELDS = ("format", "version", "architecture", "state")  # the file's keys, in the order written
ARCHITECTURE_FIELDS = {"Neuron": ("class", "nin", "activation", "alpha", "fused"),
                       "Layer": ("class", "nin", "nout", "activation", "alpha", "fused"),
                       "MLP": ("class", "nin", "nouts", "activation", "output_activation", "dropout", "fused")}
SAVABLE = ("MLP", "Layer", "Neuron")
REBUILD_SLACK = 1000  # parameters a model file may claim beyond twice its numbers before it is refused unbuilt
NO_SUCH_FILE = (errno.ENOENT, 44)  # 44: Emscripten's ENOENT, which MicroPython's WebAssembly port raises


def architecture(model: "Any", where: str = "nn.architecture(model)") -> "Dict[str, Any]":
    """What rebuilds `model`: its class and the constructor arguments that change what it computes."""
    kind = type(model)
    if kind is MLP:
        return {"class": "MLP", "nin": model.layers[0].nin, "nouts": [layer.nout for layer in model.layers],
                "activation": model.activation, "output_activation": model.output_activation,
                "dropout": model.dropouts[0].p if model.dropouts else 0.0, "fused": model.layers[0].fused}
    if kind is Layer:
        return {"class": "Layer", "nin": model.nin, "nout": model.nout, "activation": model.activation,
                "alpha": model.alpha, "fused": model.fused}
    if kind is Neuron:
        return {"class": "Neuron", "nin": model.nin, "activation": model.activation, "alpha": model.alpha,
                "fused": model.fused}
    raise InputError(f"{where}: expected an MLP, a Layer or a Neuron (the classes a model file can rebuild), "
                     f"got {shown(model)}; for another module, save its state_dict() yourself")


def save(model: "Module", path: str) -> None:
    """Write `model` to the file `path` as JSON (the format above), replacing the file if it exists.

    The text goes to `path` + ".partial" first and is renamed to `path` once complete, so an
    error never leaves a half-written model file (nor the partial one) behind.
    """
    path = _as_path(path, "nn.save(path)")
    document = {"format": MODEL_FORMAT, "version": MODEL_FORMAT_VERSION,
                "architecture": architecture(model, "nn.save(model)"), "state": model.state_dict()}
    lines = ["{"]
    for index, field in enumerate(MODEL_FIELDS):
        separator = "," if index < len(MODEL_FIELDS) - 1 else ""
        lines.append(f"  {json.dumps(field)}: {_json_text(document[field], field, '  ')}{separator}")
    lines.append("}")
    _write_whole(path, "\n".join(lines) + "\n")


def load(path: str, into: "Optional[Module]" = None, rng: "Optional[PRNG]" = None) -> "Module":
    """The model saved in the file `path`: rebuilt from its architecture, or, with `into`, the
    given model with the file's parameters, after checking that the file is for its architecture.

    Anything wrong (no file, not JSON, another format or version, another architecture, state
    entries missing, extra or not finite) raises InputError naming the file and the field, and
    changes nothing. `rng` is the generator a rebuilt model's dropout draws from (the default one
    when None); rebuilding draws nothing from it.
    """
    path = _as_path(path, "nn.load(path)")
    wanted = None if into is None else architecture(into, "nn.load(into)")
    check_rng(rng, "nn.load(rng)")
    document = _read_model_file(path)
    saved = document["architecture"]
    _check_fields(saved, ARCHITECTURE_FIELDS[saved["class"]], f"{path}: architecture")
    if wanted is not None:
        _check_same_architecture(wanted, saved, path)
    if into is None:
        _check_size(saved, document["state"], path)
    model = into if into is not None else _rebuild(saved, path, rng)
    state = document["state"]
    expected = [name for name, _ in model.named_values()]
    _check_fields(state, expected, f"{path}: state")
    for name in expected:
        _check_finite(state[name], f"{path}: state[{name!r}]")
    try:
        model.load_state_dict(state)
    except RefnetError as error:
        raise InputError(f"{path}: state does not fit the architecture the file gives: {error}") from None
    return model


def _as_path(path: "Any", where: str) -> str:
    """A file name as a str (a pathlib.Path gives its text); anything else raises InputError."""
    if hasattr(path, "__fspath__") and not isinstance(path, type):
        path = path.__fspath__()
    if not isinstance(path, str) or not path:
        raise InputError(f"{where}: expected a file name (a non-empty str or a pathlib.Path), got {shown(path)}")
    return path


def _json_text(value: "Any", where: str, indent: str) -> str:
    """`value` as JSON text: a list of numbers on one line, other lists one item a line, an
    object's keys sorted one a line (MicroPython's dicts have no order), floats by repr()."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value or value in (math.inf, -math.inf):
            raise InputError(f"nn.save: {where} is {value}; JSON has no nan or infinity, and a model file holds "
                             "finite numbers only (did the training diverge?); expected finite parameters")
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    inner = indent + "  "
    if isinstance(value, list):
        items = [_json_text(item, f"{where}[{index}]", inner) for index, item in enumerate(value)]
        if not any(isinstance(item, (list, dict)) for item in value):
            return "[" + ", ".join(items) + "]"
        return "[\n" + ",\n".join(inner + item for item in items) + "\n" + indent + "]"
    if isinstance(value, dict):
        keys = sorted(value)
        entries = [inner + json.dumps(key) + ": " + _json_text(value[key], f"{where}[{key!r}]", inner) for key in keys]
        return "{\n" + ",\n".join(entries) + "\n" + indent + "}"
    raise InputError(f"nn.save: {where} is {shown(value)}; expected numbers, text, lists and dicts only")


def _write_whole(path: str, text: str) -> None:
    """Write `text` to `path` + ".partial", then rename it to `path`; on any error remove the
    partial file and leave `path` as it was."""
    partial = path + ".partial"
    replace = getattr(os, "replace", os.rename)  # os.replace overwrites on Windows too; MicroPython has rename
    try:
        with open(partial, "w") as handle:
            handle.write(text)
        replace(partial, path)
    except BaseException as error:
        try:
            os.remove(partial)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise InputError(f"nn.save(path): could not write the model file {path!r} ({error}); "
                             "expected a writable file name in an existing folder") from None
        raise


def _read_model_file(path: str) -> "Dict[str, Any]":
    """The JSON object in the file `path`, with its format, version, architecture and state checked.
    (MicroPython's json reads some invalid JSON, missing commas and colons, without complaint.)"""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        if error.args and error.args[0] in NO_SUCH_FILE:
            raise InputError(f"nn.load(path): no file {path!r}; expected a model file written by nn.save") from None
        raise InputError(f"nn.load(path): could not read {path!r} ({error}); expected a readable model file "
                         "written by nn.save") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        line = getattr(error, "lineno", None)  # CPython's JSONDecodeError; MicroPython's json gives no position
        problem = str(error) if line is None else f"line {line}, column {getattr(error, 'colno', '?')}: " + \
            str(getattr(error, "msg", error))
        raise InputError(f"{path}: not valid JSON ({problem}); expected a model file written by nn.save") from None
    if not isinstance(document, dict):
        raise InputError(f"{path}: expected a JSON object with the fields {', '.join(MODEL_FIELDS)}, "
                         f"got {type(document).__name__}")
    if document.get("format") != MODEL_FORMAT:
        raise InputError(f"{path}: format is {document.get('format')!r}; expected {MODEL_FORMAT!r} "
                         "(a model file written by nn.save)")
    version = document.get("version")
    if isinstance(version, bool) or version != MODEL_FORMAT_VERSION:
        raise InputError(f"{path}: version is {version!r}; this refnet reads model files of version "
                         f"{MODEL_FORMAT_VERSION} only (expected {MODEL_FORMAT_VERSION})")
    _check_fields(document, MODEL_FIELDS, path)
    saved = document["architecture"]
    if not isinstance(saved, dict):
        raise InputError(f"{path}: architecture is {shown(saved)}; expected an object with a 'class' field")
    if saved.get("class") not in SAVABLE:
        raise InputError(f"{path}: architecture.class is {saved.get('class')!r}; expected one of "
                         f"{', '.join(SAVABLE)}")
    if not isinstance(document["state"], dict):
        raise InputError(f"{path}: state is {shown(document['state'])}; expected an object of parameter lists")
    return document


def _check_fields(found: "Dict[str, Any]", expected: "Sequence[str]", where: str) -> None:
    """InputError naming the missing and the unexpected keys of `found`, if any."""
    missing = [name for name in expected if name not in found]
    unexpected = sorted(str(name) for name in found if name not in expected)
    if missing or unexpected:
        raise InputError(f"{where}: expected the fields {', '.join(expected)}; missing {missing}, "
                         f"unexpected {unexpected}")


def _check_finite(value: "Any", where: str) -> None:
    """InputError if a number inside `value` (a number or nested lists) is nan or infinite."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_finite(item, f"{where}[{index}]")
    elif isinstance(value, float) and (value != value or value in (math.inf, -math.inf)):
        raise InputError(f"{where} is {value}; expected a finite number (a model file holds no nan or infinity)")


def _same_setting(model_has: "Any", file_has: "Any") -> bool:
    """Equal settings, True and 1 told apart (MicroPython does so anyway), 2 and 2.0 not."""
    if isinstance(model_has, list) and isinstance(file_has, list):
        return len(model_has) == len(file_has) and all(_same_setting(a, b) for a, b in zip(model_has, file_has))
    if isinstance(model_has, bool) or isinstance(file_has, bool) or isinstance(model_has, list) \
            or isinstance(file_has, list):
        return model_has is file_has
    return bool(model_has == file_has)


def _check_same_architecture(wanted: "Dict[str, Any]", saved: "Dict[str, Any]", path: str) -> None:
    """InputError listing every field where the file's architecture differs from the model's."""
    if saved["class"] != wanted["class"]:
        raise InputError(f"{path}: the file is for another kind of model; architecture.class: the model has "
                         f"{wanted['class']!r}, the file has {saved['class']!r}; expected a file saved from a "
                         f"{wanted['class']}")
    differences = [f"architecture.{field}: the model has {wanted[field]!r}, the file has {saved[field]!r}"
                   for field in ARCHITECTURE_FIELDS[wanted["class"]] if not _same_setting(wanted[field], saved[field])]
    if differences:
        raise InputError(f"{path}: the file is for another architecture than the model; " + "; ".join(differences)
                         + "; expected a file saved from a model of the same architecture")


def _check_size(saved: "Dict[str, Any]", state: "Dict[str, Any]", path: str) -> None:
    """InputError when the architecture has far more parameters than the state holds numbers
    (more than twice as many, plus REBUILD_SLACK): checked before rebuilding, so that a file
    claiming a huge model builds nothing. A smaller mismatch is found after rebuilding, by the
    checks that name the missing entry. (Sizes that are not whole numbers are left to the
    constructors' own checks.)"""
    def whole(value: "Any") -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    sizes = [saved["nin"]] + (saved["nouts"] if saved["class"] == "MLP" and isinstance(saved["nouts"], list)
                              else [saved.get("nout", 1)])
    if not all(whole(size) for size in sizes):
        return
    wanted = sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:]))
    held = 0
    pending = list(state.values())
    while pending and 2 * held + REBUILD_SLACK < wanted:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        else:
            held += 1
    if wanted > 2 * held + REBUILD_SLACK:
        raise InputError(f"{path}: architecture: a model of sizes {sizes} has {wanted} parameters, but the state "
                         f"holds {held} numbers; expected a state with every parameter of the architecture")


def _rebuild(saved: "Dict[str, Any]", path: str, rng: "Optional[PRNG]") -> "Module":
    """A new model of the saved architecture (its parameters to be loaded next)."""
    try:
        if saved["class"] == "Neuron":
            nin = as_int(saved["nin"], "Neuron(nin)", minimum=1)
            return Neuron(nin, saved["activation"], weights=[0.0] * nin, fused=saved["fused"], alpha=saved["alpha"])
        if saved["class"] == "Layer":
            nin = as_int(saved["nin"], "Layer(nin)", minimum=1)
            nout = as_int(saved["nout"], "Layer(nout)", minimum=1)
            return Layer(nin, nout, saved["activation"], weights=[[0.0] * nin for _ in range(nout)],
                         fused=saved["fused"], alpha=saved["alpha"])
        model = MLP(saved["nin"], saved["nouts"], saved["activation"], saved["output_activation"], rng=PRNG(0),
                    dropout=saved["dropout"], fused=saved["fused"])
    except RefnetError as error:
        raise InputError(f"{path}: architecture: {error}") from None
    for dropout in model.dropouts:
        dropout.rng = check_rng(rng, "nn.load(rng)")
    return model
