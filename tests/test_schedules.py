"""Learning-rate schedules against their closed forms."""

from _support import close, raises

from refnet import RefnetError
from refnet.schedules import Constant, LinearDecay, StepDecay


def test_constant():
    schedule = Constant(0.05)
    assert [schedule(k) for k in (0, 1, 1000)] == [0.05, 0.05, 0.05]


def test_linear_decay_as_micrographs_demo():
    # micrograd's demo: lr = 1.0 − 0.9·k/100 for k = 0 … 99
    schedule = LinearDecay(1.0, 0.1, 100)
    for k in (0, 1, 50, 99):
        assert close(schedule(k), 1.0 - 0.9 * k / 100)
    assert close(schedule(100), 0.1) and close(schedule(10000), 0.1)  # then `end` for ever


def test_step_decay():
    # lr·γ^(k // step_size)
    schedule = StepDecay(0.1, step_size=3, gamma=0.5)
    assert [schedule(k) for k in range(7)] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]


def test_bad_arguments_raise():
    raises(RefnetError, Constant, -1.0)
    raises(RefnetError, LinearDecay, 1.0, 0.1, 0)
    raises(RefnetError, StepDecay, 0.1, 0)
    raises(RefnetError, LinearDecay(1.0, 0.1, 10), 1.5)
    raises(RefnetError, Constant(0.1), -1)
