"""Learning-rate schedules: the learning rate as a function of the step number k = 0, 1, 2, …

001_251e29975c1497b8.txt: too small a rate is slow, too large a rate overshoots and may
diverge; 003_83fae8590fc0f361.txt: "typically reduce the learning rate over time: at the
beginning, things have to change a lot; later, just fine-tuning".

    Constant(η)(k)                   = η
    LinearDecay(η₀, η₁, K)(k)       = η₀ + (η₁ − η₀)·min(k, K)/K      micrograd's demo: 1.0 − 0.9·k/100
    StepDecay(η, size, γ)(k)        = η·γ^⌊k / size⌋                  PyTorch's StepLR

A schedule is a callable; train.fit sets optimizer.lr = schedule(k) before step k.
"""

from refnet._checks import as_int, in_range

INFINITY = float("inf")


class Schedule:
    """Base class: a learning rate for each step number k >= 0."""

    def __call__(self, step: int) -> float:
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")

    def _step(self, step: int) -> int:
        return as_int(step, f"{type(self).__name__}(step)")


class Constant(Schedule):
    """η at every step."""

    def __init__(self, lr: float) -> None:
        self.lr = in_range(lr, "Constant(lr)", 0.0, INFINITY, include_high=False)

    def __call__(self, step: int) -> float:
        self._step(step)
        return self.lr

    def __repr__(self) -> str:
        return f"Constant({self.lr})"


class LinearDecay(Schedule):
    """From `start` at step 0 in equal steps to `end` at step `steps`, then `end` for ever."""

    def __init__(self, start: float, end: float, steps: int) -> None:
        self.start = in_range(start, "LinearDecay(start)", 0.0, INFINITY, include_high=False)
        self.end = in_range(end, "LinearDecay(end)", 0.0, INFINITY, include_high=False)
        self.steps = as_int(steps, "LinearDecay(steps)", minimum=1)

    def __call__(self, step: int) -> float:
        k = min(self._step(step), self.steps)
        return self.start + (self.end - self.start) * k / self.steps

    def __repr__(self) -> str:
        return f"LinearDecay({self.start}, {self.end}, {self.steps})"


class StepDecay(Schedule):
    """η multiplied by γ every `step_size` steps."""

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1) -> None:
        self.lr = in_range(lr, "StepDecay(lr)", 0.0, INFINITY, include_high=False)
        self.step_size = as_int(step_size, "StepDecay(step_size)", minimum=1)
        self.gamma = in_range(gamma, "StepDecay(gamma)", 0.0, 1.0)

    def __call__(self, step: int) -> float:
        return self.lr * self.gamma ** (self._step(step) // self.step_size)

    def __repr__(self) -> str:
        return f"StepDecay({self.lr}, {self.step_size}, {self.gamma})"
