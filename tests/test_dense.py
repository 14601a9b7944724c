"""The dense path against the scalar path: the same weights and data give the same gradients
(to 1e-12 relative) for every activation and every loss, two derivations of one mathematics."""

import math

from _support import all_close, close, raises

from refnet import RefnetError, dense, losses, nn
from refnet import functional as F
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


def signed(rows):
    """A matrix compared bit for bit: each entry with its sign (−0.0 differs from 0.0), nan as a word."""
    return [[(v, math.copysign(1.0, v)) if v == v else "nan" for v in row] for row in rows]


def random_matrix(rng, rows, columns, zeros=0.0):
    """rows × columns of uniform numbers in [−1, 1), each 0.0 with probability `zeros`."""
    return [[0.0 if rng.random() < zeros else rng.uniform(-1.0, 1.0) for _ in range(columns)] for _ in range(rows)]


def test_times_transposed_adds_like_dot_for_every_length_and_computes_only_where_asked():
    # dot products of 1–3 terms are written out, longer ones use sum(map(...)): both must add
    # left to right from 0.0 exactly as refnet.functional.dot does, bit for bit
    from refnet import functional as F

    rng = PRNG(5)
    for terms in range(7):
        a, b = random_matrix(rng, 4, terms), random_matrix(rng, 3, terms)
        where = [[float(rng.random() < 0.5) for _ in range(3)] for _ in range(4)]
        expected = [[F.dot(row, other) for other in b] for row in a]
        assert dense.times_transposed(a, b) == expected, terms
        assert dense.times_transposed([tuple(r) for r in a], [tuple(r) for r in b]) == expected, terms
        masked = dense.times_transposed(a, b, where)
        assert masked == [[e if w else 0.0 for e, w in zip(er, wr)] for er, wr in zip(expected, where)], terms


def test_backward_computes_dx_only_where_wanted():
    # a network passes the slopes of the ReLU layer below: where that unit is off, its dZ is 0
    # whatever dX is, so those entries of dX are not computed (0.0)
    rng = PRNG(11)
    for n_out in (1, 2, 5):  # one unit: dX's dot products have one term each
        layer = dense.DenseLayer(random_matrix(rng, n_out, 4), [0.1] * n_out, "tanh")
        x = random_matrix(rng, 6, 4)
        _, cache = layer.forward(x)
        dy = random_matrix(rng, 6, n_out)
        wanted = [[1.0, 0.0, 0.0, 1.0], [0.0] * 4, [1.0] * 4, [0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
        full = layer.backward(cache, dy)
        part = layer.backward(cache, dy, wanted=wanted)
        assert part[0] == [[v if w else 0.0 for v, w in zip(vr, wr)] for vr, wr in zip(full[0], wanted)]
        assert part[1:] == full[1:]


def test_a_relu_layer_takes_a_selected_dy_as_its_dz():
    # selected=True: dY is 0.0 already wherever the slope is 0 (computed with these slopes as
    # `wanted`), so the layer skips the select. Given such a dY, nothing changes; given one that
    # is not selected, the layer takes it as it is (db is then the plain column sums of dY).
    rng = PRNG(12)
    layer = dense.DenseLayer(random_matrix(rng, 5, 3), [0.0] * 5, "relu")
    x = random_matrix(rng, 7, 3)
    _, cache = layer.forward(x)
    slopes = cache[1]
    assert 0 < sum(map(sum, slopes)) < 35  # some units on, some off
    dy = random_matrix(rng, 7, 5)
    dy_selected = [[d if s else 0.0 for d, s in zip(dr, sr)] for dr, sr in zip(dy, slopes)]
    assert layer.backward(cache, dy_selected, selected=True) == layer.backward(cache, dy)
    _, _, db = layer.backward(cache, dy, selected=True)
    assert db == [F.total(column) for column in zip(*dy)]
    assert db != layer.backward(cache, dy)[2]


def test_weight_gradient_leaves_out_zero_dz_without_changing_a_bit():
    # dW of a layer with at least eight finite inputs sums each row over the examples where dZ
    # is not 0 (a ReLU unit that is off, a hinge beyond its margin); the terms left out are 0·x
    # with x finite, so dW is bit for bit the whole dZᵀ·X (independent path: times_transposed)
    rng = PRNG(3)
    for activation in ("relu", "linear", "tanh"):
        weight = random_matrix(rng, 6, 9)
        weight[5] = [-1.0] * 9  # with positive inputs, ReLU unit 5 is never on: its row of dW is 0.0
        layer = dense.DenseLayer(weight, [0.0] * 6, activation)
        x = [[abs(v) for v in row] for row in random_matrix(rng, 12, 9, zeros=0.3)]
        _, cache = layer.forward(x)
        dy = random_matrix(rng, 12, 6, zeros=0.4)  # exact zeros, as a hinge loss gives
        dy[3] = [0.0] * 6
        _, dw, _ = layer.backward(cache, dy)
        slopes = cache[1]
        dz = [[d if s else 0.0 for d, s in zip(dr, sr)] if activation == "relu" else
              [d * s for d, s in zip(dr, sr)] for dr, sr in zip(dy, slopes)]
        assert 0.2 < sum(v == 0.0 for row in dz for v in row) / 72 < 0.9, activation  # the shortcut has work
        full = dense.times_transposed(dense.transpose(dz), dense.transpose(x))
        assert signed(dw) == signed(full), activation
        if activation == "relu":
            assert all(row[5] == 0.0 for row in slopes) and signed(dw[5:]) == signed([[0.0] * 9])
        assert signed(dense.weight_gradient_where_nonzero(dense.transpose(dz), x)) == signed(dw)
    # a unit whose dZ is all zeros gets +0.0, as the whole sum from 0.0 does, even with −0.0 in dZ
    assert signed(dense.weight_gradient_where_nonzero([[0.0, -0.0]], [[1.0, -2.0], [3.0, 4.0]])) == signed([[0.0, 0.0]])


def test_weight_gradient_shows_an_infinite_input_in_any_example_for_any_activation():
    # 0·∞ = nan must show in dW whatever the activation and whichever example holds the ∞:
    # here the second example's dY is 0, the term the shortcut would leave out
    for activation in ("linear", "tanh", "relu"):
        layer = dense.DenseLayer([[0.5] * 8], [0.0], activation)
        x = [[1.0] * 8, [float("inf")] + [1.0] * 7]
        _, cache = layer.forward(x)
        _, dw, _ = layer.backward(cache, [[1.0], [0.0]])
        assert dw[0][0] != dw[0][0], activation
        assert dw[0][1:] == [cache[1][0][0]] * 7, activation  # the finite columns: the first example's term


def test_relu_selects_zero_like_the_fused_neuron_and_an_infinite_input_shows_as_nan():
    # an off unit passes nothing back, even an infinite dY (PyTorch's ReLU backward selects 0;
    # refnet's fused neuron keeps no edges) ...
    layer = dense.DenseLayer([[1.0] * 8], [-100.0], "relu")
    y, cache = layer.forward([[1.0] * 8])
    assert y == [[0.0]]
    dx, dw, db = layer.backward(cache, [[float("inf")]])
    assert dx == [[0.0] * 8] and dw == [[0.0] * 8] and db == [0.0]
    # ... but an infinite input makes 0·x = nan, which must show, as in the fused neuron
    layer = dense.DenseLayer([[-1.0] + [0.5] * 8], [0.0], "relu")
    _, cache = layer.forward([[float("inf")] + [1.0] * 8])
    assert cache[1] == [[0.0]]
    _, dw, _ = layer.backward(cache, [[1.0]])
    assert dw[0][0] != dw[0][0]
    neuron = nn.Neuron(9, "relu", weights=[-1.0] + [0.5] * 8, bias=0.0)
    neuron([Value(float("inf"))] + [Value(1.0)] * 8).backward()
    assert neuron.w[0].grad != neuron.w[0].grad


def test_a_wide_relu_network_matches_the_scalar_path():
    # wide enough (≥ 8 inputs per layer) that dW leaves out the examples whose dZ is 0 and dX
    # is computed only where the ReLU below is on (that layer then takes dY as its dZ): the
    # Network against refnet.nn's fused neurons, 1e-12. With a ReLU output layer too, whose dY
    # comes from the loss and must still be selected.
    for output_activation in ("linear", "relu"):
        check_wide_relu_network(output_activation)


def check_wide_relu_network(output_activation):
    rng = PRNG(21)
    sizes = [9, 12, 10, 3]
    params = [(random_matrix(rng, n_out, n_in), [rng.uniform(-0.1, 0.1) for _ in range(n_out)])
              for n_in, n_out in zip(sizes, sizes[1:])]
    x = random_matrix(rng, 8, 9)
    targets = [[rng.uniform(-1.0, 1.0) for _ in range(3)] for _ in range(8)]
    acts = ["relu", "relu", output_activation]
    network = dense.Network([dense.DenseLayer(w, b, f) for (w, b), f in zip(params, acts)])
    _, value, gradients = network.loss_and_gradients(x, targets, "mse")
    layers = [nn.Layer(len(w[0]), len(w), f, weights=w, biases=b) for (w, b), f in zip(params, acts)]
    outputs = []
    for row in x:
        for layer in layers:
            row = layer(row)
        outputs.append(row)
    scalar = losses.mse(outputs, targets)
    scalar.backward()
    assert close(value, scalar.data, rel=REL)
    for (dw, db), layer in zip(gradients, layers):
        assert all_close(flat(dw), [w.grad for r in layer.weight for w in r], rel=REL, abs_tol=ABS)
        assert all_close(db, [b.grad for b in layer.bias], rel=REL, abs_tol=ABS)
    on = sum(map(sum, network.layers[0].forward(x)[1][1]))
    assert 0 < on < 8 * 12  # some units are off, so the shortcuts were taken
    if output_activation == "relu":  # some output units are off where the loss's dY is not 0
        hidden = network.layers[1].forward(network.layers[0].forward(x)[0])[0]
        y, (_, slopes) = network.layers[2].forward(hidden)
        _, dy = dense.loss_and_gradient("mse", y, targets)
        assert any(d != 0.0 and not s for dr, sr in zip(dy, slopes) for d, s in zip(dr, sr))


def test_dropout_pair_matches_the_scalar_dropout_with_the_same_mask():
    # dense.dropout_forward/backward against nn.Dropout.apply_mask and Value.backward, p = 0.3 (1/0.7 inexact)
    mask = [[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 0]]
    upstream = [[1.0, -0.5, 0.25], [-1.5, 0.75, 0.5], [0.3, -0.2, 1.2], [2.0, 1.0, -1.0]]
    y, cache = dense.dropout_forward(X, mask, 0.3)
    dx = dense.dropout_backward(cache, upstream)
    layer = nn.Dropout(0.3)
    inputs = [[Value(v) for v in row] for row in X]
    outputs = [layer.apply_mask(row, m) for row, m in zip(inputs, mask)]
    total = Value(0.0)
    for out_row, up_row in zip(outputs, upstream):
        for out, u in zip(out_row, up_row):
            total = total + out * u
    total.backward()
    for n in range(len(X)):
        assert all_close(y[n], [v.data for v in outputs[n]], REL), n
        assert all_close(dx[n], [v.grad for v in inputs[n]], REL), n
    assert y[3] == [0.0, 0.0, 0.0] and dx[3] == [0.0, 0.0, 0.0]  # a row dropped whole passes nothing either way


def test_dropout_forward_rejects_p_one_and_a_mask_of_another_shape():
    error = raises(RefnetError, dense.dropout_forward, [[1.0]], [[0]], 1.0)
    assert "dropout_forward(p)" in str(error) and "[0.0, 1.0)" in str(error) and "1.0" in str(error)
    error = raises(RefnetError, dense.dropout_forward, [[1.0, 2.0]], [[1]], 0.5)
    assert "mask row 0 has 1 entries; expected 2" in str(error)
    error = raises(RefnetError, dense.dropout_forward, [[1.0, 2.0]], [[1, 2]], 0.5)
    assert "mask[0][1] is 2" in str(error)
