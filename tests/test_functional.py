"""The float formulas: activations, their derivatives, softmax, and the numerical safeguards."""

import math

from _support import all_close, close, raises, rounds_to
from refnet import DomainError, ShapeError
from refnet import functional as F
from refnet.gradcheck import numeric_derivative
from refnet.prng import PRNG

ACTIVATIONS = [
    ("sigmoid", F.sigmoid, F.sigmoid_derivative),
    ("tanh", F.tanh, F.tanh_derivative),
    ("relu", F.relu, F.relu_derivative),
    ("leaky_relu", F.leaky_relu, F.leaky_relu_derivative),
    ("linear", F.linear, F.linear_derivative),
    ("step", F.step, F.step_derivative),
]


def seeded_points(seed, count=20, low=-4.0, high=4.0):
    """Seeded inputs kept 0.05 away from 0, where relu, leaky relu and step have their kink."""
    rng = PRNG(seed)
    points = []
    while len(points) < count:
        x = rng.uniform(low, high)
        if abs(x) > 0.05:
            points.append(x)
    return points


def test_every_activation_derivative_matches_central_differences():
    # independent computation: central difference (004_90774dc949aeae9c.txt), away from the kinks
    for name, f, derivative in ACTIVATIONS:
        for x in seeded_points(1):
            numeric = numeric_derivative(f, x)
            assert close(derivative(x), numeric, rel=1e-6, abs_tol=1e-9), (name, x, derivative(x), numeric)


def test_sigmoid_closed_forms_and_symmetry():
    # σ(0) = 1/2, σ(-x) = 1 - σ(x), σ'(0) = 1/4; 002: σ' = (1 - σ)σ
    assert F.sigmoid(0.0) == 0.5 and F.sigmoid_derivative(0.0) == 0.25
    for x in seeded_points(2):
        assert close(F.sigmoid(-x), 1.0 - F.sigmoid(x), rel=1e-12, abs_tol=1e-15)
        assert close(F.sigmoid(x), 1.0 / (1.0 + math.exp(-x)), rel=1e-14)


def test_sigmoid_and_tanh_are_finite_at_plus_minus_1000():
    assert F.sigmoid(1000.0) == 1.0 and F.sigmoid(-1000.0) == 0.0
    assert F.tanh(1000.0) == 1.0 and F.tanh(-1000.0) == -1.0
    assert F.sigmoid_derivative(1000.0) == 0.0 and F.tanh_derivative(-1000.0) == 0.0
    # e^-745 is about the smallest subnormal; σ(-700) ≈ e^-700 is still representable
    assert close(F.sigmoid(-700.0), math.exp(-700.0), rel=1e-12)


def test_kink_conventions():
    # refnet/functional.py: ReLU'(0) = 0, leaky ReLU'(0) = α, |x|'(0) = 0, step'(x) = 0, step(0) = 1
    assert F.relu_derivative(0.0) == 0.0
    assert F.leaky_relu_derivative(0.0, 0.2) == 0.2
    assert F.sign(0.0) == 0.0 and F.sign(-3.0) == -1.0 and F.sign(2.0) == 1.0
    assert F.step(0.0) == 1.0 and F.step(-1e-300) == 0.0 and F.step_derivative(0.0) == 0.0
    assert F.leaky_relu(-2.0) == -0.02  # default α = 0.01 (001_251e29975c1497b8.txt's leaky ReLU)


def test_exp_returns_inf_past_the_largest_float():
    assert F.exp(709.0) == math.exp(709.0)
    assert F.exp(710.0) == float("inf") and F.exp(1e308) == float("inf")
    assert F.exp(-1e308) == 0.0


def test_log_of_non_positive_raises_domain_error():
    assert F.log(math.e) == 1.0
    for bad in (0.0, -1.0, -0.0, -math.inf):
        error = raises(DomainError, F.log, bad)
        assert "positive" in str(error)
    assert math.isnan(F.log(float("nan")))  # nan propagates (docs/conventions.md), no error


def test_power_follows_ieee_for_overflow_and_poles():
    assert F.power(2.0, 10.0) == 1024.0 and F.power(-2.0, 3.0) == -8.0
    assert F.power(10.0, 400.0) == float("inf") and F.power(-10.0, 401.0) == float("-inf")
    assert F.power(0.0, -1.0) == float("inf") and F.power(-0.0, -1.0) == float("-inf")
    assert F.power(-0.0, -2.0) == float("inf")
    raises(DomainError, F.power, -8.0, 1.0 / 3.0)
    raises(DomainError, F.power, -1.0, float("inf"))
    assert F.power_derivative(3.0, 0.0) == 0.0 and F.power_derivative(0.0, 0.5) == float("inf")


def test_softmax_of_001_example():
    # 001_251e29975c1497b8.txt: softmax of [2.0, 1.0, 0.1]; closed form e^zᵢ / Σ e^zⱼ (unshifted)
    logits = [2.0, 1.0, 0.1]
    total = math.exp(2.0) + math.exp(1.0) + math.exp(0.1)
    expected = [math.exp(z) / total for z in logits]
    assert all_close(F.softmax(logits), expected, rel=1e-15)
    assert all(rounds_to(p, printed, 3) for p, printed in zip(F.softmax(logits), [0.659, 0.242, 0.099]))


def test_softmax_is_shift_invariant_and_stable_at_1000():
    # softmax(z + c) = softmax(z); with c = 1000 the unshifted form would overflow
    assert all_close(F.softmax([1000.0, 999.0, 998.1]), F.softmax([2.0, 1.0, 0.1]), rel=1e-12)
    assert F.softmax([1000.0, -1000.0]) == [1.0, 0.0]
    assert all_close(F.softmax([-1000.0, -1000.0]), [0.5, 0.5])


def test_logsumexp_and_log_softmax_stay_finite():
    # log(e^1000 + e^1000) = 1000 + ln 2; log_softmax = z - logsumexp(z)
    assert close(F.logsumexp([1000.0, 1000.0]), 1000.0 + math.log(2.0), rel=1e-15)
    assert close(F.logsumexp([-1000.0, -1000.0]), -1000.0 + math.log(2.0), rel=1e-15)
    assert F.log_softmax([1000.0, -1000.0]) == [0.0, -2000.0]
    for p, log_p in zip(F.softmax([0.3, -1.2, 2.0]), F.log_softmax([0.3, -1.2, 2.0])):
        assert close(math.log(p), log_p, rel=1e-14)
    assert F.logsumexp([float("-inf"), float("-inf")]) == float("-inf")


def test_softmax_jvp_matches_the_explicit_jacobian():
    # independent computation: J = diag(p) - p pᵀ built entry by entry, then J·v
    p = F.softmax([0.5, -1.0, 2.0, 0.0])
    v = [1.0, -2.0, 0.5, 3.0]
    jacobian = [[(p[i] if i == j else 0.0) - p[i] * p[j] for j in range(4)] for i in range(4)]
    expected = [sum([jacobian[i][j] * v[j] for j in range(4)], 0.0) for i in range(4)]
    assert all_close(F.softmax_jvp(p, v), expected, rel=1e-12, abs_tol=1e-15)


def test_softmax_jvp_matches_numeric_differences_of_softmax():
    z = [0.2, -0.7, 1.1]
    v = [0.3, 1.0, -2.0]
    p = F.softmax(z)
    for j in range(3):
        def weighted(t, j=j):
            moved = list(z)
            moved[j] = t
            return sum([vi * pi for vi, pi in zip(v, F.softmax(moved))], 0.0)
        assert close(F.softmax_jvp(p, v)[j], numeric_derivative(weighted, z[j]), rel=1e-7)


def test_vector_functions_reject_empty_and_mismatched_lists():
    for f in (F.softmax, F.log_softmax, F.logsumexp):
        error = raises(ShapeError, f, [])
        assert "empty" in str(error)
    raises(ShapeError, F.softmax_jvp, [0.5, 0.5], [1.0])


def left_fold_dot(a, b):
    # independent computation: the plain loop whose additions dot promises to make, in order
    total = 0.0
    for x, y in zip(a, b):
        total = total + x * y
    return total


def test_dot_and_dots_add_left_to_right_from_zero():
    # 1e16 + 1 rounds back to 1e16, so a left fold gives 0.0 here where an exact or compensated
    # sum (CPython ≥ 3.12's built-in sum) gives 1.0
    cancelling = ([1e16, 1.0, -1e16], [1.0, 1.0, 1.0])
    assert left_fold_dot(*cancelling) == 0.0
    assert F.dot(*cancelling) == 0.0
    rng = PRNG(5)
    a = [rng.uniform(-3.0, 3.0) for _ in range(17)]
    rows = [[rng.uniform(-3.0, 3.0) for _ in range(17)] for _ in range(6)] + [[1e16] + [1.0] * 15 + [-1e16]]
    expected = [left_fold_dot(a, row) for row in rows]
    assert [F.dot(a, row) for row in rows] == expected
    assert F.dots(a, rows) == expected
    assert F.dots(cancelling[0], [cancelling[1], tuple(cancelling[1])]) == [0.0, 0.0]
    assert F.dots(a, []) == []
    assert F.dot([], []) == 0.0
    # from +0.0: products of −0.0 add up to +0.0, as in the per-op graph's sum from 0.0
    negative_zeros = ([-0.0, -0.0], [1.0, 1.0])
    assert [math.copysign(1.0, v) for v in F.dots(negative_zeros[0], [negative_zeros[1]])] == [1.0]
    assert math.copysign(1.0, F.dot(*negative_zeros)) == 1.0
