"""Optimizers: each step against its formula, recomputed here by hand with plain floats."""

import math

from _support import all_close, close, raises

from refnet import RefnetError
from refnet.optim import SGD, Adagrad, Adam, RMSProp
from refnet.value import Value

GRADIENTS = [[0.1, -0.2, 0.3], [0.05, 0.4, -0.1], [-0.3, 0.1, 0.0], [0.2, 0.2, 0.2]]
START = [0.5, -1.0, 2.0]


def run(optimizer_class, gradients=GRADIENTS, start=START, **hyperparameters):
    """Parameters after each step when the gradients are set by hand."""
    params = [Value(w) for w in start]
    optimizer = optimizer_class(params, **hyperparameters)
    history = []
    for step in gradients:
        for p, g in zip(params, step):
            p.grad = g
        optimizer.step()
        history.append([p.data for p in params])
    return history


def test_sgd_plain_step_is_w_minus_lr_g():
    # 000: Δw = −η ∂L/∂w
    history = run(SGD, lr=0.1)
    w = list(START)
    for step, g in zip(history, GRADIENTS):
        w = [wi - 0.1 * gi for wi, gi in zip(w, g)]
        assert all_close(step, w)


def test_sgd_momentum_follows_003s_form():
    # 003: Δw(n) = −η g(n) + ρ Δw(n−1), recomputed here
    history = run(SGD, lr=0.1, momentum=0.9)
    w, previous = list(START), [0.0, 0.0, 0.0]
    for step, g in zip(history, GRADIENTS):
        previous = [-0.1 * gi + 0.9 * d for gi, d in zip(g, previous)]
        w = [wi + d for wi, d in zip(w, previous)]
        assert all_close(step, w)


def test_sgd_momentum_equals_pytorch_velocity_form():
    # PyTorch: v ← ρ v + g, w ← w − η v; equal to 003's form while η is constant (optim.SGD's docstring)
    history = run(SGD, lr=0.05, momentum=0.8)
    w, velocity = list(START), [0.0, 0.0, 0.0]
    for step, g in zip(history, GRADIENTS):
        velocity = [0.8 * v + gi for v, gi in zip(velocity, g)]
        w = [wi - 0.05 * v for wi, v in zip(w, velocity)]
        assert all_close(step, w, rel=1e-12, abs_tol=1e-15)


def test_adagrad_divides_by_root_of_summed_squares_plus_eps():
    # 003's Adagrad with ε outside the root (PyTorch's placement)
    history = run(Adagrad, lr=0.1, eps=1e-10)
    w, total = list(START), [0.0, 0.0, 0.0]
    for step, g in zip(history, GRADIENTS):
        total = [s + gi * gi for s, gi in zip(total, g)]
        w = [wi - 0.1 * gi / (math.sqrt(s) + 1e-10) for wi, gi, s in zip(w, g, total)]
        assert all_close(step, w)


def test_adagrad_zero_gradient_leaves_the_weight_unchanged():
    # 0/(√0 + ε) = 0: no division by zero
    assert run(Adagrad, [[0.0]], [1.5], lr=0.1) == [[1.5]]


def test_rmsprop_moving_average_of_squares():
    history = run(RMSProp, lr=0.01, alpha=0.99, eps=1e-8)
    w, mean = list(START), [0.0, 0.0, 0.0]
    for step, g in zip(history, GRADIENTS):
        mean = [0.99 * s + 0.01 * gi * gi for s, gi in zip(mean, g)]
        w = [wi - 0.01 * gi / (math.sqrt(s) + 1e-8) for wi, gi, s in zip(w, g, mean)]
        assert all_close(step, w)


def test_adam_with_bias_correction():
    # Kingma and Ba's algorithm 1, recomputed here
    history = run(Adam, lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    w, m, v = list(START), [0.0] * 3, [0.0] * 3
    for t, (step, g) in enumerate(zip(history, GRADIENTS), start=1):
        m = [0.9 * mi + 0.1 * gi for mi, gi in zip(m, g)]
        v = [0.999 * vi + 0.001 * gi * gi for vi, gi in zip(v, g)]
        w = [wi - 0.01 * (mi / (1 - 0.9 ** t)) / (math.sqrt(vi / (1 - 0.999 ** t)) + 1e-8)
             for wi, mi, vi in zip(w, m, v)]
        assert all_close(step, w)


def test_adam_first_step_moves_each_weight_by_about_lr():
    # closed form: after one step m̂ = g and v̂ = g², so the move is η·g/(|g| + ε) ≈ η·sign(g)
    first = run(Adam, [[0.5, -2.0, 1e-3]], [0.0, 0.0, 0.0], lr=0.1)[0]
    assert close(first[0], -0.1, rel=1e-6) and close(first[1], 0.1, rel=1e-6) and close(first[2], -0.1, rel=1e-4)


def test_defaults_are_pytorchs():
    params = [Value(0.0)]
    adam = Adam(params)
    assert (adam.lr, adam.beta1, adam.beta2, adam.eps) == (0.001, 0.9, 0.999, 1e-8)
    rms = RMSProp(params)
    assert (rms.lr, rms.alpha, rms.eps) == (0.01, 0.99, 1e-8)
    assert Adagrad(params).eps == 1e-10


def test_zero_grad_clears_every_parameter():
    params = [Value(1.0), Value(2.0)]
    params[0].grad, params[1].grad = 3.0, -4.0
    SGD(params, lr=0.1).zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


def test_learning_rate_may_change_between_steps():
    params = [Value(1.0)]
    optimizer = SGD(params, lr=0.1)
    params[0].grad = 1.0
    optimizer.step()
    optimizer.lr = 0.5
    optimizer.step()
    assert close(params[0].data, 1.0 - 0.1 - 0.5)


def test_bad_hyperparameters_raise_and_name_themselves():
    params = [Value(1.0)]
    for build, word in [
        (lambda: SGD(params, lr=-0.1), "lr"),
        (lambda: SGD(params, lr=0.1, momentum=1.0), "momentum"),
        (lambda: SGD(params, lr=0.1, momentum=-0.1), "momentum"),
        (lambda: Adam(params, betas=(0.9, 1.0)), "betas"),
        (lambda: Adam(params, betas=(0.9,)), "betas"),
        (lambda: Adam(params, eps=-1e-8), "eps"),
        (lambda: RMSProp(params, alpha=1.5), "alpha"),
        (lambda: Adagrad(params, lr=float("nan")), "lr"),
        (lambda: SGD([], lr=0.1), "params"),
        (lambda: SGD([1.0], lr=0.1), "params"),
    ]:
        error = raises(RefnetError, build)
        assert word in str(error), str(error)
    optimizer = SGD(params, lr=0.1)
    optimizer.lr = -1.0
    assert "lr" in str(raises(RefnetError, optimizer.step))
