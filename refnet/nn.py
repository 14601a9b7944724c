"""Neurons, layers and multi-layer perceptrons built from Values.

A neuron computes y = f(w·x + b) (001_251e29975c1497b8.txt); a layer of them computes
y = f(Wx + b) with the weight matrix written w_ji: row j is the receiving unit, column i the
sending unit (000_f9a23462f49faea1.txt), and biases kept apart from W. An MLP chains layers:
h₁ = f₁(W₁x + b₁), h₂ = f₂(W₂h₁ + b₂), … (001).
"""

# Layers always return lists, even of one value; model.batch(xs) gives [model(x) for x in xs],
# the same nodes, faster (each weight is read once per batch). Every module offers parameters(),
# zero_grad(), train()/eval() and state_dict()/load_state_dict(), the state being plain JSON-able
# data: {"weight": [[…], …], "bias": […]} for a layer, keys "layers.0.weight", … for an MLP.
# save(model, path) writes an MLP, Layer or Neuron to a JSON file with what rebuilds it; load(path)
# rebuilds it, load(path, into=model) fills a model of the same architecture (refnet/model_file.py).
#
# Module and class docstrings stay short: MicroPython keeps them in RAM, where it drops those of
# functions (docs/embedding.md); the longer explanations are in the methods' docstrings.

import math

from refnet import functional as F
from refnet import init as initialisers
from refnet._checks import (as_bool, as_finite, as_float, as_float_list, as_int, as_list, as_matrix, as_text,
                            in_range, shown)
from refnet.errors import InputError, ShapeError
from refnet.prng import PRNG, check_rng
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

    Number = Union[int, float]
    Input = Sequence[Union[Value, int, float]]
    Structure = Union[Value, List[Value], List[List[Value]]]
    ReadInput = Tuple[Tuple[Value, ...], Tuple[float, ...], Optional[List[int]]]

    from refnet.softmax import softmax_nodes

    softmax = softmax_nodes  # nn.softmax, loaded by __getattr__ below

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu")
MAX_SIZE = 2 ** 31 - 1  # the most inputs or units a layer may have: a list's limit on 32-bit runtimes (MicroPython)


def __getattr__(name: str) -> object:
    """softmax over Values, loaded from refnet/softmax.py on first use (PEP 562)."""
    if name == "softmax":
        import refnet.softmax

        return refnet.softmax.softmax_nodes
    raise AttributeError(f"module 'refnet.nn' has no attribute {name!r}")


def _size(value: "Any", where: str) -> int:
    """A layer's number of inputs or units: an integer from 1 to MAX_SIZE, else InputError (a larger
    one would overflow the initialiser's float arithmetic or draw weights for ever)."""
    size = as_int(value, where, minimum=1)
    if size > MAX_SIZE:
        raise InputError(f"{where}: expected an integer from 1 to {MAX_SIZE}, got {shown(size)}")
    return size


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
    return (0.0, 0.0) if net == net else (net, net)  # nan: nan value and slope (x == x, see functional.py)


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
        """Set the parameters from `state_dict()`-shaped data; nothing changes unless all of it fits
        (the checks are refnet/saving.py's, loaded on the first call)."""
        from refnet import saving

        saving._load_state_dict(self, state)


class Neuron(Module):
    """y = f(Σᵢ wᵢxᵢ + b): one unit with its own weights and bias (001).

    `alpha` is leaky ReLU's negative slope, f(net) = α·net for net ≤ 0 (0.01 by default; the
    other activations ignore it). fused=True (the default) makes the neuron one graph node,
    fused=False builds the per-op graph: __init__'s docstring says how.
    """

    def __init__(self, nin: int, activation: str = "relu", init: str = "glorot_shallow",
                 rng: "Optional[PRNG]" = None, weights: "Optional[Sequence[Number]]" = None,
                 bias: "Number" = 0.0, name: str = "Neuron", fused: bool = True, alpha: float = 0.01) -> None:
        """A neuron of `nin` inputs, its weights drawn by `init` from `rng` unless given.

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
        super().__init__()
        name = as_text(name, "Neuron(name)")
        self.fused = as_bool(fused, f"{name}(fused)")
        self.nin = _size(nin, f"{name}(nin)")
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
        """The neuron as one node (see __init__)."""
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
    """y = f(Wx + b) for W of nout rows (receiving units j) and nin columns (sending units i)."""

    def __init__(self, nin: int, nout: int, activation: str = "relu", init: str = "glorot_shallow",
                 rng: "Optional[PRNG]" = None, weights: "Optional[Sequence[Sequence[Number]]]" = None,
                 biases: "Optional[Sequence[Number]]" = None, name: str = "Layer", fused: bool = True,
                 alpha: float = 0.01) -> None:
        """`alpha` is leaky ReLU's negative slope (0.01 by default), passed to every neuron."""
        super().__init__()
        name = as_text(name, "Layer(name)")
        self.nin = _size(nin, f"{name}(nin)")
        self.nout = _size(nout, f"{name}(nout)")
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
    """Randomly silence units while training (003: "randomly remove some hidden units"), each with
    probability p; evaluation (after eval()) passes values through (__call__ says how)."""

    def __init__(self, p: float = 0.5, rng: "Optional[PRNG]" = None, name: str = "Dropout") -> None:
        super().__init__()
        name = as_text(name, "Dropout(name)")
        self.p = in_range(p, f"{name}(p)", 0.0, 1.0, include_high=False)
        self.rng = check_rng(rng, f"{name}(rng)")
        self.name = name

    def __call__(self, x: "Sequence[Value]") -> "List[Value]":
        """Training: each value is dropped with probability p and the survivors are scaled by
        1/(1 − p) (inverted dropout, as in PyTorch), so the expected output equals the input.
        Evaluation (after eval()): values pass through unchanged. 003 also describes drawing
        10–20 fixed masks and alternating between them; here each call draws a fresh mask."""
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
    """A multi-layer perceptron: nin inputs, then one layer per entry of nouts."""

    def __init__(self, nin: int, nouts: "Sequence[int]", activation: str = "relu",
                 output_activation: str = "linear", init: str = "glorot_shallow", rng: "Optional[PRNG]" = None,
                 dropout: float = 0.0, fused: bool = True) -> None:
        """Hidden layers use `activation`, the last layer `output_activation`. With dropout > 0 a
        Dropout follows every hidden layer. fused=False builds the per-op graph (see Neuron)."""
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
        sizes = [_size(nin, "MLP(nin)")] + [_size(n, "MLP(nouts)") for n in nouts]
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


# Saving and loading: refnet/saving.py (the file's format: refnet/model_file.py), loaded on the first call.

def architecture(model: "Any", where: str = "nn.architecture(model)") -> "Dict[str, Any]":
    """What rebuilds `model`: its class and the constructor arguments that change what it computes."""
    from refnet import saving

    return saving.architecture(model, where)


def save(model: "Module", path: str) -> None:
    """Write `model` (an MLP, Layer or Neuron) to the file `path` as JSON (refnet/model_file.py),
    replacing the file if it exists; an error never leaves a half-written file behind."""
    from refnet import saving

    saving.save(model, path)


def load(path: str, into: "Optional[Module]" = None, rng: "Optional[PRNG]" = None) -> "Module":
    """The model saved in the file `path`: rebuilt from its architecture, or, with `into`, the
    given model with the file's parameters, after checking that the file is for its architecture.

    Anything wrong (no file, not JSON, another format or version, another architecture, state
    entries missing, extra or not finite) raises InputError naming the file and the field, and
    changes nothing. `rng` is the generator a rebuilt model's dropout draws from (the default one
    when None); rebuilding draws nothing from it.
    """
    from refnet import saving

    return saving.load(path, into, rng)
