"""Inference on plain floats from a model file: y = f(W·x + b), layer after layer, with no Value.

    h₀ = x,   hₖ = fₖ(Wₖ·hₖ₋₁ + bₖ),   the output is the last hₖ

W is out × in, row j the weights into receiving unit j (000_f9a23462f49faea1.txt); each unit is a
neuron y = f(w·x + b) and an MLP chains layers (001_251e29975c1497b8.txt).

Why it exists: a device runs a trained model on floats; training needs the graph. nn.load builds
Values (a node per parameter, graph code, backward), which is more heap than a microcontroller
spends on inference (docs/embedding.md). load(path) reads the same file nn.save writes and checks
it as nn.load does, and the callable it returns computes exactly what the model computes in
evaluation mode (dropout passes values through), to the last bit:

    each net input is summed as refnet's neuron sums it: 0.0 + w₁x₁ + … + wₙxₙ, then + b, left to
    right (a model saved with fused=False starts from w₁x₁ instead, as its per-op graph does);
    each activation is the float formula of refnet/functional.py, written out below so that this
    module needs only json, math and the model file's checks (refnet/model_file.py).

    from refnet import infer
    predict = infer.load("model.json")   # written by nn.save on the host
    score = predict([0.5, -0.25])[0]      # a list of floats (a float for a saved Neuron)
"""

import math

from refnet._checks import as_float, shown
from refnet.errors import InputError, ShapeError
from refnet.model_file import ARCHITECTURE_FIELDS, as_path, check_fields, check_finite, read

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Sequence, Tuple, Union

    Rows = List[List[float]]


def _linear(net: float) -> float:
    return net


def _relu(net: float) -> float:
    return net if net > 0.0 or net != net else 0.0  # nan stays nan


def _sigmoid(net: float) -> float:
    if net >= 0.0:  # 1/(1 + e⁻ⁿᵉᵗ), or eⁿᵉᵗ/(1 + eⁿᵉᵗ) below 0: exp never overflows
        return 1.0 / (1.0 + math.exp(-net))
    exp_net = math.exp(net)
    return exp_net / (1.0 + exp_net)


def _tanh(net: float) -> float:
    return math.tanh(net)


def _leaky_relu(alpha: float) -> "Callable[[float], float]":
    """Leaky ReLU with the negative slope α: net for net > 0, else α·net."""
    def activation(net: float) -> float:
        return net if net > 0.0 else alpha * net
    return activation


ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu")  # nn.ACTIVATIONS
FUNCTIONS = {"linear": _linear, "sigmoid": _sigmoid, "tanh": _tanh, "relu": _relu}
MLP_ALPHA = 0.01  # leaky ReLU's negative slope in an MLP (its layers' default)
MAX_SIZE = 2 ** 31 - 1  # nn.MAX_SIZE: the most inputs or units a layer may have


class Model:
    """A saved MLP, Layer or Neuron as floats: model(x) for a list of nin numbers gives its outputs,
    a list of floats (one float for a Neuron). `layers`: [(activation name, W rows, b), …]."""

    def __init__(self, kind: str, nin: int, layers: "List[Tuple[str, Rows, List[float]]]", alpha: float,
                 fused: bool) -> None:
        self.kind = kind
        self.nin = nin
        self.layers = layers
        self.fused = fused
        self._functions = [_leaky_relu(alpha) if name == "leaky_relu" else FUNCTIONS[name] for name, _, _ in layers]

    def __call__(self, x: "Sequence[float]") -> "Union[float, List[float]]":
        values = self._inputs(x)
        start_at = 0 if self.fused else 1
        for (_, weight, bias), activation in zip(self.layers, self._functions):
            outputs = []
            for row, b in zip(weight, bias):
                net = 0.0 if self.fused else row[0] * values[0]
                for k in range(start_at, len(row)):
                    net += row[k] * values[k]
                outputs.append(activation(net + b))
            values = outputs
        return values[0] if self.kind == "Neuron" else values

    def _inputs(self, x: "Any") -> "List[float]":
        if not isinstance(x, (list, tuple)):
            raise InputError(f"infer {self.kind}: expected a list of {self.nin} inputs, got {shown(x)}")
        if len(x) != self.nin:
            raise ShapeError(f"infer {self.kind} ({self.nin} inputs): expected an input of {self.nin} values, "
                             f"got {len(x)}")
        return [as_float(x_i, f"infer {self.kind}(x)[{i}]") for i, x_i in enumerate(x)]

    def __repr__(self) -> str:
        sizes = " → ".join(str(n) for n in [self.nin] + [len(bias) for _, _, bias in self.layers])
        return f"infer.Model({self.kind} {sizes})"


def load(path: str) -> Model:
    """The model in the file `path` (written by nn.save) as a float-only callable. A file nn.load
    refuses is refused here too: InputError naming the file and the field."""
    path = as_path(path, "infer.load(path)")
    document = read(path, "infer.load(path)")
    saved = document["architecture"]
    kind = saved["class"]
    check_fields(saved, ARCHITECTURE_FIELDS[kind], f"{path}: architecture")
    where = f"{path}: architecture"
    nin = _whole(saved["nin"], f"{where}.nin")
    if kind == "MLP":
        nouts = saved["nouts"]
        if not isinstance(nouts, list) or not nouts:
            raise InputError(f"{where}.nouts is {shown(nouts)}; expected a non-empty list of layer sizes")
        sizes = [nin] + [_whole(n, f"{where}.nouts[{k}]") for k, n in enumerate(nouts)]
        names = [_activation(saved["activation"], f"{where}.activation")] * (len(nouts) - 1)
        names.append(_activation(saved["output_activation"], f"{where}.output_activation"))
        dropout = saved["dropout"]
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0.0 <= dropout < 1.0:
            raise InputError(f"{where}.dropout is {shown(dropout)}; expected a number in [0, 1)")
        alpha = MLP_ALPHA
        entries = [f"layers.{k}." for k in range(len(nouts))]
    else:
        sizes = [nin, _whole(saved["nout"], f"{where}.nout") if kind == "Layer" else 1]
        names = [_activation(saved["activation"], f"{where}.activation")]
        alpha = as_float(saved["alpha"], f"{where}.alpha")
        if alpha != alpha or alpha in (math.inf, -math.inf):
            raise InputError(f"{where}.alpha is {alpha}; expected a finite number")
        entries = [""]
    if saved["fused"] is not True and saved["fused"] is not False:
        raise InputError(f"{where}.fused is {shown(saved['fused'])}; expected true or false")
    state = document["state"]
    check_fields(state, [entry + part for entry in entries for part in ("weight", "bias")], f"{path}: state")
    layers = []
    for k, entry in enumerate(entries):
        weight, bias = state[entry + "weight"], state[entry + "bias"]
        check_finite(weight, f"{path}: state[{entry + 'weight'!r}]")
        check_finite(bias, f"{path}: state[{entry + 'bias'!r}]")
        if kind == "Neuron":
            weight, bias = [weight], [bias]
        rows = _numbers(weight, sizes[k + 1], f"{path}: state[{entry + 'weight'!r}]", sizes[k])
        layers.append((names[k], rows, _numbers(bias, sizes[k + 1], f"{path}: state[{entry + 'bias'!r}]")))
    return Model(kind, nin, layers, alpha, saved["fused"])


def _whole(value: "Any", where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SIZE:
        raise InputError(f"{where} is {shown(value)}; expected an integer from 1 to {MAX_SIZE}")
    return value


def _activation(name: "Any", where: str) -> str:
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise InputError(f"{where} is {shown(name)}; expected one of {', '.join(ACTIVATIONS)}")
    return name


def _numbers(values: "Any", count: int, where: str, columns: int = 0) -> "Any":
    """`values` as `count` floats, or as `count` rows of `columns` floats; InputError otherwise."""
    if not isinstance(values, list) or len(values) != count:
        raise InputError(f"{where} is {shown(values)}; expected a list of {count} "
                         + (f"rows of {columns} numbers" if columns else "numbers") + " (the file's architecture)")
    if columns:
        return [_numbers(row, columns, f"{where}[{j}]") for j, row in enumerate(values)]
    return [as_float(value, f"{where}[{i}]") for i, value in enumerate(values)]
