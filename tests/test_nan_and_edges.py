"""nan propagates through every op, activation, loss and metric, in both paths; finite exact
answers at the edges come out finite and correct; the 0·∞ convention (docs/conventions.md).

Expected edge values are exact references: mpmath at 300 bits (`mpmath.mp.prec = 300`),
rounded to float64, with the expression evaluated written beside each; closed forms where
there is one. A result is accepted within a few ulps (rel 1e-14) of the rounded exact value.
"""

import math

from _support import close
from refnet import dense as D
from refnet import functional as F
from refnet import losses as L
from refnet import metrics as M
from refnet.nn import MLP, Layer, Neuron
from refnet.value import Value

NAN = float("nan")
INF = float("inf")


def is_nan(x):
    return x != x


def gradients(function, *numbers):
    """(value, [∂f/∂xᵢ]) of function(*Values) after backward()."""
    inputs = [Value(x) for x in numbers]
    out = function(*inputs)
    out.backward()
    return out.data, [x.grad for x in inputs]


# -- nan in, nan out: every op, each input position -------------------------------------------

UNARY_OPS = [
    ("neg", lambda a: -a),
    ("exp", lambda a: a.exp()),
    ("log", lambda a: a.log()),
    ("tanh", lambda a: a.tanh()),
    ("sigmoid", lambda a: a.sigmoid()),
    ("relu", lambda a: a.relu()),
    ("leaky_relu", lambda a: a.leaky_relu(0.1)),
    ("abs", lambda a: a.abs()),
    ("pow 2", lambda a: a ** 2),
    ("pow 3", lambda a: a ** 3),
    ("pow 0.5", lambda a: a ** 0.5),
    ("pow -1", lambda a: a ** -1),
]

# Each binary op with a nan in one position and 2 in the other: the gradients are the local
# derivatives at those inputs (the formulas of refnet/value.py), nan wherever the formula reads
# the nan, exact where it does not (∂(a + b)/∂a = 1, ∂(a·b)/∂a = b): as PyTorch's.
BINARY_OPS = [
    ("add", lambda a, b: a + b, [1.0, 1.0], [1.0, 1.0]),
    ("sub", lambda a, b: a - b, [1.0, -1.0], [1.0, -1.0]),
    ("mul", lambda a, b: a * b, [2.0, NAN], [NAN, 2.0]),
    ("div", lambda a, b: a / b, [0.5, NAN], [NAN, NAN]),
    ("max", lambda a, b: Value.max(a, b), [NAN, NAN], [NAN, NAN]),
    ("pow", lambda a, b: a ** b, [NAN, NAN], [NAN, NAN]),
]


def same(actual, expected):
    return len(actual) == len(expected) and all(
        (is_nan(a) and is_nan(e)) or a == e for a, e in zip(actual, expected))


def test_every_unary_op_gives_nan_value_and_nan_gradient_for_a_nan_input():
    for name, op in UNARY_OPS:
        value, (grad,) = gradients(op, NAN)
        assert is_nan(value), (name, value)
        assert is_nan(grad) or (name == "neg" and grad == -1.0), (name, grad)  # ∂(−a)/∂a = −1 everywhere


def test_every_binary_op_gives_nan_for_a_nan_in_either_position():
    for name, op, nan_first, nan_second in BINARY_OPS:
        for numbers, expected in (((NAN, 2.0), nan_first), ((2.0, NAN), nan_second)):
            value, grads = gradients(op, *numbers)
            assert is_nan(value), (name, numbers, value)
            assert same(grads, expected), (name, numbers, grads, expected)
    value, grads = gradients(lambda a, b: a * b, NAN, 0.0)  # PyTorch: value nan, gradients [0, nan]
    assert is_nan(value) and same(grads, [0.0, NAN])


def test_max_is_nan_whichever_side_the_nan_is_on():
    # before: Value.max(nan, 1) = 1 but Value.max(1, nan) = nan
    for a, b in ((NAN, 1.0), (1.0, NAN), (NAN, NAN), (NAN, -INF)):
        value, grads = gradients(Value.max, a, b)
        assert is_nan(value) and is_nan(grads[0]) and is_nan(grads[1]), (a, b, value, grads)


def test_every_activation_and_derivative_in_functional_gives_nan_for_nan():
    for function in (F.sigmoid, F.sigmoid_derivative, F.tanh, F.tanh_derivative, F.relu, F.relu_derivative,
                     F.leaky_relu, F.leaky_relu_derivative, F.linear, F.step, F.step_derivative, F.sign,
                     F.exp, F.log):
        assert is_nan(function(NAN)), function
    assert F.linear_derivative(NAN) == 1.0  # the identity's slope is 1 everywhere


def test_softmax_family_is_nan_for_a_nan_anywhere():
    for values in ([NAN, 1.0], [1.0, NAN], [-INF, NAN], [NAN, -INF], [INF, NAN], [NAN, NAN, 3.0]):
        assert is_nan(F.logsumexp(values)), values  # before: logsumexp([-inf, nan]) = -inf
        assert all(is_nan(p) for p in F.softmax(values)), values
        assert all(is_nan(p) for p in F.log_softmax(values)), values


def test_every_loss_is_nan_for_a_nan_prediction_in_each_position_with_a_nan_gradient_there():
    regression = [("mse", L.mse), ("mae", L.mae), ("mape", L.mape), ("half_squared_error", L.half_squared_error),
                  ("binary_hinge", L.binary_hinge)]
    for name, loss in regression:
        for position in range(2):
            predictions = [Value(0.5), Value(-0.5)]
            predictions[position] = Value(NAN)
            targets = [1.0, -1.0]
            out = loss(predictions, targets)
            out.backward()
            assert is_nan(out.data), (name, position, out.data)
            assert is_nan(predictions[position].grad), (name, position, predictions[position].grad)
    for position in range(2):
        probabilities = [Value(0.25), Value(0.75)]
        probabilities[position] = Value(NAN)
        out = L.binary_cross_entropy(probabilities, [1.0, 0.0])
        out.backward()
        assert is_nan(out.data) and is_nan(probabilities[position].grad), ("binary_cross_entropy", position)
    for name, loss in (("categorical_cross_entropy", L.categorical_cross_entropy),
                       ("sparse_categorical_cross_entropy", L.sparse_categorical_cross_entropy),
                       ("softmax_cross_entropy", L.softmax_cross_entropy),
                       ("multiclass_hinge", L.multiclass_hinge)):
        for position in range(3):
            row = [Value(0.25), Value(0.5), Value(0.25)]
            row[position] = Value(NAN)
            label = position  # the nan is where the loss looks for sure (the target's own probability)
            targets = [[1.0 if j == label else 0.0 for j in range(3)]] if name == "categorical_cross_entropy" \
                else [label]
            out = loss([row], targets)
            out.backward()
            assert is_nan(out.data), (name, position, out.data)
            assert is_nan(row[position].grad), (name, position, row[position].grad)


def test_a_nan_target_makes_the_loss_nan():
    for name, loss in (("mse", L.mse), ("mae", L.mae), ("mape", L.mape), ("half_squared_error", L.half_squared_error),
                       ("binary_cross_entropy", L.binary_cross_entropy)):
        assert is_nan(loss([Value(0.5)], [NAN]).data), name
    assert is_nan(L.softmax_cross_entropy([[1.0, 2.0]], [[NAN, 1.0]]).data)
    assert is_nan(L.categorical_cross_entropy([[0.5, 0.5]], [[NAN, 1.0]]).data)


def test_the_hinge_losses_do_not_map_nan_to_zero():
    # before: binary_hinge([nan], [1]) = 0 and multiclass_hinge([[nan, 0]], [1]) = 0
    assert is_nan(L.binary_hinge([NAN], [1.0]).data)
    assert is_nan(L.multiclass_hinge([[NAN, 0.0]], [1]).data)
    assert is_nan(L.multiclass_hinge([[0.0, NAN]], [1]).data)


def test_l2_regularization_with_a_nan_weight_is_nan_even_with_zero_strength():
    for strength in (0.0, 0.5):
        w = Value(NAN)
        out = L.l2_regularization([Value(1.0), w], strength)
        out.backward()
        assert is_nan(out.data) and is_nan(w.grad), strength


def test_metrics_are_nan_when_an_output_is_nan():
    assert M.argmax([1.0, NAN, 3.0]) == 1  # numpy.argmax and torch.argmax: the first nan
    assert M.argmax([NAN, NAN]) == 0
    assert is_nan(M.binary_accuracy([0.9, NAN], [1.0, 0.0]))
    assert is_nan(M.binary_accuracy([0.9, 0.1], [1.0, NAN]))
    assert is_nan(M.argmax_accuracy([[1.0, 2.0], [NAN, 0.0]], [1, 0]))
    assert M.argmax_accuracy([[1.0, 2.0], [3.0, 0.0]], [1, 1]) == 0.5  # finite scores: a share, as before


def test_fused_and_per_op_neurons_give_nan_for_a_nan_input_or_weight():
    for activation in ("linear", "sigmoid", "tanh", "relu", "leaky_relu"):
        for fused in (True, False):
            neuron = Neuron(2, activation=activation, weights=[0.5, -0.25], fused=fused)
            x = [Value(NAN), Value(1.0)]
            out = neuron(x)
            out.backward()
            assert is_nan(out.data), (activation, fused, out.data)  # before: a fused ReLU gave 0
            assert is_nan(neuron.w[0].grad), (activation, fused)  # ∂/∂w₀ = f′(nan)·x₀
            neuron = Neuron(2, activation=activation, weights=[NAN, -0.25], fused=fused)
            out = neuron([1.0, 2.0])
            out.backward()
            # ∂y/∂b = f′(net): nan, except the identity's 1
            assert is_nan(out.data) and (is_nan(neuron.b.grad) or activation == "linear" and neuron.b.grad == 1.0), \
                (activation, fused, neuron.b.grad)


def test_dense_path_gives_nan_for_a_nan_input_like_the_scalar_path():
    for activation in D.ACTIVATIONS:
        layer = D.DenseLayer([[0.5, -0.25]], [0.0], activation)
        y, cache = layer.forward([[NAN, 1.0], [1.0, 2.0]])
        assert is_nan(y[0][0]) and not is_nan(y[1][0]), (activation, y)
        dx, dw, db = layer.backward(cache, [[1.0], [1.0]])
        assert is_nan(dw[0][0]), (activation, dw)  # dW = dZᵀX reads the nan input
        if activation == "linear":  # f′ = 1: dZ = dY, so db and dX are exact
            assert db == [2.0] and dx == [[0.5, -0.25], [0.5, -0.25]], (dx, db)
        else:  # f′(nan) = nan: dZ, db and that example's dX are nan
            assert is_nan(db[0]) and is_nan(dx[0][0]) and not is_nan(dx[1][0]), (activation, dx, db)


def test_dense_relu_network_passes_a_nan_below_through_the_selected_path():
    # two ReLU layers: the upper one computes dX only where the lower one is on, and a nan slope
    # counts as on; the lower one then must multiply by its nan slope rather than pass dY as it is
    network = D.Network([D.DenseLayer([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], "relu"),
                         D.DenseLayer([[1.0, 1.0]], [0.0], "relu")])
    _, value, grads = network.loss_and_gradients([[NAN, 1.0]], [[1.0]], "mse")
    (dw1, db1), _ = grads
    assert is_nan(value) and is_nan(dw1[0][0]) and is_nan(db1[0]), (value, dw1, db1)


def test_dense_losses_are_nan_for_a_nan_prediction():
    for name in ("mse", "mae", "mape", "half_squared_error", "binary_cross_entropy", "binary_hinge"):
        value, grad = D.loss_and_gradient(name, [[NAN, 0.5]], [[1.0, 1.0]])
        assert is_nan(value) and is_nan(grad[0][0]), (name, value, grad)
    for name in ("sparse_categorical_cross_entropy", "softmax_cross_entropy", "multiclass_hinge"):
        value, grad = D.loss_and_gradient(name, [[NAN, 0.5]], [0])
        assert is_nan(value) and is_nan(grad[0][0]), (name, value, grad)
    value, grad = D.loss_and_gradient("categorical_cross_entropy", [[NAN, 0.5]], [[1.0, 0.0]])
    assert is_nan(value) and is_nan(grad[0][0])


# -- finite exact answers come out finite ---------------------------------------------------


def test_tanh_slope_is_representable_where_tanh_rounds_to_one():
    # exact 1 − tanh²(x) = sech²(x), mpmath 300 bits: sech(20)² = 1.6993417021166356e−17,
    # sech(300)² = 1.0601586212017243e−260; before both were 0.0 (1 − t² with t = 1.0)
    for x, exact in ((20.0, 1.6993417021166356e-17), (-20.0, 1.6993417021166356e-17),
                     (300.0, 1.0601586212017243e-260)):
        _, (grad,) = gradients(lambda a: a.tanh(), x)
        assert close(grad, exact, rel=1e-14), (x, grad)
        assert close(F.tanh_derivative(x), exact, rel=1e-14)
    assert F.tanh_derivative(0.0) == 1.0 and F.tanh_derivative(INF) == 0.0
    assert F.tanh_derivative(400.0) == 0.0  # 4e^{−800} is below the smallest subnormal: 0 is the rounding


def test_sigmoid_slope_is_representable_where_sigmoid_rounds_to_one():
    # exact σ(x)(1 − σ(x)) = e^{−|x|}/(1 + e^{−|x|})², mpmath: σ′(40) = 4.248354255291589e−18,
    # σ′(700) = 9.85967654375977e−305 (before: 0.0 for both)
    for x, exact in ((40.0, 4.248354255291589e-18), (-40.0, 4.248354255291589e-18),
                     (700.0, 9.85967654375977e-305)):
        _, (grad,) = gradients(lambda a: a.sigmoid(), x)
        assert close(grad, exact, rel=1e-14), (x, grad)
    assert F.sigmoid_derivative(0.0) == 0.25


def test_the_fuzz_reproducer_tanh_of_log():
    # d/dx tanh(ln x) at x = 1e−10: sech²(ln x)/x = 4x/(1 + x²)² = 3.9999999999999999992e−10 (closed
    # form: sech(ln x) = 2x/(1 + x²)); before 0.0
    _, (grad,) = gradients(lambda a: a.log().tanh(), 1e-10)
    assert close(grad, 4.0e-10, rel=1e-14), grad


def test_fused_and_dense_tanh_and_sigmoid_slopes_are_the_stable_ones():
    for activation, x, exact in (("tanh", 20.0, 1.6993417021166356e-17), ("sigmoid", 40.0, 4.248354255291589e-18)):
        neuron = Neuron(1, activation=activation, weights=[1.0])
        out = neuron([x])
        out.backward()
        assert close(neuron.b.grad, exact, rel=1e-14), (activation, neuron.b.grad)
        _, cache = D.DenseLayer([[1.0]], [0.0], activation).forward([[x]])
        assert close(cache[1][0][0], exact, rel=1e-14), (activation, cache)


def test_even_power_derivative_has_the_right_sign_for_huge_exponents():
    # d(xⁿ)/dx = n·xⁿ⁻¹ with n = 2⁵⁴ at x = −1: n − 1 is odd, so exactly −2⁵⁴ (before: +2⁵⁴)
    _, (grad,) = gradients(lambda a: a ** (2.0 ** 54), -1.0)
    assert grad == -(2.0 ** 54)
    _, (grad,) = gradients(lambda a: a ** (2.0 ** 53), -1.0)  # n − 1 = 2⁵³ − 1 is a float: as before
    assert grad == -(2.0 ** 53)
    assert F.power_derivative(-2.0, 2.0) == -4.0 and F.power_derivative(-2.0, 3.0) == 12.0


def test_softmax_cross_entropy_with_a_masked_class_is_finite_in_both_paths():
    # exact: −log softmax([0, −inf, 3])₀ = log(1 + e³) = 3.0485873515737421 (mpmath); the masked
    # class has probability 0 and gradient 0. Before: nan (0 · −inf in Σ tⱼsⱼ)
    logits = [Value(0.0), Value(-INF), Value(3.0)]
    out = L.softmax_cross_entropy([logits], [0])
    out.backward()
    assert close(out.data, 3.0485873515737421, rel=1e-14), out.data
    assert logits[1].grad == 0.0
    assert close(logits[2].grad, 1.0 / (1.0 + math.exp(-3.0)), rel=1e-14)  # p₂ = e³/(1 + e³)
    value, grad = D.loss_and_gradient("softmax_cross_entropy", [[0.0, -INF, 3.0]], [0])
    assert close(value, 3.0485873515737421, rel=1e-14) and grad[0][1] == 0.0
    soft = L.softmax_cross_entropy([[0.0, -INF, 3.0]], [[1.0, 0.0, 0.0]])  # soft targets: the same
    assert close(soft.data, 3.0485873515737421, rel=1e-14), soft.data


def test_softmax_cross_entropy_and_log_softmax_keep_relative_accuracy_near_zero():
    # exact (mpmath 300 bits): log_softmax([40, 4])₀ = −log(1 + e⁻³⁶) = −2.3195228302435691e−16;
    # logsumexp([900, 863]) − 900 = 8.5330476257440654e−17; logsumexp([900.5, 876]) − 900.5 =
    # 2.2897348456193385e−11. Before: 0.0, 0.0 and 2.2851e−11 (a relative error of 2e−3).
    assert close(F.log_softmax([40.0, 4.0])[0], -2.3195228302435691e-16, rel=1e-14)
    for logits, exact in (([900.0, 863.0], 8.5330476257440654e-17), ([900.5, 876.0], 2.2897348456193385e-11)):
        assert close(L.softmax_cross_entropy([logits], [0]).data, exact, rel=1e-14), logits
        value, _ = D.loss_and_gradient("softmax_cross_entropy", [logits], [0])
        assert close(value, exact, rel=1e-14), logits
    assert close(F.logsumexp([0.0, 0.0]), math.log(2.0), rel=1e-15)


def test_l2_regularization_with_zero_strength_is_zero_for_huge_weights():
    # exact 0·(1e155)² = 0 with gradient 2·0·w = 0; before: nan (w² overflowed to inf, 0·inf)
    weights = [Value(1e155), Value(-1e300)]
    out = L.l2_regularization(weights, 0.0)
    out.backward()
    assert out.data == 0.0 and weights[0].grad == 0.0 and weights[1].grad == 0.0
    # ∂R/∂w = 2λw as (2λ)·w: finite for w = 1e308, λ = 0.25 (exact 5e307); (2w)·λ overflowed
    w = Value(1e308)
    L.l2_regularization([w], 0.25).backward()
    assert w.grad == 5e307


def test_half_squared_error_gradient_is_finite_where_the_error_is():
    # ∂/∂y ½(t − y)² = y − t = −1e308 exactly for y = 0, t = 1e308 (before: −inf, from 2(t − y));
    # the value ½·1e616 exceeds the floats: +inf is its rounding
    y = Value(0.0)
    out = L.half_squared_error([y], [1e308])
    out.backward()
    assert y.grad == -1e308 and out.data == INF
    _, grad = D.loss_and_gradient("half_squared_error", [[0.0]], [[1e308]])
    assert grad[0][0] == -1e308


def test_mse_gradient_is_finite_where_the_exact_one_is():
    # ∂/∂y₀ (1/m) Σ (y − t)² = 2(y₀ − t₀)/m = 2·(−1e308)/4 = −5e307 exactly (before: −inf, from 2(y − t)
    # overflowing before the division by m); the value 1e616/4 exceeds the floats: +inf is its rounding
    row = [Value(0.0), Value(0.0)]
    out = L.mse([row, [Value(0.0), Value(0.0)]], [[1e308, 1.0], [2.0, 3.0]])
    out.backward()
    assert row[0].grad == -5e307 and row[1].grad == -0.5 and out.data == INF
    value, grad = D.loss_and_gradient("mse", [[0.0, 0.0], [0.0, 0.0]], [[1e308, 1.0], [2.0, 3.0]])
    assert grad[0][0] == -5e307 and grad[0][1] == -0.5 and value == INF


def test_reciprocal_slopes_at_subnormal_inputs_follow_the_exact_value():
    # ∂(ln x)/∂x = 1/x and ∂(a/b)/∂a = 1/b: exact 1/6e−309 = 1.6666666666666663e+308 (finite, the
    # float rounds to …664e+308); 1/1e−310 = 1e310 > the largest float, so +inf is its rounding
    _, (grad,) = gradients(lambda a: a.log(), 6e-309)
    assert close(grad, 1.6666666666666663e308, rel=1e-15)
    _, (grad,) = gradients(lambda a: a.log(), 1e-310)
    assert grad == INF
    _, (grad_a, grad_b) = gradients(lambda a, b: a / b, 0.0, 1e-320)
    assert grad_a == INF and grad_b == 0.0  # −0/b² = 0 exactly, not 0·inf
    assert F.reciprocal(-1e-310) == -INF


# -- 0 · ∞ (docs/conventions.md) -------------------------------------------------------------


def test_zero_times_infinity_is_nan_where_a_local_derivative_is_multiplied():
    # IEEE 754: 0·∞ = nan. A product's zero factor, a saturated tanh's slope 0, an off per-op ReLU
    for op, x in ((lambda a: a * 0.0, 1.0), (lambda a: a.tanh(), 400.0), (lambda a: a.relu(), -1.0),
                  (lambda a: Value.max(a, 5.0), 1.0)):
        a = Value(x)
        op(a).backward(INF)
        assert is_nan(a.grad), a.grad


def test_zero_times_infinity_is_zero_where_a_relu_unit_selects_in_both_paths():
    # an off ReLU unit is a selection (PyTorch's ReLU backward), in the fused neuron and the dense layer
    layer = Layer(1, 1, activation="relu")
    layer.neurons[0].w[0].data = 1.0
    out = layer([-2.0])[0]
    out.backward(INF)
    assert layer.neurons[0].w[0].grad == 0.0
    dense_layer = D.DenseLayer([[1.0]], [0.0], "relu")
    _, cache = dense_layer.forward([[-2.0]])
    _, dw, db = dense_layer.backward(cache, [[INF]])
    assert dw == [[0.0]] and db == [0.0]


def test_mlp_output_is_nan_for_a_nan_input_in_both_paths():
    mlp = MLP(2, [3, 1], activation="relu")
    out = mlp([NAN, 1.0])[0]
    out.backward()
    assert is_nan(out.data)
    network = D.Network([D.DenseLayer([[p.data for p in n.w] for n in layer.neurons],
                                      [n.b.data for n in layer.neurons], layer.neurons[0].activation)
                         for layer in mlp.layers])
    assert is_nan(network.forward([[NAN, 1.0]])[0][0])


def test_nan_stays_nan_in_the_kinked_derivatives_after_thousands_of_ordinary_calls():
    # PyPy's JIT, once it has compiled `1.0 if x > 0 else (a if x <= 0 else x)` on ordinary
    # numbers, folds the second test to true and returns a for nan. Each slope below is called
    # 20,000 times on -3..3 (compiled by then on PyPy) with a nan every 50th call, which must
    # come out nan every time; elsewhere the values are ReLU′ = 1 for x > 0, else 0 (0 at 0),
    # leaky ReLU′ = 1 or α, and step(x) = 1 for x >= 0, else 0.
    from refnet import dense, functional as F
    from refnet.nn import activation_and_slope
    nan = float("nan")
    checks = (
        ("relu_derivative", F.relu_derivative, lambda x: 1.0 if x > 0 else 0.0),
        ("leaky_relu_derivative", lambda x: F.leaky_relu_derivative(x, 0.01), lambda x: 1.0 if x > 0 else 0.01),
        ("step", F.step, lambda x: 1.0 if x >= 0 else 0.0),
        ("fused relu slope", lambda x: activation_and_slope(x, "relu")[1], lambda x: 1.0 if x > 0 else 0.0),
        ("fused leaky slope", lambda x: activation_and_slope(x, "leaky_relu", 0.01)[1],
         lambda x: 1.0 if x > 0 else 0.01),
    )
    for name, slope, expected in checks:
        wrong = []
        for i in range(20000):
            x = float(i % 7 - 3)
            assert slope(x) == expected(x), (name, x)
            if i % 50 == 49:
                result = slope(nan)
                if result == result:
                    wrong.append((i, result))
        assert not wrong, name + " gave a number for nan after " + str(wrong[0][0]) + " calls: " + repr(wrong[:3])
    for activation in ("relu", "leaky_relu"):
        for _ in range(200):
            _, slopes = dense.activate([[-3.0, 0.0, 2.0, nan] * 25], activation, 0.01)
            assert slopes[0][3] != slopes[0][3] and slopes[0][0] in (0.0, 0.01), (activation, slopes[0][:4])
