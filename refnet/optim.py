"""Optimizers: turn each parameter's gradient g = ∂L/∂w into an update of w.

Plain gradient descent, w ← w − η g (000_f9a23462f49faea1.txt: Δw = −η ∂L/∂w;
001_251e29975c1497b8.txt: xₙ₊₁ = xₙ − γ∇F(xₙ)), and the refinements 003_83fae8590fc0f361.txt
teaches: momentum and Adagrad; then RMSProp and Adam, with PyTorch's defaults.

Use them as in PyTorch:

    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    optimizer.zero_grad(); loss.backward(); optimizer.step()

`lr` may be changed between steps (refnet.schedules computes it from the step number).
Each optimizer keeps its per-parameter state in lists aligned with the parameter list.
"""

import math

from refnet._checks import in_range, pair_of, shown
from refnet.errors import InputError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Sequence, Tuple

INFINITY = float("inf")


class Optimizer:
    """Base class: holds the parameters and the learning rate; subclasses define step()."""

    def __init__(self, params: "Sequence[Value]", lr: float) -> None:
        name = type(self).__name__
        if not isinstance(params, (list, tuple)) or len(params) == 0:
            given = "an empty one" if isinstance(params, (list, tuple)) else shown(params)
            raise InputError(f"{name}(params): expected a non-empty list of Values, e.g. model.parameters(), "
                             f"got {given}")
        seen: "Dict[int, int]" = {}
        for index, p in enumerate(params):
            if not isinstance(p, Value):
                raise InputError(f"{name}(params): item {index} is {shown(p)}; expected a Value")
            if id(p) in seen:
                raise InputError(f"{name}(params)[{index}]: expected each parameter once, got the Value of "
                                 f"params[{seen[id(p)]}] twice (it would be stepped twice)")
            seen[id(p)] = index
        self.params = list(params)
        self.lr = in_range(lr, f"{name}(lr)", 0.0, INFINITY, include_high=False)
        self.steps = 0

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its current gradient."""
        raise NotImplementedError(f"{type(self).__name__} does not define step()")

    def _learning_rate(self) -> float:
        return in_range(self.lr, f"{type(self).__name__}.lr", 0.0, INFINITY, include_high=False)


class SGD(Optimizer):
    """Gradient descent with momentum, in 003's form:

        Δw(n) = −η g(n) + ρ Δw(n − 1),     w ← w + Δw(n)

    003 writes the first term μ δⱼ hₖ: μ is the learning rate η, and δⱼ hₖ = −∂E/∂w = −g.
    With ρ = 0 this is plain gradient descent. PyTorch's SGD keeps a velocity instead,

        v(n) = ρ v(n − 1) + g(n),          w ← w − η v(n),

    and the two agree step for step while η is constant: Δw(n) = −η v(n) holds at n = 1,
    and if it holds at n − 1 then Δw(n) = −η g(n) + ρ(−η v(n − 1)) = −η(g(n) + ρ v(n − 1))
    = −η v(n). (When η changes, 003's form keeps past steps at the rate they were taken with,
    PyTorch's rescales them to the new rate.)
    """

    def __init__(self, params: "Sequence[Value]", lr: float = 0.01, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = in_range(momentum, "SGD(momentum)", 0.0, 1.0, include_high=False)
        self.previous_updates = [0.0] * len(self.params)

    def step(self) -> None:
        lr = self._learning_rate()
        momentum, previous_updates = self.momentum, self.previous_updates
        for k, p in enumerate(self.params):
            update = -lr * p.grad + momentum * previous_updates[k]
            previous_updates[k] = update
            p.data += update
        self.steps += 1


class Adagrad(Optimizer):
    """A learning rate per parameter that shrinks with the gradients seen so far (003):

        Δw(t) = −η / (√(Σ_{τ≤t} g(τ)²) + ε) · g(t)

    003 writes the fraction without ε; ε = 1e−10 (PyTorch's default, added to the root as
    PyTorch does) keeps the first step finite for a parameter whose gradients were all 0.
    """

    def __init__(self, params: "Sequence[Value]", lr: float = 0.01, eps: float = 1e-10) -> None:
        super().__init__(params, lr)
        self.eps = in_range(eps, "Adagrad(eps)", 0.0, INFINITY, include_high=False)
        self.sum_of_squares = [0.0] * len(self.params)

    def step(self) -> None:
        lr = self._learning_rate()
        for k, p in enumerate(self.params):
            g = p.grad
            self.sum_of_squares[k] += g * g
            denominator = math.sqrt(self.sum_of_squares[k]) + self.eps
            if denominator != 0.0:  # 0 only for eps = 0 and no gradient yet; then g = 0: no move
                p.data -= lr * g / denominator
        self.steps += 1


class RMSProp(Optimizer):
    """Adagrad with a moving average instead of a sum (Hinton's lecture 6e; PyTorch's RMSprop):

        s(t) = α s(t − 1) + (1 − α) g(t)²,     w ← w − η g(t) / (√s(t) + ε)

    with PyTorch's defaults η = 0.01, α = 0.99, ε = 1e−8.
    """

    def __init__(self, params: "Sequence[Value]", lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        self.alpha = in_range(alpha, "RMSProp(alpha)", 0.0, 1.0, include_high=False)
        self.eps = in_range(eps, "RMSProp(eps)", 0.0, INFINITY, include_high=False)
        self.mean_squares = [0.0] * len(self.params)

    def step(self) -> None:
        lr = self._learning_rate()
        for k, p in enumerate(self.params):
            g = p.grad
            self.mean_squares[k] = self.alpha * self.mean_squares[k] + (1.0 - self.alpha) * g * g
            denominator = math.sqrt(self.mean_squares[k]) + self.eps
            if denominator != 0.0:  # 0 only for eps = 0 and no gradient yet; then g = 0: no move
                p.data -= lr * g / denominator
        self.steps += 1


class Adam(Optimizer):
    """Momentum and RMSProp together, with bias correction (Kingma and Ba 2015; PyTorch's Adam):

        m(t) = β₁ m(t − 1) + (1 − β₁) g(t)          v(t) = β₂ v(t − 1) + (1 − β₂) g(t)²
        m̂ = m(t) / (1 − β₁ᵗ)                        v̂ = v(t) / (1 − β₂ᵗ)
        w ← w − η m̂ / (√v̂ + ε)

    t counts steps from 1. Defaults as PyTorch: η = 0.001, β = (0.9, 0.999), ε = 1e−8.
    """

    def __init__(self, params: "Sequence[Value]", lr: float = 0.001, betas: "Tuple[float, float]" = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        self.beta1, self.beta2 = pair_of(betas, "Adam(betas)", 0.0, 1.0)
        self.eps = in_range(eps, "Adam(eps)", 0.0, INFINITY, include_high=False)
        self.first_moments = [0.0] * len(self.params)
        self.second_moments = [0.0] * len(self.params)

    def step(self) -> None:
        lr = self._learning_rate()
        self.steps += 1
        t = self.steps
        correction1 = 1.0 - self.beta1 ** t
        correction2 = 1.0 - self.beta2 ** t
        for k, p in enumerate(self.params):
            g = p.grad
            self.first_moments[k] = self.beta1 * self.first_moments[k] + (1.0 - self.beta1) * g
            self.second_moments[k] = self.beta2 * self.second_moments[k] + (1.0 - self.beta2) * g * g
            m_hat = self.first_moments[k] / correction1
            v_hat = self.second_moments[k] / correction2
            denominator = math.sqrt(v_hat) + self.eps
            if denominator != 0.0:  # 0 only for eps = 0 and no gradient yet; then m_hat = 0: no move
                p.data -= lr * m_hat / denominator

