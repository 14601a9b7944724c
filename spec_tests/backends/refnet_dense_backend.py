"""The refnet-dense adapter: the conformance suite on refnet.dense, the matrix form of backprop.

    python -m spec_tests --backend refnet-dense

refnet.dense derives every gradient a second way (layer by layer, dX = dZ·W, dW = dZᵀ·X),
independently of the scalar Value graph, so this adapter checks it against the same fixtures.
Expression graphs are scalar by nature: the dense path has none, and the graph family is
reported unsupported (the refnet adapter covers it), and so is numeric_gradient, which
differentiates such graphs. Dropout is refnet.dense's dropout_forward/dropout_backward pair.
The PRNG, initialisers and learning-rate schedules are refnet's.
"""

from refnet import dense
from refnet import functional as F
from refnet import init as initialisers
from spec_tests.backends.refnet_backend import RefnetBackend
from spec_tests.protocol import Unsupported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List


def _network(layers: "List[Dict[str, Any]]") -> dense.Network:
    return dense.Network([dense.DenseLayer(layer["weight"], layer["bias"], layer["activation"], layer.get("alpha", 0.01),
                                           name="layers." + str(k))
                          for k, layer in enumerate(layers)])


def _optimizer(name: str, h: "Dict[str, float]") -> dense.Optimizer:
    return dense.Optimizer(name, h["lr"], momentum=h.get("momentum", 0.0), alpha=h.get("alpha", 0.99),
                           betas=(h.get("beta1", 0.9), h.get("beta2", 0.999)), eps=h.get("eps"))


class RefnetDenseBackend(RefnetBackend):
    name = "refnet-dense"

    def graph(self, inputs: "List[List[Any]]", nodes: "List[Dict[str, Any]]") -> "Dict[str, Any]":
        raise Unsupported("the dense path has no scalar expression graphs (--backend refnet runs them)")

    def activation(self, name: str, x: "List[float]", upstream: "List[float]", attrs: "Dict[str, Any]") -> "Dict[str, Any]":
        if name == "softmax":
            probabilities = F.softmax(x)
            return {"y": probabilities, "dx": F.softmax_jvp(probabilities, upstream)}
        if name == "log_softmax":
            s = F.softmax(x)
            total = sum(upstream)
            return {"y": F.log_softmax(x), "dx": [u - p * total for u, p in zip(upstream, s)]}
        if name == "step":
            return {"y": [F.step(v) for v in x], "dx": [F.step_derivative(v) * u for v, u in zip(x, upstream)]}
        y, slopes = dense.activate([x], name, attrs.get("alpha", 0.01))
        return {"y": y[0], "dx": [s * u for s, u in zip(slopes[0], upstream)]}

    def loss(self, name: str, predictions: "List[List[float]]", targets: "Any", attrs: "Dict[str, Any]") -> "Dict[str, Any]":
        value, grad = dense.loss_and_gradient(name, predictions, targets, attrs.get("margin", 1.0))
        return {"loss": value, "dpredictions": grad}

    def dense(self, activation: str, weight: "List[List[float]]", bias: "List[float]", x: "List[List[float]]",
              upstream: "List[List[float]]", attrs: "Dict[str, Any]") -> "Dict[str, Any]":
        layer = dense.DenseLayer(weight, bias, activation, attrs.get("alpha", 0.01))
        y, cache = layer.forward(x)
        dx, dw, db = layer.backward(cache, upstream)
        return {"y": y, "dx": dx, "dweight": dw, "dbias": db}

    def network(self, layers: "List[Dict[str, Any]]", x: "List[List[float]]", targets: "Any", loss: "Dict[str, Any]",
                l2: float) -> "Dict[str, Any]":
        outputs, value, gradients = _network(layers).loss_and_gradients(
            x, targets, loss["name"], l2, loss.get("attrs", {}).get("margin", 1.0))
        return {"outputs": outputs, "loss": value, "gradients": [{"weight": dw, "bias": db} for dw, db in gradients]}

    def optimizer(self, name: str, hyperparameters: "Dict[str, float]", params: "List[float]",
                  gradients: "List[List[float]]") -> "Dict[str, Any]":
        current = list(params)
        opt = _optimizer(name, hyperparameters)
        history = []
        for g in gradients:
            opt.step([current], [g])
            history.append(list(current))
        return {"params": history}

    def training(self, layers: "List[Dict[str, Any]]", x: "List[List[float]]", targets: "Any", loss: "Dict[str, Any]",
                 l2: float, optimizer: "Dict[str, Any]", steps: int) -> "Dict[str, Any]":
        network = _network(layers)
        recorded = dense.train(network, x, targets, loss["name"], _optimizer(optimizer["name"], optimizer["hyperparameters"]),
                               steps, l2, loss.get("attrs", {}).get("margin", 1.0))
        return {"losses": recorded, "layers": [{"weight": layer.weight, "bias": layer.bias} for layer in network.layers]}

    def dropout(self, x: "List[List[float]]", mask: "List[List[int]]", p: float,
                upstream: "List[List[float]]") -> "Dict[str, Any]":
        y, cache = dense.dropout_forward(x, mask, p)
        return {"y": y, "dx": dense.dropout_backward(cache, upstream)}

    def numeric_gradient(self, inputs: "List[List[Any]]", nodes: "List[Dict[str, Any]]", eps: float) -> "Dict[str, Any]":
        raise Unsupported("the dense path has no scalar expression graphs (--backend refnet runs them)")


backend = RefnetDenseBackend
