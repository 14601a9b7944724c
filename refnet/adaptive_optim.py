"""Adaptive optimizers: a learning rate per parameter, from the gradients seen so far.

Adagrad, which 003_83fae8590fc0f361.txt teaches after momentum, then RMSProp and Adam, with
PyTorch's defaults. refnet/optim.py holds the Optimizer base class and plain gradient descent
(SGD) and loads these on first use: `optim.Adam`, `from refnet.optim import Adam`.

    optimizer = Adam(model.parameters(), lr=0.01)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
"""

import math

from refnet import optim
from refnet._checks import in_range, pair_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence, Tuple

    from refnet.value import Value


class Adagrad(optim.Optimizer):
    """A learning rate per parameter that shrinks with the gradients seen so far (003):

        Δw(t) = −η / (√(Σ_{τ≤t} g(τ)²) + ε) · g(t)

    003 writes the fraction without ε; ε = 1e−10 (PyTorch's default, added to the root as
    PyTorch does) keeps the first step finite for a parameter whose gradients were all 0.
    """

    def __init__(self, params: "Sequence[Value]", lr: float = 0.01, eps: float = 1e-10) -> None:
        super().__init__(params, lr)
        self.eps = in_range(eps, "Adagrad(eps)", 0.0, optim.INFINITY, include_high=False)
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


class RMSProp(optim.Optimizer):
    """Adagrad with a moving average instead of a sum (Hinton's lecture 6e; PyTorch's RMSprop):

        s(t) = α s(t − 1) + (1 − α) g(t)²,     w ← w − η g(t) / (√s(t) + ε)

    with PyTorch's defaults η = 0.01, α = 0.99, ε = 1e−8.
    """

    def __init__(self, params: "Sequence[Value]", lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        self.alpha = in_range(alpha, "RMSProp(alpha)", 0.0, 1.0, include_high=False)
        self.eps = in_range(eps, "RMSProp(eps)", 0.0, optim.INFINITY, include_high=False)
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


class Adam(optim.Optimizer):
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
        self.eps = in_range(eps, "Adam(eps)", 0.0, optim.INFINITY, include_high=False)
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

