"""refnet.compat.micrograd: micrograd 0.1.0 code runs with only its import changed."""

import random

from _support import close, raises
from refnet import InputError
from refnet.compat.micrograd import MLP, Layer, Neuron, Value


def test_micrograd_sanity_check_expression():
    # micrograd's test_engine.py sanity check; closed form at x = -4:
    # z = 2x + 2 + x = -10, q = relu(z) + z·x = 40, h = relu(z²) = 100, y = h + q + q·x = -20,
    # dy/dx = 2z·3 + (3x + z) + ((3x + z)·x + q) = -60 - 22 + 128 = 46
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert y.data == -20.0 and x.grad == 46.0


def test_micrograd_more_ops_readme_expression():
    # micrograd README: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b ** 3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert (f"{g.data:.4f}", f"{a.grad:.4f}", f"{b.grad:.4f}") == ("24.7041", "138.8338", "645.5773")
    # closed form, step by step: c = -2, d = 0, c = -3, c = -1, d = 0 + relu(-2) = 0,
    # d = 0 + relu(6) = 6, e = -7, f = 49, g = 49/2 + 10/49
    assert close(g.data, 49.0 / 2.0 + 10.0 / 49.0, rel=1e-15)


def test_micrograd_graph_shapes_are_kept():
    a, b = Value(3.0), Value(2.0)
    assert (a - b)._op == "+" and (-a)._op == "*" and (a / b)._op == "*"
    out = a * b
    assert out._prev == {a, b} and isinstance(out, Value)
    assert Value(1.0, (a,), "custom")._op == "custom"
    error = raises(InputError, lambda: a ** b)
    assert "int/float" in str(error)


def test_op_is_a_label_that_may_be_changed_without_changing_the_gradients():
    # micrograd's _op is only a label (for drawing); refnet's binary gates keep their derivatives when relabelled
    for make in (lambda p, q: p * q, lambda p, q: p + q, lambda p, q: p / q, lambda p, q: p.tanh(),
                 lambda p, q: Value(7.0, (p, q), "hand")):
        expected = []
        for relabel in (False, True):
            a, b = Value(2.0), Value(3.0)
            node = make(a, b)
            if relabel:
                node._op = "renamed"
                assert node._op == "renamed" == node.op
            (node * node).backward()
            expected.append((a.grad, b.grad))
        assert expected[0] == expected[1], expected
    error = raises(InputError, setattr, Value(1.0), "_op", 3)
    assert "_op" in str(error), error


def test_a_node_built_by_hand_passes_nothing_back_as_in_micrograd():
    # micrograd: Value(data, _children, _op) has no backward rule (its _backward does nothing),
    # so its children receive no gradient; the node itself gets ∂self/∂self = 1
    a, b = Value(2.0), Value(3.0)
    pair = Value(5.0, (a, b), "+")
    pair.backward()
    assert (pair.grad, a.grad, b.grad) == (1.0, 0.0, 0.0)
    single = Value(4.0, (a,), "custom")
    (single * 2.0).backward()
    assert (single.grad, a.grad) == (2.0, 0.0)


def test_neuron_layer_mlp_follow_micrograd():
    random.seed(1337)
    neuron = Neuron(3)
    assert repr(neuron) == "ReLUNeuron(3)" and len(neuron.parameters()) == 4 and neuron.b.data == 0.0
    assert all(-1.0 <= w.data <= 1.0 for w in neuron.w)
    assert repr(Neuron(2, nonlin=False)) == "LinearNeuron(2)"
    single = Layer(2, 1)([1.0, 2.0])
    assert isinstance(single, Value)  # micrograd: a layer of one neuron returns a Value
    assert isinstance(Layer(2, 3)([1.0, 2.0]), list)
    model = MLP(2, [16, 16, 1])
    assert len(model.parameters()) == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1)
    assert repr(model.layers[-1]).startswith("Layer of [LinearNeuron(16)")
    assert repr(model).startswith("MLP of [Layer of [ReLUNeuron(2)")


def test_neuron_sums_bias_first_then_weighted_inputs():
    # micrograd: act = sum((wi*xi for ...), self.b) = ((b + w0x0) + w1x1)
    neuron = Neuron(2, nonlin=False)
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.5, -2.0, 1.0
    assert neuron([2.0, 3.0]).data == ((1.0 + 0.5 * 2.0) + -2.0 * 3.0)


def test_weights_come_from_python_random_uniform():
    random.seed(7)
    expected = [random.uniform(-1, 1) for _ in range(3)]
    random.seed(7)
    assert [w.data for w in Neuron(3).w] == expected


def test_micrograd_demo_training_loop_runs_and_lowers_the_loss():
    # micrograd's demo.ipynb loop: hinge loss + 1e-4·Σp², SGD with lr = 1.0 - 0.9k/100
    random.seed(1337)
    xs = [[2.0, 1.0], [-1.5, -0.5], [1.0, 2.5], [-2.0, -1.0], [0.5, 1.5], [-1.0, -2.0]]
    ys = [1, -1, 1, -1, 1, -1]
    model = MLP(2, [8, 8, 1])

    def loss():
        scores = list(map(model, xs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(ys, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum((p * p for p in model.parameters()))
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(ys, scores)]
        return data_loss + reg_loss, sum(accuracy) / len(accuracy)

    first, _ = loss()
    for k in range(20):
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    last, acc = loss()
    assert last.data < first.data and acc == 1.0
