"""The refnet adapter: every family through refnet's public API (Value, nn, losses, optim, init, prng).

    python -m spec_tests --backend refnet

Gradients come from Value.backward(): a vector-Jacobian product J^T u is the gradient of the
scalar Σ u_i y_i, built from Value nodes with the upstream numbers as constants.
"""

from refnet import functional as F
from refnet import init as initialisers
from refnet import gradcheck, losses, nn, optim, schedules
from refnet.prng import PRNG
from refnet.value import Value
from spec_tests.protocol import Backend, Unsupported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Sequence

UNARY = ("exp", "log", "tanh", "sigmoid", "relu", "abs")
BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
          "pow": lambda a, b: a ** b, "max": lambda a, b: Value.max(a, b)}  # type: Dict[str, Callable[[Any, Any], Value]]


def _weighted_sum(values: "Sequence[Value]", weights: "Sequence[float]") -> Value:
    total = Value(0.0)
    for value, weight in zip(values, weights):
        total = total + value * weight
    return total


def _data(values: "Any") -> "Any":
    if isinstance(values, Value):
        return values.data
    return [_data(v) for v in values]


def _grads(values: "Any") -> "Any":
    if isinstance(values, Value):
        return values.grad
    return [_grads(v) for v in values]


def _layers(specification: "List[Dict[str, Any]]") -> "List[nn.Layer]":
    layers = []
    for k, layer in enumerate(specification):
        weight = layer["weight"]
        layers.append(nn.Layer(len(weight[0]), len(weight), activation=layer["activation"], weights=weight,
                               biases=layer["bias"], name="layers." + str(k), alpha=layer.get("alpha", 0.01)))
    return layers


def _forward(layers: "List[nn.Layer]", x: "List[List[float]]") -> "List[List[Value]]":
    outputs = []
    for row in x:
        activations = [Value(v) for v in row]
        for layer in layers:
            activations = layer(activations)
        outputs.append(activations)
    return outputs


LOSSES = {
    "mse": losses.mse, "mae": losses.mae, "mape": losses.mape, "half_squared_error": losses.half_squared_error,
    "binary_cross_entropy": losses.binary_cross_entropy, "categorical_cross_entropy": losses.categorical_cross_entropy,
    "sparse_categorical_cross_entropy": losses.sparse_categorical_cross_entropy,
    "softmax_cross_entropy": losses.softmax_cross_entropy, "multiclass_hinge": losses.multiclass_hinge,
    "binary_hinge": losses.binary_hinge,
}


def _loss(name: str, predictions: "Any", targets: "Any", attrs: "Dict[str, Any]") -> Value:
    if name not in LOSSES:
        raise Unsupported("refnet has no loss " + repr(name))
    if name == "multiclass_hinge":
        return losses.multiclass_hinge(predictions, targets, margin=attrs.get("margin", 1.0))
    return LOSSES[name](predictions, targets)


def _network_loss(layers: "List[nn.Layer]", x: "Any", targets: "Any", loss: "Dict[str, Any]", l2: float) -> "Any":
    outputs = _forward(layers, x)
    value = _loss(loss["name"], outputs, targets, loss.get("attrs", {}))
    if l2:
        weights = [w for layer in layers for row in layer.weight for w in row]
        value = value + losses.l2_regularization(weights, l2)
    return outputs, value


def _optimizer(name: str, params: "List[Value]", h: "Dict[str, float]") -> optim.Optimizer:
    if name == "sgd":
        return optim.SGD(params, lr=h["lr"], momentum=h.get("momentum", 0.0))
    if name == "adagrad":
        return optim.Adagrad(params, lr=h["lr"], eps=h["eps"])
    if name == "rmsprop":
        return optim.RMSProp(params, lr=h["lr"], alpha=h["alpha"], eps=h["eps"])
    if name == "adam":
        return optim.Adam(params, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"])
    raise Unsupported("refnet has no optimizer " + repr(name))


class RefnetBackend(Backend):
    name = "refnet"
    precision = "float64"
    device = "cpu"

    def __init__(self, precision: str = "float64", device: str = "cpu") -> None:
        if precision != "float64":
            raise ValueError("refnet computes in float64 (Python floats); got precision " + repr(precision))
        if device != "cpu":
            raise ValueError("refnet runs on the CPU; got device " + repr(device))

    def graph(self, inputs: "List[List[Any]]", nodes: "List[Dict[str, Any]]") -> "Dict[str, Any]":
        values = {}  # type: Dict[str, Value]
        leaves = []
        for name, number in inputs:
            values[name] = Value(number)
            leaves.append(values[name])
        computed = []
        for node in nodes:
            args = [values[a] if isinstance(a, str) else a for a in node["args"]]
            op = node["op"]
            if op == "add":
                out = args[0] + args[1]
            elif op == "sub":
                out = args[0] - args[1]
            elif op == "mul":
                out = args[0] * args[1]
            elif op == "div":
                out = args[0] / args[1]
            elif op == "neg":
                out = -args[0]
            elif op == "pow":
                out = args[0] ** args[1]
            elif op == "max":
                out = Value.max(args[0], args[1])
            elif op == "leaky_relu":
                out = args[0].leaky_relu(node.get("attrs", {}).get("alpha", 0.01))
            elif op in UNARY:
                out = getattr(args[0], op)()
            else:
                raise Unsupported("refnet has no op " + repr(op))
            values[node["name"]] = out
            computed.append(out)
        computed[-1].backward()
        return {"values": _data(computed), "gradients": _grads(computed), "input_gradients": _grads(leaves)}

    def activation(self, name: str, x: "List[float]", upstream: "List[float]", attrs: "Dict[str, Any]") -> "Dict[str, Any]":
        if name == "step":  # no gradient flows through a step: f′ = 0 (refnet.functional.step_derivative)
            return {"y": [F.step(v) for v in x], "dx": [F.step_derivative(v) * u for v, u in zip(x, upstream)]}
        inputs = [Value(v) for v in x]
        if name == "softmax":
            outputs = nn.softmax(inputs)
        elif name == "log_softmax":
            top = max(x)
            shifted = [v - top for v in inputs]
            total = Value(0.0)
            for s in shifted:
                total = total + s.exp()
            log_total = total.log()
            outputs = [s - log_total for s in shifted]
        elif name == "leaky_relu":
            outputs = [v.leaky_relu(attrs.get("alpha", 0.01)) for v in inputs]
        elif name in nn.ACTIVATIONS:
            outputs = [nn.activate(v, name) for v in inputs]
        else:
            raise Unsupported("refnet has no activation " + repr(name))
        _weighted_sum(outputs, upstream).backward()
        return {"y": _data(outputs), "dx": _grads(inputs)}

    def loss(self, name: str, predictions: "List[List[float]]", targets: "Any", attrs: "Dict[str, Any]") -> "Dict[str, Any]":
        rows = [[Value(v) for v in row] for row in predictions]
        value = _loss(name, rows, targets, attrs)
        value.backward()
        return {"loss": value.data, "dpredictions": _grads(rows)}

    def dense(self, activation: str, weight: "List[List[float]]", bias: "List[float]", x: "List[List[float]]",
              upstream: "List[List[float]]", attrs: "Dict[str, Any]") -> "Dict[str, Any]":
        layer = nn.Layer(len(weight[0]), len(weight), activation=activation, weights=weight, biases=bias,
                         alpha=attrs.get("alpha", 0.01))
        inputs = [[Value(v) for v in row] for row in x]
        outputs = [layer(row) for row in inputs]
        total = Value(0.0)
        for out_row, up_row in zip(outputs, upstream):
            total = total + _weighted_sum(out_row, up_row)
        total.backward()
        return {"y": _data(outputs), "dx": _grads(inputs), "dweight": _grads(layer.weight), "dbias": _grads(layer.bias)}

    def network(self, layers: "List[Dict[str, Any]]", x: "List[List[float]]", targets: "Any", loss: "Dict[str, Any]",
                l2: float) -> "Dict[str, Any]":
        model = _layers(layers)
        outputs, value = _network_loss(model, x, targets, loss, l2)
        value.backward()
        return {"outputs": _data(outputs), "loss": value.data,
                "gradients": [{"weight": _grads(layer.weight), "bias": _grads(layer.bias)} for layer in model]}

    def optimizer(self, name: str, hyperparameters: "Dict[str, float]", params: "List[float]",
                  gradients: "List[List[float]]") -> "Dict[str, Any]":
        values = [Value(p) for p in params]
        optimizer = _optimizer(name, values, hyperparameters)
        history = []
        for step in gradients:
            for value, g in zip(values, step):
                value.grad = g
            optimizer.step()
            history.append(_data(values))
        return {"params": history}

    def training(self, layers: "List[Dict[str, Any]]", x: "List[List[float]]", targets: "Any", loss: "Dict[str, Any]",
                 l2: float, optimizer: "Dict[str, Any]", steps: int) -> "Dict[str, Any]":
        model = _layers(layers)
        params = [p for layer in model for p in layer.parameters()]
        opt = _optimizer(optimizer["name"], params, optimizer["hyperparameters"])
        recorded = []
        for _ in range(steps):
            opt.zero_grad()
            _, value = _network_loss(model, x, targets, loss, l2)
            recorded.append(value.data)
            value.backward()
            opt.step()
        return {"losses": recorded, "layers": [{"weight": _data(layer.weight), "bias": _data(layer.bias)} for layer in model]}

    def prng(self, seed: int, draws: "List[Dict[str, Any]]") -> "Dict[str, Any]":
        rng = PRNG(seed)
        values = []  # type: List[Any]
        for draw in draws:
            kind = draw["kind"]
            if kind == "u64":
                values.append("0x%016X" % rng.next_u64())
            elif kind == "random":
                values.append(rng.random())
            elif kind == "uniform":
                values.append(rng.uniform(draw["low"], draw["high"]))
            elif kind == "below":
                values.append(rng.below(draw["n"]))
            elif kind == "normal":
                values.append(rng.normal(draw["mean"], draw["std"]))
            else:
                raise Unsupported("unknown draw kind " + repr(kind))
        return {"values": values}

    def init(self, name: str, seed: int, fan_in: int, fan_out: int) -> "Dict[str, Any]":
        return {"weight": initialisers.get(name)(fan_in, fan_out, PRNG(seed))}

    def schedule(self, name: str, hyperparameters: "Dict[str, Any]", steps: "List[int]") -> "Dict[str, Any]":
        h = hyperparameters
        if name == "constant":
            rule = schedules.Constant(h["lr"])  # type: schedules.Schedule
        elif name == "linear":
            rule = schedules.LinearDecay(h["start"], h["end"], h["steps"])
        elif name == "step":
            rule = schedules.StepDecay(h["lr"], h["step_size"], h["gamma"])
        else:
            raise Unsupported("refnet has no schedule " + repr(name))
        return {"lr": [rule(k) for k in steps]}

    def dropout(self, x: "List[List[float]]", mask: "List[List[int]]", p: float,
                upstream: "List[List[float]]") -> "Dict[str, Any]":
        layer = nn.Dropout(p)
        inputs = [[Value(v) for v in row] for row in x]
        outputs = [layer.apply_mask(row, kept) for row, kept in zip(inputs, mask)]
        total = Value(0.0)
        for out_row, up_row in zip(outputs, upstream):
            total = total + _weighted_sum(out_row, up_row)
        total.backward()
        return {"y": _data(outputs), "dx": _grads(inputs)}

    @staticmethod
    def expression(names: "List[str]", leaves: "List[Value]", nodes: "List[Dict[str, Any]]") -> Value:
        """The output node of the expression graph `nodes` on the given leaves (graph's ops)."""
        values = dict(zip(names, leaves))
        for node in nodes:
            args = [values[a] if isinstance(a, str) else a for a in node["args"]]
            op = node["op"]
            if op in BINARY:
                out = BINARY[op](args[0], args[1])
            elif op == "leaky_relu":
                out = args[0].leaky_relu(node.get("attrs", {}).get("alpha", 0.01))
            elif op in UNARY or op == "neg":
                out = getattr(args[0], "__neg__" if op == "neg" else op)()
            else:
                raise Unsupported("refnet has no op " + repr(op))
            values[node["name"]] = out
        return values[nodes[-1]["name"]]

    def numeric_gradient(self, inputs: "List[List[Any]]", nodes: "List[Dict[str, Any]]", eps: float) -> "Dict[str, Any]":
        names = [name for name, _ in inputs]
        point = [float(value) for _, value in inputs]

        def f(leaves: "List[Value]") -> Value:
            return self.expression(names, leaves, nodes)

        def f_of_floats(xs: "List[float]") -> float:
            return f([Value(x) for x in xs]).data

        report = gradcheck.gradcheck(f, point, eps=eps, method="central")
        return {"one_sided": gradcheck.numeric_gradient(f_of_floats, point, eps, method="one-sided"),
                "central": [check.numeric for check in report.checks],
                "analytic": [check.analytic for check in report.checks],
                "relative_error": [check.relative_error for check in report.checks]}


backend = RefnetBackend
