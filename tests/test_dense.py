"""The dense path against the scalar path: the same weights and data give the same gradients
(to 1e-12 relative) for every activation and every loss, two derivations of one mathematics."""

from _support import all_close, close, raises

from refnet import RefnetError, dense, losses, nn
from refnet.init import glorot_shallow
from refnet.prng import PRNG
from refnet.value import Value

X = [[0.5, -1.2, 0.3], [1.5, 0.25, -0.75], [-0.4, 0.9, 1.1], [0.0, -0.6, 0.2]]
REL, ABS = 1e-12, 1e-15

LOSS_CASES = [  # (loss, output activation, targets for a batch of four with two outputs)
    ("mse", "linear", [[0.5, -1.0], [1.0, 0.0], [0.0, 2.0], [-0.5, 0.5]]),
    ("mae", "tanh", [[0.5, -1.0], [1.0, 0.0], [0.0, 2.0], [-0.5, 0.5]]),
    ("mape", "linear", [[0.5, -1.0], [1.0, 0.25], [0.75, 2.0], [-0.5, 0.5]]),
    ("half_squared_error", "sigmoid", [[0.5, 1.0], [1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]),
    ("binary_cross_entropy", "sigmoid", [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.25, 0.5]]),
    ("categorical_cross_entropy", "sigmoid", [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.0, 1.0]]),
    ("sparse_categorical_cross_entropy", "sigmoid", [0, 1, 1, 0]),
    ("softmax_cross_entropy", "linear", [0, 1, 1, 0]),
    ("multiclass_hinge", "linear", [0, 1, 1, 0]),
    ("binary_hinge", "linear", [[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [-1.0, -1.0]]),
]


def weights(seed):
    rng = PRNG(seed)
    return [glorot_shallow(3, 5, rng), [0.1, -0.2, 0.05, 0.0, 0.3], glorot_shallow(5, 2, rng), [0.2, -0.1]]


def scalar_gradients(activation, output_activation, loss, targets, l2):
    w1, b1, w2, b2 = weights(7)
    layers = [nn.Layer(3, 5, activation, weights=w1, biases=b1), nn.Layer(5, 2, output_activation, weights=w2, biases=b2)]
    rows = [[Value(v) for v in row] for row in X]
    outputs = []
    for row in rows:
        values = row
        for layer in layers:
            values = layer(values)
        outputs.append(values)
    value = getattr(losses, loss)(outputs, targets)
    if l2:
        value = value + losses.l2_regularization([w for layer in layers for r in layer.weight for w in r], l2)
    value.backward()
    grads = []
    for layer in layers:
        grads.append([[w.grad for w in r] for r in layer.weight])
        grads.append([b.grad for b in layer.bias])
    return value.data, grads, [[v.grad for v in row] for row in rows]


def dense_gradients(activation, output_activation, loss, targets, l2):
    w1, b1, w2, b2 = weights(7)
    network = dense.Network([dense.DenseLayer(w1, b1, activation), dense.DenseLayer(w2, b2, output_activation)])
    _, value, gradients = network.loss_and_gradients(X, targets, loss, l2)
    grads = []
    for dw, db in gradients:
        grads.extend([dw, db])
    caches = []
    x = X
    for layer in network.layers:
        x, cache = layer.forward(x)
        caches.append(cache)
    _, dy = dense.loss_and_gradient(loss, x, targets)
    for layer, cache in zip(reversed(network.layers), reversed(caches)):
        dy, _, _ = layer.backward(cache, dy)
    return value, grads, dy


def flat(structure):
    if isinstance(structure, list):
        return [v for item in structure for v in flat(item)]
    return [structure]


def test_every_activation_and_loss_gives_the_same_gradients_on_both_paths():
    for activation in dense.ACTIVATIONS:
        for loss, output_activation, targets in LOSS_CASES:
            scalar = scalar_gradients(activation, output_activation, loss, targets, 1e-3)
            matrix = dense_gradients(activation, output_activation, loss, targets, 1e-3)
            where = activation + " + " + loss
            assert close(scalar[0], matrix[0], rel=REL), where
            assert all_close(flat(scalar[1]), flat(matrix[1]), rel=REL, abs_tol=ABS), where
            assert all_close(flat(scalar[2]), flat(matrix[2]), rel=REL, abs_tol=ABS), where


def test_kinks_follow_the_scalar_conventions():
    # a relu unit whose net input is exactly 0 passes no gradient; a hinge at its margin neither
    layer = dense.DenseLayer([[1.0, -1.0]], [0.0], "relu")
    y, cache = layer.forward([[2.0, 2.0]])
    dx, dw, db = layer.backward(cache, [[1.0]])
    assert y == [[0.0]] and dx == [[0.0, 0.0]] and dw == [[0.0, 0.0]] and db == [0.0]
    value, grad = dense.loss_and_gradient("binary_hinge", [[1.0]], [[1.0]])
    assert value == 0.0 and grad == [[0.0]]


def test_training_matches_the_scalar_path_step_for_step():
    w1, b1, w2, b2 = weights(3)
    targets = [[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [-1.0, -1.0]]
    network = dense.Network([dense.DenseLayer(w1, b1, "tanh"), dense.DenseLayer(w2, b2, "linear")])
    dense_losses = dense.train(network, X, targets, "mse", dense.Optimizer("adam", 0.05), steps=5)
    layers = [nn.Layer(3, 5, "tanh", weights=w1, biases=b1), nn.Layer(5, 2, "linear", weights=w2, biases=b2)]
    from refnet import optim

    params = [p for layer in layers for p in layer.parameters()]
    optimizer = optim.Adam(params, lr=0.05)
    scalar_losses = []
    for _ in range(5):
        optimizer.zero_grad()
        outputs = [layers[1](layers[0](row)) for row in X]
        value = losses.mse(outputs, targets)
        scalar_losses.append(value.data)
        value.backward()
        optimizer.step()
    assert all_close(dense_losses, scalar_losses, rel=1e-10)
    assert all_close(flat(network.layers[0].weight), flat([[w.data for w in r] for r in layers[0].weight]), rel=1e-10)


def test_errors_name_the_layer_and_the_sizes():
    layer = dense.DenseLayer([[1.0, 2.0]], [0.0], "linear", name="hidden")
    error = raises(RefnetError, layer.forward, [[1.0, 2.0, 3.0]])
    assert "hidden" in str(error) and "3 inputs" in str(error) and "expected 2" in str(error)
    raises(RefnetError, dense.DenseLayer, [[1.0]], [0.0, 1.0])
    raises(RefnetError, dense.DenseLayer, [[1.0]], [0.0], "softplus")
    raises(RefnetError, dense.loss_and_gradient, "mape", [[1.0]], [[0.0]])
    raises(RefnetError, dense.loss_and_gradient, "mse", [[1.0]], [[0.0, 1.0]])
    raises(RefnetError, dense.Optimizer, "sgd", -0.1)
    raises(RefnetError, dense.Optimizer, "lbfgs", 0.1)


def test_forward_takes_rows_as_lists_or_tuples_and_matches_the_formula():
    # Z = X·Wᵀ + b by hand for one example: z₀ = 1·2 + 2·(−1) + 0.5, z₁ = 1·0.5 + 2·0.25 − 1
    layer = dense.DenseLayer([[2.0, -1.0], [0.5, 0.25]], [0.5, -1.0], "linear")
    y_list, _ = layer.forward([[1.0, 2.0]])
    y_tuple, _ = layer.forward([(1.0, 2.0)])
    assert y_list == y_tuple == [[0.5, 0.0]]


def test_backward_without_the_input_gradient():
    # a first layer's inputs are data: backward(..., input_gradient=False) skips dX = dZ·W
    layer = dense.DenseLayer([[2.0, -1.0]], [0.5], "relu")
    y, cache = layer.forward([[1.0, 2.0]])
    with_dx = layer.backward(cache, [[3.0]])
    without_dx = layer.backward(cache, [[3.0]], input_gradient=False)
    assert with_dx[0] == [[6.0, -3.0]] and without_dx[0] == []
    assert with_dx[1:] == without_dx[1:] == ([[3.0, 6.0]], [3.0])
