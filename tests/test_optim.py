"""Optimizers: each update rule against a hand recurrence written out here with plain floats."""

import math

from _support import all_close, close, raises
from refnet import InputError, Value
from refnet.optim import SGD, Adagrad, Adam, Optimizer, RMSProp


def leaves(numbers):
    return [Value(x) for x in numbers]


def set_grads(params, grads):
    for p, g in zip(params, grads):
        p.grad = g


def data(params):
    return [p.data for p in params]


# gradients that change sign and size from step to step, one row per step, one column per parameter
CHANGING_GRADIENTS = [
    [0.5, -1.0, 2.0],
    [-0.25, -0.75, 1.5],
    [1.0, 0.5, -3.0],
    [0.1, -0.2, 0.0],
    [-2.0, 1.25, 0.4],
    [0.3, 0.3, -0.6],
]
START = [1.0, -2.0, 0.5]


def test_sgd_plain_step_is_w_minus_lr_times_g():
    # 000_f9a23462f49faea1.txt: Δw = −η ∂L/∂w; closed form w − η g
    params = leaves([1.0, -2.0, 0.0])
    optimizer = SGD(params, lr=0.1)
    set_grads(params, [0.5, -0.25, 4.0])
    optimizer.step()
    assert all_close(data(params), [1.0 - 0.1 * 0.5, -2.0 + 0.1 * 0.25, 0.0 - 0.1 * 4.0], rel=1e-15)
    assert optimizer.steps == 1
    # the gradient is not consumed: a second step with the same gradient moves as far again
    optimizer.step()
    assert all_close(data(params), [1.0 - 0.2 * 0.5, -2.0 + 0.2 * 0.25, 0.0 - 0.2 * 4.0], rel=1e-14)


def test_sgd_default_lr_is_0_01():
    # PyTorch-style default η = 0.01 as the SGD signature states; one step of g = 1 moves w by −0.01
    params = leaves([0.0])
    optimizer = SGD(params)
    set_grads(params, [1.0])
    optimizer.step()
    assert close(params[0].data, -0.01, rel=1e-15)


def test_sgd_momentum_constant_gradient_matches_geometric_series():
    # 003_83fae8590fc0f361.txt: Δw(n) = −η g + ρ Δw(n−1). With g constant,
    # Δw(n) = −η g (1 − ρⁿ)/(1 − ρ) and w(N) = w₀ + Σₙ Δw(n) = w₀ − η g Σₙ (1 − ρⁿ)/(1 − ρ).
    lr, rho, g = 0.1, 0.9, 2.0
    params = leaves([3.0])
    optimizer = SGD(params, lr=lr, momentum=rho)
    previous_w = 3.0
    for n in range(1, 9):
        set_grads(params, [g])
        optimizer.step()
        delta = -lr * g * (1.0 - rho ** n) / (1.0 - rho)
        assert close(params[0].data - previous_w, delta, rel=1e-12)
        previous_w = params[0].data
    expected = 3.0 - lr * g * sum([(1.0 - rho ** n) / (1.0 - rho) for n in range(1, 9)], 0.0)
    assert close(params[0].data, expected, rel=1e-12)
    assert optimizer.steps == 8


def test_sgd_momentum_changing_gradients_follows_003s_recurrence():
    # hand recurrence of 003's form: Δw(n) = −η g(n) + ρ Δw(n−1), w ← w + Δw(n), Δw(0) = 0
    lr, rho = 0.05, 0.8
    params = leaves(START)
    optimizer = SGD(params, lr=lr, momentum=rho)
    w = list(START)
    delta = [0.0, 0.0, 0.0]
    for grads in CHANGING_GRADIENTS:
        set_grads(params, grads)
        optimizer.step()
        for k in range(3):
            delta[k] = -lr * grads[k] + rho * delta[k]
            w[k] = w[k] + delta[k]
        assert all_close(data(params), w, rel=1e-14, abs_tol=1e-15)


def test_sgd_momentum_equals_pytorch_velocity_form():
    # docs/conventions.md: while η is constant, 003's Δw(n) = −ηg + ρΔw(n−1) equals PyTorch's
    # velocity form v ← ρv + g, w ← w − ηv step for step. The PyTorch form is recomputed here.
    lr, rho = 0.1, 0.9
    params = leaves(START)
    optimizer = SGD(params, lr=lr, momentum=rho)
    w = list(START)
    v = [0.0, 0.0, 0.0]
    for grads in CHANGING_GRADIENTS + CHANGING_GRADIENTS:
        set_grads(params, grads)
        optimizer.step()
        for k in range(3):
            v[k] = rho * v[k] + grads[k]
            w[k] = w[k] - lr * v[k]
        assert all_close(data(params), w, rel=1e-12, abs_tol=1e-12)


def test_sgd_momentum_with_a_changing_lr_keeps_past_steps_at_their_own_rate():
    # SGD's docstring: when η changes, 003's form keeps Δw(n−1) as it was taken and PyTorch's
    # rescales the velocity by the new η. Hand recurrences of both; refnet follows 003's.
    rho = 0.5
    rates = [0.1, 0.1, 0.01, 0.01]
    grads = [1.0, 1.0, 1.0, 1.0]
    params = leaves([0.0])
    optimizer = SGD(params, lr=rates[0], momentum=rho)
    w003, delta = 0.0, 0.0
    w_torch, velocity = 0.0, 0.0
    for lr, g in zip(rates, grads):
        optimizer.lr = lr
        set_grads(params, [g])
        optimizer.step()
        delta = -lr * g + rho * delta
        w003 += delta
        velocity = rho * velocity + g
        w_torch -= lr * velocity
    assert close(params[0].data, w003, rel=1e-14)
    # by hand: 003's steps are −0.1, −0.15, −0.085, −0.0525 (sum −0.3875); PyTorch's velocities
    # 1, 1.5, 1.75, 1.875 give steps −0.1, −0.15, −0.0175, −0.01875 (sum −0.28625)
    assert close(w003, -0.3875, rel=1e-12) and close(w_torch, -0.28625, rel=1e-12)
    assert not close(params[0].data, w_torch, rel=1e-3)


def test_sgd_momentum_keeps_moving_a_parameter_whose_gradient_became_zero():
    # step() updates every parameter from its current gradient: with g = 0 the update is ρ Δw(n−1)
    params = leaves([0.0])
    optimizer = SGD(params, lr=1.0, momentum=0.5)
    set_grads(params, [1.0])
    optimizer.step()  # Δw(1) = −1
    set_grads(params, [0.0])
    optimizer.step()  # Δw(2) = 0.5 · (−1)
    assert params[0].data == -1.5
    plain = leaves([2.0])
    plain_optimizer = SGD(plain, lr=1.0)
    plain_optimizer.step()  # grad 0, no momentum: w unchanged
    assert plain[0].data == 2.0


def test_adagrad_recurrence_with_eps_added_to_the_root():
    # Adagrad's docstring (003 plus PyTorch's ε placement): G ← G + g², w ← w − η g / (√G + ε)
    lr, eps = 0.5, 1e-10
    params = leaves(START)
    optimizer = Adagrad(params, lr=lr)
    assert optimizer.eps == 1e-10  # PyTorch's default
    w = list(START)
    total = [0.0, 0.0, 0.0]
    for grads in CHANGING_GRADIENTS:
        set_grads(params, grads)
        optimizer.step()
        for k in range(3):
            total[k] += grads[k] ** 2
            w[k] -= lr * grads[k] / (math.sqrt(total[k]) + eps)
        assert all_close(data(params), w, rel=1e-13, abs_tol=1e-15)


def test_adagrad_eps_is_outside_the_square_root():
    # with ε = 1 and a single g = 1: ε outside the root gives η·1/(1 + 1) = η/2;
    # inside it would give η/√2. Closed forms.
    params = leaves([0.0])
    optimizer = Adagrad(params, lr=1.0, eps=1.0)
    set_grads(params, [1.0])
    optimizer.step()
    assert close(params[0].data, -0.5, rel=1e-15)
    assert not close(params[0].data, -1.0 / math.sqrt(2.0), rel=1e-3)


def test_adagrad_first_step_moves_by_lr_and_a_zero_gradient_stays_finite():
    # first step: Δw = −η g/(|g| + ε) ≈ −η sign(g); for g = 0 the ε keeps 0/0 away: Δw = 0
    params = leaves([1.0, 1.0, 1.0])
    optimizer = Adagrad(params, lr=0.1)
    set_grads(params, [3.0, -0.002, 0.0])
    optimizer.step()
    assert close(params[0].data, 1.0 - 0.1, rel=1e-9)
    assert close(params[1].data, 1.0 + 0.1, rel=1e-7)
    assert params[2].data == 1.0


def test_rmsprop_defaults_are_pytorchs():
    # torch.optim.RMSprop: lr=0.01, alpha=0.99, eps=1e-08
    optimizer = RMSProp(leaves([0.0]))
    assert (optimizer.lr, optimizer.alpha, optimizer.eps) == (0.01, 0.99, 1e-8)


def test_rmsprop_recurrence():
    # RMSProp's docstring: s ← α s + (1 − α) g², w ← w − η g / (√s + ε), s(0) = 0
    lr, alpha, eps = 0.01, 0.99, 1e-8
    params = leaves(START)
    optimizer = RMSProp(params)
    w = list(START)
    s = [0.0, 0.0, 0.0]
    for grads in CHANGING_GRADIENTS:
        set_grads(params, grads)
        optimizer.step()
        for k in range(3):
            s[k] = alpha * s[k] + (1.0 - alpha) * grads[k] * grads[k]
            w[k] -= lr * grads[k] / (math.sqrt(s[k]) + eps)
        assert all_close(data(params), w, rel=1e-13, abs_tol=1e-15)
    # first step closed form: s = (1 − α) g², so Δw = −η g/(√0.01 |g|) = −10 η sign(g) (ε aside)
    single = leaves([0.0])
    first = RMSProp(single)
    set_grads(single, [-4.0])
    first.step()
    assert close(single[0].data, 10.0 * 0.01, rel=1e-7)


def test_rmsprop_eps_is_outside_the_square_root():
    # α = 0 makes s = g²; g = 2, ε = 1: Δw = −η·2/(2 + 1) (outside), not −η·2/√5 (inside)
    params = leaves([0.0])
    optimizer = RMSProp(params, lr=1.0, alpha=0.0, eps=1.0)
    set_grads(params, [2.0])
    optimizer.step()
    assert close(params[0].data, -2.0 / 3.0, rel=1e-15)


def test_adam_defaults_are_pytorchs():
    # torch.optim.Adam: lr=0.001, betas=(0.9, 0.999), eps=1e-08
    optimizer = Adam(leaves([0.0]))
    assert (optimizer.lr, optimizer.beta1, optimizer.beta2, optimizer.eps) == (0.001, 0.9, 0.999, 1e-8)


def test_adam_recurrence_with_bias_correction():
    # Kingma and Ba 2015, Algorithm 1, recomputed with plain floats; β^t kept as running products
    lr, beta1, beta2, eps = 0.01, 0.9, 0.999, 1e-8
    params = leaves(START)
    optimizer = Adam(params, lr=lr)
    w = list(START)
    m = [0.0, 0.0, 0.0]
    v = [0.0, 0.0, 0.0]
    beta1_power, beta2_power = 1.0, 1.0
    for t, grads in enumerate(CHANGING_GRADIENTS, 1):
        set_grads(params, grads)
        optimizer.step()
        beta1_power *= beta1
        beta2_power *= beta2
        for k in range(3):
            m[k] = beta1 * m[k] + (1.0 - beta1) * grads[k]
            v[k] = beta2 * v[k] + (1.0 - beta2) * grads[k] ** 2
            m_hat = m[k] / (1.0 - beta1_power)
            v_hat = v[k] / (1.0 - beta2_power)
            w[k] -= lr * m_hat / (math.sqrt(v_hat) + eps)
        assert all_close(data(params), w, rel=1e-12, abs_tol=1e-14)
        assert optimizer.steps == t


def test_adam_first_step_moves_each_parameter_by_about_lr_times_sign_of_g():
    # t = 1: m̂ = g and v̂ = g², so Δw = −η g/(|g| + ε) = −η sign(g)·(1 − ε/(|g| + ε))
    grads = [3.0, -0.02, 1e-3, -250.0]
    params = leaves([0.0, 0.0, 0.0, 0.0])
    optimizer = Adam(params, lr=0.001)
    set_grads(params, grads)
    optimizer.step()
    for p, g in zip(params, grads):
        sign = 1.0 if g > 0 else -1.0
        assert close(p.data, -0.001 * sign, rel=1e-4)
        assert close(p.data, -0.001 * g / (abs(g) + 1e-8), rel=1e-9)


def test_adam_leaves_a_parameter_with_zero_gradients_in_place():
    # m = v = 0 for a parameter that only ever saw g = 0: Δw = −η·0/(0 + ε) = 0
    params = leaves([0.7, 0.7])
    optimizer = Adam(params, lr=0.1)
    for g in [1.0, -1.0, 2.0]:
        set_grads(params, [g, 0.0])
        optimizer.step()
    assert params[1].data == 0.7
    assert params[0].data != 0.7


def test_zero_grad_sets_every_gradient_to_zero():
    params = leaves([1.0, 2.0, 3.0])
    optimizer = Adam(params)
    loss = params[0] * params[1] + params[2] ** 2
    loss.backward()
    assert [p.grad for p in params] == [2.0, 1.0, 6.0]  # ∂(ab + c²) = (b, a, 2c)
    optimizer.zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0, 0.0]
    assert data(params) == [1.0, 2.0, 3.0]  # zero_grad does not touch the values


def test_lr_may_change_between_steps_and_is_checked_at_each_step():
    # optim.py: "lr may be changed between steps"; each step reads the current lr
    params = leaves([0.0])
    optimizer = SGD(params, lr=0.1)
    set_grads(params, [1.0])
    optimizer.step()
    optimizer.lr = 0.5
    optimizer.step()
    assert close(params[0].data, -0.6, rel=1e-15)
    optimizer.lr = -0.5
    error = raises(InputError, optimizer.step)
    assert "lr" in str(error)
    assert close(params[0].data, -0.6, rel=1e-15)  # nothing was updated


def test_base_optimizer_has_no_step():
    optimizer = Optimizer(leaves([1.0]), lr=0.1)
    raises(NotImplementedError, optimizer.step)


def test_bad_params_raise():
    error = raises(InputError, SGD, [], lr=0.1)
    assert "SGD(params)" in str(error)
    error = raises(InputError, Adam, [Value(1.0), 2.0])
    assert "item 1" in str(error)
    error = raises(InputError, SGD, [1.0], lr=0.1)
    assert "item 0" in str(error) and "float" in str(error)
    raises(InputError, SGD, Value(1.0))
    raises(InputError, Adagrad, (p for p in leaves([1.0])))  # a generator is not a list


def test_bad_hyperparameters_raise_and_name_the_parameter():
    params = leaves([1.0])
    cases = [
        (SGD, {"lr": -0.1}, "SGD(lr)"),
        (SGD, {"lr": float("inf")}, "SGD(lr)"),
        (SGD, {"lr": float("nan")}, "SGD(lr)"),
        (SGD, {"lr": True}, "SGD(lr)"),
        (SGD, {"momentum": 1.0}, "SGD(momentum)"),
        (SGD, {"momentum": -0.1}, "SGD(momentum)"),
        (Adagrad, {"lr": -1.0}, "Adagrad(lr)"),
        (Adagrad, {"eps": -1e-10}, "Adagrad(eps)"),
        (RMSProp, {"alpha": 1.0}, "RMSProp(alpha)"),
        (RMSProp, {"alpha": -0.5}, "RMSProp(alpha)"),
        (RMSProp, {"eps": -1.0}, "RMSProp(eps)"),
        (Adam, {"betas": (1.0, 0.999)}, "Adam(betas[0])"),
        (Adam, {"betas": (-0.1, 0.999)}, "Adam(betas[0])"),
        (Adam, {"betas": (0.9, 1.5)}, "Adam(betas[1])"),
        (Adam, {"betas": (0.9,)}, "Adam(betas)"),
        (Adam, {"betas": 0.9}, "Adam(betas)"),
        (Adam, {"eps": -1e-8}, "Adam(eps)"),
        (Adam, {"lr": "0.1"}, "Adam(lr)"),
    ]
    for cls, kwargs, name in cases:
        error = raises(InputError, cls, params, **kwargs)
        assert name in str(error), (name, str(error))


def test_boundary_hyperparameters_are_accepted():
    # the closed ends of the documented ranges: η = 0, ρ = 0, β = 0, ε = 0
    params = leaves([1.0])
    optimizer = SGD(params, lr=0.0, momentum=0.0)
    set_grads(params, [5.0])
    optimizer.step()
    assert params[0].data == 1.0  # η = 0 moves nothing
    Adam(params, betas=(0.0, 0.0), eps=0.0)
    Adagrad(params, eps=0.0)
    RMSProp(params, alpha=0.0, eps=0.0)
