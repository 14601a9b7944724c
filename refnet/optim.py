"""Optimizers: turn each parameter's gradient g = ∂L/∂w into an update of w.

Plain gradient descent, w ← w − η g (000_f9a23462f49faea1.txt: Δw = −η ∂L/∂w;
001_251e29975c1497b8.txt: xₙ₊₁ = xₙ − γ∇F(xₙ)), with 003_83fae8590fc0f361.txt's momentum.
The adaptive ones, Adagrad (003), RMSProp and Adam, are in refnet/adaptive_optim.py and
loaded from there on first use (`optim.Adam`, `from refnet.optim import Adam`).
"""

# Use them as in PyTorch:
#
#     optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
#     optimizer.zero_grad(); loss.backward(); optimizer.step()
#
# `lr` may be changed between steps (refnet.schedules computes it from the step number).
# Each optimizer keeps its per-parameter state in lists aligned with the parameter list.

from refnet._checks import in_range, shown
from refnet.errors import InputError
from refnet.value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, Sequence

    from refnet.adaptive_optim import Adagrad as Adagrad, Adam as Adam, RMSProp as RMSProp

INFINITY = float("inf")
ADAPTIVE = ("Adagrad", "RMSProp", "Adam")


def __getattr__(name: str) -> object:
    """An adaptive optimizer, loaded from refnet/adaptive_optim.py on first use (PEP 562)."""
    if name in ADAPTIVE:
        import refnet.adaptive_optim

        return getattr(refnet.adaptive_optim, name)
    raise AttributeError(f"module 'refnet.optim' has no attribute {name!r}")


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
    """Gradient descent with momentum ρ (003); with ρ = 0, plain gradient descent (step() says how)."""

    def __init__(self, params: "Sequence[Value]", lr: float = 0.01, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = in_range(momentum, "SGD(momentum)", 0.0, 1.0, include_high=False)
        self.previous_updates = [0.0] * len(self.params)

    def step(self) -> None:
        """One step of gradient descent with momentum, in 003's form:

            Δw(n) = −η g(n) + ρ Δw(n − 1),     w ← w + Δw(n)

        003 writes the first term μ δⱼ hₖ: μ is the learning rate η, and δⱼ hₖ = −∂E/∂w = −g.
        With ρ = 0 this is plain gradient descent. PyTorch's SGD keeps a velocity instead,

            v(n) = ρ v(n − 1) + g(n),          w ← w − η v(n),

        and the two agree step for step while η is constant: Δw(n) = −η v(n) holds at n = 1,
        and if it holds at n − 1 then Δw(n) = −η g(n) + ρ(−η v(n − 1)) = −η(g(n) + ρ v(n − 1))
        = −η v(n). (When η changes, 003's form keeps past steps at the rate they were taken with,
        PyTorch's rescales them to the new rate.)
        """
        lr = self._learning_rate()
        momentum, previous_updates = self.momentum, self.previous_updates
        for k, p in enumerate(self.params):
            update = -lr * p.grad + momentum * previous_updates[k]
            previous_updates[k] = update
            p.data += update
        self.steps += 1
