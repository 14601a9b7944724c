"""The standard training step, once per contender, all from identical weights.

MLP 2 → 16 → 16 → 1, ReLU hidden, linear output; 100 two-moons points (refnet.data, seed 0);
micrograd's demo loss: mean hinge max(0, 1 − y·s) + 1e-4·Σ p² over every parameter; full
batch; SGD with lr 0.1. Each contender is a class with step() → the loss before the update,
and weights() → every parameter in one order (neuron by neuron: its weights, then its bias), so
check_agreement() can confirm that all compute the same numbers before anything is timed.
"""

import sys

sys.path.insert(0, __file__.rsplit("/", 2)[0] if "/" in __file__ else "..")

from refnet import collector, data, dense, losses, nn, optim  # noqa: E402
from refnet.compat import micrograd as compat  # noqa: E402
from refnet.init import glorot_shallow  # noqa: E402
from refnet.prng import PRNG  # noqa: E402

SIZES = [2, 16, 16, 1]
LEARNING_RATE = 0.1
ALPHA = 1e-4


def problem(n=100, seed=0):
    rng = PRNG(seed)
    points, labels = data.two_moons(n, noise=0.1, rng=rng)
    return points, data.signed_labels(labels)


def initial_weights(seed=1):
    """[(W out × in, b)] per layer, from refnet's PRNG."""
    rng = PRNG(seed)
    return [(glorot_shallow(SIZES[k], SIZES[k + 1], rng), [0.0] * SIZES[k + 1]) for k in range(len(SIZES) - 1)]


class _MicrogradStyle:
    """micrograd's demo step on a micrograd-shaped Value class (micrograd itself or refnet.compat),
    as its users write it: per-op loss, no collector pause."""

    def __init__(self, value_class, mlp_class, points, targets, weights):
        self.Value = value_class
        self.model = mlp_class(SIZES[0], SIZES[1:])
        for layer, (w, b) in zip(self.model.layers, weights):
            for neuron, row, bias in zip(layer.neurons, w, b):
                for p, v in zip(neuron.w, row):
                    p.data = v
                neuron.b.data = bias
        self.points, self.targets = points, targets

    def step(self):
        Value = self.Value
        inputs = [list(map(Value, row)) for row in self.points]
        scores = list(map(self.model, inputs))
        hinge = [(1 + -t * s).relu() for t, s in zip(self.targets, scores)]
        data_loss = sum(hinge) * (1.0 / len(hinge))
        reg_loss = ALPHA * sum((p * p for p in self.model.parameters()))
        total = data_loss + reg_loss
        self.model.zero_grad()
        total.backward()
        for p in self.model.parameters():
            p.data -= LEARNING_RATE * p.grad
        return total.data


    def weights(self):
        return [p.data for p in self.model.parameters()]

    def load(self, flat):
        for p, v in zip(self.model.parameters(), flat):
            p.data = v


class Micrograd(_MicrogradStyle):
    label = "micrograd 0.1.0"

    def __init__(self, points, targets, weights):
        from micrograd.engine import Value
        from micrograd.nn import MLP

        _MicrogradStyle.__init__(self, Value, MLP, points, targets, weights)


class RefnetCompat(_MicrogradStyle):
    label = "micrograd's code on refnet.compat.micrograd"

    def __init__(self, points, targets, weights):
        _MicrogradStyle.__init__(self, compat.Value, compat.MLP, points, targets, weights)


class RefnetMLP:
    """refnet's own API as train.fit uses it: MLP.batch (a fused node per neuron), the fused
    hinge and L2 losses, SGD, the step inside collector.paused()."""

    label = "refnet.nn.MLP, batch + fused losses"

    def __init__(self, points, targets, weights, fused=True):
        self.model = nn.MLP(SIZES[0], SIZES[1:], activation="relu", output_activation="linear", fused=fused)
        self.model.load_state_dict({"layers." + str(k) + "." + name: value for k, (w, b) in enumerate(weights)
                                    for name, value in (("weight", w), ("bias", b))})
        self.parameters = self.model.parameters()
        self.optimizer = optim.SGD(self.parameters, lr=LEARNING_RATE)
        self.points, self.targets = points, targets

    def step(self):
        with collector.paused():  # the whole step, as refnet.train.fit does: the graph is freed inside
            scores = [output[0] for output in self.model.batch(self.points)]
            total = losses.binary_hinge(scores, self.targets) + losses.l2_regularization(self.parameters, ALPHA)
            self.optimizer.zero_grad()
            total.backward()
            self.optimizer.step()
            value = total.data
            del scores, total
        return value

    def weights(self):
        return [p.data for p in self.parameters]

    def load(self, flat):
        for p, v in zip(self.parameters, flat):
            p.data = v


class RefnetDense:
    label = "refnet.dense (matrix form, lists)"

    def __init__(self, points, targets, weights):
        self.network = dense.Network([dense.DenseLayer(w, b, "relu" if k < 2 else "linear")
                                      for k, (w, b) in enumerate(weights)])
        self.params = self.network.parameters()
        self.optimizer = dense.Optimizer("sgd", LEARNING_RATE)
        self.points, self.targets = points, [[t] for t in targets]

    def step(self):
        _, value, gradients = self.network.loss_and_gradients(self.points, self.targets, "binary_hinge", ALPHA,
                                                              l2_biases=True)
        self.optimizer.step(self.params, dense.flat_gradients(gradients))
        return value

    def weights(self):
        return [v for layer in self.network.layers for row, b in zip(layer.weight, layer.bias) for v in row + [b]]

    def load(self, flat):
        k = 0
        for layer in self.network.layers:
            for j, row in enumerate(layer.weight):
                row[:] = flat[k:k + len(row)]
                layer.bias[j] = flat[k + len(row)]
                k += len(row) + 1


class Numpy:
    label = "NumPy (same math, vectorised)"

    def __init__(self, points, targets, weights):
        import numpy as np

        self.np = np
        self.params = [(np.array(w), np.array(b)) for w, b in weights]
        self.x = np.array(points)
        self.t = np.array(targets)[:, None]

    def step(self):
        np = self.np
        activations, nets = [self.x], []
        for k, (w, b) in enumerate(self.params):
            z = activations[-1] @ w.T + b
            nets.append(z)
            activations.append(np.maximum(z, 0.0) if k < 2 else z)
        s = activations[-1]
        n = s.shape[0]
        gap = 1.0 - self.t * s
        value = np.sum(np.where(gap > 0, gap, 0.0)) / n + ALPHA * sum(np.sum(w * w) + np.sum(b * b) for w, b in self.params)
        d = np.where(gap > 0, -self.t, 0.0) / n
        grads = []
        for k in range(2, -1, -1):
            w, b = self.params[k]
            if k < 2:
                d = d * (nets[k] > 0)
            grads.append((d.T @ activations[k] + 2 * ALPHA * w, d.sum(axis=0) + 2 * ALPHA * b))
            d = d @ w
        for (w, b), (dw, db) in zip(self.params, reversed(grads)):
            w -= LEARNING_RATE * dw
            b -= LEARNING_RATE * db
        return float(value)

    def weights(self):
        return [float(v) for w, b in self.params for row, bias in zip(w, b) for v in list(row) + [bias]]

    def load(self, flat):
        k = 0
        for w, b in self.params:
            for j in range(w.shape[0]):
                w[j, :] = flat[k:k + w.shape[1]]
                b[j] = flat[k + w.shape[1]]
                k += w.shape[1] + 1


class Torch:
    label = "PyTorch 2.13 (CPU, float64, autograd)"

    def __init__(self, points, targets, weights):
        import torch

        torch.set_num_threads(1)
        self.torch = torch
        self.params = [(torch.tensor(w, dtype=torch.float64, requires_grad=True),
                        torch.tensor(b, dtype=torch.float64, requires_grad=True)) for w, b in weights]
        self.flat = [p for pair in self.params for p in pair]
        self.x = torch.tensor(points, dtype=torch.float64)
        self.t = torch.tensor(targets, dtype=torch.float64)[:, None]
        self.optimizer = torch.optim.SGD(self.flat, lr=LEARNING_RATE)

    def step(self):
        torch = self.torch
        a = self.x
        for k, (w, b) in enumerate(self.params):
            a = a @ w.T + b
            if k < 2:
                a = torch.relu(a)
        value = torch.relu(1.0 - self.t * a).mean() + ALPHA * sum((p * p).sum() for p in self.flat)
        self.optimizer.zero_grad()
        value.backward()
        self.optimizer.step()
        return value.item()

    def weights(self):
        return [float(v) for w, b in self.params for row, bias in zip(w.detach(), b.detach()) for v in list(row) + [bias]]

    def load(self, flat):
        k = 0
        with self.torch.no_grad():
            for w, b in self.params:
                for j in range(w.shape[0]):
                    w[j, :] = self.torch.tensor(flat[k:k + w.shape[1]], dtype=self.torch.float64)
                    b[j] = flat[k + w.shape[1]]
                    k += w.shape[1] + 1


ALL = [Micrograd, RefnetCompat, RefnetMLP, RefnetDense, Numpy, Torch]


def available(contender):
    try:
        points, targets = problem(4)
        contender(points, targets, initial_weights())
    except ImportError:
        return False
    return True


def check_agreement(contenders, steps=3):
    """Every contender's losses and final weights after `steps` steps, against the first one's."""
    points, targets = problem()
    results = []
    for contender in contenders:
        runner = contender(points, targets, initial_weights())
        results.append(([runner.step() for _ in range(steps)], runner.weights()))
    reference_losses, reference_weights = results[0]
    worst = 0.0
    for contender, (step_losses, weights) in zip(contenders, results):
        for a, b in zip(step_losses + weights, reference_losses + reference_weights):
            worst = max(worst, abs(a - b) / max(1.0, abs(b)))
        if len(weights) != len(reference_weights):
            raise SystemExit(contender.label + ": a different number of parameters")
    return worst
