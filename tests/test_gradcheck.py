"""gradcheck: numeric derivatives (004_90774dc949aeae9c.txt) and the per-input report."""

import math

from _support import close, raises
from refnet import InputError, Value
from refnet.gradcheck import (assert_gradients_match, gradcheck, numeric_derivative, numeric_gradient,
                              relative_error)


def test_central_difference_beats_one_sided_difference():
    # 004: one-sided error is O(ε), central O(ε²); closed form d(eˣ)/dx at 1 is e
    for eps in (1e-2, 1e-3):
        central = abs(numeric_derivative(math.exp, 1.0, eps) - math.e)
        one_sided = abs(numeric_derivative(math.exp, 1.0, eps, method="one-sided") - math.e)
        assert central < one_sided / 10.0, (eps, central, one_sided)
    # the one-sided error is about ε·f''/2 = ε·e/2 (Taylor), the central about ε²·e/6
    assert close(numeric_derivative(math.exp, 1.0, 1e-3, method="one-sided") - math.e, 1e-3 * math.e / 2.0, rel=1e-2)
    assert close(numeric_derivative(math.exp, 1.0, 1e-2) - math.e, 1e-4 * math.e / 6.0, rel=1e-2)


def test_numeric_gradient_moves_one_input_at_a_time():
    # f(x, y) = x²y: ∇f = (2xy, x²) = (12, 9) at (3, 2)
    gradient = numeric_gradient(lambda xs: xs[0] ** 2 * xs[1], [3.0, 2.0])
    assert close(gradient[0], 12.0, rel=1e-9) and close(gradient[1], 9.0, rel=1e-9)


def test_relative_error_definition():
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, 1.1) == abs(1.0 - 1.1) / 1.1
    assert relative_error(-2.0, 2.0) == 2.0


def test_gradcheck_reports_each_input_and_passes_a_correct_gradient():
    report = gradcheck(lambda xs: xs[0] * xs[1] + xs[0].exp(), [0.5, -1.5])
    assert report.ok and len(report.checks) == 2
    assert close(report.checks[1].analytic, 0.5) and report.checks[1].index == 1
    assert "all inputs agree" in repr(report) and "input 1" in repr(report)


def test_gradcheck_catches_a_wrong_local_derivative():
    # a deliberately wrong node: value x², local derivative x instead of 2x
    def wrong_square(xs):
        x = xs[0]
        return Value.fused(x.data * x.data, [x], [x.data], "wrong square")
    report = gradcheck(wrong_square, [1.5])
    assert not report.ok and "MISMATCH" in repr(report)
    error = raises(AssertionError, assert_gradients_match, wrong_square, [1.5])
    assert "input 0" in str(error)


def test_gradcheck_zero_derivative_passes_on_absolute_error():
    report = gradcheck(lambda xs: xs[0] * 0.0 + xs[1], [2.0, 3.0])
    assert report.ok and report.checks[0].analytic == 0.0


def test_gradcheck_rejects_bad_arguments():
    raises(InputError, gradcheck, lambda xs: 1.0, [1.0])
    raises(InputError, numeric_derivative, math.exp, 1.0, 0.0)
    raises(InputError, numeric_derivative, math.exp, 1.0, 1e-5, "backward")
