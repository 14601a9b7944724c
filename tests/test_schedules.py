"""Learning-rate schedules against their closed forms (schedules.py's table)."""

from _support import close, raises
from refnet import InputError
from refnet.schedules import Constant, LinearDecay, Schedule, StepDecay


def test_constant_is_the_same_rate_at_every_step():
    # Constant(η)(k) = η
    schedule = Constant(0.05)
    assert [schedule(k) for k in (0, 1, 2, 1000, 10 ** 9)] == [0.05] * 5
    assert Constant(0.0)(3) == 0.0  # η = 0 is allowed (the range is [0, ∞))


def test_linear_decay_matches_micrographs_demo():
    # micrograd's demo: learning_rate = 1.0 − 0.9·k/100 for k = 0 … 99
    schedule = LinearDecay(1.0, 0.1, 100)
    for k in range(100):
        assert close(schedule(k), 1.0 - 0.9 * k / 100, rel=1e-12), k
    # endpoints and midpoint in closed form: η₀ + (η₁ − η₀)·k/K
    assert schedule(0) == 1.0
    assert close(schedule(50), 0.55, rel=1e-12)
    assert close(schedule(100), 0.1, rel=1e-12)
    # strictly decreasing on 0 … 100: equal steps of −0.009
    rates = [schedule(k) for k in range(101)]
    assert all(later < earlier for earlier, later in zip(rates, rates[1:]))
    assert close(rates[1] - rates[0], -0.009, rel=1e-9)


def test_linear_decay_stays_at_end_after_the_last_step():
    # docstring: "then `end` for ever" (k is clamped to K)
    schedule = LinearDecay(1.0, 0.1, 100)
    at_end = schedule(100)
    assert schedule(101) == at_end and schedule(5000) == at_end and schedule(10 ** 12) == at_end


def test_linear_decay_may_also_increase():
    # nothing in the formula needs η₁ < η₀: 0 → 1 over 4 steps is 0, ¼, ½, ¾, 1, 1, …
    schedule = LinearDecay(0.0, 1.0, 4)
    assert [schedule(k) for k in range(7)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    flat = LinearDecay(0.3, 0.3, 1)
    assert [flat(k) for k in range(3)] == [0.3, 0.3, 0.3]


def test_step_decay_is_lr_times_gamma_to_the_floor_of_k_over_size():
    # PyTorch's StepLR: η·γ^⌊k / size⌋; γ = ½ keeps every value exact (powers of two)
    schedule = StepDecay(1.0, step_size=2, gamma=0.5)
    assert [schedule(k) for k in range(7)] == [1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.125]
    schedule = StepDecay(0.1, step_size=3, gamma=0.5)
    assert [schedule(k) for k in range(7)] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]


def test_step_decay_default_gamma_is_a_tenth():
    # signature default γ = 0.1 (as PyTorch's StepLR): 0.1 for k < 30, 0.01 for 30 ≤ k < 60, 0.001 after
    schedule = StepDecay(0.1, 30)
    assert schedule(0) == 0.1 and schedule(29) == 0.1
    assert close(schedule(30), 0.01, rel=1e-12) and close(schedule(59), 0.01, rel=1e-12)
    assert close(schedule(60), 0.001, rel=1e-12)


def test_step_decay_gamma_ends_are_allowed():
    # γ ∈ [0, 1]: γ = 1 is a constant rate; γ = 0 stops after the first step_size steps
    assert [StepDecay(0.2, 1, gamma=1.0)(k) for k in range(4)] == [0.2] * 4
    assert [StepDecay(0.2, 2, gamma=0.0)(k) for k in range(4)] == [0.2, 0.2, 0.0, 0.0]


def test_bad_constructor_arguments_raise_and_name_the_argument():
    cases = [
        (Constant, (-1.0,), "Constant(lr)"),
        (Constant, (float("inf"),), "Constant(lr)"),
        (Constant, (True,), "Constant(lr)"),
        (LinearDecay, (-1.0, 0.1, 10), "LinearDecay(start)"),
        (LinearDecay, (1.0, -0.1, 10), "LinearDecay(end)"),
        (LinearDecay, (1.0, 0.1, 0), "LinearDecay(steps)"),
        (LinearDecay, (1.0, 0.1, 10.0), "LinearDecay(steps)"),
        (StepDecay, (-0.1, 10), "StepDecay(lr)"),
        (StepDecay, (0.1, 0), "StepDecay(step_size)"),
        (StepDecay, (0.1, 2.5), "StepDecay(step_size)"),
        (StepDecay, (0.1, 10, 1.5), "StepDecay(gamma)"),
        (StepDecay, (0.1, 10, -0.1), "StepDecay(gamma)"),
    ]
    for cls, args, name in cases:
        error = raises(InputError, cls, *args)
        assert name in str(error), (name, str(error))


def test_bad_step_numbers_raise():
    # the step number k is an integer >= 0
    for schedule in (Constant(0.1), LinearDecay(1.0, 0.1, 10), StepDecay(0.1, 3)):
        for bad in (-1, 1.0, 1.5, True, "3", None):
            error = raises(InputError, schedule, bad)
            assert "(step)" in str(error)


def test_base_schedule_has_no_rate():
    raises(NotImplementedError, Schedule(), 0)
