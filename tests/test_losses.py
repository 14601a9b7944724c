"""Losses and accuracy: closed-form values and gradients, conventions and edge cases."""

import math

from _support import all_close, close, raises
from refnet import DomainError, InputError, ShapeError, Value
from refnet import losses as L
from refnet.metrics import argmax, argmax_accuracy, binary_accuracy


def values(numbers):
    return [Value(x) for x in numbers]


def test_mse_is_the_mean_over_every_element():
    # 001_251e29975c1497b8.txt: L = ((y_true - y_pred) ** 2).mean(); ∂L/∂yᵢ = 2(yᵢ - tᵢ)/n
    y = values([1.0, 2.0, 4.0])
    loss = L.mse(y, [0.0, 2.0, 1.0])
    loss.backward()
    assert close(loss.data, (1.0 + 0.0 + 9.0) / 3.0)
    assert all_close([v.grad for v in y], [2.0 / 3.0, 0.0, 2.0])
    rows = [values([1.0, 2.0]), values([3.0, 5.0])]
    assert close(L.mse(rows, [[0.0, 0.0], [3.0, 3.0]]).data, (1.0 + 4.0 + 0.0 + 4.0) / 4.0)


def test_mae_and_its_kink_at_zero_error():
    # (1/n) Σ|y - t|; gradient sign(y - t)/n with |x|'(0) = 0
    y = values([1.0, 2.0, 0.0])
    loss = L.mae(y, [0.0, 2.0, 1.0])
    loss.backward()
    assert close(loss.data, 2.0 / 3.0)
    assert all_close([v.grad for v in y], [1.0 / 3.0, 0.0, -1.0 / 3.0])


def test_mape_is_percent_of_the_target_and_rejects_zero_targets():
    # 100/n Σ |(t - y)/t|
    y = values([110.0, 45.0])
    loss = L.mape(y, [100.0, 50.0])
    assert close(loss.data, 100.0 * (0.1 + 0.1) / 2.0, rel=1e-12)
    error = raises(DomainError, L.mape, values([1.0, 2.0]), [1.0, 0.0])
    assert "target[1]" in str(error) and "0" in str(error)


def test_half_squared_error_is_003s_error_and_sums_over_outputs():
    # 003_83fae8590fc0f361.txt: E = ½(t - y)², dE/dy = -(t - y)
    y = Value(0.76)
    loss = L.half_squared_error([y], [1.0])
    loss.backward()
    assert close(loss.data, 0.5 * 0.24 ** 2, rel=1e-12) and close(y.grad, -(1.0 - 0.76), rel=1e-12)
    # two examples of two outputs: mean over examples of the per-example sums
    rows = [values([1.0, 0.0]), values([0.5, 0.5])]
    expected = (0.5 * (1.0 + 1.0) + 0.5 * (0.25 + 0.25)) / 2.0
    assert close(L.half_squared_error(rows, [[0.0, 1.0], [0.0, 0.0]]).data, expected)


def test_binary_cross_entropy_closed_form_and_zero_probability_handling():
    # -[t ln p + (1 - t) ln(1 - p)]; ∂/∂p = -t/p + (1 - t)/(1 - p)
    p = values([0.8, 0.3])
    loss = L.binary_cross_entropy(p, [1.0, 0.0])
    loss.backward()
    assert close(loss.data, -(math.log(0.8) + math.log(0.7)) / 2.0, rel=1e-14)
    assert all_close([v.grad for v in p], [-1.0 / 0.8 / 2.0, 1.0 / 0.7 / 2.0], rel=1e-12)
    # 0 · ln 0 = 0: a probability of exactly 0 (or 1) is fine where the target agrees
    assert L.binary_cross_entropy(values([0.0, 1.0]), [0.0, 1.0]).data == 0.0
    error = raises(DomainError, L.binary_cross_entropy, values([0.0]), [1.0])
    assert "infinite" in str(error)
    raises(DomainError, L.binary_cross_entropy, values([1.5]), [1.0])
    raises(DomainError, L.binary_cross_entropy, values([0.5]), [2.0])


def test_categorical_and_sparse_cross_entropy_agree():
    # -Σ tⱼ ln pⱼ with one-hot t equals -ln p_y (000_f9a23462f49faea1.txt)
    probabilities = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]
    labels = [0, 2]
    one_hot = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    expected = -(math.log(0.7) + math.log(0.8)) / 2.0
    rows = [values(r) for r in probabilities]
    loss = L.categorical_cross_entropy(rows, one_hot)
    loss.backward()
    assert close(loss.data, expected, rel=1e-14)
    assert close(rows[0][0].grad, -1.0 / 0.7 / 2.0, rel=1e-12) and rows[0][1].grad == 0.0
    assert close(L.sparse_categorical_cross_entropy([values(r) for r in probabilities], labels).data, expected)
    assert L.categorical_cross_entropy([values([0.0, 1.0])], [[0.0, 1.0]]).data == 0.0
    raises(DomainError, L.sparse_categorical_cross_entropy, [values([0.0, 1.0])], [0])
    raises(ShapeError, L.sparse_categorical_cross_entropy, [values([0.5, 0.5])], [2])
    raises(InputError, L.sparse_categorical_cross_entropy, [values([0.5, 0.5])], [0.0])


def test_softmax_cross_entropy_value_and_gradient_probs_minus_onehot():
    # 002_22dd3b33c61b9037.txt: Lᵢ = -ln(e^{s_y}/Σ e^{sⱼ}); its code: delta3 = probs - onehot
    scores = values([2.0, 1.0, 0.1])
    loss = L.softmax_cross_entropy([scores], [0])
    loss.backward()
    total = math.exp(2.0) + math.exp(1.0) + math.exp(0.1)
    probabilities = [math.exp(2.0) / total, math.exp(1.0) / total, math.exp(0.1) / total]
    assert close(loss.data, -math.log(probabilities[0]), rel=1e-14)
    assert all_close([s.grad for s in scores], [probabilities[0] - 1.0, probabilities[1], probabilities[2]],
                     rel=1e-12)


def test_softmax_cross_entropy_is_finite_for_logits_of_plus_minus_1000():
    # closed form: logsumexp([1000, -1000]) - (-1000) = 2000 (+ ln(1 + e^-2000) = 0 in floats)
    scores = values([1000.0, -1000.0])
    loss = L.softmax_cross_entropy([scores], [1])
    loss.backward()
    assert loss.data == 2000.0
    assert scores[0].grad == 1.0 and scores[1].grad == -1.0
    confident = values([1000.0, -1000.0])
    right = L.softmax_cross_entropy([confident], [0])
    right.backward()
    assert right.data == 0.0 and confident[0].grad == 0.0


def test_softmax_cross_entropy_accepts_target_distributions():
    # logsumexp(s) - Σ tⱼ sⱼ; with one-hot t it equals the integer-label form
    scores = [0.3, -0.2, 1.4]
    by_label = L.softmax_cross_entropy([values(scores)], [2]).data
    by_row = L.softmax_cross_entropy([values(scores)], [[0.0, 0.0, 1.0]]).data
    assert close(by_label, by_row, rel=1e-15)
    soft = L.softmax_cross_entropy([values(scores)], [[0.5, 0.5, 0.0]]).data
    lse = math.log(math.exp(0.3) + math.exp(-0.2) + math.exp(1.4))
    assert close(soft, lse - 0.5 * (0.3 - 0.2), rel=1e-14)


def test_multiclass_hinge_closed_form_and_zero_gradient_at_the_margin():
    # 002: Lᵢ = Σ_{j≠y} max(0, sⱼ - s_y + 1); CS231n's example scores 3.2, 5.1, -1.7 with y = 0 → 2.9
    scores = values([3.2, 5.1, -1.7])
    loss = L.multiclass_hinge([scores], [0])
    loss.backward()
    assert close(loss.data, (5.1 - 3.2 + 1.0) + 0.0, rel=1e-14)
    assert (scores[0].grad, scores[1].grad, scores[2].grad) == (-1.0, 1.0, 0.0)
    at_margin = values([2.0, 1.0])  # s_1 - s_0 + 1 = 0 exactly
    loss = L.multiclass_hinge([at_margin], [0])
    loss.backward()
    assert loss.data == 0.0 and at_margin[0].grad == 0.0 and at_margin[1].grad == 0.0


def test_binary_hinge_is_micrograds_demo_loss():
    # micrograd demo: mean of (1 + -y·s).relu(); at y·s = 1 the gradient is 0
    scores = values([0.5, -2.0, 1.0])
    loss = L.binary_hinge(scores, [1.0, -1.0, 1.0])
    loss.backward()
    assert close(loss.data, (0.5 + 0.0 + 0.0) / 3.0)
    assert (scores[0].grad, scores[1].grad, scores[2].grad) == (-1.0 / 3.0, 0.0, 0.0)
    raises(InputError, L.binary_hinge, scores, [1.0, 0.0, 1.0])


def test_l2_regularization_is_lambda_sum_of_squares_with_gradient_2_lambda_w():
    # 002: R = λ Σ W²; ∂R/∂w = 2λw (002's code adds λW: strength λ/2 reproduces it)
    w = values([1.0, -2.0, 0.5])
    reg = L.l2_regularization(w, 0.1)
    reg.backward()
    assert close(reg.data, 0.1 * (1.0 + 4.0 + 0.25))
    assert all_close([v.grad for v in w], [0.2, -0.4, 0.1])
    raises(InputError, L.l2_regularization, [], 0.1)


def test_losses_reject_mismatched_and_empty_batches():
    error = raises(ShapeError, L.mse, values([1.0, 2.0]), [1.0])
    assert "predictions has 2" in str(error) and "targets has 1" in str(error)
    raises(ShapeError, L.mse, [], [])
    raises(InputError, L.mse, Value(1.0), [1.0])
    raises(ShapeError, L.mse, [values([1.0, 2.0])], [1.0])
    raises(ShapeError, L.mse, values([1.0]), [[1.0]])
    raises(ShapeError, L.softmax_cross_entropy, [values([1.0, 2.0])], [[1.0]])
    raises(ShapeError, L.categorical_cross_entropy, [values([0.5, 0.5])], [1.0])


def test_losses_accept_float_predictions():
    assert L.mse([1.0, 3.0], [1.0, 1.0]).data == 2.0


def test_accuracy_by_threshold_and_by_argmax():
    # 000: everything above 0.5 counts as 1; 003: predicted class = output with the highest value
    assert binary_accuracy([0.9, 0.2, 0.6, 0.4], [1, 0, 0, 1]) == 0.5
    assert binary_accuracy([[Value(0.7)], [Value(0.1)]], [1.0, 0.0]) == 1.0
    assert binary_accuracy([0.3, -2.0], [1.0, -1.0], threshold=0.0) == 1.0
    assert argmax([0.1, 0.7, 0.7]) == 1 and argmax([Value(-1.0), Value(-3.0)]) == 0
    assert argmax_accuracy([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], [1, 0, 0]) == 2.0 / 3.0
    raises(ShapeError, binary_accuracy, [0.1], [1, 0])
    raises(InputError, argmax_accuracy, [], [])


def test_fused_binary_hinge_and_l2_equal_their_per_op_forms_exactly():
    # independent computation: the same losses as chains of gates, (1 − s·y).relu() and Σ w·w
    from refnet.prng import PRNG

    rng = PRNG(11)
    data = [rng.uniform(-2.0, 2.0) for _ in range(12)] + [1.0, -1.0]  # two exactly at the margin
    labels = [1.0 if k % 3 else -1.0 for k in range(12)] + [1.0, -1.0]
    fused_scores, gate_scores = values(data), values(data)
    fused = L.binary_hinge(fused_scores, labels) + L.l2_regularization(fused_scores, 0.3)
    terms = [(1.0 - s * y).relu() for s, y in zip(gate_scores, labels)]
    squares = Value(0.0)
    for s in gate_scores:
        squares = squares + s * s
    gates = L.mean(terms) + squares * 0.3
    fused.backward()
    gates.backward()
    assert fused.data == gates.data
    assert [s.grad for s in fused_scores] == [s.grad for s in gate_scores]
